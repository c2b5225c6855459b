"""Homographs: word forms that belong to more than one lemma or part of speech.

The readings come from the Norsk Ordbank (bokmål) full-form tables that the PyPI package
``spacy-lookups-data`` ships under CC-BY 4.0 (``nb_lemma_exc``: part of speech → word
form → lemmas). ``bruker`` reads as the noun *bruker* and the verb *bruke*, so a search for
the noun that also finds ``bruker`` should say that the form is ambiguous.

The table is about 2 MB compressed and takes about a second to read, so it is read on first
use (or earlier with :func:`load`, which a UI can run in a background thread). Without the
package every form has no readings and nothing is flagged.

When a trained ``nb_core_news_*`` pipeline is installed, its tagger has already chosen the
lemma of every occurrence when the index was built; the readings here still tell the user
which forms are worth a second look.
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from itertools import chain, compress, repeat
from operator import gt
import threading
import time
from importlib import resources

#: Parts of speech in the table, and the order readings are listed in.
PARTS_OF_SPEECH: tuple[str, ...] = ("noun", "verb", "adj", "adv")

_lock = threading.Lock()
_table: dict[str, tuple[tuple[str, str], ...]] | None = None


_SECTION = re.compile(r'"(adj|adv|noun|verb)":\s*\{')
_CHUNK = 1_000_000


def _read() -> dict[str, tuple[tuple[str, str], ...]]:
    """The ambiguous forms of the table.

    The table is 25 MB of JSON. It is parsed a megabyte of entries at a time rather than
    with one ``json.loads``, which would hold the interpreter lock for seconds and freeze a
    UI that loads it in a background thread.
    """
    try:
        source = resources.files("spacy_lookups_data").joinpath("data", "nb_lemma_exc.json.gz")
        raw = source.read_bytes()
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        return {}
    text = gzip.decompress(raw).decode("utf-8")
    sections = [(m.group(1), m.end()) for m in _SECTION.finditer(text)]
    bounds = [start for _pos, start in sections[1:]] + [len(text)]
    tables: dict[str, dict[str, list[str]]] = {}
    for (pos, start), end in zip(sections, bounds, strict=True):
        if pos not in PARTS_OF_SPEECH:
            continue
        table = tables.setdefault(pos, {})
        last = text.rfind("]", start, end) + 1
        a = start
        while a < last:  # whole entries, about a megabyte at a time
            b = text.find("],\n", min(a + _CHUNK, last), last)
            b = last if b == -1 else b + 1
            part: dict[str, list[str]] = json.loads("{" + text[a:b] + "}")
            table.update(zip(map(str.lower, part.keys()), part.values()))
            a = b + 1
            time.sleep(0)  # let other threads (the UI) run
    # A form is ambiguous if it is in two parts of speech or has two lemmas in one; found
    # with set and map operations, not a Python step per form (there are 600 000).
    in_parts = Counter(chain.from_iterable(t.keys() for t in tables.values()))
    candidates = {form for form, n in in_parts.items() if n > 1}
    for t in tables.values():
        candidates.update(compress(t.keys(), map(gt, map(len, t.values()), repeat(1))))
    out: dict[str, tuple[tuple[str, str], ...]] = {}
    for form in candidates:
        readings: list[tuple[str, str]] = []
        for pos in PARTS_OF_SPEECH:
            for lemma in tables.get(pos, {}).get(form, ()):
                if (pos, lemma) not in readings:
                    readings.append((pos, lemma))
        if len(readings) > 1:
            out[form] = tuple(readings)
    return out


def load() -> None:
    """Read the table now (idempotent, thread-safe)."""
    global _table
    if _table is not None:
        return
    with _lock:
        if _table is None:
            _table = _read()


def loaded() -> bool:
    return _table is not None


def readings(form: str) -> tuple[tuple[str, str], ...]:
    """(part of speech, lemma) of every reading of an ambiguous ``form`` (lowercase), in
    :data:`PARTS_OF_SPEECH` order; empty if the form has one reading or is unknown."""
    load()
    assert _table is not None
    return _table.get(form.lower(), ())


def is_ambiguous(form: str) -> bool:
    """Whether ``form`` belongs to two lemmas or parts of speech."""
    return len(readings(form)) > 1


__all__ = ["PARTS_OF_SPEECH", "is_ambiguous", "load", "loaded", "readings"]
