"""Shared machinery for the importers.

* reading and decoding bytes (UTF-8, UTF-8 with BOM, UTF-16 with BOM, Windows-1252);
* timestamps (``[hh:mm:ss]``, ``[mm:ss]``, ``(mm:ss)``, ``(hh:mm:ss)``, ``#hh:mm:ss-d#``,
  bare ``hh:mm:ss``) and speaker labels (``Name:``, ``[Name]``, ``S01:``, ``SPEAKER_00:``,
  ``Speaker 1:``, ``I3:``, ``Kari Ø.:`` …) at the start of a line;
* :class:`LineParser`, which turns a stream of lines/paragraphs into speaker turns following
  the rules every text-like format shares (continuation lines join the current turn, text
  before the first speaker is kept unattributed, nothing is dropped);
* :func:`merge_segments` for timed segment formats (subtitles, Whisper).

Two-part clock times (``[12:34]``, ``(00:12)``) are read as minutes:seconds, since transcript
timestamps point into a recording; three-part times are hours:minutes:seconds.
"""

from __future__ import annotations

import codecs
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from workbench.domain.parsed import ParsedTurn, normalise_text
from workbench.i18n import UserError

Progress = Callable[[int, int], None]

# ---------------------------------------------------------------------------------------------
# Decoding

#: Bytes that Windows-1252 leaves undefined; Python's cp1252 codec refuses them.
UNDEFINED_CP1252 = frozenset(b"\x81\x8d\x8f\x90\x9d")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
#: A transcript's XML never unpacks to anything near this; more means a damaged or hostile file.
MAX_UNPACKED_BYTES = 512 * 1024 * 1024


def decode_text(data: bytes, name: str) -> tuple[str, str]:
    """Decode file bytes to normalised text; return ``(text, encoding)``.

    UTF-8 (strict, BOM-aware) first, then Windows-1252 (not Latin-1: 0x96 is an en dash).
    UTF-16 is accepted when it carries a BOM (Word's "Unicode text").
    """
    if data.startswith(codecs.BOM_UTF8):
        try:
            return normalise_text(data[len(codecs.BOM_UTF8) :].decode("utf-8")), "utf-8-sig"
        except UnicodeDecodeError as exc:
            raise _undecodable(data, name, exc.start + len(codecs.BOM_UTF8)) from None
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return normalise_text(data.decode("utf-16")), "utf-16"
        except UnicodeDecodeError as exc:
            raise _undecodable(data, name, exc.start) from None
    if b"\x00" in data:
        raise UserError("import.error.binary_file", name=name)
    try:
        return normalise_text(data.decode("utf-8")), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return normalise_text(data.decode("cp1252")), "cp1252"
    except UnicodeDecodeError as exc:
        raise _undecodable(data, name, exc.start) from None


def _undecodable(data: bytes, name: str, position: int) -> UserError:
    byte = f"0x{data[position]:02X}" if position < len(data) else "?"
    return UserError("import.error.undecodable", name=name, byte=byte, position=position)


def check_zip(data: bytes, name: str, *, invalid_key: str) -> None:
    """Refuse what is not a sound ZIP container before a library tries to open it."""
    if data.startswith(OLE_MAGIC):
        raise UserError("import.error.legacy_office", name=name)
    if not data.startswith(b"PK"):
        raise UserError(invalid_key, name=name)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise UserError(invalid_key, name=name) from None
    if unpacked > MAX_UNPACKED_BYTES:
        raise UserError(
            "import.error.archive_too_large", name=name, limit_mb=MAX_UNPACKED_BYTES // 2**20
        )


# ---------------------------------------------------------------------------------------------
# Timestamps

_CLOCK = re.compile(r"(?:(\d{1,2}):)?(\d{1,3}):(\d{2})(?:[.,-](\d{1,3}))?")
#: A timestamp at the start of a line. Groups: bracketed, parenthesised, f4/MAXQDA, bare.
_LEAD_TS = re.compile(
    r"\[(\d[\d:.,]{3,11})\]"
    r"|\((\d[\d:.,]{3,11})\)"
    r"|#(\d[\d:.,-]{6,12})#"
    r"|(\d{1,2}:\d{2}:\d{2}(?:[.,]\d{1,3})?)(?=\s|$)"
)
_F4_TAIL = re.compile(r"\s*#(\d{1,2}:\d{2}:\d{2}(?:[-.,]\d{1,3})?)#\Z")
_WS = re.compile(r"\s*")


def clock_to_ms(value: str) -> int | None:
    """``hh:mm:ss[.fff]`` or ``mm:ss[.fff]`` (also ``-d`` tenths, as f4 writes) to ms."""
    m = _CLOCK.fullmatch(value.strip())
    if m is None:
        return None
    hours, minutes, seconds, fraction = m.groups()
    mins, secs = int(minutes), int(seconds)
    if secs >= 60 or (hours is not None and mins >= 60):
        return None
    ms = ((int(hours or 0) * 60 + mins) * 60 + secs) * 1000
    if fraction:
        ms += int(fraction.ljust(3, "0"))
    return ms


