"""Message catalogues: every user-facing string lives in ``workbench/i18n/<lang>/*.toml``.

Each language folder holds several TOML files (one per area of the program) so that
different parts of the code base can add strings without touching the same file. Keys are
dotted (``"import.error.empty"``); values are ``str.format`` templates.

Bokmål (``nb``) is the default language; English (``en``) is available. A key missing from
the chosen language falls back to bokmål, then to the key itself, so a forgotten string is
visible rather than a crash.
"""

from __future__ import annotations

import os
import tomllib
from functools import lru_cache
from pathlib import Path

from workbench.domain.errors import UserError, set_translator

__all__ = ["LANGUAGES", "UserError", "catalogue", "get_language", "set_language", "t"]

LANGUAGES = ("nb", "en")
DEFAULT_LANGUAGE = "nb"
_HERE = Path(__file__).parent

_current = os.environ.get("WORKBENCH_LANG", DEFAULT_LANGUAGE)
if _current not in LANGUAGES:
    _current = DEFAULT_LANGUAGE


def _flatten(prefix: str, table: dict, out: dict[str, str]) -> None:
    for key, value in table.items():
        full = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            _flatten(full, value, out)
        else:
            out[full] = str(value)


@lru_cache(maxsize=None)
def catalogue(lang: str) -> dict[str, str]:
    """All messages of one language, flattened to dotted keys."""
    out: dict[str, str] = {}
    folder = _HERE / lang
    for path in sorted(folder.glob("*.toml")):
        with path.open("rb") as fh:
            _flatten("", tomllib.load(fh), out)
    return out


def set_language(lang: str) -> None:
    global _current
    if lang not in LANGUAGES:
        raise ValueError(f"unknown language {lang!r}; choose one of {', '.join(LANGUAGES)}")
    _current = lang


def get_language() -> str:
    return _current


def t(key: str, /, lang: str | None = None, **params: object) -> str:
    """Translate ``key`` into the current (or given) language and fill in ``params``."""
    lang = lang or _current
    template = catalogue(lang).get(key) or catalogue(DEFAULT_LANGUAGE).get(key) or key
    if params:
        try:
            return template.format(**params)
        except (KeyError, IndexError, ValueError):
            return template
    return template


set_translator(t)
