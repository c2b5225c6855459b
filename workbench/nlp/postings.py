"""What the search index stores for one text, computed without a database: sentence spans,
and the occurrences of every lemma and word form, grouped by term.

:func:`index_payload` is the text-processing half of
:func:`workbench.storage.search_index.write_index`; it takes only plain values and returns
only plain values, so a multi-file import can run it in worker processes
(:meth:`workbench.services.importing.ImportService.import_files`) while the main process
writes to the database. Turns are given by their start offsets, sorted; an occurrence names
its turn by its place in that list plus one (0: outside every turn), which the writer maps
to the turn's row id.

Transcription marks («(latter)», «[ler]», time codes; :mod:`workbench.domain.marks`) are
not indexed as words: a token that lies wholly inside a mark is skipped.
"""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections import defaultdict
from dataclasses import dataclass

from workbench.domain.marks import find_marks
from workbench.nlp.pipeline import get_pipeline

LEMMA, FORM = "l", "n"
FIELDS = 4  # word number, start, end, turn (place + 1; 0 = no turn)


@dataclass(frozen=True, slots=True)
class IndexPayload:
    sentences: list[tuple[int, int]]
    terms: list[tuple[str, str, int, int]]
    """(field, term, first occurrence, occurrences) into :attr:`data`, lemmas first."""
    data: bytes
    """Every occurrence as four int32 (word number, start, end, turn place + 1), grouped
    by term in the order of :attr:`terms`."""
    words: int
    """How many words were indexed."""


def index_payload(text: str, turn_starts: list[int]) -> IndexPayload:
    """The index of ``text`` whose turns start at ``turn_starts`` (sorted)."""
    analysis = get_pipeline().analyse(text)
    lemmas: dict[str, list[int]] = defaultdict(list)
    forms: dict[str, list[int]] = defaultdict(list)
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
        occurrence = (n, token.start, token.end, bisect_right(turn_starts, token.start))
        lemmas[token.lemma].extend(occurrence)
        forms[token.norm].extend(occurrence)
        n += 1
    data = array("i")
    terms: list[tuple[str, str, int, int]] = []
    for field, table in ((LEMMA, lemmas), (FORM, forms)):
        for term, occ in table.items():
            terms.append((field, term, len(data) // FIELDS, len(occ) // FIELDS))
            data.extend(occ)
    return IndexPayload(analysis.sentences, terms, data.tobytes(), n)


def warm_up() -> None:
    """Load the pipeline now (a worker process's initializer)."""
    get_pipeline().warm_up()
