"""``workbench assign``, ``unblind``, ``kind``, ``codings`` and ``show --codings``, through
``main(argv)`` in this process, on every backend."""

from __future__ import annotations

import json

import pytest

from workbench.services import Workbench

from tests.conftest import CliRunner, sample_parsed


@pytest.fixture
def project(project_target: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """kari (researcher) and ola (co-coder) have each coded fg1 once with «Håp»; veileder
    supervises."""
    monkeypatch.setenv("WORKBENCH_USER", "kari")
    with Workbench.create(project_target, title="Team") as wb:
        wb.members.add("ola", "co-coder")
        wb.members.add("veileder", "supervisor")
        tr = wb.transcripts.add_parsed(sample_parsed(), name="fg1")
        text = wb.transcripts.get(tr.id).text
        hope = wb.codes.create("Håp")
        start = text.index("sykepleier")
        wb.codes.apply(tr.id, start, start + len("sykepleier"), code_id=hope.id)
    with Workbench.open(project_target, actor="ola") as wb:
        start = text.index("håp")
        wb.codes.apply(tr.id, start, start + 3, code_id=hope.id)
    return project_target


def _coders(cli: CliRunner, project: str, *extra: str) -> list[str]:
    done = cli("codings", project, "fg1", "--json", *extra)
    assert done.returncode == 0, done.stderr
    return [c["coder"] for c in json.loads(done.stdout)["codings"]]


def test_assign_blind_then_unblind(cli: CliRunner, project: str):
    assert cli("assign", project, "--list").stdout.strip() == "Ingen transkripsjoner er tildelt."
    done = cli("assign", project, "fg1", "--coders", "kari, ola", "--blind")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().startswith("«fg1» er tildelt kari, ola, blindet:")
    assert cli("assign", project).stdout.split() == ["fg1", "kari,", "ola", "blindet"]
    listed = json.loads(cli("assign", project, "--list", "--json").stdout)
    assert [(a["transcript"], a["coders"], a["blind"]) for a in listed] == [
        ("fg1", ["kari", "ola"], True)]

    assert _coders(cli, project) == ["kari"]
    assert _coders(cli, project, "--as", "ola") == ["ola"]
    assert _coders(cli, project, "--as", "veileder") == ["kari", "ola"]
    blind = cli("codings", project, "fg1", "--as", "ola")
    assert blind.stdout.splitlines()[0] == "(Blindet: du ser bare dine egne kodinger i «fg1».)"
    shown = json.loads(cli("show", project, "fg1", "--codings", "--json", "--as", "ola").stdout)
    assert [c["coder"] for turn in shown["turns"] for c in turn.get("codings", [])] == ["ola"]

    refused = cli("unblind", project, "fg1", "--as", "ola")
    assert refused.returncode == 2 and "medkoder" in refused.stderr
    assert cli("unblind", project, "fg1").stdout.strip() == \
        "Blindingen av «fg1» er opphevet: alle ser alle kodingene."
    assert _coders(cli, project, "--as", "ola") == ["kari", "ola"]
    assert "blinding opphevet" in cli("assign", project, "--list").stdout
    assert cli("history", project, "--limit", "2").stdout.count("blind") == 2
    assert cli("undo", project).returncode == 0
    assert _coders(cli, project, "--as", "ola") == ["ola"]
    assert cli("assign", project, "fg1", "--remove").returncode == 0
    assert _coders(cli, project, "--as", "ola") == ["kari", "ola"]


def test_assign_refuses_unknown_coders_and_co_coders(cli: CliRunner, project: str):
    unknown = cli("assign", project, "fg1", "--coders", "kari,per")
    assert unknown.returncode == 2 and "«per» er ikke medlem" in unknown.stderr
    none = cli("assign", project, "fg1")
    assert none.returncode == 2 and "minst én koder" in none.stderr
    by_co_coder = cli("assign", project, "fg1", "--coders", "ola", "--as", "ola")
    assert by_co_coder.returncode == 2
    assert json.loads(cli("assign", project, "--json").stdout) == []


def test_codings_and_show_carry_the_coder(cli: CliRunner, project: str):
    text = cli("codings", project, "fg1").stdout.splitlines()
    assert [line.split("[")[-1] for line in text[::2]] == ["kari]", "ola]"]
    assert "Håp" in text[0] and text[1].strip() == "sykepleier"
    assert _coders(cli, project, "--mine", "--as", "ola") == ["ola"]
    assert _coders(cli, project, "--coder", "kari") == ["kari"]
    assert _coders(cli, project, "--disagreements") == ["kari", "ola"]  # different text
    unknown = cli("codings", project, "fg1", "--coder", "per")
    assert unknown.returncode == 2 and "Kodere: kari, ola" in unknown.stderr
    shown = cli("show", project, "fg1", "--codings").stdout
    assert "[kari]" in shown and "[ola]" in shown and "«sykepleier»" in shown
    assert "[kari]" not in cli("show", project, "fg1").stdout  # as before without --codings
    plain = json.loads(cli("show", project, "fg1", "--json").stdout)
    assert all("codings" not in turn for turn in plain["turns"])


def test_kind_of_analysis(cli: CliRunner, project: str):
    shown = cli("kind", project).stdout.splitlines()
    assert shown[0] == "Analysetype: refleksiv tematisk analyse (reflexive)."
    assert "ikke et kvalitetsmål" in shown[1]
    assert cli("kind", project, "codebook").stdout.splitlines()[0] == \
        "Analysetypen er nå kodebokbasert tematisk analyse (codebook)."
    assert cli("kind", project, "reliability", "--as", "ola").returncode == 2
    assert cli("--lang", "en", "kind", project).stdout.splitlines()[0] == \
        "Kind of analysis: codebook thematic analysis (codebook)."
    assert cli("kind", project, "grounded").returncode == 2  # not a choice


def test_codebook_counts_split_by_coder(cli: CliRunner, project: str):
    assert json.loads(cli("codings", project, "--counts", "--json").stdout) == {
        "Håp": {"kari": 1, "ola": 1}}
    table = cli("codings", project, "fg1", "--counts").stdout.splitlines()
    assert table[0].split() == ["kari", "ola"] and table[1].split() == ["Håp", "1", "1"]
    assert cli("assign", project, "fg1", "--coders", "kari,ola", "--blind").returncode == 0
    assert json.loads(cli("codings", project, "--counts", "--json", "--as", "ola").stdout) == {
        "Håp": {"ola": 1}}
    missing = cli("codings", project)
    assert missing.returncode == 2 and "--counts" in missing.stderr
