"""The change feed (motcua.dossiers.changes, ADR 0031): every path that changes a dossier writes one
feed row per change in its own transaction; a rolled-back change leaves none; durable subscribers get
every change once, in order per dossier, with retries, dead letters, requeue and pruning."""

import re
import threading
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motcua.core.clock import now
from motcua.dossiers import changes
from motcua.dossiers.changes import (
    dossier_changed,
    feed_deliver,
    feed_health,
    feed_prune,
    feed_requeue,
    feed_subscribe,
)
from motcua.dossiers.models import (
    DeliveryState,
    DossierChangeDelivery,
    DossierChangeRecord,
    DossierEvent,
)
from tests.dossiers.test_services import act, at, receive


def rows(dossier=None) -> list[tuple[str, str]]:
    found = DossierChangeRecord.objects.order_by("pk")
    if dossier is not None:
        found = found.filter(dossier=dossier)
    return list(found.values_list("kind", "status"))


# --- every path writes one row per change --------------------------------------------------------


def test_a_desk_reception_and_each_move_write_one_row_beside_their_history_event(desk):
    dossier = receive(desk)
    act(desk["head"], dossier, "assign", "2024-05-02T08:00", assignee_id=desk["specialist"].pk)
    assert rows(dossier) == [("received", "received"), ("assign", "in_progress")]
    assert DossierEvent.objects.filter(dossier=dossier).count() == len(rows(dossier))


def test_an_online_submission_writes_one_row(desk):
    from tests.dossiers.test_applicant_identity import online
    from tests.dossiers.test_services import intake

    dossier = online(intake().applicant)
    assert rows(dossier) == [("submitted_online", "submitted_online")]


def test_an_import_writes_one_row_per_imported_dossier(desk, tmp_path):
    from tests.dossiers.test_import_copy import ROWS, _import

    _import(desk, tmp_path)
    imported = DossierChangeRecord.objects.filter(kind="imported")
    assert imported.count() == len(ROWS) == 5
    assert set(imported.values_list("dossier__code", flat=True)) == set(
        imported.values_list("code", flat=True)
    )


def test_a_bank_notification_writes_one_row_for_the_payment_and_one_for_the_move(
    desk, client, settings
):
    from tests.payments.helpers import (
        SECRETS,
        collecting_account,
        credit_body,
        dossier_awaiting_payment,
        generic_request,
        post,
    )

    settings.PAYMENTS_WEBHOOK_SECRETS = SECRETS
    collecting_account()
    dossier, charge = dossier_awaiting_payment(desk)
    before = len(rows(dossier))
    raw, headers = generic_request(credit_body(charge))
    assert post(client, "generic", raw, headers).status_code == 200
    assert sorted(rows(dossier)[before:]) == [
        ("payment", "awaiting_payment"),
        ("payment_settled", "in_progress"),
    ]
    assert post(client, "generic", raw, headers).status_code == 200  # replayed: no change
    assert len(rows(dossier)) == before + 2


def test_a_rolled_back_change_leaves_no_row(desk):
    dossier = receive(desk)
    with transaction.atomic():
        dossier_changed(dossier, "payment")
        transaction.set_rollback(True)
    assert rows(dossier) == [("received", "received")]


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(st.tuples(st.integers(0, 3), st.booleans()), min_size=1, max_size=8))
def test_no_committed_change_is_lost_and_no_rolled_back_one_is_kept(desk, plan):
    """A random sequence of transactions, each with 0–3 changes, each committed or rolled back:
    the feed holds exactly the committed changes, in order."""
    dossier = receive(desk)
    expected = [("received", "received")]
    with transaction.atomic():  # the example's own world, undone after it
        for number, (count, commit) in enumerate(plan):
            with transaction.atomic():
                for change in range(count):
                    dossier_changed(dossier, f"k{number}-{change}")
                if not commit:
                    transaction.set_rollback(True)
            if commit:
                expected += [(f"k{number}-{change}", "received") for change in range(count)]
        assert rows(dossier) == expected
        transaction.set_rollback(True)


# --- durable subscribers ---------------------------------------------------------------------------


@pytest.fixture
def durable(monkeypatch):
    """A durable subscriber "test" that records what it receives and refuses what it is told."""
    monkeypatch.setattr(changes, "_durable", {})
    got: list = []
    refuse: dict = {}

    def deliver(batch):
        if refuse.get("all"):
            raise ConnectionError("cổng không trả lời")
        got.extend(c for c in batch if c.kind not in refuse)
        return {c.change_id: refuse[c.kind] for c in batch if c.kind in refuse}

    feed_subscribe("test", deliver, max_attempts=3)
    return got, refuse


def test_every_change_reaches_a_durable_subscriber_once_in_order_per_dossier(desk, durable):
    got, _ = durable
    one, two = receive(desk), receive(desk)
    act(desk["head"], one, "assign", "2024-05-02T08:00", assignee_id=desk["specialist"].pk)
    first = feed_deliver("test")
    assert (first.sent, first.failed) == (3, 0)  # in two batches: a dossier's oldest change first
    assert feed_deliver("test").sent == 0
    assert [(c.dossier_id, c.kind) for c in got] == [
        (one.pk, "received"),
        (two.pk, "received"),
        (one.pk, "assign"),
    ]


