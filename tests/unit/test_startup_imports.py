"""Opening a project loads only what the first screen needs: the file-format libraries
(python-docx for Word) and the services that use them are imported on first use."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

LATE = ("docx", "workbench.services.exports", "workbench.services.exchange",
        "workbench.services.checklist", "workbench.services.codebooks",
        "workbench.services.theme_metrics", "workbench.formats.word.docx",
        "workbench.formats.word.figure", "workbench.formats.word.agreement_appendix")
# workbench.formats.word.attribution (string templates, no python-docx) may load early: the
# output check's single-informant warning uses it.


def test_opening_a_project_does_not_load_the_export_libraries(tmp_path: Path) -> None:
    code = (
        "import sys, json\n"
        "from workbench.services import Workbench\n"
        "Workbench.create(sys.argv[1]).close()\n"
        "wb = Workbench.open(sys.argv[1])\n"
        "wb.info()\n"
        "before = [m for m in json.loads(sys.argv[2]) if m in sys.modules]\n"
        "wb.exports\n"
        "after = 'workbench.services.exports' in sys.modules\n"
        "wb.close()\n"
        "print(json.dumps([before, after]))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "p.wbp"), json.dumps(LATE)],
        cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True, text=True,
        check=True,
    )
    before, after = json.loads(out.stdout.strip().splitlines()[-1])
    assert before == []
    assert after is True


def test_building_the_cli_parser_loads_no_database_or_ui_library() -> None:
    code = (
        "import sys, json\n"
        "from workbench.cli.parser import build_parser\n"
        "build_parser()\n"
        "print(json.dumps([m for m in ('sqlalchemy', 'workbench.services', 'textual', 'spacy',"
        " 'docx') if m in sys.modules]))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO,
                         env={**os.environ, "PYTHONPATH": str(REPO)}, capture_output=True,
                         text=True, check=True)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []


# What the first screen of ``workbench open`` does not need: the text pipeline (loaded in a
# thread after the first frame), the file-format libraries, and the services no key on the
# home screen has reached yet.
NOT_BEFORE_FIRST_FRAME = (
    "spacy", "simplemma", "lxml", "docx", "yaml", "faker", "PIL",
    "workbench.formats.refi.reader", "workbench.services.importing",
    "workbench.services.search", "workbench.services.snapshots", "workbench.services.tables",
    "workbench.services.merge", "workbench.services.agreement", *LATE,
)


def test_the_first_screen_loads_no_pipeline_format_library_or_unused_service(
    tmp_path: Path,
) -> None:
    code = (
        "import sys, json\n"
        "from workbench.services import Workbench\n"
        "Workbench.create(sys.argv[1]).close()\n"
        "wb = Workbench.open(sys.argv[1])\n"
        "from workbench.tui.app import WorkbenchApp\n"
        "app = WorkbenchApp(wb, freeze_gc=True)\n"
        "app.run(headless=True, size=(80, 24))\n"  # quits once its first frame is drawn
        "loaded = [m for m in json.loads(sys.argv[2]) if m in sys.modules]\n"
        "wb.search\n"
        "late = 'workbench.services.search' in sys.modules\n"
        "wb.close()\n"
        "print(json.dumps([loaded, late]))\n"
    )
    marker = tmp_path / "frame"
    out = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "p.wbp"), json.dumps(NOT_BEFORE_FIRST_FRAME)],
        cwd=REPO, capture_output=True, text=True, check=True, timeout=120,
        env={**os.environ, "PYTHONPATH": str(REPO), "WORKBENCH_FIRST_FRAME_FILE": str(marker)},
    )
    assert marker.exists()  # the app drew its first screen
    loaded, late = json.loads(out.stdout.strip().splitlines()[-1])
    assert loaded == []
    assert late is True
