"""The coding screen, driven with Textual's Pilot; assertions are on what is stored."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, OptionList, Static

from workbench.domain.parsed import ParsedTranscript, ParsedTurn
from workbench.i18n import catalogue, t
from workbench.services import Workbench
from workbench.services.extracts import ExtractService
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.coding import CodingScreen
from workbench.tui.screens.coding.extracts import ExtractsScreen
from workbench.tui.screens.coding.layout import build_document
from workbench.tui.screens.home import HomeScreen
from workbench.tui.widgets.modals import PromptModal, TextModal
from workbench.tui.widgets.palette import WorkbenchCommands
from workbench.tui.widgets.picker import FuzzyPicker

from tests.ui.helpers import recorded_notifications, settle, workers_done

SIZE = (130, 40)

# The sample transcript (tests/conftest.py), turn by turn:
# 0 (no speaker) "Fokusgruppe 1, notat fra møterommet."
# 1 Moderator    "Velkommen. Kan dere fortelle litt om dere selv?"
# 2 Leder 1      "Jeg er sykepleier og har vært leder i fem år (latter)."
# 3 Leder 2      "Vernepleier. Jeg tenker at brukerne må få bestemme mer."
# 4 Moderator    "Hva betyr forbedring for dere?"
# 5 Leder 1      "At brukeren opplever håp, og at vi har tid til relasjonen."


def span_of(wb: Workbench, tid: int, needle: str) -> tuple[int, int]:
    text = wb.transcripts.get(tid).text
    start = text.index(needle)
    return start, start + len(needle)


def stored(wb: Workbench, tid: int) -> list[tuple[str, str]]:
    """(code name, coded text) of every coding of a transcript."""
    text = wb.transcripts.get(tid).text
    names = {c.id: c.name for c in wb.codes.list()}
    return [(names[c.code_id], text[c.start : c.end]) for c in wb.codes.codings(transcript_id=tid)]


async def wait_loaded(pilot) -> CodingScreen:  # type: ignore[no-untyped-def]
    app = pilot.app
    for _ in range(50):
        await workers_done(app)
        await pilot.pause()
        screen = app.screen
        if isinstance(screen, CodingScreen) and screen.loaded:
            return screen
    raise AssertionError("the coding screen did not load")


async def open_coding(pilot) -> CodingScreen:  # type: ignore[no-untyped-def]
    await pilot.pause()
    assert isinstance(pilot.app.screen, HomeScreen)
    await pilot.press("enter")
    return await wait_loaded(pilot)


async def find(pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    """Select the next occurrence of ``text``, as Enter in the find bar does.

    (The find bar itself is driven key by key in ``test_find_selects_the_next_match``.)
    """
    screen = pilot.app.screen
    assert isinstance(screen, CodingScreen)
    assert screen.find_next(text)
    await pilot.pause()


async def pick(pilot, text: str, *extra: str) -> None:  # type: ignore[no-untyped-def]
    """Type into the open picker and press ``extra`` keys (default Enter)."""
    assert isinstance(pilot.app.screen, FuzzyPicker)
    pilot.app.screen.query_one("#picker-input", Input).value = text
    await pilot.pause()
    await pilot.press(*(extra or ("enter",)))
    await pilot.pause()


# -- opening and reading -----------------------------------------------------------------


async def test_enter_on_home_opens_the_transcript_as_speaker_turns(wb_with_transcript):
    wb, summary = wb_with_transcript
    app = WorkbenchApp(wb)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_coding(pilot)
        assert screen.transcript_id == summary.id
        doc = screen.doc
        assert doc is not None and len(doc.turns) == 6
        lines = screen.view.document.lines
        assert lines[0] == "Fokusgruppe 1, notat fra møterommet."  # no speaker: no header
        assert lines[2] == "Moderator · informant · 00:00"
        assert lines[3] == "Velkommen. Kan dere fortelle litt om dere selv?"
        assert "fg1" in str(screen.query_one("#coding-status", Static).render())
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_moderator_turns_look_different(wb_with_transcript):
    wb, summary = wb_with_transcript
    moderator = next(p for p in wb.transcripts.participants() if p.label == "Moderator")
    wb.transcripts.update_participant(moderator.id, role="moderator")
    app = WorkbenchApp(wb)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_coding(pilot)
        view = screen.view
        assert view.document.lines[2] == "Moderator · moderator · 00:00"
        moderator_text = view.get_line(3).spans[0].style
        informant_text = view.get_line(6).spans
        assert moderator_text.italic and not informant_text
        assert view.get_line(2).spans[0].style != view.get_line(5).spans[0].style


# -- coding --------------------------------------------------------------------------------


async def test_select_a_turn_and_apply_a_new_code_with_the_picker(wb_with_transcript):
    wb, summary = wb_with_transcript
    app = WorkbenchApp(wb)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_coding(pilot)
        await pilot.press("n", "n", "t")  # to Leder 1's first turn, select it
        await pilot.press("c")
        await pilot.pause()
        await pick(pilot, "erfaring som leder")
        assert isinstance(app.screen, CodingScreen)
        assert stored(wb, summary.id) == [
            ("erfaring som leder", "Jeg er sykepleier og har vært leder i fem år (latter).")
        ]
        assert [c.name for c in screen.codings_under_cursor()
                if False] == [] and len(screen.codings_under_cursor()) == 1
        assert screen.tree.codes[wb.codes.list()[0].id].codings == 1


async def test_the_picker_reuses_an_existing_code(wb_with_transcript):
    wb, summary = wb_with_transcript
    hope = wb.codes.create("Håp")
    app = WorkbenchApp(wb)
    async with app.run_test(size=SIZE) as pilot:
        await open_coding(pilot)
        await find(pilot, "opplever håp")
        await pilot.press("c")
        await pick(pilot, "HÅP")  # same name, other case: the existing code
        await find(pilot, "relasjonen")
        await pilot.press("c")
        await pick(pilot, "hp")  # fuzzy: the best match is highlighted, above "+ new «hp»"
    assert [c.code_id for c in wb.codes.codings()] == [hope.id, hope.id]
    assert [c.name for c in wb.codes.list()] == ["Håp"]


async def test_the_picker_creates_a_code_only_when_asked(wb_with_transcript):
    wb, summary = wb_with_transcript
    keen = wb.codes.create("Ildsjeler bærer satsingen")
    app = WorkbenchApp(wb)
    async with app.run_test(size=SIZE) as pilot:
        await open_coding(pilot)
        await find(pilot, "opplever håp")
        await pilot.press("c")
        await pilot.pause()
        picker = app.screen
        assert isinstance(picker, FuzzyPicker)
        picker.query_one("#picker-input", Input).value = "ildsj"
        await pilot.pause()
        options = picker.query_one("#picker-options", OptionList)
        assert options.highlighted == 0
        assert options.get_option_at_index(0).id == str(keen.id)
        assert options.get_option_at_index(1).id == "new"  # one deliberate step away
        await pilot.press("enter")
        await pilot.pause()
        await find(pilot, "relasjonen")
        await pilot.press("c")
        await pick(pilot, "ildsj", "down", "enter")  # the «+ Ny kode» row
        await find(pilot, "brukerne må få")
        await pilot.press("c")
        await pick(pilot, "tid", "ctrl+n")  # nothing matches: ctrl+n creates it too
        await find(pilot, "Kan dere fortelle")
        await pilot.press("c")
        await pick(pilot, "ILDSJELER bærer satsingen", "ctrl+n")  # exact: no duplicate
    names = {c.id: c.name for c in wb.codes.list()}
    assert sorted(names.values()) == ["Ildsjeler bærer satsingen", "ildsj", "tid"]
    assert [names[c.code_id] for c in wb.codes.codings()].count(
        "Ildsjeler bærer satsingen") == 2


async def test_in_vivo_names_the_code_after_the_selected_words(wb_with_transcript):
    wb, summary = wb_with_transcript
    app = WorkbenchApp(wb)
    async with app.run_test(size=SIZE) as pilot:
        await open_coding(pilot)
        await find(pilot, "brukerne må få bestemme mer.")
        await pilot.press("i")
        await pilot.pause()
    assert stored(wb, summary.id) == [
        ("brukerne må få bestemme mer", "brukerne må få bestemme mer.")
    ]


async def test_repeat_last_code_and_overlapping_codes(wb_with_transcript):
    wb, summary = wb_with_transcript
    app = WorkbenchApp(wb)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_coding(pilot)
        await find(pilot, "tid til relasjonen")
        await pilot.press("c")
        await pick(pilot, "tid")
        await find(pilot, "fem år")
        await pilot.press("r")  # the same code on a new selection
        await pilot.pause()
        await find(pilot, "relasjonen")  # inside the first coding: overlapping codes
        await pilot.press("c")
        await pick(pilot, "relasjon")
        await pilot.press("c")
        await pick(pilot, "omsorg")  # a second code on the very same span
        assert {c.code_id for c in screen.codings_under_cursor()} == {
            c.id for c in wb.codes.list()
        }
        row = screen.view.cursor_location[0]
        assert any(span.style.underline for span in screen.view.get_line(row).spans)
    assert sorted(stored(wb, summary.id)) == [
        ("omsorg", "relasjonen"), ("relasjon", "relasjonen"), ("tid", "fem år"),
        ("tid", "tid til relasjonen"),
    ]


async def test_applying_the_same_code_twice_shows_the_service_error(wb_with_transcript):
    wb, summary = wb_with_transcript
    app = WorkbenchApp(wb)
    async with app.run_test(size=SIZE) as pilot:
        seen = recorded_notifications(app)
        await open_coding(pilot)
        await find(pilot, "fem år")
        await pilot.press("c")
        await pick(pilot, "tid")
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, CodingScreen)
    assert len(wb.codes.codings()) == 1
    assert t("coding.error.duplicate", name="tid") in seen


async def test_code_without_a_selection_explains_what_to_do(wb_with_transcript):
    wb, _ = wb_with_transcript
    app = WorkbenchApp(wb)
    async with app.run_test(size=SIZE) as pilot:
        seen = recorded_notifications(app)
        await open_coding(pilot)
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, CodingScreen)  # no picker
        await pilot.press("r")
        await pilot.pause()
    assert seen == [t("coding_ui.msg.no_selection"), t("coding_ui.msg.no_last_code")]
    assert wb.codes.codings() == []


async def test_remove_the_coding_under_the_cursor(wb_with_transcript):
    wb, summary = wb_with_transcript
    a = wb.codes.create("a")
    b = wb.codes.create("b")
    wb.codes.apply(summary.id, *span_of(wb, summary.id, "opplever håp"), code_id=a.id)
    wb.codes.apply(summary.id, *span_of(wb, summary.id, "håp, og at vi"), code_id=b.id)
    wb.codes.apply(summary.id, *span_of(wb, summary.id, "sykepleier"), code_id=b.id)
    app = WorkbenchApp(wb)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_coding(pilot)
        await find(pilot, "sykepleier")
        await pilot.press("escape")  # clear the selection: the cursor is in one coding
        await pilot.pause()
        assert len(screen.codings_under_cursor()) == 1
        await pilot.press("x")
        await pilot.pause()
        assert [name for name, _ in stored(wb, summary.id)] == ["a", "b"]
        await find(pilot, "håp")  # two codings here: the picker asks which
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, FuzzyPicker)
        await pick(pilot, "b")
    assert stored(wb, summary.id) == [("a", "opplever håp")]


async def test_memo_on_a_coding(wb_with_transcript):
    wb, summary = wb_with_transcript
    wb.codes.apply(summary.id, *span_of(wb, summary.id, "fem år"), name="erfaring")
    app = WorkbenchApp(wb)
    async with app.run_test(size=SIZE) as pilot:
        await open_coding(pilot)
        await find(pilot, "fem")
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, TextModal)
        await pilot.press(*"Lang", "space", *"erfaring")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CodingScreen)
    assert [c.memo for c in wb.codes.codings()] == ["Lang erfaring"]


async def test_undo_after_apply_refreshes_the_screen(wb_with_transcript):
    wb, summary = wb_with_transcript
    app = WorkbenchApp(wb)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_coding(pilot)
        await find(pilot, "fem år")
        await pilot.press("i")
        await pilot.pause()
        assert len(screen.view.codings) == 1
        await pilot.press("ctrl+z")
        await settle(pilot)  # the screen re-reads in a worker
        assert wb.codes.codings() == [] and screen.view.codings == {}
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert len(wb.codes.codings()) == 1 and len(screen.view.codings) == 1


# -- the clean reading text ----------------------------------------------------------------


async def test_a_selection_in_the_clean_view_codes_the_verbatim_span(wb_with_transcript):
    wb, summary = wb_with_transcript
    app = WorkbenchApp(wb)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_coding(pilot)
        await pilot.press("v")
        await pilot.pause()
        assert screen.clean
        assert "fem år." in screen.view.text and "(latter)" not in screen.view.text
        await find(pilot, "leder i fem år.")
        await pilot.press("c")
        await pick(pilot, "erfaring")
        assert stored(wb, summary.id) == [("erfaring", "leder i fem år (latter).")]
        coding = wb.codes.codings()[0]
        assert screen.view.codings_at(coding.start) == [coding]
        await pilot.press("v")  # back to verbatim: the same coding, painted in place
        await pilot.pause()
        assert "(latter)" in screen.view.text and not screen.clean
        row = screen.view.document.lines.index(
            "Jeg er sykepleier og har vært leder i fem år (latter)."
        )
        spans = screen.view.get_line(row).spans
        assert (spans[0].start, spans[-1].end) == (30, 54)


def test_layout_maps_offsets_exactly_both_ways(wb_with_transcript):
    wb, summary = wb_with_transcript
    transcript = wb.transcripts.get(summary.id)
    for clean in (False, True):
        doc = build_document(transcript, clean=clean)
        for piece in doc.pieces:
            span = doc.span_to_stored(piece.disp_start, piece.disp_end)
            assert span == (piece.start, piece.end)
            assert doc.stored_to_display(*span) == [(piece.disp_start, piece.disp_end)]
        # a selection across a speaker header covers the stored text between the turns
        turn1, turn2 = doc.pieces[1], doc.pieces[2]
        span = doc.span_to_stored(turn1.disp_end - 5, turn2.disp_start + 3)
        assert span is not None
        assert transcript.text[span[0] : span[1]] == "selv?\n\nJeg"
        header_only = doc.span_to_stored(turn1.disp_end + 1, turn2.disp_start - 1)
        assert header_only is None


# -- moving and finding --------------------------------------------------------------------


async def test_turn_and_same_speaker_navigation_moves_the_cursor(wb_with_transcript):
    wb, _ = wb_with_transcript
    app = WorkbenchApp(wb)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_coding(pilot)
        doc = screen.doc
        assert doc is not None
        view = screen.view
        assert view.cursor_location == (doc.turns[0].first_row, 0)
        await pilot.press("n", "n")
        assert view.cursor_location == (doc.turns[2].first_row, 0)  # Leder 1
        await pilot.press("a")  # Leder 1's next turn
        assert view.cursor_location == (doc.turns[5].first_row, 0)
        await pilot.press("p")
        assert view.cursor_location == (doc.turns[4].first_row, 0)
        await pilot.press("s")  # select the sentence
        a, b = view.display_span()
        assert doc.text[a:b] == "Hva betyr forbedring for dere?"


async def test_find_selects_the_next_match_and_wraps(wb_with_transcript):
    wb, summary = wb_with_transcript
    app = WorkbenchApp(wb)
    async with app.run_test(size=SIZE) as pilot:
        seen = recorded_notifications(app)
        screen = await open_coding(pilot)
        await pilot.press("slash")
        screen.query_one("#find-bar", Input).value = "DERE"
        await pilot.press("enter")
        first = screen.selected_span()
        await pilot.press("enter")
        second = screen.selected_span()
        text = wb.transcripts.get(summary.id).text
        assert first and second and second[0] > first[0]
        assert text[first[0] : first[1]] == text[second[0] : second[1]] == "dere"
        screen.query_one("#find-bar", Input).value = "finnes ikke"
        await pilot.press("enter")
        await pilot.pause()
    assert t("coding_ui.msg.not_found", query="finnes ikke") in seen


async def test_find_counts_hits_steps_back_and_esc_keeps_the_place(wb_with_transcript):
    wb, summary = wb_with_transcript
    app = WorkbenchApp(wb)
    async with app.run_test(size=(80, 12)) as pilot:
        screen = await open_coding(pilot)
        message = screen.query_one("#coding-message", Static)
        text = wb.transcripts.get(summary.id).text
        await pilot.press("slash")
        screen.query_one("#find-bar", Input).value = "dere"  # three hits
        await pilot.press("enter", "down", "down")
        assert str(message.render()) == t("coding_ui.msg.find_position", n=3, total=3)
        third = screen.selected_span()
        assert third is not None and text.rindex("dere") == third[0]
        await pilot.press("up")
        assert str(message.render()) == t("coding_ui.msg.find_position", n=2, total=3)
        await pilot.press("up", "up")  # from the first back round to the last
        assert str(message.render()).startswith(
            t("coding_ui.msg.find_position", n=3, total=3))
        cursor = screen.view.cursor_offset()
        await pilot.pause()
        scroll = screen.view.scroll_offset.y
        assert scroll > 0  # the last hit is further down than the first screen
        await pilot.press("escape")
        await pilot.pause()
        assert not screen.query_one("#find-bar", Input).has_class("-open")
        assert screen.view.selection.is_empty  # the hit is no longer marked
        assert screen.view.cursor_offset() == screen.view.display_span()[0]
        assert screen.doc is not None
        assert abs(screen.view.cursor_offset() - cursor) <= len("dere")
        # the view is a row taller without the bar: at the document's end it can scroll
        # one row less, never away from the hit
        assert scroll - 1 <= screen.view.scroll_offset.y <= scroll
        await pilot.press("ctrl+r")  # the previous hit from here, without the bar
        assert str(message.render()) == t("coding_ui.msg.find_position", n=2, total=3)


# -- the codebook ----------------------------------------------------------------------------


async def focus_code(pilot, screen: CodingScreen, name: str) -> None:  # type: ignore[no-untyped-def]
    code_id = next(c.id for c in screen.codes.values() if c.name == name)
    screen.tree.focus()
    screen.tree.select_code(code_id)
    await pilot.pause()


async def test_codebook_rename_merge_and_nest(wb_with_transcript):
    wb, summary = wb_with_transcript
    for name, needle in [("håp", "håp"), ("framtidstro", "opplever"), ("relasjon", "tid")]:
        wb.codes.apply(summary.id, *span_of(wb, summary.id, needle), name=name)
    app = WorkbenchApp(wb)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_coding(pilot)
        await focus_code(pilot, screen, "håp")
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, PromptModal)
        app.screen.query_one("#modal-input", Input).value = "håp om bedring"
        await pilot.press("enter")
        await pilot.pause()
        assert {c.name for c in wb.codes.list()} == {"håp om bedring", "framtidstro", "relasjon"}

        await focus_code(pilot, screen, "framtidstro")
        await pilot.press("j")  # merge into …
        await pick(pilot, "håp om bedring")
        codes = {c.name: c for c in wb.codes.list()}
        assert set(codes) == {"håp om bedring", "relasjon"} and codes["håp om bedring"].codings == 2
        assert {name for name, _ in stored(wb, summary.id)} == {"håp om bedring", "relasjon"}

        await focus_code(pilot, screen, "relasjon")
        await pilot.press("u")  # nest under …
        await pick(pilot, "håp om bedring")
        codes = {c.name: c for c in wb.codes.list()}
        assert codes["relasjon"].parent_id == codes["håp om bedring"].id
        node = screen.tree.nodes[codes["relasjon"].id]
        assert node.parent is screen.tree.nodes[codes["håp om bedring"].id]
        assert screen.tree.cursor_code_id == codes["relasjon"].id

        await pilot.press("u")  # and back to the top level
        await pick(pilot, "", "enter")
        assert wb.codes.find("relasjon").parent_id is None
        assert screen.tree.nodes[codes["relasjon"].id].parent is screen.tree.root


async def test_codebook_filter_colour_and_description(wb_with_transcript):
    wb, summary = wb_with_transcript
    wb.codes.create("håp")
    wb.codes.create("relasjon")
    app = WorkbenchApp(wb)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_coding(pilot)
        await pilot.press("f", *"rel")
        await pilot.pause()
        assert [screen.tree.codes[i].name for i in screen.tree.nodes] == ["relasjon"]
        await pilot.press("enter")  # to the tree
        await pilot.press("o")
        await pick(pilot, "grønn")
        assert wb.codes.find("relasjon").colour == "#59a14f"
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, TextModal)
        app.screen.query_one("#modal-text").text = "Om forholdet mellom ansatt og bruker."
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert wb.codes.find("relasjon").description == "Om forholdet mellom ansatt og bruker."


def add_second_transcript(wb):  # type: ignore[no-untyped-def]
    """A short second transcript, «fg2» of the Miljøterapeuter group."""
    return wb.transcripts.add_parsed(
        ParsedTranscript("txt", [
            ParsedTurn("Moderator", "Hva tenker dere om endringene?", 0, 3000),
            ParsedTurn("Miljøterapeut 1", "Vi har fått mer tid, og det gir håp.", 3000, 8000),
        ]),
        name="fg2", group="Miljøterapeuter",
    )


async def test_extracts_across_transcripts_and_jump_to_one(wb_with_transcript):
    wb, first = wb_with_transcript
    second = add_second_transcript(wb)
    wb.codes.apply(first.id, *span_of(wb, first.id, "opplever håp"), name="håp")
    target = span_of(wb, second.id, "det gir håp")
    wb.codes.apply(second.id, *target, name="håp")
    extracts = ExtractService(wb.store).for_code(wb.codes.find("håp").id)
    assert [(x.transcript_name, x.speaker, x.text) for x in extracts] == [
        ("fg1", "Leder 1", "opplever håp"), ("fg2", "Miljøterapeut 1", "det gir håp"),
    ]
    app = WorkbenchApp(wb)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_coding(pilot)
        await focus_code(pilot, screen, "håp")
        await pilot.press("e")
        await workers_done(app)
        await pilot.pause()
        assert isinstance(app.screen, ExtractsScreen)
        options = app.screen.query_one("#extracts-list", OptionList)
        assert options.option_count == 2
        await pilot.press("down", "enter")
        screen = await wait_loaded(pilot)
        assert screen.transcript_id == second.id
        assert screen.selected_span() == target


# -- read-only, keys, palette, language ----------------------------------------------------------


async def test_a_read_only_project_offers_no_coding(wb_with_transcript, tmp_path: Path):
    wb, summary = wb_with_transcript
    wb.codes.apply(summary.id, *span_of(wb, summary.id, "fem år"), name="erfaring")
    wb.close()
    readonly = Workbench.open(tmp_path / "studie.wbp", readonly=True)
    app = WorkbenchApp(readonly)
    try:
        async with app.run_test(size=SIZE) as pilot:
            screen = await open_coding(pilot)
            banner = screen.query_one("#coding-readonly", Static)
            assert banner.display and "Skrivebeskyttet" in str(banner.render())
            shown = {b.binding.action for b in screen.active_bindings.values()}
            assert "apply" not in shown and "next_turn" in shown
            await find(pilot, "fem år")
            await pilot.press("c", "i", "r", "x", "m")
            await pilot.pause()
            assert isinstance(app.screen, CodingScreen)
            provider = WorkbenchCommands(screen)
            group = t("coding_ui.palette.group") + ": "
            labels = [hit.text async for hit in provider.discover()]
            coding = [x for x in labels if x.startswith(group)]
            assert coding and not any(t("coding_ui.key.apply") == x.split(": ", 1)[1]
                                      for x in coding)
        assert len(readonly.codes.codings()) == 1
    finally:
        readonly.close()


def test_every_binding_has_an_id_and_help_in_both_languages():
    from workbench.tui.screens.coding.screen import CodingScreen as Screen

    ids = [b.id for b in Screen.BINDINGS]  # type: ignore[union-attr]
    assert all(ids) and len(set(ids)) == len(ids)
    for lang in ("nb", "en"):
        texts = catalogue(lang)
        for binding_id in ids:
            assert f"coding_ui.help.{binding_id.split('.', 1)[1]}" in texts
    nb = {k for k in catalogue("nb") if k.startswith("coding_ui.")}
    en = {k for k in catalogue("en") if k.startswith("coding_ui.")}
    assert nb == en


async def test_every_action_is_in_the_command_palette(wb_with_transcript):
    wb, _ = wb_with_transcript
    app = WorkbenchApp(wb)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_coding(pilot)
        provider = WorkbenchCommands(screen)
        group = t("coding_ui.palette.group") + ": "
        hits = [hit async for hit in provider.discover() if hit.text.startswith(group)]
        assert len(hits) == len(CodingScreen.BINDINGS)
        found = [hit async for hit in provider.search("vivo")]
        assert found and "In vivo" in str(found[0].text)
        await find(pilot, "fem år")
        await found[0].command()  # runs the action on the screen
        await pilot.pause()
    assert [c.name for c in wb.codes.list()] == ["fem år"]


async def test_keys_can_be_remapped_by_binding_id(wb_with_transcript, tmp_path, monkeypatch):
    config = tmp_path / "config.toml"
    config.write_text('[keys]\n"coding.in_vivo" = "ctrl+l"\n', encoding="utf-8")
    monkeypatch.setenv("WORKBENCH_CONFIG", str(config))
    wb, _ = wb_with_transcript
    app = WorkbenchApp(wb)
    async with app.run_test(size=SIZE) as pilot:
        await open_coding(pilot)
        await find(pilot, "fem år")
        await pilot.press("ctrl+l")
        await pilot.pause()
    assert [c.name for c in wb.codes.list()] == ["fem år"]


@pytest.mark.parametrize("lang", ["en"])
def test_english_strings_exist(lang):
    assert t("coding_ui.key.apply", lang=lang) == "Code"
    assert t("coding_ui.msg.no_selection", lang=lang).startswith("Select some text")


async def test_down_from_the_codebook_filter_goes_into_the_tree(wb_with_transcript):
    wb, _ = wb_with_transcript
    wb.codes.create("håp")
    app = WorkbenchApp(wb)
    async with app.run_test(size=(80, 24)) as pilot:  # the pane starts folded here
        screen = await open_coding(pilot)
        assert screen.codebook_folded
        await pilot.press("f")  # the filter: the pane shows while it is used
        assert not screen.codebook_folded and app.focused is screen.codebook.filter_input
        await pilot.press("down")
        assert app.focused is screen.tree
        await pilot.press("k")  # back to the text: the pane folds away again
        assert app.focused is screen.view and screen.codebook_folded
        await pilot.press("b")  # shown for good
        assert not screen.codebook_folded
        await pilot.press("b")
        assert screen.codebook_folded


# -- the kept coding screen ----------------------------------------------------------------


async def test_switching_transcripts_reuses_the_screen_with_the_right_content(wb_with_transcript):
    """The coding screen is made once: opening another transcript swaps its content (text,
    codings, counts, status) and keeps the codebook tree; the next key codes the new
    transcript and undo takes back that coding, not the one in the first transcript."""
    wb, first = wb_with_transcript
    second = add_second_transcript(wb)
    wb.codes.apply(second.id, *span_of(wb, second.id, "mer tid"), name="Tid")
    app = WorkbenchApp(wb)
    async with app.run_test(size=SIZE) as pilot:
        home = app.screen
        screen = await open_coding(pilot)
        assert screen.transcript_id == first.id and screen.view.codings == {}
        assert not home.is_current  # covered by the opaque coding screen: no repaints
        await find(pilot, "fem år")
        await pilot.press("i")  # in vivo: the code «fem år»
        await pilot.pause()
        assert stored(wb, first.id) == [("fem år", "fem år")]
        tree_nodes = dict(screen.tree.nodes)
        await pilot.press("escape", "escape")
        await settle(pilot)
        assert app.screen is home and home.is_current
        await pilot.press("down", "enter")  # fg2, the second row
        again = await wait_loaded(pilot)
        assert again is screen  # the same screen, not a new one
        assert screen.transcript_id == second.id
        assert "Vi har fått mer tid, og det gir håp." in screen.view.document.lines
        assert "fg2" in str(screen.query_one("#coding-status", Static).render())
        assert [(screen.codes[c.code_id].name, c.start, c.end)
                for c in screen.view.codings.values()] == [
            ("Tid", *span_of(wb, second.id, "mer tid"))]
        assert screen.tree.nodes == tree_nodes  # the codebook was not rebuilt
        counts = {c.name: c.codings for c in screen.codes.values()}
        assert counts == {"fem år": 1, "Tid": 1}
        await find(pilot, "det gir håp")
        await pilot.press("r")  # the last code, now on the second transcript
        await settle(pilot)
        assert stored(wb, second.id) == [("Tid", "mer tid"), ("fem år", "det gir håp")]
        label = screen.tree.nodes[wb.codes.find("fem år").id].label.plain
        assert label.endswith("  2")
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert stored(wb, second.id) == [("Tid", "mer tid")]
        assert stored(wb, first.id) == [("fem år", "fem år")]
        assert len(screen.view.codings) == 1
        assert screen.tree.nodes[wb.codes.find("fem år").id].label.plain.endswith("  1")
        await pilot.press("escape", "escape")  # the selection, then the screen
        await settle(pilot)
        assert app.screen is home
        await pilot.press("up", "enter")
        screen = await wait_loaded(pilot)
        assert screen.transcript_id == first.id
        assert [(c.start, c.end) for c in screen.view.codings.values()] == [
            span_of(wb, first.id, "fem år")]
