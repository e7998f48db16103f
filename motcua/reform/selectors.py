"""Reads of the reform data with business meaning: tasks and whether they are overdue, progress per
plan, counts of legal-document activities for a period, the yearly list of expired documents, the
ISO register and the PAR index.

Overdue is never stored. A task is due at the close of office on its deadline — or, when the
deadline falls on a day off, at the close of the next working day (Bộ luật Dân sự 2015, art. 148.4)
— by the working calendar; it is overdue when it is not done at that instant. A task finished after
that day is "done late".
"""

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db.models import Count, Prefetch, Q, QuerySet

from motcua.calendars.selectors import working_calendar_for
from motcua.core.clock import now
from motcua.core.workingtime import WorkingCalendar
from motcua.org.models import Unit
from motcua.org.selectors import unit_subtree_ids

from .models import (
    CENTRAL_ISSUERS,
    ActivityKind,
    DocStatus,
    Draft,
    Inspection,
    LegalActivity,
    LegalDocument,
    ParAssessment,
    ParCriterion,
    Plan,
    ReviewOutcome,
    SystematisationPeriod,
    Task,
    TaskProgress,
    TaskSource,
    TaskStatus,
)

MAX_DAYS_OFF_IN_A_ROW = 30  # longer than any Tết break: the search for the next working day stops


# --- Deadlines -----------------------------------------------------------------------------------
def effective_deadline(deadline: date, calendar: WorkingCalendar) -> date:
    """The deadline itself when it is a working day, else the next working day."""
    day = deadline
    for _ in range(MAX_DAYS_OFF_IN_A_ROW):
        if calendar.is_working_day(day):
            return day
        day += timedelta(days=1)
    return day


