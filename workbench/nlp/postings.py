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
from typing import Any

from workbench.domain.marks import find_marks
from workbench.nlp.pipeline import get_pipeline
from workbench.nlp.sentences import split_sentences

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
    names: list[str]
    """The terms: lemmas first, then the word forms that do not share a lemma's row."""
    fields: list[int]
    """Each term's :data:`LEMMA` / :data:`FORM` / :data:`BOTH`."""
    counts: list[int]
    """Each term's occurrences."""
    data: list[bytes]
    """Each term's encoded word numbers (:func:`encode_numbers`)."""
    tokens: bytes
    """Where every indexed word lies (see the module docstring)."""
    sentences: bytes
    turn_starts: bytes
    """The section of turn starts (delta-coded) the payload was made with."""
    turns: int
    """How many turns the payload was made with."""
    words: int
    """How many words were indexed."""

    @property
    def terms(self) -> list[tuple[str, int, int, bytes]]:
        """(term, field, occurrences, encoded word numbers) of every term, in order."""
        return list(zip(self.names, self.fields, self.counts, self.data, strict=True))


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
    pipeline = get_pipeline()
    word_tokens = getattr(pipeline, "word_tokens", None)
    if word_tokens is None:
        return payload_of_tokens(text, turn_starts, pipeline.analyse(text))
    import numpy as np

    starts, ends, lemmas, forms, names = word_tokens(text)
    marks = find_marks(text)
    if marks and len(starts):
        mark_starts = np.array([m.start for m in marks], np.int64)
        mark_ends = np.array([m.end for m in marks], np.int64)
        k = np.searchsorted(mark_starts, starts, side="right") - 1
        keep = (k < 0) | (ends > mark_ends[np.maximum(k, 0)])  # not inside a mark
        if not keep.all():
            starts, ends, lemmas, forms = starts[keep], ends[keep], lemmas[keep], forms[keep]
    n = len(starts)
    out_names: list[str] = []
    fields: list[int] = []
    counts: list[int] = []
    data: list[bytes] = []
    if n:
        size = len(names)
        by_lemma = np.bincount(lemmas, minlength=size)
        by_form = np.bincount(forms, minlength=size)
        own = np.bincount(lemmas[lemmas == forms], minlength=size)
        # a form that is its own lemma and that lemma's only form: the same word numbers
        both = (by_lemma == by_form) & (by_form == own)
        for ids, field, skip in ((lemmas, LEMMA, None), (forms, FORM, both)):
            terms, numbers, blobs = _postings(ids)
            if skip is None:
                kinds = np.where(both[terms], BOTH, field).tolist()
            else:
                keep = ~skip[terms]
                terms, numbers = terms[keep], numbers[keep]
                blobs = [b for b, k in zip(blobs, keep.tolist()) if k]
                kinds = [field] * len(blobs)
            out_names += map(names.__getitem__, terms.tolist())
            fields += kinds
            counts += numbers.tolist()
            data += blobs
        steps = np.empty(2 * n, np.int64)
        steps[0::2] = starts
        steps[2::2] -= ends[:-1]
        steps[1::2] = ends - starts
        moves = np.add.reduceat(steps, np.arange(0, 2 * n, 2 * STRIDE))
        tokens = pack_sections([_pack_array(steps),
                                _pack_array(np.concatenate(([STRIDE], moves)))])
    else:
        tokens = pack_tokens([])
    return IndexPayload(out_names, fields, counts, data, tokens,
                        pack_spans(split_sentences(text)), pack_turn_starts(turn_starts),
                        len(turn_starts), n)


def _postings(ids: Any) -> tuple[Any, Any, list[bytes]]:
    """The terms among ``ids`` (the term of each word, in reading order), ascending, with
    how often each occurs and its word numbers encoded (:func:`encode_numbers`)."""
    import numpy as np

    order = np.argsort(ids, kind="stable")  # by term; each term's words in reading order
    ordered = ids[order]
    first = np.flatnonzero(np.concatenate(([True], ordered[1:] != ordered[:-1])))
    gaps = order.copy()
    gaps[1:] -= order[:-1]
    gaps[first] = order[first]  # a term's first word number, then the gaps
    blob, ends = _varint_array(gaps)
    bounds = np.concatenate(([0], ends[first[1:] - 1], [len(blob)])).tolist()
    blobs = [blob[a:b] for a, b in zip(bounds[:-1], bounds[1:])]
    numbers = np.diff(np.concatenate((first, [len(ids)])))
    return ordered[first], numbers, blobs


def _varint_array(values: Any) -> tuple[bytes, Any]:
    """:func:`encode_varints` of a numpy array of non-negative integers: the bytes, and
    where each number's bytes end."""
    import numpy as np

    sizes = np.ones(len(values), np.int64)
    for bits in range(7, 64, 7):
        big = values >= (1 << bits)
        if not big.any():
            break
        sizes += big
    ends = np.cumsum(sizes)
    out = np.empty(int(ends[-1]) if len(ends) else 0, np.uint8)
    at = ends - sizes
    for j in range(int(sizes.max()) if len(sizes) else 0):
        sel = sizes > j if j else slice(None)
        part = (values[sel] >> (7 * j)) & 0x7F
        part |= (sizes[sel] > j + 1) * 0x80
        out[at[sel] + j] = part
    return out.tobytes(), ends


_DTYPES = {"B": "u1", "H": "u2", "I": "u4", "b": "i1", "h": "i2", "i": "i4", "q": "i8"}


def _pack_array(values: Any) -> bytes:
    """:func:`pack_ints` of a numpy array: the same bytes."""
    import sys

    lo, hi = (int(values.min()), int(values.max())) if len(values) else (0, 0)
    code = next(c for c, a, b in _TYPECODES if a <= lo and hi <= b)
    order = "<" if sys.byteorder == "little" else ">"
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    raw = values.astype(order + _DTYPES[code]).tobytes()
    return code.encode() + packer.compress(raw) + packer.flush()


def payload_of_tokens(text: str, turn_starts: list[int], analysis: Any) -> IndexPayload:
    """:func:`index_payload` from an analysis of ``text``, one token at a time (the way
    for a pipeline without :meth:`~workbench.nlp.pipeline.SimplePipeline.word_tokens`)."""
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
    names, fields, counts, data = (list(x) for x in zip(*terms)) if terms else ([], [], [], [])
    return IndexPayload(names, fields, counts, data, pack_tokens(spans),
                        pack_spans(analysis.sentences), pack_turn_starts(turn_starts),
                        len(turn_starts), n)


def warm_up() -> None:
    """Load the pipeline now (a worker process's initializer)."""
    get_pipeline().warm_up()
