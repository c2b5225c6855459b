"""``workbench purge`` at the study's end: nothing of the deleted text is left in any file."""

from __future__ import annotations

import json
import re
from pathlib import Path

from workbench.services import Workbench
from workbench.services.demo import build_demo


def strings(data: bytes, least: int = 4) -> str:
    """What ``strings`` prints: runs of printable text (UTF-8 letters included)."""
    text = data.decode("utf-8", "replace")
    return "\n".join(m.group(0) for m in re.finditer(rf"[^\x00-\x08\x0e-\x1f\ufffd]{{{least},}}", text))


def phrases_of(wb: Workbench, n: int = 5) -> list[str]:
    out = []
    for summary in wb.transcripts.summaries():
        tr = wb.transcripts.get(summary.id)
        for turn in tr.turns[5:]:
            piece = tr.text[turn.start:turn.end][:30].strip()
            if len(piece) > 20 and " " in piece:
                out.append(piece)
                break
    return out[:n]


def test_purge_leaves_none_of_the_text_and_prints_a_receipt(tmp_path, cli):
    path = build_demo(tmp_path / "demo.wbp") or tmp_path / "demo.wbp"
    with Workbench.open(path) as wb:
        phrases = phrases_of(wb)
        key_names = [p["real"] for p in json.loads(
            Path(f"{path}.nokkel").read_text(encoding="utf-8"))["pairs"]]
    assert len(phrases) == 3  # one per demo transcript
    (tmp_path / f".{path.name}.docx.ab12cd34.tmp").write_bytes(phrases[0].encode())
    (tmp_path / f"{path.name}.schema2.bak").write_bytes(phrases[1].encode())
    keep = tmp_path / ".other.tmp"
    keep.write_text("not ours")
    result = cli("purge", path)
    assert result.returncode == 0, result.stderr
    assert "Slettekvittering" in result.stdout and "3 transkripsjoner slettet" in result.stdout
    assert f"{path}.nokkel" in result.stdout
    left = sorted(p.name for p in tmp_path.iterdir())
    assert left == [".other.tmp", "demo.wbp"], left
    text = strings(path.read_bytes())
    for phrase in phrases:
        assert phrase not in text and json.dumps(phrase)[1:-1] not in text, phrase
    for name in key_names:
        assert not re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text), name
    with Workbench.open(path) as wb:
        assert wb.info().transcripts == []
        assert [h.name for h in wb.history()] == ["project.purge"]
        assert wb.undo() is None


def test_purge_can_keep_the_map_and_the_published_quotes(tmp_path, cli):
    path = build_demo(tmp_path / "demo.wbp") or tmp_path / "demo.wbp"
    with Workbench.open(path) as wb:
        first = wb.codes.codings()[0]
        wb.codes.set_quote(first.id, True)
        quoted = sorted(
            wb.transcripts.get(c.transcript_id).text[c.start:c.end]
            for c in wb.codes.codings() if c.is_quote
        )
        not_quoted = [wb.transcripts.get(c.transcript_id).text[c.start:c.end]
                      for c in wb.codes.codings() if not c.is_quote]
        themes_before = len(wb.themes.tree())
        codes_before = len(wb.codes.list())
    result = cli("purge", path, "--keep-map", "--keep-published-quotes")
    assert result.returncode == 0, result.stderr
    with Workbench.open(path) as wb:
        kept = wb.codes.codings()
        assert sorted(wb.transcripts.get(c.transcript_id).text[c.start:c.end]
                      for c in kept) == quoted
        assert all(c.is_quote for c in kept)
        assert len(wb.codes.list()) == codes_before
        assert len(wb.themes.tree()) == themes_before
        assert wb.info().participants == 0
    text = strings(path.read_bytes())
    gone = [t for t in not_quoted if len(t) > 25 and not any(t in q for q in quoted)]
    assert gone
    for phrase in gone[:5]:
        assert phrase not in text, phrase
