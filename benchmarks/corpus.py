"""A deterministic synthetic Norwegian corpus: focus-group transcripts with transcription
marks, a codebook, and codings. Fictional and generated; the same seed gives the same text."""

from __future__ import annotations

import random
from dataclasses import dataclass
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


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(OPENERS), rng.choice(SUBJECTS), rng.choice(VERBS), rng.choice(OBJECTS),
             rng.choice(TAILS)]
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


SIZES = {
    "small": Size("small", 3, 2_000, 150, 50),
    "full": Size("full", 50, 15_000, 5_000, 500),
    "large": Size("large", 150, 15_000, 15_000, 1_500),
}


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
