"""The domain is values and rules: no module in workbench/domain reads or writes a file.

File forms live in workbench/formats (codebook YAML, speaker sheets, transcripts, REFI-QDA);
this test fails when a domain module imports a file, parsing or database library again, or
opens a file itself."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import workbench.domain

DOMAIN = Path(workbench.domain.__file__).parent
ALLOWED = {
    "__future__", "bisect", "collections", "dataclasses", "enum", "functools", "re", "typing",
    "unicodedata", "uuid", "workbench",
    "difflib",  # comparing two texts (text_diff.py): computation only, no files
    "secrets", "time",  # the clock and random bits of a new guid (model.py)
}
FILE_CALLS = {"open", "read_bytes", "read_text", "write_bytes", "write_text"}


def modules() -> list[Path]:
    found = sorted(DOMAIN.glob("*.py"))
    assert {p.name for p in found} >= {"codebook.py", "speakers.py", "model.py"}
    return found


@pytest.mark.parametrize("path", modules(), ids=lambda p: p.name)
def test_domain_module_reads_no_files(path: Path) -> None:
    tree = ast.parse(path.read_text("utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            imported.add((node.module or "").split(".")[0])
        elif isinstance(node, ast.ImportFrom):
            imported.add("workbench")  # a relative import stays inside the domain
    assert imported <= ALLOWED, imported - ALLOWED
    calls = {
        node.func.id if isinstance(node.func, ast.Name) else node.func.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name | ast.Attribute)
    }
    assert not calls & FILE_CALLS, calls & FILE_CALLS
    workbench_imports = {
        node.module for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.level == 0
        and (node.module or "").startswith("workbench")
    }
    assert all(m.startswith("workbench.domain") for m in workbench_imports), workbench_imports
