"""Inter-coder agreement over the project, the disagreements, and settling them by consensus.

:meth:`AgreementService.compute` reads the codings of the chosen coders, cuts the
transcripts into units (sentence by default, or turn or character) and hands them to
:mod:`workbench.domain.agreement`, which says what the figures mean. Each computation is
kept as an :class:`~workbench.storage.models.AgreementRun` (command ``agreement.compute``)
for the audit appendix; a computation that gives the same figures as the latest one with
the same coders, unit and scope is not recorded twice. A member who may not record it (a
supervisor, a read-only file) still gets the figures.

**Which transcripts.** A coder *took part* in a transcript when they have at least one
coding in it, or the transcript's assignment lists them. A transcript counts when at least
two of the chosen coders took part in it (for two coders: both); the others are reported
as ``skipped``. With three or more coders a coder who did not take part in a transcript is
missing data for its units (α uses the units with two values or more; percent agreement
and κ only the units every coder has values for). ``--transcript`` narrows to one.

**Blind coding.** While a transcript is assigned blind and the person asking is one of its
coders, the others' codings on it are not theirs to see: such a transcript is left out of
the figures and the disagreements (and reported as ``blind``) until it is unblinded.

**Consensus.** A disagreement is a unit whose codes differ between the coders. Settling it
(:meth:`settle`) stores codings by the coder ``consensus`` over the unit's span: the codes
of the first coder (``a``), of the second (``b``), of both (``both``) or only the codes they
share (``none``: neither side's disputed codes). Each decision is one undoable command;
deciding the same unit again replaces the earlier decision. :meth:`take_agreed` copies the
units the coders agree on to the consensus coder as well (one command), so that
``consensus`` is a complete coder and can be compared with each of the others like any
coder (``coders=["kari", "consensus"]``).
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.domain import agreement as stats
from workbench.domain.agreement import CONSENSUS, DEFAULT_UNIT, TAKES, UNITS, Figures
from workbench.domain.collation import sort_key
from workbench.domain.model import name_key
from workbench.i18n import UserError, get_language, t
from workbench.storage import search_index
from workbench.storage.models import (
    AgreementRun,
    Assignment,
    Code,
    Coding,
    Command,
    Participant,
    Project,
    Transcript,
    Turn,
)

from .base import Service
from .codes import display_names
from .labels import first_words

if TYPE_CHECKING:  # python-docx loads only when an audit is written, not at every start
    from workbench.formats.word.agreement_appendix import AgreementAppendix

COMPUTE, SETTLE, AGREED = "agreement.compute", "consensus.settle", "consensus.agreed"
DECISION = "decision"
"""The scope key that marks an agreement_run row as a consensus decision (see settle)."""
EXCERPT_WORDS = 12


def coder_label(name: str, lang: str | None = None) -> str:
    """How a coder is shown: the name, «konsensus» for the consensus coder."""
    return t("agreement.consensus", lang=lang) if name == CONSENSUS else name


def _decimal(text: str, lang: str | None) -> str:
    return text.replace(".", ",") if (lang or get_language()) == "nb" else text


def format_percent(value: float | None, lang: str | None = None) -> str:
    """«87,5 %» (bokmål) or «87.5%», «–» when there is nothing to compare."""
    if value is None:
        return "–"
    return _decimal(f"{value:.1f} %", lang) if (lang or get_language()) == "nb" else f"{value:.1f}%"


def format_stat(value: float | None, lang: str | None = None) -> str:
    """κ or α with two decimals (decimal comma in bokmål), «–» when undefined."""
    return "–" if value is None else _decimal(f"{value:.2f}", lang)


@dataclass(frozen=True)
class AgreementReport:
    coders: tuple[str, ...]
    unit: str
    transcript: str | None
    code: str | None
    analysis_kind: str
    overall: Figures
    codes: tuple[tuple[str, Figures], ...]
    """(code name, figures) in Norwegian order of name."""
    transcripts: tuple[str, ...] = ()
    skipped: tuple[str, ...] = ()
    """Transcripts fewer than two of the coders took part in."""
    blind: tuple[str, ...] = ()
    """Transcripts left out because they are blind for the person asking."""
    recorded: bool = False

    @property
    def reflexive(self) -> bool:
        return self.analysis_kind == "reflexive"

    def result(self) -> dict[str, Any]:
        """The figures as stored in the run and printed by ``--json``."""
        return {
            **self.overall.as_dict(),
            "codes": {name: fig.as_dict() for name, fig in self.codes},
            "transcripts": list(self.transcripts),
            "skipped": list(self.skipped),
            "blind": list(self.blind),
        }

    def as_dict(self) -> dict[str, Any]:
        return {"coders": list(self.coders), "unit": self.unit,
                "scope": self.scope(), "analysis_kind": self.analysis_kind, **self.result()}

    def scope(self) -> dict[str, Any]:
        return {"transcript": self.transcript, "code": self.code}


@dataclass(frozen=True)
class CodingExtent:
    """One coder's coding that overlaps a disagreement's unit, with its own extent."""

    code: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class DisagreementView:
    number: int
    """1-based position in the list (what ``workbench consensus P N`` takes)."""
    transcript_id: int
    transcript_guid: str
    transcript: str
    start: int
    end: int
    text: str
    """The unit's text (whole)."""
    speaker: str
    coders: tuple[str, ...]
    codes: tuple[tuple[str, tuple[str, ...]], ...]
    """(coder, code names) per coder, in the order of ``coders``."""
    code_ids: tuple[tuple[str, tuple[int, ...]], ...]
    codings: tuple[tuple[str, tuple[CodingExtent, ...]], ...] = ()
    """Each coder's codings that overlap the unit (side-by-side view)."""
    settled: str | None = None
    """How it was settled (``a``, ``b``, ``both``, ``none``), or None."""
    unit: str = DEFAULT_UNIT
    code_names: tuple[tuple[int, str], ...] = ()
    """(code id, name) of every code in ``code_ids``."""

    @property
    def excerpt(self) -> str:
        return first_words(self.text, EXCERPT_WORDS)

    def codes_of(self, coder: str) -> tuple[str, ...]:
        return dict(self.codes).get(coder, ())


