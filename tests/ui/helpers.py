"""Small helpers for driving the app with Pilot."""

from __future__ import annotations

from textual.pilot import Pilot

from workbench.tui.app import WATCH_GROUP


async def workers_done(app: object) -> None:
    """Wait for the app's thread workers to finish, all but the project watcher (which
    runs as long as the app does)."""
    workers = [w for w in app.workers if w.group != WATCH_GROUP]  # type: ignore[attr-defined]
    if workers:  # an empty list would mean "all" to Textual
        await app.workers.wait_for_complete(workers)  # type: ignore[attr-defined]


async def settle(pilot: Pilot[object], rounds: int = 3) -> None:
    """Let thread workers finish and their result messages be handled.

    A change re-reads screens in workers (the theme map, the review screen, the coding
    screen after an undo); each round waits for the workers and then for the messages they
    posted, which may start further work.
    """
    for _ in range(rounds):
        await workers_done(pilot.app)
        await pilot.pause()


def recorded_notifications(app: object) -> list[str]:
    """Every notification the app shows from now on, as text."""
    seen: list[str] = []
    original = app.notify  # type: ignore[attr-defined]

    def notify(message, *args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(str(message))
        return original(message, *args, **kwargs)

    app.notify = notify  # type: ignore[attr-defined]
    return seen


def idle_nlp(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Leave the NLP warm-up out: tests that do not import or search need no pipeline."""
    import workbench.nlp

    class _Idle:
        def warm_up(self, background: bool = False) -> None:
            return None

    monkeypatch.setattr(workbench.nlp, "get_pipeline", lambda *a, **k: _Idle())


async def open_members(pilot: Pilot[object]):  # type: ignore[no-untyped-def]
    """F8 from where the app is, and the members screen it opens."""
    from workbench.tui.screens.members import MembersScreen

    await pilot.press("f8")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, MembersScreen)
    return screen
