"""``workbench member …``, ``comment``, ``comments``, ``reply``, ``resolve`` and ``--as``,
through ``main(argv)`` in this process, on every backend."""

from __future__ import annotations

import json

import pytest

from workbench.services import Workbench

from tests.conftest import CliRunner
from tests.themes_fixtures import build_study


@pytest.fixture
def project(project_target: str, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("WORKBENCH_USER", "kari")
    with Workbench.create(project_target, title="Team") as wb:
        study = build_study(wb)
        wb.themes.create("Håp", code_ids=[study.codes["håp"]])
    return project_target


def test_members_from_the_command_line(cli: CliRunner, project: str):
    assert json.loads(cli("member", "list", project, "--json").stdout) == []
    assert "ingen medlemmer" in cli("member", "list", project).stdout
    out = cli("member", "add", project, "veileder", "--role", "supervisor")
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == [
        "kari er nå prosjektets forsker (den første som legger til medlemmer).",
        "La til veileder som veileder.",
    ]
    assert cli("--as", "kari", "member", "add", project, "ola").stdout.strip() == \
        "La til ola som medkoder."
    members = json.loads(cli("member", "list", project, "--json").stdout)
    assert [(m["name"], m["role"]) for m in members] == [
        ("kari", "researcher"), ("veileder", "supervisor"), ("ola", "co-coder")]
    # only a researcher manages members; a co-coder is refused in one line
    refused = cli("member", "role", project, "ola", "researcher", "--as", "ola")
    assert refused.returncode == 2 and len(refused.stderr.strip().splitlines()) == 1
    assert cli("member", "role", project, "ola", "researcher").stdout.strip() == \
        "ola er nå forsker."
    assert cli("member", "remove", project, "ola").stdout.strip() == "Fjernet ola fra prosjektet."
    last = cli("member", "role", project, "kari", "co-coder")
    assert last.returncode == 2 and "eneste forskeren" in last.stderr
    unknown = cli("member", "remove", project, "per")
    assert unknown.returncode == 2 and "kari, veileder" in unknown.stderr
    text = cli("member", "list", project).stdout.splitlines()
    assert [line.split() for line in text] == [["kari", "forsker"], ["veileder", "veileder"]]


def test_comments_reply_resolve_from_the_command_line(cli: CliRunner, project: str):
    cli("member", "add", project, "veileder", "--role", "supervisor")
    with Workbench.open(project) as wb:
        coding = wb.codes.codings()[0]
    as_supervisor = ("--as", "veileder")
    on_theme = cli("comment", project, "--on", "theme", "håp", "Hva med motstemmer?", *as_supervisor)
    assert on_theme.returncode == 0, on_theme.stderr
    assert on_theme.stdout.strip() == "Kommentar #1 om «Håp» er lagret."
    on_code = cli("comment", project, "--on", "code", "tid til relasjon", "Definer.", *as_supervisor)
    assert on_code.stdout.strip() == "Kommentar #2 om «tid til relasjon» er lagret."
    on_extract = cli("comment", project, "--on", "extract", str(coding.id), "Godt sitat.",
                     *as_supervisor)
    assert on_extract.returncode == 0 and "#3" in on_extract.stdout
    assert cli("comment", project, "Helheten er god.", *as_supervisor).stdout.strip() == \
        "Kommentar #4 om «prosjektet» er lagret."
    for bad, expected in ((["theme", "Finnes ikke"], "Fant ingen tema"),
                          (["extract", "abc"], "nummeret"), (["kode", "håp"], "Ukjent «kode»")):
        out = cli("comment", project, "--on", *bad, "Tekst", *as_supervisor)
        assert out.returncode == 2 and expected in out.stderr, out.stderr
    assert cli("reply", project, "1", "Godt poeng, ser på det.").stdout.strip() == \
        "Svar #5 på kommentar #1 er lagret."
    assert cli("resolve", project, "2", *as_supervisor).stdout.strip() == "Kommentar #2 er lukket."
    listing = cli("comments", project).stdout
    assert "#1  veileder  «Håp»" in listing and "↳ #5  kari: Godt poeng" in listing
    assert "#2" not in listing and "#2" in cli("comments", project, "--all").stdout
    data = json.loads(cli("comments", project, "--json").stdout)
    assert [c["id"] for c in data] == [1, 3, 4]
    assert cli("resolve", project, "2", "--reopen").stdout.strip() == "Kommentar #2 er åpnet igjen."
    with Workbench.open(project) as wb:
        assert [c.author for c in wb.review.comments()] == ["veileder"] * 4
        history = [(c.actor, c.name) for c in wb.history()]
    assert history[:3] == [("kari", "comment.resolve"), ("veileder", "comment.resolve"),
                           ("kari", "comment.reply")]


def test_as_name_before_or_after_the_command_and_in_english(cli: CliRunner, project: str):
    cli("member", "add", project, "veileder", "--role", "supervisor")
    for argv in (["--as", "veileder", "journal", project, "x"],
                 ["journal", project, "x", "--as", "veileder"],
                 ["codebook", "import", project, "k.yaml", "--as", "veileder"]):
        out = cli(*argv)
        assert out.returncode == 2 and "Veiledermodus" in out.stderr, (argv, out.stderr)
    english = cli("--lang", "en", "member", "list", project, "--as", "nobody")
    assert english.returncode == 2 and "is not a member" in english.stderr
