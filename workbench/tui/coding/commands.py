"""The coding screen's actions in the command palette (ctrl+p)."""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider

from workbench.i18n import t


class CodingCommands(Provider):
    """Every ``coding.*`` binding of the screen, with its help text and current key."""

    def _entries(self) -> Iterator[tuple[str, str, str]]:
        screen = self.screen
        keys: dict[str, str] = {}
        for key, active in screen.active_bindings.items():
            if active.binding.id:
                keys.setdefault(active.binding.id, key)
        for binding in getattr(screen, "BINDINGS", ()):
            if not isinstance(binding, Binding) or not (binding.id or "").startswith("coding."):
                continue
            if screen.check_action(binding.action, ()) is False:
                continue
            assert binding.id is not None
            name = binding.id.split(".", 1)[1]
            key = keys.get(binding.id, binding.key.split(",")[0])
            help_text = t("coding_ui.palette.help", help=t(f"coding_ui.help.{name}"), key=key)
            yield f"{t('coding_ui.palette.group')}: {binding.description}", help_text, binding.action

    async def _run(self, action: str) -> None:
        await self.screen.run_action(action)

    async def discover(self) -> Hits:
        for label, help_text, action in self._entries():
            yield DiscoveryHit(label, partial(self._run, action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, help_text, action in self._entries():
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, matcher.highlight(label), partial(self._run, action),
                          text=label, help=help_text)
