"""The installed ``workbench`` console script, run in a subprocess as a user runs it.

Only these tests start the binary: they check the entry point (``workbench =
"workbench.cli.main:main"``), that its exit status reaches the shell and that a command
does its work in a fresh process. Every other CLI test calls ``main(argv)`` in-process.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import run_console_script


def test_console_script_help_and_version():
    out = run_console_script("--help")
    assert out.returncode == 0, out.stderr
    for command in ("new", "info", "open", "import", "export", "themes"):
        assert command in out.stdout
    version = run_console_script("--version")
    assert version.returncode == 0 and version.stdout.startswith("workbench 0.")


# SQLite only: these start the installed console script in a subprocess (slow); what the
# commands do on PostgreSQL is covered in process by the other CLI tests.
def test_console_script_exit_status_and_one_line_on_stderr(tmp_path: Path):
    out = run_console_script("info", tmp_path / "finnes-ikke.wbp")
    assert out.returncode == 2
    assert out.stdout == ""
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("workbench: ") and "Traceback" not in out.stderr
    usage = run_console_script("frobnicate")
    assert usage.returncode == 2 and "bruk: workbench" in usage.stderr  # argparse in bokmål
    assert "feil: argumentet KOMMANDO: ugyldig valg: 'frobnicate'" in usage.stderr


def test_console_script_creates_and_reads_a_project(tmp_path: Path):
    path = tmp_path / "studie.wbp"
    out = run_console_script("--lang", "en", "new", path, "--title", "Fokusgrupper 2026")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("Created the project “Fokusgrupper 2026”")
    assert path.is_file()
    info = run_console_script("info", path, "--json")
    assert info.returncode == 0, info.stderr
    data = json.loads(info.stdout)
    assert data["title"] == "Fokusgrupper 2026" and data["transcripts"] == []
    assert data["phase_name"] == "Gjøre seg kjent med datamaterialet"
