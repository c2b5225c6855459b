"""The coding screen (phases 1–2): read a transcript as speaker turns and code it."""

from .screen import CodingScreen, open_coding_screen

__all__ = ["CodingScreen", "open_coding_screen"]
