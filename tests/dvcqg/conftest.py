"""The stand-in portal on an ephemeral loopback port, and the settings that point the client at it."""

import pytest

from motcua.dvcqg.client import sessions_forget_all
from motcua.dvcqg.standin import DEFAULT_PATHS, StandInDvcqg
from tests.documents.conftest import ca_files, signing  # noqa: F401 (fixtures for results)

USERNAME, PASSWORD = "motcua-thu", "mat-khau-bi-mat-9271"
MADONVI, DSTCODE = "000.00.12.H27", "DST-THU-NGHIEM"


@pytest.fixture(autouse=True)
def _sessions_forgotten():
    """Sessions live in process memory beside the cache: each test starts with none."""
    sessions_forget_all()
    yield
    sessions_forget_all()


@pytest.fixture
def standin():
    server = StandInDvcqg(
        username=USERNAME, password=PASSWORD, madonvi=MADONVI, dstcode=DSTCODE
    ).start()
    yield server
    server.close()


@pytest.fixture
def portal(settings, standin):
    """The stand-in, with the settings a real installation would set for it."""
    settings.DVCQG_ADAPTER_URL = standin.url
    settings.DVCQG_AUTH_ENDPOINT = DEFAULT_PATHS["auth"]
    settings.DVCQG_INTEGRATION_ENDPOINT = DEFAULT_PATHS["integration"]
    settings.DVCQG_SHARE_ENDPOINT = DEFAULT_PATHS["share"]
    settings.DVCQG_USERNAME = USERNAME
    settings.DVCQG_PASSWORD = PASSWORD
    settings.DVCQG_MADONVI = MADONVI
    settings.DVCQG_DSTCODE = DSTCODE
    settings.DVCQG_TIMEOUT_SECONDS = 5
    settings.DVCQG_CONNECT_TIMEOUT_SECONDS = 2
    settings.DVCQG_AUTH_ERROR_CODES = []
    return standin
