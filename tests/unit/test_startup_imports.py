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
