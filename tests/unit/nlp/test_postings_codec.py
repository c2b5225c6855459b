"""The search index's encodings round-trip: word numbers (delta + varint), typed sections,
blobs of sections, and the layout that turns word numbers back into offsets and turns."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.nlp.postings import (
    BOTH,
    FORM,
    LEMMA,
    decode_numbers,
    decode_varints,
    encode_numbers,
    encode_varints,
    index_payload,
    pack_ints,
    pack_sections,
    pack_spans,
    pack_tokens,
    pack_turn_starts,
    unpack_ints,
    unpack_sections,
    unpack_spans,
)
from workbench.storage.search_index import Layout


@pytest.mark.parametrize("numbers", [
    [], [0], [1], [127], [128], [16383], [16384], [14_999],
    [0, 1, 2, 3], [5, 200, 201, 70_000], [0, 10**6, 10**9, 2**40], [2**31 - 1, 2**31, 2**63],
])
def test_word_numbers_round_trip(numbers: list[int]) -> None:
    data = encode_numbers(numbers)
    assert decode_numbers(data) == numbers
    if numbers and max(numbers) < 128:
        assert len(data) == len(numbers)  # small gaps: a byte each


def test_varints_are_leb128() -> None:
    assert encode_varints([0, 127, 128, 300, 16384]) == bytes(
        [0x00, 0x7F, 0x80, 0x01, 0xAC, 0x02, 0x80, 0x80, 0x01])
    assert decode_varints(bytes([0xAC, 0x02, 0x05])) == [300, 5]  # a long first number
    assert decode_varints(bytes([0x05, 0xAC, 0x02, 0x05])) == [5, 300, 5]
    with pytest.raises(ValueError):
        decode_varints(bytes([0x05, 0x80]))  # cut off inside a number
    with pytest.raises(ValueError):
        encode_varints([-1])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=2**45), unique=True).map(sorted))
def test_any_ascending_numbers_round_trip(numbers: list[int]) -> None:
    assert decode_numbers(encode_numbers(numbers)) == numbers


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(min_value=-(2**62), max_value=2**62)))
def test_sections_round_trip(values: list[int]) -> None:
    assert unpack_ints(pack_ints(values)).tolist() == values
    blob = pack_sections([pack_ints(values), b"", pack_ints(values[::-1])])
    first, empty, last = unpack_sections(blob)
    assert (unpack_ints(first).tolist(), empty, unpack_ints(last).tolist()) == (values, b"", values[::-1])


def test_a_damaged_blob_is_refused() -> None:
    blob = pack_sections([pack_ints([1, 2, 3])])
    with pytest.raises(ValueError):
        unpack_sections(b"\x09" + blob[1:])  # unknown version
    with pytest.raises(ValueError):
        unpack_sections(blob[:-2])  # cut off


spans_strategy = st.lists(
    st.tuples(st.integers(min_value=0, max_value=100_000), st.integers(min_value=1, max_value=300)),
    max_size=300,
).map(lambda pairs: _spans(pairs))


def _spans(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out, pos = [], 0
    for gap, length in pairs:
        pos += gap
        out.append((pos, pos + length))
        pos += length
    return out


@settings(max_examples=150, deadline=None)
@given(spans_strategy, st.lists(st.integers(min_value=0, max_value=10**7), max_size=40))
def test_layout_gives_back_every_span_and_turn(spans: list[tuple[int, int]], cut: list[int]) -> None:
    turn_starts = sorted(set(cut))
    turn_ids = [1000 - 7 * i for i in range(len(turn_starts))]  # keys need not ascend
    turns = pack_sections([pack_turn_starts(turn_starts),
                           pack_ints([*turn_ids[:1], *(b - a for a, b in zip(turn_ids, turn_ids[1:]))])])
    layout = Layout(pack_tokens(spans), turns)
    numbers = list(range(len(spans)))
    expected = []
    for a, _ in spans:
        before = [i for i, s in enumerate(turn_starts) if s <= a]
        expected.append(turn_ids[before[-1]] if before else 0)
    # a few words at a time: summed from the stored strides ...
    for few in (numbers[::9], numbers[5::11]):
        if len(few) * 4 <= len(spans):
            assert layout.locate(few) == ([spans[n][0] for n in few], [spans[n][1] for n in few],
                                          [expected[n] for n in few])
    # ... and once many were asked for, every word decoded at once
    starts, ends, keys = layout.locate(numbers)
    assert list(zip(starts, ends)) == spans
    assert layout.spans() == ([a for a, _ in spans], [b for _, b in spans])
    assert keys == expected
    # a phrase from word n to word n + 2: the start of the first, the end of the last
    firsts = numbers[:-2]
    assert layout.locate(firsts, [n + 2 for n in firsts])[1] == [e for _, e in spans[2:]]
    assert unpack_spans(pack_spans(spans)) == spans


def test_one_row_serves_a_lemma_and_its_only_form() -> None:
    payload = index_payload("Kari: Brukeren sier at bruker og brukeren er like.", [0])
    rows = {(term, field): decode_numbers(data) for term, field, _n, data in payload.terms}
    assert rows[("bruker", LEMMA)] == [1, 4, 6]  # bruker, brukeren, brukeren
    assert rows[("bruker", FORM)] == [4]
    assert rows[("brukeren", FORM)] == [1, 6]
    assert rows[("sier", FORM)] == [2] and rows[("si", LEMMA)] == [2]
    assert rows[("og", BOTH)] == [5]  # its own lemma, and the only form of it
    assert all(n == len(decode_numbers(d)) for _t, _f, n, d in payload.terms)
    assert payload.words == 9