def leading_timestamp(text: str, pos: int = 0) -> tuple[int, int] | None:
    """A timestamp starting at ``pos``: ``(ms, end position after trailing space)``."""
    m = _LEAD_TS.match(text, pos)
    if m is None:
        return None
    ms = clock_to_ms(m.group(m.lastindex or 1))
    if ms is None:
        return None
    return ms, _WS.match(text, m.end()).end()


def bare_timestamp(cell: str) -> int | None:
    """A table cell holding only a time, with or without brackets."""
    cell = cell.strip()
    found = leading_timestamp(cell)
    if found is not None and found[1] == len(cell):
        return found[0]
    return clock_to_ms(cell) if ":" in cell else None


# ---------------------------------------------------------------------------------------------
# Speaker labels

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


# ---------------------------------------------------------------------------------------------
# Building turns


class TurnBuilder:
    """Collects lines into turns; never emits an empty turn."""

    __slots__ = ("turns", "_open", "_speaker", "_start", "_end", "_lines")

    def __init__(self) -> None:
        self.turns: list[ParsedTurn] = []
        self._open = False
        self._speaker: str | None = None
        self._start: int | None = None
        self._end: int | None = None
        self._lines: list[str] = []

    @property
    def is_open(self) -> bool:
        return self._open

    @property
    def in_speaker_turn(self) -> bool:
        return self._open and self._speaker is not None

    @property
    def in_unattributed_turn(self) -> bool:
        return self._open and self._speaker is None

    def start(
        self,
        speaker: str | None,
        start_ms: int | None = None,
        end_ms: int | None = None,
        text: str = "",
    ) -> None:
        self.flush()
        self._open = True
        self._speaker = speaker
        self._start = start_ms
        self._end = end_ms
        if text:
            self.add(text)

    def add(self, text: str) -> None:
        """Add text (possibly several lines) to the current turn, opening one if needed."""
        if not self._open:
            self.start(None)
        for line in text.splitlines():
            line = line.strip()
            if line:
                self._lines.append(line)

    def add_line(self, line: str) -> None:
        """Fast path of :meth:`add` for one stripped, non-empty line."""
        if not self._open:
            self.start(None)
        self._lines.append(line)

    def flush(self) -> None:
        if self._open and self._lines:
            end = self._end
            last = self._lines[-1]
            if last.endswith("#"):  # f4/MAXQDA put the end time at the end of the paragraph
                m = _F4_TAIL.search(last)
                if m is not None and m.start() > 0:
                    ms = clock_to_ms(m.group(1))
                    if ms is not None:
                        self._lines[-1] = last[: m.start()].rstrip()
                        if end is None:
                            end = ms
            text = unicodedata.normalize("NFC", "\n".join(self._lines))
            self.turns.append(ParsedTurn(self._speaker, text, self._start, end))
        self._open = False
        self._speaker = None
        self._start = self._end = None
        self._lines = []


class LineParser:
    """The shared rules for text-like formats (txt, docx, odt, html).

    Feed it lines (:meth:`feed`), paragraph ends (:meth:`paragraph_break`) and headings.
    A paragraph break ends an unattributed turn but not a speaker's turn: a speaker keeps
    the floor until the next speaker label or heading.
    """

    def __init__(self) -> None:
        self.builder = TurnBuilder()
        self._pending: tuple[int, str] | None = None  # a timestamp alone on its line

    def feed(self, line: str) -> None:
        line = line.strip()
        if not line:
            self.paragraph_break()
            return
        label, ms, rest = split_marker(line)
        builder = self.builder
        if label is not None:
            if self._pending is not None:
                if ms is None:
                    ms = self._pending[0]
                    self._pending = None
                else:
                    self._resolve_pending()
            builder.start(label, ms, None, rest)
            return
        if ms is not None:
            if not rest:
                self._resolve_pending()
                self._pending = (ms, line)
                return
            if not builder.in_speaker_turn:
                self._resolve_pending()
                builder.start(None, ms, None, rest)
                return
            # a timestamp inside a speaker's turn stays in the text
        if self._pending is not None:
            pending_ms, raw = self._pending
            self._pending = None
            if builder.in_speaker_turn:
                builder.add_line(raw)
            else:
                builder.start(None, pending_ms, None, line)
                return
        builder.add_line(line)

    def feed_paragraph(self, text: str) -> None:
        """A paragraph of a document: its lines, then a paragraph break."""
        for line in text.splitlines():
            self.feed(line)
        self.paragraph_break()

    def start_turn(
        self,
        speaker: str | None,
        text: str,
        start_ms: int | None = None,
        end_ms: int | None = None,
    ) -> None:
        """A turn whose speaker/times come from structure (table cell, anchor, bold run)."""
        if start_ms is None and self._pending is not None:
            start_ms = self._pending[0]
            self._pending = None
        else:
            self._resolve_pending()
        self.builder.start(speaker, start_ms, end_ms, text)

    def continue_turn(self, text: str) -> None:
        """Text that belongs to the current turn whatever it looks like."""
        self._resolve_pending()
        self.builder.add(text)

    def set_pending_timestamp(self, ms: int, raw: str) -> None:
        self._resolve_pending()
        self._pending = (ms, raw)

    def paragraph_break(self) -> None:
        if self.builder.in_unattributed_turn:
            self.builder.flush()

    def heading(self, text: str) -> None:
        """A heading: its own unattributed turn; it ends the current speaker's turn."""
        self._resolve_pending()
        self.builder.flush()
        self.builder.start(None, text=text)
        self.builder.flush()

    def finish(self) -> list[ParsedTurn]:
        self._resolve_pending()
        self.builder.flush()
        return self.builder.turns

    def _resolve_pending(self) -> None:
        """A lone timestamp that no turn started after: keep it as text."""
        if self._pending is None:
            return
        _, raw = self._pending
        self._pending = None
        if self.builder.in_speaker_turn:
            self.builder.add_line(raw)
        else:
            self.builder.start(None, text=raw)
            self.builder.flush()


