"""Fixed-window counters in the shared cache: how many times a key was seen in the current window.

The key is whatever is being limited — a client address (motcua.core.client_address.client_ip),
an ID number, a phone number. Several app servers count together when they share the cache: set
REDIS_URL (docs/adr/0029), where `add` is one SET NX and `incr` one INCR, so two servers counting
at once never both see room for one more.
"""

import contextlib
import hashlib

from django.core.cache import cache

from motcua.core.clock import now


def _digest(scope: str, key: str) -> str:
    # Hashed: an ID number or a phone number is personal data and stays out of cache keys.
    return hashlib.sha256(f"{scope}:{key}".encode()).hexdigest()[:32]


def _cache_key(scope: str, key: str, window_seconds: int) -> str:
    window = int(now().timestamp()) // window_seconds
    return f"ratelimit:{scope}:{_digest(scope, key)}:{window}"


def client_rate_limit_hit(request, scope: str, *, limit: int, window_seconds: int) -> bool:
    """Count one request of this client (its address as the trusted proxy chain reports it) in
    `scope`; True once it went over `limit` in the window."""
    from motcua.core.client_address import client_ip

    return rate_limit_hit(
        scope, client_ip(request) or "-", limit=limit, window_seconds=window_seconds
    )


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


def rate_limit_give_back(scope: str, key: str, *, window_seconds: int) -> None:
    """Take back one attempt counted by `rate_limit_hit` (the thing it allowed did not happen)."""
    with contextlib.suppress(ValueError):  # the window ended meanwhile: nothing to give back
        cache.decr(_cache_key(scope, key, window_seconds))


def rate_claim(scope: str, key: str, *, seconds: int) -> bool:
    """Claim `key` in `scope` for `seconds`: True for the one caller that got it, False while an
    earlier claim lasts (a cooldown that two app servers cannot both pass at once)."""
    return cache.add(f"claim:{scope}:{_digest(scope, key)}", 1, seconds)


def rate_claim_release(scope: str, key: str) -> None:
    """End a claim before its time (what it guarded did not happen)."""
    cache.delete(f"claim:{scope}:{_digest(scope, key)}")
