"""The dossier rollup (ADR 0015): per reception day, how many dossiers share each combination of the
attributes the report's figures depend on, so a six-month report sums a few thousand rows instead of
reading every dossier.

Exact at every moment, whatever path wrote the dossiers:

* database triggers (rollup_triggers.py) mark a reception day dirty whenever one of its dossiers,
  their components, files or electronic results change;
* `rollup_refresh` (job `indicators-rollup`, every minute) rebuilds the rows of the dirty days and
  deletes only the marks it read, so a write committed meanwhile stays marked;
* the readers (`days_split`) count a clean day from its rows and a dirty day from the dossiers
  themselves, with the raw rules of selectors.grade_filters. tests/indicators/test_rollup.py proves
  rows = raw over random data and over every write path.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    Count,
    DateField,
    Exists,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThan, LessThan

from motcua.dossiers.models import ChannelKind, Dossier, DossierComponent, DossierStep

from .models import (
    DossierRollup,
    Grade,
    RollupDirtyDay,
    RollupGrain,
    StepRollup,
    StepRollupDirtyDay,
)
from .scope import Scope, local_midnight

# Days rebuilt per transaction: small enough that a refresh never holds locks for long.
REFRESH_CHUNK_DAYS = 31
# A refresh that rewrote at least this many rows analyses the table at once (PostgreSQL): a first
# build left the planner believing the table held 2 rows, so the dashboard's GROUP BY sorted
# 95.706 rows on disk instead of hashing them, 240 ms against 112 ms at the 1m bench (issue [P] 3).
ANALYZE_AFTER_ROWS = 10_000
KEY = (
    "day",
    "receiving_unit_id",
    "procedure_version_id",
    "channel",
    "return_post",
    "end_day",
    "due_day",
    "grade",
    "supplements",
)
# The key columns each grain keeps (models.RollupGrain); the others stay empty.
GRAIN_KEYS = {
    RollupGrain.DETAIL: KEY,
    RollupGrain.OUTCOME: tuple(
        k for k in KEY if k not in ("receiving_unit_id", "procedure_version_id")
    ),
    RollupGrain.RECEPTION: ("day", "receiving_unit_id", "procedure_version_id", "channel"),
    RollupGrain.FIELD: ("day", "field_id", "channel", "return_post", "end_day", "grade"),
}
MEASURES = (
    "dossiers",
    "digitised",
    "with_reuse",
    "electronic",
    "components_reused",
    "seconds_to_end",
)


# --- building the rows ---------------------------------------------------------------------------


def _ended():
    return Coalesce("finished_at", "returned_at")


def _grade():
    """Circular 01/2018 art. 13, as selectors.grade_filters (tests compare the two)."""
    from .selectors import local_day

    end = _ended()
    return Case(
        When(Q(finished_at__isnull=True, returned_at__isnull=True), then=Value("")),
        When(
            Q(supplement_requests__gt=1) | Q(GreaterThan(end, F("due_at"))), then=Value(Grade.LATE)
        ),
        When(due_at__isnull=True, then=Value(Grade.UNGRADED)),
        When(LessThan(local_day(end), local_day("due_at")), then=Value(Grade.EARLY)),
        default=Value(Grade.ON_TIME),
        output_field=CharField(),
    )


def _due_day_kept(is_open: Q) -> Case:
    """The due day, as far as a figure can tell it. Decision 766's 2.1 asks, for a dossier still
    open at a period's last day L, whether due day > L; for an ended dossier that happens only when
    L < end day. A due day on or after the end day then always answers yes, as the end day itself
    does: keeping min(due day, end day) gives the same answers and lets the many dossiers ended
    before their due day share rows."""
    from .selectors import local_day

    due, end = local_day("due_at"), local_day(_ended())
    return Case(
        When(is_open | Q(due_at__isnull=True), then=due),
        When(LessThan(due, end), then=due),
        default=end,
        output_field=DateField(),
    )


def _flag(condition) -> Case:
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def _document_facts() -> dict:
    """Per dossier: digitised (every component has a digitised file), reuse, electronic result,
    and the number of components with a reused file — the documents app's definitions
    (documents.selectors.digitisation_counts, the raw reference in the tests)."""
    from motcua.documents.models import ComponentFile, ComponentSource, IssuedDocument
    from motcua.documents.selectors import DIGITISED_FILE

    digitised_file = ComponentFile.objects.filter(component=OuterRef("pk")).filter(DIGITISED_FILE)
    undigitised = DossierComponent.objects.filter(dossier=OuterRef("pk")).exclude(
        Exists(digitised_file)
    )
    reused_file = ComponentFile.objects.filter(
        component=OuterRef("pk"), source=ComponentSource.REUSE
    )
    reused_components = (
        DossierComponent.objects.filter(dossier=OuterRef("pk"))
        .filter(Exists(reused_file))
        .order_by()
        .values("dossier")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return {
        "f_digitised": _flag(
            Q(Exists(DossierComponent.objects.filter(dossier=OuterRef("pk"))))
            & ~Q(Exists(undigitised))
        ),
        "f_reuse": _flag(
            Exists(
                ComponentFile.objects.filter(
                    component__dossier=OuterRef("pk"), source=ComponentSource.REUSE
                )
            )
        ),
        "f_electronic": _flag(Exists(IssuedDocument.objects.filter(dossier=OuterRef("pk")))),
        "f_components_reused": Coalesce(
            Subquery(reused_components, output_field=IntegerField()), Value(0)
        ),
    }


def rows_from_dossiers(dossiers: QuerySet[Dossier]) -> list[dict]:
    """The detail-grain rollup rows of `dossiers`, grouped in the database (one query)."""
    return [_row(found) for found in dossier_groups(dossiers)]


def dossier_groups(dossiers: QuerySet[Dossier]) -> QuerySet:
    """The one grouping query of rows_from_dossiers (its plan is tested: tests/bench/
    test_linear_plans.py). A value that cannot matter is left out so that more dossiers share a
    row: an open one's grade and return channel, and most ended dossiers' due day."""
    from .selectors import SecondsBetween, local_day

    is_open = Q(finished_at__isnull=True, returned_at__isnull=True)
    keyed = dossiers.annotate(
        r_day=local_day("received_at"),
        r_end_day=local_day(_ended()),
        r_due_day=_due_day_kept(is_open),
        r_grade=_grade(),
        r_return_post=Case(
            When(~is_open & Q(return_channel=ChannelKind.POST), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        r_supplements=Case(
            When(supplement_requests__gte=2, then=Value(2)),
            default=F("supplement_requests"),
            output_field=IntegerField(),
        ),
        f_seconds=Coalesce(
            SecondsBetween(_ended(), F("received_at")), Value(0.0), output_field=FloatField()
        ),
        **_document_facts(),
    )
    return (
        keyed.order_by()
        .values(*(k if k.endswith("_id") or k == "channel" else f"r_{k}" for k in KEY))
        .annotate(
            dossiers=Count("pk"),
            digitised=Sum("f_digitised"),
            with_reuse=Sum("f_reuse"),
            electronic=Sum("f_electronic"),
            components_reused=Sum("f_components_reused"),
            seconds_to_end=Sum("f_seconds"),
        )
    )


def _row(found: dict) -> dict:
    row = {"grain": RollupGrain.DETAIL}
    for name in KEY:
        value = found.get(name, found.get(f"r_{name}"))
        if name in ("day", "end_day", "due_day") and isinstance(value, str):
            value = date.fromisoformat(value)
        if name == "return_post":
            value = bool(value)
        row[name] = value
    for name in MEASURES:
        row[name] = found[name] or 0
    row["seconds_to_end"] = float(row["seconds_to_end"])
    return row


def grains_from_detail(rows: list[dict]) -> list[dict]:
    """The detail rows plus their sums at the coarser grains (models.RollupGrain). The field grain
    names each version's field from the catalogue (one query; a recorded version never changes)."""
    from motcua.catalog.models import ProcedureVersion

    result = list(rows)
    for grain in (RollupGrain.OUTCOME, RollupGrain.RECEPTION):
        result.extend(_summed(rows, grain, GRAIN_KEYS[grain], MEASURES))
    if rows:
        fields = dict(ProcedureVersion.objects.values_list("pk", "field_id"))
        by_field = [{**r, "field_id": fields.get(r["procedure_version_id"])} for r in rows]
        result.extend(_summed(by_field, RollupGrain.FIELD, GRAIN_KEYS[RollupGrain.FIELD], MEASURES))
    return result


