"""`motcua jobs run accounts-codes-purge`: forget one-time codes older than a day. The abuse limits
look back one hour at most, so older rows only take space (and say who signed in when)."""

from datetime import timedelta

from motcua.core.clock import now
from motcua.core.models import JobRun, JobRunStatus

from .models import OneTimeCode

JOB_NAME = "accounts-codes-purge"
KEEP = timedelta(days=1)


def one_time_codes_purge_run() -> JobRun:
    run = JobRun.objects.create(job=JOB_NAME, started_at=now())
    deleted, _ = OneTimeCode.objects.filter(created_at__lt=now() - KEEP).delete()
    run.finished_at = now()
    run.status = JobRunStatus.OK
    run.counts = {"deleted": deleted}
    run.summary = f"Đã xóa {deleted} mã xác thực một lần quá hạn lưu."
    run.save()
    return run
