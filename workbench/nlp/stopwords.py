"""Norwegian bokmål stop words for word-frequency views of transcripts.

Base: spaCy's ``spacy.lang.nb.stop_words`` list (MIT licence), imported from spaCy on first
use (importing spaCy takes about a second, so not when this module loads). That list was built
from news text and contains content words that matter in health and social-care interviews;
these are **removed**: ``leder`` (a focus group in the reference study), ``mennesker``,
``personer``, ``folk``, ``kontakt``, ``mål``, ``grunn``, ``tid``, ``plass``, ``sted``,
``stedet``, ``del``, ``saken``, ``viktig`` and the sports/news words ``kamp``, ``kampen``,
``poeng``, ``runde``, ``laget``, ``land``, ``landet``, ``kroner``, ``kveld``, ``dag``,
``by``, ``bris``, ``løpet``, ``vant``, ``opplyser``, ``skriver``, ``viser``.

**Added**: function words missing from it (``nei``, ``jo``, ``vel``, ``hva``, ``hvordan``,
``dere``, ``deg``, ``min``, ``sånn``, ``altså``, ...) and hesitation sounds
(:data:`FILLER_WORDS`: ``eh``, ``ehm``, ``øh``, ``hm``, ``mm``, ``mhm``, ...).

**Not** stop words: discourse markers such as ``liksom``, ``egentlig``, ``typ``
(:data:`DISCOURSE_MARKERS`). They are bleached in most uses but not all ("det var liksom
ikke mitt valg"), and hedging is itself something a researcher may want to see; a caller
that wants them gone uses ``STOP_WORDS | DISCOURSE_MARKERS``.

All entries are lowercase; compare against :attr:`Token.norm`.
"""

from __future__ import annotations

from collections.abc import Iterator, Set

_REMOVED = """
leder mennesker personer folk kontakt mål grunn tid plass sted stedet del saken viktig kamp
kampen poeng runde laget land landet kroner kveld dag by bris løpet vant opplyser skriver viser
"""

_ADDED = """
nei jo vel hva hvem hvor hvordan hvorfor hvilken hvilket hvilke hvis fordi dersom enten om
dere deg deres din ditt dine min mitt mine meg vår vårt våre seg sitt hennes dets dens
ei et noe noen ingenting alltid aldri ofte kanskje sånn sånt sånne slikt slike
altså asså da så jo nå her der hit dit oppe nede inne ute borte også enda ennå både bare
vært være er var blir ble blitt har hadde hatt kan kunne skal skulle vil ville må måtte bør
burde får fikk fått går gikk gått gjør gjorde gjort sier sa sagt
"""

FILLER_WORDS: frozenset[str] = frozenset(
    "eh ehm ehh em emm øh øhm øhh æh æhm hm hmm hmmm mm mmm mhm mhmm aha åh".split()
)

DISCOURSE_MARKERS: frozenset[str] = frozenset("liksom egentlig typ skjønner".split())



def _build() -> frozenset[str]:
    from spacy.lang.nb.stop_words import STOP_WORDS as SPACY_NB

    return frozenset(
        (set(SPACY_NB) - set(_REMOVED.split())) | set(_ADDED.split()) | FILLER_WORDS
    )


class _StopWords(Set[str]):
    """A frozen set of strings that imports spaCy's list the first time it is used."""

    def __init__(self) -> None:
        self._words: frozenset[str] | None = None

    @classmethod
    def _from_iterable(cls, it):  # type: ignore[no-untyped-def, override]
        return frozenset(it)  # what set operations return

    @property
    def words(self) -> frozenset[str]:
        if self._words is None:
            self._words = _build()
        return self._words

    def __contains__(self, word: object) -> bool:
        return word in self.words

    def __iter__(self) -> Iterator[str]:
        return iter(self.words)

    def __len__(self) -> int:
        return len(self.words)

    def __hash__(self) -> int:
        return hash(self.words)

    def __repr__(self) -> str:
        return "STOP_WORDS" if self._words is None else f"STOP_WORDS({len(self._words)} words)"


STOP_WORDS: Set[str] = _StopWords()
