"""Reviewing themes against the data (phase 4): extracts, who voices a theme, thin themes,
and the deductive trap.

Read-only: :class:`ThemeMetricsService` (``wb.metrics.extracts(id)``, ``.stats()``,
``.matrix(by)``, ``.mirror_check()``, ``.map()``). :func:`theme_stats`,
:func:`mirror_check` and :func:`project_groups` take an open unit of work, for services
that need them inside their own read (the phase checklist).

Attribution: an extract is said by the speaker of the turn that contains the coding's
start. Its group is that participant's group, else the transcript's group. Only
participants with the role *informant* count as informants.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workbench.domain.collation import sort_key
from workbench.domain.model import Origin, Role, ThemeStatus, name_key
from workbench.i18n import t
from workbench.storage.models import (
    Code,
    CodeTheme,
    Coding,
    Participant,
    Theme,
    Transcript,
)

from .attribution import Speakers
from .base import Service, get
from .review import open_comment_counts
from .themes import ThemeView, theme_tree

# A theme is *thin* when it has fewer extracts than this, fewer than two informants, or
# (when the project has several groups) is voiced by one group only.
THIN_EXTRACTS = 3
# The deductive-mirror warning is raised when at least this share of the main themes
# mirror a deductive top-level code (and at least two do).
MIRROR_SHARE = 0.5
# A theme "is built from" a deductive code when at least this share of its codes are that
# code or codes below it.
MIRROR_CODE_SHARE = 0.5


# -- attribution --------------------------------------------------------------------------


@dataclass(frozen=True)
class Speaker:
    participant_id: int | None
    label: str | None
    role: str | None
    profession: str | None
    group: str | None

    @property
    def is_informant(self) -> bool:
        return self.participant_id is not None and self.role == Role.INFORMANT


class _Attributor:
    """Finds the speaker of an offset in a transcript (the turn containing it)."""

    def __init__(self, s: Session, transcript_ids: Iterable[int] | None = None) -> None:
        self.speaker = Speakers(s, transcript_ids)  # the one lookup exports use too
        self.people = {p.id: p for p in s.scalars(select(Participant))}
        tstmt = select(Transcript.id, Transcript.group_name)
        self.groups = dict(s.execute(tstmt).all())

    def __call__(self, transcript_id: int, offset: int) -> Speaker:
        pid = self.speaker(transcript_id, offset)
        person = self.people.get(pid) if pid is not None else None
        group = (person.group_name if person else None) or self.groups.get(transcript_id)
        if person is None:
            return Speaker(None, None, None, None, group)
        return Speaker(person.id, person.label, person.role, person.profession, group)


# -- the theme tree as plain rows ----------------------------------------------------------


@dataclass
class _Tree:
    themes: dict[int, Theme]
    children: dict[int | None, list[int]]
    codes: dict[int, list[int]]  # theme id -> code ids directly under it

    def subtree(self, theme_id: int) -> list[int]:
        out, stack = [], [theme_id]
        while stack:
            node = stack.pop()
            out.append(node)
            stack.extend(reversed(self.children.get(node, [])))
        return out

    def code_ids(self, theme_id: int) -> list[int]:
        """Codes of a theme and of all its sub-themes, without repeats, in map order."""
        return list(dict.fromkeys(c for th in self.subtree(theme_id) for c in self.codes.get(th, [])))

    def in_order(self) -> list[tuple[int, int]]:
        """(theme id, depth) in map order."""
        out: list[tuple[int, int]] = []

        def visit(parent: int | None, depth: int) -> None:
            for tid in self.children.get(parent, []):
                out.append((tid, depth))
                visit(tid, depth + 1)

        visit(None, 0)
        return out


def _tree(s: Session) -> _Tree:
    themes = {th.id: th for th in s.scalars(select(Theme).order_by(Theme.position, Theme.id))}
    children: dict[int | None, list[int]] = {}
    for th in themes.values():
        children.setdefault(th.parent_id, []).append(th.id)
    codes: dict[int, list[int]] = {}
    for link in s.scalars(select(CodeTheme).order_by(CodeTheme.position, CodeTheme.id)):
        codes.setdefault(link.theme_id, []).append(link.code_id)
    return _Tree(themes, children, codes)


@dataclass(frozen=True)
class _Extract:
    coding_id: int
    code_id: int
    transcript_id: int
    start: int
    is_quote: bool
    speaker: Speaker


def _extracts_by_code(s: Session) -> dict[int, list[_Extract]]:
    attribute = _Attributor(s)
    out: dict[int, list[_Extract]] = {}
    rows = s.execute(
        select(Coding.id, Coding.code_id, Coding.transcript_id, Coding.start, Coding.is_quote)
        .order_by(Coding.transcript_id, Coding.start, Coding.id)
    )
    for cid, code_id, tid, start, quote in rows:
        out.setdefault(code_id, []).append(
            _Extract(cid, code_id, tid, start, bool(quote), attribute(tid, start))
        )
    return out


# -- stats per theme -----------------------------------------------------------------------


@dataclass(frozen=True)
class ThemeStats:
    """How well a theme is supported by the data (its sub-themes included)."""

    theme_id: int
    codes: int
    extracts: int
    informants: int
    groups: int
    transcripts: int
    quotes: int
    thin: bool = False
    group_names: tuple[str, ...] = ()


def _stats_for(
    tree: _Tree, by_code: dict[int, list[_Extract]], theme_id: int, n_groups: int
) -> ThemeStats:
    seen: dict[int, _Extract] = {}
    code_ids = tree.code_ids(theme_id)
    for code_id in code_ids:
        for x in by_code.get(code_id, []):
            seen[x.coding_id] = x
    extracts = list(seen.values())
    informants = {x.speaker.participant_id for x in extracts if x.speaker.is_informant}
    groups = sorted({x.speaker.group for x in extracts if x.speaker.group}, key=sort_key)
    theme = tree.themes[theme_id]
    special = theme.is_misc or theme.status == ThemeStatus.DISCARDED
    thin = not special and (
        len(extracts) < THIN_EXTRACTS or len(informants) < 2
        or (n_groups >= 2 and len(groups) < 2)
    )
    return ThemeStats(
        theme_id, len(code_ids), len(extracts), len(informants), len(groups),
        len({x.transcript_id for x in extracts}), sum(x.is_quote for x in extracts), thin,
        tuple(groups),
    )


def project_groups(s: Session) -> list[str]:
    """The project's groups (of transcripts and of informants), in Norwegian order."""
    groups = {g for (g,) in s.execute(select(Transcript.group_name)) if g}
    groups |= {
        g for (g,) in s.execute(
            select(Participant.group_name).where(Participant.role == Role.INFORMANT)
        ) if g
    }
    return sorted(groups, key=sort_key)


