"""REFI-QDA exchange: strict, schema-valid exports; exact round trips; lenient, safe imports."""

from __future__ import annotations

import re
import tempfile
import unicodedata
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from sqlalchemy import select

from workbench.domain.parsed import ParsedTranscript, ParsedTurn
from workbench.formats import archive as zip_safety
from workbench.formats.refi import model as refi
from workbench.formats.refi import positions, schemas, writer
from workbench.formats.refi.xml import CODEBOOK_NS, PROJECT_NS
from workbench.i18n import UserError, catalogue
from workbench.services import Workbench
from workbench.services import exchange as exchange_module
from workbench.services.exchange import ExchangeService, paragraph_spans
from workbench.storage.models import (
    Code,
    Coding,
    JournalEntry,
    Note,
    Participant,
    Theme,
    Posting,
    Transcript,
    Turn,
)

from tests.conftest import sample_parsed
from tests.unit.storage.test_changelog import dump

# The published schemas: /work/shared/refi beside the checkout (or a worktree of it).
SHARED_REFI = next(
    (p / "shared" / "refi" for p in Path(__file__).resolve().parents
     if (p / "shared" / "refi" / "Project.xsd").is_file()),
    None,
)
PACKAGE_REFI = Path(schemas.__file__).parent
SCHEMAS = ("Project.xsd", "Codebook.xsd")


def schema(name: str) -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(PACKAGE_REFI / name)))


def qde_of(path: Path) -> etree._ElementTree:
    with zipfile.ZipFile(path) as archive:
        return etree.ElementTree(etree.fromstring(archive.read("project.qde")))


def exchange(wb: Workbench) -> ExchangeService:
    return ExchangeService(wb.store)


def make_zip(path: Path, members: dict[str, str | bytes]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name), data.encode("utf-8") if isinstance(data, str) else data,
                             compress_type=zipfile.ZIP_DEFLATED)
    return path


# -- a project with a bit of everything ------------------------------------------------------


def rich_project(wb: Workbench) -> dict[str, int]:
    tr = wb.transcripts.add_parsed(sample_parsed(), name="fg1", group="Ledere")
    second = ParsedTranscript(
        "txt",
        [ParsedTurn("Moderator", "Hva tenker dere om håp? 😀", 0, 2000),
         ParsedTurn("Kari Ø.", "Håp er å bli sett.\nOg å få tid.", 2000, 5000)],
    )
    tr2 = wb.transcripts.add_parsed(second, name="fg2 – miljø", group="Miljøterapeuter")
    people = {p.label: p for p in wb.transcripts.participants()}
    wb.transcripts.update_participant(people["Moderator"].id, role="moderator", group="")
    wb.transcripts.update_participant(people["Leder 1"].id, profession="sykepleier")
    wb.transcripts.update_participant(people["Kari Ø."].id, profession="vernepleier",
                                      group="Miljøterapeuter")
    hope = wb.codes.create("håp om bedring", description="Utsagn om håp.\nOgså tvil.",
                           colour="#e15759")
    time = wb.codes.create("tid til relasjon", parent_id=hope.id, origin="deductive")
    user = wb.codes.create("brukermedvirkning", origin="deductive")
    text = wb.transcripts.get(tr.id).text

    def span(phrase: str) -> tuple[int, int]:
        return text.index(phrase), text.index(phrase) + len(phrase)

    c1 = wb.codes.apply(tr.id, *span("At brukeren opplever håp"), code_id=hope.id,
                        memo="Sterkt – «håp».\nTo linjer.")
    wb.codes.set_quote(c1.id, True)
    c2 = wb.codes.apply(tr.id, *span("har tid til relasjonen"), code_id=time.id)
    wb.codes.apply(tr.id, *span("brukerne må få bestemme mer"), code_id=user.id)
    c4 = wb.codes.apply(tr2.id, 0, 25, code_id=hope.id)
    main = wb.themes.create("Håpet som bærer", definition="Håp som drivkraft.",
                            code_ids=[hope.id, time.id])
    wb.themes.create("Tid", parent_id=main.id, code_ids=[time.id, user.id])
    wb.themes.update(main.id, status="reviewed")
    wb.notes.add("project", None, "Et prosjektnotat.", title="Oppstart")
    wb.notes.add("transcript", tr.id, "Lydfilen var dårlig.")
    wb.notes.add("code", hope.id, "Kodenotat.")
    wb.notes.add("theme", main.id, "Temanotat.", title="Tanker")
    wb.notes.add("coding", c2.id, "Notat på en koding.")
    wb.journal.add("Første inntrykk.")
    wb.phases.set(2)
    wb.journal.add("Koder induktivt.")
    return {"tr": tr.id, "tr2": tr2.id, "c1": c1.id, "c4": c4.id, "hope": hope.id}


