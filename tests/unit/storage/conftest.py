"""The storage tests run on every backend: ``wb`` is a new project on the test's backend
(SQLite, and PostgreSQL when ``WORKBENCH_TEST_PG_URL`` is set; see tests/conftest.py)."""

from __future__ import annotations

import pytest

from workbench.services import Workbench

from tests.conftest import BACKENDS, PG_ENV, PgSchemas, pg_base_url, with_schema

__all__ = ["BACKENDS", "PG_ENV", "PgSchemas", "pg_base_url", "with_schema"]


@pytest.fixture
def wb(wb_on_backend: Workbench) -> Workbench:
    return wb_on_backend
