"""The periodic watch over PAKN deadlines (`motcua jobs run feedback-monitor`, hourly from cron):
items whose current limit (settle ≤ 15 or publish ≤ 2 working days) falls within one working day,
or has passed, are told to their assignee — or to the department leaders while unassigned.

Idempotent: one notice per item, kind and day (found again by its `event_key`).
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from motcua.accounts.models import User
from motcua.accounts.roles import Role
from motcua.calendars.selectors import working_calendar_for
from motcua.core.clock import now
from motcua.core.jobs import job_run
from motcua.core.models import JobRun
from motcua.core.workingtime import HOURS_PER_WORKING_DAY
from motcua.notifications.notices import staff_remind

from .models import Feedback
from .selectors import current_due, current_due_expression

JOB_NAME = "feedback-monitor"
DUE_SOON, OVERDUE = "due_soon", "overdue"


def feedback_monitor_run(at: datetime | None = None) -> JobRun:
    at = at or now()
    counts = {"checked": 0, DUE_SOON: 0, OVERDUE: 0, "notices": 0, "errors": 0}
    with job_run(JOB_NAME, _summary, counts) as book:
        calendar = working_calendar_for(None)
        horizon = calendar.due(at, HOURS_PER_WORKING_DAY)
        items = (
            Feedback.objects.annotate(current_due=current_due_expression())
            .filter(current_due__lte=horizon)
            .select_related("assignee")
        )
        leaders = list(User.objects.filter(role=Role.DEPARTMENT_LEADER, is_active=True))
        for item in items:
            book.counts["checked"] += 1
            try:
                with transaction.atomic():
                    _notify(item, at, leaders, book.counts)
            except Exception as exc:  # one bad item is reported; the others still get notices
                book.fail(item.code, exc)
    return book.run


def _summary(counts: dict) -> str:
    return (
        f"Đã kiểm tra {counts['checked']} phản ánh: {counts[DUE_SOON]} sắp đến hạn, "
        f"{counts[OVERDUE]} quá hạn; gửi {counts['notices']} thông báo."
    )


def _notify(item: Feedback, at: datetime, leaders: list, counts: dict) -> None:
    due = current_due(item)
    kind = OVERDUE if due < at else DUE_SOON
    counts[kind] += 1
    local_due = timezone.localtime(due)
    subject = f"Một Cửa: phản ánh {item.code} " + ("quá hạn" if kind == OVERDUE else "sắp đến hạn")
    body = (
        f"Phản ánh, kiến nghị {item.code} “{item.title[:120]}” ({item.status_label}) "
        f"{'đã quá' if kind == OVERDUE else 'sắp đến'} hạn {local_due:%H:%M} ngày {local_due:%d/%m/%Y}."
    )
    short = f"{subject}, hạn {local_due:%H:%M %d/%m/%Y}."  # one SMS
    recipients = [item.assignee] if item.assignee and item.assignee.is_active else leaders
    # Each officer by every channel they have (in-app, e-mail, SMS), once a day per item and kind.
    key = f"fbm:{kind[0]}:{timezone.localtime(at):%Y%m%d}:{item.code}"
    for person in recipients:
        counts["notices"] += len(
            staff_remind(
                person, subject=subject, body=body, short=short,
                reference=f"feedback:{item.code}", event_key=f"{key}:{person.pk}",
            )
        )  # fmt: skip
