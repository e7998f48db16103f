"""`motcua worker` (ADR 0026): due jobs run once per turn under their lock, never twice at once on
several workers (real processes on PostgreSQL), a crashed worker's run is abandoned and retried,
heartbeats are written, SIGTERM finishes the job before stopping, and the SQLite lease."""

import multiprocessing
import os
import signal
import time
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections

from motcua.core import models as core_models
from motcua.core import worker as worker_module
from motcua.core.clock import now
from motcua.core.joblocks import JobLocks, job_lock_key
from motcua.core.management.commands import jobs as jobs_command
from motcua.core.models import JobLease, JobRun, JobRunStatus, WorkerBeat
from motcua.core.worker import (
    STALE_SECONDS,
    Worker,
    WorkerSetupError,
    due_jobs,
    poll_seconds,
    signals_handled,
)
from tests.core import worker_jobs
from tests.forking import connections_after_fork

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="several processes need a server database (runs on PostgreSQL in CI)",
)


@pytest.fixture
def jobs(monkeypatch):
    """Replace the schedule with test jobs: jobs(**{"test-quick": 60}) (minutes)."""

    def install(**minutes):
        table = {name: worker_jobs.schedule(name, m) for name, m in minutes.items()}
        monkeypatch.setattr(core_models, "JOBS", table)
        monkeypatch.setattr(worker_module, "JOBS", table)
        monkeypatch.setattr(jobs_command, "JOBS", table)
        return table

    return install


def quiet_worker(name: str) -> Worker:
    return Worker(name=name, poll=0.05, report=lambda line: None)


def _runs(job: str) -> list[JobRun]:
    return list(JobRun.objects.filter(job=job).order_by("started_at", "pk"))


def _overlaps(runs: list[JobRun]) -> list[tuple[int, int]]:
    return [
        (a.pk, b.pk) for a, b in zip(runs, runs[1:], strict=False) if b.started_at < a.finished_at
    ]


# --- one worker, both databases ---------------------------------------------------------------


@pytest.mark.django_db
def test_a_pass_runs_each_due_job_once_then_waits_for_its_interval(jobs, monkeypatch):
    jobs(**{"test-quick": 60, "test-sleepy": 0})
    monkeypatch.setattr(worker_jobs, "SLEEP_SECONDS", 0)
    quiet_worker("may-1:1").run_once()
    quiet_worker("may-1:2").run_once()
    quick = _runs("test-quick")
    assert len(quick) == 1 and quick[0].status == JobRunStatus.OK
    assert quick[0].worker == "may-1:1"  # the second pass found it not due
    assert len(_runs("test-sleepy")) == 2  # interval 0: due at every pass
    assert due_jobs(now()) == ["test-sleepy"]


@pytest.mark.django_db
def test_a_worker_writes_its_heartbeat_and_marks_a_clean_stop(jobs):
    jobs(**{"test-quick": 60})
    before = now()
    quiet_worker("may-1:7").run_once()
    beat = WorkerBeat.objects.get(name="may-1:7")
    assert beat.started_at >= before and beat.last_seen >= beat.started_at
    assert beat.stopped_at is not None and beat.current == ""
    assert beat.pid == os.getpid()


@pytest.mark.django_db
def test_a_run_left_by_a_crashed_worker_is_abandoned_and_retried_at_once(jobs):
    jobs(**{"test-quick": 60})
    at = now()
    WorkerBeat.objects.create(
        name="may-chet:41",
        host="may-chet",
        pid=41,
        started_at=at - timedelta(minutes=10),
        last_seen=at - timedelta(seconds=STALE_SECONDS + 5),
    )
    left = JobRun.objects.create(
        job="test-quick", started_at=at - timedelta(minutes=2), worker="may-chet:41"
    )
    quiet_worker("may-song:1").run_once()
    left.refresh_from_db()
    assert left.status == JobRunStatus.ABANDONED and left.finished_at
    assert "may-chet:41" in left.summary and "chạy lại" in left.summary
    again = JobRun.objects.exclude(pk=left.pk).get(job="test-quick")
    assert again.status == JobRunStatus.OK and again.worker == "may-song:1"


