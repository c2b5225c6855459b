"""Team coding in plain Python: disagreements between coders, and a colour per coder.

A coding here is anything with ``code_id``, ``coder``, ``start`` and ``end`` (a
:class:`~workbench.services.codes.CodingView`, for example); spans are ``[start, end)``.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from typing import Protocol, TypeVar

from .codebook import PALETTE
from .collation import sort_key


class _Coding(Protocol):
    @property
    def code_id(self) -> int: ...
    @property
    def coder(self) -> str: ...
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


C = TypeVar("C", bound=_Coding)


def disagreements(codings: Sequence[C], coders: Iterable[str]) -> list[C]:
    """The codings of ``coders`` that no other of ``coders`` backs: no coding of the same
    code by another of them overlaps it. Codings of anyone else are left out; with fewer
    than two coders there is nobody to disagree with, and every coding of theirs is
    returned. Order is kept."""
    wanted = frozenset(coders)
    mine = [c for c in codings if c.coder in wanted]
    if len(wanted) < 2:
        return mine
    by_code: dict[int, list[C]] = {}
    for c in mine:
        by_code.setdefault(c.code_id, []).append(c)
    index = {k: sorted(v, key=lambda c: c.start) for k, v in by_code.items()}
    starts = {k: [c.start for c in v] for k, v in index.items()}
    out = []
    for c in mine:
        same = index[c.code_id]
        # only codings that start before c ends can overlap it
        stop = bisect_left(starts[c.code_id], c.end)
        if not any(o.coder != c.coder and o.end > c.start for o in same[:stop]):
            out.append(c)
    return out


def coder_colours(coders: Iterable[str]) -> dict[str, str]:
    """A palette colour per coder, given in Norwegian order of name (stable for a set)."""
    names = sorted(set(coders), key=sort_key)
    return {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(names)}


__all__ = ["coder_colours", "disagreements"]
