"""Context-free lemmatization for bokmål, backed by simplemma, with a cache in front.

simplemma maps a word form to one lemma without looking at context. Its bokmål dictionary
resolves some noun/verb homographs the wrong way for this domain, which breaks searching:
``bruker`` ("user" or "uses") becomes ``bruke`` while ``brukerne`` becomes ``bruker``,
``leder`` becomes ``led``, ``sykepleier`` becomes ``sykepleie``. A query for "bruker" would
then miss "brukerne". On top of simplemma this module therefore applies, in order:

1. :data:`LEMMA_OVERRIDES`, exact forms (lowercase) whose lemma is fixed for this domain.
2. Agent nouns on ``-bruker``, ``-leder``, ``-pleier``, ``-arbeider`` and their inflections
   and genitives (``brukere``, ``brukerne``, ``brukers``, ``avdelingslederen``,
   ``vernepleiernes``) lemmatize to the noun. The bare verb forms that are far more common
   as verbs (``pleier`` "usually does", ``samarbeider``, ``utleder``, ...) are left to
   simplemma.
3. simplemma (``lang="nb"``). If it leaves an unknown hyphenated compound unchanged, the last
   part is lemmatized (``CHIME-modellen`` → ``chime-modell``); if it leaves an unknown
   ``...s`` form unchanged, the genitive ``-s`` is tried off (``gruppens`` → ``gruppe``).

Lemmas are lowercase. Words with digits, and anything without letters, are their own lemma.

simplemma's dictionary takes about a second to load; it is loaded on first use, or earlier
with :meth:`Lemmatizer.load` (which a UI can run in a background thread). Most of that
second is decoding simplemma's compressed word list into a dictionary; the decoded
dictionary is kept in the user's cache directory (:func:`cache_dir`), from which it loads
in a quarter of the time. The lemmas are simplemma's own, from the same data.
"""

from __future__ import annotations

import marshal
import os
import re
import threading
from functools import cache
from pathlib import Path
from typing import Any

# Exact forms -> lemma, for frequent domain words where the context-free choice is wrong.
LEMMA_OVERRIDES: dict[str, str] = {
    "ansatt": "ansatt",  # "en ansatt", "de ansatte"; simplemma: ansette
    "prosesser": "prosess",  # simplemma: prosessere
    "prosessene": "prosess",
    "håpet": "håp",  # CHIME "hope"; simplemma: håpe
    "pleier": "pleie",  # "vi pleier å ..." (the nurse is "pleieren"); simplemma: pleier
}

_has_letter = re.compile(r"[^\W\d_]").search
_has_digit = re.compile(r"\d").search

_AGENT_HEADS = ("arbeider", "bruker", "leder", "pleier")
_AGENT_RE = re.compile(r"(\w*?(?:arbeider|bruker|leder|pleier))(?:en|ne|e)?s?")
# Bare forms (no ending) that are nearly always verbs; inflected forms stay nouns.
_AGENT_VERB_FORMS = frozenset(
    {
        "pleier", "samarbeider", "utarbeider", "bearbeider", "omarbeider", "innarbeider",
        "gjennomarbeider", "avleder", "utleder", "innleder", "omleder", "videreleder",
    }
)


