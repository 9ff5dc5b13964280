"""Fixtures: the shipped catalog and a plan made by the real planner from it."""

from __future__ import annotations

import pytest

from kneecap.core.catalog import Catalog, load_catalog
from kneecap.core.planning import Plan, generate_plan
from kneecap.core.profile import parse_profile
from tests.export.builders import PROFILE


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture(scope="session")
def real_plan(catalog: Catalog) -> Plan:
    plan = generate_plan(parse_profile(PROFILE), catalog)
    assert plan.blocked is None and any(True for _ in plan.sessions())
    return plan
