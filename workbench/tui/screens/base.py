"""What every screen that shows project data shares: the app and project it works on, and
the one refresh path (:class:`workbench.tui.messages.DataChanged`)."""

from __future__ import annotations

from typing import TypeVar

from textual.dom import DOMNode
from textual.screen import Screen

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

    def reload(self, change: DataChanged | None) -> None:
        """Re-read what the screen shows. ``change`` is what happened (None: the screen
        is shown again after changes made while it was covered)."""
        raise NotImplementedError

    def on_data_changed(self, message: DataChanged) -> None:
        if self.is_active:
            self.reload(message)
        else:
            self._stale = True

    def on_screen_resume(self) -> None:
        if self._stale:
            self._stale = False
            self.reload(None)
