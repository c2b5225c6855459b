"""New entities' guids: valid UUIDs of version 7, in the order they were made."""

from __future__ import annotations

import uuid

from workbench.domain.model import new_guid


def test_guids_are_time_ordered_uuids() -> None:
    made = [new_guid() for _ in range(2000)]
    assert len(set(made)) == len(made)
    for guid in made[:50]:
        value = uuid.UUID(guid)
        assert str(value) == guid and value.version == 7 and value.variant == uuid.RFC_4122
    # one after the other, they sort in the order made (the unique index on guid is
    # appended to); equal milliseconds are ordered by the fraction bits, which may tie
    ms = [int(g.replace("-", "")[:12], 16) for g in made]
    assert ms == sorted(ms)
    assert sum(a < b for a, b in zip(made, made[1:])) >= 0.9 * (len(made) - 1)
