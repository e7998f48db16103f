"""A small fixed-window rate limit for the public forms, per client address (as the trusted proxy
chain reports it: motcua.core.client_address), kept in the shared cache (set REDIS_URL when
several app servers run, so they count together: docs/adr/0029)."""

from motcua.core import rate_limits
from motcua.core.client_address import client_ip


def rate_limit_hit(request, scope: str, *, limit: int, window_seconds: int) -> bool:
    """Count one attempt of this client in `scope`; True once it went over `limit` in the window."""
    return rate_limits.rate_limit_hit(
        scope, client_ip(request), limit=limit, window_seconds=window_seconds
    )
