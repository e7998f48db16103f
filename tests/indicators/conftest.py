import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def empty_cache():
    """The dashboard caches the other apps' sections per period: no test sees another's."""
    cache.clear()
    yield
    cache.clear()
