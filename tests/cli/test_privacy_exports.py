"""No real name of the linking key leaves the program: a full export of the demo (every
kind) holds none, and an export that would is stopped before anything is written."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

from workbench.services import Workbench
from workbench.services.demo import build_demo
from workbench.formats.word.kinds import KINDS
from workbench.services.tables import KINDS as TABLE_KINDS


def grep_w(name: str, data: bytes) -> bool:
    """``grep -w NAME`` over a file, and over every member of a zip file."""
    bodies = [data]
    if data[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(__import__("io").BytesIO(data)) as zf:
            bodies += [zf.read(m) for m in zf.namelist()]
    word = re.compile(rb"(?<![\w])" + re.escape(name.encode()) + rb"(?![\w])")
    return any(word.search(b) for b in bodies)


def test_a_full_export_of_the_demo_holds_no_real_name(tmp_path, cli):
    path = build_demo(tmp_path / "demo.wbp") or tmp_path / "demo.wbp"
    names = [p["real"] for p in json.loads(
        Path(f"{path}.nokkel").read_text(encoding="utf-8"))["pairs"]]
    assert "Kari" in names and len(names) > 10
    out = tmp_path / "ut"
    out.mkdir()
    suffix = {"qdc": ".qdc", "qdpx": ".qdpx", "segments": ".csv", "map": ".svg"}
    for kind in KINDS:
        target = out / f"{kind}{suffix.get(kind, '.docx')}"
        result = cli("export", path, kind, "-o", target)
        assert result.returncode == 0, (kind, result.stderr)
    for kind in TABLE_KINDS:
        result = cli("table", path, kind, "--csv", out / f"tabell-{kind}.csv")
        assert result.returncode == 0, (kind, result.stderr)
    result = cli("export", path, "map", "-o", out / "map.png")  # the figure both ways
    assert result.returncode == 0, result.stderr
    result = cli("codebook", "export", path, "-o", out / "kodebok.yaml")
    assert result.returncode == 0, result.stderr
    files = sorted(out.iterdir())
    assert len(files) == len(KINDS) + len(TABLE_KINDS) + 2
    # what is printed goes through the same check: keep it as files and grep those too
    printed = tmp_path / "utskrift"
    printed.mkdir()
    with Workbench.open(path) as wb:
        transcripts = [s.name for s in wb.transcripts.summaries()]
    assert len(transcripts) >= 3
    commands: list[tuple[str | Path, ...]] = []
    for name in transcripts:
        commands += [("show", path, name), ("show", path, name, "--json"),
                     ("show", path, name, "--clean")]
    for query in ("håp", "tid*", "bruker", "\"mer tid\""):
        commands += [("search", path, query), ("search", path, query, "--json")]
    commands += [("search", path, "håp", "--forms"), ("table", path, "words"),
                 ("codebook", "export", path), ("info", path), ("history", path)]
    commands += [("export", path, kind, "--preview") for kind in ("theme-table", "report",
                                                                  "codebook", "audit")]
    for n, args in enumerate(commands):
        result = cli(*args)
        assert result.returncode == 0, (args, result.stderr)
        assert result.stdout.strip(), args
        (printed / f"{n:02d}-{args[0]}.txt").write_text(result.stdout, encoding="utf-8")
    files += sorted(printed.iterdir())
    for file in files:
        data = file.read_bytes()
        for name in names:
            assert not grep_w(name, data), (file.name, name)


def test_an_export_with_a_real_name_is_stopped_and_lists_the_places(tmp_path, cli):
    path = build_demo(tmp_path / "demo.wbp") or tmp_path / "demo.wbp"
    with Workbench.open(path) as wb:
        wb.codes.create("Samtaler med Torstein")
    target = tmp_path / "kodebok.qdc"
    result = cli("export", path, "qdc", "-o", target)
    assert result.returncode != 0
    assert "Torstein" in result.stderr and "kodebok.qdc" in result.stderr
    assert "linje" in result.stderr
    assert not target.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    seg = cli("export", path, "segments", "-o", tmp_path / "seg.csv")
    assert seg.returncode == 0, seg.stderr  # the code has no codings: not in the segments


def test_common_norwegian_first_names_warn_with_the_places(tmp_path, cli):
    path = build_demo(tmp_path / "demo.wbp") or tmp_path / "demo.wbp"
    with Workbench.open(path) as wb:
        wb.codes.create("Samtaler med Ola")  # not in the key: a warning, not a refusal
    target = tmp_path / "kodebok.qdc"
    result = cli("export", path, "qdc", "-o", target)
    assert result.returncode == 0, result.stderr
    assert target.exists()
    assert "vanlige norske fornavn" in result.stderr and "Ola" in result.stderr
    assert "kodebok.qdc" in result.stderr and "linje" in result.stderr
