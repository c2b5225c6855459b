"""Printed output goes through the same privacy check as files (``show``, ``search``).

A command decorated with :func:`checked_stdout` prints into a buffer; while its project is
open it calls :func:`guard` (the project's check, made with its linking key); when it is
done the check reads the whole text. A real name from the key: nothing is printed, the
places are listed and the command ends with the user-error status. Common first names and
attribution labels that fit one informant: warnings on stderr, then the text.
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Callable, Iterable
from contextlib import redirect_stdout
from contextvars import ContextVar
from functools import wraps
from typing import Any

from workbench.cli.output import err
from workbench.i18n import t

Check = Callable[[str], list[str]]
_CHECKS: ContextVar[list[Check] | None] = ContextVar("workbench_stdout_checks", default=None)


def checked_stdout(run: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Hold back what ``run`` prints until the checks it registered with :func:`guard`
    have read it."""

    @wraps(run)
    def checked(args: argparse.Namespace) -> int:
        checks: list[Check] = []
        token = _CHECKS.set(checks)
        buffer = io.StringIO()
        try:
            with redirect_stdout(buffer):
                code = run(args)
        finally:
            _CHECKS.reset(token)
        text = buffer.getvalue()
        if not checks:  # a command that prints project text must register its check
            raise RuntimeError(f"{run.__name__} printed without a privacy check")
        warnings = [w for check in checks for w in check(text)]  # raises on a real name
        for warning in warnings:
            err(t("export.cli.warning", warning=warning))
        sys.stdout.write(text)
        return code

    return checked


def guard(wb: Any, what: str, shown: Iterable[tuple[int | None, int | None]] = (),
          echo: Iterable[str] = ()) -> None:
    """Register the open project's check for what the command prints; ``what`` names the
    output in messages (``workbench show fg1``), ``shown`` are the ``(participant id,
    transcript id)`` whose profession and group the output shows, ``echo`` whole lines
    that only repeat what the user typed (``Ingen treff for «…»``), which are not read."""
    checks = _CHECKS.get()
    if checks is None:
        raise RuntimeError("guard() outside a command decorated with checked_stdout")
    check = wb.privacy.text_check(what, shown)
    skip = set(echo)
    if skip:
        checks.append(lambda text: check("\n".join(
            "" if line in skip else line for line in text.split("\n"))))
    else:
        checks.append(check)


__all__ = ["checked_stdout", "guard"]
