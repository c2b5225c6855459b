"""Importing transcripts: parse a file, plan speakers and pseudonyms, commit in one step.

``plan()`` reads and parses a file without touching the project and proposes what each
detected speaker label becomes (matching existing participants, a speaker sheet, and the
project's stored name replacements). The TUI shows the plan for editing — rename, merge two
labels, set role, profession and group, replace a real name by a pseudonym — and
``commit()`` stores it as one recorded command: a failed file imports nothing.

Every name and text goes through the project's one pseudonymisation step
(:class:`~workbench.services.privacy.Pseudonymiser`): the speaker labels, the text, the
transcript's name and its original file name. New real name → pseudonym pairs go into the
linking-key file, never into the project (see :mod:`workbench.services.privacy`).
"""

from __future__ import annotations

import os
import re
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workbench.domain.model import Role, clean_name, name_key
from workbench.domain.parsed import ParsedTranscript, ParsedTurn, assemble
from workbench.domain.speakers import SpeakerSpec
from workbench.i18n import UserError, t
from workbench.formats.transcripts import parse_file
from workbench.storage.changelog import bulk_insert
from workbench.storage.models import Participant, Transcript, Turn

from workbench.nlp import workers
from workbench.nlp.postings import IndexPayload
from workbench.nlp.workers import worth_it
from workbench.storage.search_index import TermKeys, write_index

from .base import Service, next_position
from .privacy import PrivacyService, Pseudonymiser, apply_replacements

Progress = Callable[[str, int, int], None]


@dataclass
class SpeakerPlan:
    """What one speaker label found in the file becomes in the project."""

    label: str  # as written in the file
    turns: int
    words: int
    new_label: str  # the name the project uses (a pseudonym for informants)
    role: str = Role.INFORMANT
    profession: str = ""
    group: str = ""
    merge_into: str | None = None  # another file label this one is the same person as
    existing: bool = False  # matches a participant already in the project


@dataclass
class ImportPlan:
    path: Path
    parsed: ParsedTranscript
    name: str
    group: str | None
    speakers: dict[str, SpeakerPlan]
    replacements: list[tuple[str, str]] = field(default_factory=list)  # new: real → pseudonym
    stored_replacements: list[tuple[str, str]] = field(default_factory=list)  # the key's
    without_key: bool = False  # the project's key was not found, and the researcher said go on

    def pseudonymiser(self) -> Pseudonymiser:
        """The key's pairs and this import's new ones: the one step for all its text."""
        return Pseudonymiser(self.stored_replacements).with_pairs(self.replacements)

    @property
    def words(self) -> int:
        return self.parsed.word_count

    @property
    def warnings(self) -> list[str]:
        return self.parsed.warnings

    def merge(self, source: str, target: str) -> None:
        """Treat file label ``source`` as the same person as ``target`` ("Kari Ø." → "Kari")."""
        if source == target or source not in self.speakers or target not in self.speakers:
            raise UserError("importing.bad_merge", source=source, target=target)
        root = target
        while self.speakers[root].merge_into:
            root = self.speakers[root].merge_into  # type: ignore[assignment]
        if root == source:
            raise UserError("importing.bad_merge", source=source, target=target)
        self.speakers[source].merge_into = root
        for plan in self.speakers.values():
            if plan.merge_into == source:
                plan.merge_into = root

    def pseudonymise(self, real: str, pseudonym: str) -> None:
        """Replace a real name everywhere: in speaker labels and in the text itself."""
        real, pseudonym = clean_name(real), clean_name(pseudonym)
        if not real or not pseudonym:
            raise UserError("importing.empty_replacement")
        self.replacements = [(f, r) for f, r in self.replacements if name_key(f) != name_key(real)]
        self.replacements.append((real, pseudonym))
        for plan in self.speakers.values():
            if name_key(plan.new_label) == name_key(real) or name_key(plan.label) == name_key(real):
                plan.new_label = pseudonym


@dataclass(frozen=True)
class ImportResult:
    path: Path
    transcript_id: int
    name: str
    speakers: list[str]
    turns: int
    words: int
    warnings: list[str]


