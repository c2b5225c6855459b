"""The agreement service on both backends: two members code the same transcript; figures
(hand-computed below), the recorded run, the scope rules, disagreements and consensus."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from workbench.i18n import UserError
from workbench.services import Workbench
from workbench.services.agreement import CONSENSUS, AgreementService
from workbench.storage.models import Assignment, Coding, Project
from workbench.storage.undo import describe

from tests.conftest import sample_parsed
from tests.themes_fixtures import find, staff_parsed
from tests.unit.services.support import refused


@dataclass
class Team:
    target: str
    fg1: int
    fg2: int

    def open(self, actor: str) -> Workbench:
        return Workbench.open(self.target, actor=actor)


def code(wb: Workbench, tid: int, phrase: str, name: str) -> None:
    start, end = find(wb.transcripts.get(tid).text, phrase)
    wb.codes.apply(tid, start, end, name=name)


@pytest.fixture
def team(wb: Workbench, project_target: str) -> Team:
    """fg1 (8 sentences, 6 turns) coded by kari and ola; fg2 by kari only.

    kari: «yrke» on «sykepleier» (sentence 4), «håp» on «opplever håp» (sentence 8);
    ola:  «yrke» on «Vernepleier» (sentence 5), «håp» on «brukeren opplever håp» (8).
    """
    fg1 = wb.transcripts.add_parsed(sample_parsed(), name="fg1").id
    fg2 = wb.transcripts.add_parsed(staff_parsed(), name="fg2").id
    wb.members.add("kari", "co-coder")
    wb.members.add("ola", "co-coder")
    wb.members.add("vera", "supervisor")
    with Workbench.open(project_target, actor="kari") as kari:
        code(kari, fg1, "sykepleier", "yrke")
        code(kari, fg1, "opplever håp", "håp")
        code(kari, fg2, "det gir håp", "håp")
    with Workbench.open(project_target, actor="ola") as ola:
        code(ola, fg1, "Vernepleier", "yrke")
        code(ola, fg1, "brukeren opplever håp", "håp")
    return Team(project_target, fg1, fg2)


def test_figures_per_code_and_overall_by_hand(team: Team) -> None:
    # 8 sentence units of fg1 (fg2 only kari coded: skipped).
    # yrke: kari = sentence 4, ola = sentence 5. p_o = 6/8; p_kari(1) = p_ola(1) = 1/8;
    #   p_e = 1/64 + 49/64 = 50/64; κ = (48/64 − 50/64)/(14/64) = −1/7.
    #   α: 16 values, n_1 = 2, n_0 = 14, o_01 = o_10 = 2: α = 1 − 15·4/(2·2·14) = −1/14.
    # håp: both on sentence 8: κ = α = 1, 100 %.
    # overall, 16 (unit, code) items: yes/yes 1, yes/no 1, no/yes 1, no/no 13.
    #   p_o = 14/16 = 87.5 %; p(1) = 2/16 each: p_e = 4/256 + 196/256 = 200/256;
    #   κ = (224 − 200)/(256 − 200) = 3/7.
    #   α: 32 values, n_1 = 4, n_0 = 28, o_01 = o_10 = 2: α = 1 − 31·4/(2·4·28) = 25/56.
    with team.open("kari") as wb:
        report = AgreementService(wb.store).compute(["kari", "ola"])
    assert report.transcripts == ("fg1",) and report.skipped == ("fg2",)
    assert report.analysis_kind == "reflexive" and report.reflexive
    codes = dict(report.codes)
    assert list(codes) == ["håp", "yrke"]
    assert codes["yrke"].units == 8
    assert codes["yrke"].percent_agreement == pytest.approx(75.0)
    assert codes["yrke"].kappa == pytest.approx(-1 / 7)
    assert codes["yrke"].alpha == pytest.approx(-1 / 14)
    assert (codes["håp"].kappa, codes["håp"].alpha) == (pytest.approx(1.0), pytest.approx(1.0))
    overall = report.overall
    assert (overall.units, overall.decisions) == (8, 16)
    assert overall.percent_agreement == pytest.approx(87.5)
    assert overall.kappa == pytest.approx(3 / 7)
    assert overall.alpha == pytest.approx(25 / 56)


def test_turn_and_character_units(team: Team) -> None:
    # turns: fg1 has 6; yrke kari = turn 3, ola = turn 4: p_o = 4/6, p_e = 1/36 + 25/36;
    #   κ = (24/36 − 26/36)/(10/36) = −1/5; α = 1 − 11·4/(2·2·10) = −1/10.
    with team.open("kari") as wb:
        service = AgreementService(wb.store)
        turns = service.compute(["kari", "ola"], unit="turn")
        chars = service.compute(["kari", "ola"], unit="character")
    yrke = dict(turns.codes)["yrke"]
    assert yrke.units == 6
    assert yrke.kappa == pytest.approx(-0.2)
    assert yrke.alpha == pytest.approx(-0.1)
    assert chars.overall.units == 290  # fg1's stored text has 290 code points
    # håp per character: «opplever håp» (12) inside «brukeren opplever håp» (21): 9 differ
    assert dict(chars.codes)["håp"].percent_agreement == pytest.approx(100 * (290 - 9) / 290)


def test_a_computation_is_recorded_once_and_can_be_undone(team: Team) -> None:
    with team.open("kari") as wb:
        service = AgreementService(wb.store)
        report = service.compute(["kari", "ola"])
        assert report.recorded
        runs = service.runs()
        assert len(runs) == 1
        run = runs[0]
        assert (run.actor, run.coders, run.unit) == ("kari", ("kari", "ola"), "sentence")
        assert run.scope == {"transcript": None, "code": None}
        assert run.result["alpha"] == pytest.approx(25 / 56)
        assert run.result["codes"]["yrke"]["kappa"] == pytest.approx(-1 / 7)
        latest = wb.history(1)[0]
        assert latest.summary == "Beregnet samsvar mellom kari, ola per setning (α totalt 0,45)"
        assert describe(latest.name, latest.args, lang="en").endswith("(overall α 0.45)")
        service.compute(["kari", "ola"])  # the same figures again: not a second run
        assert len(service.runs()) == 1
        service.compute(["kari", "ola"], code="yrke")  # another scope is
        assert len(service.runs()) == 2
        assert service.runs()[1].scope == {"transcript": None, "code": "yrke"}
        wb.undo()
        assert len(service.runs()) == 1


def test_a_supervisor_sees_the_figures_but_records_nothing(team: Team) -> None:
    with team.open("vera") as wb:
        report = AgreementService(wb.store).compute(["kari", "ola"])
        assert not report.recorded
        assert report.overall.kappa == pytest.approx(3 / 7)
        assert AgreementService(wb.store).runs() == []
        item = AgreementService(wb.store).disagreements(["kari", "ola"]).items[0]
        refused(wb, lambda: AgreementService(wb.store).settle(item, "a"), "review.error.read_only")


def test_scope_filters_and_errors(team: Team) -> None:
    with team.open("kari") as wb:
        service = AgreementService(wb.store)
        only = service.compute(["kari", "ola"], transcript="fg1", code="Yrke", record=False)
        assert [name for name, _ in only.codes] == ["yrke"]
        assert only.overall.kappa == pytest.approx(-1 / 7)  # the pool is the one code
        nothing = service.compute(["kari", "ola"], transcript="fg2", record=False)
        assert nothing.transcripts == () and nothing.skipped == ("fg2",)
        assert nothing.overall.units == 0 and nothing.overall.kappa is None
        for call, key in (
            (lambda: service.compute(["kari"]), "agreement.error.two_coders"),
            (lambda: service.compute(["kari", "kari"]), "agreement.error.two_coders"),
            (lambda: service.compute(["kari", "per"]), "agreement.error.unknown_coder"),
            (lambda: service.compute(["kari", "ola"], unit="ord"), "agreement.error.unit"),
            (lambda: service.compute(["kari", "ola"], code="ukjent"), "agreement.error.unknown_code"),
            (lambda: service.compute(["kari", "ola"], transcript="fg9"), "transcript.error.unknown"),
        ):
            refused(wb, call, key)


def test_the_kind_of_analysis_comes_from_the_project(team: Team) -> None:
    with team.open("kari") as wb:
        with Session(wb.store.engine) as s:  # the setter belongs to another part of the app
            s.execute(update(Project).values(analysis_kind="reliability"))
            s.commit()
        service = AgreementService(wb.store)
        assert service.analysis_kind() == "reliability"
        assert not service.compute(["kari", "ola"], record=False).reflexive


def test_disagreements_list_both_coders_codes(team: Team) -> None:
    with team.open("kari") as wb:
        found = AgreementService(wb.store).disagreements(["kari", "ola"])
    assert (found.units, len(found.items)) == (8, 2)
    first, second = found.items
    assert (first.number, first.transcript, first.speaker) == (1, "fg1", "Leder 1")
    assert first.text == "Jeg er sykepleier og har vært leder i fem år (latter)."
    assert first.codes == (("kari", ("yrke",)), ("ola", ()))
    assert [(c.code, c.text) for c in dict(first.codings)["kari"]] == [("yrke", "sykepleier")]
    assert second.codes == (("kari", ()), ("ola", ("yrke",)))
    assert (second.start, second.end, second.speaker) == (143, 155, "Leder 2")
    assert first.settled is None


def consensus_codings(wb: Workbench) -> list[tuple[str, int, int]]:
    names = {c.id: c.name for c in wb.codes.list()}
    with wb.store.read() as s:
        rows = s.execute(select(Coding.code_id, Coding.start, Coding.end)
                         .where(Coding.coder == CONSENSUS).order_by(Coding.start, Coding.code_id))
        return [(names[c], a, b) for c, a, b in rows]


@pytest.mark.parametrize(("take", "expected"), [
    ("a", [("yrke", 87, 141)]), ("b", []), ("both", [("yrke", 87, 141)]), ("none", []),
])
def test_settling_one_disagreement_is_one_undoable_command(team: Team, take: str,
                                                           expected: list) -> None:
    with team.open("ola") as wb:
        service = AgreementService(wb.store)
        item = service.disagreements(["kari", "ola"]).items[0]
        before = len(wb.history())
        service.settle(item, take)
        assert consensus_codings(wb) == expected
        assert len(wb.history()) == before + 1
        assert wb.history(1)[0].name == "consensus.settle"
        assert service.disagreements(["kari", "ola"]).items[0].settled == take
        wb.undo()
        assert consensus_codings(wb) == []
        assert service.disagreements(["kari", "ola"]).items[0].settled is None


def test_deciding_again_replaces_the_decision_and_consensus_is_a_coder(team: Team) -> None:
    with team.open("kari") as wb:
        service = AgreementService(wb.store)
        first, second = service.disagreements(["kari", "ola"]).items
        service.settle(first, "a")
        service.settle(first, "none")
        assert consensus_codings(wb) == []
        service.settle(first, "both")
        service.settle(second, "b")
        # one decision per unit, kept for the audit; not among the computations
        assert [(d.scope["decision"], d.scope["start"], d.result["consensus"])
                for d in service.decisions()] == [("both", 87, ["yrke"]), ("b", 143, ["yrke"])]
        assert service.runs() == []
        assert service.take_agreed(["kari", "ola"]) == 1  # håp on sentence 8
        assert consensus_codings(wb) == [("yrke", 87, 141), ("yrke", 143, 155), ("håp", 232, 290)]
        assert [h.summary for h in wb.history(3)] == [
            "Ga konsensus 1 utdrag der kari, ola er enige",
            "Konsensus om «Vernepleier.» (Leder 2, fg1): godtok kodene til ola",
            "Konsensus om «Jeg er sykepleier og har vært…» (Leder 1, fg1): godtok kodene til både kari og ola",
        ]
        refused(wb, lambda: service.take_agreed(["kari", "ola"]), "agreement.error.nothing_agreed")
        # the consensus coder compared with kari: kari lacks yrke on sentence 5 only
        report = service.compute(["kari", "konsensus"], record=False)
        assert report.coders == ("kari", CONSENSUS)
        assert dict(report.codes)["yrke"].percent_agreement == pytest.approx(7 / 8 * 100)
        assert dict(report.codes)["håp"].kappa == pytest.approx(1.0)
        for bad, key in (("c", "agreement.error.take"),):
            refused(wb, lambda: service.settle(first, bad), key)


def test_three_coders_use_alpha_with_missing_data(team: Team) -> None:
    # consensus took part in fg1 only (like ola); kari in fg1 and fg2. fg2 has one coder:
    # skipped. All three coded fg1: complete units = 8 and α matches two values per unit.
    with team.open("kari") as wb:
        service = AgreementService(wb.store)
        first = service.disagreements(["kari", "ola"]).items[0]
        service.settle(first, "a")
        report = service.compute(["kari", "ola", "consensus"], record=False)
    assert report.overall.kappa is None  # κ is for two coders
    assert report.overall.units == 8 and report.overall.complete_units == 8
    assert report.skipped == ("fg2",)


def test_blind_transcripts_stay_out_for_their_coders(team: Team) -> None:
    with team.open("kari") as wb:
        with Session(wb.store.engine) as s:  # assignments are made by another part of the app
            s.add(Assignment(transcript_id=team.fg1, coders=["kari", "ola"], blind=True))
            s.commit()
        blind = AgreementService(wb.store).compute(["kari", "ola"], record=False)
        assert blind.blind == ("fg1",) and blind.transcripts == ()
        assert AgreementService(wb.store).disagreements(["kari", "ola"]).items == ()
    with team.open("tester") as wb:  # the researcher, not a listed coder, sees it
        seen = AgreementService(wb.store).compute(["kari", "ola"], record=False)
        assert seen.transcripts == ("fg1",) and seen.blind == ()
