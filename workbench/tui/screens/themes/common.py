"""Small helpers shared by the theme screens: times, phase and status names, styles."""

from __future__ import annotations

from datetime import UTC, datetime

from workbench.i18n import t

STATUS_STYLE = {
    "candidate": "italic",
    "reviewed": "",
    "defined": "bold",
    "final": "bold green",
    "discarded": "strike dim",
}


def local_time(value: datetime, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A stored (naive UTC) time shown in the user's local time."""
    return value.replace(tzinfo=UTC).astimezone().strftime(fmt)


def phase_label(n: int) -> str:
    return t("phase.label", n=n, name=t(f"phase.{n}"))


def status_name(status: str) -> str:
    return t(f"themes.status.{status}")
