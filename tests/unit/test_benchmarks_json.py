"""The benchmark script's ``--json`` output: its shape and sanity, not its speed (a benchmark
is not a timed test). One small run in a subprocess, shared by the tests of this module."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.__main__ import FIGURES, RATES, figure
from benchmarks.corpus import transcript_text, word_types

REPO = Path(__file__).resolve().parents[2]
NO_FLOOR = {"search_p95_ms", "search_first_ms", "peak_rss_mb"}


@pytest.fixture(scope="module")
def small_run(tmp_path_factory: pytest.TempPathFactory) -> dict:
    out = tmp_path_factory.mktemp("bench") / "small.json"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("WORKBENCH_TEST_PG_URL", None)
    proc = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--size", "small", "--no-team", "--json", str(out)],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert "import_words_per_s" in proc.stdout  # the printed table
    return json.loads(out.read_text(encoding="utf-8"))


def test_every_figure_is_there_under_its_name(small_run: dict) -> None:
    assert set(small_run) == set(FIGURES) | {"meta"}
    assert set(FIGURES) == {
        "import_words_per_s", "transcript_switch_ms", "transcript_first_open_ms",
        "apply_code_key_cpu_ms", "fresh_open_s", "search_p95_ms", "search_first_ms",
        "report_export_s", "project_mb_per_transcript", "peak_rss_mb",
    }


def test_each_figure_has_value_floor_ratio_unit(small_run: dict) -> None:
    for name, unit in FIGURES.items():
        fig = small_run[name]
        assert set(fig) == {"value", "floor", "ratio", "unit"}, name
        assert fig["unit"] == unit
        assert isinstance(fig["value"], float) and fig["value"] > 0, name
        if name in NO_FLOOR:
            assert fig["floor"] is None and fig["ratio"] is None, name
            continue
        assert isinstance(fig["floor"], float) and fig["floor"] > 0, name
        expected = (fig["floor"] / fig["value"] if name in RATES
                    else fig["value"] / fig["floor"])
        assert math.isclose(fig["ratio"], expected), name


def test_the_figures_are_sane(small_run: dict) -> None:
    meta = small_run["meta"]
    assert meta["size"] == "small" and meta["transcripts"] == 3
    assert meta["codings"] == 150 and meta["quotes"] == 50
    assert meta["words"] >= 6000
    # a whole process: at least interpreter start, at most (generously) ten minutes
    assert 0.05 < small_run["fresh_open_s"]["value"] < 600
    assert 0.01 < small_run["fresh_open_s"]["floor"] < 600
    assert small_run["import_words_per_s"]["value"] * meta["import_s"] == pytest.approx(
        meta["words"], rel=1e-6)
    assert small_run["peak_rss_mb"]["value"] > 20  # Python with spaCy loaded, at least
    assert 0 < small_run["project_mb_per_transcript"]["value"] < 100
    assert meta["search"]["hits"]["bruker"] > 0


def test_ratio_is_what_we_cost_against_the_floor() -> None:
    assert figure("import_words_per_s", 100.0, 200.0)["ratio"] == 2.0  # half the floor's rate
    assert figure("transcript_switch_ms", 300.0, 100.0)["ratio"] == 3.0
    assert figure("peak_rss_mb", 300.0, None) == {
        "value": 300.0, "floor": None, "ratio": None, "unit": "MB"}


def test_a_full_size_transcript_has_a_realistic_vocabulary() -> None:
    text = transcript_text(1, 15_000)
    assert len(text.split()) >= 15_000
    assert word_types(text) >= 2_000
