"""Merging a colleague's work (services/merge.py): their codings on our transcripts, under
their coder names, matched by text; a changed text reported, never coded at shifted offsets;
one undoable command. ``wb`` is our project on the test's backend; the colleague's project
is always a file (what they send)."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from workbench.domain.parsed import ParsedTranscript, ParsedTurn
from workbench.i18n import UserError
from workbench.services import Workbench
from workbench.services.merge import MergeService, report_lines

from tests.unit.storage.test_changelog import dump

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"

TURNS = [
    ("Moderator", "Velkommen. Kan dere fortelle litt om dere selv?"),
    ("Leder 1", "Jeg er sykepleier og har vært leder i fem år."),
    ("Leder 2", "Vernepleier. Jeg tenker at brukerne må få bestemme mer. Det gir håp."),
    ("Moderator", "Hva betyr forbedring for dere?"),
    ("Leder 1", "At brukeren opplever håp, og at vi har tid til relasjonen."),
]
OLD = "Jeg tenker at brukerne må få bestemme mer."
NEW = "Jeg mener nok at brukerne bør bestemme mer selv."
STAFF = [
    ("Moderator", "Hva betyr den nye arbeidsmåten for dere?"),
    ("Miljøterapeut 1", "Vi har ikke tid til å snakke med brukerne om kvelden."),
]


def parsed(turns, replace: tuple[str, str] | None = None) -> ParsedTranscript:
    out = []
    for speaker, text in turns:
        if replace:
            text = text.replace(*replace)
        out.append(ParsedTurn(speaker, text))
    return ParsedTranscript(source_format="txt", turns=out)


def span(text: str, phrase: str) -> tuple[int, int]:
    start = text.index(phrase)
    return start, start + len(phrase)


def ids(wb: Workbench) -> dict[str, int]:
    return {tr.name: tr.id for tr in wb.info().transcripts}


def codings(wb: Workbench) -> list[tuple[str, str, str, str]]:
    """(transcript, code, coder, coded text) of every coding, sorted."""
    names = {c.id: c.name for c in wb.codes.list()}
    texts = {tid: wb.transcripts.get(tid).text for tid in ids(wb).values()}
    tnames = {v: k for k, v in ids(wb).items()}
    return sorted(
        (tnames[c.transcript_id], names[c.code_id], c.coder, texts[c.transcript_id][c.start:c.end])
        for c in wb.codes.codings()
    )


def code(wb: Workbench, tr: str, phrase: str, code_name: str, memo: str = ""):
    tid = ids(wb)[tr]
    text = wb.transcripts.get(tid).text
    found = wb.codes.find(code_name)
    if found is not None:
        return wb.codes.apply(tid, *span(text, phrase), code_id=found.id, memo=memo)
    return wb.codes.apply(tid, *span(text, phrase), name=code_name, memo=memo)


@pytest.fixture
def ours(wb: Workbench) -> Workbench:
    """Our project: fg1 and fg2, a code «Håp» and one coding of ours."""
    wb.transcripts.add_parsed(parsed(TURNS), name="fg1")
    wb.transcripts.add_parsed(parsed(STAFF), name="fg2")
    code(wb, "fg1", "Det gir håp", "Håp")
    return wb


def colleague(tmp_path: Path, *, changed: bool = True, name: str = "per.wbp") -> Path:
    """Per's own project: fg1 with one changed sentence, fg2 the same, fg3 that we lack."""
    folder = tmp_path / "fra per"
    folder.mkdir(exist_ok=True)
    path = folder / name
    with Workbench.create(path, title="Pers prosjekt", actor="per") as per:
        per.transcripts.add_parsed(parsed(TURNS, (OLD, NEW) if changed else None), name="fokus 1")
        per.transcripts.add_parsed(parsed(STAFF), name="fg2")
        per.transcripts.add_parsed(parsed([("Moderator", "Et helt annet intervju.")]), name="fg3")
        code(per, "fokus 1", "Det gir håp", "håp")  # the same span and code as ours
        code(per, "fokus 1", "Velkommen", "håp", memo="Åpningen er varm.")
        code(per, "fokus 1", "brukerne bør bestemme mer selv" if changed else
             "brukerne må få bestemme mer", "brukeren bestemmer")  # the changed sentence
        code(per, "fokus 1", "Vernepleier. Jeg mener" if changed else "Vernepleier. Jeg tenker",
             "yrke")  # touches the change
        code(per, "fokus 1", "Vernepleier. Jeg", "yrke")  # ends where the change begins
        code(per, "fokus 1", "vi har tid til relasjonen", "tid til relasjon")
        code(per, "fg2", "Vi har ikke tid", "tid til relasjon")
        code(per, "fg3", "helt annet", "tid til relasjon")
    return path


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_changed_sentence_is_reported_and_codings_elsewhere_come_in_exactly(ours, tmp_path):
    path = colleague(tmp_path)
    before = digest(path)
    result = MergeService(ours.store).merge(path)
    assert digest(path) == before
    assert sorted(p.name for p in path.parent.iterdir()) == ["per.wbp"]  # nothing beside it

    assert codings(ours) == sorted([
        ("fg1", "Håp", "tester", "Det gir håp"),
        # the same span and code by another coder: a coding of its own, not merged with ours
        ("fg1", "Håp", "per", "Det gir håp"),
        ("fg1", "Håp", "per", "Velkommen"),
        ("fg1", "tid til relasjon", "per", "vi har tid til relasjonen"),
        ("fg1", "yrke", "per", "Vernepleier. Jeg"),
        ("fg2", "tid til relasjon", "per", "Vi har ikke tid"),
    ])
    assert result.codings_added == 5
    assert result.coders == (("per", 5),)
    fg1 = next(x for x in result.transcripts if x.name == "fg1")
    assert fg1.their_name == "fokus 1" and fg1.changed and fg1.added == 4
    # where it differs: our line and turn, and the first words of both versions
    assert len(fg1.differences) == 1
    diff = fg1.differences[0]
    assert (diff.line, diff.turn) == (5, 3)
    assert diff.ours.startswith("tenker at brukerne må få bestemme mer.")
    assert diff.theirs.startswith("mener nok at brukerne bør bestemme mer selv.")
    # nothing on the changed part: both codings that touch it are listed, not coded
    assert sorted((s.code, s.coder, s.line, s.text) for s in fg1.skipped) == [
        ("brukeren bestemmer", "per", 5, "brukerne bør bestemme mer selv"),
        ("yrke", "per", 5, "Vernepleier. Jeg mener"),
    ]
    assert {c.name for c in ours.codes.list()} == {"Håp", "tid til relasjon", "yrke"}
    assert result.codes_added == ("yrke", "tid til relasjon")  # in the order of their codebook
    fg2 = next(x for x in result.transcripts if x.name == "fg2")
    assert not fg2.changed and fg2.added == 1
    assert result.missing == ("fg3",)
    memo = next(c.memo for c in ours.codes.codings() if c.coder == "per" and c.start == 0)
    assert memo == "Åpningen er varm."
    text = "\n".join(report_lines(result))
    assert "linje 5, ytring 3" in text and "«tenker at brukerne må få bestemme mer. Det …»" in text
    assert "«fg3»" in text


