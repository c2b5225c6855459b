"""The command palette (ctrl+p): one provider for the whole app.

It lists, in this order:

- every key of the current screen when the screen is :class:`InPalette` (what its
  ``check_action`` allows, so a read-only project or review mode lists only what may be
  done), labelled «Group: what it does» with its help text and its current key;
- the theme work and the phases, from any screen (theme map, journal, checklist, next
  phase, go back), when the app allows them.

Keys are read the one way the help screen (F1) reads them too:
:meth:`workbench.tui.app.WorkbenchApp.key_for`, which knows the user's remapped keys.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING, Any, ClassVar

from collections.abc import Iterable

from textual import events
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette, DiscoveryHit, Hit, Hits, Provider
from textual.screen import Screen
from textual.widget import Widget

from workbench.i18n import t

if TYPE_CHECKING:
    from workbench.tui.app import WorkbenchApp

# (catalogue key of the label, app action): offered on every screen.
APP_COMMANDS = (
    ("themes_ui.palette.map", "theme_map"),
    ("themes_ui.palette.journal", "journal"),
    ("themes_ui.palette.checklist", "checklist"),
    ("themes_ui.palette.next", "phase_next"),
    ("themes_ui.palette.back", "phase_back"),
    ("privacy.tui.palette", "withdraw"),
    ("team_tui.palette.members", "members"),
    ("agreement.tui.palette.open", "agreement"),
    ("merge.tui.palette", "merge_colleague"),
)


class InPalette:
    """Mixin for a screen whose keys the command palette lists.

    ``PALETTE_GROUP`` is the catalogue key of the group label («Koding»);
    ``PALETTE_HELP`` a catalogue prefix whose ``.<name>`` entries (the part of the binding id
    after the dot) explain each key, or None.
    """

    PALETTE_GROUP: ClassVar[str]
    PALETTE_HELP: ClassVar[str | None] = None


class WorkbenchCommands(Provider):
    """The current screen's keys and the app-wide theme and phase commands."""

    def _workbench_app(self) -> WorkbenchApp:
        from workbench.tui.app import WorkbenchApp

        app = self.app
        assert isinstance(app, WorkbenchApp)
        return app

    def _entries(self) -> Iterator[tuple[str, str | None, Widget | App[Any], str]]:
        """(label, help text, node to run the action on, action)."""
        app = self._workbench_app()
        screen = self.screen
        if isinstance(screen, InPalette):
            group = t(screen.PALETTE_GROUP)
            for binding in screen.BINDINGS:
                if not isinstance(binding, Binding) or not binding.id:
                    continue
                if screen.check_action(binding.action.split("(", 1)[0], ()) is False:
                    continue
                key = app.key_for(binding).split(",")[0]
                what = (t(f"{screen.PALETTE_HELP}.{binding.id.split('.', 1)[1]}")
                        if screen.PALETTE_HELP else None)
                help_text = (t("tui.palette.help", help=what, key=key) if what
                             else t("tui.palette.key", key=key))
                yield f"{group}: {binding.description}", help_text, screen, binding.action
        for label_key, action in APP_COMMANDS:
            if app.check_action(action, ()) is False:
                continue
            yield t(label_key), None, app, action

    @staticmethod
    async def _run(node: Widget | App[Any], action: str) -> None:
        await node.run_action(action)

    async def discover(self) -> Hits:
        for label, help_text, node, action in self._entries():
            yield DiscoveryHit(label, partial(self._run, node, action), help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for label, help_text, node, action in self._entries():
            score = matcher.match(label)
            if score > 0:
                yield Hit(score, matcher.highlight(label), partial(self._run, node, action),
                          text=label, help=help_text)


def palette_binding() -> Binding:
    """The command palette's key, described in the UI language (Textual says «palette»)."""
    return Binding("ctrl+p", "command_palette", t("tui.palette.name"), show=False,
                   priority=True, tooltip=t("tui.palette.tooltip"), id="app.palette")


class TranslatedSystemCommands:
    """Mixin for the App: Textual's own palette commands and texts in the UI language.

    Textual's built-in commands (Theme, Quit, Keys, Maximize, Screenshot) and its palette
    placeholder are English; here they come from the catalogue. Textual's «Theme» (the
    colours) is «Fargetema», so it is not confused with the analysis's themes («Tema»).
    """

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        app = self
        assert isinstance(app, App)
        yield SystemCommand(t("tui.system.theme"), t("tui.system.theme_help"),
                            app.action_change_theme)
        yield SystemCommand(t("tui.system.quit"), t("tui.system.quit_help"), app.action_quit)
        if screen.query("HelpPanel"):
            yield SystemCommand(t("tui.system.keys"), t("tui.system.keys_hide_help"),
                                app.action_hide_help_panel)
        else:
            yield SystemCommand(t("tui.system.keys"), t("tui.system.keys_help"),
                                app.action_show_help_panel)
        if screen.maximized is not None:
            yield SystemCommand(t("tui.system.minimize"), t("tui.system.minimize_help"),
                                screen.action_minimize)
        elif screen.focused is not None and screen.focused.allow_maximize:
            yield SystemCommand(t("tui.system.maximize"), t("tui.system.maximize_help"),
                                screen.action_maximize)
        yield SystemCommand(t("tui.system.screenshot"), t("tui.system.screenshot_help"),
                            lambda: app.set_timer(0.1, app.deliver_screenshot))

    def action_command_palette(self) -> None:
        app = self
        assert isinstance(app, App)
        if app.use_command_palette and not CommandPalette.is_open(app):
            app.push_screen(CommandPalette(id="--command-palette",
                                           placeholder=t("tui.system.placeholder")))

    def on_delivery_complete(self, event: events.DeliveryComplete) -> None:
        """«Saved screenshot» in the UI language (runs before Textual's own handler)."""
        if event.name != "screenshot":
            return
        event.prevent_default()
        app = self
        assert isinstance(app, App)
        app.notify(t("tui.system.screenshot_saved", path=str(event.path or "")),
                   title=t("tui.system.screenshot"), markup=False)

    def search_themes(self) -> None:
        from textual.theme import ThemeProvider

        app = self
        assert isinstance(app, App)
        app.push_screen(CommandPalette(providers=[ThemeProvider],
                                       placeholder=t("tui.system.theme_placeholder")))