def due_instant(deadline: date, calendar: WorkingCalendar) -> datetime:
    """Close of office on the effective deadline."""
    closing = calendar.sessions[-1].end
    day = effective_deadline(deadline, calendar)
    return datetime.combine(day, time(closing // 60, closing % 60), tzinfo=calendar.tz)


def task_is_overdue(task: Task, at: datetime, calendar: WorkingCalendar | None = None) -> bool:
    """Not done by `at` and past its due instant."""
    if task.completed_on is not None and task.completed_on <= at.date():
        return False
    calendar = calendar or working_calendar_for()
    return at > due_instant(task.deadline, calendar)


def task_is_done_late(task: Task, calendar: WorkingCalendar | None = None) -> bool:
    if task.completed_on is None:
        return False
    calendar = calendar or working_calendar_for()
    return task.completed_on > effective_deadline(task.deadline, calendar)


def status_on(task: Task, day: date) -> str:
    """The task's status at the end of `day`, from its start and completion dates."""
    if task.completed_on is not None and task.completed_on <= day:
        return TaskStatus.DONE
    if task.started_on is not None and task.started_on <= day:
        return TaskStatus.IN_PROGRESS
    return TaskStatus.NOT_STARTED


@dataclass
class TaskRow:
    """A task as a list shows it: the task, and what is computed about it now."""

    task: Task
    overdue: bool
    done_late: bool


def task_rows(tasks, at: datetime | None = None) -> list[TaskRow]:
    at = at or now()
    calendar = working_calendar_for()
    return [
        TaskRow(t, task_is_overdue(t, at, calendar), task_is_done_late(t, calendar)) for t in tasks
    ]


# --- Tasks ---------------------------------------------------------------------------------------
def _unit_filter(unit_code: str | None, field: str = "unit") -> Q:
    if not unit_code:
        return Q()
    unit = Unit.objects.filter(code=unit_code).first()
    if unit is None:
        return Q(pk__in=[])
    return Q(**{f"{field}_id__in": unit_subtree_ids(unit)})


def tasks_search(
    *,
    plan_id: int | None = None,
    source: str | None = None,
    area: str | None = None,
    status: str | None = None,
    unit_id: int | None = None,
) -> QuerySet[Task]:
    tasks = Task.objects.select_related("plan", "unit", "owner")
    if plan_id:
        tasks = tasks.filter(plan_id=plan_id)
    if source:
        tasks = tasks.filter(source=source)
    if area:
        tasks = tasks.filter(area=area)
    if status:
        tasks = tasks.filter(status=status)
    if unit_id:
        tasks = tasks.filter(unit_id=unit_id)
    return tasks.order_by("deadline", "pk")


def tasks_overdue(at: datetime | None = None) -> list[Task]:
    """Every task not done and past its due instant at `at` (for the list's "quá hạn" filter)."""
    at = at or now()
    calendar = working_calendar_for()
    candidates = tasks_search().exclude(status=TaskStatus.DONE).filter(deadline__lte=at.date())
    return [t for t in candidates if task_is_overdue(t, at, calendar)]


def task_detail(task_id: int) -> Task:
    return (
        Task.objects.select_related("plan", "unit", "owner")
        .prefetch_related(
            Prefetch("progress", queryset=TaskProgress.objects.select_related("author"))
        )
        .get(pk=task_id)
    )


def tasks_in_period(
    source: str, date_from: date, date_to: date, unit_code: str | None = None
) -> QuerySet[Task]:
    """Tasks that were live during the period: assigned by its end and not finished before it."""
    return Task.objects.filter(
        _unit_filter(unit_code),
        Q(completed_on__isnull=True) | Q(completed_on__gte=date_from),
        source=source,
        assigned_on__lte=date_to,
    )


def _period_instant(date_to: date) -> datetime:
    """When "overdue" is judged for a period: its last moment, or now while it is still running."""
    end = datetime.combine(date_to, time(23, 59, 59), tzinfo=now().tzinfo)
    return min(end, now())


def task_counts(
    source: str, date_from: date, date_to: date, unit_code: str | None = None
) -> dict[str, int]:
    """total, done, in_progress, not_started, overdue — the status at the end of the period."""
    tasks = list(
        tasks_in_period(source, date_from, date_to, unit_code).only(
            "deadline", "started_on", "completed_on"
        )
    )
    at = _period_instant(date_to)
    calendar = working_calendar_for()
    by_status = Counter(status_on(t, date_to) for t in tasks)
    return {
        "total": len(tasks),
        "done": by_status[TaskStatus.DONE],
        "in_progress": by_status[TaskStatus.IN_PROGRESS],
        "not_started": by_status[TaskStatus.NOT_STARTED],
        "overdue": sum(1 for t in tasks if task_is_overdue(t, at, calendar)),
    }


def plan_tasks_due_counts(
    date_from: date, date_to: date, unit_code: str | None = None
) -> dict[str, int]:
    """The unit's plan tasks (source "plan") whose deadline falls in the period, up to today while
    the period runs: due, done by the deadline (a deadline on a day off moves to the next working
    day), done late, not done yet."""
    last = min(date_to, now().date())
    tasks = list(
        Task.objects.filter(
            _unit_filter(unit_code),
            source=TaskSource.PLAN,
            deadline__gte=date_from,
            deadline__lte=last,
        ).only("deadline", "completed_on")
    )
    calendar = working_calendar_for()
    done = [t for t in tasks if t.completed_on is not None]
    late = sum(1 for t in done if task_is_done_late(t, calendar))
    return {
        "due": len(tasks),
        "on_time": len(done) - late,
        "late": late,
        "not_done": len(tasks) - len(done),
    }


def plan_progress(plan: Plan, at: datetime | None = None) -> dict[str, int]:
    """Counts by status now, overdue now, and the share done (whole percent)."""
    at = at or now()
    tasks = list(plan.tasks.only("plan_id", "deadline", "status", "started_on", "completed_on"))
    calendar = working_calendar_for()
    by_status = Counter(t.status for t in tasks)
    total = len(tasks)
    return {
        "total": total,
        "done": by_status[TaskStatus.DONE],
        "in_progress": by_status[TaskStatus.IN_PROGRESS],
        "not_started": by_status[TaskStatus.NOT_STARTED],
        "overdue": sum(1 for t in tasks if task_is_overdue(t, at, calendar)),
        "done_late": sum(1 for t in tasks if task_is_done_late(t, calendar)),
        "percent_done": round(100 * by_status[TaskStatus.DONE] / total) if total else 0,
    }


def plans_with_counts() -> QuerySet[Plan]:
    return (
        Plan.objects.select_related("unit")
        .annotate(
            task_total=Count("tasks"),
            task_done=Count("tasks", filter=Q(tasks__status=TaskStatus.DONE)),
        )
        .order_by("-year", "-issued_on", "-pk")
    )


def tasks_due_for_reminder(days_before: int, at: datetime) -> list[Task]:
    """Open tasks whose effective deadline is within `days_before` working days from today (and not
    past), with their owner and unit loaded."""
    calendar = working_calendar_for()
    today = at.date()
    horizon = today + timedelta(days=days_before * 3 + MAX_DAYS_OFF_IN_A_ROW)
    candidates = (
        Task.objects.exclude(status=TaskStatus.DONE)
        .filter(deadline__gte=today - timedelta(days=MAX_DAYS_OFF_IN_A_ROW), deadline__lte=horizon)
        .select_related("owner", "unit", "plan")
    )
    due = []
    for task in candidates:
        deadline = effective_deadline(task.deadline, calendar)
        if deadline < today:
            continue
        if working_days_between(today, deadline, calendar) <= days_before:
            due.append(task)
    return due


def inspection_summary(date_from: date, date_to: date, unit_code: str | None = None) -> dict:
    """The self-inspection rounds that started in the period: how many, the units they inspected
    (distinct, of `unit_code`'s subtree when given) and each round's plan reference (the seed's
    "kiểm tra ... tại 07/09 Phòng, Trung tâm" with its Kế hoạch số 164/KH-STP)."""
    rounds = Inspection.objects.filter(started_on__gte=date_from, started_on__lte=date_to)
    rounds = list(rounds.prefetch_related("findings").order_by("started_on", "pk"))
    unit_ids = None
    if unit_code:
        unit = Unit.objects.filter(code=unit_code).first()
        unit_ids = unit_subtree_ids(unit) if unit else set()
    inspected = {
        f.unit_id
        for r in rounds
        for f in r.findings.all()
        if unit_ids is None or f.unit_id in unit_ids
    }
    return {
        "rounds": len(rounds),
        "units_inspected": len(inspected),
        "follow_ups": sum(1 for r in rounds for f in r.findings.all() if f.follow_up),
        "references": [r.reference for r in rounds if r.reference],
        "titles": [r.title for r in rounds],
    }


def working_days_between(start: date, end: date, calendar: WorkingCalendar) -> int:
    """Working days after `start` up to and including `end` (0 when `end` is today)."""
    days, day = 0, start
    while day < end:
        day += timedelta(days=1)
        if calendar.is_working_day(day):
            days += 1
    return days


# --- Legal documents -----------------------------------------------------------------------------
def legal_activity_counts(
    date_from: date, date_to: date, unit_code: str | None = None
) -> dict[str, int]:
    """How many of each activity were done in the period (one query)."""
    activities = LegalActivity.objects.filter(
        _unit_filter(unit_code), done_on__gte=date_from, done_on__lte=date_to
    )
    counts = activities.aggregate(
        appraised=Count("pk", filter=Q(kind=ActivityKind.APPRAISAL)),
        commented=Count("pk", filter=Q(kind=ActivityKind.COMMENT)),
        commented_central=Count(
            "pk", filter=Q(kind=ActivityKind.COMMENT, draft__issuer__in=list(CENTRAL_ISSUERS))
        ),
        self_checked=Count("pk", filter=Q(kind=ActivityKind.SELF_CHECK)),
        checked=Count("pk", filter=Q(kind=ActivityKind.CHECK)),
        reviewed=Count("pk", filter=Q(kind=ActivityKind.REVIEW)),
        systematised=Count("pk", filter=Q(kind=ActivityKind.SYSTEMATISATION)),
        expired_fully=Count(
            "pk", filter=Q(kind=ActivityKind.REVIEW, outcome=ReviewOutcome.EXPIRED_FULLY)
        ),
        expired_partly=Count(
            "pk", filter=Q(kind=ActivityKind.REVIEW, outcome=ReviewOutcome.EXPIRED_PARTLY)
        ),
    )
    return {key: value or 0 for key, value in counts.items()}


def review_outcome_counts(date_from: date, date_to: date) -> dict[str, int]:
    rows = (
        LegalActivity.objects.filter(
            kind=ActivityKind.REVIEW, done_on__gte=date_from, done_on__lte=date_to
        )
        .values("outcome")
        .annotate(n=Count("pk"))
    )
    counts = {outcome.value: 0 for outcome in ReviewOutcome}
    counts.update({row["outcome"]: row["n"] for row in rows})
    return counts


def legal_documents_search(*, q: str = "", issuer: str = "", status: str = "") -> QuerySet:
    documents = LegalDocument.objects.all()
    if q:
        documents = documents.filter(Q(number__icontains=q) | Q(title__icontains=q))
    if issuer:
        documents = documents.filter(issuer=issuer)
    if status:
        documents = documents.filter(status=status)
    return documents.order_by("-issued_on", "-pk")


def activities_search(*, kind: str = "", date_from=None, date_to=None) -> QuerySet:
    activities = LegalActivity.objects.select_related("unit", "draft", "document", "period")
    if kind:
        activities = activities.filter(kind=kind)
    if date_from:
        activities = activities.filter(done_on__gte=date_from)
    if date_to:
        activities = activities.filter(done_on__lte=date_to)
    return activities.order_by("-done_on", "-pk")


def drafts_list() -> QuerySet[Draft]:
    return Draft.objects.annotate(activity_count=Count("activities")).order_by(
        "-received_on", "-pk"
    )


def legal_document_detail(document_id: int) -> LegalDocument:
    return LegalDocument.objects.prefetch_related(
        Prefetch("activities", queryset=LegalActivity.objects.select_related("unit", "period"))
    ).get(pk=document_id)


def expired_legal_documents(year: int) -> dict[str, list[LegalActivity]]:
    """The yearly list (danh mục văn bản hết hiệu lực): every document found by a review to have
    expired, fully or partly, during `year` — each document once, its latest such finding."""
    findings = (
        LegalActivity.objects.filter(
            kind=ActivityKind.REVIEW,
            outcome__in=[ReviewOutcome.EXPIRED_FULLY, ReviewOutcome.EXPIRED_PARTLY],
            expired_on__year=year,
        )
        .select_related("document")
        .order_by("document__issuer", "document__issued_on", "document_id", "-done_on", "-pk")
    )
    seen: set[int] = set()
    result: dict[str, list[LegalActivity]] = {"fully": [], "partly": []}
    for finding in findings:
        if finding.document_id in seen:
            continue
        seen.add(finding.document_id)
        key = "fully" if finding.outcome == ReviewOutcome.EXPIRED_FULLY else "partly"
        result[key].append(finding)
    return result


def legal_documents_status_counts() -> dict[str, int]:
    rows = LegalDocument.objects.values("status").annotate(n=Count("pk"))
    counts = {s.value: 0 for s in DocStatus}
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


def periods_with_counts() -> QuerySet[SystematisationPeriod]:
    return SystematisationPeriod.objects.annotate(
        documents=Count("activities", filter=Q(activities__kind=ActivityKind.SYSTEMATISATION))
    ).order_by("-end_year")


# --- ISO 9001: see iso_selectors.py ------------------------------------------------------------
from .iso_selectors import iso_agency_code as iso_agency_code  # noqa: E402
from .iso_selectors import iso_counts as iso_counts  # noqa: E402
from .iso_selectors import iso_processes as iso_processes  # noqa: E402
from .iso_selectors import iso_register_figures as iso_register_figures  # noqa: E402


# --- PAR index ----------------------------------------------------------------------------------
@dataclass
class CriterionNode:
    criterion: ParCriterion
    children: list["CriterionNode"]
    max_points: Decimal | None
    self_score: Decimal | None
    final_score: Decimal | None
    depth: int = 0


def _sum(values) -> Decimal | None:
    values = [v for v in values if v is not None]
    return sum(values, Decimal("0")) if values else None


def code_key(code: str) -> tuple:
    """ "1.10" after "1.9", "A" before "B": codes sorted as people number them."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in code.split("."))


def par_tree(assessment: ParAssessment) -> list[CriterionNode]:
    """The criteria as a tree, each with its totals (sub-criteria summed up); one query. A parent's
    maximum is the source's own figure where it gives one, else the sum of its children's."""
    criteria = sorted(assessment.criteria.all(), key=lambda c: code_key(c.code))
    children: dict[int | None, list[ParCriterion]] = {}
    for criterion in criteria:
        children.setdefault(criterion.parent_id, []).append(criterion)

    def build(criterion: ParCriterion, depth: int) -> CriterionNode:
        kids = [build(c, depth + 1) for c in children.get(criterion.pk, [])]
        if not kids:
            return CriterionNode(
                criterion, [], criterion.max_points, criterion.self_score,
                criterion.final_score, depth,
            )  # fmt: skip
        maximum = criterion.max_points
        if maximum is None:
            maximum = _sum(k.max_points for k in kids)
        return CriterionNode(
            criterion,
            kids,
            maximum,
            _sum(k.self_score for k in kids),
            _sum(k.final_score for k in kids),
            depth,
        )

    return [build(c, 0) for c in children.get(None, [])]


def par_rows(tree: list[CriterionNode]) -> list[CriterionNode]:
    """The tree in reading order (a field, its criteria, their sub-criteria), for tables."""
    rows: list[CriterionNode] = []

    def walk(nodes):
        for node in nodes:
            rows.append(node)
            walk(node.children)

    walk(tree)
    return rows


def par_totals(assessment: ParAssessment, tree: list[CriterionNode] | None = None) -> dict:
    tree = par_tree(assessment) if tree is None else tree
    leaves = [n.criterion for n in par_rows(tree) if not n.children]
    return {
        "max_points": _sum(n.max_points for n in tree) or Decimal("0"),
        "self_score": _sum(n.self_score for n in tree),
        "final_score": _sum(n.final_score for n in tree),
        "criteria": len(leaves),
        "self_scored": sum(1 for c in leaves if c.self_score is not None),
        "unofficial": sum(1 for n in par_rows(tree) if not n.criterion.official),
    }


@dataclass
class AutoRow:
    """A sub-criterion our data answers: the figure of the assessment's period, the rule of the
    source, the points it proposes, and how the figure was obtained."""

    node: CriterionNode
    label: str
    figure: str
    value: Decimal | None
    rule: str
    proposed: Decimal | None
    selector: str
    query: str
    period: tuple[date, date]


def par_period(assessment: ParAssessment) -> tuple[date, date]:
    """The period the figures cover: the file's, else the calendar year."""
    return (
        assessment.period_from or date(assessment.year, 1, 1),
        assessment.period_to or date(assessment.year, 12, 31),
    )


def par_auto_rows(assessment: ParAssessment, tree: list[CriterionNode] | None = None) -> dict:
    """criterion pk → AutoRow for every sub-criterion with an auto key; each figure computed once
    per assessment (two sub-criteria may share one)."""
    from .par_auto import AUTO_FIGURES, figure_text, rule_points, rule_text

    tree = par_tree(assessment) if tree is None else tree
    period = par_period(assessment)
    figures: dict = {}
    rows = {}
    for node in par_rows(tree):
        criterion = node.criterion
        auto = AUTO_FIGURES.get(criterion.auto_key)
        if auto is None:
            continue
        if criterion.auto_key not in figures:
            figures[criterion.auto_key] = auto.compute(*period, assessment.unit.code)
        figure = figures[criterion.auto_key]
        rows[criterion.pk] = AutoRow(
            node=node,
            label=auto.label,
            figure=figure_text(figure, auto.unit),
            value=figure.value,
            rule=rule_text(criterion.rule, auto.unit),
            proposed=rule_points(criterion.rule, figure.value, criterion.max_points),
            selector=auto.selector,
            query=auto.query,
            period=period,
        )
    return rows


SUMMARY_KEYS = (
    "max_points",
    "self_score",
    "final_score",
    "criteria",
    "self_scored",
)  # docs/reform.md


def par_summary(date_from: date, date_to: date, unit_code: str | None = None) -> dict:
    """The assessments of the years the period touches: their totals (as floats for JSON)."""
    assessments = ParAssessment.objects.filter(
        _unit_filter(unit_code), year__gte=date_from.year, year__lte=date_to.year
    ).select_related("unit")
    result = {}
    for assessment in assessments:
        totals = par_totals(assessment)
        result[str(assessment.year)] = {
            key: (float(value) if isinstance(value, Decimal) else value)
            for key, value in totals.items()
            if key in SUMMARY_KEYS
        }
    return result
