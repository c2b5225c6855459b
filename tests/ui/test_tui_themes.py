"""The theme map, the review screen, phases, journal and review mode, driven with Pilot.

Assertions are on what is stored (through the services), not on what is drawn.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import OptionList, Tree

from workbench.services import Workbench
from workbench.services.themes import walk
from workbench.tui.app import WorkbenchApp
from workbench.tui.screens.themes import (
    ChecklistModal,
    GoBackModal,
    JournalModal,
    ThemeMapScreen,
    ThemeReviewScreen,
)
from workbench.tui.screens.themes.map import NodeRef

from tests.themes_fixtures import build_study
from tests.ui.helpers import recorded_notifications, settle
from tests.unit.storage.test_changelog import dump


@pytest.fixture(autouse=True)
def _no_nlp_warm_up(monkeypatch):
    """The theme screens need no NLP; skip the app's background spaCy warm-up."""
    import workbench.nlp

    class _Idle:
        def warm_up(self, background: bool = False) -> None:
            return None

    monkeypatch.setattr(workbench.nlp, "get_pipeline", lambda *a, **k: _Idle())


def shape(wb: Workbench) -> list[tuple]:
    names = {c.id: c.name for c in wb.codes.list()}
    return [(d, th.name, [names[c] for c in th.code_ids]) for th, d in walk(wb.themes.tree())]


@pytest.fixture
def study(wb: Workbench):
    s = build_study(wb)
    c = s.codes
    s.a = wb.themes.create("Tid", code_ids=[c["tid til relasjon"], c["personavhengig"]]).id
    s.b = wb.themes.create("Håp", code_ids=[c["håp"]]).id
    return s


async def open_map(app: WorkbenchApp, pilot) -> ThemeMapScreen:
    await pilot.press("ctrl+t")
    await settle(pilot)  # the map is read in a thread worker
    assert isinstance(app.screen, ThemeMapScreen)
    return app.screen


async def press(pilot, *keys: str) -> None:
    """Press keys, then wait until the screens have read the changes they made."""
    await pilot.press(*keys)
    await settle(pilot)


async def go(pilot, screen: ThemeMapScreen, ref: NodeRef) -> None:
    await settle(pilot)
    tree = screen.query_one("#theme-tree", Tree)
    tree.focus()
    node = screen._find_node(tree, ref)
    assert node is not None, ref
    tree.move_cursor(node)
    await pilot.pause()
    assert screen._ref() == ref


async def answer(pilot, text: str) -> None:
    """Type into the open prompt and press Enter."""
    await pilot.pause()
    await pilot.press(*text, "enter")
    await settle(pilot)


async def test_indent_outdent_reorder_undo_and_refusals(study):
    wb = study.wb
    app = WorkbenchApp(wb)
    async with app.run_test(size=(140, 40)) as pilot:
        seen = recorded_notifications(app)
        screen = await open_map(app, pilot)
        await go(pilot, screen, NodeRef("theme", study.b))
        await pilot.press("greater_than_sign")
        await settle(pilot)
        assert [(d, n) for d, n, _ in shape(wb)] == [(0, "Tid"), (1, "Håp")]
        assert screen._ref() == NodeRef("theme", study.b)  # the cursor follows the theme
        await pilot.press("less_than_sign")
        await settle(pilot)
        assert [(d, n) for d, n, _ in shape(wb)] == [(0, "Tid"), (0, "Håp")]
        await pilot.press("alt+up")
        await settle(pilot)
        assert [n for _, n, _ in shape(wb)] == ["Håp", "Tid"]
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert [n for _, n, _ in shape(wb)] == ["Tid", "Håp"]
        tree = screen.query_one("#theme-tree", Tree)
        assert [str(n.label).split("  ")[0] for n in tree.root.children] == ["Tid", "Håp"]
        # bad input: refused with a message, nothing changed
        before = dump(wb)
        await go(pilot, screen, NodeRef("theme", study.a))
        await pilot.press("greater_than_sign")  # first theme: nothing above it
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("backspace", "backspace", "backspace")
        await answer(pilot, "håp")  # duplicate name at the same level
        await pilot.press("m")
        await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)
        assert dump(wb) == before
        assert any("først på sitt nivå" in m for m in seen)
        assert any("finnes allerede" in m for m in seen)


