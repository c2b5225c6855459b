"""Where two versions of a text agree exactly (domain/text_diff.py): a span moves only when
it lies wholly in shared text, and then onto the same characters."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.domain.text_diff import Change, diff_texts, first_words

OURS = ("Velkommen.\n\nJeg tenker at brukerne må få bestemme mer. Det gir håp.\n\n"
        "Hva betyr forbedring?\n\nTid til relasjonen.")
THEIRS = OURS.replace("tenker at brukerne må få", "mener nok at brukerne bør").replace(
    "Hva betyr forbedring?\n\n", "")


def where(text: str, phrase: str) -> tuple[int, int]:
    start = text.index(phrase)
    return start, start + len(phrase)


def test_the_same_text_is_one_region():
    diff = diff_texts(OURS, OURS)
    assert diff.same and diff.regions == ((0, 0, len(OURS)),)
    assert diff.map_span(3, 9) == (3, 9)


def test_spans_in_shared_text_move_and_spans_touching_a_change_do_not():
    diff = diff_texts(THEIRS, OURS)
    for phrase in ("Velkommen", "Jeg", "at brukerne", "bestemme mer. Det gir håp.",
                   "Tid til relasjonen"):
        moved = diff.map_span(*where(THEIRS, phrase))
        assert moved is not None, phrase
        assert OURS[moved[0]:moved[1]] == phrase
    # "håp.\n\nTid" spans the turn they deleted: next to each other in theirs, not in ours
    for phrase in ("mener", "Jeg mener", "brukerne bør", "bør bestemme", "nok at", "håp.\n\nTid"):
        assert diff.map_span(*where(THEIRS, phrase)) is None, phrase


def test_a_span_across_a_deleted_part_does_not_move():
    theirs = OURS
    ours = THEIRS  # now ours lacks the turn theirs has
    diff = diff_texts(theirs, ours)
    assert diff.map_span(*where(theirs, "håp.\n\nHva")) is None
    assert diff.map_span(*where(theirs, "Hva betyr")) is None
    assert diff.map_span(*where(theirs, "Tid til")) == where(ours, "Tid til")


def test_changes_are_narrowed_to_where_the_texts_differ():
    diff = diff_texts(THEIRS, OURS)
    assert len(diff.changes) == 2
    first = diff.changes[0]
    assert OURS[first.our_start:first.our_end] == "tenker at brukerne må få"
    assert THEIRS[first.their_start:first.their_end] == "mener nok at brukerne bør"
    second = diff.changes[1]
    assert second.their_start == second.their_end  # nothing in theirs
    assert OURS[second.our_start:second.our_end] == "Hva betyr forbedring?"
    assert first_words(OURS, first.our_start, words=3) == "tenker at brukerne …"
    assert first_words(OURS, first.our_start + 2) == "tenker at brukerne må få bestemme mer. Det …"
    assert first_words(OURS, len(OURS)) == "relasjonen."


def test_a_big_changed_block_counts_as_changed_whole(monkeypatch):
    import workbench.domain.text_diff as text_diff

    monkeypatch.setattr(text_diff, "WORD_LIMIT", 3)
    diff = diff_texts(THEIRS, OURS)
    assert diff.map_span(*where(THEIRS, "bestemme mer")) is None  # no word-level comparison
    assert diff.map_span(*where(THEIRS, "Velkommen.\n\nJeg")) is not None  # shared start
    assert diff.map_span(*where(THEIRS, "Tid til")) is not None  # shared end
    assert diff.changes == (Change(16, 68, 16, 90),)  # the whole block, narrowed


words = st.lists(st.sampled_from(["a", "b", "håp", "tid", " ", "\n", ".", "\n\n", "Kari"]),
                 max_size=60).map("".join)


@settings(max_examples=200, deadline=None)
@given(words, words, words, words)
def test_whatever_the_edit_a_moved_span_covers_the_same_characters(before, cut, put, after):
    theirs = before + put + after
    ours = before + cut + after
    diff = diff_texts(theirs, ours)
    for their, our, length in diff.regions:
        assert theirs[their:their + length] == ours[our:our + length]
    for a in range(0, len(theirs), 3):
        for b in range(a + 1, min(len(theirs), a + 12) + 1, 2):
            moved = diff.map_span(a, b)
            if moved is not None:
                assert ours[moved[0]:moved[1]] == theirs[a:b]
            else:  # wholly before the edit: the shared start always moves
                assert b > len(before), (a, b)
