"""Shared dossier fixtures, loaded for the whole suite by tests/conftest.py (pytest_plugins)."""

import pytest

from motcua.accounts.roles import Role
from motcua.calendars.services import calendar_seed_official_notices
from motcua.catalog.services import catalog_import
from tests.accounts.factories import UserFactory
from tests.catalog.factories import document, make_units


@pytest.fixture
def desk(db):
    """A small province with the judicial-record procedure (10 working days, 4 steps) and one
    person in each role where the procedure's steps are done."""
    units = make_units()
    catalog_import(None, document())
    calendar_seed_official_notices()
    return {
        "units": units,
        "desk": UserFactory(role=Role.DESK_OFFICER, unit=units["centre"], username="motcua"),
        "head": UserFactory(
            role=Role.DIVISION_HEAD, unit=units["division"], username="truongphong"
        ),
        "specialist": UserFactory(
            role=Role.SPECIALIST, unit=units["division"], username="chuyenvien"
        ),
        "leader": UserFactory(role=Role.DEPARTMENT_LEADER, unit=units["so"], username="giamdoc"),
    }