def theme_stats(s: Session) -> dict[int, ThemeStats]:
    """Theme id -> how well the theme is supported by the data (sub-themes included)."""
    tree = _tree(s)
    by_code = _extracts_by_code(s)
    n_groups = len(project_groups(s))
    return {tid: _stats_for(tree, by_code, tid, n_groups) for tid in tree.themes}


# -- the extracts of one theme (review screen) -----------------------------------------------


@dataclass(frozen=True)
class ThemeExtract:
    coding_id: int
    coding_guid: str
    code_id: int
    code_name: str
    theme_id: int  # the (sub-)theme the code sits under
    theme_name: str
    transcript_id: int
    transcript_name: str
    start: int
    end: int
    text: str
    speaker: str | None
    role: str | None
    profession: str | None
    group: str | None
    is_quote: bool
    memo: str
    open_comments: int = 0


@dataclass(frozen=True)
class ExtractGroup:
    """The extracts of one transcript (one focus group)."""

    transcript_id: int
    transcript_name: str
    group: str | None
    extracts: tuple[ThemeExtract, ...]


@dataclass(frozen=True)
class ThemeExtracts:
    theme_id: int
    theme_guid: str
    name: str
    definition: str
    status: str
    groups: tuple[ExtractGroup, ...]
    stats: ThemeStats

    @property
    def all(self) -> list[ThemeExtract]:
        return [x for g in self.groups for x in g.extracts]


