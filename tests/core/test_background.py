"""The one-off task queue (motcua.core.background, ADR 0026): claimed once, by one worker, on
both databases; several worker processes on PostgreSQL share a queue without taking a task twice."""

import multiprocessing
import os
import time

import pytest
from django.db import connection, connections

from motcua.core import background
from motcua.core import models as core_models
from motcua.core import worker as worker_module
from motcua.core.background import result_open, task_claim, task_enqueue, task_run
from motcua.core.models import BackgroundTask
from motcua.core.worker import Worker
from tests.accounts.factories import UserFactory
from tests.core import worker_jobs
from tests.forking import connections_after_fork

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="several processes need a server database (runs on PostgreSQL in CI)",
)


@pytest.fixture(autouse=True)
def note_kind(monkeypatch):
    kinds = {"note": worker_jobs.NOTE_KIND}
    monkeypatch.setattr(core_models, "TASK_KINDS", kinds)
    monkeypatch.setattr(background, "TASK_KINDS", kinds)
    monkeypatch.setattr(worker_module, "JOBS", {})


@pytest.mark.django_db
def test_a_task_is_claimed_once_built_and_stored():
    user = UserFactory(username="canbo")
    task = task_enqueue("note", user, {"text": "Xin chào"})
    claimed = task_claim("may-1")
    assert claimed.pk == task.pk and claimed.status == "running" and claimed.attempts == 1
    assert task_claim("may-2") is None  # nothing else queued: never the same task twice
    done = task_run(claimed)
    assert (done.status, done.result_filename, done.summary) == ("done", "ghi-chu.txt", "1 dòng")
    assert done.result_size == len("Xin chào cho canbo".encode())
    with result_open(done) as handle:
        assert handle.read().decode() == "Xin chào cho canbo"
    assert done.expires_at > done.finished_at


@pytest.mark.django_db
def test_a_refusal_is_recorded_with_its_message_and_a_crash_with_a_generic_one():
    user = UserFactory()
    task_enqueue("note", user, {"refuse": True})
    task_enqueue("note", user, {"crash": True})
    refused = task_run(task_claim("may-1"))  # the oldest first
    crashed = task_run(task_claim("may-1"))
    assert (refused.status, refused.error) == ("failed", "Không có gì để lập.")
    assert crashed.status == "failed" and crashed.result == ""
    assert crashed.error.startswith(f"Không lập được tệp do lỗi hệ thống (việc số {crashed.pk})")
    assert "hỏng" not in crashed.error  # the technical cause goes to the log


@pytest.mark.django_db
def test_a_finished_task_cannot_be_overwritten_by_a_worker_thought_dead():
    """A worker whose task went back to the queue meanwhile (its heartbeat looked stale) must not
    record over the new run; its file is deleted."""
    task = task_enqueue("note", UserFactory(), {"text": "a"})
    claimed = task_claim("may-cham")
    BackgroundTask.objects.filter(pk=task.pk).update(status="queued", worker="")
    late = task_run(claimed)
    assert late.status == "queued" and late.result == ""


def _drain(index: int, barrier) -> None:
    """In a forked process: a worker taking queued tasks until none is left."""
    connections_after_fork()
    try:
        worker = Worker(name=f"may-{index}:{os.getpid()}", poll=0.05, report=lambda line: None)
        with worker.alive():
            barrier.wait(timeout=30)
            while worker.task_next():
                pass
    finally:
        connections.close_all()


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_three_worker_processes_share_the_queue_and_never_take_a_task_twice():
    user = UserFactory()
    for number in range(9):
        task_enqueue("note", user, {"text": str(number), "sleep": 0.2})
        if number % 3 == 2:
            user = UserFactory()  # at most three pending tasks each
    connections.close_all()
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(3)
    processes = [context.Process(target=_drain, args=(i, barrier)) for i in range(3)]
    began = time.monotonic()
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=60)
        assert process.exitcode == 0
    tasks = list(BackgroundTask.objects.all())
    assert [t.status for t in tasks] == ["done"] * 9
    assert all(t.attempts == 1 for t in tasks)  # each claimed exactly once
    assert len({t.worker for t in tasks}) == 3  # SKIP LOCKED: nobody waited for the others
    assert time.monotonic() - began < 9 * 0.2 + 5