def snapshot(wb: Workbench) -> dict[str, dict]:
    """Everything the exchange must carry, keyed by GUID (ids differ between projects)."""
    with wb.store.read() as s:
        tr = {t.id: t.guid for t in s.scalars(select(Transcript))}
        people = {p.id: p.guid for p in s.scalars(select(Participant))}
        codes = {c.id: c.guid for c in s.scalars(select(Code))}
        themes = {t.id: t.guid for t in s.scalars(select(Theme))}
        codings = {c.id: c.guid for c in s.scalars(select(Coding))}
        out: dict[str, dict] = {
            "transcripts": {
                t.guid: (t.name, t.text, t.group_name, t.source_format, t.original_filename)
                for t in s.scalars(select(Transcript))
            },
            "transcript_order": {"": tuple(t.guid for t in s.scalars(
                select(Transcript).order_by(Transcript.position, Transcript.id)))},
            "participants": {
                p.guid: (p.label, p.role, p.profession, p.group_name)
                for p in s.scalars(select(Participant))
            },
            "turns": {
                u.guid: (tr[u.transcript_id], people.get(u.participant_id), u.position, u.start,
                         u.end, u.start_ms, u.end_ms)
                for u in s.scalars(select(Turn))
            },
            "codes": {
                c.guid: (c.name, c.description, c.colour, codes.get(c.parent_id), c.origin)
                for c in s.scalars(select(Code))
            },
            "codings": {
                c.guid: (tr[c.transcript_id], codes[c.code_id], c.start, c.end, c.memo,
                         c.is_quote, c.coder, c.created)
                for c in s.scalars(select(Coding))
            },
            "notes": {
                n.guid: (
                    tr.get(n.transcript_id), codes.get(n.code_id), themes.get(n.theme_id),
                    codings.get(n.coding_id), n.title, n.text, n.author, n.created, n.updated,
                )
                for n in s.scalars(select(Note))
            },
            "journal": {
                j.guid: (j.phase, j.text, j.author, j.created)
                for j in s.scalars(select(JournalEntry))
            },
            "themes": {
                t.guid: (
                    t.name, t.definition, t.status, themes.get(t.parent_id), t.is_misc,
                    tuple(codes[link.code_id] for link in sorted(t.code_links,
                                                                  key=lambda x: x.position)),
                )
                for t in s.scalars(select(Theme))
            },
        }
    return out


# -- schemas -------------------------------------------------------------------------------


def test_packaged_schemas_are_the_published_ones():
    for name in SCHEMAS:
        packaged = PACKAGE_REFI / name
        assert packaged.is_file()
        assert schemas.schema_bytes(name) == packaged.read_bytes()
        assert SHARED_REFI is not None, "the published schemas (shared/refi) are not found"
        assert packaged.read_bytes() == (SHARED_REFI / name).read_bytes()


def test_qdpx_export_validates_and_has_the_expected_layout(wb, tmp_path):
    rich_project(wb)
    path = exchange(wb).export_qdpx(tmp_path / "studie.qdpx")
    tree = qde_of(path)
    schema("Project.xsd").assertValid(tree)
    assert SHARED_REFI is not None
    etree.XMLSchema(etree.parse(str(SHARED_REFI / "Project.xsd"))).assertValid(tree)
    ns = {"q": PROJECT_NS}
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        sources = tree.findall(".//q:Sources/q:TextSource", ns)
        assert len(sources) == 2
        for source in sources:
            guid = source.get("guid")
            assert source.get("plainTextPath") == f"internal://{guid}.txt"
            assert f"sources/{guid}.txt" in names
            text = archive.read(f"sources/{guid}.txt").decode("utf-8")
            for sel in source.findall("q:PlainTextSelection", ns):
                start, end = int(sel.get("startPosition")), int(sel.get("endPosition"))
                assert 0 <= start < end <= len(text)
                assert sel.find("q:Coding/q:CodeRef", ns) is not None
    assert tree.find(".//q:CodeBook/q:Codes/q:Code/q:Code", ns) is not None  # nested codes
    assert [s.get("name") for s in tree.findall(".//q:Sets/q:Set", ns)] == [
        "Håpet som bærer", "Tid", "Ledere", "Miljøterapeuter"]  # themes, then groups
    guids = {s.get("name"): s.get("guid") for s in sources}
    assert {s.get("name"): [m.get("targetGUID") for m in s.findall("q:MemberSource", ns)]
            for s in tree.findall(".//q:Sets/q:Set", ns)} == {
        "Håpet som bærer": [], "Tid": [], "Ledere": [guids["fg1"]],
        "Miljøterapeuter": [guids["fg2 – miljø"]]}
    assert {c.get("name") for c in tree.findall(".//q:Cases/q:Case", ns)} == {
        "Moderator", "Leder 1", "Leder 2", "Kari Ø."}
    assert [u.get("name") for u in tree.findall(".//q:Users/q:User", ns)] == ["tester"]


def test_qdc_export_validates(wb, tmp_path):
    ids = rich_project(wb)
    path = exchange(wb).export_qdc(tmp_path / "kodebok.qdc")
    tree = etree.parse(str(path))
    schema("Codebook.xsd").assertValid(tree)
    ns = {"c": CODEBOOK_NS}
    top = tree.findall("c:Codes/c:Code", ns)
    assert [c.get("name") for c in top] == ["håp om bedring", "brukermedvirkning"]
    assert top[0].find("c:Code", ns).get("name") == "tid til relasjon"
    assert top[0].find("c:Description", ns).text == "Utsagn om håp.\nOgså tvil."
    hope_guid = wb.codes.find("håp om bedring").guid
    members = [m.get("guid") for m in tree.findall("c:Sets/c:Set", ns)[0]]
    assert hope_guid in members and ids


def test_empty_codebook_cannot_be_exported(wb, tmp_path):
    with pytest.raises(UserError) as err:
        exchange(wb).export_qdc(tmp_path / "tom.qdc")
    assert err.value.key == "exchange.error.no_codes"
    assert not (tmp_path / "tom.qdc").exists()


