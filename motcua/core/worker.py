"""`motcua worker`: the long-lived process that runs every periodic job of `JOBS` when it falls due
and the one-off background tasks officers ask for (ADR 0026). It replaces cron.

Any number of workers may run, on any number of machines sharing the database:

* a job is **due** when its last run that was not abandoned started longer ago than its interval;
  a worker runs it only under the job's lock (motcua.core.joblocks) and looks again once it holds
  it, so two workers never run a job at once, nor one after the other for the same turn;
* each worker writes a **heartbeat** (`WorkerBeat`) when it starts, every HEARTBEAT_SECONDS from a
  thread of its own (a long job does not silence it) and when it stops; `/can-bo/tac-vu/` shows it;
* a run left "running" by a worker whose heartbeat is older than STALE_SECONDS (killed, machine
  lost) is marked **abandoned** and the job is due again at once; a background task it held goes
  back to the queue (at most MAX_ATTEMPTS runs, motcua.core.background);
* SIGTERM or SIGINT lets the current job and task finish, then the worker stops cleanly; a second
  signal stops it at once.

Periodic jobs run on the main thread, background tasks on a second one, so a book that takes
twenty minutes never holds the five-minute jobs back.
"""

from __future__ import annotations

import logging
import os
import signal
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.db import close_old_connections, connection
from django.utils.module_loading import import_string

from . import background
from .clock import now
from .joblocks import JobLocks, live_workers
from .jobs import running_worker
from .models import JOBS, JobRun, JobRunStatus, WorkerBeat

logger = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 10
# A worker silent this long has crashed: six missed beats, so a busy database or a pause of the
# machine does not make a living worker look dead.
STALE_SECONDS = 60
DEFAULT_POLL_SECONDS = 5.0
POLL_ENV = "MOTCUA_WORKER_POLL_SECONDS"


class WorkerSetupError(ValueError):
    """A setting or option the worker cannot start with (the message is for the operator)."""


class JobBusy(RuntimeError):
    """Another process holds the job's lock: it is running there now."""


def poll_seconds(environ=os.environ) -> float:
    """How often the worker looks for due jobs and queued tasks (MOTCUA_WORKER_POLL_SECONDS)."""
    text = environ.get(POLL_ENV, "").strip()
    if not text:
        return DEFAULT_POLL_SECONDS
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        value = 0.0
    if not 0 < value <= 3600:
        raise WorkerSetupError(
            f"{POLL_ENV}=“{text}” không hợp lệ: hãy đặt số giây giữa hai lần kiểm tra lịch, "
            "lớn hơn 0 và không quá 3600 (mặc định 5)."
        )
    return value


def default_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def heartbeat_age(seconds: float) -> str:
    """How long ago a worker was last heard of: '8 giây trước', '3 phút trước', '2 giờ 05 phút
    trước' (the page of jobs and `motcua jobs status`)."""
    seconds = max(0, int(seconds))
    if seconds < 60:
        return f"{seconds} giây trước"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes} phút trước"
    hours, rest = divmod(minutes, 60)
    return f"{hours} giờ {rest:02d} phút trước"


def due_jobs(at) -> list[str]:
    """The jobs of JOBS that are due at `at` (job_due), in the table's order."""
    return [name for name in JOBS if job_due(name, at)]


def job_due(name: str, at) -> bool:
    """Due when the job's last run that was not abandoned (ok, failed or still running) started
    at least its interval ago, or it never ran. One short query on the (job, -started_at) index:
    the table of runs grows for ever, the scan does not."""
    last = (
        JobRun.objects.filter(job=name)
        .exclude(status=JobRunStatus.ABANDONED)
        .order_by("-started_at")
        .values_list("started_at", flat=True)
        .first()
    )
    return last is None or last <= at - timedelta(minutes=JOBS[name].interval_minutes)