async def test_cut_paste_link_merge_split_promote_demote(study):
    wb, c = study.wb, study.codes
    app = WorkbenchApp(wb)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_map(app, pilot)
        await go(pilot, screen, NodeRef("code", study.a, c["personavhengig"]))
        await pilot.press("ctrl+x")
        await go(pilot, screen, NodeRef("theme", study.b))
        await pilot.press("ctrl+v")
        await settle(pilot)
        assert shape(wb) == [(0, "Tid", ["tid til relasjon"]), (0, "Håp", ["håp", "personavhengig"])]
        await go(pilot, screen, NodeRef("code", study.b, c["personavhengig"]))
        await pilot.press("alt+up")
        await settle(pilot)
        assert shape(wb)[1] == (0, "Håp", ["personavhengig", "håp"])
        await pilot.press("l")  # also under another theme
        await settle(pilot)
        await pilot.press("enter")  # the only other theme: Tid
        await settle(pilot)
        assert shape(wb)[0] == (0, "Tid", ["tid til relasjon", "personavhengig"])
        # a free code, cut from the list and pasted on a theme
        await pilot.press("tab")
        screen.query_one("#free-codes", OptionList).focus()
        await settle(pilot)
        await pilot.press("ctrl+x")
        await go(pilot, screen, NodeRef("theme", study.a))
        await pilot.press("ctrl+v")
        await settle(pilot)
        assert shape(wb)[0][2] == ["tid til relasjon", "personavhengig", "brukeren bestemmer"]
        await pilot.press("ctrl+z", "ctrl+z", "ctrl+z", "ctrl+z")  # back to the start
        await settle(pilot)
        assert shape(wb) == [
            (0, "Tid", ["tid til relasjon", "personavhengig"]), (0, "Håp", ["håp"]),
        ]
        await go(pilot, screen, NodeRef("theme", study.a))
        await pilot.press("k")  # split Tid: tick the first code, confirm, name it
        await settle(pilot)
        await pilot.press("space", "ctrl+s")
        await answer(pilot, "Tid til relasjon")
        assert shape(wb) == [
            (0, "Tid", ["personavhengig"]), (0, "Tid til relasjon", ["tid til relasjon"]),
            (0, "Håp", ["håp"]),
        ]
        await pilot.press("m")  # merge the new theme (selected) into … Tid
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert shape(wb) == [(0, "Tid", ["personavhengig", "tid til relasjon"]), (0, "Håp", ["håp"])]
        await go(pilot, screen, NodeRef("theme", study.b))
        await pilot.press("P")  # demote under the theme above (highlighted by default)
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert [(d, n) for d, n, _ in shape(wb)] == [(0, "Tid"), (1, "Håp")]
        await pilot.press("p")
        await settle(pilot)
        assert [(d, n) for d, n, _ in shape(wb)] == [(0, "Tid"), (0, "Håp")]




async def test_rename_definition_status_discard_misc_delete(study):
    wb, c = study.wb, study.codes
    app = WorkbenchApp(wb)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_map(app, pilot)
        await go(pilot, screen, NodeRef("theme", study.b))
        await pilot.press("r")
        await settle(pilot)
        await pilot.press("end")
        await answer(pilot, " for brukeren")
        assert wb.themes.get(study.b).name == "Håp for brukeren"
        await pilot.press("e")
        await settle(pilot)
        await pilot.press(*"Om å bære håpet", "ctrl+s")
        await settle(pilot)
        assert wb.themes.get(study.b).definition == "Om å bære håpet"
        await pilot.press("s", "s")
        await settle(pilot)
        assert wb.themes.get(study.b).status == "defined"
        await pilot.press("x")
        await settle(pilot)
        assert wb.themes.get(study.b).status == "discarded"
        await go(pilot, screen, NodeRef("code", study.a, c["personavhengig"]))
        await pilot.press("b")  # into the misc bin, made on the fly
        await settle(pilot)
        misc = wb.themes.misc()
        assert misc is not None and misc.name == "Diverse"
        assert shape(wb)[-1] == (0, "Diverse", ["personavhengig"])
        await go(pilot, screen, NodeRef("code", study.a, c["tid til relasjon"]))
        await pilot.press("delete")  # takes the code out of the theme
        await settle(pilot)
        assert shape(wb)[0] == (0, "Tid", [])
        await go(pilot, screen, NodeRef("theme", study.a))
        await pilot.press("delete")
        await settle(pilot)
        assert [n for _, n, _ in shape(wb)] == ["Håp for brukeren", "Diverse"]
        await pilot.press("ctrl+z")
        await settle(pilot)
        assert [n for _, n, _ in shape(wb)] == ["Tid", "Håp for brukeren", "Diverse"]