@pytest.mark.django_db
def test_a_run_of_a_living_worker_is_left_alone(jobs):
    """The control: the same running row, its worker's heartbeat fresh — nothing is retried."""
    jobs(**{"test-quick": 60})
    at = now()
    WorkerBeat.objects.create(name="may-ban:7", host="h", pid=7, started_at=at, last_seen=at)
    left = JobRun.objects.create(job="test-quick", started_at=at, worker="may-ban:7")
    quiet_worker("may-song:2").run_once()
    left.refresh_from_db()
    assert left.status == JobRunStatus.RUNNING
    assert JobRun.objects.count() == 1


@pytest.mark.django_db
def test_a_second_worker_under_a_living_name_is_refused(jobs):
    jobs()
    at = now()
    WorkerBeat.objects.create(name="may-1", host="h", pid=1, started_at=at, last_seen=at)
    with pytest.raises(CommandError, match="Đã có tiến trình chạy nền tên “may-1” đang hoạt động"):
        call_command("worker", "--once", "--name", "may-1")
    assert WorkerBeat.objects.get(name="may-1").pid == 1  # untouched


@pytest.mark.django_db
def test_sigterm_lets_the_job_finish_then_the_worker_stops(jobs):
    """A real SIGTERM to this process in the middle of a job (the pass runs in the main thread,
    where the handler is installed): the job's run ends "ok", nothing after it starts, the
    heartbeat says it stopped, and the previous handler is back."""
    jobs(**{"test-signal": 60, "test-quick": 60})
    previous = signal.getsignal(signal.SIGTERM)
    worker = quiet_worker("may-tin-hieu:1")
    with signals_handled(worker):
        worker.run_once()
    assert worker.stopping.is_set()
    assert [r.status for r in _runs("test-signal")] == [JobRunStatus.OK]
    assert _runs("test-quick") == []  # due, but the worker was asked to stop
    assert WorkerBeat.objects.get(name="may-tin-hieu:1").stopped_at is not None
    assert signal.getsignal(signal.SIGTERM) is previous


@pytest.mark.django_db
def test_the_command_runs_one_pass_and_says_so(jobs, capsys):
    jobs(**{"test-quick": 60})
    call_command("worker", "--once", "--name", "may-lenh")
    out = capsys.readouterr().out
    assert "Tiến trình chạy nền may-lenh: một lượt." in out
    assert "Tác vụ thử test-quick: Thành công. Xong." in out
    assert "Tiến trình chạy nền may-lenh đã dừng." in out
    assert _runs("test-quick")[0].worker == "may-lenh"


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["0", "-3", "năm", "99999"])
def test_a_bad_poll_interval_is_refused_in_vietnamese(jobs, monkeypatch, value):
    jobs(**{"test-quick": 60})
    monkeypatch.setenv("MOTCUA_WORKER_POLL_SECONDS", value)
    with pytest.raises(CommandError, match="MOTCUA_WORKER_POLL_SECONDS=“.*” không hợp lệ"):
        call_command("worker", "--once")
    assert JobRun.objects.count() == 0 and WorkerBeat.objects.count() == 0


def test_the_poll_interval_comes_from_the_environment():
    assert poll_seconds({}) == 5
    assert poll_seconds({"MOTCUA_WORKER_POLL_SECONDS": "2,5"}) == 2.5
    with pytest.raises(WorkerSetupError):
        poll_seconds({"MOTCUA_WORKER_POLL_SECONDS": "0"})


@pytest.mark.django_db
def test_a_bad_name_is_refused(jobs):
    jobs()
    with pytest.raises(CommandError, match="từ 1 đến 128 ký tự"):
        call_command("worker", "--once", "--name", "x" * 129)
    assert WorkerBeat.objects.count() == 0


