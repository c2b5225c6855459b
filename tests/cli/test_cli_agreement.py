"""``workbench agreement | disagreements | consensus`` on both backends."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session

from workbench.i18n import t
from workbench.services import Workbench
from workbench.storage.models import Project

from tests.conftest import sample_parsed
from tests.themes_fixtures import find


def code(wb: Workbench, tid: int, phrase: str, name: str) -> None:
    start, end = find(wb.transcripts.get(tid).text, phrase)
    wb.codes.apply(tid, start, end, name=name)


@pytest.fixture
def team(wb: Workbench, project_target: str) -> str:
    """fg1 coded by kari and ola (see tests/unit/services/test_agreement_service.py for the
    hand-computed figures: yrke κ = −1/7, α = −1/14; overall κ = 3/7, α = 25/56)."""
    fg1 = wb.transcripts.add_parsed(sample_parsed(), name="fg1").id
    wb.members.add("kari", "co-coder")
    wb.members.add("ola", "co-coder")
    with Workbench.open(project_target, actor="kari") as kari:
        code(kari, fg1, "sykepleier", "yrke")
        code(kari, fg1, "opplever håp", "håp")
    with Workbench.open(project_target, actor="ola") as ola:
        code(ola, fg1, "Vernepleier", "yrke")
        code(ola, fg1, "brukeren opplever håp", "håp")
    return project_target


def test_agreement_json_has_the_figures_overall_and_per_code(cli, team: str) -> None:
    code_, stdout, stderr = cli("agreement", team, "--coders", "kari,ola", "--json", "--as", "kari")
    assert code_ == 0, stderr
    data = json.loads(stdout)
    assert stderr.strip() == t("agreement.caveat")  # reflexive: said, but not in the JSON
    assert data["units"] == 8
    assert data["percent_agreement"] == pytest.approx(87.5)
    assert data["kappa"] == pytest.approx(3 / 7)
    assert data["alpha"] == pytest.approx(25 / 56)
    assert set(data["codes"]) == {"håp", "yrke"}
    yrke = data["codes"]["yrke"]
    assert {k: yrke[k] for k in ("units", "percent_agreement")} == {"units": 8, "percent_agreement": 75.0}
    assert yrke["kappa"] == pytest.approx(-1 / 7) and yrke["alpha"] == pytest.approx(-1 / 14)
    assert data["unit"] == "sentence" and data["coders"] == ["kari", "ola"]
    turn = json.loads(cli("agreement", team, "--coders", "kari,ola", "--unit", "turn",
                          "--code", "yrke", "--json", "--as", "kari").stdout)
    assert turn["units"] == 6 and list(turn["codes"]) == ["yrke"]
    assert turn["kappa"] == pytest.approx(-0.2)


def test_a_reflexive_project_says_why_first_then_the_table(cli, team: str) -> None:
    code_, stdout, _ = cli("agreement", team, "--coders", "kari,ola", "--as", "kari")
    assert code_ == 0
    lines = stdout.splitlines()
    assert lines[0] == t("agreement.caveat") and "Braun og Clarke" in lines[0]
    assert lines[2] == "Samsvar mellom kari og ola per setning (refleksiv tematisk analyse)"
    table = [line.split() for line in lines[4:8]]
    assert table[0] == ["Kode", "Enheter", "Samsvar", "κ", "α"]
    assert table[1] == ["håp", "8", "100,0", "%", "1,00", "1,00"]
    assert table[2] == ["yrke", "8", "75,0", "%", "-0,14", "-0,07"]
    assert table[3] == ["Totalt", "8", "87,5", "%", "0,43", "0,45"]


def test_a_reliability_project_gets_the_figures_without_the_caveat(cli, team: str) -> None:
    with Workbench.open(team, actor="kari") as wb, Session(wb.store.engine) as s:
        s.execute(update(Project).values(analysis_kind="reliability"))
        s.commit()
    code_, stdout, stderr = cli("--lang", "en", "agreement", team, "--coders", "kari,ola",
                                "--code", "håp", "--as", "ola")
    assert code_ == 0, stderr
    assert t("agreement.caveat", lang="en") not in stdout + stderr
    assert stdout.splitlines()[0] == ("Agreement between kari and ola per sentence "
                                      "(coding reliability thematic analysis)")
    # both coded håp on sentence 8 and nowhere else: 100 %; the 7 other sentences are «no»
    # for both, so the values vary and κ = α = 1 (not undefined).
    assert stdout.splitlines()[3].split() == ["håp", "8", "100.0%", "1.00", "1.00"]


def test_disagreements_are_listed_and_settled_by_number(cli, team: str) -> None:
    code_, stdout, _ = cli("disagreements", team, "--coders", "kari,ola", "--as", "ola")
    assert code_ == 0
    assert stdout.splitlines() == [
        "2 uenigheter i 8 enheter mellom kari og ola:",
        "   1  fg1 · Leder 1 · 87–141  «Jeg er sykepleier og har vært leder i fem år (latter).»",
        "      kari: yrke",
        "      ola:  ingen koder",
        "   2  fg1 · Leder 2 · 143–155  «Vernepleier.»",
        "      kari: ingen koder",
        "      ola:  yrke",
    ]
    code_, stdout, _ = cli("consensus", team, "2", "--coders", "kari,ola", "--take", "b", "--as", "ola")
    assert code_ == 0
    assert stdout.strip() == "Konsensus for nr. 2 («Vernepleier.»): yrke."
    data = json.loads(cli("disagreements", team, "--coders", "kari,ola", "--json", "--as", "ola").stdout)
    assert [d["settled"] for d in data["disagreements"]] == [None, "b"]
    assert data["disagreements"][1]["codes"] == {"kari": [], "ola": ["yrke"]}
    # the consensus coder is a coder of its own
    data = json.loads(cli("agreement", team, "--coders", "ola,consensus", "--code", "yrke",
                          "--json", "--as", "ola").stdout)
    assert data["percent_agreement"] == 100.0
    # computing is kept in the change log too: undo takes it back first, then the decision
    assert "Beregnet samsvar mellom ola, consensus" in cli("undo", team, "--as", "ola").stdout
    assert "Konsensus om «Vernepleier.»" in cli("undo", team, "--as", "ola").stdout
    data = json.loads(cli("disagreements", team, "--coders", "kari,ola", "--json", "--as", "ola").stdout)
    assert [d["settled"] for d in data["disagreements"]] == [None, None]


def test_taking_over_the_agreed_units(cli, team: str) -> None:
    code_, stdout, _ = cli("consensus", team, "--coders", "kari,ola", "--agreed", "--as", "kari")
    assert code_ == 0
    assert stdout.strip() == "Konsensus fikk 1 koding fra enhetene der kari og ola er enige."


def test_mistakes_are_one_line_and_exit_2(cli, team: str) -> None:
    for args, key, params in (
        (("agreement", team, "--coders", "kari"), "agreement.error.two_coders", {}),
        (("consensus", team, "9", "--coders", "kari,ola", "--take", "a"),
         "agreement.error.no_disagreement", {"n": 9, "total": 2}),
        (("consensus", team, "--coders", "kari,ola"), "agreement.error.consensus_usage", {}),
    ):
        code_, _, stderr = cli(*args, "--as", "kari")
        assert code_ == 2
        assert stderr.strip() == "workbench: " + t(key, **params)
    code_, _, stderr = cli("agreement", team, "--coders", "kari,per", "--as", "kari")
    assert code_ == 2 and "«per»" in stderr and "kari, ola" in stderr


def test_a_supervisor_gets_the_figures_but_may_not_settle(cli, team: str) -> None:
    with Workbench.open(team, actor="tester") as wb:
        wb.members.add("vera", "supervisor")
    code_, stdout, _ = cli("agreement", team, "--coders", "kari,ola", "--as", "vera")
    assert code_ == 0
    assert "Totalt" in stdout and stdout.strip().endswith(t("agreement.cli.not_recorded"))
    with Workbench.open(team, actor="vera") as wb:
        assert wb.agreement.runs() == []
        before = len(wb.history())
    code_, _, stderr = cli("consensus", team, "1", "--coders", "kari,ola", "--take", "a",
                           "--as", "vera")
    assert code_ == 2 and "Veiledermodus" in stderr and len(stderr.strip().splitlines()) == 1
    code_, _, stderr = cli("consensus", team, "--coders", "kari,ola", "--agreed", "--as", "vera")
    assert code_ == 2 and "Veiledermodus" in stderr
    with Workbench.open(team, actor="vera") as wb:
        assert len(wb.history()) == before
