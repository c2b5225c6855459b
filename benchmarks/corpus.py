"""A deterministic synthetic Norwegian corpus: focus-group transcripts with transcription
marks, a codebook, and codings. Fictional and generated; the same seed gives the same text.

The vocabulary is realistic in size: besides a few domain phrases (which the search figures
look for), most sentences are built from a fixed, seeded sample of bokmål word stock: noun,
verb and adjective lemmas with all their inflected forms, taken from the bokmål lemma
table of ``spacy-lookups-data`` (a project dependency), drawn with Zipf-like frequencies.
A 15 000-word transcript then has well over 2 000 word types, as real transcripts do (the
lemma cache misses as often as it would on real text). No sentence is a real quote: the
words are drawn at random into fixed frames.
"""

from __future__ import annotations

import bisect
import gzip
import itertools
import json
import random
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SUBJECTS = [
    "brukeren", "brukerne", "en bruker", "personalet", "lederen", "vi", "de ansatte",
    "miljøterapeuten", "avdelingen", "pårørende", "teamet", "sykepleieren", "vernepleieren",
]
VERBS = [
    "opplever", "trenger", "bestemmer", "snakker om", "får", "merker", "savner", "ønsker",
    "prøver", "forstår", "tenker på", "diskuterer", "endrer", "planlegger", "bruker",
]
OBJECTS = [
    "håp", "medvirkning", "mer tid", "trygghet", "relasjonen", "ressursene", "ledelsen",
    "hverdagen", "samarbeidet", "arbeidsmåten", "forbedring", "tilliten", "rutinene",
    "ansvaret", "målene", "recovery", "mestring", "fellesskapet", "endringene",
]
TAILS = [
    "i praksis", "på posten", "hver dag", "når det er travelt", "etter innføringen",
    "sammen med oss", "på en ny måte", "i møtene", "fra starten av", "over tid", "",
]
OPENERS = ["Ja,", "Nei,", "Altså", "Jeg tror", "For meg", "Eh", "Men", "Og så", "Ehm,", ""]
MARKS = ["(latter)", "(pause)", "(..)", "(kremt)", "(uhørbart)"]
QUESTIONS = [
    "Hva betyr forbedring for dere?", "Hvem bestemmer hva som er en forbedring?",
    "Hvordan har arbeidsmåten endret hverdagen?", "Kan dere si mer om det?",
    "Hvordan merker brukerne forskjellen?", "Hva var bakgrunnen for innføringen?",
]


PRONOUNS = ["jeg", "vi", "de", "hun", "han", "man", "du", "dere", "noen", "alle"]
DETERMINERS = ["en", "et", "den", "det", "de", "denne", "dette", "noen", "mange", "hver",
               "vår", "min", "deres", "litt", "mye"]
PREPOSITIONS = ["i", "på", "med", "om", "til", "fra", "for", "av", "etter", "under",
                "mellom", "uten", "hos", "ved", "gjennom"]
ADVERBS = ["ikke", "også", "bare", "liksom", "egentlig", "kanskje", "alltid", "aldri",
           "ofte", "sjelden", "nå", "da", "veldig", "ganske", "litt", "heller", "jo"]
CONJUNCTIONS = ["og", "men", "så", "fordi", "når", "hvis", "selv om", "at", "som"]

LOOKUPS_PACKAGE = "spacy_lookups_data"
VOCABULARY = {"noun": 5_000, "verb": 1_500, "adj": 1_500}
"""How many lemmas of each part of speech the word stock samples."""
_WORD = re.compile(r"[a-zæøå]{3,16}")


@cache
def word_stock() -> dict[str, list[list[str]]]:
    """Part of speech -> lemmas (most frequent first), each a list of its word forms.

    A seeded sample of the bokmål lemma table of spacy-lookups-data: lowercase alphabetic
    forms only (no names, abbreviations or compounds with hyphens)."""
    import importlib.resources

    data = importlib.resources.files(LOOKUPS_PACKAGE) / "data" / "nb_lemma_exc.json.gz"
    with data.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as f:
        table: dict[str, dict[str, list[str]]] = json.load(f)
    rng = random.Random(2026)
    stock: dict[str, list[list[str]]] = {}
    for pos, count in VOCABULARY.items():
        forms: dict[str, list[str]] = {}
        for form, lemmas in table[pos].items():
            if _WORD.fullmatch(form) and _WORD.fullmatch(lemmas[0]):
                forms.setdefault(lemmas[0], []).append(form)
        lemmas = sorted(lemma for lemma, fs in forms.items() if len(fs) >= 2)
        chosen = rng.sample(lemmas, min(count, len(lemmas)))
        stock[pos] = [sorted(set(forms[lemma])) for lemma in chosen]
    return stock


@cache
def _zipf_weights(n: int) -> list[float]:
    """Cumulative Zipf weights (s = 1) for ranks 1..n."""
    return list(itertools.accumulate(1 / (rank + 1) for rank in range(n)))


