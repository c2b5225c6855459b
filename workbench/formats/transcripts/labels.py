"""Speaker labels at the start of a line: ``Name:``, ``[Name]``, ``S01:``, ``SPEAKER_00:``,
``Speaker 1:``, ``I3:``, ``Kari Ø.:`` …, and the rules that tell them from the first words
of an ordinary sentence (``Det er:``) or a transcription mark (``[ler]``).
"""

from __future__ import annotations

import re
from functools import lru_cache

from .clock import leading_timestamp

_WS = re.compile(r"\s*")

MAX_LABEL_CHARS = 40
MAX_LABEL_WORDS = 4
#: Known transcript labels, accepted whatever the capitalisation.
_KNOWN_LABEL = re.compile(
    r"(?:S\d{1,3}|SPEAKER[_ ]?\d{1,3}"
    r"|(?:speaker|taler|informant|deltaker|deltakar|moderator|ko-?moderator|komoderator"
    r"|medmoderator|intervjuer|interviewer|respondent|participant|forsker)"
    r"(?:[ _]?\d{1,3}|[ ][A-ZÆØÅ]\.?)?)",
    re.IGNORECASE,
)
#: Short capital codes: ``M``, ``I``, ``I3``, ``IP``, ``K 2``.
_CODE_LABEL = re.compile(r"[A-ZÆØÅ]{1,3}(?: ?\d{1,3})?")
_NAME_WORD = re.compile(r"[^\W\d_][\w'’.\-]*")
_PARENTHETICAL = re.compile(r"(.+?)\s*\(([^()]{1,30})\)")
_PARTICLES = frozenset("von van af de da di del der la le ten ter".split())
#: Words that start ordinary sentences or header lines, never a speaker label.
STOPWORDS = frozenset(
    """
    det den dette disse de der da dem og men så altså ja nei jo jeg vi du dere han hun hen man
    en et ei hva hvem hvor hvordan hvorfor hvilken hvilke hvilket når hvis fordi at som for til
    med på om av etter før eller også nå her mens selv bare kanskje ikke litt mye alle noen
    ingen min mitt mine vår vårt våre deres sin sitt sine hans hennes eksempel eks f.eks obs nb
    merk note notat notater kommentar tema dato tid tidspunkt sted varighet lengde tittel del
    fase kapittel vedlegg tabell figur kilde fil lydfil opptak transkribert transkribent
    transkripsjon prosjekt deltakere informanter tilstede kl klokka klokken side fokusområde
    nøkkelspørsmål oppfølgingsspørsmål intervjuguide ok okei lydkilde modell versjon språk
    the this that it and but so yes no we you he she they what when where why how date time
    example title file duration re fw http https okay audio source model version language
    """.split()
)
#: Bracketed transcription marks and placeholders, never speakers: ``[ler]``, ``[Navn]``.
TRANSCRIPTION_MARKS = frozenset(
    """
    ler latter pause kremt uhørbart uhørlig utydelig uklart hoster host sukk sukker stille
    avbrudd avbrytelse overlapp overlappende samtidig støy musikk inaudible laughter laughs
    crosstalk silence cough noise music navn sted by kommune arbeidsplass anonymisert fjernet
    sensurert slettet
    """.split()
)


def clean_label(label: str) -> str:
    """A label as written, with runs of whitespace (also no-break spaces) made one space."""
    return " ".join(label.split())


@lru_cache(maxsize=8192)
def is_speaker_label(label: str) -> bool:
    """Whether ``label`` (the text before ``:``) is a speaker and not the start of a sentence."""
    if not label or len(label) > MAX_LABEL_CHARS + 32:
        return False
    m = _PARENTHETICAL.fullmatch(label)
    if m is not None:  # "Informant 3 (sykepleier)"
        return is_speaker_label(m.group(1))
    if len(label) > MAX_LABEL_CHARS:
        return False
    if _KNOWN_LABEL.fullmatch(label):
        return True
    words = label.split()
    if len(words) > MAX_LABEL_WORDS:
        return False
    if words[0].casefold().rstrip(".") in STOPWORDS:
        return False
    if _CODE_LABEL.fullmatch(label):
        return True
    if not words[0][0].isupper():
        return False
    for word in words:
        if (word.isdigit() and len(word) <= 3) or word in _PARTICLES:
            continue
        if not (word[0].isupper() and _NAME_WORD.fullmatch(word)):
            return False
    return True


def is_loose_label(label: str) -> bool:
    """A label marked by layout (bold run, table cell): shape rules are relaxed."""
    label = label.strip()
    if not label or len(label) > MAX_LABEL_CHARS + 20 or "\n" in label or ":" in label:
        return False
    if is_speaker_label(label):
        return True
    words = label.split()
    return (
        len(words) <= 6
        and label[0].isalpha()
        and label[-1] not in ".?!,;"
        and words[0].casefold().rstrip(".") not in STOPWORDS
    )


_BRACKET_LABEL = re.compile(r"\[([^\[\]\n]{1,60})\](?:[ \t]*:)?(?=\s|$)")
_COLON_LABEL = re.compile(r"([^\W\d_][^:\n]{0,71}?)\s*:(?=\s|$)")
_SCAN = 75  # a colon further into the line than this cannot close a label


def split_marker(line: str) -> tuple[str | None, int | None, str]:
    """Split ``[timestamp] Label: [timestamp] text`` into ``(label, start_ms, text)``.

    ``line`` must be stripped and NFC. Without a marker the line comes back unchanged.
    """
    first = line[:1]
    if not first:
        return None, None, line
    if first not in "[(#" and not first.isdigit() and ":" not in line[:_SCAN]:
        return None, None, line
    pos = 0
    ms: int | None = None
    if first in "[(#" or first.isdigit():
        found = leading_timestamp(line)
        if found is not None:
            ms, pos = found
    label: str | None = None
    if line.startswith("[", pos):
        m = _BRACKET_LABEL.match(line, pos)
        if m is not None:
            candidate = clean_label(m.group(1))
            if candidate.casefold() not in TRANSCRIPTION_MARKS and is_speaker_label(candidate):
                label = candidate
    else:
        m = _COLON_LABEL.match(line, pos)
        if m is not None and is_speaker_label(candidate := clean_label(m.group(1))):
            label = candidate
    if label is not None:
        assert m is not None
        pos = _WS.match(line, m.end()).end()
        if ms is None:
            found = leading_timestamp(line, pos)
            if found is not None:
                ms, pos = found
    if pos == 0:
        return None, None, line
    return label, ms, line[pos:]
