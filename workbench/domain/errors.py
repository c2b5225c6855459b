"""Errors meant for the user.

A :class:`UserError` carries a message-catalogue key and its parameters, never finished
text: the domain knows no language. The catalogue (``workbench.i18n``) installs the
translator when it is imported, so the message reads in the user's language wherever the
error is shown.
"""

from __future__ import annotations

from collections.abc import Callable

Translator = Callable[..., str]

_translate: Translator | None = None


def set_translator(translate: Translator) -> None:
    """Install the function that turns ``(key, lang=None, **params)`` into text."""
    global _translate
    _translate = translate


class UserError(Exception):
    """An error whose message is meant for the user: what is wrong and what to do.

    Carries a catalogue key and parameters so it can be shown in either language.
    """

    def __init__(self, key: str, /, **params: object) -> None:
        self.key = key
        self.params = params
        super().__init__(key)

    def message(self, lang: str | None = None) -> str:
        if _translate is None:
            return self.key
        return _translate(self.key, lang=lang, **self.params)

    def __str__(self) -> str:
        return self.message()
