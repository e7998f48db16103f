"""Settings of the benchmark runs: production's, on loopback HTTP, against the bench database.

The database is `motcua_bench_<scale>` (one per scale, so a 10-million-row set survives a small run)
unless BENCH_DATABASE_URL names another. Nothing here is a production recommendation except where a
comment says so; docs/BENCHMARKS.md lists those.
"""

import os
import secrets

import dj_database_url

SCALE = os.environ.setdefault("BENCH_SCALE", "small")
# production.py refuses a missing or development key; a bench run needs neither a real one nor HTTPS.
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-" + secrets.token_urlsafe(48))
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")

from config.settings.production import *  # noqa: E402, F403
from config.settings.production import BASE_DIR, TEMPLATES  # noqa: E402

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get(
            "BENCH_DATABASE_URL", f"postgres://postgres@127.0.0.1:5432/motcua_bench_{SCALE}"
        ),
        # Recommended in production too: a worker keeps its connection instead of opening one per
        # request (the PostgreSQL handshake costs more than the tracking page's query).
        conn_max_age=600,
        conn_health_checks=True,
    )
}
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "bench.urls"
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], BASE_DIR / "bench" / "templates"]
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "ERROR"}}
# The page cache every app worker shares (tmpfs, one machine), as production's CACHES["pages"]
# (motcua.core.pagecache.PageFileCache), in a directory of the bench's own per scale; in Redis
# when REDIS_URL is set (the soak's two servers, bench/bench_soak.py), as base.py puts it.
if not REDIS_URL:  # noqa: F405
    CACHES = {
        **CACHES,  # noqa: F405
        "pages": {
            "BACKEND": "motcua.core.pagecache.PageFileCache",
            "LOCATION": os.environ.get(
                "BENCH_PAGE_CACHE_DIR", f"/dev/shm/motcua_bench_pages_{SCALE}"
            ),
            "OPTIONS": {"MAX_ENTRIES": 200_000},
        },
    }
# The tracking page's per-client limit (config/settings/base.py: 30 a minute) would answer 429 to
# wrk's thousands of requests from one loopback address: the bench stands for many citizens. The
# limit is still counted on every request (its cost is measured), it only never trips.
MOTCUA_TRACKING_PER_MINUTE = 1_000_000