_TABLE_HEADER_SPEAKER = frozenset(
    "taler speaker navn name person deltaker informant hvem initialer kode".split()
)
_TABLE_HEADER_TEXT = frozenset(
    "tekst text utsagn sitat transkripsjon replikk innhold tale svar ytring".split()
)


def feed_table_row(parser: LineParser, cells: Sequence[str], *, first_row: bool) -> None:
    """A table row: ``speaker | text`` (optionally ``time | speaker | text``) or plain cells."""
    cells = [normalise_text(cell).strip() for cell in cells]
    if not any(cells):
        return
    ms: int | None = None
    raw_time = ""
    if len(cells) >= 2 and cells[0] and (ms := bare_timestamp(cells[0])) is not None:
        raw_time, cells = cells[0], cells[1:]
    if len(cells) == 2:
        who, said = cells
        if first_row and (
            who.casefold().rstrip(":") in _TABLE_HEADER_SPEAKER
            and said.casefold() in _TABLE_HEADER_TEXT
        ):
            parser.heading(f"{who}\t{said}")
            return
        label = clean_label(who[:-1] if who.endswith(":") else who)
        if said and is_loose_label(label):
            parser.start_turn(label, said, ms)
            return
        if not who and said:
            if ms is not None:
                parser.set_pending_timestamp(ms, raw_time)
                parser.feed_paragraph(said)
            else:
                parser.continue_turn(said)
            return
    if ms is not None:
        parser.set_pending_timestamp(ms, raw_time)
    for cell in cells:
        parser.feed_paragraph(cell)


# ---------------------------------------------------------------------------------------------
# Timed segments (subtitles, Whisper)

PARAGRAPH_GAP_MS = 2000
PARAGRAPH_SOFT_WORDS = 120
PARAGRAPH_HARD_WORDS = 300
SENTENCE_END = tuple(".!?…»\"”)")


@dataclass(slots=True)
class Segment:
    speaker: str | None
    text: str
    start_ms: int | None = None
    end_ms: int | None = None


def merge_segments(segments: Iterable[Segment]) -> list[ParsedTurn]:
    """Consecutive segments of one speaker become one turn (start of first, end of last).

    Unattributed segments are grouped into paragraphs: a new one after a pause of
    :data:`PARAGRAPH_GAP_MS`, after a sentence once the paragraph is long, or when it is
    very long.
    """
    turns: list[ParsedTurn] = []
    speaker: str | None = None
    parts: list[str] = []
    words = 0
    start: int | None = None
    end: int | None = None

    def emit() -> None:
        if parts:
            text = unicodedata.normalize("NFC", " ".join(parts))
            turns.append(ParsedTurn(speaker, text, start, end))

    for seg in segments:
        text = " ".join(seg.text.split())
        if not text:
            continue
        same = bool(parts) and seg.speaker == speaker
        if same and speaker is None:
            gap = (
                seg.start_ms - end
                if seg.start_ms is not None and end is not None
                else 0
            )
            if (
                gap >= PARAGRAPH_GAP_MS
                or words >= PARAGRAPH_HARD_WORDS
                or (words >= PARAGRAPH_SOFT_WORDS and parts[-1].endswith(SENTENCE_END))
            ):
                same = False
        if same:
            parts.append(text)
            words += text.count(" ") + 1
            if start is None:
                start = seg.start_ms
            if seg.end_ms is not None:
                end = seg.end_ms
            continue
        emit()
        speaker, parts, words = seg.speaker, [text], text.count(" ") + 1
        start, end = seg.start_ms, seg.end_ms
    emit()
    return turns


# ---------------------------------------------------------------------------------------------
# Progress


class Ticker:
    """Calls ``progress(done, total)`` at most every ``every`` steps, and once at the end."""

    __slots__ = ("_progress", "total", "_every", "_next")

    def __init__(self, progress: Progress | None, total: int, every: int) -> None:
        self._progress = progress
        self.total = total
        self._every = max(1, every)
        self._next = 0

    def tick(self, done: int) -> None:
        if self._progress is not None and done >= self._next:
            self._progress(done, self.total)
            self._next = done + self._every

    def finish(self) -> None:
        if self._progress is not None:
            self._progress(self.total, self.total)
