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
