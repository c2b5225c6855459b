"""simplemma's decoded dictionary is kept in the user's cache directory; the lemmas are
the same whether it comes from there, from simplemma's own file, or from a broken cache."""

from __future__ import annotations

from pathlib import Path

import pytest
import simplemma

from workbench.nlp import lemmatizer as lemmatizer_module
from workbench.nlp.lemmatizer import Lemmatizer, cache_dir

WORDS = ["brukerne", "husene", "gikk", "tenkte", "sykepleierne", "medvirkningen", "gruppens",
         "fortalte", "vanskeligere", "xyzzyq", "kjørefilene", "trygghet"]


@pytest.fixture(autouse=True)
def fresh_factory():  # type: ignore[no-untyped-def]
    """The process shares one dictionary factory; each step here loads anew."""
    lemmatizer_module._cached_dictionary_factory.cache_clear()
    yield
    lemmatizer_module._cached_dictionary_factory.cache_clear()


def _simplemma_view(lemmatizer: Lemmatizer) -> list[tuple[str, bool]]:
    lemmatizer_module._cached_dictionary_factory.cache_clear()  # load, not share
    lemmatizer.load()
    return [(lemmatizer._simplemma.lemmatize(w, "nb"), lemmatizer._is_known(w)) for w in WORDS]


def test_the_cached_dictionary_gives_simplemmas_lemmas(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert cache_dir() == tmp_path / "workbench"
    expected = [(simplemma.lemmatize(w, "nb"), simplemma.is_known(w, "nb")) for w in WORDS]
    assert _simplemma_view(Lemmatizer()) == expected  # decoded, then written to the cache
    [cached] = (tmp_path / "workbench").glob("simplemma-*-nb-*.marshal")
    assert _simplemma_view(Lemmatizer()) == expected  # read from the cache
    cached.write_bytes(b"\x00broken")
    assert _simplemma_view(Lemmatizer()) == expected  # a broken cache is decoded again
    assert cached.stat().st_size > 1_000_000
    assert [Lemmatizer().lemma(w) for w in ("brukerne", "gruppens")] == ["bruker", "gruppe"]


def test_an_unwritable_cache_directory_is_no_error(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("not a directory", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    expected = [(simplemma.lemmatize(w, "nb"), simplemma.is_known(w, "nb")) for w in WORDS]
    assert _simplemma_view(Lemmatizer()) == expected


def test_lemmatizers_share_the_loaded_dictionary(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """A second pipeline in the same process does not load the dictionary again."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    first, second = Lemmatizer(), Lemmatizer()
    first.load()
    second.load()
    assert first._lookup.get_lemma("brukerne", "nb") is not None
    factory = lemmatizer_module._cached_dictionary_factory()
    assert factory is lemmatizer_module._cached_dictionary_factory()
    assert factory._get_dictionary.cache_info().misses == 1
