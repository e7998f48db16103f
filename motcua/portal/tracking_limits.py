"""Limits of the public tracking page (docs/adr/0021): pages per client address per minute, and
wrong "last digits" per dossier per hour. Counted in Django's default cache, which app servers must
share (database or Redis cache) for the limits to hold across them. Checked before the shared page
cache is read, so cached pages count too."""

from django.conf import settings
from django.core.cache import cache

from motcua.core.client_address import client_ip
from motcua.core.clock import now


def _count(key: str, timeout: int) -> int:
    cache.add(key, 0, timeout)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout)
        return 1


def tracking_rate_exceeded(request) -> bool:
    """Count this request against its client's minute; True past MOTCUA_TRACKING_PER_MINUTE."""
    minute = int(now().timestamp()) // 60
    key = f"motcua:tracking:rate:{client_ip(request) or '-'}:{minute}"
    return _count(key, 120) > settings.MOTCUA_TRACKING_PER_MINUTE


def _unlock_key(dossier_key: str) -> str:
    hour = int(now().timestamp()) // 3600
    return f"motcua:tracking:unlock:{dossier_key}:{hour}"


def tracking_unlock_blocked(dossier_key: str) -> bool:
    return (cache.get(_unlock_key(dossier_key)) or 0) >= settings.MOTCUA_TRACKING_UNLOCK_FAILURES


def tracking_unlock_failed(dossier_key: str) -> None:
    _count(_unlock_key(dossier_key), 3700)
