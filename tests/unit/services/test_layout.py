"""The shape of the services package: one service per module, every service reachable from
:class:`Workbench`, and no module reaching into another's private names."""

from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path

import workbench.services as services_package
from workbench.services import Workbench
from workbench.services.base import Service
from workbench.services.project import _OnFirstUse

ROOT = Path(services_package.__file__).parent
# Modules that are not a service: the package, the base class, the project that wires
# the services together, the demo builders, and the review-mode guards (installed on
# the store, not called as a service), and the attribution labels the exports and the
# output check share.
NOT_SERVICES = {"__init__", "base", "project", "demo", "demo_example", "review_mode", "labels",
                "attribution"}


def _modules() -> list[Path]:
    return sorted(ROOT.glob("*.py"))


def _service_classes(tree: ast.Module) -> list[str]:
    return [
        node.name for node in tree.body
        if isinstance(node, ast.ClassDef)
        and any(isinstance(b, ast.Name) and b.id == "Service" for b in node.bases)
    ]


def test_each_module_holds_one_service():
    seen = []
    for path in _modules():
        services = _service_classes(ast.parse(path.read_text("utf-8")))
        expected = 0 if path.stem in NOT_SERVICES else 1
        assert len(services) == expected, (path.name, services)
        seen += services
    assert len(seen) == len(set(seen)) and {"ThemeService", "SnapshotService"} <= set(seen)


# SQLite only: about how the services are wired, not about storage.
def test_workbench_wires_every_service(tmp_path: Path):
    classes: set[type] = set()
    for path in _modules():
        module = importlib.import_module(f"workbench.services.{path.stem}")
        classes |= {
            cls for _name, cls in inspect.getmembers(module, inspect.isclass)
            if issubclass(cls, Service) and cls is not Service and cls.__module__ == module.__name__
        }
    with Workbench.create(tmp_path / "studie.wbp") as wb:
        wired = [type(v) for v in vars(wb).values() if isinstance(v, Service)]
        # and those made on first use (their modules load late: python-docx, lxml, YAML)
        wired += [type(getattr(wb, name)) for name, attr in vars(Workbench).items()
                  if isinstance(attr, _OnFirstUse)]
    assert len(wired) == len(set(wired))
    assert set(wired) == classes


def test_no_module_uses_another_modules_private_names():
    services = {
        name for path in _modules() for name in _service_classes(ast.parse(path.read_text("utf-8")))
    }
    problems: list[str] = []
    for path in _modules():
        tree = ast.parse(path.read_text("utf-8"))
        own = set(_service_classes(tree))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (
                node.level or (node.module or "").startswith("workbench.")
            ):
                problems += [
                    f"{path.name}: imports {alias.name} from {node.module}"
                    for alias in node.names if alias.name.startswith("_")
                ]
            if (
                isinstance(node, ast.Attribute) and node.attr.startswith("_")
                and not node.attr.startswith("__") and isinstance(node.value, ast.Name)
                and node.value.id in services - own
            ):
                problems.append(f"{path.name}: calls {node.value.id}.{node.attr}")
    assert not problems, problems
