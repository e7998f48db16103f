"""Test overlay: fast hashing, in-memory mail, a test database name that parallel runs can vary."""

import os

from .base import *  # noqa: F403
from .base import CACHES, DATABASES, REDIS_URL

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Two suites on one PostgreSQL (two engineers, or CI beside a developer) must not share a database.
_suffix = os.environ.get("MOTCUA_TEST_DB_SUFFIX", "")
if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": f"test_motcua{_suffix}"}

# No shared page cache: a page cached in one test would outlive its rolled-back database and show
# another test's dossier of the same code. tests/portal/test_tracking_cache.py turns it on (memory).
CACHES = {alias: cache for alias, cache in CACHES.items() if alias != "pages"}
# Nor Redis, even when REDIS_URL is set where the suite runs: its keys would outlive the test (and
# the run) that wrote them. The tests of Redis turn it on themselves, under a key prefix of their
# own run (tests/redis_cache.py).
if REDIS_URL:
    CACHES["default"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}

# The tracking page counts pages per client address per minute in the default cache, which lives
# for the whole run: tests that test the limit lower it themselves.
MOTCUA_TRACKING_PER_MINUTE = 1_000_000

# Parallel workers (pytest-xdist) are children of one pytest process, and metric files are kept
# per parent process (motcua.ops.metrics): each worker gets its own folder, or one worker's
# requests would show in another's counts.
_xdist_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if _xdist_worker:
    from pathlib import Path

    from .base import MOTCUA_METRICS_DIR

    MOTCUA_METRICS_DIR = str(Path(MOTCUA_METRICS_DIR) / f"pytest-{_xdist_worker}")
