"""Theme work in the terminal: the theme map, reviewing a theme against its extracts,
the phase checklist, the reflexive journal and supervisor comments."""

from __future__ import annotations

from .map import ThemeMapScreen
from .modals import ChecklistModal, CommentsModal, GoBackModal, JournalModal, TextModal
from .palette import ThemeCommands
from .review import ThemeReviewScreen

__all__ = [
    "ChecklistModal", "CommentsModal", "GoBackModal", "JournalModal", "TextModal",
    "ThemeCommands", "ThemeMapScreen", "ThemeReviewScreen",
]
