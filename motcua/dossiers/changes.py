"""The change feed: the one place the domain records that a dossier changed, and the one place
others subscribe to it (ADR 0018, grown into an outbox by ADR 0031).

A write that changes a dossier — a workflow move, an online submission, an import, a payment, the
return channel, the account a fee is paid into — calls `dossier_changed(dossier, kind)` (or
`dossiers_changed` for many) inside its transaction. That writes one `DossierChangeRecord` per
dossier in the same transaction: a change rolled back leaves no row, a change committed always has
one. Two kinds of subscribers read them, both registered by the subscribing app in its
AppConfig.ready(), so the domain never imports an interface app:

- `on_dossier_changed(callback)`: called in the process once the transaction commits (the
  tracking-page cache, opening a fee's charge). Best effort: what it does is cheap to redo.
- `feed_subscribe(name, deliver, …)`: a subscriber that must see every change, in order per
  dossier, even across a crash (the national portal's sync). Each change gets a delivery row for
  it in the same transaction; `feed_deliver(name)` (a job) hands the waiting ones over in batches,
  retries a failure with back-off and sets a change aside as dead after too many attempts.

Rows are pruned by the job `dossiers-feed-prune` once every delivery of theirs is done and they are
older than MOTCUA_CHANGE_FEED_RETENTION_DAYS.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Exists, F, Min, OuterRef

from motcua.core.bulk import objects_insert
from motcua.core.clock import now

from .models import DeliveryState, DossierChangeDelivery, DossierChangeRecord

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DossierChange:
    """One change: which dossier (its id, and its code once received — the public key of its
    pages), the kind of change (a workflow action such as "assign", or "payment",
    "return_channel", "collecting_account"), the status it left the dossier in, when, and the
    feed row that records it."""

    dossier_id: int | None
    code: str
    kind: str
    status: str = ""
    at: datetime | None = None
    change_id: int | None = None


Subscriber = Callable[[Sequence[DossierChange]], None]
_subscribers: list[Subscriber] = []


def on_dossier_changed(callback: Subscriber) -> Subscriber:
    """Call `callback(changes)` after every commit that changed dossiers. Registering the same
    callback twice keeps one (AppConfig.ready() may run more than once in tests)."""
    if callback not in _subscribers:
        _subscribers.append(callback)
    return callback


@dataclass(frozen=True)
class Skip:
    """A durable subscriber's answer for a change it will never take (e.g. a status the national
    portal has no code for): recorded as skipped with the reason, never retried."""

    reason: str


# A durable subscriber's answer for a batch: for each change id it could not take, why (a text:
# retried, then dead) or that it never will (Skip).
Refusals = dict[int, "str | Skip"]


@dataclass(frozen=True)
class DurableSubscriber:
    name: str
    deliver: Callable[[list[DossierChange]], Refusals]
    enabled: Callable[[], bool]
    # Changes older than this instant are not delivered at all (None: every change).
    since: Callable[[], datetime | None]
    max_attempts: Callable[[], int]


_durable: dict[str, DurableSubscriber] = {}


def feed_subscribe(
    name: str,
    deliver: Callable[[list[DossierChange]], Refusals],
    *,
    enabled: Callable[[], bool] = lambda: True,
    since: Callable[[], datetime | None] = lambda: None,
    max_attempts: int | Callable[[], int] = 8,
) -> None:
    """Register a subscriber that must see every change committed while it is enabled.
    `deliver(changes)` gets a batch — at most one change per dossier, the oldest not yet
    delivered — and returns the ids of the changes it could not take with the reason; raising
    fails the whole batch (a transport error)."""
    attempts = max_attempts if callable(max_attempts) else (lambda: max_attempts)
    _durable[name] = DurableSubscriber(name, deliver, enabled, since, attempts)


def durable_subscribers() -> list[str]:
    return sorted(_durable)


def dossier_changed(dossier, kind: str) -> None:
    """Record that this dossier changed (subscribers hear of it once the transaction commits)."""
    dossiers_changed([(dossier.pk, dossier.code, dossier.status)], kind=kind)


def dossiers_changed(
    dossiers: Iterable[tuple[int, str | None, str]], *, kind: str, at: datetime | None = None
) -> None:
    """Record many changed dossiers, given as (id, code, status), with one feed row each, written
    in the current transaction (at once outside one), and one delivery after commit."""
    at = at or now()
    records = [
        DossierChangeRecord(dossier_id=pk, code=code or "", kind=kind, status=status, at=at)
        for pk, code, status in dossiers
    ]
    if not records:
        return
    _rows_insert(DossierChangeRecord, records)
    _deliveries_open(records, at)
    changes = tuple(_change_of(record) for record in records)
    transaction.on_commit(lambda: _deliver(changes))


def feed_replay(name: str, dossiers: Iterable[tuple[int, str | None, str]], *, kind: str) -> int:
    """Queue these dossiers once more for the durable subscriber `name` alone, whatever its start
    (a back-fill when a subscriber is first switched on): one feed row each, with one delivery for
    that subscriber. Returns how many were queued."""
    at = now()
    queued = 0
    batch: list[DossierChangeRecord] = []
    for pk, code, status in dossiers:
        batch.append(
            DossierChangeRecord(dossier_id=pk, code=code or "", kind=kind, status=status, at=at)
        )
        if len(batch) == REPLAY_CHUNK:
            queued += _replay_write(name, batch, at)
            batch = []
    return queued + _replay_write(name, batch, at)


REPLAY_CHUNK = 2000


def _replay_write(name: str, records: list[DossierChangeRecord], at: datetime) -> int:
    with transaction.atomic():
        objects_insert(DossierChangeRecord, records, ids_needed=True)
        objects_insert(
            DossierChangeDelivery,
            [
                DossierChangeDelivery(
                    change_id=r.pk,
                    subscriber=name,
                    dossier_id_copy=r.dossier_id,
                    next_attempt_at=at,
                )
                for r in records
            ],
        )
    return len(records)


def _change_of(record: DossierChangeRecord) -> DossierChange:
    return DossierChange(
        record.dossier_id, record.code, record.kind, record.status, record.at, record.pk
    )


def _deliveries_open(records: list[DossierChangeRecord], at: datetime) -> None:
    for subscriber in _durable.values():
        if not subscriber.enabled():
            continue
        since = subscriber.since()
        if since is not None and at < since:
            continue
        _rows_insert(
            DossierChangeDelivery,
            [
                DossierChangeDelivery(
                    change_id=record.pk,
                    subscriber=subscriber.name,
                    dossier_id_copy=record.dossier_id,
                    next_attempt_at=at,
                )
                for record in records
            ],
        )


# Below this many rows one INSERT … RETURNING costs less than reserving ids and a COPY (a desk
# reception writes one feed row; an import writes thousands).
COPY_FROM_ROWS = 200


def _rows_insert(model, rows: list) -> None:
    if len(rows) < COPY_FROM_ROWS:
        model.objects.bulk_create(rows)
    else:
        objects_insert(model, rows, ids_needed=True)


def _deliver(changes: tuple[DossierChange, ...]) -> None:
    """Every in-process subscriber hears of the changes; one that fails is logged and does not
    keep the others from hearing (the change itself is committed already)."""
    for subscriber in list(_subscribers):
        try:
            subscriber(changes)
        except Exception:
            logger.exception("dossier change subscriber %r failed", subscriber)


# --- durable delivery ----------------------------------------------------------------------------

RETRY_FIRST_SECONDS = 30
RETRY_MAX_SECONDS = 6 * 60 * 60
PENDING = (DeliveryState.WAITING, DeliveryState.FAILED, DeliveryState.DEAD)


@dataclass
class DeliveryResult:
    sent: int = 0
    failed: int = 0
    dead: int = 0
    skipped: int = 0

    @property
    def handled(self) -> int:
        return self.sent + self.failed + self.dead + self.skipped


def feed_deliver(name: str, *, batch: int = 100, limit: int = 10_000) -> DeliveryResult:
    """Hand the waiting changes of subscriber `name` over, batch by batch, until none is due or
    `limit` were handled. Several processes may run this at once: each batch is claimed with
    row locks that the others skip, and a dossier's change waits while an older one of the same
    dossier is not delivered (so the order per dossier holds, and a dead change holds the later
    ones of its dossier until someone requeues it)."""
    subscriber = _durable[name]
    result = DeliveryResult()
    while result.handled < limit:
        handled = _deliver_batch(subscriber, min(batch, limit - result.handled), result)
        if not handled:
            break
    return result


def _due(name: str, at: datetime):
    older_pending = DossierChangeDelivery.objects.filter(
        subscriber=name,
        dossier_id_copy=OuterRef("dossier_id_copy"),
        change_id__lt=OuterRef("change_id"),
        state__in=PENDING,
    )
    return (
        DossierChangeDelivery.objects.filter(
            subscriber=name,
            state__in=(DeliveryState.WAITING, DeliveryState.FAILED),
            next_attempt_at__lte=at,
        )
        .filter(~Exists(older_pending))
        .order_by("change_id")
    )


def _deliver_batch(subscriber: DurableSubscriber, size: int, result: DeliveryResult) -> int:
    at = now()
    with transaction.atomic():
        claimed = list(
            _due(subscriber.name, at)
            .select_for_update(skip_locked=True, of=("self",))
            .select_related("change")[:size]
        )
        if not claimed:
            return 0
        changes = [_change_of(delivery.change) for delivery in claimed]
        try:
            refusals = subscriber.deliver(changes)
        except Exception as exc:  # the whole batch failed (transport): each is retried
            logger.warning("change feed %s: batch failed: %s", subscriber.name, type(exc).__name__)
            refusals = {delivery.change_id: str(exc) or type(exc).__name__ for delivery in claimed}
        for delivery in claimed:
            _delivery_settle(subscriber, delivery, refusals.get(delivery.change_id), at, result)
        _deliveries_save(claimed, at)
    return len(claimed)


def _deliveries_save(claimed: list[DossierChangeDelivery], at: datetime) -> None:
    """The sent ones (nearly all of a batch) in one UPDATE; bulk_update writes a CASE per column
    and row, which was half of a batch's time under load — only the few others need it."""
    sent = [d.pk for d in claimed if d.state == DeliveryState.SENT]
    if sent:
        DossierChangeDelivery.objects.filter(pk__in=sent).update(
            state=DeliveryState.SENT, attempts=F("attempts") + 1, delivered_at=at, last_error=""
        )
    others = [d for d in claimed if d.state != DeliveryState.SENT]
    if others:
        DossierChangeDelivery.objects.bulk_update(
            others, ["state", "attempts", "next_attempt_at", "delivered_at", "last_error"]
        )


