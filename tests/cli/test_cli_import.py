"""import, show, codebook and demo commands, through ``main(argv)`` in this process."""

from __future__ import annotations

import json
from pathlib import Path

from workbench.services import Workbench

from tests.conftest import CliRunner

REPO = Path(__file__).resolve().parents[2]


def test_import_several_files_one_failing(cli: CliRunner, tmp_path: Path, project_target: str):
    project = project_target
    assert cli("new", str(project)).returncode == 0
    good = tmp_path / "fg1.txt"
    good.write_text("Moderator: Hei.\nInformant 1: Jeg er sykepleier (latter).\n", encoding="utf-8")
    bad = tmp_path / "tom.txt"
    bad.write_bytes(b"")
    cp1252 = tmp_path / "fg2.txt"
    cp1252.write_bytes("M: Hva tenker dere – kort?\nI3: Brukerne først.\n".encode("cp1252"))
    out = cli("import", str(project), str(good), str(bad), str(cp1252), "--group", "Ledere")
    assert out.returncode == 2
    assert "fg1.txt" in out.stdout and "fg2.txt" in out.stdout
    assert "tom.txt" in out.stderr and "Traceback" not in out.stderr
    with Workbench.open(project) as wb:
        names = [t.name for t in wb.info().transcripts]
        assert names == ["fg1", "fg2"]
        assert "–" in wb.transcripts.get("fg2").text


def test_import_with_speaker_sheet_then_show(cli: CliRunner, tmp_path: Path, project_target: str):
    project = project_target
    cli("new", str(project))
    sheet = tmp_path / "ark.csv"
    sheet.write_text(
        "label;pseudonym;role;profession;group;aliases\n"
        "Moderator;;moderator;;;\n"
        "Kari;Leder 1;informant;sykepleier;Ledere;Kari Ø.\n",
        encoding="utf-8",
    )
    file = tmp_path / "fg1.txt"
    file.write_text(
        "[00:00:05] Moderator: Velkommen (pause) alle sammen.\n"
        "[00:00:09] Kari: Jeg heter Kari. Ja:: (latter) vi prøver.\n"
        "Kari Ø.: Og brukerne merker det.\n",
        encoding="utf-8",
    )
    out = cli("import", str(project), str(file), "--speakers", str(sheet))
    assert out.returncode == 0, out.stderr
    assert "Leder 1" in out.stdout and "Kari" not in out.stdout.replace("fg1", "")
    verbatim = cli("show", str(project), "fg1")
    assert "Moderator (moderator) [00:00:05]:" in verbatim.stdout
    assert "Jeg heter Leder 1. Ja:: (latter) vi prøver." in verbatim.stdout
    clean = cli("show", str(project), "fg1", "--clean")
    assert "(latter)" not in clean.stdout and "(pause)" not in clean.stdout
    data = json.loads(cli("show", str(project), "fg1", "--json").stdout)
    turns = data["turns"]
    assert [t["speaker"] for t in turns] == ["Moderator", "Leder 1", "Leder 1"]
    assert turns[1]["role"] == "informant" and turns[1]["profession"] == "sykepleier"
    assert turns[1]["group"] == "Ledere"
    assert turns[0]["start_ms"] == 5000 and turns[1]["start_ms"] == 9000
    missing = cli("show", str(project), "fg9")
    assert missing.returncode == 2 and "fg1" in missing.stderr


def test_codebook_import_and_export(cli: CliRunner, tmp_path: Path, project_target: str):
    project = project_target
    cli("new", str(project))
    out = cli("codebook", "import", str(project), str(REPO / "codebooks" / "chime.yaml"))
    assert out.returncode == 0, out.stderr
    target = tmp_path / "ut.yaml"
    assert cli("codebook", "export", str(project), "-o", str(target)).returncode == 0
    assert "Håp" in target.read_text(encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\ncodes:\n  - name: [unclosed\n", encoding="utf-8")
    out = cli("codebook", "import", str(project), str(bad))
    assert out.returncode == 2 and len(out.stderr.strip().splitlines()) == 1


# SQLite only: the demo is a .wbp file in the data folder (or at --path).
def test_demo_builds_without_opening(cli: CliRunner, tmp_path: Path):
    path = tmp_path / "demo.wbp"
    out = cli("demo", "--path", str(path), "--no-open")
    assert out.returncode == 0, out.stderr
    info = json.loads(cli("info", str(path), "--json").stdout)
    groups = {t["group"] for t in info["transcripts"]}
    assert {"Ledere", "Miljøterapeuter"} <= groups
    assert all(t["words"] > 4000 for t in info["transcripts"] if t["group"])
    assert info["codes"] > 20
    again = cli("demo", "--path", str(path), "--no-open")
    assert again.returncode == 2  # never overwrites silently
    assert cli("demo", "--path", str(path), "--no-open", "--fresh").returncode == 0


def test_import_batch_through_the_pool_goes_past_a_broken_file(
        cli: CliRunner, tmp_path: Path, monkeypatch) -> None:
    """Several files go through the pooled import (worker processes); a broken file in the
    middle is named with its reason, imports nothing, and the others are each their own
    recorded command."""
    from workbench.services import importing

    import concurrent.futures

    monkeypatch.setattr(importing, "PARALLEL_BYTES", 0)  # the pool even for small files
    pools = []

    class Pool(concurrent.futures.ProcessPoolExecutor):
        def __init__(self, *args, **kwargs) -> None:
            pools.append(self)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", Pool)
    project = tmp_path / "p.wbp"
    assert cli("new", str(project)).returncode == 0
    files = []
    for i, said in enumerate(["Brukerne får bestemme mer.", "Vi har for lite tid.",
                              "Lederne lytter til oss."], 1):
        path = tmp_path / f"fg{i}.txt"
        path.write_text(f"Moderator: Hva tenker dere?\nInformant {i}: {said}\n",
                        encoding="utf-8")
        files.append(path)
    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04 not really a Word file")
    twin = tmp_path / "twin.txt"
    twin.write_text(files[0].read_text(encoding="utf-8"), encoding="utf-8")
    out = cli("import", str(project), str(files[0]), str(broken), str(files[1]), str(twin),
              str(files[2]))
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    failed = [line for line in out.stderr.splitlines() if ": ikke importert. " in line]
    assert len(failed) == 2 and failed[0].startswith("broken.docx: ikke importert. ")
    assert len(failed[0]) > len("broken.docx: ikke importert. ") + 10  # with its reason
    assert failed[1].startswith("twin.txt: ikke importert. ") and "fg1" in failed[1]
    assert "2 av 5 filer ble ikke importert" in out.stderr
    done = [line.split(":")[0] for line in out.stdout.splitlines() if "importert som" in line]
    assert done == ["fg1.txt", "fg2.txt", "fg3.txt"]  # a line per file, in the given order
    assert len(pools) == 1  # one multi-file import, its text processing in worker processes
    with Workbench.open(project) as wb:
        assert [t.name for t in wb.info().transcripts] == ["fg1", "fg2", "fg3"]
        assert len(wb.search.search("bruker")) == 1
        assert wb.undo() is not None  # each file is its own command
        assert [t.name for t in wb.info().transcripts] == ["fg1", "fg2"]
