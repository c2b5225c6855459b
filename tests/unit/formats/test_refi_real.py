"""Every real REFI-QDA file from another program (``../shared/refi/real``) comes in whole.

The test reads each file's XML itself (lxml, by local name) and compares what the import
made of it: sources and their texts, codes with their hierarchy, names, GUIDs and
descriptions, codings with the text they cover, sets; then the re-export keeps every code's
name, GUID and parent. The files are read where they lie, never copied into the repository.
"""

from __future__ import annotations

import os
import unicodedata
import zipfile
from collections import Counter
from pathlib import Path, PurePosixPath
from urllib.parse import unquote

import pytest
from lxml import etree

from workbench.services import Workbench


def _real_folder() -> Path:
    here = Path(__file__).resolve()
    candidates = [Path(os.environ["WORKBENCH_REFI_REAL"])] if "WORKBENCH_REFI_REAL" in os.environ else []
    candidates += [parent / "shared" / "refi" / "real" for parent in here.parents]
    for folder in candidates:
        if folder.is_dir():
            return folder
    raise FileNotFoundError("../shared/refi/real (or WORKBENCH_REFI_REAL) is needed by these tests")


REAL = _real_folder()
FILES = sorted(p.name for p in REAL.iterdir() if p.suffix.lower() in (".qdpx", ".qdc"))


def test_the_real_files_are_there():
    assert {"nvivo15mac_project.qdpx", "qc132_demo.qdpx", "maxqda24_paper_themes.qdpx",
            "atlasti23_target.qdpx", "taguette141_codebook.qdc"} <= set(FILES)


# -- reading the XML independently -----------------------------------------------------------


def _local(el: etree._Element) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _kids(el: etree._Element, name: str) -> list[etree._Element]:
    return [c for c in el if _local(c) == name]


def _guid(value: str) -> str:
    return value.strip().strip("{}").lower()


def _stored(text: str) -> str:
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


class Xml:
    """What a file holds, read straight from its XML and archive members."""

    def __init__(self, path: Path) -> None:
        self.members: dict[str, bytes] = {}
        if path.suffix.lower() == ".qdpx":
            with zipfile.ZipFile(path) as z:
                self.members = {n: z.read(n) for n in z.namelist() if not n.endswith("/")}
            qde = next(n for n in self.members if n.lower().endswith(".qde"))
            self.root = etree.fromstring(self.members[qde])
        else:
            self.root = etree.fromstring(path.read_bytes())
        book = self.root if _local(self.root) == "CodeBook" else _kids(self.root, "CodeBook")[0]
        self.codes: dict[str, tuple[str, str | None, str]] = {}  # guid -> name, parent, descr.

        def walk(parent: etree._Element, parent_guid: str | None) -> None:
            for el in _kids(parent, "Code"):
                guid = _guid(el.get("guid"))
                descr = "".join(d.text or "" for d in _kids(el, "Description"))
                self.codes[guid] = (el.get("name"), parent_guid, descr.strip())
                walk(el, guid)

        for codes in _kids(book, "Codes"):
            walk(codes, None)

    def element(self, name: str) -> list[etree._Element]:
        return [el for el in self.root.iter() if _local(el) == name]

    def text_of(self, source: etree._Element) -> str:
        path = source.get("plainTextPath")
        if path is None:
            return "".join(c.text or "" for c in _kids(source, "PlainTextContent"))
        wanted = PurePosixPath(unquote(path.split("://")[-1])).name.casefold()
        [member] = [n for n in self.members if PurePosixPath(n).name.casefold() == wanted]
        return self.members[member].decode("utf-8-sig")

    def sources(self) -> dict[str, tuple[str, str]]:
        """guid -> (name, stored text) of every text source."""
        out = {}
        for el in self.element("TextSource"):
            name = el.get("name") or PurePosixPath(el.get("plainTextPath")).stem
            out[_guid(el.get("guid"))] = (name, self.text_of(el))
        return out

    def codings(self) -> Counter[tuple[str, str, str]]:
        """(source GUID, code GUID, covered text in stored form) of every coding."""
        out: Counter[tuple[str, str, str]] = Counter()
        for source in self.element("TextSource"):
            text = self.text_of(source)
            for sel in _kids(source, "PlainTextSelection"):
                a, b = int(sel.get("startPosition")), int(sel.get("endPosition"))
                for coding in _kids(sel, "Coding"):
                    [ref] = _kids(coding, "CodeRef")
                    out[(_guid(source.get("guid")), _guid(ref.get("targetGUID")),
                         _stored(text[a:b]))] += 1
        return out

    def sets(self) -> dict[str, tuple[str, frozenset[str], frozenset[str]]]:
        """guid -> (name, member codes, member sources) of every set."""
        return {
            _guid(el.get("guid")): (
                el.get("name"),
                frozenset(_guid(m.get("targetGUID")) for m in _kids(el, "MemberCode")),
                frozenset(_guid(m.get("targetGUID")) for m in _kids(el, "MemberSource")),
            )
            for el in self.element("Set")
        }


