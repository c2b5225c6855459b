"""Command-palette entries (ctrl+p) for the theme work and the phases.

Always: theme map, journal, checklist, next phase, go back. On the theme map and the
review screen also every key of that screen (what check_action allows, so review mode
lists only what a supervisor may do).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider

from workbench.i18n import t

# (catalogue key of the label, app action)
COMMANDS = (
    ("themes_ui.palette.map", "theme_map"),
    ("themes_ui.palette.journal", "journal"),
    ("themes_ui.palette.checklist", "checklist"),
    ("themes_ui.palette.next", "phase_next"),
    ("themes_ui.palette.back", "phase_back"),
)


class ThemeCommands(Provider):
    """Theme map, journal, checklist and phase moves, from the command palette."""

    def _commands(self) -> list[tuple[str, Callable[[], Any]]]:
        from .map import ThemeMapScreen
        from .review import ThemeReviewScreen

        app = self.app
        out: list[tuple[str, Callable[[], Any]]] = []
        screen = self.screen
        if isinstance(screen, (ThemeMapScreen, ThemeReviewScreen)):
            for binding in screen.BINDINGS:
                if not isinstance(binding, Binding) or binding.action == "back":
                    continue
                name = binding.action.split("(", 1)[0]
                if screen.check_action(name, ()) is False:
                    continue
                out.append((f"{binding.description} ({binding.key.split(',')[0]})",
                            partial(screen.run_action, binding.action)))
        for key, action in COMMANDS:
            if app.check_action(action, ()) is False:
                continue
            out.append((t(key), partial(app.run_action, action)))
        return out

    async def discover(self) -> Hits:
        for label, command in self._commands():
            yield DiscoveryHit(label, command)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, command in self._commands():
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, matcher.highlight(label), command)