def test_codes_by_guid_then_by_name_and_a_new_code_under_its_parent(ours, tmp_path):
    # Per starts from our export (same GUIDs), renames our code and adds his own
    qdpx = tmp_path / "ours.qdpx"
    ours.exchange.export_qdpx(qdpx)
    path = tmp_path / "per.wbp"
    with Workbench.create(path, actor="per") as per:
        per.exchange.import_qdpx(qdpx)
        hope = per.codes.find("Håp")
        per.codes.rename(hope.id, "håp og tro")  # matched by GUID, whatever its name
        child = per.codes.create("lys i tunnelen", description="Konkret håp", colour="#123456",
                                 parent_id=hope.id)
        code(per, "fg1", "opplever håp", "håp og tro")
        code(per, "fg1", "Jeg er sykepleier", "lys i tunnelen")
        code(per, "fg2", "ikke tid", "TID TIL RELASJON")  # a new code of his ...
    theirs_guid = child.guid
    ours.codes.create("tid til relasjon")  # ... which we have too, by name (other GUID)

    result = MergeService(ours.store).merge(path)
    assert result.codings_added == 3  # our own coding, in his copy, is not doubled
    assert (result.codes_by_guid, result.codes_by_name) == (1, 1)
    assert result.codes_added == ("lys i tunnelen",)
    by_name = {c.name: c for c in ours.codes.list()}
    assert set(by_name) == {"Håp", "tid til relasjon", "lys i tunnelen"}
    new = by_name["lys i tunnelen"]
    assert (new.parent_id, new.description, new.colour, new.guid) == (
        by_name["Håp"].id, "Konkret håp", "#123456", theirs_guid)
    assert codings(ours) == sorted([
        ("fg1", "Håp", "tester", "Det gir håp"),
        ("fg1", "Håp", "per", "opplever håp"),
        ("fg1", "lys i tunnelen", "per", "Jeg er sykepleier"),
        ("fg2", "tid til relasjon", "per", "ikke tid"),
    ])


