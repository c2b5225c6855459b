"""Read transcripts in the formats researchers bring, one module per format.

Every importer returns the same value, :class:`~workbench.domain.parsed.ParsedTranscript`,
and never touches a database. Use :func:`parse_file`; it dispatches on the file extension and,
where an extension is ambiguous, on the content:

========================  ==================  =============================================
extension                 ``source_format``   module
========================  ==================  =============================================
.txt                      ``txt``,            :mod:`.text` (a .txt holding WebVTT is read
                          ``noscribe_txt``    as subtitles)
.docx                     ``docx``            :mod:`.docx` (python-docx)
.odt                      ``odt``             :mod:`.odt` (odfpy)
.vtt, .srt                ``vtt``, ``srt``    :mod:`.subtitles`
.html, .htm               ``noscribe_html``,  :mod:`.noscribe` (lxml)
                          ``html``
.json                     ``whisper_json``,   :mod:`.whisper`
                          ``whisperx_json``
========================  ==================  =============================================

The rules the formats share live beside them: :mod:`.reading` (decoding the bytes, checking
a ZIP container, progress), :mod:`.clock` (timestamps), :mod:`.labels` (speaker labels) and
:mod:`.turns` (lines, table rows and timed segments into turns).

Problems the user can fix raise :class:`workbench.i18n.UserError` with an ``import.error.*``
key (``archive.error.*`` for an unsafe ZIP); things worth knowing (no speakers found, legacy
encoding) are ``import.warning.*`` messages in :attr:`ParsedTranscript.warnings`. Text is
never dropped: text without a speaker becomes unattributed turns.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from workbench.domain.parsed import ParsedTranscript
from workbench.i18n import UserError, t

from .reading import Progress

__all__ = ["SUPPORTED_SUFFIXES", "parse_file"]

SUPPORTED_SUFFIXES: tuple[str, ...] = (
    ".txt",
    ".docx",
    ".odt",
    ".vtt",
    ".srt",
    ".html",
    ".htm",
    ".json",
)
_LEGACY_WORD = frozenset({".doc", ".rtf", ".wpd", ".pages", ".dot", ".dotx", ".docm"})
_NO_TEXT_LAYER = frozenset({".pdf"})
#: Formats whose source never marks speakers unless a diarising tool added them.
_TRANSCRIPTION_FORMATS = frozenset(
    {"vtt", "srt", "whisper_json", "whisperx_json", "noscribe_txt", "noscribe_html"}
)


def _parse_txt(data: bytes, name: str, progress: Progress | None) -> ParsedTranscript:
    from .text import parse_txt

    return parse_txt(data, name, progress)


def _parse_docx(data: bytes, name: str, progress: Progress | None) -> ParsedTranscript:
    from .docx import parse_docx

    return parse_docx(data, name, progress)


def _parse_odt(data: bytes, name: str, progress: Progress | None) -> ParsedTranscript:
    from .odt import parse_odt

    return parse_odt(data, name, progress)


def _parse_vtt(data: bytes, name: str, progress: Progress | None) -> ParsedTranscript:
    from .subtitles import parse_subtitles

    return parse_subtitles(data, name, "vtt", progress)


def _parse_srt(data: bytes, name: str, progress: Progress | None) -> ParsedTranscript:
    from .subtitles import parse_subtitles

    return parse_subtitles(data, name, "srt", progress)


def _parse_html(data: bytes, name: str, progress: Progress | None) -> ParsedTranscript:
    from .noscribe import parse_html

    return parse_html(data, name, progress)


def _parse_json(data: bytes, name: str, progress: Progress | None) -> ParsedTranscript:
    from .whisper import parse_whisper_json

    return parse_whisper_json(data, name, progress)


_PARSERS: dict[str, Callable[[bytes, str, Progress | None], ParsedTranscript]] = {
    ".txt": _parse_txt,
    ".docx": _parse_docx,
    ".odt": _parse_odt,
    ".vtt": _parse_vtt,
    ".srt": _parse_srt,
    ".html": _parse_html,
    ".htm": _parse_html,
    ".json": _parse_json,
}


MAX_FILE_BYTES = 50_000_000
"""The largest transcript file read (50 MB): a focus group of two hours is under 1 MB of
text, and parsing takes about ten times the file's size in memory."""


def parse_file(
    path: Path | str, *, progress: Callable[[int, int], None] | None = None
) -> ParsedTranscript:
    """Read one transcript file into speaker turns.

    ``progress(done, total)`` is called now and then while a big file is parsed (units are
    lines, paragraphs, cues or segments, whatever the format counts), and once at the end
    with ``done == total``.
    """
    path = Path(path)
    name = path.name
    if not path.exists():
        raise UserError("import.error.file_not_found", path=str(path), name=name)
    if path.is_dir():
        raise UserError("import.error.not_a_file", path=str(path), name=name)
    suffix = path.suffix.casefold()
    supported = ", ".join(SUPPORTED_SUFFIXES)
    if not suffix:
        raise UserError("import.error.no_suffix", name=name, supported=supported)
    if suffix in _LEGACY_WORD:
        raise UserError("import.error.unsupported_word", name=name, suffix=suffix)
    if suffix in _NO_TEXT_LAYER:
        raise UserError("import.error.unsupported_pdf", name=name)
    parser = _PARSERS.get(suffix)
    if parser is None:
        raise UserError(
            "import.error.unsupported_format", name=name, suffix=suffix, supported=supported
        )
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise UserError("import.error.too_large", name=name,
                            size=f"{size / 1_000_000:.0f}", limit=f"{MAX_FILE_BYTES // 1_000_000}")
        data = path.read_bytes()
    except PermissionError:
        raise UserError("import.error.permission_denied", name=name, path=str(path)) from None
    except OSError as exc:
        raise UserError(
            "import.error.unreadable", name=name, reason=exc.strerror or type(exc).__name__
        ) from None
    if not data:
        raise UserError("import.error.empty_file", name=name)

    result = parser(data, name, progress)
    if not result.turns:
        raise UserError("import.error.no_text", name=name)
    if not any(turn.speaker is not None for turn in result.turns):
        key = (
            "import.warning.no_speakers_transcription"
            if result.source_format in _TRANSCRIPTION_FORMATS
            else "import.warning.no_speakers"
        )
        result.warnings.append(t(key, name=name, count=len(result.turns)))
    return result
