"""The dossier sync to the national portal (issue [I] 3–4): a durable subscriber of the change feed
(motcua.dossiers.changes, ADR 0031), registered in DvcqgConfig.ready().

For each batch the feed hands over (at most one change per dossier, the oldest not yet sent):
the dossier's current record goes by `DongBoHoSoMC` — an update when the portal was sent it
before (`DossierSync`) — then the progress records of the history events not yet sent go by
`CapNhatTienDoHoSoMC`, in the order they happened. Sending the current state makes a resend
harmless. A refused batch is sent again record by record, so one bad dossier does not hold the
others; a transport error fails the batch (retried with back-off by the feed); a dossier the portal
cannot take (no national status, no code) is skipped with the reason, never retried.
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Max

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
from .records import NotSendable, hoso_record, tien_do_records
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
    """The feed's delivery function: send the batch, answer what could not be sent and why."""
    client = dvcqg_client()
    outcomes: Refusals = {}
    outgoing = _prepared(changes, outcomes)
    new = [o for o in outgoing if o.state is None]  # split before sending: sending sets the state
    known = [o for o in outgoing if o.state is not None]
    _group_send(client, new, False, outcomes)
    _group_send(client, known, True, outcomes)
    return outcomes


def _group_send(client, group: list[_Outgoing], is_updating: bool, outcomes: Refusals) -> None:
    """The records of `group` (all new to the portal, or all known), then their new progress."""

    def records(items):
        client.dong_bo_ho_so([o.record for o in items], is_updating)

    def progress(items):
        client.cap_nhat_tien_do([r for o in items for r in o.progress])

    sent = _send_isolating(group, records, outcomes)
    with_progress = [o for o in sent if o.progress]
    done = _send_isolating(with_progress, progress, outcomes)
    _states_record(sent, {id(o) for o in with_progress} - {id(o) for o in done})


def _prepared(changes: list[DossierChange], outcomes: Refusals) -> list[_Outgoing]:
    dossiers = Dossier.objects.in_bulk([c.dossier_id for c in changes if c.dossier_id])
    states = DossierSync.objects.in_bulk(list(dossiers), field_name="dossier_id")
    outgoing = []
    for change in changes:
        dossier = dossiers.get(change.dossier_id or 0)
        if dossier is None:
            outcomes[change.change_id or 0] = Skip("Hồ sơ không còn trong cơ sở dữ liệu.")
            continue
        item = _Outgoing(change, dossier, states.get(dossier.pk))
        try:
            item.record = hoso_record(dossier)
            after = item.state.last_event_id if item.state else 0
            item.progress = tien_do_records(dossier, after_event_id=after)
        except NotSendable as exc:
            outcomes[change.change_id or 0] = Skip(exc.message)
            continue
        item.last_event_id = dossier.events.aggregate(last=Max("pk"))["last"] or 0
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


def _states_record(sent: list[_Outgoing], progress_refused: set[int]) -> None:
    """Remember that the portal knows these dossiers, and up to which event their log goes (not
    moved for a dossier whose progress was refused: it is sent again with the next try)."""
    at = now()
    for item in sent:
        state = item.state or DossierSync(dossier=item.dossier, first_sent_at=at, last_sent_at=at)
        state.last_sent_at = at
        state.sends += 1
        if id(item) not in progress_refused:
            state.last_event_id = max(state.last_event_id, item.last_event_id)
        state.save()
        item.state = state


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
