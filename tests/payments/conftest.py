import pytest
from django.conf import settings

from tests.payments.helpers import SECRETS, collecting_account


@pytest.fixture(autouse=True)
def webhook_secrets(monkeypatch):
    """The providers' secrets as the environment would give them (settings read os.environ)."""
    monkeypatch.setattr(settings, "PAYMENTS_WEBHOOK_SECRETS", dict(SECRETS))


@pytest.fixture
def account(db):
    return collecting_account()
