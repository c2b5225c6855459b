"""Notes go out so that QualCoder reads them too; our own data note is not a memo."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from lxml import etree

from workbench.formats.refi.extension import EXTENSION_NOTE_NAME
from workbench.formats.refi.xml import PROJECT_NS
from workbench.services import Workbench

from tests.unit.formats.test_refi import PACKAGE_REFI, SHARED_REFI, rich_project

NS = {"q": PROJECT_NS}


def _note_from_file_only(archive: zipfile.ZipFile, note: etree._Element) -> str | None:
    """How QualCoder reads a note: only from the file its plainTextPath names."""
    path = note.get("plainTextPath")
    if path is None or not path.startswith("internal://"):
        return None
    return archive.read("sources/" + path[len("internal://"):]).decode("utf-8")


def test_every_note_is_inline_and_in_a_file_and_the_data_note_is_inline_only(
        wb: Workbench, tmp_path: Path):
    rich_project(wb)
    path = wb.exchange.export_qdpx(tmp_path / "ut.qdpx")
    with zipfile.ZipFile(path) as archive:
        tree = etree.fromstring(archive.read("project.qde"))
        for xsd in (PACKAGE_REFI / "Project.xsd", SHARED_REFI / "Project.xsd"):
            etree.XMLSchema(etree.parse(str(xsd))).assertValid(tree)
        notes = tree.findall(".//q:Notes/q:Note", NS)
        seen_by_qualcoder: list[tuple[str, str]] = []
        for note in notes:
            inline = note.findtext("q:PlainTextContent", namespaces=NS)
            from_file = _note_from_file_only(archive, note)
            if note.get("name") == EXTENSION_NOTE_NAME:
                assert from_file is None and note.get("plainTextPath") is None
                intro, _, data = inline.partition("\n\n")
                assert intro.startswith("Ikke et memo")
                assert json.loads(data)["format"] == "workbench-refi"
                continue
            assert from_file == inline
            seen_by_qualcoder.append((note.get("name"), from_file))
    journal = [v for k, v in seen_by_qualcoder if k.startswith("Refleksjonslogg")]
    assert sorted(journal) == ["Første inntrykk.", "Koder induktivt."]
    assert {"Et prosjektnotat.", "Lydfilen var dårlig.", "Kodenotat.", "Temanotat.",
            "Notat på en koding.", "Sterkt – «håp».\nTo linjer."} <= {v for _k, v in seen_by_qualcoder}
    # The project document references every note but our data note.
    refs = {r.get("targetGUID") for r in tree.iter(f"{{{PROJECT_NS}}}NoteRef")}
    refs |= {r.get("targetGUID") for r in tree.iter(f"{{{PROJECT_NS}}}MemberNote")}
    unreferenced = [n.get("name") for n in notes if n.get("guid") not in refs]
    assert unreferenced == [EXTENSION_NOTE_NAME]


def test_notes_read_back_from_files_when_inline_content_is_missing(wb, tmp_path):
    rich_project(wb)
    path = wb.exchange.export_qdpx(tmp_path / "ut.qdpx")
    # A QualCoder-style file: the same notes with their inline content taken out.
    stripped = tmp_path / "qc.qdpx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(stripped, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            if name == "project.qde":
                tree = etree.fromstring(data)
                for note in tree.findall(".//q:Notes/q:Note", NS):
                    if note.get("plainTextPath"):
                        note.remove(note.find("q:PlainTextContent", NS))
                data = etree.tostring(tree, xml_declaration=True, encoding="utf-8")
            dst.writestr(name, data)
    with Workbench.create(tmp_path / "ny.wbp") as other:
        result = other.exchange.import_qdpx(stripped)
        assert result.journal_added == 2
        assert sorted(e.text for e in other.journal.list()) == ["Første inntrykk.",
                                                                "Koder induktivt."]
        assert [n.text for n in other.notes.list("project")] == ["Et prosjektnotat."]
