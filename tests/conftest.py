from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")
os.environ.setdefault("WORKBENCH_USER", "tester")
os.environ.setdefault("WORKBENCH_LANG", "nb")

from workbench.domain.parsed import ParsedTranscript, ParsedTurn  # noqa: E402
from workbench.services import Workbench  # noqa: E402

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def _isolated_config(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch):
    """No test reads the developer's own settings or data folder."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("WORKBENCH_CONFIG", str(home / "config.toml"))
    monkeypatch.setenv("WORKBENCH_DATA", str(home / "data"))


def sample_parsed() -> ParsedTranscript:
    return ParsedTranscript(
        source_format="txt",
        turns=[
            ParsedTurn(None, "Fokusgruppe 1, notat fra møterommet."),
            ParsedTurn("Moderator", "Velkommen. Kan dere fortelle litt om dere selv?", 0, 4000),
            ParsedTurn("Leder 1", "Jeg er sykepleier og har vært leder i fem år (latter).", 4000, 9000),
            ParsedTurn("Leder 2", "Vernepleier. Jeg tenker at brukerne må få bestemme mer.", 9000, 15000),
            ParsedTurn("Moderator", "Hva betyr forbedring for dere?", 15000, 17000),
            ParsedTurn("Leder 1", "At brukeren opplever håp, og at vi har tid til relasjonen.", 17000, 24000),
        ],
    )


@pytest.fixture
def wb(tmp_path: Path):
    project = Workbench.create(tmp_path / "studie.wbp", title="Teststudie")
    yield project
    project.close()


@pytest.fixture
def wb_with_transcript(wb: Workbench):
    summary = wb.transcripts.add_parsed(sample_parsed(), name="fg1", group="Ledere")
    return wb, summary
