"""Where a ``.qdpx`` keeps a source's text: every spelling of ``plainTextPath`` real writers use."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from workbench.formats.archive import SafeArchive
from workbench.formats.refi.layout import find_text, source_label

MEMBERS = ["project.qde", "Sources/board_2017.txt", "sources/AB-12.txt", "top.txt",
           "sources/deep/nested.txt"]


@pytest.fixture
def archive(tmp_path: Path):
    path = tmp_path / "a.qdpx"
    with zipfile.ZipFile(path, "w") as z:
        for name in MEMBERS:
            z.writestr(name, "x")
    with SafeArchive(path, path.name, not_zip="exchange.error.not_zip") as safe:
        yield safe


@pytest.mark.parametrize(("path", "member"), [
    ("internal://AB-12.txt", "sources/AB-12.txt"),
    ("INTERNAL://ab-12.TXT", "sources/AB-12.txt"),
    ("board_2017.txt", "Sources/board_2017.txt"),
    ("sources/board_2017.txt", "Sources/board_2017.txt"),
    ("SOURCES\\board_2017.txt", "Sources/board_2017.txt"),
    ("./sources/board_2017.txt", "Sources/board_2017.txt"),
    ("relative://board_2017.txt", "Sources/board_2017.txt"),
    ("internal://board%5F2017.txt", "Sources/board_2017.txt"),
    ("top.txt", "top.txt"),
    ("deep/nested.txt", "sources/deep/nested.txt"),
    ("file:///C:/Users/x/board_2017.txt", "Sources/board_2017.txt"),
    ("C:\\Users\\x\\board_2017.txt", "Sources/board_2017.txt"),
])
def test_plain_text_path_is_found_however_spelled(archive, path, member):
    assert find_text(archive, path) == member


@pytest.mark.parametrize("path", [
    None, "", "   ", "missing.txt", "../board_2017.txt", "sources/../top.txt",
    "internal://../sources/AB-12.txt", "internal://", "/",
])
def test_a_path_that_climbs_out_or_names_nothing_finds_nothing(archive, path):
    assert find_text(archive, path) is None


def test_a_source_without_a_name_is_called_after_its_file():
    assert source_label("Gruppe A", "x.txt", "g") == "Gruppe A"
    assert source_label(None, "board_2017.txt", "g") == "board_2017"
    assert source_label("  ", "internal://sources/AB-12.txt", "g") == "AB-12"
    assert source_label(None, None, "g") == "g"