def _theme_extracts(s: Session, theme_id: int) -> ThemeExtracts:
    theme = get(s, Theme, theme_id)
    tree = _tree(s)
    owner: dict[int, int] = {}  # code id -> the first (sub-)theme it sits under
    for tid in tree.subtree(theme.id):
        for code_id in tree.codes.get(tid, []):
            owner.setdefault(code_id, tid)
    comments = open_comment_counts(s)
    rows = s.execute(
        select(Coding, Transcript.name, Transcript.group_name, Code.name)
        .join(Transcript, Coding.transcript_id == Transcript.id)
        .join(Code, Coding.code_id == Code.id)
        .where(Coding.code_id.in_(list(owner) or [-1]))
        .order_by(Transcript.position, Transcript.id, Coding.start, Coding.end, Coding.id)
    ).all()
    transcript_ids = {c.transcript_id for c, *_ in rows}
    texts = dict(
        s.execute(select(Transcript.id, Transcript.text).where(Transcript.id.in_(transcript_ids)))
        .all()
    )
    attribute = _Attributor(s, transcript_ids)
    grouped: dict[int, tuple[str, str | None, list[ThemeExtract]]] = {}
    for coding, transcript_name, transcript_group, code_name in rows:
        who = attribute(coding.transcript_id, coding.start)
        sub = tree.themes[owner[coding.code_id]]
        extract = ThemeExtract(
            coding.id, coding.guid, coding.code_id, code_name, sub.id, sub.name,
            coding.transcript_id, transcript_name, coding.start, coding.end,
            texts.get(coding.transcript_id, "")[coding.start : coding.end],
            who.label, who.role, who.profession, who.group, coding.is_quote, coding.memo,
            comments.get(coding.guid, 0),
        )
        grouped.setdefault(coding.transcript_id, (transcript_name, transcript_group, []))[2].append(
            extract
        )
    groups = tuple(
        ExtractGroup(tid, name, group, tuple(items)) for tid, (name, group, items) in grouped.items()
    )
    n_groups = len(project_groups(s))
    stats = _stats_for(tree, _extracts_by_code(s), theme.id, n_groups)
    return ThemeExtracts(
        theme.id, theme.guid, theme.name, theme.definition, theme.status, groups, stats
    )


# -- matrices ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MatrixCell:
    extracts: int = 0
    informants: int = 0


@dataclass(frozen=True)
class MatrixRow:
    theme_id: int
    name: str
    depth: int
    status: str
    is_misc: bool
    cells: tuple[MatrixCell, ...]
    total: MatrixCell
    thin: bool


@dataclass(frozen=True)
class ThemeMatrix:
    """Themes (rows, in map order, discarded ones left out) × groups or informants."""

    by: str  # "group" or "informant"
    columns: tuple[str, ...]
    rows: tuple[MatrixRow, ...]
    groups_of_columns: tuple[str | None, ...] = ()  # for informants: each one's group