@pytest.mark.django_db
def test_jobs_run_by_hand_takes_the_same_lock(jobs, monkeypatch):
    """`motcua jobs run` never runs a job a worker is running: with the lock held elsewhere it
    refuses and records nothing."""
    jobs(**{"test-quick": 60})
    monkeypatch.setattr(JobLocks, "try_acquire", lambda self, job: False)
    with pytest.raises(CommandError, match="đang chạy ở một tiến trình khác"):
        call_command("jobs", "run", "test-quick")
    assert JobRun.objects.count() == 0
    assert WorkerBeat.objects.count() == 0  # a run by hand leaves no heartbeat row behind


def test_the_lock_key_is_a_stable_signed_64_bit_number():
    key = job_lock_key("dossiers-monitor")
    assert key == job_lock_key("dossiers-monitor") != job_lock_key("feedback-monitor")
    assert -(2**63) <= key < 2**63
    assert key == 13962862439515354  # the same on every machine and in every release


# --- SQLite: the lease -------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL uses advisory locks")
def test_the_sqlite_lease_is_held_until_released_or_its_holder_goes_silent():
    at = now()
    for name in ("may-a", "may-b"):
        WorkerBeat.objects.create(name=name, host="h", pid=1, started_at=at, last_seen=at)
    a, b = JobLocks("may-a", STALE_SECONDS), JobLocks("may-b", STALE_SECONDS)
    assert a.try_acquire("test-quick") and a.try_acquire("test-quick")  # ours already
    assert not b.try_acquire("test-quick")
    a.release("test-quick")
    assert b.try_acquire("test-quick") and not a.try_acquire("test-quick")
    WorkerBeat.objects.filter(name="may-b").update(last_seen=at - timedelta(minutes=5))
    assert a.try_acquire("test-quick")  # b went silent: its lease is free
    b.release("test-quick")  # too late: not b's any more
    assert JobLease.objects.get(job="test-quick").holder == "may-a"


# --- several processes on PostgreSQL -----------------------------------------------------------


def _passes(index: int, seconds: float, barrier) -> None:
    """In a forked process: one worker making scheduling passes for `seconds` (one at least, a
    short pause between two as `motcua worker` makes), started at the same moment as the others."""
    connections_after_fork()
    try:
        worker = quiet_worker(f"may-{index}:{os.getpid()}")
        with worker.alive():
            barrier.wait(timeout=30)
            until = time.monotonic() + seconds
            worker.jobs_pass()
            while time.monotonic() < until:
                time.sleep(worker.poll)
                worker.jobs_pass()
    finally:
        connections.close_all()


def _in_processes(count: int, target, *args) -> None:
    connections.close_all()  # the children must not share the parent's connection
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(count)
    processes = [context.Process(target=target, args=(i, *args, barrier)) for i in range(count)]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=120)
        assert process.exitcode == 0


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_three_workers_never_run_the_same_job_at_once(jobs):
    """Interval 0: the job is due at every pass of every worker, so they all want it all the
    time; its runs (0,3 s each) must still follow one another."""
    jobs(**{"test-sleepy": 0})
    _in_processes(3, _passes, 3.0)
    runs = _runs("test-sleepy")
    assert len(runs) >= 5 and all(r.status == JobRunStatus.OK for r in runs)
    assert _overlaps(runs) == []
    assert len({r.worker for r in runs}) >= 2  # more than one worker took its turn


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_without_the_lock_the_same_setup_does_overlap(jobs, monkeypatch):
    """The check above can fail: with the lock taken away, the workers run the job together."""
    jobs(**{"test-sleepy": 0})
    monkeypatch.setattr(JobLocks, "try_acquire", lambda self, job: True)
    monkeypatch.setattr(JobLocks, "release", lambda self, job: None)
    _in_processes(3, _passes, 0)
    assert _overlaps(_runs("test-sleepy")) != []


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_workers_started_together_run_a_due_job_once_for_its_turn(jobs):
    jobs(**{"test-sleepy": 60})
    _in_processes(3, _passes, 1.0)
    assert len(_runs("test-sleepy")) == 1


