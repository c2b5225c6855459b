"""Where two versions of one text agree, exactly: the span arithmetic of a merge.

:func:`diff_texts` compares *their* text (a colleague's copy of a transcript) with *ours*
and returns the regions that are character for character the same in both, as
``(their start, our start, length)``, and the places where the two differ. A span of their
text moves to ours only when it lies wholly inside one such region
(:meth:`TextDiff.map_span`); a span that touches a changed part does not move at all, so
nothing is ever placed at shifted offsets.

The comparison runs in two steps with :class:`difflib.SequenceMatcher` (no "junk"
heuristic, which would treat frequent lines and words as noise): first line by line
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
from itertools import accumulate

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
    """Each block of changed lines, narrowed to where the texts really differ."""
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
    return [0, *accumulate(len(p) for p in parts)]


def diff_texts(theirs: str, ours: str) -> TextDiff:
    """Compare their text with ours (see the module docstring)."""
    if theirs == ours:
        return TextDiff(((0, 0, len(ours)),) if ours else (), ())
    their_lines = theirs.splitlines(keepends=True)
    our_lines = ours.splitlines(keepends=True)
    at_t, at_o = _offsets(their_lines), _offsets(our_lines)
    regions: list[tuple[int, int, int]] = []
    changes: list[Change] = []
    lines = SequenceMatcher(None, their_lines, our_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in lines.get_opcodes():
        t0, t1, o0, o1 = at_t[i1], at_t[i2], at_o[j1], at_o[j2]
        if tag == "equal":
            regions.append((t0, o0, t1 - t0))
            continue
        changes.append(_narrow(theirs, ours, t0, t1, o0, o1))
        if tag == "replace":
            regions.extend(_word_regions(theirs[t0:t1], ours[o0:o1], t0, o0))
    return TextDiff(_coalesce(regions), tuple(changes))


def _word_regions(theirs: str, ours: str, t_base: int, o_base: int) -> list[tuple[int, int, int]]:
    their_tokens, our_tokens = _TOKEN.findall(theirs), _TOKEN.findall(ours)
    if len(their_tokens) > WORD_LIMIT or len(our_tokens) > WORD_LIMIT:
        return []
    at_t, at_o = _offsets(their_tokens), _offsets(our_tokens)
    words = SequenceMatcher(None, their_tokens, our_tokens, autojunk=False)
    return [
        (t_base + at_t[i1], o_base + at_o[j1], at_t[i2] - at_t[i1])
        for tag, i1, i2, j1, j2 in words.get_opcodes() if tag == "equal"
    ]


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


def _narrow(theirs: str, ours: str, t0: int, t1: int, o0: int, o1: int) -> Change:
    """The changed block without the characters both versions begin and end with."""
    while t0 < t1 and o0 < o1 and theirs[t0] == ours[o0]:
        t0, o0 = t0 + 1, o0 + 1
    while t1 > t0 and o1 > o0 and theirs[t1 - 1] == ours[o1 - 1]:
        t1, o1 = t1 - 1, o1 - 1
    return Change(t0, t1, o0, o1)


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