def _delivery_settle(subscriber, delivery, error, at: datetime, result) -> None:
    delivery.attempts += 1
    if error is None:
        delivery.state, delivery.delivered_at, delivery.last_error = DeliveryState.SENT, at, ""
        result.sent += 1
        return
    if isinstance(error, Skip):
        delivery.state, delivery.last_error = DeliveryState.SKIPPED, error.reason[:2000]
        result.skipped += 1
        return
    delivery.last_error = error[:2000]
    if delivery.attempts >= subscriber.max_attempts():
        delivery.state = DeliveryState.DEAD
        result.dead += 1
        return
    delivery.state = DeliveryState.FAILED
    wait = min(RETRY_MAX_SECONDS, RETRY_FIRST_SECONDS * 2 ** (delivery.attempts - 1))
    delivery.next_attempt_at = at + timedelta(seconds=wait)
    result.failed += 1


def feed_requeue(name: str, delivery_ids: Sequence[int] | None = None) -> int:
    """Send failed or dead changes again at once, from a fresh count of attempts (all of them
    when no ids are given). Returns how many were requeued."""
    rows = DossierChangeDelivery.objects.filter(
        subscriber=name, state__in=(DeliveryState.FAILED, DeliveryState.DEAD)
    )
    if delivery_ids is not None:
        rows = rows.filter(pk__in=delivery_ids)
    return rows.update(state=DeliveryState.WAITING, attempts=0, next_attempt_at=now())


