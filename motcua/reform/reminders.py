"""The "reform-reminders" job: tell a task's owner (or, without one, the head of its unit) that the
task is due within REMINDER_WORKING_DAYS working days. Run by `motcua jobs run reform-reminders`
(daily is enough). Each task gets each kind of reminder once, however often the job runs: the
reminder row is unique per task and kind, and is written in the same transaction as the message.
"""

from datetime import datetime

from django.db import IntegrityError, transaction

from motcua.accounts.models import User
from motcua.accounts.roles import Role
from motcua.calendars.selectors import working_calendar_for
from motcua.core.clock import now
from motcua.core.jobs import job_run
from motcua.core.models import JobRun
from motcua.notifications.notices import staff_remind

from .models import Task, TaskReminder
from .selectors import due_instant, tasks_due_for_reminder

JOB_NAME = "reform-reminders"
REMINDER_WORKING_DAYS = 3


def reminder_kind(task: Task) -> str:
    """ "due-YYYYMMDD": one reminder per deadline, so a task whose deadline is moved is reminded
    again before the new one, never twice before the same one."""
    return f"due-{task.deadline:%Y%m%d}"


def reform_reminders_run(at: datetime | None = None) -> JobRun:
    at = at or now()
    counts = {"due_soon": 0, "notices": 0, "already_reminded": 0, "no_recipient": 0, "errors": 0}
    with job_run(JOB_NAME, _summary, counts) as book:
        for task in tasks_due_for_reminder(REMINDER_WORKING_DAYS, at):
            book.counts["due_soon"] += 1
            try:
                _remind(task, book.counts)
            except Exception as exc:  # one bad task must not stop the others' reminders
                book.fail(f"nhiệm vụ {task.pk}", exc)
    return book.run


def _summary(counts: dict) -> str:
    return (
        f"{counts['due_soon']} nhiệm vụ CCHC sắp đến hạn trong {REMINDER_WORKING_DAYS} ngày làm việc; "
        f"gửi {counts['notices']} thông báo ({counts['already_reminded']} nhiệm vụ đã được nhắc)."
    )


def _recipients(task: Task) -> list:
    """The task's owner, or the heads of its unit; each is told by every channel they have."""
    if task.owner is not None and task.owner.is_active:
        return [task.owner]
    return list(User.objects.filter(unit_id=task.unit_id, role=Role.DIVISION_HEAD, is_active=True))


def _remind(task: Task, counts: dict) -> None:
    kind = reminder_kind(task)
    if TaskReminder.objects.filter(task=task, kind=kind).exists():
        counts["already_reminded"] += 1
        return
    people = _recipients(task)
    due = due_instant(task.deadline, working_calendar_for())
    body = (
        f"Nhiệm vụ cải cách hành chính “{task.title}” (đơn vị chủ trì: {task.unit.name}) "
        f"đến hạn lúc {due:%H:%M} ngày {due:%d/%m/%Y}. Đề nghị khẩn trương hoàn thành và cập nhật "
        "tiến độ, tài liệu minh chứng trên hệ thống Một Cửa."
    )
    try:
        with transaction.atomic():
            TaskReminder.objects.create(task=task, kind=kind, sent_at=now(), recipients=len(people))
            sent = sum(
                len(
                    staff_remind(
                        person, subject="Một Cửa: nhiệm vụ CCHC sắp đến hạn", body=body,
                        short=f"Nhiệm vụ CCHC “{task.title[:60]}” đến hạn {due:%d/%m/%Y}.",
                        reference=f"reform:{kind}:{task.pk}",
                    )
                )
                for person in people
            )  # fmt: skip
    except IntegrityError:  # another run reminded this task a moment ago
        counts["already_reminded"] += 1
        return
    if not people:
        counts["no_recipient"] += 1
    counts["notices"] += sent
