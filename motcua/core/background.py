"""One-off background tasks: an officer asks for a file too large to build while the browser
waits (the tracking book of a busy month), a worker builds it, the officer downloads it when it
is ready (ADR 0026).

    task = task_enqueue("tracking-book", user, {...})   # the view: one row, then a waiting page
    task = task_claim(worker_name)                       # a worker: the oldest queued task
    task_run(task)                                       # builds, stores the file, records

A task's kind (`TASK_KINDS`) names the function that builds it: `function(requested_by,
arguments, folder)` writes its file into `folder` and returns a `TaskOutput`, or raises
`TaskRefused` with a message for the officer. The file goes to the documents storage (a folder or
S3, shared by every machine), is served only to the officer who asked and is deleted after
RESULT_KEEP_HOURS by the job "background-purge".
"""

from __future__ import annotations

import logging
import secrets
import tempfile
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.core.files import File
from django.db import connection, transaction
from django.db.models import F, Q
from django.http import Http404
from django.utils.module_loading import import_string

from .clock import now
from .jobs import job_run
from .models import TASK_KINDS, BackgroundTask, BackgroundTaskStatus, JobRun, WorkerBeat

logger = logging.getLogger(__name__)

RESULT_KEEP_HOURS = 24
# Tasks one officer may have waiting or running at once: enough for a PDF and a spreadsheet of two
# months, few enough that reloading a page cannot fill the queue.
MAX_PENDING_PER_USER = 3
# Runs a task gets when its worker dies under it (killed for memory, machine lost) before it is
# failed instead of taking the next worker down too.
MAX_ATTEMPTS = 3
ROWS_KEEP_DAYS = 30
WORKER_ROWS_KEEP_DAYS = 7
RESULT_FOLDER = "viec-nen"

Status = BackgroundTaskStatus
PENDING = (Status.QUEUED, Status.RUNNING)
MSG_SYSTEM_ERROR = (
    "Không lập được tệp do lỗi hệ thống (việc số {id}). Hãy thử lại; nếu vẫn lỗi, hãy báo quản trị "
    "viên kèm số việc."
)
MSG_GAVE_UP = (
    "Tiến trình chạy nền bị dừng đột ngột {n} lần khi đang lập tệp này (việc số {id}), nên đã "
    "ngừng thử. Hãy chia khoảng thời gian nhỏ hơn hoặc báo quản trị viên."
)


class TaskRefused(Exception):
    """The task cannot be built as asked; the message is shown to the officer as it is."""


class TooManyTasks(Exception):
    """The officer already has MAX_PENDING_PER_USER tasks waiting or running."""


@dataclass(frozen=True)
class TaskOutput:
    path: Path  # the file written into the task's folder
    filename: str  # the name the officer's browser saves it under
    content_type: str
    summary: str = ""  # e.g. "400 trang, 5.000 hồ sơ"


def task_label(task: BackgroundTask) -> str:
    kind = TASK_KINDS.get(task.kind)
    return kind.label if kind else task.kind


def task_enqueue(kind: str, user, arguments: dict) -> BackgroundTask:
    """Queue a task for `user`, or give back the same task already waiting or running (a reload
    or a second click does not build the book twice). Raises TooManyTasks beyond the limit."""
    if kind not in TASK_KINDS:
        raise ValueError(f"unknown background task kind {kind!r}")
    pending = list(BackgroundTask.objects.filter(requested_by=user, status__in=PENDING))
    for task in pending:
        if task.kind == kind and task.arguments == arguments:
            return task
    if len(pending) >= MAX_PENDING_PER_USER:
        raise TooManyTasks(
            f"Ông/bà đang có {len(pending)} yêu cầu lập tệp chưa xong. Hãy chờ các tệp đó lập "
            "xong rồi yêu cầu tiếp."
        )
    return BackgroundTask.objects.create(
        kind=kind, arguments=arguments, requested_by=user, created_at=now()
    )


def task_claim(worker: str) -> BackgroundTask | None:
    """Take the oldest queued task for `worker`. On PostgreSQL the candidate row is locked with
    FOR UPDATE SKIP LOCKED, so two workers neither wait on nor take the same task; on SQLite
    (no row locks) the conditional UPDATE decides: whoever moves it out of "queued" first has it."""
    skip_locked = connection.features.has_select_for_update_skip_locked
    for _ in range(3):  # SQLite: another worker may take the candidate between the two statements
        with transaction.atomic():
            queued = BackgroundTask.objects.filter(status=Status.QUEUED).order_by(
                "created_at", "pk"
            )
            if skip_locked:
                queued = queued.select_for_update(skip_locked=True)
            candidate = queued.values_list("pk", flat=True).first()
            if candidate is None:
                return None
            taken = BackgroundTask.objects.filter(pk=candidate, status=Status.QUEUED).update(
                status=Status.RUNNING,
                worker=worker,
                started_at=now(),
                attempts=F("attempts") + 1,
            )
        if taken:
            return BackgroundTask.objects.select_related("requested_by").get(pk=candidate)
    return None