def runs_abandon(job: str | None = None) -> int:
    """Mark abandoned the runs still "running" whose worker is not alive (no fresh heartbeat);
    with `job`, every run of that job still "running" — the caller holds its lock, so whoever
    started them no longer runs them (a run by hand included)."""
    runs = JobRun.objects.filter(status=JobRunStatus.RUNNING)
    if job is None:
        runs = runs.exclude(worker="").exclude(worker__in=live_workers(STALE_SECONDS))
    else:
        runs = runs.filter(job=job)
    count = 0
    for run in runs:
        who = f"Tiến trình {run.worker}" if run.worker else "Tiến trình chạy tác vụ"
        run.status = JobRunStatus.ABANDONED
        run.finished_at = now()
        run.summary = (
            f"{who} đã ngừng hoạt động khi đang chạy tác vụ này (mất tín hiệu); "
            "tác vụ được chạy lại ngay."
        )
        run.save(update_fields=["status", "finished_at", "summary"])
        count += 1
    return count


class Worker:
    """One worker process. `run_forever()` is `motcua worker`; `run_once()` is one pass
    (`--once`); `run_by_hand(name)` is `motcua jobs run NAME`."""

    def __init__(
        self,
        name: str | None = None,
        poll: float | None = None,
        report: Callable[[str], None] | None = None,
    ):
        self.name = (name or default_name()).strip()
        if not self.name or len(self.name) > 128:
            raise WorkerSetupError("Tên tiến trình chạy nền phải có từ 1 đến 128 ký tự.")
        self.poll = poll if poll is not None else poll_seconds()
        self.report = report or logger.info
        self.stopping = threading.Event()
        self.locks = JobLocks(self.name, STALE_SECONDS)
        self._doing: dict[str, str] = {}
        self._doing_guard = threading.Lock()

    # --- life -----------------------------------------------------------------------------------

    def run_forever(self) -> None:
        with self.alive():
            tasks = threading.Thread(target=self._task_lane, name="motcua-tasks", daemon=True)
            tasks.start()
            while not self.stopping.is_set():
                self._guarded(self.jobs_pass)
                self.stopping.wait(self.poll)
            tasks.join()

    def run_once(self) -> None:
        """One scheduling pass: the due jobs, then every queued task; then stop."""
        with self.alive():
            self.jobs_pass()
            while not self.stopping.is_set() and self.task_next():
                pass

    def run_by_hand(self, job: str) -> JobRun:
        """Run `job` now, due or not, under its lock; JobBusy when another process runs it."""
        with self.alive(keep_record=False), self.locks.held(job) as mine:
            if not mine:
                raise JobBusy(job)
            runs_abandon(job=job)
            return self._job_invoke(job)

    def stop(self) -> None:
        self.stopping.set()

    @contextmanager
    def alive(self, keep_record: bool = True) -> Iterator[None]:
        """The heartbeat while the block runs: the row, a beating thread, the clean stop."""
        self._register()
        beating = threading.Thread(target=self._heart, name="motcua-heartbeat", daemon=True)
        beating.start()
        try:
            yield
        finally:
            self.stopping.set()
            beating.join()
            self.locks.close()
            self._unregister(keep_record)

    def _register(self) -> None:
        at = now()
        other = WorkerBeat.objects.filter(
            name=self.name,
            stopped_at__isnull=True,
            last_seen__gte=at - timedelta(seconds=STALE_SECONDS),
        ).first()
        if other is not None:
            seconds = int((at - other.last_seen).total_seconds())
            raise WorkerSetupError(
                f"Đã có tiến trình chạy nền tên “{self.name}” đang hoạt động (tín hiệu {seconds} giây "
                "trước); hãy đặt tên khác bằng --name."
            )
        WorkerBeat.objects.update_or_create(
            name=self.name,
            defaults={
                "host": socket.gethostname()[:128],
                "pid": os.getpid(),
                "started_at": at,
                "last_seen": at,
                "current": "",
                "stopped_at": None,
            },
        )

    def _unregister(self, keep_record: bool) -> None:
        beats = WorkerBeat.objects.filter(name=self.name)
        if keep_record:
            beats.update(stopped_at=now(), last_seen=now(), current="")
        else:
            beats.delete()

    def _heart(self) -> None:
        try:
            while not self.stopping.wait(HEARTBEAT_SECONDS):
                self._guarded(self.beat)
        finally:
            connection.close()  # this thread's own connection

    def beat(self) -> None:
        with self._doing_guard:
            current = "; ".join(self._doing.values())
        WorkerBeat.objects.filter(name=self.name).update(last_seen=now(), current=current[:255])

    @contextmanager
    def doing(self, lane: str, what: str) -> Iterator[None]:
        """Show `what` as this worker's current work (written at once, not at the next beat)."""
        with self._doing_guard:
            self._doing[lane] = what
        self._guarded(self.beat)
        try:
            yield
        finally:
            with self._doing_guard:
                self._doing.pop(lane, None)
            self._guarded(self.beat)

    def _guarded(self, step: Callable[[], object]) -> None:
        """A pass that fails (the database restarting, a lock timeout) is logged and tried again
        at the next one: the worker itself never stops on it."""
        try:
            _connection_refresh()
            step()
        except Exception:
            logger.exception("worker %s: %s failed", self.name, getattr(step, "__name__", step))
            _connection_drop()

    # --- periodic jobs ---------------------------------------------------------------------------

    def jobs_pass(self) -> None:
        """Beat, give back what crashed workers left, then run each due job."""
        self.beat()
        abandoned = runs_abandon()
        requeued = background.tasks_recover(live_workers(STALE_SECONDS))
        if abandoned or requeued:
            self.report(
                f"Đã xử lý việc của tiến trình đã dừng: {abandoned} lần chạy bị bỏ dở, "
                f"{requeued} việc nền được xếp lại."
            )
        for name in due_jobs(now()):
            if self.stopping.is_set():
                return
            self.job_run_if_due(name)

    def job_run_if_due(self, name: str) -> JobRun | None:
        with self.locks.held(name) as mine:
            if not mine or not job_due(name, now()):
                return None  # another worker runs it, or has just run it
            runs_abandon(job=name)
            return self._job_call(name)

    def _job_call(self, name: str) -> JobRun | None:
        try:
            run = self._job_invoke(name)
        except Exception:  # outside the job's own bookkeeping (an import error): logged
            logger.exception("job %s failed before recording its run", name)
            return None
        self.report(f"{JOBS[name].label}: {run.get_status_display()}. {run.summary}")
        return run

    def _job_invoke(self, name: str) -> JobRun:
        schedule = JOBS[name]
        token = running_worker.set(self.name)
        try:
            with self.doing("jobs", f"Tác vụ: {schedule.label}"):
                return import_string(schedule.function)()
        finally:
            running_worker.reset(token)

    # --- background tasks ------------------------------------------------------------------------

    def _task_lane(self) -> None:
        try:
            while not self.stopping.is_set():
                ran = False
                try:
                    _connection_refresh()
                    ran = self.task_next()
                except Exception:
                    logger.exception("worker %s: background task lane failed", self.name)
                    _connection_drop()
                if not ran:
                    self.stopping.wait(self.poll)
        finally:
            connection.close()

    def task_next(self) -> bool:
        """Claim the oldest queued task and run it; False when none is queued."""
        task = background.task_claim(self.name)
        if task is None:
            return False
        label = background.task_label(task)
        with self.doing("tasks", f"Việc nền #{task.pk}: {label}"):
            task = background.task_run(task)
        self.report(f"Việc nền #{task.pk} ({label}): {task.get_status_display()}. {task.summary}")
        return True


def _connection_refresh() -> None:
    """Drop this thread's connection if it is broken or past its age, as Django does between
    requests — never inside a transaction the caller holds (a test, a job run by hand)."""
    if not connection.in_atomic_block:
        close_old_connections()


def _connection_drop() -> None:
    if not connection.in_atomic_block:
        connection.close()


@contextmanager
def signals_handled(worker: Worker) -> Iterator[None]:
    """SIGTERM/SIGINT: finish the current job and task, then stop; a second one stops at once.
    The previous handlers come back when the block ends (only the main thread may set them)."""

    def handle(signum, frame):
        if worker.stopping.is_set():
            logger.warning("worker %s: second signal, stopping at once", worker.name)
            raise SystemExit(1)
        worker.report(
            f"Nhận tín hiệu {signal.Signals(signum).name}: dừng sau khi xong việc đang làm "
            "(gửi lần nữa để dừng ngay)."
        )
        worker.stop()

    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {s: signal.signal(s, handle) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