@dataclass(frozen=True)
class Disagreements:
    coders: tuple[str, ...]
    unit: str
    items: tuple[DisagreementView, ...]
    units: int
    """Units compared (for «3 of 41 units»)."""
    skipped: tuple[str, ...] = ()
    blind: tuple[str, ...] = ()


@dataclass(frozen=True)
class AgreementRunView:
    id: int
    created: datetime
    actor: str
    coders: tuple[str, ...]
    unit: str
    scope: dict[str, Any]
    result: dict[str, Any]


@dataclass(frozen=True)
class _Transcript:
    id: int
    guid: str
    name: str
    text: str


@dataclass
class _Scope:
    """What one computation reads: the documents and the names to show."""

    docs: list[stats.Document] = field(default_factory=list)
    transcripts: dict[str, _Transcript] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    blind: list[str] = field(default_factory=list)
    code_names: dict[int, str] = field(default_factory=dict)
    codes: list[int] | None = None
    speakers: dict[str, list[tuple[int, int, str]]] = field(default_factory=dict)
    codings: dict[str, list[tuple[str, int, int, int]]] = field(default_factory=dict)
    """transcript name -> (coder, code id, start, end) of the chosen coders."""


class AgreementService(Service):
    # -- reading ---------------------------------------------------------------------------

    def analysis_kind(self) -> str:
        with self.store.read() as s:
            kind = s.scalars(select(Project.analysis_kind)).first()
        return kind or "reflexive"

    def coders(self) -> list[str]:
        """Everyone with codings in the project, in Norwegian order (consensus last)."""
        with self.store.read() as s:
            names = {c for (c,) in s.execute(select(Coding.coder).distinct())}
        ordinary = sorted((n for n in names if n != CONSENSUS), key=sort_key)
        return ordinary + ([CONSENSUS] if CONSENSUS in names else [])

    def runs(self) -> list[AgreementRunView]:
        """Every recorded computation, oldest first (consensus decisions not included)."""
        return [r for r in self._all_runs() if DECISION not in r.scope]

    def decisions(self) -> list[AgreementRunView]:
        """The consensus decisions in force, oldest first (see :meth:`settle`)."""
        return [r for r in self._all_runs() if DECISION in r.scope]

    def _all_runs(self) -> list[AgreementRunView]:
        with self.store.read() as s:
            return [
                AgreementRunView(r.id, r.created, r.actor, tuple(r.coders), r.unit,
                                 dict(r.scope or {}), dict(r.result or {}))
                for r in s.scalars(select(AgreementRun).order_by(AgreementRun.created,
                                                                 AgreementRun.id))
            ]

    def appendix(self, lang: str = "nb") -> AgreementAppendix | None:
        """The audit export's appendix: the latest computation for each choice of coders,
        unit and scope, newest first (``None`` when agreement was never computed)."""
        from workbench.formats.word.agreement_appendix import AgreementAppendix, AgreementRow, AgreementTable

        runs = self.runs()
        if not runs:
            return None
        latest: dict[tuple[Any, ...], AgreementRunView] = {}
        for run in runs:  # oldest first: a later run replaces an earlier one
            key = (run.coders, run.unit, tuple(sorted(run.scope.items())))
            latest.pop(key, None)
            latest[key] = run

        def row(name: str, fig: dict[str, Any]) -> AgreementRow:
            return AgreementRow(name, int(fig.get("units", 0)), fig.get("percent_agreement"),
                                fig.get("kappa"), fig.get("alpha"))

        tables = tuple(
            AgreementTable(
                coders=tuple(coder_label(c, lang) for c in run.coders), unit=run.unit,
                when=run.created, actor=run.actor,
                rows=tuple(row(name, fig) for name, fig in sorted(
                    (run.result.get("codes") or {}).items(), key=lambda item: sort_key(item[0]))),
                overall=row("", run.result), transcript=run.scope.get("transcript"),
                code=run.scope.get("code"),
            )
            for run in reversed(list(latest.values()))
        )
        caveat = t("agreement.caveat", lang=lang) if self.analysis_kind() == "reflexive" else ""
        return AgreementAppendix(tables, len(runs), caveat)

    def _check(self, s: Session, coders: Sequence[str], unit: str) -> tuple[str, ...]:
        if unit not in UNITS:
            raise UserError("agreement.error.unit", unit=unit, units=", ".join(UNITS))
        consensus_names = {name_key(CONSENSUS), name_key(t("agreement.consensus", lang="nb")),
                           name_key(t("agreement.consensus", lang="en"))}
        chosen = tuple(dict.fromkeys(
            CONSENSUS if name_key(c) in consensus_names else " ".join(c.split())
            for c in coders if c and c.strip()))
        if len(chosen) < 2:
            raise UserError("agreement.error.two_coders")
        known = {c for (c,) in s.execute(select(Coding.coder).distinct())}
        for assignment in s.scalars(select(Assignment)):
            known.update(assignment.coders or ())
        for c in chosen:
            if c not in known:
                names = ", ".join(coder_label(n) for n in sorted(known, key=sort_key)) or "–"
                raise UserError("agreement.error.unknown_coder", coder=coder_label(c),
                                coders=names)
        return chosen

    def _blind_for_actor(self, s: Session, coders: Sequence[str]) -> set[int]:
        """Transcripts that are blind for the person asking against these coders."""
        actor = self.actor
        out: set[int] = set()
        for a in s.scalars(select(Assignment).where(Assignment.blind == True)):  # noqa: E712
            listed = set(a.coders or ())
            if a.unblinded_at is None and actor in listed and (set(coders) & listed) - {actor}:
                out.add(a.transcript_id)
        return out

    def _scope(self, s: Session, coders: tuple[str, ...], unit: str,
               transcript: str | None, code: str | None) -> _Scope:
        scope = _Scope()
        all_codes = s.scalars(select(Code)).all()
        scope.code_names = display_names(all_codes)
        if code is not None:
            found = s.scalars(select(Code).where(Code.name_key == name_key(code))).first()
            if found is None:
                raise UserError("agreement.error.unknown_code", code=code)
            scope.codes = [found.id]
        stmt = select(Transcript).order_by(Transcript.position, Transcript.id)
        if transcript is not None:
            one = s.scalars(select(Transcript).where(Transcript.name == transcript)).first()
            if one is None:
                names = ", ".join(sorted(s.scalars(select(Transcript.name)), key=sort_key))
                raise UserError("transcript.error.unknown", name=transcript, names=names or "–")
            stmt = stmt.where(Transcript.id == one.id)
        blind = self._blind_for_actor(s, coders)
        assigned = {a.transcript_id: set(a.coders or ()) for a in s.scalars(select(Assignment))}
        labels = dict(s.execute(select(Participant.id, Participant.label)).all())
        for tr in s.scalars(stmt):
            rows = s.execute(
                select(Coding.coder, Coding.code_id, Coding.start, Coding.end)
                .where(Coding.transcript_id == tr.id, Coding.coder.in_(coders))
                .order_by(Coding.start, Coding.id)
            ).all()
            present = {r.coder for r in rows} | (assigned.get(tr.id, set()) & set(coders))
            if len(present) < 2:
                if present:
                    scope.skipped.append(tr.name)
                continue
            if tr.id in blind:
                scope.blind.append(tr.name)
                continue
            turns = s.execute(
                select(Turn.start, Turn.end, Turn.participant_id)
                .where(Turn.transcript_id == tr.id).order_by(Turn.position)).all()
            sentences: list[tuple[int, int]] = []
            if unit == "sentence":
                sentences = search_index.sentences(s, tr.id)
            units = stats.units_of(unit, text_length=len(tr.text),
                                   turns=[(a, b) for a, b, _ in turns], sentences=sentences)
            codings: dict[str, list[tuple[Hashable, int, int]]] = {}
            for r in rows:
                if scope.codes is None or r.code_id in scope.codes:
                    codings.setdefault(r.coder, []).append((r.code_id, r.start, r.end))
            scope.docs.append(stats.Document(tr.name, units, codings, frozenset(present),
                                             tr.text))
            scope.transcripts[tr.name] = _Transcript(tr.id, tr.guid, tr.name, tr.text)
            scope.speakers[tr.name] = [(a, b, labels.get(p, "") if p else "")
                                       for a, b, p in turns]
            scope.codings[tr.name] = [(r.coder, r.code_id, r.start, r.end) for r in rows
                                      if scope.codes is None or r.code_id in scope.codes]
        return scope

    # -- agreement ---------------------------------------------------------------------------

    def compute(self, coders: Sequence[str], unit: str = DEFAULT_UNIT, transcript: str | None = None,
                code: str | None = None, *, record: bool = True) -> AgreementReport:
        """Percent agreement, κ and α per code and overall; recorded as a run (see module)."""
        with self.store.read() as s:
            chosen = self._check(s, coders, unit)
            scope = self._scope(s, chosen, unit, transcript, code)
            kind = s.scalars(select(Project.analysis_kind)).first() or "reflexive"
        result = stats.agreement(scope.docs, chosen, scope.codes)
        names = scope.code_names
        per_code = sorted(((names.get(int(c), str(c)), fig) for c, fig in result.codes.items()),  # type: ignore[call-overload]
                          key=lambda item: sort_key(item[0]))
        report = AgreementReport(
            coders=chosen, unit=unit, transcript=transcript, code=code, analysis_kind=kind,
            overall=result.overall, codes=tuple(per_code),
            transcripts=tuple(scope.transcripts), skipped=tuple(scope.skipped),
            blind=tuple(scope.blind),
        )
        if record and self._may_record():
            report = self._record(report)
        return report

    def _may_record(self) -> bool:
        return not self.store.readonly and not self.store.review_mode and self.store.may_run(COMPUTE)

    def _record(self, report: AgreementReport) -> AgreementReport:
        result, scope = report.result(), report.scope()
        with self.store.read() as s:
            latest = s.scalars(
                select(AgreementRun).order_by(AgreementRun.created.desc(), AgreementRun.id.desc())
            ).all()
            for run in latest:
                if DECISION in (run.scope or {}):
                    continue
                if (list(run.coders), run.unit, dict(run.scope or {})) == (
                        list(report.coders), report.unit, scope):
                    if dict(run.result or {}) == result:
                        return _recorded(report)
                    break
        args = {"coders": ", ".join(report.coders),
                "what": report.unit, "alpha": format_stat(report.overall.alpha, "en"),
                "codes": len(report.codes)}
        with self.store.command(COMPUTE, **args) as s:
            s.add(AgreementRun(actor=self.actor, coders=list(report.coders), unit=report.unit,
                               scope=scope, result=result))
        return _recorded(report)

    # -- disagreements -----------------------------------------------------------------------

    def disagreements(self, coders: Sequence[str], unit: str = DEFAULT_UNIT,
                      transcript: str | None = None, code: str | None = None) -> Disagreements:
        """The units where the coders' codes differ, numbered in transcript and text order."""
        with self.store.read() as s:
            chosen = self._check(s, coders, unit)
            scope = self._scope(s, chosen, unit, transcript, code)
            settled = self._settled(s)
        found = stats.disagreements(scope.docs, chosen, scope.codes,
                                    merge_adjacent=unit == "character")
        names = scope.code_names
        items = []
        for number, d in enumerate(found, start=1):
            tr = scope.transcripts[d.document]
            speaker = next((label for a, b, label in scope.speakers[d.document]
                            if a <= d.start < b), "")
            per_coder = tuple((c, tuple(sorted((names.get(int(i), "") for i in d.codes[c]),  # type: ignore[call-overload]
                                               key=sort_key))) for c in chosen if c in d.codes)
            ids = tuple((c, tuple(sorted(int(i) for i in d.codes[c]))) for c in chosen  # type: ignore[call-overload]
                        if c in d.codes)
            extents = tuple(
                (c, tuple(CodingExtent(names.get(cid, ""), a, b, first_words(tr.text[a:b], 8))
                          for coder, cid, a, b in scope.codings[d.document]
                          if coder == c and a < d.end and b > d.start))
                for c in chosen if c in d.codes)
            items.append(DisagreementView(
                number, tr.id, tr.guid, tr.name, d.start, d.end, tr.text[d.start:d.end],
                speaker, tuple(c for c in chosen if c in d.codes), per_coder, ids, extents,
                settled.get((tr.guid, d.start, d.end)), unit,
                tuple(sorted({(int(i), names.get(int(i), "")) for c in d.codes  # type: ignore[call-overload]
                              for i in d.codes[c]})),
            ))
        units = sum(len(doc.units) for doc in scope.docs)
        return Disagreements(chosen, unit, tuple(items), units, tuple(scope.skipped),
                             tuple(scope.blind))

    @staticmethod
    def _settled(s: Session) -> dict[tuple[str, int, int], str]:
        """(transcript GUID, start, end) -> take, from the consensus decisions in force."""
        out: dict[tuple[str, int, int], str] = {}
        for run in s.scalars(select(AgreementRun).order_by(AgreementRun.id)):
            scope = run.scope or {}
            if DECISION in scope:
                out[(str(scope.get("transcript")), int(scope.get("start", -1)),
                     int(scope.get("end", -1)))] = str(scope[DECISION])
        return out

    def settle(self, item: DisagreementView, take: str) -> tuple[str, ...]:
        """Store the consensus for one disagreement (one undoable command); returns the
        names of the codes the consensus coder now has on the unit."""
        if take not in TAKES:
            raise UserError("agreement.error.take", take=take, takes=", ".join(TAKES))
        if len(item.coders) != 2:
            raise UserError("agreement.error.two_for_consensus")
        first, second = item.coders
        ids = dict(item.code_ids)
        a, b = set(ids.get(first, ())), set(ids.get(second, ()))
        final = {"a": a, "b": b, "both": a | b, "none": a & b}[take]
        involved = a | b
        names = dict(item.codes)
        names_by_id = dict(item.code_names)
        args = {
            "transcript": item.transcript_guid, "start": item.start, "end": item.end,
            "what": take, "doc": item.transcript, "speaker": item.speaker,
            "text": first_words(item.text), "first": first, "second": second,
        }
        with self.store.command(SETTLE, **args) as s:
            tr = s.scalars(select(Transcript).where(Transcript.guid == item.transcript_guid)).first()
            if tr is None:
                raise UserError("error.not_found", kind="transcript", ref=item.transcript)
            if item.end > len(tr.text) or item.start < 0 or item.end <= item.start:
                raise UserError("coding.error.out_of_range", start=item.start, end=item.end)
            existing = s.scalars(select(Coding).where(
                Coding.transcript_id == tr.id, Coding.coder == CONSENSUS,
                Coding.start == item.start, Coding.end == item.end,
                Coding.code_id.in_(sorted(involved)))).all()
            for row in existing:
                s.delete(row)
            s.flush()
            known = set(s.scalars(select(Code.id).where(Code.id.in_(sorted(final)))))
            for code_id in sorted(final):
                if code_id not in known:
                    raise UserError("error.not_found", kind="code", ref=code_id)
                s.add(Coding(transcript_id=tr.id, code_id=code_id, start=item.start,
                             end=item.end, coder=CONSENSUS))
            where = {"transcript": item.transcript_guid, "start": item.start, "end": item.end}
            for old in s.scalars(select(AgreementRun)).all():
                old_scope = old.scope or {}
                if DECISION in old_scope and all(old_scope.get(k) == v for k, v in where.items()):
                    s.delete(old)
            s.add(AgreementRun(
                actor=self.actor, coders=[first, second], unit=item.unit,
                scope={DECISION: take, **where, "doc": item.transcript},
                result={"consensus": sorted((names_by_id[i] for i in final), key=sort_key)},
            ))
        chosen = {"a": names.get(first, ()), "b": names.get(second, ())}
        if take in chosen:
            return tuple(chosen[take])
        everything = set(names.get(first, ())) | set(names.get(second, ()))
        shared = set(names.get(first, ())) & set(names.get(second, ()))
        return tuple(sorted(everything if take == "both" else shared, key=sort_key))

    def take_agreed(self, coders: Sequence[str], unit: str = DEFAULT_UNIT,
                    transcript: str | None = None, code: str | None = None) -> int:
        """Give the consensus coder every unit on which the coders agree (one command);
        returns how many codings were added (units already so coded are left alone)."""
        with self.store.read() as s:
            chosen = self._check(s, coders, unit)
            if CONSENSUS in chosen:
                raise UserError("agreement.error.consensus_in_coders")
            scope = self._scope(s, chosen, unit, transcript, code)
            have = {(r.transcript_id, r.code_id, r.start, r.end) for r in s.execute(
                select(Coding.transcript_id, Coding.code_id, Coding.start, Coding.end)
                .where(Coding.coder == CONSENSUS))}
        wanted: list[tuple[int, int, int, int]] = []
        for doc in scope.docs:
            tr = scope.transcripts[doc.name]
            for (start, end), codes in stats.agreed_units(doc, chosen, scope.codes):
                for c in sorted(codes):  # type: ignore[type-var]
                    key = (tr.id, int(c), start, end)  # type: ignore[call-overload]
                    if key not in have:
                        have.add(key)
                        wanted.append(key)
        if not wanted:
            raise UserError("agreement.error.nothing_agreed")
        args = {"coders": ", ".join(chosen), "n": len(wanted)}
        with self.store.command(AGREED, **args) as s:
            for tid, cid, start, end in wanted:
                s.add(Coding(transcript_id=tid, code_id=cid, start=start, end=end,
                             coder=CONSENSUS))
        added = len(wanted)
        return added


def _recorded(report: AgreementReport) -> AgreementReport:
    from dataclasses import replace

    return replace(report, recorded=True)


__all__ = [
    "CONSENSUS", "TAKES", "AgreementReport", "AgreementRunView",
    "AgreementService", "CodingExtent", "DisagreementView", "Disagreements", "coder_label",
    "format_percent", "format_stat",
]
