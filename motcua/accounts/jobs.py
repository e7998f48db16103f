"""`motcua jobs run accounts-codes-purge`: forget one-time codes older than a day. The abuse limits
look back one hour at most, so older rows only take space (and say who signed in when)."""

from datetime import timedelta

from motcua.core.clock import now
from motcua.core.jobs import job_run
from motcua.core.models import JobRun

from .models import OneTimeCode

JOB_NAME = "accounts-codes-purge"
KEEP = timedelta(days=1)


def one_time_codes_purge_run() -> JobRun:
    with job_run(JOB_NAME, _summary, {"deleted": 0}) as book:
        book.counts["deleted"], _ = OneTimeCode.objects.filter(created_at__lt=now() - KEEP).delete()
    return book.run


def _summary(counts: dict) -> str:
    return f"Đã xóa {counts['deleted']} mã xác thực một lần quá hạn lưu."
