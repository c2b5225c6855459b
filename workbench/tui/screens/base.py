"""What every screen that shows project data shares: the app and project it works on, and
the one refresh path (:class:`workbench.tui.messages.DataChanged`)."""

from __future__ import annotations

from typing import TypeVar

from textual import events
from textual.binding import Binding
from textual.dom import DOMNode
from textual.screen import Screen

from workbench.i18n import t
from workbench.services import Workbench
from workbench.tui.app import WorkbenchApp
from workbench.tui.messages import DataChanged

T = TypeVar("T")


def app_of(node: DOMNode) -> WorkbenchApp:
    """The app a widget or screen belongs to."""
    app = node.app
    assert isinstance(app, WorkbenchApp)
    return app


class ProjectScreen(Screen[T]):
    """A screen that shows project data and re-reads it when the project changes.

    The app posts :class:`DataChanged` to every screen on the stack after each change. The
    screen on top re-reads at once (:meth:`reload`); a screen underneath only notes that
    it is out of date and re-reads when it is shown again. Subclasses implement
    :meth:`reload` and do not handle ``DataChanged`` themselves.
    """

    _stale = False

    @property
    def workbench_app(self) -> WorkbenchApp:
        return app_of(self)

    @property
    def wb(self) -> Workbench:
        return app_of(self).wb

    @property
    def is_current(self) -> bool:
        """Visible to the user: on top, or under screens that let it show through.

        Textual counts the screen right under the top one as visible even when the top
        screen is opaque. Such a screen, once it has anything to repaint, repaints the
        whole top screen each time it handles a message (a ``DataChanged`` after every
        coding): a full-screen render for nothing. Covered by an opaque screen, it is not
        current; it is laid out and painted again when it comes back on top.
        """
        if not super().is_current:
            return False
        stack = self.app.screen_stack
        if self not in stack:
            return True
        above = stack[stack.index(self) + 1 :]
        return not any(screen.styles.background.a == 1 for screen in above)

    def reload(self, change: DataChanged | None) -> None:
        """Re-read what the screen shows. ``change`` is what happened (None: the screen
        is shown again after changes made while it was covered)."""
        raise NotImplementedError

    def on_data_changed(self, message: DataChanged) -> None:
        if self.is_active:
            self.reload(message)
        else:
            self._stale = True

    def on_key(self, event: events.Key) -> None:
        explain_refused_key(self, event)

    def on_screen_resume(self) -> None:
        if self._stale:
            self._stale = False
            self.reload(None)


def counted(key: str, n: int) -> str:
    """«1 ytring», «2 ytringer»: ``key.one`` or ``key.other`` of the catalogue, with ``n``.

    (Bokmål and English both have one singular form; a language with more would add keys.)
    """
    return t(f"{key}.{'one' if n == 1 else 'other'}", n=n)


def refusal_reason(app: WorkbenchApp) -> str | None:
    """Why changes are off (read-only file, supervisor review), or None when they are on."""
    if app.wb.readonly:
        return t("tui.refused.readonly")
    if app.review or not app.wb.editable:
        return t("tui.refused.review")
    return None


def explain_refused_key(screen: Screen[object], event: events.Key) -> None:
    """A key whose action is switched off here (hidden from the footer) says why, once.

    Switched-off bindings do not run, so their key reaches the screen as a plain key event;
    this turns it into one toast instead of silence.
    """
    app = app_of(screen)
    reason = refusal_reason(app)
    if reason is None:
        return
    keymap = getattr(app, "keymap", {}) or {}
    for binding in screen.BINDINGS:
        if not isinstance(binding, Binding):
            continue
        keys = keymap.get(binding.id, binding.key) if binding.id else binding.key
        if event.key not in [k.strip() for k in keys.split(",")]:
            continue
        if screen.check_action(binding.action, ()) is False:
            event.stop()
            event.prevent_default()
            screen.notify(reason, severity="warning", timeout=6)
        return
