"""`motcua jobs run postal-webhook-purge`: forget the signatures of webhook calls older than the
timestamp window. A replay of such a call is refused by the window check anyway, so the table of
signatures only needs to remember the window's worth."""

from datetime import timedelta

from django.conf import settings

from motcua.core.clock import now
from motcua.core.jobs import job_run
from motcua.core.models import JobRun

from .models import WebhookDelivery

JOB_NAME = "postal-webhook-purge"


def webhook_deliveries_purge_run() -> JobRun:
    with job_run(JOB_NAME, _summary, {"deleted": 0}) as book:
        # Twice the window: a margin for clocks, and the window may have been widened since.
        limit = now() - timedelta(seconds=2 * settings.POSTAL_WEBHOOK_WINDOW_SECONDS)
        book.counts["deleted"], _ = WebhookDelivery.objects.filter(received_at__lt=limit).delete()
    return book.run


def _summary(counts: dict) -> str:
    return f"Đã xóa {counts['deleted']} chữ ký webhook bưu chính quá hạn lưu."
