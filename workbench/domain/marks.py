"""Transcription marks, and the clean reading view that hides them.

Transcripts are kept verbatim, marks and all: laughter ``(latter)``, pauses ``(...)``,
throat-clearing ``(kremt)``, inaudible passages ``[uhørbart]``, overlapping speech between
``//`` marks, elongations ``ja::`` / ``jaaa`` and inline timestamps ``[00:12:34]``. Phase 3
work goes better on a simplified text without them, so :func:`clean_view` derives a clean
reading text together with an exact offset mapping in both directions: a span the
researcher selects in the clean text codes the verbatim span that covers the same
characters (with any marks strictly inside it, never marks just outside it).

What a mark is, is configurable (:class:`MarkSet`); :data:`DEFAULT_MARKS` has the
Norwegian conventions. What the clean view does with each default kind:

* ``laughter``: ``(latter)``, ``[ler]``, ``(ler)``, ... are removed
  (``ja (latter) det`` → ``ja det``);
* ``pause``: ``(pause)``, ``(..)``, ``(...)``, ``(12 sekunders pause)``,
  ``(12 seconds pause)``, ``(lang pause)`` are removed;
* ``throat``: ``(kremt)``, ``(kremter)``, ``(host)`` are removed;
* ``inaudible``: ``(uhørbart)``, ``(utydelig)``, ``[uhørbart]``, ``(?)`` are removed;
* ``time``: ``[00:12:34]``, ``(00:12)``, ``#00:01:02-3#`` are removed;
* ``overlap``: only the ``//`` marks go, the words stay (``//ja ja//`` → ``ja ja``);
* ``elongation``: ``ja::`` → ``ja``, ``nei:::`` → ``nei``, ``jaaa`` → ``ja``,
  ``neeei`` → ``nei``.

An elongation by repeated letters is three or more of the same lowercase letter; the
surplus letters are the mark (``jaaa`` → mark ``aa``), so the word stays (and ``hmmm``
reads ``hm``, ``mmm`` reads ``m``). Capitals are left alone (``III``, ``AAA``), and so is
``www.`` in a web address. A single colon is never a mark (``Moderator:``).

Clean-text rules: marks are removed; the whitespace around a removed mark (or a run of
marks) shrinks to a single character, or to nothing at the start or end of a line, after
an opening bracket or quote, and before ``, . ; : ! ? …`` or a closing bracket or quote
(``ja (latter), sa hun`` → ``ja, sa hun``). Whitespace away from marks, and line breaks,
are never touched. The clean text is a subsequence of the verbatim text, so every clean
character *is* a verbatim character and offsets map exactly. If removing marks brings a new
notation together (``jaa(pause)a``), it is removed as well.

Pure Python: no spaCy, Textual or SQLAlchemy here.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

REGEX_PREFIX = "re:"
"""A notation starting with this is a regular expression; any other is a literal, matched
case-insensitively. A regular expression may mark only part of its match by naming a
group ``mark`` (the elongation pattern keeps the first letter that way)."""


class Mark(NamedTuple):
    """One transcription mark: ``[start, end)`` in code points, and its kind."""

    start: int
    end: int
    kind: str


@dataclass(frozen=True)
class _Rule:
    kind: str
    priority: int
    pattern: re.Pattern[str]
    has_mark_group: bool


@dataclass(frozen=True)
class MarkSet:
    """Which notations count as marks, by kind.

    ``notations`` maps a kind ("laughter", "pause", ...) to its notations: literal strings
    such as ``"(latter)"`` or regular expressions written ``"re:..."``. Where matches of
    different notations overlap, the one starting first wins, then the kind listed first,
    then the longer match.
    """

    notations: tuple[tuple[str, tuple[str, ...]], ...]
    _rules: tuple[_Rule, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        rules: list[_Rule] = []
        for priority, (kind, notes) in enumerate(self.notations):
            literals = [n for n in notes if not n.startswith(REGEX_PREFIX)]
            regexes = [n[len(REGEX_PREFIX) :] for n in notes if n.startswith(REGEX_PREFIX)]
            if literals:
                alternation = "|".join(
                    re.escape(n) for n in sorted(set(literals), key=lambda n: (-len(n), n))
                )
                rules.append(_Rule(kind, priority, re.compile(alternation, re.IGNORECASE), False))
            for source in regexes:
                try:
                    pattern = re.compile(source)
                except re.error as exc:
                    raise ValueError(f"mark kind {kind!r}: bad regular expression {source!r}: {exc}") from exc
                rules.append(_Rule(kind, priority, pattern, "mark" in pattern.groupindex))
        object.__setattr__(self, "_rules", tuple(rules))

    @classmethod
    def from_dict(cls, data: Mapping[str, Iterable[str] | str]) -> MarkSet:
        """Build from a mapping such as a config file gives:
        ``{"laughter": ["(latter)", "[ler]"], "pause": ["re:\\\\(\\\\.{2,3}\\\\)"]}``.
        A single string is taken as a one-element list; order gives priority."""
        notations: list[tuple[str, tuple[str, ...]]] = []
        for kind, notes in data.items():
            if not isinstance(kind, str) or not kind:
                raise ValueError(f"mark kind must be a non-empty string, not {kind!r}")
            items = (notes,) if isinstance(notes, str) else tuple(notes)
            for note in items:
                if not isinstance(note, str) or not note or note == REGEX_PREFIX:
                    raise ValueError(f"mark kind {kind!r}: empty or non-string notation {note!r}")
            notations.append((kind, items))
        return cls(tuple(notations))

    def to_dict(self) -> dict[str, list[str]]:
        return {kind: list(notes) for kind, notes in self.notations}

    @property
    def kinds(self) -> tuple[str, ...]:
        return tuple(kind for kind, _ in self.notations)

    def extend(self, data: Mapping[str, Iterable[str] | str]) -> MarkSet:
        """A copy with more notations (new kinds go last)."""
        merged = {kind: list(notes) for kind, notes in self.notations}
        for kind, notes in MarkSet.from_dict(data).notations:
            merged.setdefault(kind, []).extend(n for n in notes if n not in merged[kind])
        return MarkSet.from_dict(merged)

    def without(self, *kinds: str) -> MarkSet:
        """A copy without the given kinds (e.g. keep elongations in the clean view)."""
        return MarkSet(tuple((k, n) for k, n in self.notations if k not in kinds))

    def find(self, text: str) -> list[Mark]:
        """Non-overlapping marks in ``text``, in order (see :func:`find_marks`)."""
        found: list[tuple[int, int, int, str]] = []
        for rule in self._rules:
            for match in rule.pattern.finditer(text):
                start, end = match.span("mark") if rule.has_mark_group else match.span()
                if end > start:
                    found.append((start, rule.priority, start - end, rule.kind))
        found.sort()
        marks: list[Mark] = []
        last_end = 0
        for start, _priority, neg_len, kind in found:
            if start >= last_end:
                end = start - neg_len
                marks.append(Mark(start, end, kind))
                last_end = end
        return marks


_LETTERS_LOWER = "a-zæøåäöüéèêáàóòôúùíìçñ"

DEFAULT_MARKS: MarkSet = MarkSet.from_dict(
    {
        "time": [
            r"re:\[\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?\]",
            r"re:\(\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?\)",
            r"re:#\d{1,2}:\d{2}:\d{2}(?:[-.,]\d{1,3})?#",
        ],
        "laughter": [
            "(latter)", "[latter]", "(ler)", "[ler]", "(ler litt)", "(alle ler)", "(flere ler)",
            "(humrer)", "(fnis)", "(fniser)", "(laughter)", "[laughter]", "(laughs)",
        ],
        "pause": [
            r"re:(?i)[(\[](?:\.{2,}|…|(?:(?:lang|lengre|kort|liten)\s+)?pause"
            r"|\d+(?:[.,]\d+)?\s*(?:sekunders?|sek\.?|s|seconds?|secs?)\.?\s+pause"
            r"|pause\s+\d+(?:[.,]\d+)?\s*(?:sekunder|sek\.?|s|seconds?|secs?)\.?)[)\]]",
        ],
        "throat": ["(kremt)", "(kremter)", "[kremt]", "[kremter]", "(host)", "(hoster)", "[host]"],
        "inaudible": [
            "(uhørbart)", "[uhørbart]", "(utydelig)", "[utydelig]", "(uhørlig)", "[uhørlig]",
            "(uforståelig)", "[uforståelig]", "(inaudible)", "[inaudible]", "(?)", "[?]",
        ],
        # Lookbehinds come after a literal first character so that the regex engine can
        # scan for that character quickly.
        "overlap": [r"re://(?<!://)"],
        "elongation": [
            r"re::(?<=[^\W\d_]:):+",
            rf"re:(?P<keep>[{_LETTERS_LOWER}])(?P<mark>(?P=keep){{2,}})(?!\.\w)",
        ],
    }
)  # fmt: skip


def find_marks(text: str, marks: MarkSet = DEFAULT_MARKS) -> list[Mark]:
    """The transcription marks in ``text``: sorted, non-overlapping, never empty."""
    return marks.find(text)


# --- the clean view -------------------------------------------------------------------------

_HSPACE = frozenset(" \t\f\v\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
                    "\u2008\u2009\u200a\u202f\u205f\u3000")  # fmt: skip
_NO_SPACE_BEFORE = frozenset(",.;:!?…)]}»”’")
_NO_SPACE_AFTER = frozenset("([{«“‘„")
_MAX_PASSES = 8


def _dropped_intervals(text: str, marks: list[Mark]) -> list[tuple[int, int]]:
    """Verbatim intervals the clean view leaves out, sorted and disjoint."""
    n = len(text)
    dropped: list[tuple[int, int]] = []
    i = 0
    while i < len(marks):
        # A region: a run of marks with only horizontal whitespace between and around them.
        first = i
        start = marks[i].start
        while start > 0 and text[start - 1] in _HSPACE:
            start -= 1
        end = marks[i].end
        i += 1
        while True:
            while end < n and text[end] in _HSPACE:
                end += 1
            if i < len(marks) and marks[i].start == end:
                end = marks[i].end
                i += 1
                continue
            break
        # Keep one whitespace character as a word separator, unless the region sits at a
        # line edge, after an opening bracket or quote, or before closing punctuation.
        keep: int | None = None
        before = text[start - 1] if start > 0 else "\n"
        after = text[end] if end < n else "\n"
        if (
            before != "\n"
            and after != "\n"
            and before not in _NO_SPACE_AFTER
            and after not in _NO_SPACE_BEFORE
        ):
            # The first whitespace character of the region outside its marks: every gap
            # between (and around) the region's marks is whitespace only.
            cursor = start
            for mark in marks[first:i]:
                if mark.start > cursor:
                    keep = cursor
                    break
                cursor = mark.end
            else:
                if end > cursor:
                    keep = cursor
        if keep is None:
            dropped.append((start, end))
        else:
            if keep > start:
                dropped.append((start, keep))
            if end > keep + 1:
                dropped.append((keep + 1, end))
    return dropped


def _runs_from_dropped(n: int, dropped: list[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """Kept runs ``(clean_start, verbatim_start, length)`` given the dropped intervals."""
    runs: list[tuple[int, int, int]] = []
    pos = 0
    clean = 0
    for start, end in dropped:
        if start > pos:
            runs.append((clean, pos, start - pos))
            clean += start - pos
        pos = max(pos, end)
    if n > pos:
        runs.append((clean, pos, n - pos))
    return runs


def _compose(
    outer: list[tuple[int, int, int]], inner: list[tuple[int, int, int]]
) -> list[tuple[int, int, int]]:
    """Runs mapping clean₂ → verbatim, from ``inner`` (clean₂ → clean₁) and ``outer``
    (clean₁ → verbatim)."""
    outer_starts = [r[0] for r in outer]
    runs: list[tuple[int, int, int]] = []
    for c2, c1, length in inner:
        while length:
            k = bisect_right(outer_starts, c1) - 1
            o_clean, o_verb, o_len = outer[k]
            take = min(length, o_clean + o_len - c1)
            verb = o_verb + (c1 - o_clean)
            if runs and runs[-1][1] + runs[-1][2] == verb and runs[-1][0] + runs[-1][2] == c2:
                last = runs.pop()
                runs.append((last[0], last[1], last[2] + take))
            else:
                runs.append((c2, verb, take))
            c2 += take
            c1 += take
            length -= take
    return runs


class CleanView:
    """A clean reading text and the exact offset mapping to and from the verbatim text.

    Offsets are code points. ``to_verbatim(i)`` is the verbatim position of clean character
    ``i`` (``len(text)`` maps to ``len(verbatim)``); ``to_clean(v)`` is the number of clean
    characters before verbatim position ``v``, so a position inside a mark maps to the
    clean character after the mark. Lookups bisect a table of kept runs: O(log n).
    """

    __slots__ = ("verbatim", "text", "marks", "_runs", "_clean_starts", "_verbatim_starts")

    def __init__(self, verbatim: str, marks: MarkSet = DEFAULT_MARKS) -> None:
        self.verbatim = verbatim
        self.marks: list[Mark] = find_marks(verbatim, marks)
        runs = _runs_from_dropped(len(verbatim), _dropped_intervals(verbatim, self.marks))
        text = "".join(verbatim[v : v + length] for _c, v, length in runs)
        for _ in range(_MAX_PASSES):
            # Removing marks can bring a new notation together ("jaa(pause)a" → "jaaa").
            more = find_marks(text, marks)
            if not more:
                break
            inner = _runs_from_dropped(len(text), _dropped_intervals(text, more))
            runs = _compose(runs, inner)
            text = "".join(text[c1 : c1 + length] for _c2, c1, length in inner)
        self.text = text
        self._runs = runs
        self._clean_starts = [r[0] for r in runs]
        self._verbatim_starts = [r[1] for r in runs]

    def __repr__(self) -> str:
        return f"CleanView({self.text[:40]!r}…, {len(self.marks)} marks)"

    def to_verbatim(self, clean_offset: int) -> int:
        """Verbatim offset of clean character ``clean_offset`` (0 ≤ offset ≤ len(text))."""
        if not 0 <= clean_offset <= len(self.text):
            raise IndexError(f"clean offset {clean_offset} outside 0..{len(self.text)}")
        if clean_offset == len(self.text):
            return len(self.verbatim)
        k = bisect_right(self._clean_starts, clean_offset) - 1
        clean_start, verbatim_start, _length = self._runs[k]
        return verbatim_start + (clean_offset - clean_start)

    def to_clean(self, verbatim_offset: int) -> int:
        """Clean offset for verbatim offset ``verbatim_offset`` (0 ≤ offset ≤ len(verbatim))."""
        if not 0 <= verbatim_offset <= len(self.verbatim):
            raise IndexError(f"verbatim offset {verbatim_offset} outside 0..{len(self.verbatim)}")
        k = bisect_right(self._verbatim_starts, verbatim_offset) - 1
        if k < 0:
            return 0
        clean_start, verbatim_start, length = self._runs[k]
        return clean_start + min(verbatim_offset - verbatim_start, length)

    def span_to_verbatim(self, start: int, end: int) -> tuple[int, int]:
        """The verbatim span covering clean ``[start, end)``: from its first character to
        its last, with the marks strictly inside it and none just outside it. An empty span
        maps to an empty span at :meth:`to_verbatim` of ``start``."""
        if start > end:
            raise ValueError(f"span start {start} after end {end}")
        if start == end:
            position = self.to_verbatim(start)
            return position, position
        return self.to_verbatim(start), self.to_verbatim(end - 1) + 1

    def span_to_clean(self, start: int, end: int) -> tuple[int, int]:
        """The clean span holding the clean characters of verbatim ``[start, end)``
        (empty if the verbatim span holds only marks)."""
        if start > end:
            raise ValueError(f"span start {start} after end {end}")
        return self.to_clean(start), self.to_clean(end)


def clean_view(text: str, marks: MarkSet = DEFAULT_MARKS) -> CleanView:
    """The clean reading view of ``text`` (see the module docstring)."""
    return CleanView(text, marks)
