import pytest
from django.conf import settings

from motcua.accounts.roles import Role
from motcua.calendars.services import calendar_seed_official_notices
from motcua.catalog.services import catalog_import
from tests.accounts.factories import UserFactory
from tests.catalog.factories import document, make_units, version
from tests.payments.helpers import SECRETS, collecting_account


@pytest.fixture(autouse=True)
def webhook_secrets(monkeypatch):
    """The providers' secrets as the environment would give them (settings read os.environ)."""
    monkeypatch.setattr(settings, "PAYMENTS_WEBHOOK_SECRETS", dict(SECRETS))


@pytest.fixture
def account(db):
    return collecting_account()


@pytest.fixture
def desk_supplement_fee(db):
    units = make_units()
    catalog_import(
        None,
        document(
            procedures=[
                {
                    "code": "2.001417",
                    "is_internal": False,
                    "versions": [version(fee_due="supplement")],
                }
            ]
        ),
    )
    calendar_seed_official_notices()
    return {
        "units": units,
        "desk": UserFactory(role=Role.DESK_OFFICER, unit=units["centre"]),
        "head": UserFactory(role=Role.DIVISION_HEAD, unit=units["division"]),
        "specialist": UserFactory(role=Role.SPECIALIST, unit=units["division"]),
    }
