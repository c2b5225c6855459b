"""Fixtures shared by the service tests. They run on every backend: ``wb`` is a new
project on the test's backend (SQLite, and PostgreSQL when ``WORKBENCH_TEST_PG_URL`` is
set; see tests/conftest.py)."""

from __future__ import annotations

import pytest

from workbench.services import Workbench

from tests.themes_fixtures import build_study


@pytest.fixture
def wb(wb_on_backend: Workbench) -> Workbench:
    return wb_on_backend


@pytest.fixture
def study(wb: Workbench):
    return build_study(wb)
