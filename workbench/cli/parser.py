"""The ``argparse`` parser of the ``workbench`` command, built from the command groups.

Each group module adds its subcommands with ``add_parsers(sub)`` and binds each to its
handler (``set_defaults(run=handler)``); the order of :data:`GROUPS` is the order of the
commands in ``workbench --help``. A new group module is one more entry in :data:`GROUPS`.

``--as NAME`` (who acts: a member of the project) is global: it may stand before the
command (``workbench --as kari undo P``) or anywhere after it (``workbench undo P --as
kari``); :func:`build_parser` adds it to every subcommand, nested ones too.
"""

from __future__ import annotations

import argparse

from workbench import __version__
from workbench.cli import codebook, demo, export, importing, project, search, team, themes
from workbench.cli.session import ACTOR_DEST
from workbench.i18n import LANGUAGES, t

GROUPS = (project, team, importing, codebook, demo, export, search, themes)


def subcommands(parser: argparse.ArgumentParser) -> list[tuple[str, argparse.ArgumentParser]]:
    """Every subcommand parser under ``parser`` as ``("codebook import", parser)``, nested
    ones included, in ``--help`` order (the tests walk this list)."""
    found: list[tuple[str, argparse.ArgumentParser]] = []
    for action in parser._actions:  # noqa: SLF001 - argparse has no public walk
        if isinstance(action, argparse._SubParsersAction):  # noqa: SLF001
            for name, child in action.choices.items():
                found.append((name, child))
                found.extend((f"{name} {sub}", p) for sub, p in subcommands(child))
    return found


def _add_actor(parser: argparse.ArgumentParser, *, default: object) -> None:
    parser.add_argument("--as", dest=ACTOR_DEST, metavar="NAME", default=default,
                        help=t("cli.help.as_user"))


def build_parser() -> argparse.ArgumentParser:
    """The parser, with help texts in the current language (set it first)."""
    parser = argparse.ArgumentParser(prog="workbench", description=t("cli.description"))
    parser.add_argument("--version", action="version", version=f"workbench {__version__}")
    parser.add_argument("--lang", choices=LANGUAGES, help=t("cli.help.lang"))
    _add_actor(parser, default=None)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for group in GROUPS:
        group.add_parsers(sub)
    for _name, child in subcommands(parser):
        # SUPPRESS: a subcommand without --as keeps the value given before the command
        _add_actor(child, default=argparse.SUPPRESS)
    return parser


__all__ = ["GROUPS", "build_parser", "subcommands"]
