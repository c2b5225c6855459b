"""``workbench export P map``: the thematic map as a PNG or SVG figure on its own."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PIL import Image

from tests.cli.test_cli_export import project  # noqa: F401 - the fixture
from tests.conftest import CliRunner
from tests.unit.formats.test_export_word import MAIN_1, SUB_1A


def test_map_as_png_by_default_and_the_path_is_printed(cli: CliRunner, project: Path,  # noqa: F811
                                                       tmp_path: Path):
    out = cli("export", str(project), "map")
    assert out.returncode == 0, out.stderr
    target = (tmp_path / "exports" / "studie-map.png").resolve()
    assert out.stdout.strip() == f"Skrev {target}."
    with Image.open(target) as image:
        assert image.format == "PNG" and image.width > 1000


def test_map_as_svg(cli: CliRunner, project: Path, tmp_path: Path):  # noqa: F811
    target = tmp_path / "kart.svg"
    out = cli("export", str(project), "map", "-o", str(target))
    assert out.returncode == 0, out.stderr
    root = ET.parse(target).getroot()
    text = " ".join(e.text or "" for e in root.iter("{http://www.w3.org/2000/svg}text"))
    assert MAIN_1.split()[0] in text and SUB_1A.split()[0] in text
    assert root.find("{http://www.w3.org/2000/svg}title").text == "Figur 1. Tematisk kart"


@pytest.mark.parametrize("name", ["kart.pdf", "kart.docx"])
def test_map_refuses_other_formats(cli: CliRunner, project: Path, tmp_path: Path, name: str):  # noqa: F811
    out = cli("export", str(project), "map", "-o", str(tmp_path / name))
    assert out.returncode != 0
    assert ".png eller .svg" in out.stderr
    assert not (tmp_path / name).exists()


def test_map_preview(cli: CliRunner, project: Path):  # noqa: F811
    out = cli("export", str(project), "map", "--preview")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == "Figur 1. Tematisk kart"
    assert f"■ {MAIN_1}" in lines and f"    └ {SUB_1A}" in lines
