"""``workbench merge``: a colleague's codings in, as a user runs it (merge, history, undo)."""

from __future__ import annotations

import json
from pathlib import Path

from workbench.domain.parsed import ParsedTranscript, ParsedTurn
from workbench.services import Workbench

from tests.conftest import CliRunner, sample_parsed


def _colleague(folder: Path, *, change: tuple[str, str] | None = None) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / "kari.wbp"
    parsed = sample_parsed()
    if change:
        parsed = ParsedTranscript(source_format=parsed.source_format, turns=[
            ParsedTurn(turn.speaker, turn.text.replace(*change), turn.start_ms, turn.end_ms)
            for turn in parsed.turns
        ])
    with Workbench.create(path, actor="kari") as kari:
        tr = kari.transcripts.add_parsed(parsed, name="gruppe 1")
        text = kari.transcripts.get(tr.id).text
        for phrase, name in (("opplever håp", "håp"), ("brukerne må få bestemme", "medvirkning"),
                             ("sykepleier", "yrke")):
            if phrase in text:
                start = text.index(phrase)
                kari.codes.apply(tr.id, start, start + len(phrase), name=name)
    return path


def _ours(cli: CliRunner, target: str) -> None:
    assert cli("new", target).returncode == 0
    with Workbench.open(target) as wb:
        wb.transcripts.add_parsed(sample_parsed(), name="fg1")


def test_merge_history_undo(cli: CliRunner, project_target: str, tmp_path: Path):
    _ours(cli, project_target)
    path = _colleague(tmp_path / "fra kari", change=("må få bestemme", "skal bestemme"))
    result = cli("merge", project_target, path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Slo inn 2 kodinger fra «kari.wbp» på 1 transkripsjon, kodet av kari (2)."
    assert "  fg1 (hos kollegaen: gruppe 1): teksten er ulik på 1 sted." in result.stdout
    assert ("    linje 7, ytring 4: vår tekst «må få bestemme mer.», deres «skal bestemme mer.»"
            in lines)
    history = cli("history", project_target)
    assert "Slo inn 2 utdrag fra kollegaens fil «kari.wbp», kodet av kari; nye koder: 2" in (
        history.stdout.splitlines()[0])
    again = cli("merge", project_target, path)
    assert again.stdout.startswith("Alt i «kari.wbp» er slått inn fra før (2 kodinger)")
    undo = cli("undo", project_target)
    assert undo.returncode == 0 and "Slo inn 2 utdrag" in undo.stdout
    with Workbench.open(project_target) as wb:
        assert wb.codes.codings() == [] and wb.codes.list() == []


def test_merge_json_and_english(cli: CliRunner, project_target: str, tmp_path: Path):
    _ours(cli, project_target)
    path = _colleague(tmp_path / "fra kari")
    result = cli("merge", project_target, path, "--json")
    data = json.loads(result.stdout)
    assert (data["codings_added"], data["coders"]) == (3, {"kari": 3})
    assert data["already_merged"] is False
    assert data["transcripts"][0]["changed"] is False
    result = cli("--lang", "en", "merge", project_target, path)
    assert result.stdout.startswith("Everything in “kari.wbp” was merged before (3 codings)")


def test_merge_from_a_qdpx_made_with_our_own_export(cli: CliRunner, project_target: str,
                                                    tmp_path: Path):
    _ours(cli, project_target)
    path = _colleague(tmp_path / "fra kari")
    qdpx = tmp_path / "kari.qdpx"
    assert cli("export", path, "qdpx", "-o", qdpx).returncode == 0
    result = cli("merge", project_target, qdpx, "--coders", "kari")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Slo inn 3 kodinger fra «kari.qdpx»")
    with Workbench.open(project_target) as wb:
        assert sorted(c.coder for c in wb.codes.codings()) == ["kari"] * 3


def test_merge_refusals(cli: CliRunner, project_target: str, tmp_path: Path):
    _ours(cli, project_target)
    path = _colleague(tmp_path / "fra kari")
    result = cli("merge", project_target, path, "--coders", "ola")
    assert result.returncode == 2
    assert "Filen har ingen koder som heter ola. Koderne i filen: kari." in result.stderr
    text = tmp_path / "notat.wbp"
    text.write_text("ikke et prosjekt", encoding="utf-8")
    result = cli("merge", project_target, text)
    assert result.returncode == 2 and "notat.wbp" in result.stderr
    assert "Traceback" not in result.stderr
    missing = cli("merge", project_target, tmp_path / "finnes ikke.wbp")
    assert missing.returncode == 2 and "finnes ikke.wbp" in missing.stderr
    with Workbench.open(project_target) as wb:
        assert wb.codes.codings() == [] and len(wb.history()) == 1
