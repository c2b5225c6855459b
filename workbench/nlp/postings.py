"""What the search index stores for one text, computed without a database: the word
numbers of every lemma and word form, where each word lies, and the sentence spans, all
already encoded as the bytes the index stores.

:func:`index_payload` is the text-processing half of
:func:`workbench.storage.search_index.write_index`; it takes only plain values and returns
only plain values, so a multi-file import can run it in worker processes
(:meth:`workbench.services.importing.ImportService.import_files`) while the main process
writes to the database. The encoding is done here too, so the main process only writes rows.

Transcription marks («(latter)», «[ler]», time codes; :mod:`workbench.domain.marks`) are
not indexed as words: a token that lies wholly inside a mark is skipped.

The encodings (decoded by :mod:`workbench.storage.search_index`):

* a *posting* (one term in one text) is the ascending word numbers of its occurrences,
  delta-coded (the first number, then the gaps) as unsigned LEB128 varints
  (:func:`encode_numbers` / :func:`decode_numbers`);
* a *section* is a list of integers as a typed array of the smallest fitting width, raw
  deflate-compressed, after a one-byte typecode (:func:`pack_ints` / :func:`unpack_ints`); a
  *blob* is a version byte and length-prefixed sections (:func:`pack_sections`);
* the *tokens* blob holds, for word ``n`` in order, the gap from the previous word's end to
  its start and its length, interleaved (``[gap0, len0, gap1, len1, …]``), and, after the
  stride (:data:`STRIDE`), how far the text moves every stride of words (so the offset
  where word ``k·STRIDE`` begins its gap is a sum of ``k`` of them), so one word is found
  by summing at most ``2·STRIDE`` small numbers;
* the *sentences* blob holds the sentence spans the same way (gap, length);
* the *turns* blob holds the turn starts (delta-coded; their row ids are added by the
  writer, which knows them).
"""

from __future__ import annotations

import zlib
from array import array
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import accumulate

from workbench.domain.marks import find_marks
from workbench.nlp.pipeline import get_pipeline

#: What a posting row holds: occurrences of a lemma, of a word form, or of both (a form
#: that is its own lemma, with no other form of that lemma in the text: one row serves both).
LEMMA, FORM, BOTH = 1, 2, 3
STRIDE = 16
"""Words between two stored offsets in the tokens blob."""
BLOB_VERSION = 1

_TYPECODES = (("B", 0, 0xFF), ("H", 0, 0xFFFF), ("I", 0, 0xFFFFFFFF),
              ("b", -0x80, 0x7F), ("h", -0x8000, 0x7FFF), ("i", -0x80000000, 0x7FFFFFFF),
              ("q", -(1 << 63), (1 << 63) - 1))


@dataclass(frozen=True, slots=True)
class IndexPayload:
    terms: list[tuple[str, int, int, bytes]]
    """(term, :data:`LEMMA` / :data:`FORM` / :data:`BOTH`, occurrences, encoded word
    numbers), lemmas first."""
    tokens: bytes
    """Where every indexed word lies (see the module docstring)."""
    sentences: bytes
    turn_starts: bytes
    """The section of turn starts (delta-coded) the payload was made with."""
    turns: int
    """How many turns the payload was made with."""
    words: int
    """How many words were indexed."""


# -- the codec ----------------------------------------------------------------------------


def encode_varints(values: Iterable[int]) -> bytes:
    """Unsigned LEB128: seven bits a byte, low bits first, the high bit set on every byte
    but a number's last."""
    values = list(values)
    if not values:
        return b""
    if min(values) < 0:
        raise ValueError("varints are unsigned")
    if max(values) < 0x80:
        return bytes(values)
    out = bytearray()
    append = out.append
    for v in values:
        while v >= 0x80:
            append((v & 0x7F) | 0x80)
            v >>= 7
        append(v)
    return bytes(out)


def decode_varints(data: bytes) -> list[int]:
    if not data:
        return []
    if max(data) < 0x80:  # every number in one byte: no loop in Python
        return list(data)
    if data[-1] & 0x80:
        raise ValueError("truncated varint")
    out: list[int] = []
    value = shift = 0
    first = 0
    while data[first] & 0x80:  # a posting's first number is often the only long one
        first += 1
    if max(data[first + 1:], default=0) < 0x80:
        for byte in reversed(data[:first + 1]):
            value = (value << 7) | (byte & 0x7F)
        return [value, *data[first + 1:]]
    for byte in data:
        value |= (byte & 0x7F) << shift
        if byte & 0x80:
            shift += 7
        else:
            out.append(value)
            value = shift = 0
    return out