def _theme_matrix(s: Session, by: str = "group") -> ThemeMatrix:
    if by not in ("group", "informant"):
        raise ValueError(f"unknown matrix {by!r}")
    tree = _tree(s)
    by_code = _extracts_by_code(s)
    groups = project_groups(s)
    n_groups = len(groups)
    if by == "group":
        keys: list[object] = list(groups)
        columns = list(groups)
        column_groups: list[str | None] = list(groups)
        if any(
            not x.speaker.group for xs in by_code.values() for x in xs if x.speaker.is_informant
        ):
            keys.append(None)
            columns.append(t("themes_ui.no_group"))
            column_groups.append(None)
    else:
        people = sorted(
            s.scalars(select(Participant).where(Participant.role == Role.INFORMANT)),
            key=lambda p: (sort_key(p.group_name or "\uffff"), sort_key(p.label)),
        )
        keys = [p.id for p in people]
        columns = [p.label for p in people]
        column_groups = [p.group_name for p in people]
    index = {k: i for i, k in enumerate(keys)}
    rows: list[MatrixRow] = []
    for tid, depth in tree.in_order():
        theme = tree.themes[tid]
        if theme.status == ThemeStatus.DISCARDED:
            continue
        extracts: dict[int, _Extract] = {}
        for code_id in tree.code_ids(tid):
            for x in by_code.get(code_id, []):
                extracts[x.coding_id] = x
        counts = [0] * len(keys)
        people_per: list[set[int]] = [set() for _ in keys]
        for x in extracts.values():
            if not x.speaker.is_informant:
                continue
            key = x.speaker.group if by == "group" else x.speaker.participant_id
            i = index.get(key)
            if i is None:
                continue
            counts[i] += 1
            people_per[i].add(x.speaker.participant_id)  # type: ignore[arg-type]
        cells = tuple(MatrixCell(n, len(p)) for n, p in zip(counts, people_per, strict=True))
        stats = _stats_for(tree, by_code, tid, n_groups)
        rows.append(
            MatrixRow(
                tid, theme.name, depth, theme.status, theme.is_misc, cells,
                MatrixCell(stats.extracts, stats.informants), stats.thin,
            )
        )
    return ThemeMatrix(by, tuple(columns), tuple(rows), tuple(column_groups))


# -- the deductive trap --------------------------------------------------------------------

_STOPWORDS = frozenset(
    "og i på av for med som det den de til hva hvem er om å en et at ikke man".split()
)
_LABEL_PREFIX = re.compile(r"^\s*(?:[a-zæøå0-9]{1,2}\s*[:.)]|[^\W\d_]+\s*:)\s*", re.IGNORECASE)


def _core_words(name: str, *, drop_label: bool = False) -> frozenset[str]:
    """Content words of a name: no punctuation, no short function words, and (for a
    codebook's code) no focus-area label such as "a:" or "Nøkkelspørsmål:"."""
    text = name_key(name)
    if drop_label:
        text = _LABEL_PREFIX.sub("", text, count=1)
    words = re.findall(r"[^\W\d_]+", text)
    return frozenset(w for w in words if len(w) > 1 and w not in _STOPWORDS)


def names_mirror(theme_name: str, code_name: str) -> bool:
    """Whether a theme's name just repeats a code's name.

    Equal content words, or the code's words all in the theme's name and the theme adds
    at most one word ("Håp og optimisme" mirrors "Håp"; "Å bære håpet for brukeren" does
    not).
    """
    a, b = _core_words(theme_name), _core_words(code_name, drop_label=True)
    if not a or not b:
        return False
    return a == b or (b <= a and len(a) <= len(b) + 1)


@dataclass(frozen=True)
class Mirror:
    theme_id: int
    theme_name: str
    code_id: int
    code_name: str
    reason: str  # "name" or "codes"


@dataclass(frozen=True)
class MirrorReport:
    """Which main themes mirror a deductive top-level code (a framework category or an
    interview-guide focus area), and whether that is most of them."""

    main_themes: int
    mirrors: tuple[Mirror, ...]
    warn: bool

    @property
    def share(self) -> float:
        return len(self.mirrors) / self.main_themes if self.main_themes else 0.0