def test_empty_project_exports_a_valid_qdpx(wb, tmp_path):
    path = exchange(wb).export_qdpx(tmp_path / "tom.qdpx")
    schema("Project.xsd").assertValid(qde_of(path))


def test_writer_refuses_an_invalid_document(tmp_path):
    bad = refi.Project(name="x", origin="test", codes=(refi.Code(guid="c001", name="A"),))
    with pytest.raises(UserError) as err:
        writer.qdpx_archive(bad)
    assert err.value.key == "exchange.error.invalid_export"
    assert "c001" in str(err.value)


# -- our own round trip ----------------------------------------------------------------------


def test_round_trip_of_a_rich_project(wb, tmp_path):
    rich_project(wb)
    before = snapshot(wb)
    path = exchange(wb).export_qdpx(tmp_path / "studie.qdpx")
    with Workbench.create(tmp_path / "ny.wbp") as other:
        result = exchange(other).import_qdpx(path)
        assert result.warnings == ()
        assert (result.transcripts_added, result.codes_added, result.codings_added,
                result.themes_added, result.journal_added) == (2, 3, 4, 2, 2)
        assert snapshot(other) == before
        with other.store.read() as s:  # the search index is built for imported transcripts
            assert s.scalars(select(Posting)).first() is not None
        # One recorded command, and undo takes all of it away.
        assert [h.name for h in other.history()] == ["exchange.import_qdpx"]
        assert other.history()[0].summary == "Importerte REFI-QDA-prosjektet «studie.qdpx»"
        other.undo()
        assert all(rows == [] for rows in dump(other).values())
        other.redo()
        assert snapshot(other) == before


def test_importing_the_same_file_twice_adds_nothing_new(wb, tmp_path):
    rich_project(wb)
    path = exchange(wb).export_qdpx(tmp_path / "studie.qdpx")
    with Workbench.create(tmp_path / "ny.wbp") as other:
        exchange(other).import_qdpx(path)
        first = snapshot(other)
        again = exchange(other).import_qdpx(path)
        assert (again.transcripts_added, again.codes_added, again.codings_added,
                again.notes_added, again.journal_added) == (0, 0, 0, 0, 0)
        assert again.transcripts_merged == 2
        assert snapshot(other) == first


def test_codings_from_a_colleague_join_the_same_transcript(wb, tmp_path):
    """A transcript with the same text is not duplicated; the file's codings are added."""
    wb.transcripts.add_parsed(sample_parsed(), name="fg1", group="Ledere")
    with Workbench.create(tmp_path / "kollega.wbp") as colleague:
        tr = colleague.transcripts.add_parsed(sample_parsed(), name="Fokusgruppe 1")
        colleague.codes.apply(tr.id, 10, 30, name="Velkomst")
        path = exchange(colleague).export_qdpx(tmp_path / "kollega.qdpx")
    result = exchange(wb).import_qdpx(path)
    assert (result.transcripts_added, result.transcripts_merged, result.codings_added) == (0, 1, 1)
    assert [t.name for t in wb.transcripts.summaries()] == ["fg1"]
    assert [(c.start, c.end) for c in wb.codes.codings()] == [(10, 30)]


_CHARS = list("abcdefghijklmnopqrstuvwxyz ÆØÅæøå.,?!«»-") + ["😀", "👍🏽", "é", "\n"]
_text = st.lists(st.sampled_from(_CHARS), min_size=1, max_size=40).map("".join)
_turn_text = _text.map(str.strip).filter(bool)
_memo = st.lists(st.sampled_from(_CHARS + ["\r\n", "\t", "<&>"]), max_size=20).map("".join)
_SPEAKERS = ["Moderator", "Leder 1", "Kari Ø.", "Informant 😀", None]
_CODE_NAMES = ["håp", "Tid til relasjon", "brukermedvirkning", "æøå 😀", "mestring"]
_GROUPS = [None, "Ledere", "Miljøterapeuter"]


