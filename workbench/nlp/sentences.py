"""Sentence splitting for transcript turns.

Turns are short and informal, so the rules are simple and fast:

* a line break always ends a sentence (turns are separated by blank lines);
* ``.``, ``!``, ``?``, ``…`` and ``..``/``...`` (with any closing quotes or brackets after
  them) end a sentence when whitespace or the end of the text follows, unless

  - the next word starts with a lowercase letter, or the next character is ``, ; :``
    ("jeg vet ikke... altså", "den 3. mai", "osv. og så");
  - the full stop belongs to an abbreviation that never ends a sentence ("f.eks.", "bl.a.",
    "dvs.", "ca.", "nr.", "kl.", ...; see :mod:`workbench.nlp.tokenizer`) or to a single
    capital initial ("Kari Ø. Hansen");
  - the punctuation is a pause mark in brackets: ``(..)``, ``(...)``, ``[...]``.

Spans are half-open code-point offsets, trimmed of surrounding whitespace; empty sentences
are never returned.
"""

from __future__ import annotations

import re

from workbench.nlp.tokenizer import NON_TERMINAL_ABBREVIATIONS

# A line break, or a run of terminal punctuation (plus closing quotes/brackets) followed by
# whitespace or the end. Written to start with one character class, which lets the regex
# engine scan for candidates quickly.
_CANDIDATE_RE = re.compile(r"[.!?…\n](?:(?<=\n)|[.!?…]*[\"»”’')\]]*(?=\s|$))")
_NEXT_RE = re.compile(r"[ \t\f\v\u00a0\u2000-\u200b\u3000]*(\S|\n|$)")
_OPENERS = "([{«\"'“‘„"
_CONTINUATION = ",;:"


_MAX_CHUNK = 12  # longer than any abbreviation plus an opening bracket


def _is_boundary(text: str, start: int, end: int) -> bool:
    """Whether the punctuation run ``text[start:end]`` ends a sentence."""
    if start and text[start - 1] in "([":
        return False  # a pause mark: "(..)", "(...)", "[...]"
    nxt = _NEXT_RE.match(text, end)
    if nxt is not None:
        ch = nxt.group(1)
        if ch and ch != "\n" and (ch.islower() or ch in _CONTINUATION):
            return False
    if text[start] == "." and (end == start + 1 or text[start + 1] != "."):
        # A single full stop: look at the whitespace-delimited chunk it closes.
        lo = max(0, start - _MAX_CHUNK)
        chunk_start = max(text.rfind(" ", lo, start), text.rfind("\n", lo, start)) + 1
        if chunk_start or not lo:
            chunk = text[chunk_start : start + 1].lstrip(_OPENERS)
            if chunk.lower() in NON_TERMINAL_ABBREVIATIONS:
                return False
            if len(chunk) == 2 and chunk[0].isupper():
                return False  # an initial: "Kari Ø. Hansen"
    return True


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Split ``text`` into sentences; return their ``[start, end)`` code-point spans."""
    cuts: list[int] = []  # alternately a segment's start and end
    for match in _CANDIDATE_RE.finditer(text):
        start, end = match.span()
        if text[start] == "\n":
            cuts.append(start)
            cuts.append(end)
        elif _is_boundary(text, start, end):
            cuts.append(end)
            cuts.append(end)
    spans: list[tuple[int, int]] = []
    append = spans.append
    seg_start = 0
    it = iter(cuts)
    for seg_end in it:
        piece = text[seg_start:seg_end]
        stripped = piece.strip()
        if stripped:
            lead = len(piece) - len(piece.lstrip())
            append((seg_start + lead, seg_start + lead + len(stripped)))
        seg_start = next(it)
    piece = text[seg_start:]
    stripped = piece.strip()
    if stripped:
        lead = len(piece) - len(piece.lstrip())
        append((seg_start + lead, seg_start + lead + len(stripped)))
    return spans