def _summed(rows: list[dict], grain: str, kept: tuple[str, ...], measures: tuple[str, ...]):
    """`rows` summed over every key column but `kept`, as rows of `grain`."""
    sums: dict[tuple, dict] = {}
    for row in rows:
        key = tuple(row[k] for k in kept)
        total = sums.get(key)
        if total is None:
            total = sums[key] = {"grain": grain, **dict(zip(kept, key, strict=True))}
            total.update(dict.fromkeys(measures, 0))
        for name in measures:
            total[name] += row[name]
    return list(sums.values())


def received_on(days: Iterable[date], instant: str = "received_at") -> Q:
    """Dossiers received (or rows whose `instant` falls) on any of `days` (local), as ranges of the
    instant (index-friendly, consecutive days merged into one range)."""
    condition = Q(pk__in=[])
    for first, last in _runs(sorted(set(days))):
        condition |= Q(
            **{
                f"{instant}__gte": local_midnight(first),
                f"{instant}__lt": local_midnight(last + timedelta(days=1)),
            }
        )
    return condition


def _runs(days: list[date]) -> list[tuple[date, date]]:
    runs: list[list[date]] = []
    for day in days:
        if runs and day == runs[-1][1] + timedelta(days=1):
            runs[-1][1] = day
        else:
            runs.append([day, day])
    return [(first, last) for first, last in runs]