async def test_new_theme_from_marked_codes_then_review_it(study):
    wb, c = study.wb, study.codes
    app = WorkbenchApp(wb)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_map(app, pilot)
        assert "Fase 1" in app.sub_title
        await pilot.press("tab")  # to the codes under no theme
        assert isinstance(app.focused, OptionList)
        await pilot.press("space", "space")  # marking moves on to the next code
        assert len(screen.marked) == 2
        await pilot.press("n")
        await answer(pilot, "Brukeren bestemmer i det små")
        assert screen.marked == set()
        assert shape(wb)[-1] == (0, "Brukeren bestemmer i det små", ["brukeren bestemmer", "latter"])
        await go(pilot, screen, NodeRef("theme", study.a))
        await pilot.press("v")
        await settle(pilot)
        await settle(pilot)
        review = app.screen
        assert isinstance(review, ThemeReviewScreen)
        extracts = review.loaded.review.all
        assert [x.speaker for x in extracts] == ["Leder 1", "Miljøterapeut 1", "Miljøterapeut 1"]
        first = extracts[0].coding_id
        await pilot.press("q")
        await settle(pilot)
        assert [x.is_quote for x in wb.codes.codings() if x.id == first] == [True]
        await pilot.press("c")
        await answer(pilot, "Godt sitat")
        assert wb.review.comments()[0].anchor_kind == "coding"
        await pilot.press("m")
        await settle(pilot)
        await pilot.press("enter")  # Håp, which has one code
        await settle(pilot)
        await settle(pilot)
        assert [x.code_id for x in wb.codes.codings() if x.id == first] == [c["håp"]]
        group_table = review.query_one("#by-group")
        assert group_table.row_count == 3  # every theme, for comparison
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, ThemeMapScreen)


async def test_phase_moves_journal_and_checklist_from_any_screen(wb):
    app = WorkbenchApp(wb)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f6")
        await settle(pilot)
        assert wb.phases.current() == 2 and "Fase 2" in app.sub_title
        await pilot.press("f6")
        await settle(pilot)
        await pilot.press("f5")
        await settle(pilot)
        assert isinstance(app.screen, GoBackModal)
        await pilot.press("enter")  # no reason: refused, stays open
        await settle(pilot)
        assert isinstance(app.screen, GoBackModal) and wb.phases.current() == 3
        await pilot.press("down")  # phase 1 instead of 2
        await pilot.press(*"Temaene speilet guiden", "enter")
        await settle(pilot)
        assert wb.phases.current() == 1
        assert wb.phases.history()[-1].reason == "Temaene speilet guiden"
        assert "Fase 1" in app.sub_title
        await pilot.press("ctrl+j")
        await settle(pilot)
        assert isinstance(app.screen, JournalModal)
        await pilot.press(*"Jeg leste på nytt.", "ctrl+s")
        await settle(pilot)
        assert [(e.phase, e.text) for e in wb.journal.list()] == [(1, "Jeg leste på nytt.")]
        await pilot.press("escape", "f7")
        await settle(pilot)
        assert isinstance(app.screen, ChecklistModal) and app.screen.phase == 1
        await pilot.press("right")
        assert app.screen.phase == 2


# -- review mode --------------------------------------------------------------------------


@pytest.fixture
def supervisor(tmp_path: Path):
    path = tmp_path / "studie.wbp"
    with Workbench.create(path, actor="forsker") as wb:
        s = build_study(wb)
        c = s.codes
        a = wb.themes.create("Tid", code_ids=[c["tid til relasjon"], c["personavhengig"]]).id
        b = wb.themes.create("Håp", code_ids=[c["håp"]]).id
    wb = Workbench.open(path, actor="veileder")
    yield wb, a, b, c
    wb.close()