class ImportService(Service):
    @property
    def privacy(self) -> PrivacyService:
        return PrivacyService(self.store)

    def plan(
        self, path: str | Path, *, name: str | None = None, group: str | None = None,
        sheet: list[SpeakerSpec] | None = None, progress: Progress | None = None,
        without_key: bool = False,
    ) -> ImportPlan:
        """Parse a file and propose speakers; nothing is written.

        Needs the project's linking key when it has one; ``without_key`` goes on without
        it (only the names given for this import are then replaced)."""
        path = Path(path)
        key = self.privacy.pseudonymiser(without_key=without_key)
        group = key.text(group) if group else group  # «Karis gruppe» too
        parse_progress = (lambda d, n: progress("parse", d, n)) if progress else None
        parsed = parse_file(path, progress=parse_progress)
        if not parsed.turns:
            raise UserError("importing.no_text", path=path)
        sheet_index = {name_key(x): spec for spec in (sheet or []) for x in spec.labels}
        stored = key.pairs
        conflicts: list[str] = []
        with self.store.read() as s:
            known = _participant_lookup(s)
            speakers: dict[str, SpeakerPlan] = {}
            for turn in parsed.turns:
                if turn.speaker is None:
                    continue
                plan = speakers.get(turn.speaker)
                if plan is None:
                    spec = sheet_index.get(name_key(turn.speaker))
                    new_label = key.label(turn.speaker)
                    if key.is_real_name(turn.speaker):
                        # the key decides; a sheet row with another pseudonym is reported
                        if spec is not None and spec.pseudonym and (
                                name_key(spec.pseudonym) != name_key(new_label)):
                            conflicts.append(t("privacy.sheet_conflict", pseudonym=spec.pseudonym,
                                               stored=new_label))
                    elif spec is not None and spec.pseudonym:
                        new_label = spec.pseudonym
                    existing = known.get(name_key(new_label))
                    plan = SpeakerPlan(
                        label=turn.speaker, turns=0, words=0, new_label=new_label,
                        existing=existing is not None,
                    )
                    if existing is not None:
                        plan.role = existing.role
                        plan.profession = existing.profession or ""
                        plan.group = existing.group_name or ""
                    else:
                        plan.role = spec.role if spec is not None else _guess_role(turn.speaker)
                        plan.profession = spec.profession if spec is not None else ""
                        # Moderators take part in every group; informants belong to one.
                        default_group = group or "" if plan.role == Role.INFORMANT else ""
                        plan.group = (spec.group if spec is not None else "") or default_group
                    speakers[turn.speaker] = plan
                plan.turns += 1
                plan.words += len(turn.text.split())
        # Speakers that the sheet lists under two spellings are one person.
        by_spec: dict[int, str] = {}
        for label in speakers:
            spec = sheet_index.get(name_key(label))
            if spec is None:
                continue
            if id(spec) in by_spec:
                speakers[label].merge_into = by_spec[id(spec)]
            else:
                by_spec[id(spec)] = label
        plan = ImportPlan(
            path=path, parsed=parsed, name=key.label(name or path.stem), group=group,
            speakers=speakers, stored_replacements=stored, without_key=key.key_missing,
        )
        for spec in sheet or []:
            if spec.pseudonym and name_key(spec.pseudonym) != name_key(spec.label):
                for real in spec.labels:
                    if not key.is_real_name(real):
                        plan.replacements.append((real, spec.pseudonym))
        plan.name = plan.pseudonymiser().label(plan.name)
        parsed.warnings.extend(conflicts)
        if key.key_missing:
            parsed.warnings.append(t("privacy.without_key_warning", path=self.privacy.key_path()))
        if not speakers:
            parsed.warnings.append(t("importing.no_speakers"))
        return plan

    def commit(self, plan: ImportPlan, *, progress: Progress | None = None) -> ImportResult:
        """Store a planned import as one recorded command.

        New real name → pseudonym pairs are added to the linking key first (the key is not
        undoable project data: undoing the import keeps them there)."""
        return self._store(plan, self._prepare(plan), progress=progress)

    @staticmethod
    def _prepare(plan: ImportPlan) -> _Prepared:
        """The transcript as it will be stored: speakers merged, every text pseudonymised."""
        pz = plan.pseudonymiser()
        final: dict[str, SpeakerPlan] = {}
        for label, sp in plan.speakers.items():
            root = sp
            while root.merge_into:
                root = plan.speakers[root.merge_into]
            final[label] = root
        turns = [
            ParsedTurn(
                speaker=final[turn.speaker].new_label if turn.speaker else None,
                text=pz.text(turn.text),
                start_ms=turn.start_ms, end_ms=turn.end_ms,
            )
            for turn in plan.parsed.turns
        ]
        text, spans = assemble(turns)
        return _Prepared(pz, final, turns, text, spans)

    def _store(
        self, plan: ImportPlan, prepared: _Prepared, *, progress: Progress | None = None,
        payload: IndexPayload | Callable[[], IndexPayload] | None = None,
        batch: _Batch | None = None,
    ) -> ImportResult:
        """``payload``: the index's text processing done elsewhere, or a call that waits
        for it (made once the transcript's rows are written, so that they are written
        while it is done)."""
        pz, final, turns, text, spans = (prepared.pz, prepared.final, prepared.turns,
                                         prepared.text, prepared.spans)
        name = pz.label(plan.name)
        if not name:
            raise UserError("transcript.error.empty_name")
        for sp in final.values():
            if pz.is_real_name(sp.new_label) or pz.is_real_name(clean_name(sp.new_label)):
                raise UserError("privacy.error.real_name_label", label=sp.new_label)
        filename = pz.filename(plan.path.name)
        if progress:
            progress("store", 0, 1)
        if plan.replacements and not plan.without_key:
            self.privacy.remember(plan.replacements)
        with self.store.command("transcript.import", name=name, file=filename) as s:
            if s.scalars(select(Transcript.id).where(Transcript.name == name)).first():
                raise UserError("transcript.error.exists", name=name)
            if batch is not None:
                batch.sync(s)
            if batch is None or hash(text) in batch.texts:  # then the exact comparison
                twin = s.scalars(select(Transcript.name).where(Transcript.text == text)).first()
                if twin is not None:
                    raise UserError("importing.already_imported", path=plan.path.name, name=twin)
            position = batch.position if batch is not None else (
                next_position(s, Transcript.position))
            transcript = Transcript(
                name=name, group_name=plan.group, source_format=plan.parsed.source_format,
                original_filename=filename, text=text, position=position,
            )
            s.add(transcript)
            s.flush()
            known = _participant_lookup(s)
            participants: dict[str, Participant] = {}
            for sp in final.values():
                if sp.new_label in participants:
                    continue
                p = known.get(name_key(sp.new_label))
                if p is None:
                    label = clean_name(sp.new_label)
                    if not label:
                        raise UserError("participant.error.empty_label")
                    p = Participant(
                        label=label, role=sp.role, profession=sp.profession or None,
                        group_name=sp.group or (plan.group if sp.role == Role.INFORMANT else None)
                        or None,
                        aliases=[],
                    )
                    s.add(p)
                    known.setdefault(name_key(label), p)
                participants[sp.new_label] = p
            s.flush()
            bulk_insert(s, Turn, [
                {"transcript_id": transcript.id,
                 "participant_id": participants[turn.speaker].id if turn.speaker else None,
                 "position": i, "start": start, "end": end, "start_ms": turn.start_ms,
                 "end_ms": turn.end_ms}
                for i, (turn, (start, end)) in enumerate(zip(turns, spans, strict=True))
            ])
            if progress:
                progress("index", 0, 1)
            if callable(payload):
                payload = payload()
            write_index(s, transcript.id, text, payload,
                        batch.terms if batch is not None else None)
            tid = transcript.id
        if batch is not None:
            batch.stored(text, position)
        if progress:
            progress("done", 1, 1)
        speakers = list(dict.fromkeys(sp.new_label for sp in final.values()))
        return ImportResult(
            path=plan.path, transcript_id=tid, name=name, speakers=speakers, turns=len(turns),
            words=len(text.split()), warnings=list(plan.parsed.warnings) + (
                [t("privacy.pairs_not_kept", n=len(plan.replacements))]
                if plan.replacements and plan.without_key else []),
        )

    def import_file(
        self, path: str | Path, *, name: str | None = None, group: str | None = None,
        sheet: list[SpeakerSpec] | None = None, progress: Progress | None = None,
        without_key: bool = False,
    ) -> ImportResult:
        plan = self.plan(path, name=name, group=group, sheet=sheet, progress=progress,
                         without_key=without_key)
        return self.commit(plan, progress=progress)

    def import_files(
        self, paths: Sequence[str | Path], *, group: str | None = None,
        sheet: list[SpeakerSpec] | None = None, without_key: bool = False,
        workers: int | None = None,
    ) -> list[ImportResult]:
        """Import several files, each as its own recorded command, in the given order, as
        :meth:`import_file` one after the other would; stops at the first that fails (the
        files before it stay imported). :meth:`import_each` goes on past a failed file."""
        results: list[ImportResult] = []
        for _path, outcome in self.import_each(paths, group=group, sheet=sheet,
                                               without_key=without_key, workers=workers):
            if isinstance(outcome, UserError):
                raise outcome
            results.append(outcome)
        return results

    def import_each(
        self, paths: Sequence[str | Path], *, group: str | None = None,
        sheet: list[SpeakerSpec] | None = None, without_key: bool = False,
        workers: int | None = None, progress: Callable[[Path], Progress | None] | None = None,
    ) -> Iterator[tuple[Path, ImportResult | UserError]]:
        """Import several files, each as its own recorded command, in the given order;
        yields each file with its result, or with the error that kept it out (a failed file
        imports nothing, and the others go on), as soon as it is stored. Stopping the
        iteration stops the import: the files yielded so far stay imported.

        With enough text (:data:`PARALLEL_BYTES`) and more than one core, the text
        processing (tokens, lemmas, sentences, the index's postings) runs in a pool of
        ``workers`` processes (default: one per core beyond this process's own, which
        writes to the database, at most :data:`MAX_WORKERS`; see
        :mod:`workbench.nlp.workers`) while this process reads, parses and pseudonymises
        the next files and writes the finished ones. A file whose plan adds name →
        pseudonym pairs to the key is written before the next file is planned, so every
        later file is pseudonymised with them, as one after the other.

        ``progress``: gives the progress callback of each file (parse and store stages)."""
        paths = [Path(p) for p in paths]
        cores = os.cpu_count() or 1
        n = workers if workers is not None else min(max(1, cores - 1), MAX_WORKERS)
        if n < 1 or not worth_it(paths, PARALLEL_BYTES, one_core=workers is not None):
            for path in paths:
                step = progress(path) if progress else None
                try:
                    yield path, self.import_file(path, group=group, sheet=sheet,
                                                 without_key=without_key, progress=step)
                except UserError as exc:
                    yield path, exc
            return
        yield from self._import_pooled(paths, n, group=group, sheet=sheet,
                                       without_key=without_key, progress=progress)

    def _import_pooled(
        self, paths: list[Path], n: int, *, group: str | None,
        sheet: list[SpeakerSpec] | None, without_key: bool,
        progress: Callable[[Path], Progress | None] | None,
    ) -> Iterator[tuple[Path, ImportResult | UserError]]:
        from concurrent.futures import ProcessPoolExecutor

        from workbench.nlp import postings

        workers.start()  # the fork server loads the pipeline while the first files are read
        pending: deque[_Pending] = deque()  # in file order
        # Files read ahead of the writing. The pool is made once that many are read: its
        # first worker waits for the fork server to be ready, and the reading goes on
        # meanwhile; or at the first file, when the server is known to be ready.
        window = max(4, 3 * n)
        # Until a worker has answered (the fork server may still be loading the pipeline),
        # this process has nothing to write, and reads further ahead meanwhile.
        cold_window = 4 * window
        pool: ProcessPoolExecutor | None = None
        batch = _Batch()

        def ensure_pool() -> None:
            nonlocal pool
            if pool is None:
                pool = ProcessPoolExecutor(n, mp_context=workers.context(),
                                           initializer=postings.warm_up)
            for item in pending:
                if item.prepared is not None and item.future is None:
                    item.future = pool.submit(workers.index_payload, item.prepared.text,
                                              _turn_starts(item.prepared))

        def finish() -> tuple[Path, ImportResult | UserError]:
            item = pending.popleft()
            if item.error is not None:
                return item.path, item.error
            assert item.plan is not None and item.prepared is not None
            assert item.future is not None
            future = item.future

            def payload() -> IndexPayload:
                result = future.result()
                workers.mark_warm()
                return result

            try:
                # Once the workers are known to be warm, the transcript's rows are written
                # while its text is processed (the command waits for the index at most as
                # long as one file's processing); until then the first result is waited
                # for outside the command.
                if not workers.known_warm():
                    payload()
                return item.path, self._store(item.plan, item.prepared, payload=payload,
                                              progress=item.step, batch=batch)
            except UserError as exc:
                return item.path, exc

        try:
            for path in paths:
                item = _Pending(path, progress(path) if progress else None)
                pending.append(item)
                try:
                    item.plan = self.plan(path, group=group, sheet=sheet,
                                          without_key=without_key, progress=item.step)
                    item.prepared = self._prepare(item.plan)
                except UserError as exc:
                    item.error = exc
                    continue
                if (pool is not None or len(pending) >= window or item.plan.replacements
                        or workers.known_warm()):
                    ensure_pool()
                # write what is done; wait while the read-ahead is full, and for this file
                # when it changes the key that the next files are pseudonymised with
                while pending and pool is not None and (
                        pending[0].ready() or item.plan.replacements
                        or len(pending) > (window if workers.known_warm() else cold_window)):
                    yield finish()
            ensure_pool()
            while pending:
                yield finish()
        finally:
            for item in pending:
                if item.future is not None:
                    item.future.cancel()
            if pool is not None:
                pool.shutdown(wait=True, cancel_futures=True)