# --- refreshing ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RefreshResult:
    days: int
    rows: int
    step_days: int = 0
    step_rows: int = 0

    def __str__(self) -> str:
        return (
            f"{self.days} ngày, {self.rows} dòng tổng hợp hồ sơ; "
            f"{self.step_days} ngày, {self.step_rows} dòng tổng hợp bước xử lý"
        )


def rollup_refresh(max_days: int | None = None) -> RefreshResult:
    """Rebuild the rows of every dirty day (at most `max_days` of them), of the dossier rollup and
    then of the step rollup. Each chunk of days is one transaction: delete the days' rows, insert
    them again from the source rows, delete the marks read before — a mark added by a write that
    committed meanwhile survives for the next run."""
    days, rows = _refresh(
        RollupDirtyDay,
        DossierRollup,
        lambda chunk: grains_from_detail(
            rows_from_dossiers(Dossier.objects.filter(received_on(chunk)))
        ),
        max_days,
    )
    step_days, step_rows = _refresh(
        StepRollupDirtyDay,
        StepRollup,
        lambda chunk: rows_from_steps(
            DossierStep.objects.filter(received_on(chunk, "finished_at"))
        ),
        max_days,
    )
    return RefreshResult(days, rows, step_days, step_rows)


def _refresh(marks_model, rows_model, rows_of, max_days: int | None) -> tuple[int, int]:
    marks: dict[date, list[int]] = {}
    for pk, day in marks_model.objects.order_by("pk").values_list("pk", "day"):
        marks.setdefault(day, []).append(pk)
    days = sorted(marks)[:max_days] if max_days else sorted(marks)
    written = 0
    for start in range(0, len(days), REFRESH_CHUNK_DAYS):
        chunk = days[start : start + REFRESH_CHUNK_DAYS]
        with transaction.atomic():
            _refresh_lock()
            rows_model.objects.filter(day__in=chunk).delete()
            rows = rows_of(chunk)
            rows_model.objects.bulk_create([rows_model(**row) for row in rows], 2000)
            marks_model.objects.filter(pk__in=[pk for day in chunk for pk in marks[day]]).delete()
        written += len(rows)
    if written >= ANALYZE_AFTER_ROWS and connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {rows_model._meta.db_table}")
    return len(days), written


