"""The project watcher (storage/watch.py) and the change log's "changes since", on SQLite and
PostgreSQL: another store's commit wakes the watcher, nothing else does, and
``changes_since`` says who did, undid or redid what, and which changes were this store's."""

from __future__ import annotations

from workbench.services import Workbench


def test_a_commit_by_another_store_wakes_the_watcher(wb: Workbench, project_target: str) -> None:
    with wb.watcher() as watcher:
        assert not watcher.wait(0.3)  # nothing happened
        with Workbench.open(project_target, actor="kari") as other:
            other.codes.create("håp")
        assert watcher.wait(3.0)
        assert not watcher.wait(0.6)  # told once
        wb.codes.list()  # reading is not a change
        assert not watcher.wait(0.6)


def test_changes_since_names_who_did_undid_and_redid_what(
    wb: Workbench, project_target: str,
) -> None:
    clock = wb.change_clock()
    wb.codes.create("mitt")
    with Workbench.open(project_target, actor="kari") as other:
        other.codes.create("hennes")
        other.undo()
        other.redo()
    clock, changes = wb.changes_since(clock)
    assert [(c.own, c.step, c.info.actor, c.info.name) for c in changes] == [
        (True, "done", "tester", "code.create"),
        (False, "redone", "kari", "code.create"),  # one entry: its latest step
    ]
    assert "mitt" in changes[0].info.summary and "hennes" in changes[1].info.summary
    assert clock == wb.change_clock()
    assert wb.changes_since(clock) == (clock, [])


def test_own_applied_holds_only_this_stores_commits(wb: Workbench, project_target: str) -> None:
    clock = wb.change_clock()
    wb.codes.create("a")
    wb.undo()
    with Workbench.open(project_target, actor="kari") as other:
        other.codes.create("b")
    _, changes = wb.changes_since(clock)
    assert [(c.own, c.step) for c in changes] == [(True, "undone"), (False, "done")]
    assert {c.applied for c in changes if c.own} <= wb.store.own_applied
    assert not {c.applied for c in changes if not c.own} & wb.store.own_applied