def encode_numbers(numbers: Sequence[int]) -> bytes:
    """Ascending word numbers as the first, then the gaps, as varints."""
    if not numbers:
        return b""
    return encode_varints([numbers[0], *map(int.__sub__, numbers[1:], numbers[:-1])])


def decode_numbers(data: bytes) -> list[int]:
    return list(accumulate(decode_varints(data)))


def pack_ints(values: Sequence[int]) -> bytes:
    """A section: the values as an array of the smallest type that holds them, deflated."""
    lo, hi = (min(values), max(values)) if values else (0, 0)
    code = next(c for c, a, b in _TYPECODES if a <= lo and hi <= b)
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    raw = array(code, values).tobytes()
    return code.encode() + packer.compress(raw) + packer.flush()


def unpack_ints(section: bytes) -> array:
    if not section:
        raise ValueError("empty section")
    values = array(chr(section[0]))
    values.frombytes(zlib.decompress(section[1:], -15))
    return values


def pack_sections(sections: Iterable[bytes]) -> bytes:
    out = bytearray([BLOB_VERSION])
    for section in sections:
        out += encode_varints([len(section)])
        out += section
    return bytes(out)


def unpack_sections(blob: bytes) -> list[bytes]:
    if not blob or blob[0] != BLOB_VERSION:
        raise ValueError("unknown index blob")
    out: list[bytes] = []
    pos = 1
    while pos < len(blob):
        size = shift = 0
        while True:
            byte = blob[pos]
            pos += 1
            size |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                break
        if pos + size > len(blob):
            raise ValueError("truncated index blob")
        out.append(blob[pos:pos + size])
        pos += size
    return out


def spans_steps(spans: Iterable[tuple[int, int]]) -> list[int]:
    """``[gap, length, gap, length, …]`` of spans in order (gap from the previous end)."""
    steps: list[int] = []
    prev = 0
    for start, end in spans:
        steps.append(start - prev)
        steps.append(end - start)
        prev = end
    return steps


def pack_spans(spans: Sequence[tuple[int, int]]) -> bytes:
    return pack_sections([pack_ints(spans_steps(spans))])


def unpack_spans(blob: bytes) -> list[tuple[int, int]]:
    (section,) = unpack_sections(blob)[:1]
    ends = list(accumulate(unpack_ints(section)))
    return list(zip(ends[0::2], ends[1::2], strict=True))


def pack_tokens(spans: Sequence[tuple[int, int]]) -> bytes:
    """The tokens blob of word spans in reading order."""
    steps = spans_steps(spans)
    marks = [sum(steps[i:i + 2 * STRIDE]) for i in range(0, len(steps), 2 * STRIDE)]
    return pack_sections([pack_ints(steps), pack_ints([STRIDE, *marks])])


def pack_turn_starts(turn_starts: Sequence[int]) -> bytes:
    return pack_ints([turn_starts[0], *map(int.__sub__, turn_starts[1:], turn_starts[:-1])]
                     if turn_starts else [])


# -- the text processing ------------------------------------------------------------------


def index_payload(text: str, turn_starts: list[int]) -> IndexPayload:
    """The index of ``text`` whose turns start at ``turn_starts`` (sorted)."""
    analysis = get_pipeline().analyse(text)
    lemmas: dict[str, list[int]] = defaultdict(list)
    forms: dict[str, list[int]] = defaultdict(list)
    spans: list[tuple[int, int]] = []
    marks = [(m.start, m.end) for m in find_marks(text)]
    mark_starts = [a for a, _ in marks]
    n = 0
    for token in analysis.tokens:
        if not token.is_word:
            continue
        if marks:
            k = bisect_right(mark_starts, token.start) - 1
            if k >= 0 and token.end <= marks[k][1]:
                continue  # inside a transcription mark
        lemmas[token.lemma].append(n)
        forms[token.norm].append(n)
        spans.append((token.start, token.end))
        n += 1
    terms: list[tuple[str, int, int, bytes]] = []
    for term, numbers in lemmas.items():
        both = forms.get(term) == numbers
        terms.append((term, BOTH if both else LEMMA, len(numbers), encode_numbers(numbers)))
    for term, numbers in forms.items():
        if lemmas.get(term) != numbers:
            terms.append((term, FORM, len(numbers), encode_numbers(numbers)))
    return IndexPayload(terms, pack_tokens(spans), pack_spans(analysis.sentences),
                        pack_turn_starts(turn_starts), len(turn_starts), n)


def warm_up() -> None:
    """Load the pipeline now (a worker process's initializer)."""
    get_pipeline().warm_up()