# --- the step rollup ------------------------------------------------------------------------------


def step_grade() -> Case:
    """A finished step against its due instant: late after it; early on an earlier local day; else
    on time (scoring.STEP_AGGREGATES is the same rule read from the steps)."""
    from .selectors import local_day

    return Case(
        When(GreaterThan(F("finished_at"), F("due_at")), then=Value(Grade.LATE)),
        When(LessThan(local_day("finished_at"), local_day("due_at")), then=Value(Grade.EARLY)),
        default=Value(Grade.ON_TIME),
        output_field=CharField(),
    )


def rows_from_steps(steps: QuerySet[DossierStep]) -> list[dict]:
    """The step rollup rows of `steps` (those finished, with a due instant), grouped in the
    database by local finish day, officer, the dossier's unit, procedure version and channel;
    plus their sums without unit and version (the outcome grain)."""
    detail = [
        {
            "grain": RollupGrain.DETAIL,
            "day": date.fromisoformat(g["r_day"]) if isinstance(g["r_day"], str) else g["r_day"],
            "assignee_id": g["assignee_id"],
            "receiving_unit_id": g["r_unit"],
            "procedure_version_id": g["r_version"],
            "channel": g["r_channel"],
            "grade": g["r_grade"],
            "steps": g["steps"],
        }
        for g in step_groups(steps)
    ]
    officers = ("day", "assignee_id", "channel", "grade")
    return detail + _summed(detail, RollupGrain.OUTCOME, officers, ("steps",))


def step_groups(steps: QuerySet[DossierStep]) -> QuerySet:
    """The one grouping query of rows_from_steps (its plan is tested, as dossier_groups')."""
    from .selectors import local_day

    return (
        steps.filter(finished_at__isnull=False, due_at__isnull=False)
        .annotate(
            r_day=local_day("finished_at"),
            r_grade=step_grade(),
            r_unit=F("dossier__receiving_unit_id"),
            r_version=F("dossier__procedure_version_id"),
            r_channel=F("dossier__channel"),
        )
        .order_by()
        .values("r_day", "assignee_id", "r_unit", "r_version", "r_channel", "r_grade")
        .annotate(steps=Count("pk"))
    )


def step_rows_in(scope: Scope) -> tuple[QuerySet[StepRollup], set[date]]:
    """The clean finish days' step rows of the scope's period and its filters, and the dirty
    days (to be read from the steps)."""
    dirty = set(
        StepRollupDirtyDay.objects.filter(day__gte=scope.date_from, day__lte=scope.date_to)
        .values_list("day", flat=True)
        .distinct()
    )
    rows = StepRollup.objects.filter(
        scope_q(scope), grain=grain_for(scope), day__gte=scope.date_from, day__lte=scope.date_to
    )
    return (rows.exclude(day__in=dirty) if dirty else rows), dirty


