"""The stand-in SMS gateway (esms_server.py) and the settings that point the project at it."""

import pytest

from .esms_server import EsmsServer


@pytest.fixture
def esms():
    server = EsmsServer()
    yield server
    server.close()


@pytest.fixture
def esms_settings(settings, esms):
    settings.SMS_GATEWAY = "esms"
    settings.ESMS_API_URL = esms.url
    settings.ESMS_API_KEY = "key"
    settings.ESMS_SECRET_KEY = "secret"
    settings.ESMS_BRANDNAME = "STP_HATINH"
    return settings
