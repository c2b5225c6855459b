"""A Footer that recomposes only when the keys it shows change.

Textual's Footer rebuilds all its key widgets whenever the screen's bindings are updated,
which happens on every focus change (about 0.2 s of CPU on the coding screen). Moving the
focus between the transcript, the codebook and the find bar rarely changes the keys shown,
so this footer compares what it would show and skips the rebuild when nothing changed.
"""

from __future__ import annotations

from textual.screen import Screen
from textual.widgets import Footer


class StableFooter(Footer):
    _shown: tuple[object, ...] | None = None

    def _signature(self, screen: Screen) -> tuple[object, ...]:
        return tuple(
            (key, binding.action, binding.description, enabled, tooltip,
             self.app.get_key_display(binding))
            for key, (_, binding, enabled, tooltip) in screen.active_bindings.items()
            if binding.show or key == self.app.COMMAND_PALETTE_BINDING
        )

    def bindings_changed(self, screen: Screen) -> None:
        if self.is_attached and screen is self.screen and screen.app.app_focus:
            signature = self._signature(screen)
            if signature == self._shown:
                self._bindings_ready = True
                return
            self._shown = signature
        super().bindings_changed(screen)