MAP_KEYS = [
    "n", "a", "r", "e", "s", "x", "greater_than_sign", "less_than_sign", "alt+up", "alt+down",
    "ctrl+x", "ctrl+v", "l", "m", "k", "p", "P", "b", "delete", "f6", "f5", "ctrl+z",
]


async def test_review_mode_changes_nothing_but_comments(supervisor):
    wb, a, b, c = supervisor
    app = WorkbenchApp(wb, review=True)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_map(app, pilot)
        assert "Veiledermodus (veileder)" in app.sub_title
        assert screen.query_one("#review-banner").display
        before = dump(wb)
        for ref in (NodeRef("theme", a), NodeRef("code", a, c["personavhengig"])):
            await go(pilot, screen, ref)
            await pilot.press(*MAP_KEYS)  # hidden and disabled: no modal opens, nothing runs
            await settle(pilot)
            assert app.screen is screen
        await pilot.press("tab", "space", "n")
        await settle(pilot)
        assert app.screen is screen and not screen.marked
        assert dump(wb) == before
        for action in ("new_theme", "rename", "indent", "merge", "split", "paste", "misc", "delete"):
            assert screen.check_action(action, ()) is False
        assert screen.check_action("merge", ()) is False
        assert screen.check_action("comment", ()) is True
        assert app.check_action("phase_next", ()) is False
        # comments are allowed
        await go(pilot, screen, NodeRef("theme", b))
        await pilot.press("c")
        await answer(pilot, "Bare én gruppe?")
        await pilot.press("v")
        await settle(pilot)
        await settle(pilot)
        review = app.screen
        assert isinstance(review, ThemeReviewScreen)
        for key in ("q", "m", "r"):
            await pilot.press(key)
            await settle(pilot)
        assert isinstance(app.screen, ThemeReviewScreen)
        await pilot.press("c")
        await answer(pilot, "Fint sitat")
        await pilot.press("ctrl+j")
        await settle(pilot)
        await pilot.press(*"hei", "ctrl+s", "escape")
        await settle(pilot)
    comments = wb.review.comments()
    assert [(x.anchor_kind, x.author, x.text) for x in comments] == [
        ("theme", "veileder", "Bare én gruppe?"), ("coding", "veileder", "Fint sitat"),
    ]
    assert wb.journal.list() == []
    assert [h.name for h in wb.history()[:2]] == ["comment.add", "comment.add"]
    assert shape(wb) == [(0, "Tid", ["tid til relasjon", "personavhengig"]), (0, "Håp", ["håp"])]


def test_bindings_have_ids_and_every_string_exists_in_both_languages():
    from workbench.i18n import catalogue
    from workbench.tui.screens.themes import modals
    from workbench.tui.widgets import modals as family

    screens = [ThemeMapScreen, ThemeReviewScreen, ChecklistModal, GoBackModal, JournalModal,
               modals.CommentsModal, family.TextModal, family.MultiChoiceModal,
               family.LinesModal]
    binding_ids: set[str] = set()
    for screen in screens:
        ids = [b.id for b in screen.BINDINGS]
        assert all(ids) and len(set(ids)) == len(ids), screen
        binding_ids |= set(ids)
    tables = ("themes", "themes_ui", "review", "review_ui", "journal_ui", "phase_ui", "phases",
              "checklist", "diff", "themes_cli")
    nb = {k for k in catalogue("nb") if k.split(".", 1)[0] in tables}
    en = {k for k in catalogue("en") if k.split(".", 1)[0] in tables}
    assert nb == en and len(nb) > 200
    import re

    used: set[str] = set()
    root = Path(__file__).resolve().parents[2] / "workbench"
    files = [*root.glob("tui/screens/themes/*.py"), root / "cli/themes.py", root / "services/themes.py",
             root / "services/theme_metrics.py", root / "services/checklist.py",
             root / "services/phases.py", root / "services/journal.py", root / "services/notes.py",
             root / "services/review.py", root / "services/snapshots.py",
             root / "services/review_mode.py"]
    for path in files:
        used |= set(re.findall(r'"((?:%s)\.[a-z_.]+[a-z_])"' % "|".join(tables), path.read_text("utf-8")))
    used -= binding_ids
    assert used <= nb, used - nb


