"""Message catalogues: every user-facing string lives in ``workbench/i18n/<lang>/*.toml``.

Each language folder holds several TOML files (one per area of the program) so that
different parts of the code base can add strings without touching the same file. Keys are
dotted (``"import.error.empty"``); values are ``str.format`` templates.

Bokmål (``nb``) is the default language; English (``en``) is available. A key missing from
the chosen language falls back to bokmål, then to the key itself, so a forgotten string is
visible rather than a crash.

Plural forms: a field whose format spec holds a ``|`` picks a word by its number, singular
when it is 1, else plural (bokmål and English both have one singular form, and 0 is plural
in both): ``"{n} {n:sitat|sitater}"`` gives «1 sitat», «2 sitater», «0 sitater»; a phrase
works too (``"{n} {n:theme has|themes have} no codes"``). So a template gets its plurals
right with the count it is already given, and the catalogues carry no «sitat(er)»
stopgaps. :func:`tn` picks between whole messages instead (``key.one`` / ``key.other``).
"""

from __future__ import annotations

import os
import string
import tomllib
from functools import lru_cache
from pathlib import Path

from workbench.domain.errors import UserError, set_translator

__all__ = [
    "LANGUAGES", "UserError", "catalogue", "format_template", "get_language", "plural",
    "set_language", "t", "tn",
]

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


def plural(n: object, one: str, other: str) -> str:
    """``one`` when ``n`` is 1, else ``other`` (0, 2, 1.5, and anything not a number)."""
    try:
        return one if float(str(n)) == 1 else other
    except ValueError:
        return other


class _Formatter(string.Formatter):
    """``str.format`` plus the plural spec: ``{n:singular|plural}``."""

    def format_field(self, value: object, format_spec: str) -> str:
        if "|" in format_spec:
            one, _, other = format_spec.partition("|")
            return plural(value, one, other)
        return super().format_field(value, format_spec)


_FORMATTER = _Formatter()


def format_template(template: str, /, **params: object) -> str:
    """``template.format(**params)`` with the plural spec; raises as ``str.format`` does.
    For code that picks a catalogue template itself (the history's messages)."""
    return _FORMATTER.format(template, **params)


def t(key: str, /, lang: str | None = None, **params: object) -> str:
    """Translate ``key`` into the current (or given) language and fill in ``params``."""
    lang = lang or _current
    template = catalogue(lang).get(key) or catalogue(DEFAULT_LANGUAGE).get(key) or key
    if params:
        try:
            return format_template(template, **params)
        except (KeyError, IndexError, ValueError):
            return template
    return template


def tn(key: str, n: int, /, lang: str | None = None, **params: object) -> str:
    """The message ``key.one`` when ``n`` is 1, else ``key.other`` (``key`` itself when
    the pair is missing), filled in with ``n`` and ``params``."""
    lang = lang or _current
    chosen = f"{key}.{plural(n, 'one', 'other')}"
    known = catalogue(lang).keys() | catalogue(DEFAULT_LANGUAGE).keys()
    return t(chosen if chosen in known else key, lang=lang, n=n, **params)


set_translator(t)
