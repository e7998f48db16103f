"""The Redis the tests of shared state use (docs/adr/0029): the machine's, at MOTCUA_TEST_REDIS_URL
(database 14 of redis://127.0.0.1:6379 unless set), under a key prefix of this run alone. A test
deletes only the keys under its prefix, never the whole database: another run, or an installation,
may share the server.

Without a Redis these tests are skipped, with the reason; under CI=true they fail instead.
"""

import os
import uuid

import pytest

REDIS_TEST_URL = os.environ.get("MOTCUA_TEST_REDIS_URL", "redis://127.0.0.1:6379/14")


def redis_required() -> None:
    """Skip (or fail, under CI) unless the test Redis answers."""
    import redis

    try:
        redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=2).ping()
    except (redis.ConnectionError, redis.TimeoutError, OSError) as exc:
        reason = f"Redis không trả lời tại {REDIS_TEST_URL}: {exc}"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)


def unique_prefix() -> str:
    return f"motcua-test-{uuid.uuid4().hex[:12]}"


def redis_caches(prefix: str) -> dict:
    """settings.CACHES as base.py builds it with REDIS_URL and MOTCUA_CACHE_KEY_PREFIX=prefix."""
    return {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_TEST_URL,
            "KEY_PREFIX": prefix,
        },
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_TEST_URL,
            "KEY_PREFIX": f"{prefix}:pages",
        },
    }


def redis_keys(prefix: str) -> list[bytes]:
    import redis

    client = redis.Redis.from_url(REDIS_TEST_URL)
    return list(client.scan_iter(match=f"{prefix}:*", count=1000))


def redis_forget(prefix: str) -> None:
    """Delete this run's keys, and only them."""
    import redis

    client = redis.Redis.from_url(REDIS_TEST_URL)
    keys = redis_keys(prefix)
    for start in range(0, len(keys), 500):
        client.delete(*keys[start : start + 500])


@pytest.fixture
def shared_redis():
    """Both caches in Redis for the test, as on an installation with REDIS_URL; yields the prefix."""
    from django.test import override_settings

    redis_required()
    prefix = unique_prefix()
    with override_settings(CACHES=redis_caches(prefix), REDIS_URL=REDIS_TEST_URL):
        yield prefix
    redis_forget(prefix)
