"""CI runs the test command that README.md gives, character for character."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def readme_test_command() -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("Run the tests"):]
    block = re.search(r"```sh\n(.*?)\n```", section, re.S)
    assert block, "no shell block after 'Run the tests' in README.md"
    (command,) = block.group(1).strip().splitlines()
    return command


def test_ci_runs_the_readme_test_command_verbatim():
    command = readme_test_command()
    assert "python -m pytest" in command
    lines = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert command in lines
