"""Where two versions of one text agree, exactly: the span arithmetic of a merge.

:func:`diff_texts` compares *their* text (a colleague's copy of a transcript) with *ours*
and returns the regions that are character for character the same in both, as
``(their start, our start, length)``, and the places where the two differ. A span of their
text moves to ours only when it lies wholly inside one such region
(:meth:`TextDiff.map_span`); a span that touches a changed part does not move at all, so
nothing is ever placed at shifted offsets.

What both texts begin and end with is shared as it is; the rest is compared in two steps
with :class:`difflib.SequenceMatcher` (no "junk" heuristic, which would treat frequent
lines and words as noise): first line by line
(a transcript has one turn per line), then, inside each block of changed lines, word by
word (words, runs of whitespace and single punctuation marks), so a changed sentence does
not cost the codings on the rest of its turn. A changed block larger than
:data:`WORD_LIMIT` tokens on either side is not compared word by word: it counts as
changed as a whole (a bound on the time the comparison can take).

Offsets are code points of the stored texts, as everywhere (``[start, end)``).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from difflib import SequenceMatcher

WORD_LIMIT = 5000
_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")


@dataclass(frozen=True)
class Change:
    """One place where the texts differ: ``[start, end)`` in each (an empty span where one
    text has nothing the other has)."""

    their_start: int
    their_end: int
    our_start: int
    our_end: int


@dataclass(frozen=True)
class TextDiff:
    regions: tuple[tuple[int, int, int], ...]
    """``(their start, our start, length)`` of each stretch the texts share, in order;
    neighbouring stretches that continue each other in both texts are one region."""
    changes: tuple[Change, ...]
    """Where the texts differ, for a report: from where the visible difference begins,
    one per line of ours (the differences within a line are one)."""
    _starts: list[int] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_starts", [r[0] for r in self.regions])

    @property
    def same(self) -> bool:
        return not self.changes

    def map_span(self, start: int, end: int) -> tuple[int, int] | None:
        """Where ``[start, end)`` of their text is in ours, when it lies wholly in a shared
        region; ``None`` when it touches a change."""
        i = bisect_right(self._starts, start) - 1
        if i < 0:
            return None
        their, ours, length = self.regions[i]
        if end > their + length:
            return None
        return ours + start - their, ours + end - their


def _offsets(parts: list[str]) -> list[int]:
    """Where each part starts, and the end of the last."""
    out = [0]
    for part in parts:
        out.append(out[-1] + len(part))
    return out


def diff_texts(theirs: str, ours: str) -> TextDiff:
    """Compare their text with ours (see the module docstring)."""
    if theirs == ours:
        return TextDiff(((0, 0, len(ours)),) if ours else (), ())
    # what both begin and end with is shared whatever the comparison would make of it
    head = _common_prefix(theirs, ours)
    tail = _common_prefix(theirs[head:][::-1], ours[head:][::-1])
    regions: list[tuple[int, int, int]] = [(0, 0, head)]
    changes: list[Change] = []
    t_end, o_end = len(theirs) - tail, len(ours) - tail
    their_lines = theirs[head:t_end].splitlines(keepends=True)
    our_lines = ours[head:o_end].splitlines(keepends=True)
    at_t = [head + x for x in _offsets(their_lines)]
    at_o = [head + x for x in _offsets(our_lines)]
    lines = SequenceMatcher(None, their_lines, our_lines, autojunk=False)
    raw: list[tuple[int, int, int, int]] = []
    for tag, i1, i2, j1, j2 in lines.get_opcodes():
        t0, t1, o0, o1 = at_t[i1], at_t[i2], at_o[j1], at_o[j2]
        if tag == "equal":
            regions.append((t0, o0, t1 - t0))
            continue
        words = _word_diff(theirs[t0:t1], ours[o0:o1], t0, o0) if tag == "replace" else None
        if words is None:
            raw.append(_narrow(theirs, ours, t0, t1, o0, o1))
        else:
            regions.extend(words[0])
            raw.extend(words[1])
    regions.append((t_end, o_end, tail))
    return TextDiff(_coalesce(regions), _changes(theirs, ours, raw))


def _changes(theirs: str, ours: str, raw: list[tuple[int, int, int, int]]) -> tuple[Change, ...]:
    """The places to report: each starts where its visible text does (after any line
    ends), and the changes within one of our lines are one."""
    breaks = [i for i, ch in enumerate(ours) if ch == "\n"]

    def line(pos: int) -> int:
        return bisect_right(breaks, pos - 1)

    out: list[Change] = []
    for t0, t1, o0, o1 in raw:
        while t0 < t1 and theirs[t0] == "\n":
            t0 += 1
        while o0 < o1 and ours[o0] == "\n":
            o0 += 1
        if out and line(o0) == line(out[-1].our_end):
            last = out[-1]
            out[-1] = Change(last.their_start, max(t1, last.their_end), last.our_start,
                             max(o1, last.our_end))
        else:
            out.append(Change(t0, t1, o0, o1))
    return tuple(out)


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def _word_diff(
    theirs: str, ours: str, t_base: int, o_base: int
) -> tuple[list[tuple[int, int, int]], list[tuple[int, int, int, int]]] | None:
    """Shared regions and changes of a block of changed lines, word by word; ``None``
    when the block is too large to compare so."""
    their_tokens, our_tokens = _TOKEN.findall(theirs), _TOKEN.findall(ours)
    if len(their_tokens) > WORD_LIMIT or len(our_tokens) > WORD_LIMIT:
        return None
    at_t, at_o = _offsets(their_tokens), _offsets(our_tokens)
    regions, changes = [], []
    words = SequenceMatcher(None, their_tokens, our_tokens, autojunk=False)
    for tag, i1, i2, j1, j2 in words.get_opcodes():
        t0, t1, o0, o1 = t_base + at_t[i1], t_base + at_t[i2], o_base + at_o[j1], o_base + at_o[j2]
        if tag == "equal":
            regions.append((t0, o0, t1 - t0))
        else:
            changes.append((t0, t1, o0, o1))
    return regions, changes


def _coalesce(regions: list[tuple[int, int, int]]) -> tuple[tuple[int, int, int], ...]:
    out: list[tuple[int, int, int]] = []
    for their, ours, length in regions:
        if length <= 0:
            continue
        if out:
            p_their, p_ours, p_length = out[-1]
            if p_their + p_length == their and p_ours + p_length == ours:
                out[-1] = (p_their, p_ours, p_length + length)
                continue
        out.append((their, ours, length))
    return tuple(out)


def _narrow(theirs: str, ours: str, t0: int, t1: int, o0: int, o1: int
            ) -> tuple[int, int, int, int]:
    """The changed block without the characters both versions begin and end with."""
    while t0 < t1 and o0 < o1 and theirs[t0] == ours[o0]:
        t0, o0 = t0 + 1, o0 + 1
    while t1 > t0 and o1 > o0 and theirs[t1 - 1] == ours[o1 - 1]:
        t1, o1 = t1 - 1, o1 - 1
    return t0, t1, o0, o1


def first_words(text: str, start: int, *, words: int = 8) -> str:
    """The words of ``text`` from the word ``start`` falls in, to the end of that line,
    at most ``words`` of them ("…" when cut); ``""`` at the end of the text."""
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    end = text.find("\n", start)
    line = text[start:] if end < 0 else text[start:end]
    parts = line.split()
    if len(parts) > words:
        return " ".join(parts[:words]) + " …"
    return " ".join(parts)


__all__ = ["WORD_LIMIT", "Change", "TextDiff", "diff_texts", "first_words"]
