"""The ``workbench`` command: the scripting front end.

Every subcommand is a thin layer over :mod:`workbench.services`. User errors print one
clear line on stderr and exit with status 2; nothing prints a traceback unless
``WORKBENCH_DEBUG`` is set. ``main(argv)`` can be called in-process (the tests do): it sets
the language afresh on every call and returns the exit status instead of exiting.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from workbench.cli.output import (
    EXIT_INTERRUPTED,
    EXIT_UNEXPECTED,
    EXIT_USER_ERROR,
    err,
)
from workbench.cli.parser import build_parser, subcommands
from workbench.i18n import DEFAULT_LANGUAGE, LANGUAGES, UserError, set_language, t


def _choose_language(argv: Sequence[str]) -> None:
    """Set the UI language before building help texts.

    ``--lang`` wins, then ``WORKBENCH_LANG``, then the config file, then bokmål.
    """
    env = os.environ.get("WORKBENCH_LANG")
    if env:
        language = env if env in LANGUAGES else DEFAULT_LANGUAGE
    else:
        from workbench.config import load_settings

        language = load_settings().language or DEFAULT_LANGUAGE
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv) and argv[i + 1] in LANGUAGES:
            language = argv[i + 1]
        elif arg.startswith("--lang=") and arg.split("=", 1)[1] in LANGUAGES:
            language = arg.split("=", 1)[1]
    set_language(language)


def _exit_status(code: object) -> int:
    """The status argparse asked for when it stopped (``--help``, ``--version``, bad usage)."""
    if code is None:
        return 0
    return code if isinstance(code, int) else EXIT_UNEXPECTED


def _silence_stdout() -> None:
    """Point stdout at /dev/null, so the final flush at exit does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # no real stdout (tests capture it)
        pass


def main(argv: Sequence[str] | None = None) -> int:
    """Run one ``workbench`` command line; return its exit status."""
    argv = list(sys.argv[1:] if argv is None else argv)
    _choose_language(argv)
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse has printed the help, the version or the error
        return _exit_status(exc.code)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        return args.run(args)
    except UserError as exc:
        err(f"workbench: {exc.message()}")
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        err(t("cli.interrupted"))
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # the reader went away (``workbench show P T | head``): quietly
        _silence_stdout()
        return 0
    except Exception as exc:  # noqa: BLE001 - last line of defence: one clear line
        if os.environ.get("WORKBENCH_DEBUG"):
            raise
        err(f"workbench: {t('error.unexpected', detail=f'{type(exc).__name__}: {exc}')}")
        return EXIT_UNEXPECTED


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())


__all__ = ["build_parser", "main", "subcommands"]  # the parser: for tests that walk it