@dataclass(frozen=True)
class FeedHealth:
    counts: dict[str, int]
    oldest_waiting_at: datetime | None

    @property
    def lag_seconds(self) -> float:
        if self.oldest_waiting_at is None:
            return 0.0
        return max(0.0, (now() - self.oldest_waiting_at).total_seconds())


def feed_health(name: str) -> FeedHealth:
    """How many changes of subscriber `name` are in each state, and since when the oldest not
    yet delivered has waited."""
    rows = DossierChangeDelivery.objects.filter(subscriber=name)
    counts = {state.value: 0 for state in DeliveryState}
    for found in rows.order_by().values("state").annotate(n=Count("pk")):
        counts[found["state"]] = found["n"]
    oldest = rows.filter(state__in=PENDING).aggregate(at=Min("change__at"))["at"]
    return FeedHealth(counts, oldest)


def feed_prune(retention_days: int | None = None) -> int:
    """Delete the feed rows older than the retention whose every delivery is done. Returns how
    many rows went."""
    days = settings.MOTCUA_CHANGE_FEED_RETENTION_DAYS if retention_days is None else retention_days
    undelivered = DossierChangeDelivery.objects.filter(change=OuterRef("pk"), state__in=PENDING)
    old = DossierChangeRecord.objects.filter(at__lt=now() - timedelta(days=days)).filter(
        ~Exists(undelivered)
    )
    deleted = 0
    while True:
        ids = list(old.values_list("pk", flat=True)[:5000])
        if not ids:
            return deleted
        DossierChangeRecord.objects.filter(pk__in=ids).delete()
        deleted += len(ids)


def feed_prune_run():
    """The job `dossiers-feed-prune` (core.models.JOBS)."""
    from motcua.core.jobs import job_run

    with job_run(
        "dossiers-feed-prune", lambda c: f"Đã xóa {c['deleted']} thay đổi hồ sơ đã gửi xong."
    ) as book:
        book.counts["deleted"] = feed_prune()
    return book.run
