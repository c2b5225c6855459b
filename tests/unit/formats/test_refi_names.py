"""Code names from other programs are kept: unique among siblings only, told apart by path."""

from __future__ import annotations

from pathlib import Path

from workbench.services import Workbench
from workbench.services.codes import CodeView, display_names
from workbench.storage.models import Code

from tests.unit.formats.test_refi import make_zip, qde_of


def _view(id: int, name: str, parent: int | None) -> CodeView:
    return CodeView(id, f"g{id}", name, "", "#000000", parent, "inductive")


def test_display_names_add_the_parent_path_only_where_a_name_is_shared():
    codes = [_view(1, "cs_literacy", None), _view(2, "digital_citizenship", 1),
             _view(3, "citizenship", 2), _view(4, "Citizenship", None), _view(5, "fun", None),
             _view(6, "affect", None), _view(7, "FUN", 6)]
    assert display_names(codes) == {
        1: "cs_literacy", 2: "digital_citizenship",
        3: "citizenship (digital_citizenship)", 4: "Citizenship",
        5: "fun", 6: "affect", 7: "FUN (affect)",
    }
    # As many parents as it takes, nearest first: two «x» under two «mid» of one name.
    deep = [_view(1, "a", None), _view(2, "b", None), _view(3, "mid", 1), _view(4, "mid", 2),
            _view(5, "x", 3), _view(6, "x", 4), _view(7, "x", 1)]
    assert display_names(deep) == {
        1: "a", 2: "b", 3: "mid (a)", 4: "mid (b)", 5: "x (a › mid)", 6: "x (b › mid)",
        7: "x (a)"}


QDE = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Navn">
  <CodeBook><Codes>
    <Code guid="11111111-0000-0000-0000-000000000001" name="fun" isCodable="true"/>
    <Code guid="11111111-0000-0000-0000-000000000002" name="affect" isCodable="true">
      <Code guid="11111111-0000-0000-0000-000000000003" name="fun" isCodable="true"/>
      <Code guid="11111111-0000-0000-0000-000000000004" name="Fun" isCodable="true"/>
    </Code>
  </Codes></CodeBook>
</Project>"""


def test_codes_sharing_a_name_keep_it_and_go_out_unchanged(wb: Workbench, tmp_path: Path):
    path = make_zip(tmp_path / "navn.qdpx", {"project.qde": QDE})
    result = wb.exchange.import_qdpx(path)
    assert result.codes_added == 4
    # Two siblings of one name cannot both keep it: the second is numbered, and told so.
    assert result.warnings == (
        "To koder under samme overordnede kode heter «Fun»; den andre ble importert som "
        "«Fun (2)».",)
    by_guid = {c.guid: c for c in wb.codes.list()}
    assert [by_guid[f"11111111-0000-0000-0000-00000000000{i}"].name for i in (1, 2, 3, 4)] == [
        "fun", "affect", "fun", "Fun (2)"]
    assert {c.label for c in wb.codes.list()} == {"fun", "affect", "fun (affect)",
                                                   "Fun (2)"}
    assert wb.codes.find("fun").guid == "11111111-0000-0000-0000-000000000001"
    with wb.store.read() as s:  # one bare key per name: the database's unique key holds
        keys = sorted(s.scalars(Code.__table__.select().with_only_columns(Code.name_key)))
    assert keys == ["affect", "fun", "fun\x1f11111111-0000-0000-0000-000000000003", "fun (2)"]
    out = wb.exchange.export_qdpx(tmp_path / "ut.qdpx")
    ns = {"q": "urn:QDA-XML:project:1.0"}
    names = [(c.get("guid"), c.get("name")) for c in qde_of(out).iterfind(".//q:Code", ns)]
    assert names == [("11111111-0000-0000-0000-000000000001", "fun"),
                     ("11111111-0000-0000-0000-000000000002", "affect"),
                     ("11111111-0000-0000-0000-000000000003", "fun"),
                     ("11111111-0000-0000-0000-000000000004", "Fun (2)")]
    again = wb.exchange.import_qdpx(out)
    assert (again.codes_added, again.codes_existing, again.warnings) == (0, 4, ())


SETS = """<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Sett">
  <Variables><Variable guid="v1" name="Gruppe" typeOfVariable="Text"/></Variables>
  <Sources>
    <TextSource guid="s1" name="En"><PlainTextContent>Første tekst.</PlainTextContent>
      <VariableValue><VariableRef targetGUID="v1"/><TextValue>Ledere</TextValue></VariableValue>
    </TextSource>
    <TextSource guid="s2" name="To"><PlainTextContent>Andre tekst.</PlainTextContent></TextSource>
  </Sources>
  <Sets>
    <Set guid="set1" name="Vår"><MemberSource targetGUID="s1"/><MemberSource targetGUID="s2"/></Set>
  </Sets>
</Project>"""


def test_a_document_set_gives_a_group_but_never_replaces_one(wb: Workbench, tmp_path: Path):
    result = wb.exchange.import_qdpx(make_zip(tmp_path / "sett.qdpx", {"project.qde": SETS}))
    assert result.groups_set == 1 and result.themes_added == 0
    assert {tr.name: tr.group for tr in wb.info().transcripts} == {"En": "Ledere", "To": "Vår"}
    assert result.warnings == (
        "«En» hører allerede til gruppen «Ledere», så medlemskapet i dokumentsettet «Vår» "
        "ble ikke tatt med.",)
