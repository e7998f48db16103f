"""The dossier sync to the national portal (issue [I] 3–4): a durable subscriber of the change feed
(motcua.dossiers.changes, ADR 0031), registered in DvcqgConfig.ready().

For each batch the feed hands over (at most one change per dossier, the oldest not yet sent):
the dossiers' current records go by `DongBoHoSoMC` — one call for those new to the portal, one
with `isUpdating` for those it was sent before (`DossierSync`) — then the progress records of the
history events not yet sent, every dossier's in the order they happened, by one
`CapNhatTienDoHoSoMC`. The batch's records are built together in a fixed number of statements
(records_build, ADR 0030 "Batching"). Sending the current state makes a resend harmless. A refused
call is sent again record by record (a dossier's progress staying together), so one bad dossier
does not hold the others; a transport error fails the batch (retried with back-off by the feed),
what the portal took before it being remembered; a dossier the portal cannot take (no national
status, no code) is skipped with the reason, never retried.
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection

from motcua.core.clock import now
from motcua.dossiers.changes import (
    DossierChange,
    Refusals,
    Skip,
    feed_deliver,
    feed_replay,
    feed_subscribe,
)
from motcua.dossiers.models import Dossier

from .client import (
    DvcqgBadReply,
    DvcqgError,
    DvcqgRefused,
    DvcqgTransportError,
    dvcqg_client,
    dvcqg_enabled,
)
from .models import DossierSync
from .records import NotSendable, records_build
from .selectors import SUBSCRIBER

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


def sync_since() -> datetime | None:
    """The first instant whose changes are sent by themselves (DVCQG_SYNC_SINCE), or None."""
    text = settings.DVCQG_SYNC_SINCE.strip()
    if not text:
        return None
    return datetime.combine(date.fromisoformat(text), time(), VIETNAM)


def sync_register() -> None:
    feed_subscribe(
        SUBSCRIBER,
        changes_send,
        enabled=dvcqg_enabled,
        since=sync_since,
        max_attempts=lambda: settings.DVCQG_SYNC_MAX_ATTEMPTS,
    )


class _Outgoing:
    """One dossier of the batch on its way: its change, record, new progress and sync state."""

    def __init__(self, change: DossierChange, dossier: Dossier, state: DossierSync | None):
        self.change, self.dossier, self.state = change, dossier, state
        self.record: dict = {}
        self.progress: list[dict] = []
        self.last_event_id = 0


def changes_send(changes: list[DossierChange]) -> Refusals:
    """The feed's delivery function: send the batch, answer what could not be sent and why.

    At most three calls (records new to the portal, records it knows, all the progress) and a
    fixed number of statements, whatever the batch's size."""
    client = dvcqg_client()
    outcomes: Refusals = {}
    outgoing = _prepared(changes, outcomes)
    new = [o for o in outgoing if o.state is None]  # split before sending: sending sets the state
    known = [o for o in outgoing if o.state is not None]

    def records(is_updating: bool):
        return lambda items: client.dong_bo_ho_so([o.record for o in items], is_updating)

    def progress(items):
        client.cap_nhat_tien_do([r for o in items for r in o.progress])

    taken: list[_Outgoing] = []  # the portal has their records
    logged: set[int] = set()  # … and their progress up to their last event
    try:
        taken += _send_isolating(new, records(False), outcomes)
        taken += _send_isolating(known, records(True), outcomes)
        logged = {id(o) for o in taken if not o.progress}
        with_progress = [o for o in taken if o.progress]
        logged |= {id(o) for o in _send_isolating(with_progress, progress, outcomes)}
    finally:
        # Even when a transport error fails the batch after some calls were taken: the next try
        # updates (isUpdating) what the portal already holds.
        _states_record(taken, logged)
    return outcomes


def _prepared(changes: list[DossierChange], outcomes: Refusals) -> list[_Outgoing]:
    ids = [c.dossier_id for c in changes if c.dossier_id]
    states = DossierSync.objects.in_bulk(ids, field_name="dossier_id")
    built = records_build(ids, after={pk: state.last_event_id for pk, state in states.items()})
    outgoing = []
    for change in changes:
        found = built.get(change.dossier_id or 0)
        if found is None:
            outcomes[change.change_id or 0] = Skip("Hồ sơ không còn trong cơ sở dữ liệu.")
            continue
        if isinstance(found, NotSendable):
            outcomes[change.change_id or 0] = Skip(found.message)
            continue
        item = _Outgoing(change, found.dossier, states.get(found.dossier.pk))
        item.record, item.progress, item.last_event_id = (
            found.record,
            found.progress,
            found.last_event_id,
        )
        outgoing.append(item)
    return outgoing


