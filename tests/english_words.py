"""English words that must not appear anywhere in the bokmål user interface.

Each entry is matched as a whole word, case-sensitively (so «Search» but not «research»).
Kept short and specific: words Textual, argparse or an untranslated string would show, and
none that is also a bokmål word. Add to it when a new English leak is found.
"""

ENGLISH_UI_WORDS: tuple[str, ...] = (
    # Textual's own command palette and footer
    "Search", "commands", "palette", "Theme", "Quit", "Keys", "Maximize", "Minimize",
    "Screenshot", "Saved",
    # argparse
    "positional arguments", "options", "show this help message", "usage",
    # common untranslated UI words
    "Cancel", "Save", "Close", "Open", "Loading", "Error", "Help", "Back", "Next",
    "Delete", "Rename", "Undo", "Redo", "Export", "Import", "Settings", "turns", "codes",
    "quotes", "entries", "sentence", "Codebook", "Transcript",
)
