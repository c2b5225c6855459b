"""Fixtures shared by the service tests."""

from __future__ import annotations

import pytest

from workbench.services import Workbench

from tests.themes_fixtures import build_study


@pytest.fixture
def study(wb: Workbench):
    return build_study(wb)
