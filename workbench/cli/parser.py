"""The ``argparse`` parser of the ``workbench`` command, built from the command groups.

Each group module adds its subcommands with ``add_parsers(sub)`` and binds each to its
handler (``set_defaults(run=handler)``); the order of :data:`GROUPS` is the order of the
commands in ``workbench --help``.
"""

from __future__ import annotations

import argparse

from workbench import __version__
from workbench.cli import codebook, demo, export, importing, privacy, project, search, themes
from workbench.i18n import LANGUAGES, t

GROUPS = (project, importing, codebook, demo, export, search, themes, privacy)


def build_parser() -> argparse.ArgumentParser:
    """The parser, with help texts in the current language (set it first)."""
    parser = argparse.ArgumentParser(prog="workbench", description=t("cli.description"))
    parser.add_argument("--version", action="version", version=f"workbench {__version__}")
    parser.add_argument("--lang", choices=LANGUAGES, help=t("cli.help.lang"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for group in GROUPS:
        group.add_parsers(sub)
    return parser


__all__ = ["GROUPS", "build_parser"]
