"""The layers hold.

- Everything outside workbench/tui imports without Textual (one interpreter imports every
  core module in turn and names the first one after which ``textual`` is loaded).
- The import-linter contracts pass and name every package and top-level module.
- The packages of workbench import each other without cycles, counting every import in the
  source (inside functions too, and ``importlib.import_module("workbench...")``), and the
  modules of workbench.cli import each other without cycles; nothing outside the CLI
  imports it.
"""

from __future__ import annotations

import ast
import functools
import json
import subprocess
import sys
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SOURCE = REPO / "workbench"


# -- the source tree -----------------------------------------------------------------------


def module_names(package_dir: Path = SOURCE) -> dict[str, Path]:
    """Every module of the package in ``package_dir`` (packages under their own name)."""
    root = package_dir.name
    names: dict[str, Path] = {}
    for path in sorted(package_dir.rglob("*.py")):
        parts = [root, *path.relative_to(package_dir).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        names[".".join(parts)] = path
    return names


def top_level_names(package_dir: Path = SOURCE) -> set[str]:
    """The packages and top-level modules directly under ``package_dir``."""
    names = {p.stem for p in package_dir.glob("*.py") if p.name != "__init__.py"}
    names |= {p.name for p in package_dir.iterdir() if (p / "__init__.py").is_file()}
    return names


def core_modules() -> list[str]:
    return sorted(m for m in module_names() if m != "workbench.tui"
                  and not m.startswith("workbench.tui."))


# -- textual stays in the TUI --------------------------------------------------------------

_IMPORT_ONE_BY_ONE = """
import importlib, json, sys
names = json.loads(sys.argv[1])
for done, name in enumerate(names, 1):
    importlib.import_module(name)
    loaded = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual."))
    if loaded:
        print(json.dumps({"first": name, "textual": loaded[:5], "imported": done}))
        break
else:
    print(json.dumps({"first": None, "textual": [], "imported": len(names)}))
"""


def test_there_are_core_modules_to_check():
    mods = core_modules()
    assert "workbench.services" in mods and "workbench.storage.models" in mods
    assert "workbench.cli.main" in mods and "workbench.cli.launch" in mods
    assert not any(m.startswith("workbench.tui") for m in mods)


def test_no_core_module_imports_textual():
    names = core_modules()
    result = subprocess.run(
        [sys.executable, "-c", _IMPORT_ONE_BY_ONE, json.dumps(names)],
        capture_output=True, text=True, cwd=REPO, timeout=300,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["first"] is None, f"importing {report['first']} loads {report['textual']}"
    assert report["imported"] == len(names)


# -- the import-linter contracts -------------------------------------------------------------


def _contracts() -> dict[str, dict]:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    return {c["type"]: c for c in config["tool"]["importlinter"]["contracts"]}


def test_contracts_name_every_package_and_allow_no_indirect_imports():
    contracts = _contracts()
    everything = top_level_names()
    assert {"domain", "storage", "services", "cli", "tui", "config", "i18n"} <= everything
    layers = contracts["layers"]
    assert layers["containers"] == ["workbench"] and layers["exhaustive"] is True
    named = [n.strip() for layer in layers["layers"] for n in layer.split("|")]
    assert sorted(named) == sorted(everything)
    forbidden = contracts["forbidden"]
    assert forbidden["forbidden_modules"] == ["textual"]
    assert sorted(forbidden["source_modules"]) == sorted(
        f"workbench.{n}" for n in everything - {"tui"}
    )
    # The one way from the CLI to Textual: `workbench open` / `demo` start the UI.
    assert forbidden["ignore_imports"] == ["workbench.cli.launch -> workbench.tui.app"]
    assert "ignore_imports" not in layers
    for contract in contracts.values():
        assert "allow_indirect_imports" not in contract


def test_import_linter_contracts_hold():
    exe = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run([str(exe)], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


# -- the import graph, from the source ---------------------------------------------------------


@dataclass(frozen=True)
class Import:
    source: str  # the importing module
    target: str  # the imported module (resolved to a module of the tree where possible)
    where: str  # file:line


def _resolve(name: str, known: set[str]) -> str:
    """``a.b.c`` → the longest prefix that is a module of the tree (``from a.b import c``
    names either the module ``a.b.c`` or an attribute of ``a.b``)."""
    parts = name.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in known:
            return candidate
        parts.pop()
    return name


def imports_in(modules: dict[str, Path], base: Path, known: Iterable[str] = ()) -> list[Import]:
    """Every import statement in the given modules, wherever it stands (module level,
    functions, ``if TYPE_CHECKING``), plus ``importlib.import_module`` / ``__import__``
    calls with a constant name. Targets resolve to ``modules`` and ``known``."""
    known = set(modules) | set(known)
    found: list[Import] = []
    for module, path in modules.items():
        is_package = path.name == "__init__.py"
        package = module if is_package else module.rpartition(".")[0]
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    anchor = package.split(".")
                    anchor = anchor[: len(anchor) - (node.level - 1)]
                    prefix = ".".join(anchor + ([node.module] if node.module else []))
                else:
                    prefix = node.module or ""
                names = [f"{prefix}.{alias.name}" for alias in node.names if alias.name != "*"]
                names.append(prefix)
            elif isinstance(node, ast.Call) and node.args:
                func = node.func
                called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                arg = node.args[0]
                if called in ("import_module", "__import__") and isinstance(arg, ast.Constant) \
                        and isinstance(arg.value, str):
                    names = [arg.value]
            where = f"{path.relative_to(base)}:{getattr(node, 'lineno', 0)}"
            for name in names:
                found.append(Import(module, _resolve(name, known), where))
    return found


def collapse(imports: Iterable[Import], unit) -> dict[str, dict[str, list[str]]]:  # type: ignore[no-untyped-def]
    """The graph between units (``unit(module)`` → unit name or None to leave it out):
    source unit → {target unit → [where the imports are]}, without self-edges."""
    graph: dict[str, dict[str, list[str]]] = {}
    for imp in imports:
        a, b = unit(imp.source), unit(imp.target)
        if a is None:
            continue
        graph.setdefault(a, {})
        if b is None or b == a:
            continue
        wheres = graph[a].setdefault(b, [])
        if imp.where not in wheres:
            wheres.append(imp.where)
    return graph


def cycles(graph: dict[str, dict[str, list[str]]]) -> list[list[str]]:
    """The strongly connected components with more than one node (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for succ in graph.get(node, {}):
            if succ not in graph:
                continue  # outside the tree (an external package)
            if succ not in index:
                visit(succ)
                low[node] = min(low[node], low[succ])
            elif succ in on_stack:
                low[node] = min(low[node], index[succ])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def describe(graph: dict[str, dict[str, list[str]]], component: list[str]) -> str:
    lines = []
    for a in component:
        for b in component:
            if b in graph.get(a, {}):
                lines.append(f"  {a} -> {b}  ({', '.join(graph[a][b][:3])})")
    return "\n".join(lines)


def package_of(module: str, root: str = "workbench") -> str | None:
    """``workbench.X.…`` → ``workbench.X``; ``workbench`` itself stays; others: None."""
    parts = module.split(".")
    if parts[0] != root:
        return None
    return ".".join(parts[:2])


def package_graph(package_dir: Path = SOURCE) -> dict[str, dict[str, list[str]]]:
    root = package_dir.name
    return collapse(imports_in(module_names(package_dir), package_dir.parent),
                    lambda m: package_of(m, root))


@functools.cache
def workbench_imports() -> tuple[Import, ...]:
    return tuple(imports_in(module_names(), REPO))


def test_packages_import_each_other_without_cycles():
    graph = collapse(workbench_imports(), package_of)
    assert {"workbench.domain", "workbench.services", "workbench.cli"} <= set(graph)
    assert "workbench.storage" in graph["workbench.services"]  # the graph sees imports
    assert "workbench.tui" in graph["workbench.cli"]  # ... inside functions too
    found = cycles(graph)
    assert not found, "import cycles between packages:\n" + "\n\n".join(
        describe(graph, c) for c in found
    )


def test_cli_modules_import_each_other_without_cycles():
    cli = collapse(workbench_imports(),
                   lambda m: m if m.startswith("workbench.cli.") else None)
    assert "workbench.cli.output" in cli["workbench.cli.themes"]
    found = cycles(cli)
    assert not found, "\n\n".join(describe(cli, c) for c in found)
    for group in ("project", "importing", "codebook", "demo", "export", "search", "team", "themes"):
        assert not {"workbench.cli.main", "workbench.cli.parser"} & set(cli[f"workbench.cli.{group}"])


def test_nothing_outside_the_cli_imports_it():
    inside = [i for i in workbench_imports()
              if i.target.startswith("workbench.cli") and not i.source.startswith("workbench.cli")]
    assert inside == []
    outside: list[Import] = []
    for folder in ("tests", "benchmarks"):
        modules = {f"{folder}.{p.relative_to(REPO / folder).with_suffix('')}".replace("/", "."): p
                   for p in (REPO / folder).rglob("*.py")
                   if "cli" in p.read_text(encoding="utf-8")}  # no need to parse the rest
        outside += [i for i in imports_in(modules, REPO, known=module_names())
                    if i.target.startswith("workbench.cli")]
    assert outside and {i.target for i in outside} == {"workbench.cli.main"}, outside


# -- the cycle check itself -------------------------------------------------------------------------


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / "pkg" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return tmp_path / "pkg"


def test_the_cycle_check_finds_a_cycle_through_a_function_level_import(tmp_path: Path):
    root = _tree(tmp_path, {
        "__init__.py": "",
        "low/__init__.py": "",
        "low/store.py": "def f():\n    from pkg.high.service import g\n    return g\n",
        "high/__init__.py": "",
        "high/service.py": "from ..low import store\n\ndef g():\n    return store\n",
        "top.py": "import importlib\nimportlib.import_module('pkg.high')\n",
    })
    graph = package_graph(root)
    assert graph["pkg.top"] == {"pkg.high": ["pkg/top.py:2"]}
    assert cycles(graph) == [["pkg.high", "pkg.low"]]
    assert "pkg.low -> pkg.high  (pkg/low/store.py:2)" in describe(graph, ["pkg.high", "pkg.low"])


def test_the_cycle_check_passes_a_tree_without_cycles(tmp_path: Path):
    root = _tree(tmp_path, {
        "__init__.py": "__version__ = '1'\n",
        "low/__init__.py": "",
        "low/store.py": "import json\nfrom pkg import __version__\n",
        "high/__init__.py": "from pkg.low import store\nfrom . import helpers\n",
        "high/helpers.py": "from ..low.store import json\n",
    })
    graph = package_graph(root)
    assert graph["pkg.high"] == {"pkg.low": ["pkg/high/__init__.py:1", "pkg/high/helpers.py:1"]}
    assert graph["pkg.low"] == {"pkg": ["pkg/low/store.py:2"]}
    assert cycles(graph) == []
