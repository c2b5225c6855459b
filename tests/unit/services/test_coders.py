"""Team coding through the service API, on every backend: one coder's codings are never
merged with another's, coder views, blind double coding, and the kind of analysis."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from workbench.domain.coders import coder_colours, disagreements
from workbench.domain.codebook import PALETTE
from workbench.i18n import UserError
from workbench.services import Workbench
from workbench.services.codes import CodingView
from workbench.services.search import SearchFilter

from tests.conftest import sample_parsed


class Team:
    """A project with a researcher (anne), two co-coders (bo, cato) and a supervisor
    (vera), one transcript and one code; ``as_(name)`` opens it as that member."""

    def __init__(self, target: str) -> None:
        self.target = target
        self.open: list[Workbench] = []
        with Workbench.create(target, title="Team", actor="anne") as wb:
            wb.members.add("bo", "co-coder")
            wb.members.add("cato", "co-coder")
            wb.members.add("vera", "supervisor")
            self.tid = wb.transcripts.add_parsed(sample_parsed(), name="fg1").id
            self.text = wb.transcripts.get(self.tid).text
            self.hope = wb.codes.create("Håp").id

    def as_(self, name: str) -> Workbench:
        wb = Workbench.open(self.target, actor=name)
        self.open.append(wb)
        return wb

    def span(self, words: str) -> tuple[int, int]:
        start = self.text.index(words)
        return start, start + len(words)

    def close(self) -> None:
        for wb in self.open:
            wb.close()


@pytest.fixture
def team(project_target: str) -> Iterator[Team]:
    t = Team(project_target)
    yield t
    t.close()


def _who(codings: list[CodingView]) -> list[tuple[str, int, int]]:
    return sorted((c.coder, c.start, c.end) for c in codings)


# -- never merged --------------------------------------------------------------------------


def test_autocode_codes_a_span_another_coder_already_coded(team: Team):
    anne, bo = team.as_("anne"), team.as_("bo")
    start, end = team.span("brukerne")
    anne.codes.apply(team.tid, start, end, code_id=team.hope)
    # before: bo's hit was skipped as «already coded» because anne had coded it
    assert bo.search.autocode("=brukerne", code_name="Håp") == (1, 0)
    assert _who(anne.codes.codings(code_id=team.hope)) == [("anne", start, end), ("bo", start, end)]
    # only bo's own codings count as already there
    assert bo.search.autocode("=brukerne", code_name="Håp") == (0, 1)
    assert bo.search.code_turns(code_name="Håp", speaker="Leder 2") == (1, 0)
    bo.undo()
    bo.undo()
    assert _who(anne.codes.codings(code_id=team.hope)) == [("anne", start, end)]


def test_manual_coding_is_a_duplicate_only_of_the_coders_own(team: Team):
    anne, bo = team.as_("anne"), team.as_("bo")
    start, end = team.span("håp")
    anne.codes.apply(team.tid, start, end, code_id=team.hope)
    bo.codes.apply(team.tid, start, end, code_id=team.hope)
    with pytest.raises(UserError) as err:
        bo.codes.apply(team.tid, start, end, name="håp")
    assert err.value.key == "coding.error.duplicate"
    assert [c.coder for c in anne.codes.codings()] == ["anne", "bo"]


def test_merging_codes_keeps_each_coders_coding_of_a_span(team: Team):
    anne, bo = team.as_("anne"), team.as_("bo")
    start, end = team.span("håp")
    time = anne.codes.create("Tid").id
    anne.codes.apply(team.tid, start, end, code_id=team.hope)
    anne.codes.apply(team.tid, start, end, code_id=time)  # the same coder twice: one stays
    bo.codes.apply(team.tid, start, end, code_id=time)
    anne.codes.merge(time, team.hope)
    assert _who(anne.codes.codings(code_id=team.hope)) == [("anne", start, end), ("bo", start, end)]


# -- coder views ---------------------------------------------------------------------------


def test_codings_by_coder_disagreements_and_counts(team: Team):
    anne, bo = team.as_("anne"), team.as_("bo")
    a1 = team.span("sykepleier")
    a2 = team.span("brukerne må få bestemme")
    b2 = team.span("bestemme mer")  # overlaps anne's a2: they agree there
    b3 = team.span("relasjonen")
    time = anne.codes.create("Tid").id
    anne.codes.apply(team.tid, *a1, code_id=team.hope)
    anne.codes.apply(team.tid, *a2, code_id=team.hope)
    bo.codes.apply(team.tid, *b2, code_id=team.hope)
    bo.codes.apply(team.tid, *a1, code_id=time)  # same text, other code: a disagreement
    bo.codes.apply(team.tid, *b3, code_id=team.hope)

    assert _who(anne.codes.codings(transcript_id=team.tid, coders=["anne"])) == [
        ("anne", *a1), ("anne", *a2)]
    assert _who(anne.codes.codings(coders=["bo"], code_id=team.hope)) == [("bo", *b2), ("bo", *b3)]
    assert _who(anne.codes.codings(transcript_id=team.tid, disagreements=True)) == [
        ("anne", *a1), ("bo", *a1), ("bo", *b3)]
    # among the assigned coders only: cato's coding of a1 backs anne's there
    team.as_("cato").codes.apply(team.tid, *a1, code_id=team.hope)
    assert ("anne", *a1) not in _who(anne.codes.codings(disagreements=True))
    anne.assignments.assign("fg1", ["anne", "bo"])
    assert _who(anne.codes.codings(disagreements=True)) == [("anne", *a1), ("bo", *a1), ("bo", *b3)]
    assert _who(anne.codes.codings(coders=["anne", "cato"], disagreements=True)) == [("anne", *a2)]

    assert anne.codes.coders() == ["anne", "bo", "cato"]
    assert anne.codes.coders(transcript_id=team.tid) == ["anne", "bo", "cato"]
    assert anne.codes.counts_by_coder() == {
        team.hope: {"anne": 2, "bo": 2, "cato": 1}, time: {"bo": 1}}
    assert sum(anne.codes.counts_by_coder(transcript_id=team.tid)[team.hope].values()) == \
        next(c.codings for c in anne.codes.list() if c.id == team.hope)


def test_disagreements_and_coder_colours_in_plain_python():
    def c(coder: str, code: int, start: int, end: int) -> CodingView:
        return CodingView(0, "", 1, code, start, end, coder, "", False)

    rows = [c("a", 1, 0, 10), c("b", 1, 9, 12), c("a", 1, 20, 30), c("b", 2, 20, 30),
            c("b", 1, 30, 40), c("x", 1, 50, 60)]
    assert disagreements(rows, ["a", "b"]) == [rows[2], rows[3], rows[4]]  # [30, 40) only touches
    assert disagreements(rows, ["a"]) == [rows[0], rows[2]]
    assert coder_colours(["ola", "Åse", "anne", "ola"]) == {
        "anne": PALETTE[0], "ola": PALETTE[1], "Åse": PALETTE[2]}


# -- blind double coding -------------------------------------------------------------------


def _segments_coders(wb: Workbench, path: Path) -> list[str]:
    wb.exchange.export_segments(path)
    rows = list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))
    return sorted(r["coder"] for r in rows)


def test_blind_coders_do_not_see_each_others_codings_until_unblinded(team: Team, tmp_path: Path):
    anne, bo, cato, vera = (team.as_(n) for n in ("anne", "bo", "cato", "vera"))
    a = team.span("sykepleier")
    b = team.span("håp")
    anne.codes.apply(team.tid, *a, code_id=team.hope)
    bo.codes.apply(team.tid, *b, code_id=team.hope)
    view = anne.assignments.assign("fg1", ["anne", "bo"], blind=True)
    assert (view.transcript, view.coders, view.blind) == ("fg1", ("anne", "bo"), True)
    assert anne.history(1)[0].summary == "Tildelte «fg1» til blind dobbeltkoding: anne, bo"

    for me, mine, other in ((anne, a, b), (bo, b, a)):
        name = me.store.actor
        assert me.assignments.hidden() == {team.tid: frozenset({"anne", "bo"} - {name})}
        assert _who(me.codes.codings()) == [(name, *mine)]
        assert _who(me.codes.codings(transcript_id=team.tid, coders=["anne", "bo"])) == [(name, *mine)]
        assert me.codes.list()[0].codings == 1
        assert me.codes.counts_by_coder() == {team.hope: {name: 1}}
        assert me.codes.coders() == [name]
        assert me.info().codings == 1
        assert [(x.start, x.end) for x in me.extracts.for_code(team.hope)] == [mine]
        inside = me.search.search(team.text[other[0]:other[1]], SearchFilter(code="Håp"))
        assert inside == []  # searching inside the code does not find the other's span
        assert _segments_coders(me, tmp_path / f"{name}.csv") == [name]
    # members not on the list see both: the supervisor, and a co-coder who does not code it
    for other in (vera, cato):
        assert _who(other.codes.codings()) == [("anne", *a), ("bo", *b)]
        assert _segments_coders(other, tmp_path / "all.csv") == ["anne", "bo"]
    # a blind coder who codes the other's span with the same code is not told it is there
    bo.codes.apply(team.tid, *a, code_id=team.hope)
    assert _who(anne.codes.codings()) == [("anne", *a)]

    # only the researcher assigns and unblinds
    for call in (lambda: bo.assignments.unblind("fg1"),
                 lambda: bo.assignments.assign("fg1", ["bo"], blind=False)):
        with pytest.raises(UserError) as err:
            call()
        assert err.value.key == "storage.error.role_refused"
    done = anne.assignments.unblind("fg1")
    assert not done.blind and done.unblinded_at is not None
    assert _who(bo.codes.codings()) == [("anne", *a), ("bo", *a), ("bo", *b)]
    assert bo.assignments.hidden() == {}
    anne.undo()  # blind again
    assert _who(bo.codes.codings()) == [("bo", *a), ("bo", *b)]
    assert [(x.transcript, x.blind) for x in vera.assignments.list()] == [("fg1", True)]


def test_assigning_checks_the_coders_and_is_undoable(team: Team):
    anne = team.as_("anne")
    for coders, key in ((["vera"], "team_views.error.supervisor"),
                        (["anne", "nils"], "team_views.error.not_member"),
                        ([" "], "team_views.error.no_coders")):
        with pytest.raises(UserError) as err:
            anne.assignments.assign("fg1", coders, blind=True)
        assert err.value.key == key
    with pytest.raises(UserError) as err:
        anne.assignments.unblind("fg1")
    assert err.value.key == "team_views.error.not_blind"
    anne.assignments.assign("fg1", ["anne", "bo", "bo"])
    assert anne.assignments.of("fg1").coders == ("anne", "bo")
    anne.assignments.assign("fg1", ["bo", "cato"], blind=True)  # replaces it
    assert anne.assignments.of(team.tid).coders == ("bo", "cato")
    anne.undo()
    assert anne.assignments.of("fg1").blind is False
    anne.assignments.remove("fg1")
    assert anne.assignments.list() == []
    anne.undo()
    assert [a.coders for a in anne.assignments.list()] == [("anne", "bo")]
    # a transcript with an assignment can still be deleted, and undone
    anne.transcripts.delete(team.tid)
    assert anne.assignments.list() == []
    anne.undo()
    assert anne.assignments.of("fg1") is not None


# -- the kind of analysis ------------------------------------------------------------------


def test_the_kind_of_analysis_is_the_researchers_setting(team: Team):
    anne, bo = team.as_("anne"), team.as_("bo")
    assert anne.analysis_kind == "reflexive"
    assert anne.set_analysis_kind("reliability") == "reliability"
    assert bo.analysis_kind == "reliability"
    assert anne.history(1)[0].summary == \
        "Endret analysetypen til tematisk analyse med kodepålitelighet"
    with pytest.raises(UserError) as err:
        anne.set_analysis_kind("grounded")
    assert err.value.key == "team_views.error.kind"
    with pytest.raises(UserError) as err:
        bo.set_analysis_kind("codebook")
    assert err.value.key == "storage.error.role_refused"
    anne.undo()
    assert bo.analysis_kind == "reflexive"


def test_a_blind_coders_history_does_not_give_the_other_away(team: Team):
    anne, bo, vera = team.as_("anne"), team.as_("bo"), team.as_("vera")
    anne.assignments.assign("fg1", ["anne", "bo"], blind=True)
    start, end = team.span("sykepleier")
    bo.codes.apply(team.tid, start, end, code_id=team.hope)
    clock = anne.change_clock() - 1
    hidden = "Kodet i «fg1» (blindet: du ser ikke hva)"
    assert anne.history(1)[0].summary == hidden and anne.history(1)[0].args == {"doc": "fg1"}
    _clock, changes = anne.changes_since(clock)
    assert [c.info.summary for c in changes] == [hidden]
    assert "sykepleier" in bo.history(1)[0].summary and "sykepleier" in vera.history(1)[0].summary
    anne.assignments.unblind("fg1")
    assert "sykepleier" in anne.history(2)[1].summary


def test_a_blind_coders_history_does_not_name_the_others_autocoding(team: Team):
    anne, bo = team.as_("anne"), team.as_("bo")
    anne.assignments.assign("fg1", ["anne", "bo"], blind=True)
    assert bo.search.autocode("=sykepleier", code_name="Håp")[0] >= 1
    clock = anne.change_clock() - 1
    hidden = "Autokodet fra et søk (blindet: du ser ikke hva)"
    assert anne.history(1)[0].summary == hidden and anne.history(1)[0].args == {}
    _clock, changes = anne.changes_since(clock)
    assert [c.info.summary for c in changes] == [hidden]
    assert "sykepleier" in bo.history(1)[0].summary  # their own log says it all
    anne.assignments.unblind("fg1")
    assert "sykepleier" in anne.history(2)[1].summary