def _killed_worker(index: int, barrier) -> None:
    """In a forked process: a worker whose job kills it with SIGKILL (no clean-up at all)."""
    connections_after_fork()
    worker_jobs.KILL_IN_PID = os.getpid()
    barrier.wait(timeout=30)
    worker = quiet_worker(f"may-bi-giet:{os.getpid()}")
    with worker.alive():
        worker.jobs_pass()


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_job_whose_worker_was_killed_is_run_again_by_another(jobs, monkeypatch):
    """A real crash: the process dies with SIGKILL inside the job. PostgreSQL frees its advisory
    lock with its connection; once its heartbeat is stale, the next worker abandons the run and
    runs the job again."""
    jobs(**{"test-killed": 60})
    monkeypatch.setattr(worker_module, "STALE_SECONDS", 1)
    connections.close_all()
    context = multiprocessing.get_context("fork")
    process = context.Process(target=_killed_worker, args=(0, context.Barrier(1)))
    process.start()
    process.join(timeout=60)
    assert process.exitcode == -signal.SIGKILL
    [left] = _runs("test-killed")
    assert left.status == JobRunStatus.RUNNING and left.worker.startswith("may-bi-giet:")
    time.sleep(1.5)  # the dead worker's heartbeat goes stale
    quiet_worker("may-cuu:1").run_once()
    left.refresh_from_db()
    assert left.status == JobRunStatus.ABANDONED
    again = JobRun.objects.exclude(pk=left.pk).get(job="test-killed")
    assert again.status == JobRunStatus.OK and again.worker == "may-cuu:1"


def _serving_worker(index: int, barrier) -> None:
    """In a forked process: `motcua worker` itself, running until a signal stops it."""
    connections_after_fork()
    worker_jobs.SLEEP_SECONDS = 2
    barrier.wait(timeout=30)
    try:
        call_command("worker", "--name", "may-dich-vu")
    finally:
        connections.close_all()


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_sigterm_to_a_running_worker_process_finishes_its_job_then_exits(jobs):
    jobs(**{"test-sleepy": 60})
    connections.close_all()
    context = multiprocessing.get_context("fork")
    process = context.Process(target=_serving_worker, args=(0, context.Barrier(1)))
    process.start()
    deadline = time.monotonic() + 30
    while not JobRun.objects.filter(job="test-sleepy").exists():
        assert time.monotonic() < deadline, "the worker never started the job"
        time.sleep(0.05)
    beat = WorkerBeat.objects.get(name="may-dich-vu")
    assert beat.current == "Tác vụ: Tác vụ thử test-sleepy"  # the page shows what it runs
    os.kill(process.pid, signal.SIGTERM)
    process.join(timeout=30)
    assert process.exitcode == 0
    [run] = _runs("test-sleepy")
    assert run.status == JobRunStatus.OK and run.finished_at
    assert WorkerBeat.objects.get(name="may-dich-vu").stopped_at is not None


@pytest.mark.django_db
def test_jobs_status_lists_the_workers_and_warns_when_none_is_alive(jobs):
    from io import StringIO

    jobs(**{"test-quick": 60})
    out = StringIO()
    call_command("jobs", "status", stdout=out)
    assert "CẢNH BÁO: không có tiến trình chạy nền nào đang hoạt động" in out.getvalue()
    at = now()
    WorkerBeat.objects.create(
        name="may-1:5", host="may-1", pid=5, started_at=at, last_seen=at, current="Tác vụ: X"
    )
    out = StringIO()
    call_command("jobs", "status", stdout=out)
    text = out.getvalue()
    assert "Tiến trình chạy nền may-1:5: tín hiệu 0 giây trước, đang làm: Tác vụ: X" in text
    assert "không có tiến trình chạy nền nào" not in text