class Lemmatizer:
    """Cached, thread-safe word → lemma mapping (see the module docstring)."""

    def __init__(self, lang: str = "nb", max_cache: int = 500_000) -> None:
        self.lang = lang
        self.max_cache = max_cache
        self._cache: dict[str, str] = {}
        self._lock = threading.Lock()
        self._simplemma: Any = None  # simplemma.Lemmatizer on our cached dictionary
        self._lookup: Any = None  # its dictionary lookup (is_known)

    @property
    def loaded(self) -> bool:
        return self._simplemma is not None

    def load(self) -> None:
        """Load simplemma's dictionary now (idempotent, safe to call from any thread)."""
        if self._simplemma is not None:
            return
        with self._lock:
            if self._simplemma is not None:
                return
            import simplemma
            from simplemma.strategies import DefaultStrategy, DictionaryLookupStrategy

            factory = _cached_dictionary_factory()
            lemmatizer = simplemma.Lemmatizer(
                lemmatization_strategy=DefaultStrategy(dictionary_factory=factory))
            self._lookup = DictionaryLookupStrategy(factory)
            lemmatizer.lemmatize("hus", self.lang)  # forces the dictionary to load
            self._simplemma = lemmatizer

    def lemma(self, word: str) -> str:
        """The lowercase lemma of one word (the surface form, any case)."""
        norm = word.lower()
        cached = self._cache.get(norm)
        if cached is not None:
            return cached
        result = self._compute(norm)
        if len(self._cache) >= self.max_cache:
            self._cache.clear()
        self._cache[norm] = result
        return result

    def _compute(self, norm: str) -> str:
        if _has_digit(norm) or not _has_letter(norm):
            return norm
        override = LEMMA_OVERRIDES.get(norm)
        if override is not None:
            return override
        agent = _AGENT_RE.fullmatch(norm)
        if agent is not None:
            stem = agent.group(1)
            head = next(h for h in _AGENT_HEADS if stem.endswith(h))
            # A one-letter "prefix" is no compound: "gleder" (glede), "sleder" (slede).
            if len(stem) - len(head) != 1 and not (stem == norm and stem in _AGENT_VERB_FORMS):
                return stem
        return self._simplemma_lemma(norm)

    def _simplemma_lemma(self, norm: str) -> str:
        self.load()
        sm = self._simplemma
        assert sm is not None
        lemma: str = sm.lemmatize(norm, self.lang).lower()
        if lemma != norm or self._is_known(norm):
            return lemma
        if "-" in norm:
            head, _, last = norm.rpartition("-")
            if _has_letter(last):
                return f"{head}-{self._compute(last)}"
        if norm.endswith("s") and len(norm) >= 5:
            base = norm[:-1]
            base_lemma = sm.lemmatize(base, self.lang).lower()
            if base_lemma != base or self._is_known(base):
                return base_lemma
        return lemma

    def _is_known(self, word: str) -> bool:
        """``simplemma.is_known(word, lang)``, on the same dictionary as the lemmas."""
        from simplemma.utils import normalize_token

        return self._lookup.get_lemma(normalize_token(word), self.lang) is not None


def cache_dir() -> Path:
    """Where decoded dictionaries are kept: ``$XDG_CACHE_HOME/workbench`` (default
    ``~/.cache/workbench``)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "workbench"


@cache
def _cached_dictionary_factory() -> Any:
    """simplemma's default dictionary factory, with each decoded dictionary kept on disk
    (marshal: plain bytes → bytes, no code) and read from there when its source has not
    changed. Any trouble with the cache falls back to simplemma's own loading. One factory
    per process, so every :class:`Lemmatizer` shares the dictionaries it loaded (as
    simplemma's module-level functions do)."""
    import simplemma
    from simplemma.strategies.dictionaries import dictionary_factory as df

    class CachedDictionaryFactory(df.CachingDictionaryFactory):
        def _get_dictionary_uncached(self, lang: str) -> Any:
            source = df.DATA_FOLDER / f"{lang}.plzma"
            try:
                stat = source.stat()
                path = cache_dir() / (f"simplemma-{simplemma.__version__}-{lang}-"
                                      f"{stat.st_size}-{int(stat.st_mtime)}.marshal")
            except (OSError, ValueError):
                return df.DefaultDictionaryFactory()._get_dictionary_uncached(lang)
            try:
                data = marshal.loads(path.read_bytes())
                if isinstance(data, dict):
                    return df.MappingStrToByteString(data)
            except (OSError, ValueError, EOFError, TypeError):
                pass
            data = df._load_dictionary_from_disk(lang)
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
                tmp.write_bytes(marshal.dumps(data))
                os.replace(tmp, path)
            except OSError:
                pass  # no cache: load from simplemma's file the next time too
            return df.MappingStrToByteString(data)

    return CachedDictionaryFactory()
