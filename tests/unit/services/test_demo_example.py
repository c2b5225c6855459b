"""The worked example on the demo project: every screen has something to show."""

from __future__ import annotations

from pathlib import Path

from workbench.services import demo_example
from workbench.services.demo import build_demo
from workbench.services import Workbench
from workbench.services.themes import walk


# SQLite only: build_demo writes the demo's .wbp file (and it is the slowest build).
def test_worked_example_populates_the_theme_work(tmp_path: Path, monkeypatch):
    results = []
    original = demo_example.add_worked_example
    monkeypatch.setattr(
        "workbench.services.demo.add_worked_example", lambda wb: results.append(original(wb))
    )
    path = build_demo(tmp_path / "demo.wbp")  # the demo includes the worked example
    (result,) = results
    with Workbench.open(path) as wb:
        assert result.skipped == []  # every phrase was found in the stored text
        assert result.codings >= 50
        tree = wb.themes.tree()
        names = [th.name for th in tree]
        assert names[:4] == [
            "En arbeidsmåte som hviler på noen få", "Tiden som ramme for medvirkning",
            "Å bli spurt: medvirkning i det små", "Hvem bestemmer hva som er forbedring?",
        ]
        assert tree[-1].is_misc and tree[-1].name == "Diverse"
        assert sum(1 for _th, depth in walk(tree) if depth == 1) == 5
        stats = wb.metrics.stats()
        assert all(stats[th.id].groups == 2 for th in tree)  # both groups coded
        assert sum(stats[th.id].quotes for th in tree) >= 5
        assert wb.phases.current() == 4
        assert any(h.to_phase < h.from_phase and h.reason for h in wb.phases.history())
        diff = wb.snapshots.diff("Før veiledermøtet")
        assert [m.name for m in diff.merged] == ["Økonomien"]
        assert len(diff.renamed) == 2 and len(diff.moved) == 1
        open_comments = wb.review.comments(status="open")
        assert {c.author for c in open_comments} == {"Veileder (demo)"}
        assert len(wb.journal.list()) == 4
        assert not wb.metrics.mirror_check().warn
        for summary in wb.info().transcripts[:2]:
            assert summary.coded_share > 0