def test_a_refused_change_is_retried_with_back_off_then_dead_and_holds_its_dossier(desk, durable):
    got, refuse = durable
    dossier = receive(desk)
    act(desk["head"], dossier, "assign", "2024-05-02T08:00", assignee_id=desk["specialist"].pk)
    refuse["received"] = "error_code 1: MaTTHC không tồn tại"
    assert feed_deliver("test").failed == 1
    waiting = DossierChangeDelivery.objects.get(change__kind="received")
    assert waiting.state == DeliveryState.FAILED and waiting.attempts == 1
    assert waiting.next_attempt_at > now()
    assert feed_deliver("test").handled == 0  # not due yet; the later change waits behind it
    for minutes in (1, 10):
        with time_machine.travel(now() + timedelta(minutes=minutes)):
            feed_deliver("test")
    dead = DossierChangeDelivery.objects.get(change__kind="received")
    assert dead.state == DeliveryState.DEAD and "MaTTHC" in dead.last_error
    health = feed_health("test")
    assert health.counts["dead"] == 1 and health.counts["waiting"] == 1
    assert health.lag_seconds > 0
    assert [c.kind for c in got] == []  # the assignment never overtook the dead reception

    refuse.clear()
    assert feed_requeue("test") == 1
    assert feed_deliver("test").sent == 2
    assert [c.kind for c in got] == ["received", "assign"]
    assert feed_health("test").lag_seconds == 0


def test_a_transport_error_fails_the_whole_batch(desk, durable):
    _, refuse = durable
    receive(desk), receive(desk)
    refuse["all"] = True
    result = feed_deliver("test")
    assert (result.sent, result.failed) == (0, 2)
    assert set(DossierChangeDelivery.objects.values_list("last_error", flat=True)) == {
        "cổng không trả lời"
    }


def test_a_disabled_subscriber_or_a_change_before_its_start_gets_no_delivery(desk, monkeypatch):
    monkeypatch.setattr(changes, "_durable", {})
    feed_subscribe("off", lambda batch: {}, enabled=lambda: False)
    feed_subscribe("later", lambda batch: {}, since=lambda: at("2025-01-01T00:00"))
    with time_machine.travel(at("2024-04-26T16:00"), tick=False):
        receive(desk)
    assert DossierChangeDelivery.objects.count() == 0


def test_rows_are_pruned_only_once_delivered_and_old(desk, durable):
    got, refuse = durable
    delivered, stuck = receive(desk), receive(desk)
    refuse["received"] = "lỗi"
    DossierChangeDelivery.objects.filter(change__dossier=delivered).update(state=DeliveryState.SENT)
    DossierChangeDelivery.objects.filter(change__dossier=stuck).update(state=DeliveryState.DEAD)
    DossierChangeRecord.objects.update(at=now())
    assert feed_prune(retention_days=30) == 0  # too young
    with time_machine.travel(now() + timedelta(days=31)):
        assert feed_prune(retention_days=30) == 1
    assert list(DossierChangeRecord.objects.values_list("dossier", flat=True)) == [stuck.pk]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="row locks that others skip are PostgreSQL's"
)
@pytest.mark.django_db(transaction=True)
def test_four_deliverers_at_once_deliver_each_change_once_in_order(desk, monkeypatch):
    monkeypatch.setattr(changes, "_durable", {})
    got: list = []
    lock = threading.Lock()

    def deliver(batch):
        with lock:
            got.extend((c.dossier_id, c.change_id) for c in batch)
        return {}

    feed_subscribe("race", deliver)
    for _ in range(6):
        dossier = receive(desk)
        for number in range(4):
            dossier_changed(dossier, f"k{number}")
    expected = DossierChangeRecord.objects.count()

    def worker():
        try:
            while feed_deliver("race", batch=3).handled:
                pass
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    feed_deliver("race")  # what a worker left because an older one was still being sent
    assert len(got) == expected == len(set(got))
    for dossier_id in {d for d, _ in got}:
        ids = [c for d, c in got if d == dossier_id]
        assert ids == sorted(ids)


# --- no second path ----------------------------------------------------------------------------------

DOSSIER_WRITE = re.compile(
    r"Dossier\.objects\.(create|bulk_create|bulk_update)\(|objects_insert\(\s*Dossier\b"
    r"|Dossier\.objects\.[^\n]*\.update\(|\b(dossier|locked)\.save\("
)


def test_every_module_that_writes_dossiers_records_the_change_on_the_feed():
    root = Path(__file__).resolve().parents[2]
    silent = []
    for path in sorted((root / "motcua").rglob("*.py")):
        name = str(path.relative_to(root))
        if "/migrations/" in name:
            continue
        text = path.read_text(encoding="utf-8")
        if DOSSIER_WRITE.search(text) and not re.search(r"\bdossiers?_changed\(", text):
            silent.append(name)
    assert silent == []