def task_run(task: BackgroundTask) -> BackgroundTask:
    """Build the task's file in a temporary folder, store it, record the outcome. Never raises:
    a refusal is recorded with its message, anything else with a generic one (and logged)."""
    kind = TASK_KINDS.get(task.kind)
    with tempfile.TemporaryDirectory(prefix="motcua-viec-") as folder:
        try:
            if kind is None:
                raise TaskRefused("Loại việc này không còn được hỗ trợ.")
            function = import_string(kind.function)
            output = function(task.requested_by, task.arguments, Path(folder))
            stored = _store(task, output)
        except TaskRefused as exc:
            return _finish(task, Status.FAILED, error=str(exc))
        except Exception:
            logger.exception("background task %s (%s) failed", task.pk, task.kind)
            return _finish(task, Status.FAILED, error=MSG_SYSTEM_ERROR.format(id=task.pk))
    return _finish(task, Status.DONE, **stored)


def _store(task: BackgroundTask, output: TaskOutput) -> dict:
    suffix = Path(output.filename).suffix
    name = f"{RESULT_FOLDER}/{task.pk}-{secrets.token_hex(8)}{suffix}"
    with output.path.open("rb") as handle:
        name = results_storage().save(name, File(handle))
    return {
        "result": name,
        "result_filename": output.filename,
        "result_type": output.content_type,
        "result_size": output.path.stat().st_size,
        "summary": output.summary[:255],
    }


def _finish(task: BackgroundTask, status: str, **fields) -> BackgroundTask:
    """Record the outcome — only while the task is still this worker's (a worker thought dead
    whose task went back to the queue must not overwrite the new run)."""
    at = now()
    fields = {
        "status": status,
        "finished_at": at,
        "expires_at": at + timedelta(hours=RESULT_KEEP_HOURS),
        **fields,
    }
    mine = BackgroundTask.objects.filter(pk=task.pk, status=Status.RUNNING, worker=task.worker)
    if not mine.update(**fields) and fields.get("result"):
        results_storage().delete(fields["result"])
    task.refresh_from_db()
    return task


def tasks_recover(live_workers) -> int:
    """Tasks "running" on a worker that is no longer alive go back to the queue, or fail after
    MAX_ATTEMPTS runs. Returns how many were handled."""
    orphans = BackgroundTask.objects.filter(status=Status.RUNNING).exclude(worker__in=live_workers)
    handled = 0
    for task in orphans:
        again = BackgroundTask.objects.filter(pk=task.pk, status=Status.RUNNING, worker=task.worker)
        if task.attempts >= MAX_ATTEMPTS:
            handled += again.update(
                status=Status.FAILED,
                finished_at=now(),
                expires_at=now() + timedelta(hours=RESULT_KEEP_HOURS),
                error=MSG_GAVE_UP.format(n=task.attempts, id=task.pk),
            )
        else:
            handled += again.update(status=Status.QUEUED, worker="", started_at=None)
    return handled


def background_task_for(user, task_id: int, kind: str) -> BackgroundTask:
    """The task if `user` asked for it; for anyone else it does not exist (404), so its number
    tells nothing about other officers' books."""
    task = BackgroundTask.objects.filter(pk=task_id, kind=kind, requested_by=user).first()
    if task is None:
        raise Http404("Không tìm thấy yêu cầu lập tệp này.")
    return task


def queued_ahead(task: BackgroundTask) -> int:
    """Tasks that will be taken before this one."""
    if task.status != Status.QUEUED:
        return 0
    earlier = Q(created_at__lt=task.created_at) | Q(created_at=task.created_at, pk__lt=task.pk)
    return BackgroundTask.objects.filter(earlier, status=Status.QUEUED).count()


def results_storage():
    """The documents storage (a folder on one machine, S3 shared by many): a worker on one
    machine writes the file that the app server on another serves."""
    from motcua.documents.services import documents_storage

    return documents_storage()


def result_open(task: BackgroundTask):
    return results_storage().open(task.result, "rb")


def background_purge_run() -> JobRun:
    """The job "background-purge": result files past their RESULT_KEEP_HOURS are deleted (the row
    stays, so the officer's page says the book expired), rows older than ROWS_KEEP_DAYS go, and so
    do the heartbeats of workers gone for WORKER_ROWS_KEEP_DAYS."""

    def said(c: dict) -> str:
        return (
            f"Đã xóa {c['files']} tệp kết quả hết hạn, {c['tasks']} việc nền cũ, "
            f"{c['workers']} tiến trình đã dừng."
        )

    with job_run(
        "background-purge", said, {"files": 0, "tasks": 0, "workers": 0, "errors": 0}
    ) as book:
        at = now()
        storage = results_storage()
        for task in BackgroundTask.objects.filter(expires_at__lt=at).exclude(result=""):
            try:
                storage.delete(task.result)
            except Exception as exc:
                book.fail(f"tệp của việc số {task.pk}", exc)
                continue
            BackgroundTask.objects.filter(pk=task.pk).update(result="")
            book.counts["files"] += 1
        old = BackgroundTask.objects.filter(
            status__in=(Status.DONE, Status.FAILED),
            finished_at__lt=at - timedelta(days=ROWS_KEEP_DAYS),
            result="",
        )
        book.counts["tasks"], _ = old.delete()
        gone = WorkerBeat.objects.filter(last_seen__lt=at - timedelta(days=WORKER_ROWS_KEEP_DAYS))
        book.counts["workers"], _ = gone.delete()
    return book.run
