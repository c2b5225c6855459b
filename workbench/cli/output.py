"""What a command prints and returns: lines and JSON on stdout, messages and progress on
stderr, exit statuses."""

from __future__ import annotations

import json
import sys

from workbench.i18n import t

EXIT_OK = 0
EXIT_UNEXPECTED = 1
EXIT_USER_ERROR = 2
EXIT_INTERRUPTED = 130


def out(text: str = "") -> None:
    """One line on stdout."""
    sys.stdout.write(text + "\n")


def out_json(value: object) -> None:
    """``value`` as indented JSON on stdout (non-JSON values such as times as strings)."""
    sys.stdout.write(json.dumps(value, ensure_ascii=False, indent=2, default=str) + "\n")


def err(text: str) -> None:
    """One line on stderr."""
    sys.stderr.write(text + "\n")


class ProgressLine:
    """Progress on stderr: a rewritten line on a terminal, a few plain lines otherwise."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.tty = sys.stderr.isatty()
        self.last: tuple[str, int] | None = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        pct = int(100 * done / total) if total else 0
        if stage == "parse" and total < 200:
            return  # small files: no progress chatter
        step = pct if self.tty else pct // 25 * 25
        if (stage, step) == self.last:
            return
        self.last = (stage, step)
        text = t(f"cli.import.stage.{stage}", file=self.label, pct=pct)
        if self.tty:
            sys.stderr.write("\r\x1b[K" + text)
            if stage == "done":
                sys.stderr.write("\r\x1b[K")
        elif stage != "done":
            sys.stderr.write(text + "\n")
        sys.stderr.flush()


__all__ = [
    "EXIT_INTERRUPTED", "EXIT_OK", "EXIT_UNEXPECTED", "EXIT_USER_ERROR", "ProgressLine",
    "err", "out", "out_json",
]
