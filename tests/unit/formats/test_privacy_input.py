"""Bad input gives a clear message: YAML nested 100 000 deep, a huge text file, an SRT cue
that ends before it starts."""

from __future__ import annotations

import time

import pytest

from workbench.formats.codebook_yaml import load_codebook
from workbench.formats.speaker_sheet import parse_speaker_sheet
from workbench.i18n import UserError

DEEP = "name: x\ncodes: " + "[" * 100_000 + "]" * 100_000 + "\n"


def test_deeply_nested_codebook_yaml_names_the_file(tmp_path):
    path = tmp_path / "dyp.yaml"
    path.write_text(DEEP, encoding="utf-8")
    started = time.monotonic()
    with pytest.raises(UserError) as info:
        load_codebook(path)
    assert info.value.key == "codebook.error.too_deep"
    assert "dyp.yaml" in info.value.message()
    assert time.monotonic() - started < 30


def test_deeply_nested_block_yaml_too(tmp_path):
    path = tmp_path / "dyp2.yaml"
    path.write_text("name: x\ncodes:\n" + "".join("  " * 0 + "- " for _ in range(100_000)) + "a\n",
                    encoding="utf-8")
    with pytest.raises(UserError) as info:
        load_codebook(path)
    assert info.value.key == "codebook.error.too_deep"
    assert "RecursionError" not in info.value.message()


def test_deeply_nested_speaker_sheet_yaml():
    with pytest.raises(UserError) as info:
        parse_speaker_sheet("[" * 100_000 + "]" * 100_000, kind="yaml")
    assert info.value.key == "speakers.error.too_deep"


def test_an_srt_cue_that_ends_before_it_starts_warns_and_gets_its_start_time(tmp_path):
    from workbench.formats.transcripts import parse_file

    path = tmp_path / "feil.srt"
    path.write_text(
        "1\n00:00:05,000 --> 00:00:02,000\nKari: Først.\n\n"
        "2\n00:00:06,000 --> 00:00:08,000\nPer: Så.\n",
        encoding="utf-8",
    )
    parsed = parse_file(path)
    first, second = parsed.turns
    assert (first.start_ms, first.end_ms) == (5000, 5000)
    assert (second.start_ms, second.end_ms) == (6000, 8000)
    assert any("1 tekstblokk i" in w and "slutter før den begynner" in w and "blokk 1" in w
               for w in parsed.warnings)


def test_a_text_file_above_the_limit_is_refused_at_once(tmp_path):
    import resource

    from workbench.formats.transcripts import MAX_FILE_BYTES, parse_file

    path = tmp_path / "stor.txt"
    with path.open("wb") as fh:
        fh.truncate(MAX_FILE_BYTES + 1)  # sparse: no disk needed
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    with pytest.raises(UserError) as info:
        parse_file(path)
    assert info.value.key == "import.error.too_large"
    assert "stor.txt" in info.value.message() and "50 MB" in info.value.message()
    assert time.monotonic() - started < 2
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 20_000  # KiB