def _refresh_lock() -> None:
    """One refresh at a time: two would both delete a day's rows and both insert them. SQLite
    serialises writers already; PostgreSQL takes a transaction-scoped advisory lock."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ROLLUP_LOCK_KEY])


ROLLUP_LOCK_KEY = 0x6D6F7463  # "motc"


def rollup_refresh_run():
    """The job `indicators-rollup` (core.models.JOBS): its run recorded like every job's, so
    `motcua jobs run indicators-rollup` reports it and the jobs page sees it."""
    from motcua.core.jobs import job_run

    counts = {"days": 0, "rows": 0, "step_days": 0, "step_rows": 0}
    with job_run("indicators-rollup", lambda c: str(RefreshResult(**c)), counts) as book:
        book.counts.update(vars(rollup_refresh()))
    return book.run


# --- reading -------------------------------------------------------------------------------------


def dirty_days(first: date | None, last: date) -> set[date]:
    """The days in [first, last] (first None: from the beginning) counted from the dossiers."""
    marks = RollupDirtyDay.objects.filter(day__lte=last)
    if first is not None:
        marks = marks.filter(day__gte=first)
    return set(marks.values_list("day", flat=True).distinct())


def grain_for(scope: Scope, *dimensions: str) -> str:
    """The coarsest grain that can answer: the outcome grain unless a unit, a procedure or a field
    is asked for (as a filter or a grouping); the field grain when a field is only grouped by,
    beside months or channels (it has no unit, version, due day or supplements)."""
    detailed = scope.unit_ids or scope.procedure_code or scope.field_code
    if not detailed and "field" in dimensions and set(dimensions) <= {"month", "channel", "field"}:
        return RollupGrain.FIELD
    if detailed or {"unit", "version", "procedure", "field"} & set(dimensions):
        return RollupGrain.DETAIL
    return RollupGrain.OUTCOME


def rows_in(
    scope: Scope,
    dirty: set[date],
    *,
    grain: str | None = None,
    whole_period: bool = True,
) -> QuerySet[DossierRollup]:
    """The clean days' rows of the scope's period, with its filters, at `grain` (default: the
    coarsest that can answer). `whole_period=False` drops the lower bound (rows from the start)."""
    rows = DossierRollup.objects.filter(
        scope_q(scope), grain=grain or grain_for(scope), day__lte=scope.date_to
    )
    if whole_period:
        rows = rows.filter(day__gte=scope.date_from)
    return rows.exclude(day__in=dirty) if dirty else rows


def scope_q(scope: Scope) -> Q:
    """Scope.dossier_q on rollup rows: procedures, fields and deciding units are resolved to
    procedure version ids from the (small) catalogue first."""
    from motcua.catalog.models import ProcedureVersion

    q = Q()
    versions = ProcedureVersion.objects.all()
    if scope.unit_ids:
        deciding = versions.filter(competent_agency_id__in=scope.unit_ids).values_list(
            "pk", flat=True
        )
        q &= Q(receiving_unit_id__in=scope.unit_ids) | Q(procedure_version_id__in=list(deciding))
    if scope.procedure_code:
        q &= Q(
            procedure_version_id__in=list(
                versions.filter(procedure__code=scope.procedure_code).values_list("pk", flat=True)
            )
        )
    if scope.field_code:
        q &= Q(
            procedure_version_id__in=list(
                versions.filter(field__code=scope.field_code).values_list("pk", flat=True)
            )
        )
    if scope.channel:
        q &= Q(channel=scope.channel)
    return q


def figure_sums(filters: dict[str, Q], measure: str = "dossiers") -> dict:
    """{figure: Coalesce(Sum(measure, filter=q), 0)} for aggregate()/annotate()."""
    return {
        key: Coalesce(Sum(measure, filter=q) if q else Sum(measure), Value(0))
        for key, q in filters.items()
    }


def rollup_filters(scope: Scope) -> dict[str, Q]:
    """selectors.grade_filters on rollup rows (same keys, same meaning)."""
    resolved = Q(end_day__lte=scope.date_to)
    return {
        "received": Q(),
        "received_online": Q(channel=ChannelKind.ONLINE),
        "received_desk": Q(channel=ChannelKind.DESK),
        "received_post": Q(channel=ChannelKind.POST),
        "received_lienthong": Q(channel=ChannelKind.LIENTHONG),
        "resolved": resolved,
        "resolved_early": resolved & Q(grade=Grade.EARLY),
        "resolved_on_time": resolved & Q(grade=Grade.ON_TIME),
        "resolved_late": resolved & Q(grade=Grade.LATE),
        "resolved_ungraded": resolved & Q(grade=Grade.UNGRADED),
        "returned_post": resolved & Q(return_post=True),
    }
