"""Issue [I] must-show: on PostgreSQL, four real processes running the job `dvcqg-sync` at once
against the stand-in portal over HTTP deliver every change once, in order per dossier.

Forty changes of ten dossiers, batches of three so that the processes contend for them; the
processes start together (a barrier) and each runs the job until nothing waits. Nothing is sent by
the test process itself: what reached the portal is what the four sent. Each process also notes
when it handed each change to the sync (a system-wide monotonic clock), so the order in which a
dossier's changes went out is seen, not inferred from the records (which carry the current state,
whatever the change)."""

import dataclasses
import json
import multiprocessing
import time
from pathlib import Path

import pytest
from django.db import connection, connections

from motcua.dossiers import changes as feed
from motcua.dossiers.models import DeliveryState, DossierChangeDelivery
from motcua.dvcqg.client import sessions_forget_all
from motcua.dvcqg.records import tien_do_records
from motcua.dvcqg.sync import dvcqg_sync_run
from tests.dossiers.test_services import FORM, act, receive
from tests.forking import connections_after_fork

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="four processes need a server database"
    ),
    pytest.mark.django_db(transaction=True),
]

PROCESSES = 4


def _job_until_nothing_waits(index: int, barrier, sent, log_path: str) -> None:
    """In a forked process: run the job, as `motcua worker` would, until no change waits."""
    connections_after_fork()
    sessions_forget_all()  # a new process has no session with the portal
    handed: list[tuple[int, int, int, int]] = []  # (change, dossier, instant ns, process)
    sync = feed._durable["dvcqg"]

    def observed(changes):
        instant = time.monotonic_ns()
        handed.extend((c.change_id, c.dossier_id, instant, index) for c in changes)
        return sync.deliver(changes)

    feed._durable["dvcqg"] = dataclasses.replace(sync, deliver=observed)
    try:
        barrier.wait(timeout=60)
        for _ in range(200):
            run = dvcqg_sync_run()
            sent[index] += run.counts["sent"]
            waiting = DossierChangeDelivery.objects.filter(
                subscriber="dvcqg", state=DeliveryState.WAITING
            )
            if not waiting.exists():
                break
    finally:
        connections.close_all()
        with open(log_path, "w") as log:
            json.dump(handed, log)


def test_four_processes_deliver_every_change_once_in_order_per_dossier(
    desk, portal, settings, tmp_path
):
    settings.DVCQG_SYNC_BATCH = 3
    dossiers = []
    for _ in range(10):
        dossier = receive(desk)
        act(desk["head"], dossier, "assign", "2024-05-02T08:00", assignee_id=desk["specialist"].pk)
        act(desk["specialist"], dossier, "request_supplement", "2024-05-03T09:00", papers=[FORM])
        act(desk["desk"], dossier, "supplement_received", "2024-05-06T10:00")
        dossier.refresh_from_db()
        dossiers.append(dossier)
    changes = DossierChangeDelivery.objects.filter(subscriber="dvcqg")
    assert changes.count() == 40 and not portal.dossiers

    connections.close_all()  # the children must not share the parent's connection
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(PROCESSES)
    sent = context.Array("i", PROCESSES)
    logs = [str(tmp_path / f"process-{i}.json") for i in range(PROCESSES)]
    processes = [
        context.Process(target=_job_until_nothing_waits, args=(i, barrier, sent, logs[i]))
        for i in range(PROCESSES)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join(timeout=300)
    assert [p.exitcode for p in processes] == [0] * PROCESSES

    # Every change delivered, at the first attempt, once: the four processes' counts add up, and
    # no change was handed to the sync twice.
    assert sum(sent) == 40, list(sent)
    assert list(changes.values_list("state", "attempts").distinct()) == [(DeliveryState.SENT, 1)]
    handed = [tuple(row) for path in logs for row in json.loads(Path(path).read_text())]
    assert sorted(c for c, *_ in handed) == sorted(changes.values_list("change_id", flat=True))
    for dossier in dossiers:
        # One DongBoHoSoMC per change of the dossier: a creation, then updates.
        writes = [
            body["isUpdating"]
            for body in portal.bodies
            if "isUpdating" in body and any(r["MaHoSo"] == dossier.code for r in body["data"])
        ]
        assert writes == ["False", "True", "True", "True"], dossier.code
        # Its log: each history event once, in the order it happened.
        assert portal.progress[dossier.code] == tien_do_records(dossier)
        assert [p["TrangThai"] for p in portal.progress[dossier.code]] == ["2", "4", "5", "4"]
        # Its changes handed over in the order they were made (by whichever process).
        own = sorted((instant, change) for change, pk, instant, _ in handed if pk == dossier.pk)
        assert [change for _, change in own] == sorted(change for _, change in own)
    print("changes sent by each process:", list(sent))
