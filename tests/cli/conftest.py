"""The CLI tests run on every backend: ``wb`` is a new project on the test's backend
(SQLite, and PostgreSQL when ``WORKBENCH_TEST_PG_URL`` is set; see tests/conftest.py)."""

from __future__ import annotations

import pytest

from workbench.services import Workbench


@pytest.fixture
def wb(wb_on_backend: Workbench) -> Workbench:
    return wb_on_backend
