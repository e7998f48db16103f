"""The periodic watch over open dossiers: who must be told that a dossier is due within one working
day, or already overdue (Decree 61/2018 art. 19.9 asks the competent body to act at the latest one
day before the deadline). Run by `motcua jobs run dossiers-monitor` from cron or a systemd timer.

Idempotent: each dossier gets at most one notice per kind per day, whatever the number of runs;
the notices already sent are found by their `reference` (`monitor:<kind>:<YYYYMMDD>:<code>`).
Each officer is told by every channel they have — the notice list on their home page, e-mail,
SMS (motcua.notifications.notices, ADR 0024) — and the run counts the messages per channel.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from motcua.accounts.roles import Role
from motcua.calendars.selectors import working_calendar_for
from motcua.core.clock import now
from motcua.core.jobs import job_run
from motcua.core.models import JobRun
from motcua.notifications.models import Channel, Notification
from motcua.notifications.notices import staff_remind
from motcua.org.models import Unit

from .models import Dossier
from .selectors import DUE_SOON_MINUTES, remaining_working_minutes
from .workflow import CLOCK_RUNNING

JOB_NAME = "dossiers-monitor"
DUE_SOON, OVERDUE = "due_soon", "overdue"
# Even the Tết break leaves one working day well within this horizon; the exact test is in Python.
HORIZON = timedelta(days=31)
# The channels a reminder may take, in the order the summary names them.
CHANNELS = [Channel.IN_APP.value, Channel.EMAIL.value, Channel.SMS.value]


def dossiers_monitor_run(at: datetime | None = None) -> JobRun:
    """Notify the assignee and the division head(s) of every open dossier that is due within one
    working day or overdue, once per dossier, kind and day; record the run and what it did.

    A dossier that cannot be processed (bad data) does not stop the others: it is counted, named in
    the summary, and the run is recorded as failed so that someone looks."""
    at = at or now()
    counts = {"checked": 0, DUE_SOON: 0, OVERDUE: 0, "notices": 0, "already_notified": 0}
    counts |= dict.fromkeys(CHANNELS, 0)
    with job_run(JOB_NAME, _summary, counts | {"errors": 0}) as book:
        heads = _division_heads()
        tree = dict(Unit.objects.values_list("pk", "parent_id"))
        for dossier in _open_dossiers(at):
            book.counts["checked"] += 1
            try:
                with transaction.atomic():
                    _watch(dossier, at, heads, tree, book.counts)
            except Exception as exc:  # one bad dossier is reported, the others still get notices
                book.fail(dossier.code, exc)
    return book.run


def _summary(counts: dict) -> str:
    return (
        f"Đã kiểm tra {counts['checked']} hồ sơ đang xử lý: {counts[DUE_SOON]} sắp đến hạn, "
        f"{counts[OVERDUE]} quá hạn; gửi {counts['notices']} thông báo "
        f"({_by_channel(counts)}; {counts['already_notified']} hồ sơ đã được nhắc trong ngày)."
    )


def _by_channel(counts: dict) -> str:
    """'trên trang: 2, thư điện tử: 2, SMS: 1' — what went by which channel."""
    labels = {Channel.IN_APP: "trên trang", Channel.EMAIL: "thư điện tử", Channel.SMS: "SMS"}
    return ", ".join(f"{labels[Channel(c)]}: {counts.get(c, 0)}" for c in CHANNELS)


def _open_dossiers(at: datetime):
    return (
        Dossier.objects.filter(
            status__in=[s.value for s in CLOCK_RUNNING],
            due_at__isnull=False,
            due_at__lte=at + HORIZON,
        )
        .select_related(
            "assignee", "current_step", "receiving_unit", "procedure_version__competent_agency"
        )
        .order_by("due_at", "pk")
    )


def _watch(dossier: Dossier, at: datetime, heads: dict, tree: dict, counts: dict) -> None:
    minutes = remaining_working_minutes(dossier, at, working_calendar_for(dossier.receiving_unit))
    if minutes is None or minutes > DUE_SOON_MINUTES:
        return
    kind = OVERDUE if minutes < 0 else DUE_SOON
    counts[kind] += 1
    reference = f"monitor:{kind}:{timezone.localtime(at):%Y%m%d}:{dossier.code}"
    # Lock the dossier so two runs at once cannot both decide that no notice went out today.
    Dossier.objects.select_for_update().filter(pk=dossier.pk).first()
    if Notification.objects.filter(reference=reference).exists():
        counts["already_notified"] += 1
        return
    text = _message(dossier, kind, minutes)
    subject = f"Một Cửa: hồ sơ {dossier.code} " + ("quá hạn" if kind == OVERDUE else "sắp đến hạn")
    due = timezone.localtime(dossier.due_at)
    short = f"{subject}, hạn {due:%H:%M %d/%m/%Y}."  # short enough for one SMS
    for person in _recipients(dossier, heads, tree):
        for channel in staff_remind(
            person, subject=subject, body=text, short=short, reference=reference
        ):
            counts[channel] += 1
            counts["notices"] += 1


def _message(dossier: Dossier, kind: str, minutes: float) -> str:
    due = timezone.localtime(dossier.due_at)
    hours, rest = divmod(int(abs(minutes)), 60)
    span = f"{hours} giờ {rest:02d} phút làm việc"
    where = f"Hồ sơ {dossier.code} ({dossier.procedure_version.name[:100]}), người nộp {dossier.applicant_name}"
    if kind == OVERDUE:
        return (
            f"{where}, đã quá hạn trả kết quả ({due:%H:%M} ngày {due:%d/%m/%Y}) {span}. "
            "Đề nghị khẩn trương giải quyết và gửi văn bản xin lỗi người nộp hồ sơ theo quy định."
        )
    return (
        f"{where}, sắp đến hạn trả kết quả: {due:%H:%M} ngày {due:%d/%m/%Y} (còn {span}). "
        "Nếu không kịp, phải xin lỗi và hẹn lại ngày trả chậm nhất 01 ngày làm việc trước hạn."
    )


def _division_heads() -> dict[int, list]:
    """Active division heads by unit — one query for the whole run. Every head can be told: the
    in-app notice needs no address."""
    from motcua.accounts.models import User

    heads: dict[int, list] = {}
    for user in User.objects.filter(role=Role.DIVISION_HEAD, is_active=True, unit__isnull=False):
        heads.setdefault(user.unit_id, []).append(user)
    return heads


def _within(unit_id: int | None, root_id: int, tree: dict) -> bool:
    seen = set()
    while unit_id is not None and unit_id not in seen:
        if unit_id == root_id:
            return True
        seen.add(unit_id)
        unit_id = tree.get(unit_id)
    return False


def _recipients(dossier: Dossier, heads: dict, tree: dict) -> list:
    """The assignee, and the heads of the division holding the current step — or, when the step
    is not in a division that has a head, every division head of the competent agency."""
    agency_id = dossier.procedure_version.competent_agency_id
    step_unit = dossier.current_step.unit_id if dossier.current_step else None
    chosen = heads.get(step_unit, []) if _within(step_unit, agency_id, tree) else []
    if not chosen:
        chosen = [
            u for unit, users in heads.items() if _within(unit, agency_id, tree) for u in users
        ]
    people = ([dossier.assignee] if dossier.assignee else []) + chosen
    return list({p.pk: p for p in people if p.is_active}.values())
