"""A supervisor, in every CLI command, can only comment, reply, resolve and take snapshots.

The test walks the parser, so a new command cannot be forgotten: every subcommand must be
listed below as writing (refused for a supervisor), allowed for a supervisor, or reading.
Each writing command is run as the supervisor member (``--as veileder``; the shell's
WORKBENCH_USER is the researcher, so a command that ignored ``--as`` would succeed and fail
the test) and must exit with status 2 and one line on stderr, leaving every table —
change log included — exactly as it was. Runs on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.pool import NullPool

from workbench.cli.main import build_parser, subcommands
from workbench.services import Workbench

from tests.conftest import CliRunner, sample_parsed
from tests.themes_fixtures import build_study

RESEARCHER, SUPERVISOR = "forsker", "veileder"

# argv after the project for each command that writes the project (refused for a supervisor)
WRITES: dict[str, list[list[str]]] = {
    "import": [["{txt}"], ["{qdpx}"]],
    "codebook import": [["{yaml}"], ["{qdc}"]],
    "autocode": [["håp", "--code", "nytt"], ["bestemme", "--code", "håp"]],
    "phase": [["3"], ["3", "--reason", "klar"]],
    "journal": [["Et notat"]],
    "member add": [["ola", "--role", "co-coder"], [SUPERVISOR + "2", "--role", "supervisor"]],
    "member role": [[SUPERVISOR, "researcher"], [RESEARCHER, "co-coder"]],
    "member remove": [[RESEARCHER], [SUPERVISOR]],
    "withdraw": [["Leder 1"]],
    "purge": [[], ["--keep-map"]],
    "assign": [["fg1", "--coders", RESEARCHER, "--blind"], ["fg1", "--remove"]],
    "unblind": [["fg1"]],
    "kind": [["codebook"]],
    "merge": [["{qdpx}"]],
}
# what a supervisor may do (each succeeds, and writes only comments and snapshots)
ALLOWED: dict[str, list[str]] = {
    "comment": ["--on", "theme", "Håp", "Les Braun & Clarke om dette."],
    "reply": ["{comment}", "Enig."],
    "resolve": ["{comment}"],
    "snapshot": ["etter veiledning"],
}
# commands that only read the project (their writing forms are in WRITES)
READS: dict[str, list[str]] = {
    "info": [], "history": [], "show": ["fg1"], "search": ["håp"], "table": ["frequencies"],
    "themes": [], "phase": [], "journal": [], "snapshot": [], "diff": ["før"],
    "codebook export": [], "member list": [], "comments": [],
    "export": ["codebook", "-o", "{out}/kodebok.docx"],
    "assign": ["--list"], "kind": [], "codings": ["fg1", "--disagreements"],
}
# commands that are not about one existing project's content, with the reason
ELSEWHERE = {
    "new": "creates another project; refused on an existing one for everybody",
    "demo": "builds the demo project in the data folder and opens the terminal UI",
    "open": "starts the terminal UI (tests/ui covers the supervisor there)",
    "undo": "tested below: a supervisor undoes only their own comments",
    "member": "a group: its actions are listed one by one",
    "codebook": "a group: its actions are listed one by one",
    "agreement": "needs two coders' codings: tests/cli/test_cli_agreement.py (supervisor too)",
    "disagreements": "needs two coders' codings: tests/cli/test_cli_agreement.py",
    "consensus": "needs a disagreement: tests/cli/test_cli_agreement.py (supervisor refused)",
}


def dump(url: str) -> dict[str, list[tuple]]:
    """Every row of every table, change log included, in a stable order."""
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            tables = sorted(inspect(conn).get_table_names())
            return {
                table: sorted(
                    (tuple(map(repr, row)) for row in conn.execute(text(f'SELECT * FROM "{table}"'))),
                )
                for table in tables
            }
    finally:
        engine.dispose()


def url_of(target: str) -> str:
    return target if "://" in target else f"sqlite:///{target}"


def fill(target: str, tmp_path: Path) -> dict[str, str]:
    """The study, a theme, a snapshot, an open comment, the two members, and input files."""
    with Workbench.create(target, actor=RESEARCHER, title="Veiledning") as wb:
        study = build_study(wb)
        theme = wb.themes.create("Håp")
        wb.themes.link_code(theme.id, study.codes["håp"])
        wb.snapshots.create("før")
        wb.members.add(SUPERVISOR, "supervisor")
        comment = Workbench.open(target, actor=SUPERVISOR)
        with comment:
            first = comment.review.comment("theme", theme.id, "Hva med motsatte stemmer?")
        (tmp_path / "codebook.yaml").write_text(wb.codebooks.export_yaml(), encoding="utf-8")
        wb.exchange.export_qdc(tmp_path / "kodebok.qdc")
        wb.exchange.export_qdpx(tmp_path / "prosjekt.qdpx")
    txt = tmp_path / "fg3.txt"
    txt.write_text("\n".join(f"{t.speaker or 'Moderator'}: {t.text}" for t in sample_parsed().turns[1:]),
                   encoding="utf-8")
    out = tmp_path / "ut"
    out.mkdir()
    return {"txt": str(txt), "yaml": str(tmp_path / "codebook.yaml"),
            "qdc": str(tmp_path / "kodebok.qdc"), "qdpx": str(tmp_path / "prosjekt.qdpx"),
            "comment": str(first.id), "out": str(out)}


def leaves() -> set[str]:
    return {name for name, _ in subcommands(build_parser())}


def test_every_command_is_classified() -> None:
    known = set(WRITES) | set(ALLOWED) | set(READS) | set(ELSEWHERE)
    assert leaves() - known == set(), "a new command: say whether it writes (WRITES) or reads"
    assert known - leaves() == set()


@pytest.fixture
def team_project(project_target: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("WORKBENCH_USER", RESEARCHER)
    files = fill(project_target, tmp_path)
    return project_target, files


def test_supervisor_is_refused_every_write_and_nothing_changes(
    team_project: tuple[str, dict[str, str]], cli: CliRunner
) -> None:
    target, files = team_project
    before = dump(url_of(target))
    refused = []
    for command, variants in WRITES.items():
        for extra in variants:
            argv = [*command.split(), target, *(a.format(**files) for a in extra)]
            result = cli(*argv, "--as", SUPERVISOR)
            lines = result.stderr.strip().splitlines()
            assert result.returncode == 2, (argv, result)
            assert len(lines) == 1 and lines[0].startswith("workbench: "), (argv, result.stderr)
            assert "Veiledermodus" in lines[0], (argv, lines[0])
            refused.append(command)
            assert dump(url_of(target)) == before, f"{argv} changed the project"
    assert set(refused) == set(WRITES)
    # the same commands before the command name (global --as) are refused too
    result = cli("--as", SUPERVISOR, "journal", target, "Et notat")
    assert result.returncode == 2 and dump(url_of(target)) == before


def test_supervisor_may_comment_reply_resolve_snapshot_and_read(
    team_project: tuple[str, dict[str, str]], cli: CliRunner
) -> None:
    target, files = team_project
    for command, extra in ALLOWED.items():
        result = cli(command, target, *(a.format(**files) for a in extra), "--as", SUPERVISOR)
        assert result.returncode == 0, (command, result)
    for command, extra in READS.items():
        result = cli(*command.split(), target, *(a.format(**files) for a in extra),
                     "--as", SUPERVISOR)
        assert result.returncode == 0, (command, result)
    after = dump(url_of(target))
    with Workbench.open(target, actor=RESEARCHER) as wb:
        history = wb.history()
        assert [(c.actor, c.name) for c in history[:4]] == [
            (SUPERVISOR, "snapshot.create"), (SUPERVISOR, "comment.resolve"),
            (SUPERVISOR, "comment.reply"), (SUPERVISOR, "comment.add"),
        ]
        assert wb.snapshots.list()[-1].name == "etter veiledning"
    assert after["review_comment"] and after["snapshot"]


def test_supervisor_undo_takes_back_only_their_own_comments(
    team_project: tuple[str, dict[str, str]], cli: CliRunner
) -> None:
    target, files = team_project
    assert cli("journal", target, "Forskerens notat").returncode == 0  # as the researcher
    assert cli("comment", target, "--on", "code", "håp", "Definer koden.", "--as", SUPERVISOR
               ).returncode == 0
    assert cli("journal", target, "Et notat til").returncode == 0
    first = cli("undo", target, "--as", SUPERVISOR)
    assert first.returncode == 0 and "veilederkommentar" in first.stdout
    second = cli("undo", target, "--as", SUPERVISOR)  # the comment written in fill()
    assert second.returncode == 0 and "veilederkommentar" in second.stdout
    third = cli("undo", target, "--as", SUPERVISOR)
    assert third.returncode == 0 and third.stdout.strip() == "Ingenting å angre."
    with Workbench.open(target, actor=RESEARCHER) as wb:
        assert [e.text for e in wb.journal.list()] == ["Forskerens notat", "Et notat til"]
        assert wb.review.comments(status=None) == []
        states = {(c.actor, c.name): c.state for c in wb.history()}
        assert states[(RESEARCHER, "journal.add")] == "done"
        assert states[(SUPERVISOR, "comment.add")] == "undone"


def test_cli_refuses_a_name_that_is_not_a_member(
    team_project: tuple[str, dict[str, str]], cli: CliRunner
) -> None:
    target, _files = team_project
    before = dump(url_of(target))
    result = cli("journal", target, "Hei", "--as", "ukjent")
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert "«ukjent» er ikke medlem av prosjektet" in line and "forsker, veileder" in line
    assert dump(url_of(target)) == before
