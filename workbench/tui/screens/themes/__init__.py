"""Theme work in the terminal: the theme map, reviewing a theme against its extracts,
the phase checklist, the reflexive journal and supervisor comments."""

from __future__ import annotations

from .map import ThemeMapScreen
from .modals import ChecklistModal, CommentsModal, GoBackModal, JournalModal
from .review import ThemeReviewScreen

__all__ = [
    "ChecklistModal", "CommentsModal", "GoBackModal", "JournalModal", "ThemeMapScreen",
    "ThemeReviewScreen",
]
