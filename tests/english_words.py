"""English words that must not appear in the bokmål user interface (CLI help, TUI screens).

Shared by the CLI help walk (tests/cli/test_cli_help_bokmaal.py) and the TUI screen walk.
Only words that are not also bokmål words are listed (so not «under», «start», «type», «kode»),
matched as whole lowercase words; metavariables and product names written in capitals or
quoted as values (``theme-table``, ``{nb,en}``) are the caller's to leave out.
"""

from __future__ import annotations

import re

ENGLISH_WORDS = frozenset({
    # argparse's own texts
    "usage", "positional", "arguments", "options", "optional", "this",
    "help", "message", "exit", "error", "required", "invalid", "choose", "following",
    "expected", "unrecognized", "ambiguous", "allowed", "version", "number", 
    # Textual's built-in commands and footer
    "keys", "maximize", "minimize", "quit", "screenshot", "theme", "search", "commands",
    "palette", "toggle", "dark", "light", "close", "cancel", "save", "delete",
    # common English words in UI strings
    "the", "and", "with", "from", "of", "or", "not", "yes", "are",
    "file", "files", "project", "code", "codes", "coding", "codings", "themes", "transcript",
    "transcripts", "speaker", "speakers", "sentence", "turns", "hits",
    "default", "output", "write", "new", "add", "remove", "rename", "merge",
    "export", "undo", "redo", "history", "quote", "quotes", "table", "report",
    "codebook", "audit", "snapshot", "phase", "comment", "comments", "supervisor",
    "researcher", "member", "members", "role", "group", "groups", "name", "title",
    "preview", "warning", "warnings", "caption", "columns", "language", "english",
})

_WORD = re.compile(r"[A-Za-zÆØÅæøå][A-Za-zÆØÅæøå'’-]*")


def english_words_in(text: str, allowed: frozenset[str] | set[str] = frozenset()) -> list[str]:
    """The listed English words in ``text`` (lowercase words only: capitalised metavariables
    like ``N`` are not words), in order, without ``allowed``."""
    found = []
    for match in _WORD.finditer(text):
        word = match.group(0).strip("'’-")
        for part in word.split("-"):
            if part and part == part.lower() and part in ENGLISH_WORDS and part not in allowed:
                found.append(part)
    return found



# Case-sensitive whole words and phrases for the TUI screen walk
# (tests/ui/test_bokmaal_everywhere.py).
ENGLISH_UI_WORDS: tuple[str, ...] = (
    # Textual's own command palette and footer
    "Search", "commands", "palette", "Theme", "Quit", "Keys", "Maximize", "Minimize",
    "Screenshot", "Saved", "Dismiss menu",
    # argparse
    "positional arguments", "options", "show this help message", "usage",
    # common untranslated UI words
    "Cancel", "Save", "Close", "Open", "Loading", "Error", "Help", "Back", "Next",
    "Delete", "Rename", "Undo", "Redo", "Export", "Import", "Settings", "turns", "codes",
    "quotes", "entries", "sentence", "Codebook", "Transcript",
)


__all__ = ["ENGLISH_UI_WORDS", "ENGLISH_WORDS", "english_words_in"]