# -- what the project holds ------------------------------------------------------------------


def _codes(wb: Workbench) -> dict[str, tuple[str, str | None, str]]:
    views = wb.codes.list()
    guid_of = {c.id: c.guid for c in views}
    return {c.guid: (c.name, guid_of.get(c.parent_id) if c.parent_id else None,
                     c.description.strip()) for c in views}


def _import(wb: Workbench, path: Path):
    if path.suffix.lower() == ".qdc":
        return wb.exchange.import_qdc(path)
    return wb.exchange.import_qdpx(path)


@pytest.mark.parametrize("name", FILES)
def test_a_real_file_comes_in_whole(wb: Workbench, name: str):
    path = REAL / name
    xml = Xml(path)
    result = _import(wb, path)
    warnings = "\n".join(result.warnings)
    assert "«?»" not in warnings

    # Codes: every one, with its own name, GUID, parent and description.
    assert _codes(wb) == xml.codes
    assert result.codes_added == len(xml.codes)
    assert "importert som" not in warnings  # nothing renamed

    if path.suffix.lower() == ".qdc":
        return
    # Sources: every one with text, by GUID, with its name and its text.
    sources = xml.sources()
    with_text = {g: v for g, v in sources.items() if v[1].strip()}
    transcripts = {tr.guid: wb.transcripts.get(tr.id) for tr in wb.info().transcripts}
    assert {g: (tr.name, tr.text) for g, tr in transcripts.items()} == {
        g: (n, _stored(text)) for g, (n, text) in with_text.items()}
    for guid in set(sources) - set(with_text):  # an empty source is named in a warning
        assert f"«{sources[guid][0]}»" in warnings

    # Codings: every one, on its code, covering exactly the text the file's span covers.
    code_guid = {c.id: c.guid for c in wb.codes.list()}
    tr_of = {tr.id: tr for tr in transcripts.values()}
    got: Counter[tuple[str, str, str]] = Counter(
        (tr_of[c.transcript_id].guid, code_guid[c.code_id],
         tr_of[c.transcript_id].text[c.start:c.end])
        for c in wb.codes.codings()
    )
    assert got == xml.codings()
    assert result.codings_added == sum(xml.codings().values())

    # Sets: document sets are the transcripts' groups; sets of codes are candidate themes.
    groups = {tr.guid: tr.group for tr in wb.info().transcripts}
    document_sets = {g: v for g, v in xml.sets().items() if v[2]}
    for set_name, _codes_in, members in document_sets.values():
        assert {groups[g] for g in members} == {set_name}
    assert {g for g, group in groups.items() if group} == {
        g for _n, _c, members in document_sets.values() for g in members}
    code_sets = {(n, c) for n, c, _s in xml.sets().values() if c}
    assert {(th.name, frozenset(code_guid[i] for i in th.code_ids))
            for th in wb.themes.tree()} == code_sets

    # Notes: the files hold none beyond descriptions (of codes, compared above).
    assert len(xml.element("Note")) == 0 and wb.notes.list("project") == []


@pytest.mark.parametrize("name", [n for n in FILES if n.endswith(".qdpx")])
def test_a_real_file_goes_out_again_with_every_code_name_and_guid(wb, tmp_path, name):
    path = REAL / name
    xml = Xml(path)
    wb.exchange.import_qdpx(path)
    out = Xml(wb.exchange.export_qdpx(tmp_path / "ut.qdpx"))
    assert {g: (n, p) for g, (n, p, _d) in out.codes.items()} == {
        g: (n, p) for g, (n, p, _d) in xml.codes.items()}
    assert out.codings() == xml.codings()
    # Document sets go out again as sets of the same sources.
    assert {(n, m) for n, _c, m in out.sets().values() if m} == {
        (n, m) for n, _c, m in xml.sets().values() if m}


def test_maxqda_document_sets_become_groups(wb: Workbench):
    result = wb.exchange.import_qdpx(REAL / "maxqda24_paper_themes.qdpx")
    assert result.groups_set == 10 and result.warnings == ()
    assert Counter(tr.group for tr in wb.info().transcripts) == {"ICLS 2024": 5, "ICLS 2025": 5}


def test_qc_demo_has_both_sources_and_all_205_codings(wb: Workbench):
    result = wb.exchange.import_qdpx(REAL / "qc132_demo.qdpx")
    assert (result.transcripts_added, result.codings_added, result.codes_added) == (2, 205, 262)
    assert sorted(tr.name for tr in wb.info().transcripts) == ["admin-1", "board_2017"]
    assert result.warnings == ()
