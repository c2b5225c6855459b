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
from workbench.cli import (
    agreement,
    codebook,
    demo,
    export,
    importing,
    merge,
    privacy,
    project,
    search,
    team,
    themes,
)
from workbench.cli.session import ACTOR_DEST
from workbench.i18n import LANGUAGES, catalogue, get_language, t

GROUPS = (project, team, importing, codebook, demo, export, search, themes, privacy, agreement,
          merge)


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


def argparse_text(message: str) -> str:
    """argparse's own text (``usage:``, ``options``, its errors) in the current language,
    from the ``argparse`` table of the catalogue; argparse's English when it has none."""
    return catalogue(get_language()).get(f"argparse.{message}", message)


def _argparse_ngettext(singular: str, plural: str, n: int) -> str:
    return argparse_text(singular if n == 1 else plural)


def translate_argparse() -> None:
    """Route argparse's gettext calls through our catalogue (it looks ``_`` and
    ``ngettext`` up in its module each time it needs a text)."""
    argparse._ = argparse_text  # type: ignore[attr-defined]
    argparse.ngettext = _argparse_ngettext  # type: ignore[attr-defined]


def _metavar(name: str) -> str | None:
    return catalogue(get_language()).get(f"argparse_metavar.{name}")


def _translated(args: tuple[str, ...], kwargs: dict) -> dict:  # type: ignore[type-arg]
    """``add_argument``'s keywords with the argument's name in help and errors translated."""
    metavar = kwargs.get("metavar")
    if isinstance(metavar, str):
        kwargs["metavar"] = _metavar(metavar) or metavar
    elif isinstance(metavar, tuple):  # nargs=2: ("KIND", "REF")
        kwargs["metavar"] = tuple(_metavar(m) or m for m in metavar)
    elif metavar is None and kwargs.get("action") not in (
        "store_true", "store_false", "help", "version", "count"
    ) and "choices" not in kwargs:
        if args and not args[0].startswith("-"):
            kwargs["metavar"] = _metavar(kwargs.get("dest", args[0]))
        elif args:
            dest = kwargs.get("dest") or next(
                (a for a in args if a.startswith("--")), args[0]).lstrip("-").replace("-", "_")
            kwargs["metavar"] = _metavar(dest.upper())
        if kwargs.get("metavar") is None:
            kwargs.pop("metavar")
    return kwargs


def _translating(group):  # type: ignore[no-untyped-def]
    """An argument group (or mutually exclusive one) that translates like :class:`Parser`."""
    plain = group.add_argument
    group.add_argument = lambda *args, **kwargs: plain(*args, **_translated(args, kwargs))
    return group


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose argument names in help and errors are in the current
    language (``project`` → «prosjekt», ``FILE`` → «FIL»); its subparsers are Parsers too."""

    def add_argument(self, *args, **kwargs):  # type: ignore[no-untyped-def, override]
        return super().add_argument(*args, **_translated(args, kwargs))

    def add_argument_group(self, *args, **kwargs):  # type: ignore[no-untyped-def, override]
        return _translating(super().add_argument_group(*args, **kwargs))

    def add_mutually_exclusive_group(self, **kwargs):  # type: ignore[no-untyped-def, override]
        return _translating(super().add_mutually_exclusive_group(**kwargs))

    def add_subparsers(self, **kwargs):  # type: ignore[no-untyped-def, override]
        metavar = kwargs.get("metavar")
        if isinstance(metavar, str):  # ``ACTION`` → «HANDLING»
            kwargs["metavar"] = _metavar(metavar) or metavar
        return super().add_subparsers(**kwargs)


def build_parser() -> argparse.ArgumentParser:
    """The parser, with help texts in the current language (set it first)."""
    translate_argparse()
    parser = Parser(prog="workbench", description=t("cli.description"))
    parser.add_argument("--version", action="version", version=f"workbench {__version__}",
                        help=argparse_text("show program's version number and exit"))
    parser.add_argument("--lang", choices=LANGUAGES, help=t("cli.help.lang"))
    _add_actor(parser, default=None)
    sub = parser.add_subparsers(dest="command", metavar=_metavar("COMMAND") or "COMMAND")
    for group in GROUPS:
        group.add_parsers(sub)
    for _name, child in subcommands(parser):
        # SUPPRESS: a subcommand without --as keeps the value given before the command
        _add_actor(child, default=argparse.SUPPRESS)
    return parser


__all__ = ["GROUPS", "Parser", "argparse_text", "build_parser", "subcommands", "translate_argparse"]