def _send_isolating(items: list[_Outgoing], send, outcomes: Refusals) -> list[_Outgoing]:
    """Send `items` in one call; when the portal refuses the call, send them one by one so that
    only the dossier it refuses is answered with the refusal. A retryable transport error is
    raised (the whole batch is tried again later). Returns the items the portal took."""
    if not items:
        return []
    try:
        send(items)
        return items
    except DvcqgTransportError as exc:
        if exc.retryable:
            raise
        _refuse(items, exc, outcomes)
        return []
    except (DvcqgRefused, DvcqgBadReply) as exc:
        if len(items) == 1:
            _refuse(items, exc, outcomes)
            return []
    taken = []
    for item in items:
        taken += _send_isolating([item], send, outcomes)
    return taken


def _refuse(items: list[_Outgoing], exc: DvcqgError, outcomes: Refusals) -> None:
    for item in items:
        outcomes[item.change.change_id or 0] = str(exc)


def _states_record(sent: list[_Outgoing], logged: set[int]) -> None:
    """Remember that the portal knows these dossiers, and up to which event their log goes (moved
    only for a dossier whose progress was taken: otherwise it is sent again with the next try)."""
    at = now()
    states = []
    for item in sent:
        state = item.state or DossierSync(dossier=item.dossier, first_sent_at=at, last_sent_at=at)
        state.last_sent_at = at
        state.sends += 1
        if id(item) in logged:
            state.last_event_id = max(state.last_event_id, item.last_event_id)
        item.state = state
        states.append(state)
    _states_write(states)


STATES_PER_STATEMENT = 1000  # × 5 values, under SQLite's 32.766 and PostgreSQL's 65.535


def _states_write(states: list[DossierSync]) -> None:
    """Insert or update the states in one statement (per thousand): bulk_create's upsert would
    split 200 rows in two on SQLite (Django counts 999 parameters there), and the batch's
    statements are to stay a constant. A dossier is in one batch at a time (the feed's locks)."""
    table = connection.ops.quote_name(DossierSync._meta.db_table)
    for start in range(0, len(states), STATES_PER_STATEMENT):
        chunk = states[start : start + STATES_PER_STATEMENT]
        params: list = []
        for state in chunk:
            params += [
                state.dossier_id,
                connection.ops.adapt_datetimefield_value(state.first_sent_at),
                connection.ops.adapt_datetimefield_value(state.last_sent_at),
                state.last_event_id,
                state.sends,
            ]
        values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(chunk))
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (dossier_id, first_sent_at, last_sent_at, last_event_id, sends)"
                f" VALUES {values} ON CONFLICT (dossier_id) DO UPDATE SET"
                " last_sent_at = excluded.last_sent_at, last_event_id = excluded.last_event_id,"
                " sends = excluded.sends",
                params,
            )


# --- the job and the commands -----------------------------------------------------------------------


def dvcqg_sync_run():
    """The job `dvcqg-sync` (core.models.JOBS, every minute): send what is waiting."""
    from motcua.core.jobs import job_run

    def describe(c: dict) -> str:
        if not c.get("enabled"):
            return "Chưa bật đồng bộ với Cổng DVCQG (DVCQG_ADAPTER_URL chưa đặt)."
        return (
            f"Đã gửi {c['sent']}, lỗi sẽ gửi lại {c['failed']}, ngừng gửi {c['dead']}, "
            f"bỏ qua {c['skipped']} thay đổi hồ sơ."
        )

    with job_run("dvcqg-sync", describe) as book:
        book.counts["enabled"] = dvcqg_enabled()
        if book.counts["enabled"]:
            result = feed_deliver(SUBSCRIBER, batch=settings.DVCQG_SYNC_BATCH)
            book.counts.update(
                sent=result.sent, failed=result.failed, dead=result.dead, skipped=result.skipped
            )
            if result.failed or result.dead:
                book.errors.append(f"{result.failed + result.dead} thay đổi chưa gửi được")
    return book.run


def dvcqg_resync(first: date, last: date) -> int:
    """Queue every dossier received (or, online, submitted) between the two days, inclusive, for
    the portal: the back-fill when the sync is switched on. Returns how many were queued."""
    start = datetime.combine(first, time(), VIETNAM)
    end = datetime.combine(last, time.max, VIETNAM)
    dossiers = (
        Dossier.objects.filter(received_at__range=(start, end))
        .order_by("received_at", "pk")
        .values_list("pk", "code", "status")
    )
    return feed_replay(SUBSCRIBER, dossiers.iterator(chunk_size=2000), kind="resync")
