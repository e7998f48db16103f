"""Fixed-window counters in the shared cache: how many times a key was seen in the current window.

The key is whatever is being limited — a client address (motcua.core.client_address.client_ip),
an ID number, a phone number. Set DJANGO_CACHE=database when several app servers run, so they
count together.
"""

import hashlib

from django.core.cache import cache

from motcua.core.clock import now


def _cache_key(scope: str, key: str, window_seconds: int) -> str:
    window = int(now().timestamp()) // window_seconds
    # Hashed: an ID number or a phone number is personal data and stays out of cache keys.
    digest = hashlib.sha256(f"{scope}:{key}".encode()).hexdigest()[:32]
    return f"ratelimit:{scope}:{digest}:{window}"


def rate_limit_hit(scope: str, key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one attempt for `key` in `scope`; True once it went over `limit` in the window."""
    cache_key = _cache_key(scope, key, window_seconds)
    if cache.add(cache_key, 1, window_seconds):
        return limit < 1
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, window_seconds)
        count = 1
    return count > limit


def rate_limit_count(scope: str, key: str, *, window_seconds: int) -> int:
    """How many attempts `key` made in `scope` this window, without counting one more."""
    return cache.get(_cache_key(scope, key, window_seconds)) or 0
