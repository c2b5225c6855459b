"""A worked example on the demo project: codings, a theme map in progress, a snapshot and
a supervisor's comments, so a newcomer finds every screen populated.

:func:`add_worked_example` runs on the project :func:`workbench.services.demo.build_demo` makes
(the two focus groups and the CHIME and interview-guide codebooks). Extracts are found by
searching the stored text for short phrases (whitespace-tolerant), so the example survives
small edits of the demo transcripts: a phrase that is not found is skipped and counted.

The story it tells follows the reference study: the researcher codes both groups, builds
candidate themes, notices that they mirror the interview guide and goes back to phase 1
with a reason, re-reads, and ends in phase 4 (reviewing themes) with a map of four main
themes, sub-themes, definitions, quotes and a miscellaneous bin. A snapshot was frozen
before the supervision meeting, and the supervisor has left comments.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from workbench.domain.model import name_key
from workbench.services import Workbench

FG1 = ("Fokusgruppe 1 – ledere", "Ledere")
FG2 = ("Fokusgruppe 2 – miljøterapeuter", "Miljøterapeuter")

SUPERVISOR = "Veileder (demo)"

# code name -> (description, [(group, phrase), ...]); "1" is the leaders, "2" the staff.
CODES: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "Nye ord på gammel praksis": (
        "Arbeidsmåten beskrives som noe man har gjort før, under et annet navn.",
        [
            ("1", "Så for meg var det litt sånn (pause) nye ord på gammel praksis."),
            ("2", "Det nye er mest at det står i et dokument nå."),
            ("2", "Det vi manglet, var ikke en ny arbeidsmåte, det var folk og tid."),
        ],
    ),
    "Regler ingen vet hvorfor vi har": (
        "Husregler og rutiner som lever videre etter at grunnen er borte.",
        [
            ("1", "Men grunnen forsvant, og regelen ble stående."),
            ("1", "De er laget for den ene vanskelige situasjonen, og så gjelder de for alle brukerne i ti år etterpå."),
            ("2", "Og så fant jeg ut at det var en regel fra før jeg begynte, som ingen visste hvorfor vi hadde."),
            ("2", "Den regelen var jo helt meningsløs til slutt."),
        ],
    ),
    "Arbeidsmåten kommer i tillegg": (
        "Nye skjema, møter og dokumentasjon uten at noe tas bort.",
        [
            ("1", "Det oppleves som noe i tillegg."),
            ("1", "Vi har lagt arbeidsmåten oppå alt det andre i stedet for å ta noe bort."),
            ("2", "De er imot å få mer ansvar uten mer tid."),
        ],
    ),
    "Tid er det vi har minst av": (
        "",
        [
            ("1", "Og tid er det vi har minst av."),
            ("2", "Det fungerer når vi får tid til å gjøre det ordentlig. Men vi får ikke alltid tid."),
            ("2", "Du kan ikke ha lange samtaler om håp og drømmer når du er tre på jobb på en kveld med to skjerminger og en innkomst."),
            ("2", "Vi har ikke tid til å vente."),
        ],
    ),
    "Kveldene tester arbeidsmåten": (
        "Færre på jobb, flere vikarer; gamle vaner kommer tilbake.",
        [
            ("2", "Men på kveldene blir det fort gamle vaner."),
            ("2", "Vi på kveld har knapt vært med."),
            ("1", "Nei, og det er ofte kveldsvakta som tar de samtalene."),
        ],
    ),
    "Å forhandle tar lengre tid enn å si nei": (
        "",
        [("2", "Det tar mer tid å forhandle enn å si nei.")],
    ),
    "Ildsjeler bærer satsingen": (
        "Arbeidsmåten hviler på noen få personer og blir sårbar når de er borte.",
        [
            ("1", "Men det blir sårbart når det hviler på noen få."),
            ("1", "Det er ikke bra at det er jeg som «eier» arbeidsmåten."),
            ("1", "Og at det er mye som hviler på noen få."),
        ],
    ),
    "Avhengig av hvem som er på jobb": (
        "Brukeren får ulike svar fra vakt til vakt.",
        [
            ("1", "Og det er jo ikke rettferdig overfor brukerne at det skal komme an på hvem som er på jobb."),
            ("2", "Brukeren får et ja på dagvakt og et nei på kveldsvakt."),
            ("2", "Det er ofte tilfeldig."),
        ],
    ),
    "Å bære håpet for brukeren": (
        "",
        [
            ("2", "At vi skal bære håpet for brukeren når brukeren ikke klarer det selv."),
            ("1", "Håp om at livet kan bli bedre, en relasjon der brukeren blir sett som en person og ikke som en diagnose"),
        ],
    ),
    "Spørre i stedet for å gi beskjed": (
        "Små endringer i hvordan personalet henvender seg til brukeren.",
        [
            ("2", "Før trodde jeg at jeg måtte ha svarene. Nå tenker jeg at jeg kan spørre."),
            ("1", "Om de spør brukeren eller bare gir beskjed."),
            ("1", "Første samtale denne gangen startet med at primærkontakten spurte: «Hva er viktig for deg nå?»"),
            ("2", "Nå satte jeg meg ned med ham på kjøkkenet og spurte hva som holdt ham våken."),
        ],
    ),
    "Medvirkning i det små": (
        "Lys, kopp, telefon, en åpen kjøkkendør – medvirkning også når brukeren er dårligst.",
        [
            ("1", "Hvilken kopp, hvem som skal sitte sammen med en. Det er også medvirkning."),
            ("2", "Men du kan spørre om de vil ha lyset på eller av."),
            ("2", "Det kan være en telefon."),
            ("1", "Det er der det starter, i det hverdagslige."),
        ],
    ),
    "Brukeren er med i møtet": (
        "",
        [
            ("1", "Nå er brukeren med i møtet, og vi starter med det brukeren selv er opptatt av."),
            ("2", "Nå er brukeren med, og det forandrer alt."),
        ],
    ),
    "Erfaringskonsulenten stiller spørsmålene": (
        "Erfaringskonsulenten spør om det ingen andre spør om, og sier det fra brukernes side.",
        [
            ("1", "Hun stilte spørsmål som vi ikke stilte."),
            ("2", "Hun tør å si ting til ledelsen som vi ikke tør."),
        ],
    ),
    "Livet etter utskrivning": (
        "Bolig, nettverk, økonomi og aktivitet som avgjørende for om bedringen holder.",
        [
            ("1", "At det ikke bare handler om å bli symptomfri på posten, men om å ha et liv å komme hjem til."),
            ("2", "Jeg ser at det fungerer best når brukeren har noe å gå til etterpå."),
        ],
    ),
    "Forbedring for brukeren eller for posten": (
        "Brukerens opplevde bedring blandes sammen med tall for liggetid og reinnleggelser.",
        [
            ("1", "Og vi må kanskje skille mellom forbedring for brukeren og forbedring av posten."),
            ("1", "Vi rapporterer på liggetid, reinnleggelser, tvangsbruk."),
            ("2", "For meg er forbedring at brukeren har det bedre."),
        ],
    ),
    "Økonomi som skjult begrunnelse": (
        "",
        [
            ("1", "Og økonomien. Den bestemmer også, selv om ingen liker å si det."),
            ("2", "Men når vi ber om en ekstra på kveld fordi posten er urolig, så er svaret at det ikke er budsjett."),
        ],
    ),
    "Trygghet for både brukere og personale": (
        "",
        [
            ("1", "Hvis personalet ikke er trygge, blir det ikke trygt for brukerne heller."),
            ("2", "Når det praktiske er på plass, blir det tryggere å være innlagt."),
            ("1", "Ehm, jeg har snakket med flere brukere etter utskrivning, og det de trekker fram, er trygghet."),
        ],
    ),
    "Pårørende blir utrygge": (
        "",
        [
            ("1", "De er redde for at vi gir slipp for tidlig."),
            ("2", "Hun mente at vi ikke tok ansvar."),
        ],
    ),
    "Mat er alltid viktig": ("", [("1", "Mat er alltid viktig.")]),
    "Språket har endret seg": (
        "Nye ord i journalen og i møtene – men er praksisen endret?",
        [
            ("1", "Det er sant, språket har endret seg."),
            ("2", "Jeg brukte å skrive «pasienten framstår urolig», og nå prøver jeg heller å skrive hva hun faktisk sa og gjorde."),
        ],
    ),
}

# Deductive codes from the imported codebooks, applied to a few extracts as well.
DEDUCTIVE: list[tuple[str, str, str]] = [
    ("Håp", "2", "At vi skal bære håpet for brukeren når brukeren ikke klarer det selv."),
    ("Tvang og frivillighet", "2", "Medvirkning er nesten viktigst der den er vanskeligst."),
    ("Nøkkelspørsmål: Hvem bestemmer hva som er forbedring", "1",
     "I praksis er det ofte behandleren."),
]

# Extracts marked as quotes for the report.
QUOTES = [
    "nye ord på gammel praksis.",
    "Men det blir sårbart når det hviler på noen få.",
    "Og tid er det vi har minst av.",
    "Brukeren får et ja på dagvakt og et nei på kveldsvakt.",
    "Hvilken kopp, hvem som skal sitte sammen med en. Det er også medvirkning.",
    "At vi skal bære håpet for brukeren når brukeren ikke klarer det selv.",
    "Og vi må kanskje skille mellom forbedring for brukeren og forbedring av posten.",
]


@dataclass
class ExampleResult:
    codings: int
    skipped: list[str]
    themes: int


def _find(text: str, phrase: str) -> tuple[int, int] | None:
    pattern = r"\s+".join(re.escape(part) for part in phrase.split())
    match = re.search(pattern, text)
    return (match.start(), match.end()) if match else None


def _transcripts(wb: Workbench) -> dict[str, tuple[int, str]]:
    """"1"/"2" -> (transcript id, stored text), found by name, else by group."""
    out: dict[str, tuple[int, str]] = {}
    summaries = wb.transcripts.summaries()
    for key, (name, group) in (("1", FG1), ("2", FG2)):
        found = next((s for s in summaries if s.name == name), None)
        found = found or next((s for s in summaries if s.group == group), None)
        if found is not None:
            out[key] = (found.id, wb.transcripts.get(found.id).text)
    return out


def add_worked_example(wb: Workbench, *, progress: Callable[[str], None] | None = None) -> ExampleResult:
    """Add codings, a theme map in progress, journal entries, phase moves, a snapshot and
    supervisor comments to the demo project. Every step is an ordinary (undoable) command."""
    note = progress or (lambda _msg: None)
    texts = _transcripts(wb)
    skipped: list[str] = []
    codings: dict[str, list[int]] = {}  # phrase -> coding ids
    code_ids: dict[str, int] = {}
    existing = {name_key(c.name): c.id for c in wb.codes.list()}

    def code(name: str, description: str = "") -> int:
        key = name_key(name)
        if key not in existing:
            existing[key] = wb.codes.create(name, description=description).id
        return existing[key]

    def apply(code_id: int, group: str, phrase: str) -> None:
        if group not in texts:
            skipped.append(phrase)
            return
        tid, text = texts[group]
        span = _find(text, phrase)
        if span is None:
            skipped.append(phrase)
            return
        coding = wb.codes.apply(tid, span[0], span[1], code_id=code_id)
        codings.setdefault(phrase, []).append(coding.id)

    # phase 1: familiarising
    wb.journal.add(
        "Første gjennomlesning av begge gruppene. Lederne snakker mye om tid og ressurser, "
        "miljøterapeutene om kveldene. Dialekten er borte i transkripsjonen – noterer det."
    )
    wb.phases.advance()

    # phase 2: coding both groups
    for name, (description, spans) in CODES.items():
        code_ids[name] = code(name, description)
        for group, phrase in spans:
            apply(code_ids[name], group, phrase)
    for name, group, phrase in DEDUCTIVE:
        if name_key(name) in existing:
            apply(existing[name_key(name)], group, phrase)
    note(f"{sum(len(v) for v in codings.values())} kodinger")
    wb.phases.advance()

    # phase 3: a first map that mirrors the interview guide – and going back
    wb.journal.add(
        "Kandidattemaene mine heter «Bakgrunn», «Er det mulig», «Endringer» og «Forståelse». "
        "Det er jo fokusområdene i intervjuguiden."
    )
    wb.phases.back(
        "Temaene speilet fokusområdene i intervjuguiden. Leser transkripsjonene på nytt med "
        "nye øyne, uten guiden ved siden av.",
        to=1,
    )
    wb.journal.add(
        "Leste begge gruppene på nytt. Det som går igjen, er ikke spørsmålene, men hvem "
        "arbeidsmåten hviler på, tiden, og de små spørsmålene til brukeren."
    )
    wb.phases.advance()
    wb.phases.advance()

    # the new map
    c = code_ids
    t1 = wb.themes.create(
        "En arbeidsmåte som hviler på noen få",
        definition=(
            "Arbeidsmåten oppleves som riktig, men sårbar: den bæres av enkeltpersoner og "
            "legges oppå alt annet, og praksisen varierer med hvem som er på jobb."
        ),
    )
    s11 = wb.themes.create(
        "Fra ord til praksis", parent_id=t1.id,
        code_ids=[c["Nye ord på gammel praksis"], c["Regler ingen vet hvorfor vi har"]],
        definition="Språket har endret seg raskere enn praksisen; noen ser det som nye ord på gammel praksis.",
    )
    wb.themes.create(
        "Ildsjeler og tilfeldigheter", parent_id=t1.id,
        code_ids=[c["Ildsjeler bærer satsingen"], c["Avhengig av hvem som er på jobb"]],
    )
    t2 = wb.themes.create(
        "Tiden som ramme for medvirkning",
        code_ids=[c["Tid er det vi har minst av"], c["Arbeidsmåten kommer i tillegg"]],
        definition=(
            "Medvirkning tar tid, og tiden er knapp: det som er lett på dagtid, blir vanskelig "
            "på kveld, og nye oppgaver kommer uten at noe tas bort."
        ),
    )
    evenings = wb.themes.create(
        "Kveldene", code_ids=[c["Kveldene tester arbeidsmåten"], c["Å forhandle tar lengre tid enn å si nei"]],
    )
    t3 = wb.themes.create(
        "Å bli spurt: medvirkning i det små",
        code_ids=[
            c["Spørre i stedet for å gi beskjed"], c["Medvirkning i det små"],
            c["Brukeren er med i møtet"], c["Erfaringskonsulenten stiller spørsmålene"],
        ],
        definition=(
            "Medvirkning skjer i de små spørsmålene – om kopp, lys, telefon og hva som er "
            "viktig nå – og når brukeren er med i møtet der det planlegges."
        ),
    )
    wb.themes.create("Å bære håpet", parent_id=t3.id, code_ids=[c["Å bære håpet for brukeren"]])
    t4 = wb.themes.create(
        "Forbedring",
        code_ids=[c["Forbedring for brukeren eller for posten"], c["Livet etter utskrivning"]],
    )
    economy = wb.themes.create("Økonomien", code_ids=[c["Økonomi som skjult begrunnelse"]])
    wb.themes.create("Trygghet som felles grunn", parent_id=t4.id,
                     code_ids=[c["Trygghet for både brukere og personale"]])
    for name in ("Pårørende blir utrygge", "Mat er alltid viktig"):
        wb.themes.to_misc(c[name])
    wb.themes.update(t1.id, status="reviewed")
    wb.themes.update(t2.id, status="reviewed")
    wb.themes.update(t3.id, status="defined")
    wb.snapshots.create("Før veiledermøtet")

    # phase 4: reviewing – after the supervision meeting
    wb.phases.advance()
    wb.themes.demote(evenings.id, t2.id)
    wb.themes.rename(evenings.id, "Kveldene tester arbeidsmåten")
    wb.themes.merge(economy.id, t4.id)
    wb.themes.rename(t4.id, "Hvem bestemmer hva som er forbedring?")
    wb.themes.set_definition(
        t4.id,
        "Forbedring betyr ulike ting for brukeren, personalet, ledelsen og systemet, og "
        "økonomien bestemmer mer enn noen liker å si.",
    )
    for phrase in QUOTES:
        for key, ids in codings.items():
            if phrase in key:
                wb.codes.set_quote(ids[0], True)
                break
    wb.journal.add(
        "Etter veiledermøtet: «Kveldene» er et undertema av tiden, ikke et eget tema. "
        "«Økonomien» hører hjemme i spørsmålet om hvem som bestemmer."
    )

    # the supervisor's comments (written under the supervisor's name), and a reply
    actor = wb.store.actor
    try:
        wb.store.actor = SUPERVISOR
        open_comment = wb.review.comment(
            "theme", t4.id,
            "Dette ligner mye på nøkkelspørsmålet i intervjuguiden. Er det et tema dere fant "
            "i dataene, eller spørsmålet dere stilte? Se temaet × gruppe-tabellen.",
        )
        resolved = wb.review.comment(
            "theme", s11.id,
            "Fint at uenigheten mellom Leder 2 og Leder 3 er med her. Behold begge stemmene.",
        )
        quote_ids = codings.get(QUOTES[2]) or []
        if quote_ids:
            wb.review.comment("coding", quote_ids[0], "Godt sitat – kan det stå i innledningen til temaet?")
    finally:
        wb.store.actor = actor
    wb.review.reply(resolved.id, "Takk – beholdt begge sitatene.")
    wb.review.resolve(resolved.id)
    del open_comment
    n = sum(len(v) for v in codings.values())
    return ExampleResult(n, skipped, len([x for x in wb.themes.tree()]))


__all__ = ["ExampleResult", "add_worked_example"]
