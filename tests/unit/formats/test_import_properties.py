"""Property tests: generated transcripts survive a write → parse round trip."""

from __future__ import annotations

import json
import tempfile
import unicodedata
from pathlib import Path

import docx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.formats.transcripts import parse_file
from workbench.formats.transcripts.labels import STOPWORDS

LOWER = "abcdefghijklmnoprstuvwyzæøå"
UPPER = "ABDEFGHIJKLMNOPRSTUVÆØÅ"
# Ordinary words a continuation line can start with (never a label, whatever follows).
OPENERS = ["og", "men", "altså", "jeg", "vi", "det", "så", "ja", "nei", "hun", "han", "dere"]
FIXED_LABELS = [
    "Moderator",
    "Ko-moderator",
    "Kari Ø.",
    "Åse Ødegård",
    "I3",
    "M",
    "IP",
    "S01",
    "SPEAKER_00",
    "Speaker 1",
    "Taler 2",
    "Informant 5",
    "Informant 3 (sykepleier)",
    "Leder 1",
    "Bjørn-Åge",
]

name_word = st.builds(
    lambda first, rest: first + rest,
    st.sampled_from(UPPER),
    st.text(alphabet=LOWER, min_size=2, max_size=8),
).filter(lambda w: w.casefold() not in STOPWORDS)
generated_label = st.builds(
    lambda first, second, number: " ".join(p for p in (first, second, number) if p),
    name_word,
    st.one_of(st.none(), name_word, st.sampled_from(["Ø.", "Å.", "von Æsøy"])),
    st.one_of(st.none(), st.integers(1, 99).map(str)),
)
labels = st.one_of(st.sampled_from(FIXED_LABELS), generated_label)

plain_word = st.text(alphabet=LOWER, min_size=1, max_size=10)
word = st.one_of(
    plain_word,
    st.builds(lambda w, p: w + p, plain_word, st.sampled_from([",", ".", "?", "!", ":", "::", ";"])),
    st.sampled_from(["(latter)", "[ler]", "(..)", "(pause)", "//ja//", "–", "«sitat»", "12", "3,5"]),
    st.builds(lambda first, w: first + w, st.sampled_from(UPPER), plain_word),
)
first_line = st.lists(word, min_size=1, max_size=12).map(" ".join)
continuation = st.builds(
    lambda opener, rest: " ".join([opener, *rest]),
    st.sampled_from(OPENERS),
    st.lists(word, max_size=12),
)
turn = st.tuples(labels, first_line, st.lists(continuation, max_size=3))
transcripts = st.lists(turn, min_size=1, max_size=8)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    transcripts,
    st.sampled_from(["\n", "\r\n", "\r"]),
    st.sampled_from(["NFC", "NFD"]),
    st.booleans(),
    st.booleans(),
)
def test_label_lines_parse_back_to_the_same_speakers_and_texts(
    turns: list[tuple[str, str, list[str]]],
    newline: str,
    form: str,
    blank_between: bool,
    preamble: bool,
) -> None:
    lines: list[str] = []
    if preamble:
        lines += ["Fokusgruppe 1, notat fra møterommet.", ""]
    for label, first, more in turns:
        lines.append(f"{label}: {first}")
        lines.extend(more)
        if blank_between:
            lines.append("")
    content = unicodedata.normalize(form, newline.join(lines) + newline)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "t.txt"
        path.write_bytes(content.encode("utf-8"))
        result = parse_file(path)

    expected = [(label, "\n".join([first, *more])) for label, first, more in turns]
    if preamble:
        expected.insert(0, (None, "Fokusgruppe 1, notat fra møterommet."))
    expected = [
        (None if s is None else unicodedata.normalize("NFC", s), unicodedata.normalize("NFC", t))
        for s, t in expected
    ]
    assert [(t.speaker, t.text) for t in result.turns] == expected
    assert result.warnings == []


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(transcripts, st.lists(st.booleans(), min_size=8, max_size=8))
def test_docx_paragraphs_parse_back(turns: list[tuple[str, str, list[str]]], bold: list[bool]) -> None:
    document = docx.Document()
    for i, (label, first, more) in enumerate(turns):
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}:").bold = bold[i]
        paragraph.add_run(f" {first}")
        for line in more:
            document.add_paragraph(line)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "t.docx"
        document.save(path)
        result = parse_file(path)
    assert [(t.speaker, t.text) for t in result.turns] == [
        (label, "\n".join([first, *more])) for label, first, more in turns
    ]


segment = st.tuples(
    st.sampled_from(["SPEAKER_00", "SPEAKER_01", "SPEAKER_02"]),
    st.lists(plain_word, min_size=1, max_size=8).map(" ".join),
    st.integers(0, 5000),
    st.integers(1, 5000),
)


@settings(max_examples=100, deadline=None)
@given(st.lists(segment, min_size=1, max_size=30))
def test_whisperx_merges_runs_of_one_speaker(segments: list[tuple[str, str, int, int]]) -> None:
    data, clock = [], 0
    for speaker, text, gap, length in segments:
        start, end = clock + gap, clock + gap + length
        clock = end
        data.append({"start": start / 1000, "end": end / 1000, "text": " " + text, "speaker": speaker})
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "t.json"
        path.write_text(json.dumps({"segments": data}), encoding="utf-8")
        result = parse_file(path)

    expected: list[tuple[str, list[str], int, int]] = []
    for seg in data:
        if expected and expected[-1][0] == seg["speaker"]:
            expected[-1][1].append(seg["text"].strip())
            expected[-1] = (expected[-1][0], expected[-1][1], expected[-1][2], round(seg["end"] * 1000))
        else:
            expected.append(
                (seg["speaker"], [seg["text"].strip()], round(seg["start"] * 1000), round(seg["end"] * 1000))
            )
    assert [(t.speaker, t.text, t.start_ms, t.end_ms) for t in result.turns] == [
        (s, " ".join(parts), a, b) for s, parts, a, b in expected
    ]
    assert all(a.speaker != b.speaker for a, b in zip(result.turns, result.turns[1:]))
