"""Every ``--help`` of the command line, in bokmål, without English words.

Walks the parser itself (every command and sub-command), so a new command is checked
without being listed here. What the user types is left out before looking: option strings
(``--no-table``), choices and command names (``theme-table``, ``report``, ``{nb,en}``),
placeholders (``{profession}``, ``<prosjekt>``) and file names.
"""

from __future__ import annotations

import argparse
import re

import pytest

import workbench.cli.main as cli  # tests reach the CLI through workbench.cli.main only
from workbench.i18n import set_language

from tests.english_words import english_words_in


def _parsers(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()):
    yield path, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _parsers(sub, (*path, name))


def _typed_values(parser: argparse.ArgumentParser) -> set[str]:
    """Everything a user may type as a value here: choices and command names."""
    values: set[str] = set()
    for action in parser._actions:
        if action.choices:
            for choice in action.choices:
                values.update(re.split(r"[-_]", str(choice)) + [str(choice)])
    return values


TYPED = re.compile(r"--?[\w-]+|\{[^}]*\}|<[^>]*>|\S+\.\w{2,5}\b|«[^»]*»|\b[\w-]+(?:,\s*[\w-]+){2,}")


def test_every_help_is_in_bokmaal(capsys: pytest.CaptureFixture[str]):
    set_language("nb")
    root = cli.build_parser()
    everything = set()
    for _path, parser in _parsers(root):
        everything |= _typed_values(parser)
    problems = {}
    seen = 0
    for path, parser in _parsers(root):
        text = parser.format_help()
        seen += 1
        assert text.startswith("bruk: "), (path, text[:40])
        found = english_words_in(TYPED.sub(" ", text), allowed=everything)
        if found:
            problems[" ".join(("workbench", *path))] = sorted(set(found))
    assert seen > 15  # every command was walked
    assert not problems, problems


def test_argparse_errors_are_in_bokmaal(capsys: pytest.CaptureFixture[str]):
    set_language("nb")
    assert cli.main(["export"]) == 2
    err = capsys.readouterr().err
    assert "feil: disse argumentene må oppgis: prosjekt, TYPE" in err
    assert cli.main(["export", "p.wbp", "pdf"]) == 2
    err = capsys.readouterr().err
    assert "ugyldig valg: 'pdf' (velg blant" in err and "argumentet TYPE:" in err


def test_the_english_help_stays_english(capsys: pytest.CaptureFixture[str]):
    set_language("en")
    text = cli.build_parser().format_help()
    assert text.startswith("usage: ") and "positional arguments:" in text and "options:" in text


def test_the_word_list_finds_english_and_leaves_bokmaal_alone():
    assert english_words_in("positional arguments: show this help message and exit") == [
        "positional", "arguments", "this", "help", "message", "and", "exit"]
    assert english_words_in("posisjonsargumenter: vis denne hjelpeteksten og avslutt") == []
    assert english_words_in("Tid for å kode: to koder under tema") == []


def test_every_placeholder_in_the_bokmaal_help_is_translated():
    from workbench.i18n import catalogue

    set_language("nb")
    ours = {v for k, v in catalogue("nb").items() if k.startswith("argparse_metavar.")}
    english = {k.split(".", 1)[1] for k in catalogue("nb") if k.startswith("argparse_metavar.")}
    left = {}
    for path, parser in _parsers(cli.build_parser()):
        words = set(re.findall(r"\b[A-ZÆØÅ]{3,}\b", parser.format_usage()))
        untranslated = sorted(w for w in words if w in english and w not in ours)
        if untranslated:
            left[" ".join(("workbench", *path))] = untranslated
    assert not left, left  # e.g. ACTION of a sub-command group, not «HANDLING»
