"""The workbench command through ``main(argv)`` in this process (the console script itself:
tests/cli/test_console_script.py)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from workbench.services import Workbench

from tests.conftest import CliRunner, sample_parsed


def test_help_and_version(cli: CliRunner):
    out = cli("--help")
    assert out.returncode == 0
    for command in ("new", "info", "open"):
        assert command in out.stdout
    version = cli("--version")
    assert version.returncode == 0 and version.stdout.startswith("workbench 0.")


def test_help_in_english(cli: CliRunner):
    out = cli("--lang", "en", "--help")
    assert "create a new project" in out.stdout


def test_new_then_info(cli: CliRunner, project_target: str):
    path = project_target
    out = cli("new", str(path), "--title", "Fokusgrupper 2026")
    assert out.returncode == 0, out.stderr
    with Workbench.open(path) as wb:
        label = wb.store.label
    assert out.stdout.strip() == f"Laget prosjektet «Fokusgrupper 2026» i {label}."
    if "://" in path:  # a URL is shown without its password
        password = make_url(path).password
        assert password and password not in out.stdout and "***" in out.stdout
    else:
        assert Path(path).is_file() and label == path
    with Workbench.open(path) as wb:
        summary = wb.transcripts.add_parsed(sample_parsed(), name="fg1", group="Ledere")
        code = wb.codes.create("håp")
        wb.codes.apply(summary.id, 0, 20, code_id=code.id)
        wb.review.comment("code", code.id, "Er dette et tema?")
    text = cli("info", str(path))
    assert text.returncode == 0, text.stderr
    assert "Fokusgrupper 2026" in text.stdout
    assert "Fase 1: Gjøre seg kjent med datamaterialet" in text.stdout
    assert "fg1" in text.stdout and "Ledere" in text.stdout
    data = json.loads(cli("info", str(path), "--json").stdout)
    assert data["title"] == "Fokusgrupper 2026"
    assert data["phase"] == 1
    (tr,) = data["transcripts"]
    assert tr["name"] == "fg1" and tr["group"] == "Ledere"
    assert tr["turns"] == 6 and tr["speakers"] == 3 and tr["words"] > 30
    assert 0 < tr["coded_share"] < 1
    assert data["codes"] == 1 and data["codings"] == 1 and data["open_comments"] == 1
    assert data["participants"] == 3 and data["groups"] == ["Ledere"]


# SQLite only: about files that are not projects (the PostgreSQL equivalents, no server,
# a wrong password, an empty database, are in tests/unit/storage/test_postgres.py).
@pytest.mark.parametrize("kind", ["missing", "folder", "text", "corrupt"])
@pytest.mark.parametrize("command", ["info", "open"])
def test_bad_project_file_one_line_no_traceback(
    cli: CliRunner, tmp_path: Path, kind: str, command: str
):
    path = tmp_path / "studie.wbp"
    if kind == "folder":
        path.mkdir()
    elif kind == "text":
        path.write_text("Moderator: Hei\n")
    elif kind == "corrupt":
        path.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 20)
    before = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None
    out = cli(command, str(path))
    assert out.returncode == 2
    assert out.stdout == ""
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("workbench: ")
    assert "Traceback" not in out.stderr
    if before:
        assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_undo_and_history_from_the_command_line(cli: CliRunner, project_target: str):
    path = project_target
    with Workbench.create(path) as wb:
        wb.codes.create("relasjon")
    out = cli("undo", str(path))
    assert out.returncode == 0 and "Opprettet koden «relasjon»" in out.stdout
    assert cli("undo", str(path)).stdout.strip() == "Ingenting å angre."
    assert cli("undo", str(path), "--redo").returncode == 0
    history = json.loads(cli("history", str(path), "--json").stdout)
    assert [h["name"] for h in history] == ["code.create"]
    assert history[0]["state"] == "done"


# SQLite only: the message is about a missing project file.
def test_each_call_chooses_its_language_afresh(cli: CliRunner, tmp_path: Path, monkeypatch):
    missing = tmp_path / "finnes-ikke.wbp"
    assert cli("--lang", "en", "info", missing).stderr.startswith(
        "workbench: Project file "
    )
    assert cli("info", missing).stderr.startswith("workbench: Fant ikke prosjektfilen")
    monkeypatch.delenv("WORKBENCH_LANG")
    config = tmp_path / "config.toml"
    config.write_text('language = "en"\n', encoding="utf-8")
    monkeypatch.setenv("WORKBENCH_CONFIG", str(config))
    assert "not found" in cli("info", missing).stderr  # the config file
    monkeypatch.setenv("WORKBENCH_LANG", "nb")
    assert "Fant ikke" in cli("info", missing).stderr  # the environment beats the config
    assert "not found" in cli("--lang=en", "info", missing).stderr  # --lang beats both