def _participant_lookup(s: Session) -> dict[str, Participant]:
    """Participants by the name key of their label and of each alias, in one query; the
    first participant wins, as :meth:`~workbench.services.transcripts.TranscriptService.
    find_participant` finds it."""
    known: dict[str, Participant] = {}
    for p in s.scalars(select(Participant)):
        known.setdefault(name_key(p.label), p)
        for alias in p.aliases or ():
            known.setdefault(name_key(alias), p)
    return known


class _Batch:
    """What a multi-file import knows of the project between its own commands: the next
    transcript position and the texts' hashes (for the «already imported» check), so that
    the n-th file does not read every transcript's text again (the text lies before the
    position in the row: both checks would scan all of it, which makes an import of many
    files quadratic).

    Trusted only while the log's ``applied`` clock shows that nothing but this import has
    been committed since it last looked (every command, undo and redo takes the next
    number); otherwise read again from the database."""

    def __init__(self) -> None:
        self.stamp: int | None = None
        self.position = 0
        self.texts: set[int] = set()
        self.terms = TermKeys()  # the index's term keys met so far

    def sync(self, s: Session) -> None:
        """Read the project again unless nothing but this batch changed it (inside the
        command, which holds the write lock)."""
        from workbench.storage.models import Command

        now = s.scalar(select(func.coalesce(func.max(Command.applied), 0)))
        if self.stamp is not None and now == self.stamp:
            return
        self.texts = {hash(text) for text in s.scalars(select(Transcript.text))}
        self.position = next_position(s, Transcript.position)
        self.stamp = now

    def stored(self, text: str, position: int) -> None:
        """This import's command for ``text`` committed (it took the next ``applied``)."""
        assert self.stamp is not None
        self.stamp += 1
        self.terms.committed()
        self.texts.add(hash(text))
        self.position = max(self.position, position + 1)


