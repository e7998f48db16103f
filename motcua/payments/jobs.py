"""`motcua jobs run payments-advance`: move on every dossier whose fee is now paid in full."""

from motcua.core.jobs import job_run
from motcua.core.models import JobRun

from .services import dossiers_advance

JOB_NAME = "payments-advance"


def dossiers_advance_run() -> JobRun:
    """The job `payments-advance` (motcua.core.models.JOBS)."""
    with job_run(JOB_NAME, _summary, {"moved": 0}) as book:
        book.counts["moved"] = dossiers_advance()
    return book.run


def _summary(counts: dict) -> str:
    return f"{counts['moved']} hồ sơ đã nộp đủ phí được chuyển tiếp xử lý."
