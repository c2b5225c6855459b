"""Checks shared by the service tests."""

from __future__ import annotations

import pytest

from workbench.i18n import UserError
from workbench.services import Workbench
from workbench.services.themes import walk

from tests.unit.storage.test_changelog import dump


def shape(wb: Workbench) -> list[tuple]:
    """The map as (depth, name, [code names]) in order."""
    names = {c.id: c.name for c in wb.codes.list()}
    return [
        (depth, th.name, [names[c] for c in th.code_ids])
        for th, depth in walk(wb.themes.tree())
    ]


def refused(wb: Workbench, fn, key: str) -> None:
    """``fn`` raises the UserError ``key`` and changes nothing, records nothing."""
    before = dump(wb), len(wb.history())
    with pytest.raises(UserError) as info:
        fn()
    assert info.value.key == key
    assert (dump(wb), len(wb.history())) == before


def undo_restores(wb: Workbench, fn) -> None:
    before = dump(wb)
    fn()
    after = dump(wb)
    assert after != before
    wb.undo()
    assert dump(wb) == before
    wb.redo()
    assert dump(wb) == after
