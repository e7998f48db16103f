"""Reads of the national portal sync for the administrator's page and `motcua dvcqg status`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Exists, OuterRef, Q

from motcua.dossiers.changes import PENDING, feed_health
from motcua.dossiers.models import ChannelKind, DeliveryState, Dossier, DossierChangeDelivery

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


@dataclass(frozen=True)
class SyncedShare:
    """How many of a period's dossiers the portal holds in their current state ("đã đồng bộ")."""

    dossiers: int
    synced: int
    enabled: bool

    @property
    def pct(self) -> float | None:
        return round(100 * self.synced / self.dossiers, 1) if self.dossiers else None


def synced_share(start: datetime, end: datetime, dossier_filter: Q | None = None) -> SyncedShare:
    """The dossiers received in [start, end) (and matching `dossier_filter`, e.g. an indicators
    scope's unit or field), and those of them whose current state has reached the national
    portal: sent at least once (DossierSync) with no change of theirs still waiting, failing or
    set aside for the sync. A change the sync skips (no national status) does not count against
    it; a dossier received before DVCQG_SYNC_SINCE and never back-filled is not synced. A dossier
    received by liên thông is not counted: the agency it was submitted to syncs it (ADR 0044). Two
    statements."""
    pending = DossierChangeDelivery.objects.filter(
        subscriber=SUBSCRIBER, dossier_id_copy=OuterRef("pk"), state__in=PENDING
    )
    known = DossierSync.objects.filter(dossier_id=OuterRef("pk"))
    period = (
        Dossier.objects.filter(received_at__gte=start, received_at__lt=end)
        .exclude(channel=ChannelKind.LIENTHONG)
        .filter(dossier_filter or Q())
    )
    # In WHERE, not as annotations: the planner joins (semi- and anti-join) instead of probing
    # both tables once per dossier — a half-year at province scale is millions of dossiers.
    synced = period.filter(Exists(known)).filter(~Exists(pending))
    counts = {"dossiers": period.count(), "synced": synced.count()}
    return SyncedShare(counts["dossiers"], counts["synced"], dvcqg_enabled())
