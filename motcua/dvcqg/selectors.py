"""Reads of the national portal sync for the administrator's page and `motcua dvcqg status`."""

from __future__ import annotations

from django.conf import settings

from motcua.dossiers.changes import feed_health
from motcua.dossiers.models import DeliveryState, DossierChangeDelivery

from .client import dvcqg_enabled
from .models import DossierSync

SUBSCRIBER = "dvcqg"  # the feed subscriber of motcua.dvcqg.sync
PROBLEMS_SHOWN = 100


def dvcqg_status() -> dict:
    """The sync's counts and lag, as `motcua dvcqg status` prints them (JSON)."""
    health = feed_health(SUBSCRIBER)
    return {
        "enabled": dvcqg_enabled(),
        "since": settings.DVCQG_SYNC_SINCE or None,
        "counts": health.counts,
        "lag_seconds": round(health.lag_seconds, 1),
        "oldest_waiting_at": health.oldest_waiting_at.isoformat()
        if health.oldest_waiting_at
        else None,
        "dossiers_known_to_portal": DossierSync.objects.count(),
    }


def sync_problems(limit: int = PROBLEMS_SHOWN):
    """The changes that failed (to be retried) or were set aside (dead), newest first, with their
    dossier's code and the portal's message."""
    return (
        DossierChangeDelivery.objects.filter(
            subscriber=SUBSCRIBER, state__in=(DeliveryState.FAILED, DeliveryState.DEAD)
        )
        .select_related("change__dossier")
        .only(
            "state",
            "attempts",
            "next_attempt_at",
            "last_error",
            "change__kind",
            "change__at",
            "change__dossier__code",
        )
        .order_by("-change_id")[:limit]
    )