def test_the_merge_is_one_command_undone_and_redone_whole(ours, tmp_path):
    path = colleague(tmp_path)
    before, history = dump(ours), len(ours.history())
    MergeService(ours.store).merge(path)
    after = dump(ours)
    assert after != before
    entries = ours.history()
    assert len(entries) == history + 1
    assert entries[0].name == "merge.colleague"
    assert entries[0].summary == ("Slo inn 5 utdrag fra kollegaens fil «per.wbp», kodet av per; "
                                  "nye koder: 2")
    ours.undo()
    assert dump(ours) == before
    ours.redo()
    assert dump(ours) == after


def test_merging_twice_adds_nothing_the_second_time(ours, tmp_path):
    path = colleague(tmp_path)
    service = MergeService(ours.store)
    first = service.merge(path)
    state, history = dump(ours), len(ours.history())
    second = service.merge(path)
    assert first.codings_added == 5 and not first.already_merged
    assert second.already_merged
    assert (second.codings_added, second.codings_present, second.codes_added) == (0, 5, ())
    assert (dump(ours), len(ours.history())) == (state, history)
    assert report_lines(second)[0] == ("Alt i «per.wbp» er slått inn fra før (5 kodinger): "
                                       "ingenting nytt.")
    # after an undo, the same merge brings it all in again
    ours.undo()
    assert MergeService(ours.store).merge(path).codings_added == 5


def test_from_a_qdpx_with_memos_and_notes_on_codings(ours, tmp_path):
    path = tmp_path / "per.wbp"
    with Workbench.create(path, actor="per") as per:
        per.transcripts.add_parsed(parsed(TURNS, (OLD, NEW)), name="fg1")
        c = code(per, "fg1", "tid til relasjonen", "relasjon", memo="Kjernen.")
        per.notes.add("coding", c.id, "Se også fg2.", title="Kobling")
        code(per, "fg1", "bør bestemme", "relasjon")
        per.exchange.export_qdpx(tmp_path / "per.qdpx")
    result = MergeService(ours.store).merge(tmp_path / "per.qdpx")
    assert result.codings_added == 1 and result.notes_added == 1
    skipped = result.transcripts[0].skipped
    assert [(s.code, s.text) for s in skipped] == [("relasjon", "bør bestemme")]
    assert codings(ours)[-1] == ("fg1", "relasjon", "per", "tid til relasjonen")
    merged = next(c for c in ours.codes.codings() if c.coder == "per")
    assert merged.memo == "Kjernen."
    notes = ours.notes.list("coding", merged.id)
    assert [(n.title, n.text, n.author) for n in notes] == [("Kobling", "Se også fg2.", "per")]
    assert MergeService(ours.store).merge(tmp_path / "per.qdpx").already_merged


def test_an_older_schema_file_is_read_from_a_copy_and_left_as_it_was(wb, tmp_path):
    folder = tmp_path / "fra kollega"
    folder.mkdir()
    path = folder / "gammel.wbp"
    shutil.copy(FIXTURES / "schema_v3.wbp", path)
    before = digest(path)
    # our transcript has the text of theirs (the stored, pseudonymised text)
    wb.transcripts.add_parsed(ParsedTranscript(source_format="txt", turns=[
        ParsedTurn(None, "Velkommen, Leder 1 og Leder 2."),
        ParsedTurn(None, "Jeg heter Leder 1 og jobber med Kollega A på Solbakken."),
        ParsedTurn(None, "Hei Leder 1. Leder 1s poeng er godt."),
    ]), name="intervju")
    result = MergeService(wb.store).merge(path)
    assert result.codings_added == 1
    assert codings(wb)[0][2] == "forsker"
    assert digest(path) == before
    assert [p.name for p in folder.iterdir()] == ["gammel.wbp"]  # no backup, key or journal


