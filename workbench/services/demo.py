"""The demo project: the fictional transcripts in transcripts/ and codebooks in codebooks/."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from workbench.formats.speaker_sheet import load_speaker_sheet
from workbench.i18n import UserError, t
from workbench.services.demo_example import add_worked_example
from workbench.services import Workbench

REPO_ROOT = Path(__file__).resolve().parents[2]
TRANSCRIPTS = REPO_ROOT / "transcripts"
CODEBOOKS = REPO_ROOT / "codebooks"

DEMO_FILES = (
    ("fg1-ledere.docx", "Fokusgruppe 1 – ledere", "Ledere"),
    ("fg2-miljoterapeuter.txt", "Fokusgruppe 2 – miljøterapeuter", "Miljøterapeuter"),
    ("fg3-oppfolging.vtt", "Oppfølgingssamtale", None),
)
DEMO_CODEBOOKS = ("chime.yaml", "intervjuguide.yaml")


def build_demo(path: Path, *, progress: Callable[[str], None] | None = None) -> Path:
    """Create the demo project at ``path`` (which must not exist)."""
    note = progress or (lambda _msg: None)
    if not TRANSCRIPTS.is_dir():
        raise UserError("demo.error.no_data", path=TRANSCRIPTS)
    sheet = load_speaker_sheet(TRANSCRIPTS / "speakers.csv")
    with Workbench.create(path, title=t("demo.title")) as wb:
        for file, name, group in DEMO_FILES:
            result = wb.imports.import_file(TRANSCRIPTS / file, name=name, group=group, sheet=sheet)
            note(t("demo.imported", name=result.name, turns=result.turns, words=result.words))
        for file in DEMO_CODEBOOKS:
            result = wb.codebooks.import_file(CODEBOOKS / file)
            note(t("demo.codebook", name=result.name, n=result.codes_added))
        add_worked_example(wb)
        note(t("demo.example"))
    return path