def mirror_check(s: Session) -> MirrorReport:
    """The heuristic: consider main themes that are neither discarded nor the
    miscellaneous bin, and the top-level deductive codes. A main theme *mirrors* a
    deductive code D when

    * its name repeats D's name (:func:`names_mirror`), or
    * at least half of its codes (sub-themes' codes included) are D or codes below D.

    Each deductive code is matched to at most one theme. Warn when at least two main
    themes mirror and they make up at least half of the main themes.
    """
    tree = _tree(s)
    codes = {c.id: c for c in s.scalars(select(Code))}
    tops = sorted(
        (c for c in codes.values() if c.parent_id is None and c.origin == Origin.DEDUCTIVE),
        key=lambda c: (c.position, c.id),
    )

    def root(code_id: int) -> int:
        seen: set[int] = set()
        node = codes[code_id]
        while node.parent_id is not None and node.parent_id in codes and node.id not in seen:
            seen.add(node.id)
            node = codes[node.parent_id]
        return node.id

    mains = [
        tree.themes[tid] for tid in tree.children.get(None, [])
        if not tree.themes[tid].is_misc and tree.themes[tid].status != ThemeStatus.DISCARDED
    ]
    used: set[int] = set()
    mirrors: list[Mirror] = []
    for theme in mains:
        found: Mirror | None = None
        for code in tops:
            if code.id not in used and names_mirror(theme.name, code.name):
                found = Mirror(theme.id, theme.name, code.id, code.name, "name")
                break
        if found is None:
            code_ids = tree.code_ids(theme.id)
            if code_ids:
                roots: dict[int, int] = {}
                for cid in code_ids:
                    r = root(cid)
                    roots[r] = roots.get(r, 0) + 1
                for code in tops:
                    n = roots.get(code.id, 0)
                    if code.id not in used and n and n / len(code_ids) >= MIRROR_CODE_SHARE:
                        found = Mirror(theme.id, theme.name, code.id, code.name, "codes")
                        break
        if found is not None:
            used.add(found.code_id)
            mirrors.append(found)
    warn = len(mirrors) >= 2 and len(mirrors) >= MIRROR_SHARE * len(mains)
    return MirrorReport(len(mains), tuple(mirrors), warn)


# -- the theme-map screen in one read -----------------------------------------------------


@dataclass(frozen=True)
class MapCode:
    id: int
    guid: str
    name: str
    origin: str
    colour: str
    codings: int
    themes: int  # how many themes it sits under


@dataclass(frozen=True)
class ThemeMap:
    themes: list[ThemeView]  # the tree
    codes: dict[int, MapCode]
    unassigned: tuple[MapCode, ...]  # under no theme: coded first, inductive first, A–Å
    stats: dict[int, ThemeStats]
    open_comments: dict[str, int]  # anchor GUID -> open comments
    mirror: MirrorReport
    groups: tuple[str, ...] = field(default=())


def _theme_map(s: Session) -> ThemeMap:
    counts = dict(s.execute(select(Coding.code_id, func.count()).group_by(Coding.code_id)).all())
    placed: dict[int, int] = {}
    for (code_id,) in s.execute(select(CodeTheme.code_id)):
        placed[code_id] = placed.get(code_id, 0) + 1
    codes = {
        c.id: MapCode(
            c.id, c.guid, c.name, c.origin, c.colour, int(counts.get(c.id, 0)), placed.get(c.id, 0)
        )
        for c in s.scalars(select(Code))
    }
    unassigned = tuple(
        sorted(
            (c for c in codes.values() if not c.themes),
            key=lambda c: (c.codings == 0, c.origin != Origin.INDUCTIVE, sort_key(c.name)),
        )
    )
    return ThemeMap(
        theme_tree(s), codes, unassigned, theme_stats(s), open_comment_counts(s),
        mirror_check(s), tuple(project_groups(s)),
    )


class ThemeMetricsService(Service):
    """How the themes stand against the data: read-only, nothing here changes the project."""

    def extracts(self, theme_id: int) -> ThemeExtracts:
        """Every extract of a theme (its codes and its sub-themes' codes), grouped by
        transcript, with who said it."""
        with self.store.read() as s:
            return _theme_extracts(s, theme_id)

    def stats(self) -> dict[int, ThemeStats]:
        """Extracts, informants, groups and quotes per theme (sub-themes included)."""
        with self.store.read() as s:
            return theme_stats(s)

    def matrix(self, by: str = "group") -> ThemeMatrix:
        """The theme × group (``by="group"``) or theme × informant matrix."""
        with self.store.read() as s:
            return _theme_matrix(s, by)

    def mirror_check(self) -> MirrorReport:
        """Do the main themes simply mirror a deductive codebook or the interview guide?"""
        with self.store.read() as s:
            return mirror_check(s)

    def map(self) -> ThemeMap:
        """Everything the theme-map screen shows, in one read."""
        with self.store.read() as s:
            return _theme_map(s)
