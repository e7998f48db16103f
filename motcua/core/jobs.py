"""The bookkeeping every periodic job shares (core.models.JOBS): one JobRun row per run, created
"running" before any work, so a crashed process stays visible; its counts, its summary, the items
it could not process; "failed" when anything went wrong (ADR 0016).

    def things_purge_run() -> JobRun:
        with job_run("things-purge", lambda c: f"Đã xóa {c['deleted']} thứ.") as book:
            book.counts["deleted"], _ = Thing.objects.filter(...).delete()
        return book.run

An item the job cannot process is noted with `book.fail(label, exc)` and the job goes on; an
exception that escapes the block is logged and noted too, and the run is saved as failed instead of
the exception reaching cron (the command's exit status says it failed).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from .clock import now
from .models import JobRun, JobRunStatus

logger = logging.getLogger(__name__)
ERRORS_SHOWN = 20
# The worker (host:pid) running the job in this thread, set by motcua.core.worker around each job:
# its runs carry the name, so a run its crashed worker left "running" can be recognised.
running_worker: ContextVar[str] = ContextVar("motcua_running_worker", default="")


@dataclass
class JobBook:
    """What a running job reports: its counts (a job that starts them with "errors" gets the
    number of items it could not process there) and the items it could not process."""

    run: JobRun
    counts: dict = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def fail(self, label: str, exc: object) -> None:
        logger.exception("%s: %s", self.run.job, label)
        self.errors.append(f"{label}: {exc}")


@contextmanager
def job_run(
    name: str, describe: Callable[[dict], str] | None = None, counts: dict | None = None
) -> Iterator[JobBook]:
    """Record one run of the job `name`: `describe(counts)` writes its summary when it ends
    (crashed or not), followed by the items it could not process."""
    run = JobRun.objects.create(job=name, started_at=now(), worker=running_worker.get())
    book = JobBook(run, dict(counts or {}))
    try:
        yield book
    except Exception as exc:  # recorded as failed so that someone looks
        logger.exception("%s failed", name)
        book.errors.append(f"Lỗi: {exc}")
    _finish(book, describe)


def _finish(book: JobBook, describe: Callable[[dict], str] | None) -> None:
    run = book.run
    if "errors" in book.counts:
        book.counts["errors"] = len(book.errors)
    run.finished_at = now()
    run.counts = book.counts
    run.status = JobRunStatus.FAILED if book.errors else JobRunStatus.OK
    run.summary = describe(book.counts) if describe else ""
    if book.errors:
        run.summary = (
            f"{run.summary} Không xử lý được: " + "; ".join(book.errors[:ERRORS_SHOWN])
        ).strip()
    run.save()