def _stock_word(rng: random.Random, pos: str) -> str:
    lemmas = word_stock()[pos]
    cumulative = _zipf_weights(len(lemmas))
    k = bisect.bisect_left(cumulative, rng.random() * cumulative[-1])
    return rng.choice(lemmas[min(k, len(lemmas) - 1)])


def _stock_sentence(rng: random.Random) -> list[str]:
    """A sentence of drawn word stock in one of a few bokmål frames."""
    noun, verb, adj = (lambda: _stock_word(rng, "noun")), (lambda: _stock_word(rng, "verb")), (
        lambda: _stock_word(rng, "adj"))
    frame = rng.randrange(4)
    if frame == 0:  # Vi opplever at tilliten blir sterkere på posten
        words = [rng.choice(PRONOUNS), verb(), rng.choice(["at", "om"]),
                 rng.choice(DETERMINERS), noun(), verb(), adj(), rng.choice(PREPOSITIONS), noun()]
    elif frame == 1:  # Det er ikke så lett med en ny rutine
        words = ["det", rng.choice(["er", "var", "blir", "ble"]), rng.choice(ADVERBS), adj(),
                 rng.choice(PREPOSITIONS), rng.choice(DETERMINERS), adj(), noun()]
    elif frame == 2:  # Og så må vi prøve å ta dem med
        words = [rng.choice(CONJUNCTIONS), rng.choice(PRONOUNS),
                 rng.choice(["må", "kan", "skal", "vil", "bør"]), rng.choice(ADVERBS), verb(),
                 rng.choice(DETERMINERS), noun(), rng.choice(PREPOSITIONS), noun()]
    else:  # Brukerne snakker om hverdagen, og de ansatte merker det
        words = [rng.choice(DETERMINERS), noun(), verb(), rng.choice(PREPOSITIONS), noun(),
                 rng.choice(CONJUNCTIONS), rng.choice(PRONOUNS), verb(), rng.choice(ADVERBS),
                 adj()]
    return words


def _sentence(rng: random.Random) -> str:
    if rng.random() < 0.75:
        words = [rng.choice(OPENERS), *_stock_sentence(rng)]
    else:  # the domain phrases the search figures look for
        words = [rng.choice(OPENERS), rng.choice(SUBJECTS), rng.choice(VERBS),
                 rng.choice(OBJECTS), rng.choice(TAILS)]
    text = " ".join(w for w in words if w)
    text = text[0].upper() + text[1:] + rng.choice([".", ".", ".", "?", "!"])
    r = rng.random()
    if r < 0.08:
        text += " " + rng.choice(MARKS)
    elif r < 0.1:
        text = text.replace(" ", ":: ", 1)
    elif r < 0.12:
        text = f"//{text}//"
    return text


def transcript_text(seed: int, words: int, informants: int = 7) -> str:
    """One transcript of about ``words`` words, ``Name: text`` lines with timestamps."""
    rng = random.Random(seed)
    speakers = [f"Informant {i}" for i in range(1, informants + 1)]
    lines = [f"Fokusgruppe {seed}: syntetisk testtranskripsjon."]
    count = 0
    ms = 0
    while count < words:
        if rng.random() < 0.15:
            speaker, text = "Moderator", rng.choice(QUESTIONS)
        else:
            speaker = rng.choice(speakers)
            text = " ".join(_sentence(rng) for _ in range(rng.randint(1, 6)))
        ms += rng.randint(3000, 40000)
        secs = ms // 1000
        stamp = f"[{secs // 3600:02d}:{secs // 60 % 60:02d}:{secs % 60:02d}] " if rng.random() < 0.3 else ""
        lines.append(f"{stamp}{speaker}: {text}")
        count += len(text.split())
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Size:
    name: str
    transcripts: int
    words: int
    codings: int
    quotes: int
    open_codings: int
    """Codings on each of the two transcripts that the open and switch figures show."""
    scale: tuple[int, ...] = ()
    """Transcript counts of the scale figures (import words/s at each), if any."""


SIZES = {
    "small": Size("small", 3, 2_000, 150, 50, 40),
    "full": Size("full", 50, 15_000, 5_000, 500, 600),
    "large": Size("large", 150, 15_000, 15_000, 1_500, 600, scale=(10, 50, 150)),
}


def word_types(text: str) -> int:
    """Distinct lowercased words (letters only) in ``text``."""
    return len({w.lower() for w in re.findall(r"[^\W\d_]+", text)})


def write_corpus(folder: Path, size: Size) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(1, size.transcripts + 1):
        path = folder / f"fg{i:02d}.txt"
        path.write_text(transcript_text(i, size.words), encoding="utf-8")
        paths.append(path)
    return paths


CODE_NAMES = [
    "Håp om bedring", "Brukerens medvirkning", "For lite tid", "Trygghet i relasjonen",
    "Ledelsens rolle", "Nye rutiner", "Hvem bestemmer", "Mestring i hverdagen",
    "Samarbeid med pårørende", "Ressursmangel", "Endring over tid", "Fellesskap på posten",
]
