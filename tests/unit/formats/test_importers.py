"""workbench.formats.transcripts: every format into the same ParsedTranscript, and every bad input
into a UserError that says what is wrong. All names and text are fictional."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from workbench.domain.parsed import ParsedTranscript, ParsedTurn
from workbench.i18n import UserError, catalogue
from workbench.formats.transcripts import SUPPORTED_SUFFIXES, parse_file
from workbench.formats.transcripts.clock import clock_to_ms
from workbench.formats.transcripts.labels import split_marker

FIXTURES = Path(__file__).parents[2] / "fixtures" / "import"
PACKAGE = Path(__file__).resolve().parents[3] / "workbench" / "formats" / "transcripts"


def write(tmp_path: Path, name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
    return path


def parse_text(tmp_path: Path, content: str | bytes, name: str = "t.txt") -> ParsedTranscript:
    return parse_file(write(tmp_path, name, content))


def pairs(result: ParsedTranscript) -> list[tuple[str | None, str]]:
    return [(turn.speaker, turn.text) for turn in result.turns]


def assert_clean(result: ParsedTranscript) -> None:
    """Invariants every importer keeps."""
    assert result.turns
    for turn in result.turns:
        assert turn.text.strip(), "empty turn"
        assert unicodedata.is_normalized("NFC", turn.text)
        assert "\r" not in turn.text and "\ufeff" not in turn.text
        assert all(line == line.strip() and line for line in turn.text.split("\n"))
        if turn.speaker is not None:
            assert turn.speaker == turn.speaker.strip() and turn.speaker
            assert unicodedata.is_normalized("NFC", turn.speaker)
        if turn.start_ms is not None and turn.end_ms is not None:
            assert turn.start_ms <= turn.end_ms


# ---------------------------------------------------------------------------------------------
# Plain text


def test_txt_fixture_speakers_times_and_preamble():
    result = parse_file(FIXTURES / "fokusgruppe_ledere.txt")
    assert result.source_format == "txt" and result.encoding == "utf-8"
    assert result.warnings == []
    assert_clean(result)
    assert result.turns == [
        ParsedTurn(None, "Fokusgruppe 1 – ledere\nDato: 14.02.2024, varighet 1 t 20 min"),
        ParsedTurn(
            "Moderator",
            "Velkommen, alle sammen. Vi starter med en runde rundt bordet.\n"
            "Si gjerne navn og hvilken utdanning dere har.",
            5000,
        ),
        ParsedTurn(
            "Informant 1",
            "Jeg er sykepleier og har vært leder i fem år (latter).\n"
            "Det jeg mener er: vi må ha tid til relasjonen.",
        ),
        ParsedTurn(
            "I3",
            "Vernepleier. Jeg tenker at brukerne må få bestemme mer [00:12:40] i hverdagen.",
            12000,
        ),
        ParsedTurn("Kari Ø.", "Ja::, det er jeg enig i."),
        ParsedTurn("Ola", "Sosionom med videreutdanning.\n[ler] Og litt til."),
        ParsedTurn("M", "Hva betyr forbedring for dere?"),
    ]
    assert result.speakers == ["Moderator", "Informant 1", "I3", "Kari Ø.", "Ola", "M"]


@pytest.mark.parametrize(
    ("line", "speaker", "text"),
    [
        ("Moderator: Velkommen.", "Moderator", "Velkommen."),
        ("moderator: Velkommen.", "moderator", "Velkommen."),
        ("Ko-moderator: Takk.", "Ko-moderator", "Takk."),
        ("Informant 3: Ja.", "Informant 3", "Ja."),
        ("Informant 5 (sykepleier): Ja.", "Informant 5 (sykepleier)", "Ja."),
        ("I3: Ja.", "I3", "Ja."),
        ("I 3: Ja.", "I 3", "Ja."),
        ("M: Ja.", "M", "Ja."),
        ("IP: Ja.", "IP", "Ja."),
        ("Kari Ø.: Ja.", "Kari Ø.", "Ja."),
        ("Åse Ødegård: Ja.", "Åse Ødegård", "Ja."),
        ("Kari  :  Ja, sikkert.", "Kari", "Ja, sikkert."),
        ("[Kari] Ja.", "Kari", "Ja."),
        ("[Kari]: Ja.", "Kari", "Ja."),
        ("[Informant 2] Ja.", "Informant 2", "Ja."),
        ("S01: Ja.", "S01", "Ja."),
        ("SPEAKER_00: Ja.", "SPEAKER_00", "Ja."),
        ("Speaker 1: Ja.", "Speaker 1", "Ja."),
        ("Taler 1: Ja.", "Taler 1", "Ja."),
        ("Deltaker 12: Ja.", "Deltaker 12", "Ja."),
        ("Leder 2: Ja.", "Leder 2", "Ja."),
        ("Miljøterapeut 4: Ja.", "Miljøterapeut 4", "Ja."),
        ("Moderator:\tJa.", "Moderator", "Ja."),
        ("Moderator:\u00a0Ja.", "Moderator", "Ja."),
    ],
)
def test_speaker_patterns(tmp_path: Path, line: str, speaker: str, text: str):
    result = parse_text(tmp_path, f"{line}\nOla: Neste.\n")
    assert pairs(result) == [(speaker, text), ("Ola", "Neste.")]


@pytest.mark.parametrize(
    "line",
    [
        "Det jeg mener er: vi må ha mer tid.",
        "Hun sa: «nå holder det».",
        "Kari sa: det går fint.",
        "Vi prøvde: det gikk ikke.",
        "Dato: 14.02.2024",
        "Tema 2: Bakgrunn",
        "Kl. 10:30 begynte vi.",
        "Se https://example.org for mer.",
        "Dette er en veldig lang innledning som slutter med kolon: tekst",
        "Den Gang Da Vi Startet Opp: tekst",
        "[ler] ja",
        "[Latter] ja",
        "[Navn] sa at det var greit.",
        "[uhørbart] noe",
        "(latter) ja",
        "– Ja: helt sikkert.",
        "ja: helt sikkert.",
        "3: tre",
    ],
)
def test_ordinary_lines_are_not_speakers(tmp_path: Path, line: str):
    result = parse_text(tmp_path, f"Moderator: Start.\n{line}\n")
    assert pairs(result) == [("Moderator", f"Start.\n{line}")]


@pytest.mark.parametrize(
    ("line", "speaker", "start_ms", "text"),
    [
        ("[00:12:34] Kari: Ja.", "Kari", 754_000, "Ja."),
        ("[12:34] Kari: Ja.", "Kari", 754_000, "Ja."),
        ("(00:12) M: Ja.", "M", 12_000, "Ja."),
        ("(01:02:03) M: Ja.", "M", 3_723_000, "Ja."),
        ("#00:01:02-3# I: Ja.", "I", 62_300, "Ja."),
        ("[00:00:01.250] I: Ja.", "I", 1_250, "Ja."),
        ("00:10:00 Kari: Ja.", "Kari", 600_000, "Ja."),
        ("Kari: [00:00:09] Ja.", "Kari", 9_000, "Ja."),
        ("S01: [01:00:00] Ja.", "S01", 3_600_000, "Ja."),
        ("[00:00:09] [Kari] Ja.", "Kari", 9_000, "Ja."),
    ],
)
def test_timestamps_at_turn_start_become_start_ms(
    tmp_path: Path, line: str, speaker: str, start_ms: int, text: str
):
    result = parse_text(tmp_path, line + "\n")
    assert result.turns == [ParsedTurn(speaker, text, start_ms)]


def test_timestamps_inside_a_turn_stay_verbatim(tmp_path: Path):
    content = "Kari: Først [00:00:05] så.\n[00:00:09] Neste linje.\n(00:12) igjen #00:00:13-0# ferdig.\n"
    result = parse_text(tmp_path, content)
    assert result.turns == [
        ParsedTurn(
            "Kari",
            "Først [00:00:05] så.\n[00:00:09] Neste linje.\n(00:12) igjen #00:00:13-0# ferdig.",
        )
    ]


def test_lone_timestamp_line_starts_next_turn(tmp_path: Path):
    content = "[00:01:00]\nKari: Ja.\n\nOla: Nei.\n[00:02:00]\nmer fra Ola.\n"
    result = parse_text(tmp_path, content)
    assert result.turns == [
        ParsedTurn("Kari", "Ja.", 60_000),
        ParsedTurn("Ola", "Nei.\n[00:02:00]\nmer fra Ola."),
    ]


def test_f4_trailing_timestamp_is_end_time(tmp_path: Path):
    result = parse_file(FIXTURES / "maxqda_f4.txt")
    assert result.turns == [
        ParsedTurn("I", "Kan du fortelle om bakgrunnen for den nye arbeidsmåten?", None, 4200),
        ParsedTurn("B1", "Det startet med et prosjekt i kommunen.", None, 15_700),
        ParsedTurn("I", "Og hvordan ble det tatt imot?", 16_000, None),
    ]


@pytest.mark.parametrize(
    ("value", "ms"),
    [
        ("00:00:00", 0),
        ("01:02:03", 3_723_000),
        ("12:34", 754_000),
        ("120:00", 7_200_000),
        ("00:01:02-3", 62_300),
        ("00:01:02.45", 62_450),
        ("00:01:02,125", 62_125),
        ("00:61:00", None),
        ("00:00:60", None),
        ("ab:cd", None),
    ],
)
def test_clock_to_ms(value: str, ms: int | None):
    assert clock_to_ms(value) == ms


def test_continuation_and_blank_lines_within_a_turn(tmp_path: Path):
    content = "Kari: Første linje.   \n   Andre linje.\n\n\nTredje avsnitt.\nOla: Ja.\n"
    result = parse_text(tmp_path, content)
    assert pairs(result) == [
        ("Kari", "Første linje.\nAndre linje.\nTredje avsnitt."),
        ("Ola", "Ja."),
    ]


def test_text_before_first_speaker_is_kept(tmp_path: Path):
    content = "Intervju med ledergruppen\n\nOpptak 2, del 1\n\nModerator: Velkommen.\n"
    result = parse_text(tmp_path, content)
    assert pairs(result) == [
        (None, "Intervju med ledergruppen"),
        (None, "Opptak 2, del 1"),
        ("Moderator", "Velkommen."),
    ]
    assert result.warnings == []


def test_label_alone_on_its_line_takes_the_following_text(tmp_path: Path):
    result = parse_text(tmp_path, "Moderator:\nVelkommen.\nI3:\nTakk.\n")
    assert pairs(result) == [("Moderator", "Velkommen."), ("I3", "Takk.")]


def test_label_without_text_gives_no_empty_turn(tmp_path: Path):
    result = parse_text(tmp_path, "Moderator:\nI3: Takk.\n")
    assert pairs(result) == [("I3", "Takk.")]


def test_no_speakers_gives_unattributed_paragraphs_and_a_warning():
    result = parse_file(FIXTURES / "uten_talere.txt")
    assert pairs(result) == [
        (None, "Dette er et notat fra fokusgruppen uten talermarkører.\nDet fortsetter på neste linje."),
        (None, "Andre avsnitt handler om håp og tilknytning."),
    ]
    assert len(result.warnings) == 1
    assert "uten_talere.txt" in result.warnings[0] and "2 avsnitt" in result.warnings[0]


def test_without_blank_lines_every_line_is_a_paragraph(tmp_path: Path):
    result = parse_text(tmp_path, "Første avsnitt.\r\nAndre avsnitt.\r\nTredje avsnitt.\r\n")
    assert pairs(result) == [
        (None, "Første avsnitt."),
        (None, "Andre avsnitt."),
        (None, "Tredje avsnitt."),
    ]


def test_line_endings_lf_crlf_cr_give_the_same_turns(tmp_path: Path):
    lines = ["Tittel", "", "Moderator: Hei på dere.", "Fortsatt moderator.", "", "I3: Hei."]
    results = [
        parse_text(tmp_path, sep.join(lines) + sep, name=f"{n}.txt")
        for n, sep in enumerate(("\n", "\r\n", "\r"))
    ]
    assert results[0].turns == results[1].turns == results[2].turns
    assert pairs(results[0]) == [
        (None, "Tittel"),
        ("Moderator", "Hei på dere.\nFortsatt moderator."),
        ("I3", "Hei."),
    ]


def test_utf8_bom_is_removed_and_recorded(tmp_path: Path):
    result = parse_text(tmp_path, b"\xef\xbb\xbfModerator: Bl\xc3\xa5tt.\n")
    assert result.encoding == "utf-8-sig"
    assert result.turns == [ParsedTurn("Moderator", "Blått.")]


def test_utf16_with_bom(tmp_path: Path):
    result = parse_text(tmp_path, "Moderator: Blått – ja.\r\n".encode("utf-16"))
    assert result.encoding == "utf-16"
    assert result.turns == [ParsedTurn("Moderator", "Blått – ja.")]


def test_cp1252_en_dash_survives_and_is_not_read_as_latin1():
    result = parse_file(FIXTURES / "windows1252.txt")
    assert result.encoding == "cp1252"
    assert result.turns[0] == ParsedTurn("Moderator", "Hva betyr «forbedring» for dere – egentlig?")
    assert "\x96" not in result.turns[0].text
    assert result.turns[1] == ParsedTurn("Informant 2", "At brukeren får håp; æ, ø og å.")
    assert any("Windows-1252" in w for w in result.warnings)


def test_nfd_input_gives_the_same_turns_as_nfc(tmp_path: Path):
    text = (
        "Fokusgruppe på Østlandet\n\nÅse Ødegård: Blåbær og håp – æ, ø, å.\n"
        "Og så: vi må få tid.\n\nInformant 2 (vernepleier): Ja, så absolutt.\n"
    )
    nfc = parse_text(tmp_path, unicodedata.normalize("NFC", text), name="nfc.txt")
    nfd = parse_text(tmp_path, unicodedata.normalize("NFD", text), name="nfd.txt")
    assert unicodedata.normalize("NFD", text) != unicodedata.normalize("NFC", text)
    assert nfd.turns == nfc.turns
    assert nfc.speakers == ["Åse Ødegård", "Informant 2 (vernepleier)"]


def test_txt_holding_webvtt_is_read_as_subtitles(tmp_path: Path):
    content = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Kari>Hei.\n"
    result = parse_text(tmp_path, content)
    assert result.source_format == "vtt"
    assert result.turns == [ParsedTurn("Kari", "Hei.", 1000, 2000)]


# ---------------------------------------------------------------------------------------------
# Bad input


def expect_error(path: Path, key: str) -> UserError:
    with pytest.raises(UserError) as info:
        parse_file(path)
    assert info.value.key == key
    message = str(info.value)
    assert message and message != key, "message missing from the catalogue"
    return info.value


def test_missing_file(tmp_path: Path):
    error = expect_error(tmp_path / "finnes_ikke.txt", "import.error.file_not_found")
    assert "finnes_ikke.txt" in str(error)


def test_directory_is_not_a_file(tmp_path: Path):
    folder = tmp_path / "mappe.txt"
    folder.mkdir()
    expect_error(folder, "import.error.not_a_file")


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("notat.xyz", "import.error.unsupported_format"),
        ("intervju.doc", "import.error.unsupported_word"),
        ("intervju.rtf", "import.error.unsupported_word"),
        ("intervju.pdf", "import.error.unsupported_pdf"),
        ("intervju", "import.error.no_suffix"),
    ],
)
def test_unsupported_extension(tmp_path: Path, name: str, key: str):
    error = expect_error(write(tmp_path, name, "Moderator: Hei."), key)
    if key == "import.error.unsupported_format":
        assert ".docx" in str(error) and ".xyz" in str(error)


def test_empty_file():
    expect_error(FIXTURES / "tom.txt", "import.error.empty_file")


@pytest.mark.parametrize("name", ["blank.txt", "blank.vtt", "blank.html"])
def test_whitespace_only_file_has_no_text(tmp_path: Path, name: str):
    key = "import.error.no_cues" if name.endswith(".vtt") else "import.error.no_text"
    expect_error(write(tmp_path, name, " \r\n\t\n  \n"), key)


def test_undecodable_bytes():
    error = expect_error(FIXTURES / "ugyldig.txt", "import.error.undecodable")
    assert "0x81" in str(error)


def test_binary_file_with_txt_extension(tmp_path: Path):
    expect_error(write(tmp_path, "x.txt", b"\xd0\xcf\x11\xe0\x00\x00\x00binary"), "import.error.binary_file")


def test_error_messages_exist_in_english_too(tmp_path: Path):
    with pytest.raises(UserError) as info:
        parse_file(tmp_path / "finnes_ikke.txt")
    english = info.value.message("en")
    assert "Cannot find" in english and "finnes_ikke.txt" in english
    assert english != info.value.message("nb")


def test_every_import_key_used_in_code_is_in_both_catalogues():
    used: set[str] = set()
    for path in PACKAGE.glob("*.py"):
        used |= set(re.findall(r"\"(import\.(?:error|warning)\.[a-z0-9_]+)\"", path.read_text()))
    assert len(used) > 20
    for lang in ("nb", "en"):
        missing = used - set(catalogue(lang))
        assert not missing, f"{lang}: {sorted(missing)}"
    nb = {k for k in catalogue("nb") if k.startswith("import.")}
    en = {k for k in catalogue("en") if k.startswith("import.")}
    assert nb == en


def test_supported_suffixes_are_dispatched():
    assert set(SUPPORTED_SUFFIXES) == {".txt", ".docx", ".odt", ".vtt", ".srt", ".html", ".htm", ".json"}


# ---------------------------------------------------------------------------------------------
# Subtitles


def test_vtt_fixture():
    result = parse_file(FIXTURES / "fokusgruppe.vtt")
    assert result.source_format == "vtt"
    assert_clean(result)
    assert result.turns == [
        ParsedTurn("Moderator", "Velkommen, alle sammen. Vi starter med en runde.", 1000, 6250),
        ParsedTurn("Kari Ø.", "Jeg er sykepleier, og leder & mentor.", 6500, 62_125),
        ParsedTurn("Taler 3", "Jeg er vernepleier. Og det er det.", 63_000, 3_602_000),
    ]
    joined = " ".join(t.text for t in result.turns)
    assert "NOTE" not in joined and "Transkribert" not in joined and "cue" not in joined
    assert result.warnings == []


def test_srt_fixture_with_crlf_and_markup():
    result = parse_file(FIXTURES / "fokusgruppe.srt")
    assert result.source_format == "srt"
    assert result.turns == [
        ParsedTurn("Speaker 1", "Velkommen til fokusgruppen. Vi starter nå.", 1000, 6000),
        ParsedTurn("Speaker 2", "Jeg er sykepleier.", 6500, 9000),
    ]


def test_vtt_several_voices_in_one_cue(tmp_path: Path):
    content = (
        "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v Kari>Hei.</v>\n<v Ola>Hallo.</v>\n\n"
        "00:00:03.000 --> 00:00:04.000\n<v Ola>Hvordan går det?\n"
    )
    result = parse_text(tmp_path, content, name="x.vtt")
    assert result.turns == [
        ParsedTurn("Kari", "Hei.", 1000, 3000),
        ParsedTurn("Ola", "Hallo. Hvordan går det?", 1000, 4000),
    ]


def test_subtitles_without_speakers_become_paragraphs_with_warning(tmp_path: Path):
    content = (
        "1\n00:00:00,000 --> 00:00:02,000\nVelkommen hit.\n\n"
        "2\n00:00:02,100 --> 00:00:04,000\nVi starter nå.\n\n"
        "3\n00:00:09,000 --> 00:00:10,000\nNytt tema.\n"
    )
    result = parse_text(tmp_path, content, name="x.srt")
    assert result.turns == [
        ParsedTurn(None, "Velkommen hit. Vi starter nå.", 0, 4000),
        ParsedTurn(None, "Nytt tema.", 9000, 10_000),
    ]
    assert len(result.warnings) == 1 and "WhisperX" in result.warnings[0]


def test_subtitle_file_without_cues(tmp_path: Path):
    expect_error(write(tmp_path, "x.srt", "Bare vanlig tekst.\n\nOg mer.\n"), "import.error.no_cues")


def test_subtitle_block_without_time_is_kept_with_warning(tmp_path: Path):
    content = "WEBVTT\n\n00:00:01.000 --> 00:00:02.000\n<v Kari>Hei.\n\nløs tekst uten tid\n"
    result = parse_text(tmp_path, content, name="x.vtt")
    assert result.turns == [ParsedTurn("Kari", "Hei. løs tekst uten tid", 1000, 2000)]
    assert any("1" in w and "x.vtt" in w for w in result.warnings)


# ---------------------------------------------------------------------------------------------
# noScribe


def test_noscribe_txt_fixture():
    result = parse_file(FIXTURES / "noscribe_fg2.txt")
    assert result.source_format == "noscribe_txt"
    assert_clean(result)
    assert result.turns[0] == ParsedTurn(None, "fg2_miljoterapeuter")
    assert result.turns[1].speaker is None and "noScribe" in result.turns[1].text
    assert result.turns[2:] == [
        ParsedTurn("S01", "Velkommen til fokusgruppen. (..) Vi tar en presentasjonsrunde.", 0),
        ParsedTurn(
            "S02",
            "Jeg er miljøterapeut, //S03: ja// og har jobbet her i to år. [00:00:41] "
            "(12 sekunder pause) Det har endret seg mye.",
            9000,
        ),
        ParsedTurn("S03", "Jeg er vernepleier. (kremt)", 62_000),
    ]


def test_noscribe_html_fixture():
    result = parse_file(FIXTURES / "noscribe_fg2.html")
    assert result.source_format == "noscribe_html"
    assert_clean(result)
    assert result.turns[0] == ParsedTurn(None, "fg2_miljoterapeuter")
    assert result.turns[1].speaker is None
    assert result.turns[1].text.startswith("Transcribed with noScribe vers. 0.6.2\nAudio source:")
    assert result.turns[2:] == [
        ParsedTurn("S01", "Velkommen til fokusgruppen. (..) Vi tar en presentasjonsrunde.", 0, 8700),
        ParsedTurn("S02", "Jeg er miljøterapeut, //S03: ja// og har jobbet her i to år.", 9120, 40_100),
        ParsedTurn("S03", "Jeg er vernepleier & ko-moderator. (kremt)", 62_000, 64_500),
    ]
    assert "p { margin" not in " ".join(t.text for t in result.turns)


def test_noscribe_html_without_speaker_detection_is_split_at_pauses(tmp_path: Path):
    html = (
        "<html><body><p>Tittel</p><p>"
        '<a name="ts_0_2000_"><span>[00:00:00]</span> Velkommen hit.</a>'
        '<a name="ts_2100_4000_"> Vi starter nå.</a>'
        '<a name="ts_9000_11000_"> [00:00:09] Nytt tema.</a>'
        "</p></body></html>"
    )
    result = parse_text(tmp_path, html, name="x.html")
    assert result.source_format == "noscribe_html"
    assert result.turns == [
        ParsedTurn(None, "Tittel"),
        ParsedTurn(None, "Velkommen hit. Vi starter nå.", 0, 4000),
        ParsedTurn(None, "Nytt tema.", 9000, 11_000),
    ]
    assert len(result.warnings) == 1


def test_generic_html_uses_paragraph_rules(tmp_path: Path):
    html = (
        "<?xml version='1.0' encoding='utf-8'?><html><head><title>x</title>"
        "<script>var a = 'Moderator: nei';</script></head><body>"
        "<h1>Fokusgruppe</h1><p>Moderator: Hei<br>alle.</p><p>Fortsatt moderator.</p>"
        "<!-- kommentar --><ul><li>I3: Ja.</li></ul>ekstra tekst</body></html>"
    )
    result = parse_text(tmp_path, html, name="x.htm")
    assert result.source_format == "html"
    assert pairs(result) == [
        (None, "Fokusgruppe"),
        ("Moderator", "Hei\nalle.\nFortsatt moderator."),
        ("I3", "Ja.\nekstra tekst"),
    ]


# ---------------------------------------------------------------------------------------------
# Whisper / WhisperX


def test_whisper_json_fixture():
    result = parse_file(FIXTURES / "whisper.json")
    assert result.source_format == "whisper_json"
    assert result.turns == [
        ParsedTurn(None, "Velkommen til fokusgruppen. Vi starter nå.", 0, 4000),
        ParsedTurn(None, "Neste tema er håp.", 9500, 11_250),
    ]
    assert len(result.warnings) == 1


def test_whisperx_json_fixture():
    result = parse_file(FIXTURES / "whisperx.json")
    assert result.source_format == "whisperx_json"
    assert result.turns == [
        ParsedTurn("SPEAKER_00", "Velkommen til fokusgruppen. Vi starter nå.", 31, 4000),
        ParsedTurn("SPEAKER_01", "Jeg er sykepleier.", 4200, 7900),
        ParsedTurn("SPEAKER_00", "Ja.", 8000, 9000),
    ]
    assert result.warnings == []


def test_whisper_long_monologue_is_split_into_paragraphs(tmp_path: Path):
    sentence = "Dette er en setning om håp og relasjoner i hverdagen med brukerne."
    segments = [
        {"start": i * 3.0, "end": i * 3.0 + 2.9, "text": " " + sentence} for i in range(60)
    ]
    result = parse_text(tmp_path, json.dumps({"segments": segments}), name="x.json")
    assert 2 <= len(result.turns) <= 10
    assert " ".join(t.text for t in result.turns) == " ".join([sentence] * 60)
    assert all(t.speaker is None for t in result.turns)


def test_whisper_bare_segment_list(tmp_path: Path):
    content = json.dumps([{"start": 1, "end": 2, "text": "Hei", "speaker": "SPEAKER_01"}])
    result = parse_text(tmp_path, content, name="x.json")
    assert result.turns == [ParsedTurn("SPEAKER_01", "Hei", 1000, 2000)]


def test_truncated_json():
    error = expect_error(FIXTURES / "avkuttet.json", "import.error.json_invalid")
    assert "linje 2" in str(error)


def test_json_of_the_wrong_shape():
    expect_error(FIXTURES / "feil_form.json", "import.error.json_not_transcript")


@pytest.mark.parametrize(
    ("document", "key"),
    [
        ("42", "import.error.json_not_transcript"),
        ('{"segments": {"text": "x"}}', "import.error.json_not_transcript"),
        ('{"segments": ["bare tekst"]}', "import.error.json_segment_not_object"),
        ('{"segments": [{"start": 0, "end": 1}]}', "import.error.json_bad_segment"),
        ('{"segments": [{"start": "null", "end": 1, "text": "x"}]}', "import.error.json_bad_segment"),
        ('{"segments": [{"start": -1, "end": 1, "text": "x"}]}', "import.error.json_bad_segment"),
        ('{"segments": [{"text": "x", "speaker": ["A"]}]}', "import.error.json_bad_segment"),
        ('{"segments": [], "text": ""}', "import.error.no_text"),
    ],
)
def test_json_bad_shapes(tmp_path: Path, document: str, key: str):
    expect_error(write(tmp_path, "x.json", document), key)


# ---------------------------------------------------------------------------------------------
# Progress and architecture


def test_progress_is_reported_for_big_inputs(tmp_path: Path):
    lines = [f"Informant {i % 7 + 1}: Dette er replikk nummer {i}." for i in range(30_000)]
    calls: list[tuple[int, int]] = []
    result = parse_file(write(tmp_path, "stor.txt", "\n".join(lines)), progress=lambda d, t: calls.append((d, t)))
    assert len(result.turns) == 30_000
    assert len(calls) >= 3
    assert calls[-1] == (30_000, 30_000)
    assert [d for d, _ in calls] == sorted(d for d, _ in calls)
    assert all(t == 30_000 for _, t in calls)


def test_importers_do_not_import_storage_or_ui():
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from workbench.formats.transcripts import parse_file\n"
        f"parse_file(Path({str(FIXTURES / 'fokusgruppe_ledere.txt')!r}))\n"
        "import workbench.formats.transcripts.docx, workbench.formats.transcripts.odt, workbench.formats.transcripts.noscribe\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'textual', 'sqlalchemy'}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_split_marker_leaves_plain_lines_alone():
    line = "Dette er bare tekst, uten kolon."
    assert split_marker(line) == (None, None, line)


def test_whisper_style_short_lines_without_speakers_are_grouped(tmp_path: Path):
    sentence_lines = [f"dette er linje nummer {i} om håp" for i in range(60)]
    sentence_lines[29] += "."
    result = parse_text(tmp_path, "\n".join(sentence_lines) + "\n")
    assert [t.text for t in result.turns] == [
        "\n".join(sentence_lines[:30]),
        "\n".join(sentence_lines[30:]),
    ]
    assert all(t.speaker is None for t in result.turns)


def test_whitespace_inside_a_label_is_collapsed(tmp_path: Path):
    result = parse_text(tmp_path, "Kari\u00a0 Ø.: Hei.\nKari Ø.: Igjen.\n")
    assert result.speakers == ["Kari Ø."]


def test_vtt_cue_glued_to_the_header_is_read(tmp_path: Path):
    content = "WEBVTT\n00:00:01.000 --> 00:00:02.000\n<v Kari>Hei.\n"
    result = parse_text(tmp_path, content, name="x.vtt")
    assert result.turns == [ParsedTurn("Kari", "Hei.", 1000, 2000)]
