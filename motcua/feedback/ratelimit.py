"""A small fixed-window rate limit for the public forms, kept in the shared cache (set
DJANGO_CACHE=database when several app servers run, so they count together)."""

from django.core.cache import cache

from motcua.core.clock import now


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def rate_limit_hit(request, scope: str, *, limit: int, window_seconds: int) -> bool:
    """Count one attempt of this client in `scope`; True once it went over `limit` in the window."""
    window = int(now().timestamp()) // window_seconds
    key = f"ratelimit:{scope}:{client_address(request)}:{window}"
    if cache.add(key, 1, window_seconds):
        return limit < 1
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, window_seconds)
        count = 1
    return count > limit
