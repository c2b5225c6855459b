"""How long the UI thread is blocked, on the demo project: a script that prints figures.

    python -m tests.ui.measure_ui_thread [--runs N]

It builds the demo project (``services.demo.build_demo``), drives the app headless with
Pilot and, for each step (opening the theme map, an indent and a rename in it, undo,
opening the coding screen, applying a code, undo there), reports

- *ours*: the longest single call into our code on the UI thread: every method of every
  class in ``workbench.tui`` and every modal-result callback is timed with
  ``time.perf_counter``, counting only outermost calls (a handler with everything it calls,
  Textual widgets included);
- *loop step*: the longest single step of the asyncio event loop, i.e. everything the UI
  thread did in one go, Textual's own layout and painting included.

The budget is 50 ms for *ours*. Worker threads are not counted (they do not block the UI),
but they compete for the GIL, which shows in both figures. Each figure is the median over
``--runs`` runs (default 5); the worst run is printed beside it.
"""

from __future__ import annotations

import argparse
import asyncio
import asyncio.events
import functools
import importlib
import inspect
import os
import pkgutil
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")

BUDGET_MS = 50.0

_loop_steps: list[float] = []
_ours: list[tuple[float, str]] = []
_depth = threading.local()


def _timed_loop() -> None:
    original = asyncio.events.Handle._run

    def run(self: asyncio.events.Handle) -> None:
        start = time.perf_counter()
        try:
            original(self)
        finally:
            _loop_steps.append(time.perf_counter() - start)

    asyncio.events.Handle._run = run  # type: ignore[method-assign]


def _outermost(fn: Callable[..., Any], name: str) -> Callable[..., Any]:
    @functools.wraps(fn)
    def timed(*args: Any, **kwargs: Any) -> Any:
        depth = getattr(_depth, "n", 0)
        _depth.n = depth + 1
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            _depth.n = depth
            if depth == 0 and threading.current_thread() is threading.main_thread():
                _ours.append((time.perf_counter() - start, name))

    return timed


def _time_our_code() -> None:
    import textual.screen

    import workbench.tui

    for info in pkgutil.walk_packages(workbench.tui.__path__, "workbench.tui."):
        module = importlib.import_module(info.name)
        for cls in vars(module).values():
            if not inspect.isclass(cls) or cls.__module__ != module.__name__:
                continue
            for attr, value in list(vars(cls).items()):
                if attr.startswith("__") or not inspect.isfunction(value):
                    continue
                if inspect.iscoroutinefunction(value) or hasattr(value, "_textual_on"):
                    continue  # @on handlers: below
                setattr(cls, attr, _outermost(value, f"{cls.__qualname__}.{attr}"))
            # @on handlers are dispatched from the class's table of decorated handlers
            for handlers in vars(cls).get("_decorated_handlers", {}).values():
                for i, (method, selectors) in enumerate(handlers):
                    handlers[i] = (_outermost(method, f"{cls.__qualname__}.{method.__name__}"),
                                   selectors)

    original = textual.screen.ResultCallback.__call__

    def call(self: Any, result: Any) -> Any:
        callback = self.callback
        if callback is not None:
            name = getattr(callback, "__qualname__", repr(callback))
            self.callback = _outermost(callback, name)
        try:
            return original(self, result)
        finally:
            self.callback = callback

    textual.screen.ResultCallback.__call__ = call  # type: ignore[method-assign]


async def _settle(pilot: Any, rounds: int = 4) -> None:
    from tests.ui.helpers import workers_done

    for _ in range(rounds):
        await workers_done(pilot.app)
        await pilot.pause(0.02)


def _take() -> tuple[float, float, str]:
    loop = max(_loop_steps, default=0.0) * 1000
    worst = max(_ours, default=(0.0, "–"))
    _loop_steps.clear()
    _ours.clear()
    return worst[0] * 1000, loop, worst[1]


async def _one_run(project: Path) -> dict[str, tuple[float, float, str]]:
    from textual.widgets import Tree

    from workbench.services import Workbench
    from workbench.tui.app import WorkbenchApp
    from workbench.tui.screens.coding import CodingScreen
    from workbench.tui.screens.themes import ThemeMapScreen

    out: dict[str, tuple[float, float, str]] = {}
    wb = Workbench.open(project)
    app = WorkbenchApp(wb, freeze_gc=True)  # as run_app makes it
    async with app.run_test(size=(160, 50)) as pilot:
        await _settle(pilot)
        await _settle(pilot)  # the NLP warm-up worker
        _take()

        await pilot.press("ctrl+t")
        await _settle(pilot)
        out["open the theme map"] = _take()
        screen = app.screen
        assert isinstance(screen, ThemeMapScreen)
        tree = screen.query_one("#theme-tree", Tree)
        tree.focus()
        tree.move_cursor(tree.root.children[1])
        await _settle(pilot)
        _take()
        await pilot.press("greater_than_sign")
        await _settle(pilot)
        out["indent a theme"] = _take()
        await pilot.press("r")
        await _settle(pilot)
        _take()
        await pilot.press("x", "enter")
        await _settle(pilot)
        out["rename a theme"] = _take()
        await pilot.press("ctrl+z")
        await _settle(pilot)
        out["undo in the theme map"] = _take()
        await pilot.press("escape")
        await _settle(pilot)
        _take()

        await pilot.press("enter")
        await _settle(pilot, 6)
        out["open the coding screen"] = _take()
        coding = app.screen
        assert isinstance(coding, CodingScreen) and coding.loaded
        assert coding.find_next("jeg")
        await _settle(pilot)
        _take()
        await pilot.press("i")
        await _settle(pilot)
        out["apply a code (in vivo)"] = _take()
        assert coding.find_next("det")
        await _settle(pilot)
        await pilot.press("c")
        await _settle(pilot)
        _take()
        await pilot.press(*"ny kode", "enter")
        await _settle(pilot)
        out["apply a new code (picker)"] = _take()
        await pilot.press("ctrl+z")
        await _settle(pilot)
        out["undo in the coding screen"] = _take()
    wb.close()
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)

    from workbench.services.demo import build_demo

    _timed_loop()
    _time_our_code()
    folder = Path(tempfile.mkdtemp(prefix="wb-ui-thread-"))
    demo = build_demo(folder / "demo.wbp")
    runs: list[dict[str, tuple[float, float, str]]] = []
    for i in range(args.runs):
        copy = folder / f"run{i}.wbp"
        copy.write_bytes(demo.read_bytes())
        runs.append(asyncio.run(_one_run(copy)))
    print(f"UI thread, demo project, median of {args.runs} runs (worst run in brackets), ms")
    print(f"{'step':28s} {'ours':>16s} {'loop step':>16s}   longest call of ours")
    over = False
    for step in runs[0]:
        ours = [r[step][0] for r in runs]
        loop = [r[step][1] for r in runs]
        name = max((r[step] for r in runs), key=lambda v: v[0])[2]
        over |= statistics.median(ours) > BUDGET_MS
        print(f"{step:28s} {statistics.median(ours):7.1f} ({max(ours):6.1f}) "
              f"{statistics.median(loop):7.1f} ({max(loop):6.1f})   {name}")
    print(f"budget for ours: {BUDGET_MS:.0f} ms — " + ("EXCEEDED" if over else "kept"))


if __name__ == "__main__":
    sys.exit(main())
