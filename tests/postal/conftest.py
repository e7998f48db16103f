import pytest


@pytest.fixture(autouse=True)
def postal_settings(settings, tmp_path):
    settings.POSTAL_WEBHOOK_SECRETS = {"vnpost": "bi-mat-webhook-thu-nghiem"}
    settings.POSTAL_OPERATOR_BACKEND = "file"
    settings.POSTAL_OUTBOX_DIR = str(tmp_path / "outbox")
    return settings