@settings(max_examples=20, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_round_trip_property(data):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        with Workbench.create(folder / "a.wbp", actor=data.draw(st.sampled_from(["kari", "Per Ø."]))) as wb:
            transcripts = []
            for i in range(data.draw(st.integers(1, 2))):
                turns = [
                    ParsedTurn(data.draw(st.sampled_from(_SPEAKERS)), data.draw(_turn_text),
                               *data.draw(st.sampled_from([(None, None), (i * 1000, i * 1000 + 500)])))
                    for _ in range(data.draw(st.integers(1, 4)))
                ]
                summary = wb.transcripts.add_parsed(
                    ParsedTranscript("txt", turns), name=f"fg{i + 1}",
                    group=data.draw(st.sampled_from(_GROUPS)),
                )
                transcripts.append(wb.transcripts.get(summary.id))
            for person in wb.transcripts.participants():
                wb.transcripts.update_participant(
                    person.id, role=data.draw(st.sampled_from(["moderator", "co-moderator", "informant"])),
                    profession=data.draw(st.sampled_from(["", "sykepleier", "vernepleier"])),
                    group=data.draw(st.sampled_from(["", "Ledere", "Miljøterapeuter"])),
                )
            codes = []
            for name in data.draw(st.lists(st.sampled_from(_CODE_NAMES), min_size=1, max_size=4,
                                           unique=True)):
                parent = data.draw(st.sampled_from([None, *codes])) if codes else None
                codes.append(wb.codes.create(
                    name, description=data.draw(_memo),
                    colour=data.draw(st.from_regex(r"\A#[0-9a-f]{6}\Z")),
                    parent_id=parent.id if parent else None,
                    origin=data.draw(st.sampled_from(["inductive", "deductive"])),
                ))
            codings = []
            for _ in range(data.draw(st.integers(0, 5))):
                tr = data.draw(st.sampled_from(transcripts))
                start = data.draw(st.integers(0, len(tr.text) - 1))
                end = data.draw(st.integers(start + 1, len(tr.text)))
                code = data.draw(st.sampled_from(codes))
                try:
                    coding = wb.codes.apply(tr.id, start, end, code_id=code.id, memo=data.draw(_memo))
                except UserError:
                    continue  # the same code on the same span twice
                if data.draw(st.booleans()):
                    wb.codes.set_quote(coding.id, True)
                codings.append(coding)
            themes = []
            for i in range(data.draw(st.integers(0, 2))):
                parent = data.draw(st.sampled_from([None, *themes])) if themes else None
                members = data.draw(st.lists(st.sampled_from(codes), unique_by=lambda c: c.id))
                theme = wb.themes.create(f"Tema {i} – {data.draw(_turn_text)}",
                                         parent_id=parent.id if parent else None,
                                         definition=data.draw(_memo),
                                         code_ids=[c.id for c in members])
                wb.themes.update(theme.id, status=data.draw(st.sampled_from(
                    ["candidate", "reviewed", "defined", "final", "discarded"])))
                themes.append(theme)
            targets = [("project", None)] + [("transcript", t.id) for t in transcripts]
            targets += [("code", c.id) for c in codes] + [("theme", t.id) for t in themes]
            targets += [("coding", c.id) for c in codings]
            for _ in range(data.draw(st.integers(0, 3))):
                kind, target = data.draw(st.sampled_from(targets))
                wb.notes.add(kind, target, data.draw(_memo), title=data.draw(_memo))
            for _ in range(data.draw(st.integers(0, 2))):
                wb.journal.add(data.draw(_turn_text))
            before = snapshot(wb)
            path = exchange(wb).export_qdpx(folder / "x.qdpx")
        schema("Project.xsd").assertValid(qde_of(path))
        with Workbench.create(folder / "b.wbp") as other:
            result = exchange(other).import_qdpx(path)
            assert result.warnings == ()
            assert snapshot(other) == before


# -- unsafe archives ---------------------------------------------------------------------------

MINIMAL_QDE = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="x">
  <Sources><TextSource guid="11111111-1111-1111-1111-111111111111" name="t">
    <PlainTextContent>Hei på deg.</PlainTextContent></TextSource></Sources>
</Project>"""

BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE Project [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<Project xmlns="urn:QDA-XML:project:1.0" name="&lol9;">
  <Sources><TextSource guid="11111111-1111-1111-1111-111111111111" name="&lol9;">
    <PlainTextContent>&lol9;</PlainTextContent></TextSource></Sources>
</Project>"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE Project [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<Project xmlns="urn:QDA-XML:project:1.0" name="x">
  <Sources><TextSource guid="11111111-1111-1111-1111-111111111111" name="t">
    <PlainTextContent>&xxe;</PlainTextContent></TextSource></Sources>
</Project>"""


@pytest.mark.parametrize(
    ("members", "key", "words"),
    [
        ({"project.qde": MINIMAL_QDE, "sources/bomb.txt": b"\0" * (3 * 1024 * 1024)},
         "archive.error.zip_bomb", "zip-bombe"),
        ({"project.qde": MINIMAL_QDE, "../../evil.txt": "x"}, "archive.error.unsafe_path", "../../evil.txt"),
        ({"project.qde": MINIMAL_QDE, "sources/../../evil.txt": "x"}, "archive.error.unsafe_path", ".."),
        ({"project.qde": MINIMAL_QDE, "/etc/evil.txt": "x"}, "archive.error.unsafe_path", "/etc/evil.txt"),
        ({"project.qde": MINIMAL_QDE, "C:\\Windows\\evil.txt": "x"}, "archive.error.unsafe_path", "C:"),
        ({"project.qde": BILLION_LAUGHS}, "exchange.error.entities", "billion laughs"),
        ({"project.qde": EXTERNAL_ENTITY}, "exchange.error.entities", "ENTITY"),
        ({"project.qde": "<Project name='x'><Sources>"}, "exchange.error.xml", "gyldig XML"),
        ({"sources/a.txt": "tekst"}, "exchange.error.no_qde", ".qde"),
    ],
    ids=["zip-bomb", "dotdot", "dotdot-inside", "absolute", "drive-letter", "billion-laughs",
         "external-entity", "broken-xml", "no-qde"],
)
def test_unsafe_or_broken_archives_are_refused_before_anything_is_written(
    wb_with_transcript, tmp_path, members, key, words
):
    wb, _ = wb_with_transcript
    before, history = dump(wb), len(wb.history())
    path = make_zip(tmp_path / "farlig.qdpx", members)
    with pytest.raises(UserError) as err:
        exchange(wb).import_qdpx(path)
    assert err.value.key == key
    assert words in str(err.value)
    assert "farlig.qdpx" in str(err.value)
    assert dump(wb) == before and len(wb.history()) == history


def test_a_huge_member_is_refused(wb, tmp_path, monkeypatch):
    monkeypatch.setattr(zip_safety, "MAX_MEMBER_SIZE", 2000)
    text = "Dette er en lang transkripsjon. " * 200  # 6 400 bytes: above the (lowered) limit
    source = "22222222-2222-2222-2222-222222222222"
    qde = MINIMAL_QDE.replace("</Sources>", f'<TextSource guid="{source}" name="lang" '
                              f'plainTextPath="internal://{source}.txt"/></Sources>')
    path = make_zip(tmp_path / "stor.qdpx", {"project.qde": qde, f"sources/{source}.txt": text})
    with pytest.raises(UserError) as err:
        exchange(wb).import_qdpx(path)
    assert err.value.key == "archive.error.member_too_big"
    assert f"sources/{source}.txt" in str(err.value)
    assert dump(wb)["transcript"] == [] and wb.history() == []


def test_archive_limits_on_count_and_total_size(wb, tmp_path, monkeypatch):
    path = make_zip(tmp_path / "mange.qdpx",
                    {"project.qde": MINIMAL_QDE, **{f"sources/{i}.txt": "x" * 100 for i in range(5)}})
    monkeypatch.setattr(zip_safety, "MAX_MEMBERS", 3)
    with pytest.raises(UserError) as err:
        exchange(wb).import_qdpx(path)
    assert err.value.key == "archive.error.too_many_members"
    monkeypatch.setattr(zip_safety, "MAX_MEMBERS", 100)
    monkeypatch.setattr(zip_safety, "MAX_TOTAL_SIZE", 400)
    with pytest.raises(UserError) as err:
        exchange(wb).import_qdpx(path)
    assert err.value.key == "archive.error.too_big"
    assert wb.history() == []


def test_not_a_zip_and_missing_file(wb, tmp_path):
    bogus = tmp_path / "x.qdpx"
    bogus.write_text("not a zip")
    with pytest.raises(UserError) as err:
        exchange(wb).import_qdpx(bogus)
    assert err.value.key == "exchange.error.not_zip"
    with pytest.raises(UserError) as err:
        exchange(wb).import_qdpx(tmp_path / "finnes-ikke.qdpx")
    assert err.value.key == "exchange.error.missing"


def test_entities_in_a_codebook_are_refused(wb, tmp_path):
    path = tmp_path / "lol.qdc"
    path.write_text(BILLION_LAUGHS.replace("Project", "CodeBook"), encoding="utf-8")
    with pytest.raises(UserError) as err:
        exchange(wb).import_qdc(path)
    assert err.value.key == "exchange.error.entities"
    assert wb.codes.list() == []


# -- files from other programs ------------------------------------------------------------------

# MAXQDA/QualCoder style: another namespace version, short ids, inline text, memos as
# Description, the project file named after the project.
VENDOR_SHORT_IDS = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1:0" name="Studie fra MAXQDA" origin="MAXQDA 2022">
  <Users><User guid="u1" name="Kari"/></Users>
  <CodeBook><Codes>
    <Code guid="c001" name="Håp" isCodable="true" color="#F00">
      <Description>Om håp</Description>
      <Code guid="c002" name="Tid" isCodable="true"/>
      <Code guid="c003" name="Annet" isCodable="true"/>
    </Code>
    <Code guid="c004" name="Tema-mappe" isCodable="false">
      <Code guid="c005" name="annet" isCodable="true"/>
    </Code>
  </Codes></CodeBook>
  <Variables>
    <Variable guid="v1" name="Role" typeOfVariable="Text"/>
    <Variable guid="v2" name="Profession" typeOfVariable="Text"/>
    <Variable guid="v3" name="Fokusgruppe" typeOfVariable="Text"/>
  </Variables>
  <Cases>
    <Case guid="p1" name="Informant 3">
      <VariableValue><VariableRef targetGUID="v1"/><TextValue>Informant</TextValue></VariableValue>
      <VariableValue><VariableRef targetGUID="v2"/><TextValue>Sosionom</TextValue></VariableValue>
    </Case>
    <Case guid="p2" name="Organisasjon X"/>
  </Cases>
  <Sources>
    <TextSource guid="s001" name="Intervju 1">
      <Description>Intervjuet ble avbrutt.</Description>
      <PlainTextContent>Jeg håper på bedring. Tid er viktig.</PlainTextContent>
      <PlainTextSelection guid="q001" startPosition="4" endPosition="20" creatingUser="u1">
        <Description>Sterkt sitat</Description>
        <Coding guid="k001" creatingUser="u1"><CodeRef targetGUID="c001"/></Coding>
        <Coding guid="k002" creatingUser="u1"><CodeRef targetGUID="c002"/></Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="q002" startPosition="22" endPosition="36">
        <Coding guid="k003"><CodeRef targetGUID="c005"/></Coding>
        <Coding guid="k004"><CodeRef targetGUID="c999"/></Coding>
      </PlainTextSelection>
      <VariableValue><VariableRef targetGUID="v3"/><TextValue>Ledere</TextValue></VariableValue>
    </TextSource>
  </Sources>
  <Sets><Set guid="set1" name="Håpets tema">
    <MemberCode targetGUID="c001"/><MemberCode targetGUID="c002"/></Set>
    <Set guid="set2" name="Dokumenter"/>
  </Sets>
  <Description>Prosjektbeskrivelse fra MAXQDA.</Description>
</Project>"""


def test_vendor_file_with_short_ids_namespace_variant_and_descriptions(wb, tmp_path):
    path = make_zip(tmp_path / "maxqda.qdpx", {"Studie fra MAXQDA.qde": VENDOR_SHORT_IDS})
    result = exchange(wb).import_qdpx(path)
    assert (result.transcripts_added, result.codes_added, result.codings_added,
            result.themes_added) == (1, 5, 3, 1)
    tr = wb.transcripts.get("Intervju 1")
    assert tr.text == "Jeg håper på bedring. Tid er viktig."
    assert tr.group == "Ledere"
    [person] = wb.transcripts.participants()
    assert (person.label, person.role, person.profession) == ("Informant 3", "informant", "Sosionom")
    assert len(tr.guid) == 36 and tr.guid != "s001"
    assert [(u.start, u.end, u.speaker) for u in tr.turns] == [(0, len(tr.text), None)]
    codes = {c.name: c for c in wb.codes.list()}
    # A name is unique among siblings only: «annet» under «Tema-mappe» keeps its name and
    # is told apart from «Annet» under «Håp» by its parent path.
    assert set(codes) == {"Håp", "Tid", "Annet", "Tema-mappe", "annet"}
    assert codes["annet"].parent_id == codes["Tema-mappe"].id
    assert {c.label for c in wb.codes.list()} == {
        "Håp", "Tid", "Annet (Håp)", "Tema-mappe", "annet (Tema-mappe)"}
    assert codes["Håp"].colour == "#ff0000" and codes["Håp"].description == "Om håp"
    assert codes["Tid"].parent_id == codes["Håp"].id
    codings = wb.codes.codings()
    first = [c for c in codings if c.start == 4]
    assert {c.code_id for c in first} == {codes["Håp"].id, codes["Tid"].id}
    assert all(tr.text[c.start:c.end] == "håper på bedring" for c in first)
    assert all(c.memo == "Sterkt sitat" and c.coder == "Kari" for c in first)
    second = [c for c in codings if c.start == 22]
    assert [(tr.text[c.start:c.end], c.code_id) for c in second] == [
        ("Tid er viktig.", codes["annet"].id)]
    notes = {(n.target, n.text) for n in wb.notes.list("project")}
    notes |= {(n.target, n.text) for n in wb.notes.list("transcript", tr.id)}
    assert notes == {("project", "Prosjektbeskrivelse fra MAXQDA."),
                     ("transcript", "Intervjuet ble avbrutt.")}
    [theme] = wb.themes.tree()
    assert theme.name == "Håpets tema" and theme.status == "candidate"
    assert set(theme.code_ids) == {codes["Håp"].id, codes["Tid"].id}
    text = "\n".join(result.warnings)
    assert "annet" not in text  # kept, not renamed
    assert "1 koding i «Intervju 1» viser til en kode som ikke finnes" in text
    assert "1 sett uten koder" in text
    assert "1 tilfelle (cases) uten rolle" in text
    # Same file again: same stable GUIDs, nothing duplicated.
    again = exchange(wb).import_qdpx(path)
    assert (again.transcripts_added, again.codes_added, again.codings_added) == (0, 0, 0)


# NVivo style: no namespace, GUIDs in braces and upper case, text in sources/, notes
# referenced from a selection and the project, a missing source file.
VENDOR_NVIVO = """<?xml version="1.0" encoding="utf-8"?>
<Project name="NVivo-prosjekt">
  <Users><User guid="{AAAAAAAA-0000-0000-0000-000000000001}" name="Per"/></Users>
  <CodeBook><Codes>
    <Code guid="{CCCCCCCC-0000-0000-0000-000000000001}" name="Mestring" isCodable="true"
          color="#00ff00"/>
  </Codes></CodeBook>
  <Sources>
    <TextSource guid="{BBBBBBBB-0000-0000-0000-000000000001}" name="Gruppe A"
                plainTextPath="internal://BBBBBBBB-0000-0000-0000-000000000001.txt">
      <PlainTextSelection guid="{DDDDDDDD-0000-0000-0000-000000000001}" startPosition="0"
                          endPosition="8" creatingUser="{AAAAAAAA-0000-0000-0000-000000000001}"
                          creationDateTime="2024-03-01T10:15:00+01:00">
        <Coding guid="{EEEEEEEE-0000-0000-0000-000000000001}">
          <CodeRef targetGUID="{CCCCCCCC-0000-0000-0000-000000000001}"/></Coding>
        <NoteRef targetGUID="{FFFFFFFF-0000-0000-0000-000000000001}"/>
      </PlainTextSelection>
    </TextSource>
    <TextSource guid="{BBBBBBBB-0000-0000-0000-000000000002}" name="Gruppe B"
                plainTextPath="internal://BBBBBBBB-0000-0000-0000-000000000002.txt">
      <PlainTextSelection guid="{DDDDDDDD-0000-0000-0000-000000000002}" startPosition="0"
                          endPosition="3">
        <Coding guid="{EEEEEEEE-0000-0000-0000-000000000002}">
          <CodeRef targetGUID="{CCCCCCCC-0000-0000-0000-000000000001}"/></Coding>
      </PlainTextSelection>
    </TextSource>
    <PDFSource guid="{BBBBBBBB-0000-0000-0000-000000000003}" name="Artikkel"/>
  </Sources>
  <Notes>
    <Note guid="{FFFFFFFF-0000-0000-0000-000000000001}" name="Kommentar"
          creatingUser="{AAAAAAAA-0000-0000-0000-000000000001}">
      <PlainTextContent>Viktig passasje.</PlainTextContent></Note>
    <Note guid="{FFFFFFFF-0000-0000-0000-000000000002}" name="Løst memo"
          plainTextPath="internal://FFFFFFFF-0000-0000-0000-000000000002.txt"/>
  </Notes>
</Project>"""


def test_vendor_file_without_namespace_and_with_a_missing_source(wb, tmp_path):
    path = make_zip(tmp_path / "nvivo.qdpx", {
        "NVivo-prosjekt.qde": VENDOR_NVIVO,
        "sources/BBBBBBBB-0000-0000-0000-000000000001.txt": "\ufeffMestring handler om hverdagen.",
        "sources/FFFFFFFF-0000-0000-0000-000000000002.txt": "Et memo i egen fil.",
    })
    result = exchange(wb).import_qdpx(path)
    assert (result.transcripts_added, result.codings_added) == (1, 1)
    warnings = "\n".join(result.warnings)
    assert "Teksten til «Gruppe B» mangler i arkivet" in warnings
    assert "PDFSource" in warnings
    tr = wb.transcripts.get("Gruppe A")
    assert tr.guid == "bbbbbbbb-0000-0000-0000-000000000001"
    [coding] = wb.codes.codings()
    assert tr.text[coding.start:coding.end] == "Mestring"
    assert coding.memo == "Viktig passasje." and coding.coder == "Per"
    with wb.store.read() as s:
        created = s.scalars(select(Coding.created)).one()
    assert created == datetime(2024, 3, 1, 9, 15)  # stored as UTC
    assert [n.text for n in wb.notes.list("project")] == ["Et memo i egen fil."]
    assert wb.codes.list()[0].colour == "#00ff00"


def _crlf_project(selections: list[tuple[int, int]]) -> str:
    sels = "".join(
        f'<PlainTextSelection guid="sel{i}" startPosition="{a}" endPosition="{b}">'
        f'<Coding guid="k{i}"><CodeRef targetGUID="c1"/></Coding></PlainTextSelection>'
        for i, (a, b) in enumerate(selections)
    )
    return f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Linjeskift">
  <CodeBook><Codes><Code guid="c1" name="Viktig" isCodable="true"/></Codes></CodeBook>
  <Sources><TextSource guid="s1" name="Linjer" plainTextPath="internal://s1.txt">{sels}</TextSource></Sources>
</Project>"""


CRLF_TEXT = "Første linje.\r\nAndre linje handler om håp.\r\nTredje linje om tid og rom.\r\nSlutt."
WANTED = ["håp", "tid og rom", "Slutt"]


def _positions(text: str, words: list[str], crlf_counts: int) -> list[tuple[int, int]]:
    lf = text.replace("\r\n", "\n")
    out = []
    for word in words:
        start = lf.index(word)
        breaks = lf[:start].count("\n")
        out.append((start + breaks * (crlf_counts - 1), start + breaks * (crlf_counts - 1) + len(word)))
    return out


@pytest.mark.parametrize(
    ("file_text", "crlf_counts"),
    [(CRLF_TEXT, 2), (CRLF_TEXT, 1), (CRLF_TEXT.replace("\r\n", "\n"), 2)],
    ids=["crlf-file-counted-as-two", "crlf-file-counted-as-one", "lf-file-counted-as-two"],
)
def test_line_breaks_counted_either_way(wb, tmp_path, file_text, crlf_counts):
    selections = _positions(file_text, WANTED, crlf_counts)
    qde = _crlf_project(selections)
    path = make_zip(tmp_path / "linjer.qdpx",
                    {"project.qde": qde, "sources/s1.txt": file_text.encode("utf-8")})
    result = exchange(wb).import_qdpx(path)
    tr = wb.transcripts.get("Linjer")
    assert "\r" not in tr.text
    assert [tr.text[c.start:c.end] for c in wb.codes.codings()] == WANTED
    standard = crlf_counts == 2 and "\r\n" in file_text
    assert any("regnet om" in w for w in result.warnings) is not standard
    assert [(u.start, u.end) for u in tr.turns] == [(0, len(tr.text))]


def test_positions_in_utf16_units_and_decomposed_text():
    raw = unicodedata.normalize("NFD", "Vi så 😀 håp og tid.")
    stored = unicodedata.normalize("NFC", raw)
    utf16 = positions.OffsetMap(raw, positions.Reading("written", "utf16"))
    cp = positions.OffsetMap(raw, positions.Reading("written", "cp"))
    # "håp" in the raw NFD text, counted in UTF-16 units (the emoji is two units).
    start_cp = raw.index(unicodedata.normalize("NFD", "håp"))
    end_cp = start_cp + len(unicodedata.normalize("NFD", "håp"))
    start_u16 = len(raw[:start_cp].encode("utf-16-le")) // 2
    end_u16 = len(raw[:end_cp].encode("utf-16-le")) // 2
    a, b = utf16.to_stored(start_u16, end=False), utf16.to_stored(end_u16, end=True)
    assert stored[a[0]:b[0]] == "håp" and a[1] and b[1]
    a, b = cp.to_stored(start_cp, end=False), cp.to_stored(end_cp, end=True)
    assert stored[a[0]:b[0]] == "håp"
    # A boundary inside a decomposed letter snaps outwards and is flagged.
    inside = raw.index("a\u030a") + 1
    assert cp.to_stored(inside, end=False) == (stored.index("å"), False)
    assert cp.to_stored(inside, end=True) == (stored.index("å") + 1, False)
    assert cp.to_stored(len(raw) + 1, end=True) is None
    reading = positions.choose_reading([(raw, stored, [(start_u16, end_u16, "håp")])])
    assert reading == positions.Reading("written", "utf16")


def test_a_qdc_from_another_program(wb, tmp_path):
    existing = wb.codes.create("Håp", description="vår egen")
    qdc = tmp_path / "chime.qdc"
    qdc.write_text("""<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="ATLAS.ti">
  <Codes>
    <Code guid="c1" name="CHIME" isCodable="false">
      <Code guid="c2" name="HÅP" isCodable="true" color="#abc"><Description>Hope</Description></Code>
      <Code guid="c3" name="Tilknytning" isCodable="true"><Description>Connectedness</Description></Code>
    </Code>
  </Codes>
  <Sets><Set guid="s1" name="Recovery"><MemberCode guid="c2"/><MemberCode guid="c3"/></Set></Sets>
</CodeBook>""", encoding="utf-8")
    result = exchange(wb).import_qdc(qdc)
    assert (result.name, result.codes_added, result.codes_existing, result.themes_added) == (
        "chime", 2, 1, 1)
    codes = {c.name: c for c in wb.codes.list()}
    assert set(codes) == {"Håp", "CHIME", "Tilknytning"}
    assert codes["Håp"].id == existing.id and codes["Håp"].description == "vår egen"
    assert codes["Tilknytning"].parent_id == codes["CHIME"].id
    [theme] = wb.themes.tree()
    assert set(theme.code_ids) == {codes["Håp"].id, codes["Tilknytning"].id}
    assert wb.history()[0].name == "exchange.import_qdc"
    wb.undo()
    assert [c.name for c in wb.codes.list()] == ["Håp"] and wb.themes.tree() == []


def test_our_qdc_round_trip(wb, tmp_path):
    rich_project(wb)
    path = exchange(wb).export_qdc(tmp_path / "kodebok.qdc")
    with Workbench.create(tmp_path / "ny.wbp") as other:
        result = exchange(other).import_qdc(path)
        assert (result.codes_added, result.themes_added) == (3, 2)
        mine = {(c.guid, c.name, c.description, c.colour) for c in wb.codes.list()}
        theirs = {(c.guid, c.name, c.description, c.colour) for c in other.codes.list()}
        assert theirs == mine


def test_paragraph_spans():
    text = "  Første avsnitt\nfortsetter.\n\n   \nAndre.\n"
    assert [text[a:b] for a, b in paragraph_spans(text)] == [
        "Første avsnitt\nfortsetter.", "Andre."]


def test_exchange_messages_exist_in_both_languages():
    nb = {k for k in catalogue("nb") if k.startswith(("exchange.", "command.exchange."))}
    en = {k for k in catalogue("en") if k.startswith(("exchange.", "command.exchange."))}
    assert nb == en and len(nb) > 40
    commands = {"exchange.import_qdpx", "exchange.import_qdc"}
    sources = [*sorted(PACKAGE_REFI.parent.rglob("*.py")), Path(exchange_module.__file__)]
    assert len(sources) > 8  # the whole formats/refi package, and the service
    used = {
        f"command.{key}" if key in commands else key
        for source in sources
        for key in re.findall(r'"(exchange\.[a-z_.]+)"', source.read_text("utf-8"))
    }
    used |= {f"exchange.reading.{r.key}" for r in positions.READINGS}
    used |= {f"exchange.variable.{v}" for v in ("group", "role", "profession")}
    assert {f"command.{c}" for c in commands} <= used
    assert used <= nb, used - nb


def test_archive_messages_exist_in_both_languages():
    nb = {k for k in catalogue("nb") if k.startswith("archive.")}
    en = {k for k in catalogue("en") if k.startswith("archive.")}
    assert nb == en
    used = set(re.findall(r'"(archive\.[a-z_.]+)"',
                          Path(zip_safety.__file__).read_text("utf-8")))
    assert len(used) == 7 and used <= nb, used - nb


def test_progress_is_reported(wb, tmp_path):
    rich_project(wb)
    path = exchange(wb).export_qdpx(tmp_path / "studie.qdpx")
    stages: list[tuple[str, int, int]] = []
    with Workbench.create(tmp_path / "ny.wbp") as other:
        exchange(other).import_qdpx(path, progress=lambda *a: stages.append(a))
    names = [s for s, _, _ in stages]
    assert names[0] == "check" and names[-1] == "done"
    assert {"read", "store", "index"} <= set(names)


def test_an_archive_given_as_codebook_is_explained(wb, tmp_path):
    path = make_zip(tmp_path / "prosjekt.qdc", {"project.qde": MINIMAL_QDE})
    with pytest.raises(UserError) as err:
        exchange(wb).import_qdc(path)
    assert err.value.key == "exchange.error.archive_as_codebook"


def test_total_bytes_read_are_limited(wb, tmp_path, monkeypatch):
    members = {"project.qde": MINIMAL_QDE.replace("</Sources>", "".join(
        f'<TextSource guid="3333333{i}-3333-3333-3333-333333333333" name="t{i}" '
        f'plainTextPath="internal://{i}.txt"/>' for i in range(4)) + "</Sources>")}
    members |= {f"sources/{i}.txt": "ord " * 300 for i in range(4)}
    path = make_zip(tmp_path / "mye.qdpx", members)
    monkeypatch.setattr(zip_safety, "MAX_READ_SIZE", 3000)
    with pytest.raises(UserError) as err:
        exchange(wb).import_qdpx(path)
    assert err.value.key == "archive.error.too_big"
    assert wb.history() == []
