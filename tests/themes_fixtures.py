"""A small, deterministic study for the theme tests: two focus groups, codes, codings."""

from __future__ import annotations

from dataclasses import dataclass

from workbench.domain.parsed import ParsedTranscript, ParsedTurn
from workbench.services import Workbench

from .conftest import sample_parsed


def staff_parsed() -> ParsedTranscript:
    return ParsedTranscript(
        source_format="txt",
        turns=[
            ParsedTurn("Moderator", "Hva betyr den nye arbeidsmåten for dere?", 0, 3000),
            ParsedTurn("Miljøterapeut 1", "Vi har ikke tid til å snakke med brukerne om kvelden.", 3000, 8000),
            ParsedTurn("Miljøterapeut 2", "Brukerne får bestemme mer selv, og det gir håp.", 8000, 12000),
            ParsedTurn("Miljøterapeut 1", "Men det avhenger av hvem som er på jobb.", 12000, 16000),
        ],
    )


@dataclass
class Study:
    wb: Workbench
    fg1: int
    fg2: int
    codes: dict[str, int]


def find(text: str, phrase: str) -> tuple[int, int]:
    start = text.index(phrase)
    return start, start + len(phrase)


def build_study(wb: Workbench) -> Study:
    fg1 = wb.transcripts.add_parsed(sample_parsed(), name="fg1", group="Ledere").id
    fg2 = wb.transcripts.add_parsed(staff_parsed(), name="fg2", group="Miljøterapeuter").id
    people = {p.label: p for p in wb.transcripts.participants()}
    wb.transcripts.update_participant(people["Moderator"].id, role="moderator", group="")
    wb.transcripts.update_participant(people["Leder 1"].id, profession="sykepleier")
    wb.transcripts.update_participant(people["Leder 2"].id, profession="vernepleier")
    wb.transcripts.update_participant(people["Miljøterapeut 1"].id, profession="sykepleier")
    wb.transcripts.update_participant(people["Miljøterapeut 2"].id, profession="sosionom")
    codes = {
        name: wb.codes.create(name).id
        for name in ("håp", "tid til relasjon", "brukeren bestemmer", "personavhengig", "latter")
    }
    t1 = wb.transcripts.get(fg1).text
    t2 = wb.transcripts.get(fg2).text
    spans = [
        (fg1, t1, "brukeren opplever håp", "håp"),
        (fg2, t2, "det gir håp", "håp"),
        (fg1, t1, "vi har tid til relasjonen", "tid til relasjon"),
        (fg2, t2, "Vi har ikke tid til å snakke med brukerne", "tid til relasjon"),
        (fg1, t1, "brukerne må få bestemme mer", "brukeren bestemmer"),
        (fg2, t2, "Brukerne får bestemme mer selv", "brukeren bestemmer"),
        (fg2, t2, "det avhenger av hvem som er på jobb", "personavhengig"),
        (fg1, t1, "Hva betyr forbedring for dere?", "latter"),  # said by the moderator
    ]
    for tid, text, phrase, code in spans:
        start, end = find(text, phrase)
        wb.codes.apply(tid, start, end, code_id=codes[code])
    return Study(wb, fg1, fg2, codes)
