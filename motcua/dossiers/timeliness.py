"""Timeliness: was a dossier, or one step of it, handled before, on or after its appointment?

The national rule (Decision 766/QĐ-TTg indicator 2.1, as the national portal computes it; Circular
01/2018/TT-VPCP art. 13 for the three grades):

* The end of processing is the time the dossier reached status 9 (finished), else 10 (returned),
  else 8 / 3 / 7 (stopped, refused, withdrawn). Our services stamp that instant in `finished_at`
  for every one of those endings; `returned_at` is the fall-back for imported dossiers that only
  know when the result went out.
* A dossier is in time when end ≤ appointment. The appointment is `due_at`: the original one, or
  the one re-set once with an apology (Decree 61/2018 art. 19.9). Supplement and payment pauses are
  excluded because the services push `due_at` by the office time the clock stood still.
* More than one supplement request during processing counts as late, whatever the dates (the
  applicant should have been asked once, fully).
* A dossier still open at the end of the period is judged with the period end as its end.

Three grades, as TT 01/2018 art. 13 scores them — 2 shorter, 1 equal, 0 longer than allowed:

* quá hạn (late, 0): end after the due instant, to the minute;
* đúng hạn (on time, 1): end on the due DAY (local date) and not after the due instant;
* trước hạn (early, 2): end on a day before the due day.

"Equal" is read at the level of a day because deadlines are published in working days and the
appointment printed on Mẫu 01 is a day and an hour: a result handed over on the appointment day is
"on the appointed day", one ready a day or more before is "earlier". Comparing minutes would make
almost everything "early" and "on time" meaningless; comparing whole days would call a result
given at 17:00 for a 08:00 appointment on time, which the national rule (end ≤ appointment)
counts as late.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from motcua.core.clock import now
from motcua.core.workingtime import WorkingCalendar

from .models import Dossier, DossierEvent, DossierPause, DossierStep
from .workflow import PROCESSING_ENDED, Status


class Timeliness(StrEnum):
    EARLY = "early"
    ON_TIME = "on_time"
    LATE = "late"


LABELS = {
    Timeliness.EARLY: "Trước hạn",
    Timeliness.ON_TIME: "Đúng hạn",
    Timeliness.LATE: "Quá hạn",
}
# Circular 01/2018 art. 13, indicators 1 and 2.
SCORES = {Timeliness.EARLY: 2, Timeliness.ON_TIME: 1, Timeliness.LATE: 0}
PAUSE_ACTIONS = ("request_supplement", "request_payment")


def classify(end: datetime, due: datetime) -> Timeliness:
    """Grade an end instant against a due instant (see the module docstring)."""
    if end > due:
        return Timeliness.LATE
    if timezone.localtime(end).date() < timezone.localtime(due).date():
        return Timeliness.EARLY
    return Timeliness.ON_TIME


@dataclass(frozen=True)
class DossierFacts:
    """What the rule needs to know about one dossier; read in one query by `_facts_queryset`."""

    status: str
    received_at: datetime | None
    due_at: datetime | None
    finished_at: datetime | None
    returned_at: datetime | None
    supplement_requests: int
    # While the clock stands (due_at unknown): since when, and the due instant before it stopped.
    paused_since: datetime | None = None
    due_before_pause: datetime | None = None


def end_of_processing(facts: DossierFacts) -> datetime | None:
    """Status 9's time, else 10's (8, 3 and 7 are stamped in finished_at by the services)."""
    if facts.finished_at is not None:
        return facts.finished_at
    if Status(facts.status) in PROCESSING_ENDED:
        return facts.returned_at
    return None


def dossier_timeliness(
    facts: DossierFacts, period_end: datetime, calendar: WorkingCalendar | None = None
) -> Timeliness | None:
    """The grade of one dossier as of `period_end`; None when it was never received (no code, no
    appointment) or was not yet received at `period_end`."""
    if facts.received_at is None or facts.received_at > period_end:
        return None
    if facts.supplement_requests > 1:
        return Timeliness.LATE
    end = end_of_processing(facts)
    if end is None or end > period_end:
        end = period_end  # still open at the period end
    due = facts.due_at if facts.due_at is not None else _due_while_paused(facts, end, calendar)
    if due is None:
        return None
    return classify(end, due)


def _due_while_paused(
    facts: DossierFacts, end: datetime, calendar: WorkingCalendar | None
) -> datetime | None:
    """The appointment of a dossier whose clock stands: the due instant before the pause, pushed
    by the office time paused up to `end`. A pause that began after the deadline pushes nothing."""
    before, since = facts.due_before_pause, facts.paused_since
    if before is None or since is None or calendar is None:
        return None
    if since >= before or end <= since:
        return before
    pushed = calendar.position(before) + calendar.working_minutes_between(since, end)
    return calendar.instant_at(pushed, closing_side=True)


def step_timeliness(
    step: DossierStep,
    pauses: list[DossierPause] | tuple = (),
    calendar: WorkingCalendar | None = None,
) -> Timeliness | None:
    """The grade of one step of the internal process (Mẫu 05; TT 01/2018 art. 13 indicator 2):
    finished_at against the step's due instant; None while the step is not finished.

    The step's due instant is fixed when it starts; if the dossier was paused during the step, the
    budget is recounted with those pauses (`calendar` needed), as for the whole dossier."""
    if step.finished_at is None or step.started_at is None:
        return None
    due = step.due_at
    spans = [
        (p.started_at, p.ended_at)
        for p in pauses
        if p.started_at < step.finished_at and (p.ended_at is None or p.ended_at > step.started_at)
    ]
    if spans and calendar is not None:
        due = calendar.due(step.started_at, float(step.budget_hours), spans)
    if due is None:
        return None
    return classify(step.finished_at, due)


# --- selector ------------------------------------------------------------------------------------


def period_bounds(date_from: date, date_to: date) -> tuple[datetime, datetime]:
    """The first and the last instant of a period of whole local days."""
    tz = timezone.get_current_timezone()
    start = datetime.combine(date_from, time.min, tzinfo=tz)
    end = datetime.combine(date_to + timedelta(days=1), time.min, tzinfo=tz) - timedelta(
        microseconds=1
    )
    return start, end


def _facts_queryset(dossiers: QuerySet[Dossier]) -> QuerySet:
    last_pause = DossierPause.objects.filter(
        dossier=OuterRef("pk"), ended_at__isnull=True
    ).order_by("-started_at")
    due_before = DossierEvent.objects.filter(
        dossier=OuterRef("pk"), action__in=PAUSE_ACTIONS
    ).order_by("-at", "-pk")
    return dossiers.annotate(
        paused_since=Subquery(last_pause.values("started_at")[:1]),
        due_before_pause=Subquery(due_before.values("due_before")[:1]),
        unit_id=F("receiving_unit_id"),
    ).values(
        "status",
        "received_at",
        "due_at",
        "finished_at",
        "returned_at",
        "supplement_requests",
        "paused_since",
        "due_before_pause",
        "unit_id",
    )


def dossiers_in_period(
    date_from: date, date_to: date, dossiers: QuerySet[Dossier] | None = None
) -> QuerySet[Dossier]:
    """The dossiers a period answers for (766 indicator 2.1: received or processed in the period):
    received by the period end and not ended before it began."""
    start, end = period_bounds(date_from, date_to)
    base = Dossier.objects.all() if dossiers is None else dossiers
    return base.filter(received_at__isnull=False, received_at__lte=end).filter(
        Q(finished_at__isnull=True) | Q(finished_at__gte=start)
    )


def timeliness_counts(
    date_from: date, date_to: date, dossiers: QuerySet[Dossier] | None = None
) -> dict[str, int]:
    """How many of a period's dossiers are early, on time, late — one query, then Python.

    Dossiers still open are judged at the period end, or now when the period is not over (a
    running period must not call a dossier late before its deadline). Returns the three counts,
    `total` and `in_time` (early + on time, the numerator of 766 indicator 2.1)."""
    from motcua.calendars.selectors import working_calendar_for

    _, end = period_bounds(date_from, date_to)
    end = min(end, now())
    counts = {grade.value: 0 for grade in Timeliness}
    calendars: dict[int, WorkingCalendar] = {}
    for row in _facts_queryset(dossiers_in_period(date_from, date_to, dossiers)):
        unit_id = row.pop("unit_id")
        calendar = None
        if row["due_at"] is None:  # only a standing clock needs the calendar
            calendar = calendars.get(unit_id) or calendars.setdefault(
                unit_id, working_calendar_for(_UnitKey(unit_id))
            )
        grade = dossier_timeliness(DossierFacts(**row), end, calendar)
        if grade is not None:
            counts[grade.value] += 1
    counts["total"] = sum(counts[g.value] for g in Timeliness)
    counts["in_time"] = counts[Timeliness.EARLY] + counts[Timeliness.ON_TIME]
    return counts


@dataclass(frozen=True)
class _UnitKey:
    """working_calendar_for() only reads a unit's pk: no need to load the unit row."""

    pk: int
