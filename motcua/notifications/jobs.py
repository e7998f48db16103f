"""`motcua jobs run notifications-retry`: deliver again the messages that have not left yet.

A message is queued and sent after its transaction commits (services.notification_queue). It stays
"queued" when the gateway failed in a way that may pass (a timeout, a 5xx, a lost answer), or when
the process stopped between the commit and the sending. This job tries those again, each after a
back-off that doubles with every attempt, and gives up after services.MAX_ATTEMPTS (the message is
then "failed", shown to the operator). A permanent refusal (a bad number, wrong credentials) is
"failed" at once and never retried; so is a one-time code (notification_send_now), whose text is
not even stored.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q

from motcua.core.clock import now
from motcua.core.jobs import job_run
from motcua.core.models import JobRun

from .models import DeliveryStatus, Notification
from .services import MAX_ATTEMPTS, notification_deliver

JOB_NAME = "notifications-retry"
BACKOFF = timedelta(minutes=5)
BATCH = 200


def retry_delay(attempts: int) -> timedelta:
    """How long after its creation a message with `attempts` tries is due again: 5 min for one
    never tried (its first sending may still be under way), then 15, 35, 75, 155 min — each wait
    twice the one before."""
    return BACKOFF * (2 ** (attempts + 1) - 1)


def notifications_due(at: datetime):
    """The queued messages whose back-off has passed, oldest first."""
    due = Q()
    for attempts in range(MAX_ATTEMPTS):
        due |= Q(attempts=attempts, created_at__lte=at - retry_delay(attempts))
    return Notification.objects.filter(due, status=DeliveryStatus.QUEUED).order_by("created_at")


def notifications_retry_run(at: datetime | None = None) -> JobRun:
    at = at or now()
    counts = {"due": 0, "sent": 0, "queued": 0, "failed": 0, "errors": 0}
    with job_run(JOB_NAME, _summary, counts) as book:
        for pk in notifications_due(at).values_list("pk", flat=True)[:BATCH]:
            try:
                outcome = _retry(pk)
            except Exception as exc:  # one message must not stop the others
                book.fail(f"thông báo {pk}", exc)
                continue
            if outcome is not None:
                book.counts["due"] += 1
                book.counts[outcome] += 1
    return book.run


def _retry(pk: int) -> str | None:
    """Deliver one message unless another run holds it or has sent it meanwhile."""
    with transaction.atomic():
        held = (
            Notification.objects.select_for_update(skip_locked=True)
            .filter(pk=pk, status=DeliveryStatus.QUEUED)
            .exists()
        )
        if not held:
            return None
        return {
            DeliveryStatus.SENT: "sent",
            DeliveryStatus.QUEUED: "queued",
            DeliveryStatus.FAILED: "failed",
        }[DeliveryStatus(notification_deliver(pk).status)]


def _summary(counts: dict) -> str:
    return (
        f"Gửi lại {counts['due']} thông báo: {counts['sent']} đã gửi, "
        f"{counts['queued']} chờ gửi lại, {counts['failed']} gửi lỗi (thôi gửi)."
    )