def test_text_entering_goes_through_our_pseudonymisation(wb, tmp_path):
    wb.privacy.remember([("Kari", "Leder 1")])
    wb.transcripts.add_parsed(parsed(TURNS), name="fg1")
    (tmp_path / "fra per").mkdir()
    path = tmp_path / "fra per" / "intervju Kari.wbp"
    with Workbench.create(path, actor="per") as per:  # his copy still has the real name
        per.transcripts.add_parsed(parsed(TURNS, ("Leder 1", "Kari")), name="fg1")
        code(per, "fg1", "At brukeren opplever håp", "håp", memo="Kari er tydelig her.")
        code(per, "fg1", "sykepleier", "Karis yrke")
    result = MergeService(wb.store).merge(path)
    assert result.codings_added == 2 and not result.transcripts[0].changed
    assert codings(wb) == sorted([
        ("fg1", "håp", "per", "At brukeren opplever håp"),
        ("fg1", "Leder 1s yrke", "per", "sykepleier"),
    ])
    assert {c.memo for c in wb.codes.codings()} == {"Leder 1 er tydelig her.", ""}
    entry = wb.history()[0]
    assert "«intervju Leder 1.wbp»" in entry.summary  # the file's name, as the log keeps it
    assert "Kari" not in str(entry.args)


def test_only_the_coders_asked_for_and_the_role_of_the_merger(ours, tmp_path):
    path = colleague(tmp_path)
    with pytest.raises(UserError) as err:
        MergeService(ours.store).merge(path, coders=["kari"])
    assert err.value.key == "merge.error.unknown_coder"
    assert "per" in err.value.message()
    assert MergeService(ours.store).merge(path, coders=["Per"]).codings_added == 5


def test_a_co_coder_may_not_merge(project_target, tmp_path):
    with Workbench.create(project_target, actor="forsker") as wb:
        wb.members.add("forsker", "researcher")
        wb.members.add("kari", "co-coder")
        wb.transcripts.add_parsed(parsed(TURNS), name="fg1")
    path = colleague(tmp_path)
    with Workbench.open(project_target, actor="kari") as kari:
        before = dump(kari)
        with pytest.raises(UserError) as err:
            MergeService(kari.store).merge(path)
        assert err.value.key == "storage.error.role_refused"
        assert dump(kari) == before
    with Workbench.open(project_target, actor="forsker") as forsker:
        assert MergeService(forsker.store).merge(path).codings_added == 4  # fg1 only


def test_a_change_by_someone_else_between_reading_and_writing_is_planned_again(
        ours, tmp_path, monkeypatch, project_target):
    from workbench.services import merge as merge_module

    path = colleague(tmp_path)
    planner = merge_module._Planner
    original = planner.plan
    calls = []

    def plan(self, s):  # type: ignore[no-untyped-def]
        result = original(self, s)
        calls.append(len(result.rows))
        if len(calls) == 1:  # after the first reading, per codes one of the same himself
            with Workbench.open(project_target, actor="per") as other:
                code(other, "fg2", "Vi har ikke tid", "tid til relasjon")
        return result

    monkeypatch.setattr(planner, "plan", plan)
    result = MergeService(ours.store).merge(path)
    assert calls == [5, 4, 4]  # read, then under the lock: changed, so once more
    assert (result.codings_added, result.codings_present) == (4, 1)
    assert ours.history()[0].summary.startswith("Slo inn 4 utdrag")
    assert sum(1 for c in ours.codes.codings() if c.coder == "per") == 5


def test_a_coder_who_shares_a_name_with_an_informant_keeps_their_name(wb, tmp_path):
    wb.privacy.remember([("Kari", "Leder 1")])
    wb.transcripts.add_parsed(parsed(TURNS), name="fg1")
    path = tmp_path / "kari.wbp"
    with Workbench.create(path, actor="kari") as kari:
        kari.transcripts.add_parsed(parsed(TURNS), name="fg1")
        code(kari, "fg1", "At brukeren opplever håp", "håp")
    result = MergeService(wb.store).merge(path, coders=["kari"])
    assert result.codings_added == 1
    assert codings(wb) == [("fg1", "håp", "kari", "At brukeren opplever håp")]
