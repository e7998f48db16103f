"""Reads of feedback items (PAKN): the officers' list by deadline, the one checked door to an item,
the public Q&A, and the counts of a period."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Case, DateTimeField, F, Q, QuerySet, When
from django.shortcuts import get_object_or_404
from django.utils import timezone

from motcua.accounts.permissions import is_staff_member, require
from motcua.core.text import fold

from .models import Classification, Feedback
from .workflow import Status


def day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def period_bounds(date_from: date, date_to: date) -> tuple[datetime, datetime]:
    """[start of date_from, start of the day after date_to) in local time."""
    return day_start(date_from), day_start(date_to + timedelta(days=1))


def current_due_expression():
    """The deadline that matters now: settling while open, publishing once answered."""
    return Case(
        When(status__in=[Status.RECEIVED, Status.PROCESSING], then=F("settle_due")),
        When(status=Status.ANSWERED, then=F("publish_due")),
        default=None,
        output_field=DateTimeField(),
    )


def current_due(item: Feedback) -> datetime | None:
    if item.status in (Status.RECEIVED, Status.PROCESSING):
        return item.settle_due
    if item.status == Status.ANSWERED:
        return item.publish_due
    return None


def feedback_visible_to(user) -> QuerySet[Feedback]:
    """THE rule of which feedback items (PAKN) a person may see in the back office (ADR 0017):
    every staff member sees every item — an item reaches the department as a whole and is
    classified and given to an officer of any unit (ADR 0012); citizens and visitors see none
    here (the public Q&A is published_answers). The door and the worklist read this."""
    if not is_staff_member(user):
        return Feedback.objects.none()
    return Feedback.objects.all()


def feedback_for_officer(user, feedback_id: int) -> Feedback:
    """The one door to an item in the back office: staff only (403 before any look-up), then 404."""
    require(is_staff_member(user), "Trang này chỉ dành cho cán bộ, công chức.")
    return get_object_or_404(
        feedback_visible_to(user).select_related("assignee", "unit", "received_by"), pk=feedback_id
    )


def feedback_worklist(
    user, *, status: str = "", overdue_only: bool = False, mine_for=None, at: datetime
) -> QuerySet:
    """The items `user` may see, ordered by the deadline that matters now (earliest first,
    finished ones last)."""
    items = (
        feedback_visible_to(user)
        .select_related("assignee")
        .annotate(current_due=current_due_expression())
    )
    if status:
        items = items.filter(status=status)
    if mine_for is not None:
        items = items.filter(assignee=mine_for)
    if overdue_only:
        items = items.filter(current_due__lt=at)
    return items.order_by(F("current_due").asc(nulls_last=True), "-received_at", "pk")


def feedback_history(item: Feedback):
    return item.events.select_related("actor").order_by("at", "pk")


def published_answers(query: str = "") -> QuerySet:
    """Published questions and answers, newest first; `query` matches without diacritics."""
    items = Feedback.objects.filter(status=Status.PUBLISHED).only(
        "code", "title", "public_question", "answer", "published_at", "classification"
    )
    for word in fold(query).split()[:10]:
        items = items.filter(search_text__contains=word)
    return items.order_by("-published_at", "-pk")


def published_answer(code: str) -> Feedback | None:
    return published_answers().filter(code=code).first()


@dataclass(frozen=True)
class FeedbackCounts:
    received: int
    answered: int
    published: int
    overdue: int
    by_classification: dict[str, int]


def overdue_q(end: datetime) -> Q:
    """Late as of `end`: a step finished after its limit, or still open past it at `end`."""
    return (
        Q(status__in=[Status.RECEIVED, Status.PROCESSING], settle_due__lt=end)
        | Q(answered_at__isnull=False, settle_due__isnull=False, answered_at__gt=F("settle_due"))
        | Q(status=Status.ANSWERED, publish_due__lt=end)
        | Q(published_at__isnull=False, published_at__gt=F("publish_due"))
        | Q(status=Status.REFUSED, closed_at__gt=F("refuse_due"))
    )


def feedback_counts(
    date_from: date, date_to: date, unit_ids: set[int] | None = None
) -> FeedbackCounts:
    """Items received in the period (local dates, inclusive) and what became of them by its end."""
    start, end = period_bounds(date_from, date_to)
    items = Feedback.objects.filter(received_at__gte=start, received_at__lt=end)
    if unit_ids is not None:
        items = items.filter(unit_id__in=unit_ids)
    by_classification = {
        c.value: items.filter(classification=c.value).count() for c in Classification
    }
    by_classification["unclassified"] = items.filter(classification="").count()
    return FeedbackCounts(
        received=items.count(),
        answered=items.filter(answered_at__lt=end).count(),
        published=items.filter(published_at__lt=end).count(),
        overdue=items.filter(overdue_q(end)).count(),
        by_classification=by_classification,
    )
