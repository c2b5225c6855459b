"""``workbench show P T | head`` and ``history | head``: a closed pipe ends quietly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import sample_parsed
from workbench.services import Workbench


@pytest.mark.parametrize("command", [["show", "fg1"], ["history"]])
def test_a_closed_pipe_is_a_quiet_exit(tmp_path, command):
    path = tmp_path / "studie.wbp"
    with Workbench.create(path) as wb:
        wb.transcripts.add_parsed(sample_parsed(), name="fg1")
        wb.codes.create("håp")
    read, write = os.pipe()
    os.close(read)  # the reader is gone before anything is written, as with `| head -0`
    proc = subprocess.run(
        [str(Path(sys.executable).with_name("workbench")), command[0], str(path), *command[1:]],
        stdout=write, stderr=subprocess.PIPE, text=True, timeout=120,
        env={**os.environ, "WORKBENCH_LANG": "nb"},
    )
    os.close(write)
    assert proc.stderr == ""
    assert proc.returncode == 0