async def test_the_theme_map_keys_are_in_the_command_palette_with_their_current_key(
        study, tmp_path, monkeypatch):
    from workbench.i18n import t
    from workbench.tui.widgets.modals import PromptModal
    from workbench.tui.widgets.palette import WorkbenchCommands

    config = tmp_path / "config.toml"
    config.write_text('[keys]\n"themes.new" = "ctrl+n"\n', encoding="utf-8")
    monkeypatch.setenv("WORKBENCH_CONFIG", str(config))
    app = WorkbenchApp(study.wb)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_map(app, pilot)
        provider = WorkbenchCommands(screen)
        group = t("tui.palette.theme_map") + ": "
        hits = {hit.text: hit async for hit in provider.discover()}
        new = hits[group + t("themes_ui.key.new")]
        assert "ctrl+n" in str(new.help)
        assert t("themes_ui.palette.journal") in hits  # the app's commands too
        await new.command()
        await pilot.pause()
        assert isinstance(app.screen, PromptModal)


async def test_review_mode_palette_lists_only_what_a_supervisor_may_do(supervisor):
    from workbench.i18n import t
    from workbench.tui.widgets.palette import WorkbenchCommands

    wb, *_ = supervisor
    app = WorkbenchApp(wb, review=True)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_map(app, pilot)
        labels = [hit.text async for hit in WorkbenchCommands(screen).discover()]
        group = t("tui.palette.theme_map") + ": "
        shown = {x.removeprefix(group) for x in labels if x.startswith(group)}
        assert t("review_ui.key.comment") in shown and t("themes_ui.key.new") not in shown
        assert t("themes_ui.palette.next") not in labels  # a supervisor does not move phases
        assert t("merge.tui.palette") not in labels  # nor merges a colleague's codings
        assert t("privacy.tui.palette") not in labels


async def test_a_change_from_another_process_reaches_the_open_map(study, tmp_path):
    """A poller of the change log posts the same DataChanged; the map re-reads (in a
    worker) and shows what the other process did."""
    wb = study.wb
    app = WorkbenchApp(wb)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_map(app, pilot)
        with Workbench.open(Path(wb.store.label), actor="kari") as other:
            other.themes.create("Ny fra Kari")
        tree = screen.query_one("#theme-tree", Tree)
        names = [str(n.label).split("  ")[0] for n in tree.root.children]
        assert "Ny fra Kari" not in names
        app.announce("external", "theme.create", "kari")
        await settle(pilot)
        names = [str(n.label).split("  ")[0] for n in tree.root.children]
        assert names[-1] == "Ny fra Kari"


async def test_the_map_and_the_review_are_read_in_worker_threads(study, monkeypatch):
    """Opening, a change and an undo read the map (and the review screen its extracts and
    matrices) off the UI thread."""
    import threading

    wb = study.wb
    threads: list[tuple[str, bool]] = []

    def spy(name: str, fn):  # type: ignore[no-untyped-def]
        def read(*args, **kwargs):  # type: ignore[no-untyped-def]
            threads.append((name, threading.current_thread() is threading.main_thread()))
            return fn(*args, **kwargs)
        return read

    monkeypatch.setattr(wb.metrics, "map", spy("map", wb.metrics.map))
    monkeypatch.setattr(wb.metrics, "extracts", spy("extracts", wb.metrics.extracts))
    monkeypatch.setattr(wb.metrics, "matrix", spy("matrix", wb.metrics.matrix))
    app = WorkbenchApp(wb)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = await open_map(app, pilot)
        await go(pilot, screen, NodeRef("theme", study.b))
        await press(pilot, "greater_than_sign")
        await press(pilot, "ctrl+z")
        await press(pilot, "v")
        assert isinstance(app.screen, ThemeReviewScreen)
        await press(pilot, "q")
    names = [name for name, _ in threads]
    assert names.count("map") == 3 and names.count("extracts") == 2
    assert not any(on_ui for _, on_ui in threads)
