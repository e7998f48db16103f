import pytest
from django.core.cache import cache
from django.test import Client

from motcua.catalog.services import catalog_import
from tests.catalog.factories import document, version


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Throttle counters and idempotency keys live in the cache: every test starts clean."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def anon():
    """An anonymous visitor: the portal has no sign-in."""
    return Client()


@pytest.fixture
def catalogue(desk):
    """Beside 2.001417 (desk, online, post): a desk-only procedure and an internal one."""
    catalog_import(
        None,
        document(
            procedures=[
                {
                    "code": "2.000488",
                    "is_internal": False,
                    "versions": [
                        version(
                            name="Cấp giấy chứng nhận đủ điều kiện hành nghề",
                            intake_channels=["desk"],
                        )
                    ],
                },
                {
                    "code": "2.000999",
                    "is_internal": True,
                    "versions": [version(name="Thủ tục nội bộ về công tác tư pháp")],
                },
            ]
        ),
    )
    return desk
