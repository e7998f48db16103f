import os

import pytest

# Playwright's sync API keeps an event loop running in the test thread; Django would otherwise
# refuse database access from it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Fixtures shared across test packages (the desk fixture is used by dossier, back-office and
# browser tests alike); `shared_redis` puts the caches in Redis for one test (tests/redis_cache.py).
pytest_plugins = ["tests.dossiers.fixtures", "tests.browser.fixtures", "tests.redis_cache"]


@pytest.fixture(autouse=True)
def _counters_forgotten():
    """Rate-limit counters live in the default cache, which outlives a test in one process: each
    test starts with none (an online submission is counted per ID number and per phone)."""
    from django.core.cache import caches
    from django.core.cache.backends.locmem import LocMemCache

    if isinstance(caches["default"], LocMemCache):  # a database cache is rolled back instead
        caches["default"].clear()
