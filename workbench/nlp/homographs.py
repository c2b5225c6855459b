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
import threading
from importlib import resources

#: Parts of speech in the table, and the order readings are listed in.
PARTS_OF_SPEECH: tuple[str, ...] = ("noun", "verb", "adj", "adv")

_lock = threading.Lock()
_table: dict[str, tuple[tuple[str, str], ...]] | None = None


def _read() -> dict[str, tuple[tuple[str, str], ...]]:
    try:
        source = resources.files("spacy_lookups_data").joinpath("data", "nb_lemma_exc.json.gz")
        raw = source.read_bytes()
    except (ModuleNotFoundError, FileNotFoundError, OSError):
        return {}
    data: dict[str, dict[str, list[str]]] = json.loads(gzip.decompress(raw))
    merged: dict[str, list[tuple[str, str]]] = {}
    for pos in PARTS_OF_SPEECH:
        for form, lemmas in data.get(pos, {}).items():
            entry = merged.setdefault(form, [])
            for lemma in lemmas:
                if (pos, lemma) not in entry:
                    entry.append((pos, lemma))
    # Only forms with more than one reading are kept: that is all callers ask about, and it
    # keeps the table small.
    return {form: tuple(r) for form, r in merged.items() if len(r) > 1}


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
