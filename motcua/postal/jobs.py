"""`motcua jobs run postal-webhook-purge`: forget the signatures of webhook calls older than the
timestamp window. A replay of such a call is refused by the window check anyway, so the table of
signatures only needs to remember the window's worth."""

from datetime import timedelta

from django.conf import settings

from motcua.core.clock import now
from motcua.core.models import JobRun, JobRunStatus

from .models import WebhookDelivery

JOB_NAME = "postal-webhook-purge"


def webhook_deliveries_purge_run() -> JobRun:
    run = JobRun.objects.create(job=JOB_NAME, started_at=now())
    # Twice the window: a margin for clocks, and the window may have been widened since.
    limit = now() - timedelta(seconds=2 * settings.POSTAL_WEBHOOK_WINDOW_SECONDS)
    deleted, _ = WebhookDelivery.objects.filter(received_at__lt=limit).delete()
    run.finished_at = now()
    run.status = JobRunStatus.OK
    run.counts = {"deleted": deleted}
    run.summary = f"Đã xóa {deleted} chữ ký webhook bưu chính quá hạn lưu."
    run.save()
    return run
