"""What the staff home pages show at a glance (selectors: reads only). Every count goes through
`dossiers_visible_to`, the same rule as the dossier pages, so a home page never counts another
unit's dossiers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db.models import QuerySet

from motcua.core.clock import now
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.selectors import dossiers_visible_to
from motcua.dossiers.workflow import CLOCK_RUNNING, Status

HOME_ROWS = 5  # rows listed under each count; the worklist link shows the rest
RECENT_SUPPLEMENT_DAYS = 7


@dataclass(frozen=True)
class Tally:
    count: int
    rows: list[Dossier]
    status: str = ""  # the worklist filter that lists them all ("" when none fits)


def _tally(dossiers: QuerySet[Dossier], status: str = "") -> Tally:
    rows = list(dossiers.select_related("procedure_version").order_by("due_at", "pk")[:HOME_ROWS])
    return Tally(dossiers.count(), rows, status)


def desk_overview(user) -> dict[str, Tally]:
    """The desk's first screen: online dossiers waiting to be received, results to return today
    (or already late), and supplements citizens sent in the last week."""
    visible = dossiers_visible_to(user)
    at = now()
    end_of_today = datetime.combine(at.date(), time.max, tzinfo=at.tzinfo)
    since = at - timedelta(days=RECENT_SUPPLEMENT_DAYS)
    answered = DossierEvent.objects.filter(action="supplement_received", at__gte=since)
    return {
        "online_waiting": _tally(
            visible.filter(status=Status.SUBMITTED_ONLINE), Status.SUBMITTED_ONLINE
        ),
        "return_today": _tally(
            visible.filter(status=Status.FINISHED, due_at__lte=end_of_today), Status.FINISHED
        ),
        "supplements_received": _tally(
            visible.filter(pk__in=answered.values("dossier_id")).exclude(
                status__in=[Status.RETURNED, Status.WITHDRAWN]
            )
        ),
    }


def leader_overview(user) -> dict[str, Tally]:
    """Work waiting on the leader now: dossiers to sign, and open dossiers past their due time."""
    visible = dossiers_visible_to(user)
    return {
        "awaiting_signature": _tally(
            visible.filter(status=Status.AWAITING_SIGNATURE), Status.AWAITING_SIGNATURE
        ),
        "overdue": _tally(visible.filter(status__in=CLOCK_RUNNING, due_at__lt=now())),
    }