@dataclass
class _Pending:
    """A file of a pooled import on its way: planned and processing, or failed."""

    path: Path
    step: Progress | None
    plan: ImportPlan | None = None
    prepared: _Prepared | None = None
    future: Future[IndexPayload] | None = None
    error: UserError | None = None

    def ready(self) -> bool:
        return self.error is not None or (self.future is not None and self.future.done())


def _turn_starts(prepared: _Prepared) -> list[int]:
    return sorted(start for start, _end in prepared.spans)


@dataclass(frozen=True)
class _Prepared:
    pz: Pseudonymiser
    final: dict[str, SpeakerPlan]
    turns: list[ParsedTurn]
    text: str
    spans: list[tuple[int, int]]


MAX_WORKERS = 3
"""Workers share the pipeline their fork server loaded; each grows its own caches."""

PARALLEL_BYTES = workers.PARALLEL_BYTES
"""Below this much text (about four 15 000-word transcripts) :meth:`ImportService.
import_each` works in this process: starting worker processes would cost more."""

_MODERATOR = re.compile(r"^(m|mod|moderator|intervjuer|interviewer)\.?$", re.IGNORECASE)
_CO_MODERATOR = re.compile(r"^(km|ko-?moderator|co-?moderator|medmoderator)\.?$", re.IGNORECASE)


def _guess_role(label: str) -> str:
    key = label.strip()
    if _CO_MODERATOR.match(key):
        return Role.CO_MODERATOR
    if _MODERATOR.match(key):
        return Role.MODERATOR
    return Role.INFORMANT


__all__ = ["ImportPlan", "ImportResult", "ImportService", "SpeakerPlan", "apply_replacements"]
