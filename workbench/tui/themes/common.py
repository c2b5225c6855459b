"""Small helpers shared by the theme screens: review mode, running a service call."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TypeVar

from textual.app import App
from textual.dom import DOMNode

from workbench.i18n import UserError, t
from workbench.services.review_mode import is_review_mode

R = TypeVar("R")

STATUS_STYLE = {
    "candidate": "italic",
    "reviewed": "",
    "defined": "bold",
    "final": "bold green",
    "discarded": "strike dim",
}


def in_review(app: App[Any]) -> bool:
    """Whether the app runs in supervisor review mode (``--review``)."""
    wb = getattr(app, "wb", None)
    return bool(getattr(app, "review", False) or (wb is not None and is_review_mode(wb)))


def attempt(
    node: DOMNode, fn: Callable[[], R], done: str | None = None
) -> tuple[bool, R | None]:
    """Run a service call. A UserError is shown as a notification (and nothing changed):
    ``(False, None)``; else ``(True, result)``."""
    try:
        result = fn()
    except UserError as exc:
        node.app.notify(exc.message(), severity="error")
        return False, None
    if done:
        node.app.notify(done)
    return True, result


def local_time(value: datetime, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A stored (naive UTC) time shown in the user's local time."""
    return value.replace(tzinfo=UTC).astimezone().strftime(fmt)


def phase_label(n: int) -> str:
    return t("phase.label", n=n, name=t(f"phase.{n}"))


def status_name(status: str) -> str:
    return t(f"themes.status.{status}")
