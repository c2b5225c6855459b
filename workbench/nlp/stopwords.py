"""Norwegian bokmål stop words for word-frequency views of transcripts.

Base: spaCy's ``spacy.lang.nb.stop_words`` list (MIT licence), copied here so that the fast
pipeline does not have to import spaCy (about a second of start-up). That list was built
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

_SPACY_NB = """
alle allerede alt and andre annen annet at av bak bare bedre beste blant ble bli blir blitt
bris by både da dag de del dem den denne der dermed det dette disse du eller en enn er et ett
etter fem fikk fire fjor flere folk for fortsatt fra fram funnet få får fått før først første
gang gi gikk gjennom gjorde gjort gjør gjøre god godt grunn gå går ha hadde ham han hans har
hele helt henne hennes her hun i ifølge igjen ikke ingen inn ja jeg kamp kampen kan kl klart
kom komme kommer kontakt kort kroner kunne kveld la laget land landet langt leder ligger like
litt løpet man mange med meg mellom men mener mennesker mens mer mot mye må mål måtte ned
neste noe noen nok ny nye nå når og også om opp opplyser oss over personer plass poeng på
runde rundt sa saken samme sammen samtidig satt se seg seks selv senere ser sett siden sier
sin sine siste sitt skal skriver skulle slik som sted stedet stor store står svært så ta tatt
tid tidligere til tilbake tillegg tok tror under ut uten utenfor vant var ved veldig vi videre
viktig vil ville viser vår være vært å år ønsker
"""

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

STOP_WORDS: frozenset[str] = frozenset(
    (set(_SPACY_NB.split()) - set(_REMOVED.split()))
    | set(_ADDED.split())
    | FILLER_WORDS
)
