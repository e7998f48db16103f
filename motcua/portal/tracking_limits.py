"""Limits of the public tracking page (docs/adr/0021): pages per client address per minute, and
wrong "last digits" per dossier per hour. Counted by motcua.core.rate_limits in Django's default
cache, which app servers must share (REDIS_URL, docs/adr/0029) for the limits to hold across them.
Checked before the shared page cache is read, so cached pages count too."""

from django.conf import settings

from motcua.core.rate_limits import client_rate_limit_hit, rate_limit_count, rate_limit_hit

HOUR = 3600


def tracking_rate_exceeded(request) -> bool:
    """Count this request against its client's minute; True past MOTCUA_TRACKING_PER_MINUTE."""
    return client_rate_limit_hit(
        request, "tracking", limit=settings.MOTCUA_TRACKING_PER_MINUTE, window_seconds=60
    )


def tracking_unlock_blocked(dossier_key: str) -> bool:
    failures = rate_limit_count("tracking-unlock", dossier_key, window_seconds=HOUR)
    return failures >= settings.MOTCUA_TRACKING_UNLOCK_FAILURES


def tracking_unlock_failed(dossier_key: str) -> None:
    rate_limit_hit(
        "tracking-unlock",
        dossier_key,
        limit=settings.MOTCUA_TRACKING_UNLOCK_FAILURES,
        window_seconds=HOUR,
    )
