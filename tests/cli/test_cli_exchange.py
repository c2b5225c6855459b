"""REFI-QDA files through the ordinary import and codebook commands."""

from __future__ import annotations

from pathlib import Path

from workbench.services import Workbench

from tests.conftest import CliRunner, sample_parsed


def test_qdpx_and_qdc_round_trip_through_the_cli(cli: CliRunner, tmp_path: Path, same_backend):
    new_target, _url_of = same_backend
    source = new_target()
    with Workbench.create(source) as wb:
        tr = wb.transcripts.add_parsed(sample_parsed(), name="fg1", group="Ledere")
        code = wb.codes.create("håp", description="Uttrykk for håp")
        wb.codes.apply(tr.id, 40, 80, code_id=code.id, memo="et memo")
    qdpx, qdc = tmp_path / "prosjekt.qdpx", tmp_path / "kodebok.qdc"
    assert cli("export", str(source), "qdpx", "-o", str(qdpx)).returncode == 0
    assert cli("export", str(source), "qdc", "-o", str(qdc)).returncode == 0
    target = new_target()
    cli("new", str(target))
    out = cli("import", str(target), str(qdpx))
    assert out.returncode == 0, out.stderr
    assert "prosjekt.qdpx" in out.stdout
    other = new_target()
    cli("new", str(other))
    out = cli("codebook", "import", str(other), str(qdc))
    assert out.returncode == 0, out.stderr
    with Workbench.open(source) as wb:
        source_text = wb.transcripts.get("fg1").text
    with Workbench.open(target) as wb:
        (coding,) = wb.codes.codings()
        assert (coding.start, coding.end, coding.memo) == (40, 80, "et memo")
        assert wb.transcripts.get("fg1").text == source_text
    with Workbench.open(other) as wb:
        assert [c.name for c in wb.codes.list()] == ["håp"]


def test_unsafe_archive_is_refused_from_the_cli(cli: CliRunner, tmp_path: Path, project_target: str):
    import zipfile

    bad = tmp_path / "farlig.qdpx"
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr("../utenfor.txt", "x")
        zf.writestr("project.qde", "<Project/>")
    project = project_target
    cli("new", str(project))
    out = cli("import", str(project), str(bad))
    assert out.returncode == 2 and "farlig.qdpx" in out.stderr and "Traceback" not in out.stderr
    with Workbench.open(project) as wb:
        assert wb.info().transcripts == []


def _positions(qdpx: Path) -> list[tuple[int, int]]:
    import zipfile

    from lxml import etree

    with zipfile.ZipFile(qdpx) as zf:
        tree = etree.fromstring(zf.read("project.qde"))
    return [(int(s.get("startPosition")), int(s.get("endPosition")))
            for s in tree.iter("{urn:QDA-XML:project:1.0}PlainTextSelection")]


def test_export_qdpx_with_utf16_offsets_for_nvivo_for_windows(cli: CliRunner, tmp_path: Path):
    from workbench.domain.parsed import ParsedTranscript, ParsedTurn

    source = tmp_path / "emoji.wbp"
    with Workbench.create(source) as wb:
        parsed = ParsedTranscript("txt", [ParsedTurn("Kari", "Glad 😀 i dag 𝄞 og håp.", None, None)])
        tr = wb.transcripts.add_parsed(parsed, name="fg1")
        text = wb.transcripts.get(tr.id).text
        code = wb.codes.create("håp")
        start = text.index("håp")
        wb.codes.apply(tr.id, start, start + 3, code_id=code.id)
        wb.codes.apply(tr.id, text.index("Glad"), text.index("Glad") + 4, code_id=code.id)
    standard, nvivo = tmp_path / "standard.qdpx", tmp_path / "nvivo.qdpx"
    assert cli("export", str(source), "qdpx", "-o", str(standard)).returncode == 0
    out = cli("export", str(source), "qdpx", "-o", str(nvivo), "--offsets", "utf16")
    assert out.returncode == 0, out.stderr
    glad = (text.index("Glad"), text.index("Glad") + 4)
    # Two characters outside the Basic Multilingual Plane before «håp»: two more units.
    assert sorted(_positions(standard)) == [glad, (start, start + 3)]
    assert sorted(_positions(nvivo)) == [glad, (start + 2, start + 5)]
    units = text.encode("utf-16-le")
    assert units[2 * (start + 2):2 * (start + 5)].decode("utf-16-le") == "håp"
    # Both read back to the same coding.
    for path in (standard, nvivo):
        target = tmp_path / f"{path.stem}.wbp"
        cli("new", str(target))
        assert cli("import", str(target), str(path)).returncode == 0
        with Workbench.open(target) as wb:
            tr2 = wb.transcripts.get("fg1")
            assert sorted(tr2.text[c.start:c.end] for c in wb.codes.codings()) == ["Glad", "håp"]
    bad = cli("export", str(source), "qdpx", "-o", str(tmp_path / "x.qdpx"), "--offsets", "bytes")
    assert bad.returncode == 2 and not (tmp_path / "x.qdpx").exists()
