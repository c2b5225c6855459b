"""Worker processes for the text processing of a multi-file import.

The workers are forked from a *fork server* (``multiprocessing``'s ``forkserver`` start
method): a fresh interpreter, started once per program, that imports spaCy and simplemma
and loads the pipeline (:mod:`workbench.nlp._warm`) before it forks any worker. Every
worker therefore starts warm in milliseconds, and the workers share the pipeline's memory
with the server instead of each loading its own (about a second and 190 MB each).

The server is a fresh interpreter, so forking from it is safe in a threaded program (the
TUI); it loads in parallel with whatever this process does meanwhile, so a caller that
knows it will import several files calls :func:`start` as early as it can (``workbench
import`` does so before opening the project). Where the platform has no fork server
(Windows), workers are spawned and load the pipeline themselves.

This module imports nothing heavy: no spaCy, no SQLAlchemy.
"""

from __future__ import annotations

import multiprocessing
import os
from multiprocessing.context import BaseContext
from pathlib import Path
from typing import Any

from workbench.nlp.pipeline import gc_paused

PARALLEL_BYTES = 400_000
"""Below this much text (about four 15 000-word transcripts) a multi-file import works in
its own process: starting worker processes would cost more."""

#: Imported by the fork server before it forks any worker (loads the pipeline).
PRELOAD = "workbench.nlp._warm"


def context() -> BaseContext:
    """The start method for import workers: the warm fork server where there is one."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload([PRELOAD])
        return ctx
    return multiprocessing.get_context("spawn")  # no fork of a (possibly) threaded program


def index_payload(text: str, turn_starts: list[int]) -> Any:
    """:func:`workbench.nlp.postings.index_payload`, as a worker runs it."""
    from workbench.nlp import postings

    with gc_paused():
        return postings.index_payload(text, turn_starts)


def worth_it(paths: list[str] | list[Path], threshold: int | None = None, *,
             one_core: bool = False) -> bool:
    """Whether importing ``paths`` (transcript files) calls for worker processes
    (``one_core``: even on a machine with one core, when workers were asked for)."""
    if len(paths) < 2 or (not one_core and (os.cpu_count() or 1) < 2):
        return False
    size = sum(os.stat(p).st_size for p in paths if os.path.isfile(p))
    return size >= (PARALLEL_BYTES if threshold is None else threshold)


_warm = False


def known_warm() -> bool:
    """Whether a worker forked from this program's fork server has answered, so that the
    server has loaded the pipeline and a new worker starts at once."""
    return _warm


def mark_warm() -> None:
    """Note that a worker has answered (see :func:`known_warm`)."""
    global _warm
    _warm = True


def wait_warm() -> None:
    """Start the fork server if need be and wait until it has loaded the pipeline (a worker
    forked from it has answered); for a caller about to import that wants the warm-up
    done first."""
    from concurrent.futures import ProcessPoolExecutor

    start()
    with ProcessPoolExecutor(1, mp_context=context()) as pool:
        pool.submit(os.getpid).result()
    mark_warm()


def start() -> None:
    """Start the fork server now, without waiting for it to load (idempotent)."""
    ctx = context()
    if ctx.get_start_method() == "forkserver":
        from multiprocessing import forkserver

        forkserver.ensure_running()


__all__ = ["PARALLEL_BYTES", "PRELOAD", "context", "gc_paused", "index_payload", "known_warm",
           "mark_warm", "start", "wait_warm", "worth_it"]
