"""The dossier figures of a period: one set-based query each (conditional COUNTs on the indexed
reception instant), never a loop over dossiers in Python.

Definitions (docs/indicators.md; the issue text is the contract, Circular 01/2018 art. 13 for the
three grades, motcua.dossiers.timeliness for the rule in prose):

* received        — `received_at` within the period, local days inclusive (Asia/Ho_Chi_Minh):
                    period start 00:00 ≤ received_at < 00:00 of the day after the last day;
* received_online / received_post / received_desk / received_lienthong — received, by
                    `Dossier.channel` (liên thông: sent over by another agency, ADR 0044);
* end of processing — `finished_at` (stamped by the services for status 9 and for 3/7/8), else
                    `returned_at` (imported dossiers that only know the return);
* resolved        — received AND end of processing < 00:00 after the period's last day;
* in_progress     — received AND (no end, or an end after the period) = received − resolved;
* resolved_late   — resolved AND (supplement_requests > 1 OR end > due_at);
* resolved_early  — resolved, not late, local date(end) < local date(due_at);
* resolved_on_time— resolved, not late, local date(end) = local date(due_at) (so end ≤ due_at);
* resolved_ungraded — resolved with no appointment (due_at empty) and ≤ 1 supplement request;
* returned_post   — resolved AND return_channel = post.
"""

from __future__ import annotations

import dataclasses
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, DateField, F, FloatField, Func, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce
from django.db.models.lookups import (
    Exact,
    GreaterThan,
    GreaterThanOrEqual,
    LessThan,
    LessThanOrEqual,
)
from django.utils import timezone

from motcua.dossiers.models import ChannelKind, Dossier

from . import rollup
from .models import Grade, RollupGrain
from .scope import Scope

DOSSIER_KEYS = (
    "received",
    "received_online",
    "received_desk",
    "received_post",
    "received_lienthong",
    "resolved",
    "in_progress",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "resolved_ungraded",
    "returned_post",
)


def rate(numerator: int | None, denominator: int | None) -> float | None:
    """numerator / denominator × 100, rounded half up to one decimal; None when undefined
    (a rate over nothing is not 0 %)."""
    if numerator is None or not denominator:
        return None
    value = Decimal(numerator) * 100 / Decimal(denominator)
    return float(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def received_in(scope: Scope, dossiers: QuerySet[Dossier] | None = None) -> QuerySet[Dossier]:
    """Dossiers received in the period, with the scope's filters — a range on `received_at`."""
    base = Dossier.objects.all() if dossiers is None else dossiers
    return base.filter(
        scope.dossier_q(), received_at__gte=scope.start, received_at__lt=scope.end_exclusive
    )


def ended_at():
    """The end of processing: finished_at, else returned_at."""
    return Coalesce("finished_at", "returned_at")


class LocalDate(Func):
    """The local calendar day (Asia/Ho_Chi_Minh) of an instant, with the database's own functions.

    Django's TruncDate on SQLite calls a Python function per row (≈ 100× slower); here SQLite's
    C `date(x, '+N minutes')` does it, exact because Vietnam has kept one offset (UTC+7, no
    summer time) since 1975 — the same fact core.workingtime relies on. PostgreSQL converts with
    the zone itself. The result compares correctly as a date (PostgreSQL) or ISO text (SQLite)."""

    output_field = DateField()

    def as_sql(self, compiler, connection, **extra):
        zone = timezone.get_current_timezone_name()
        return super().as_sql(
            compiler, connection, template=f"(%(expressions)s AT TIME ZONE '{zone}')::date", **extra
        )

    def as_sqlite(self, compiler, connection, **extra):
        offset = int(timezone.localtime(timezone.now()).utcoffset().total_seconds() // 60)
        return super().as_sql(
            compiler, connection, template=f"date(%(expressions)s, '{offset:+d} minutes')", **extra
        )


class LocalMonth(LocalDate):
    """The first day of the local month of an instant (see LocalDate)."""

    def as_sql(self, compiler, connection, **extra):
        zone = timezone.get_current_timezone_name()
        return Func.as_sql(
            self, compiler, connection,
            template=f"date_trunc('month', %(expressions)s AT TIME ZONE '{zone}')::date", **extra,
        )  # fmt: skip

    def as_sqlite(self, compiler, connection, **extra):
        offset = int(timezone.localtime(timezone.now()).utcoffset().total_seconds() // 60)
        return Func.as_sql(
            self, compiler, connection,
            template=f"strftime('%%Y-%%m-01', %(expressions)s, '{offset:+d} minutes')", **extra,
        )  # fmt: skip


class MonthOfDay(Func):
    """The first day of the month of a DATE column (the rollup's local reception day). Cast to a
    timestamp without zone first: date_trunc of a date goes through timestamptz and the session's
    zone, a third of the dashboard's grouping time (issue [P] 3)."""

    output_field = DateField()

    def as_sql(self, compiler, connection, **extra):
        return super().as_sql(
            compiler,
            connection,
            template="date_trunc('month', (%(expressions)s)::timestamp)::date",
            **extra,
        )

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(
            compiler, connection, template="strftime('%%Y-%%m-01', %(expressions)s)", **extra
        )


class SecondsBetween(Func):
    """Seconds from the second instant to the first, natively (no per-row Python on SQLite)."""

    output_field = FloatField()

    def as_sql(self, compiler, connection, **extra):
        return super().as_sql(
            compiler, connection, template="EXTRACT(EPOCH FROM (%(expressions)s))",
            arg_joiner=" - ", **extra,
        )  # fmt: skip

    def as_sqlite(self, compiler, connection, **extra):
        return super().as_sql(
            compiler, connection, template="((julianday(%(expressions)s)) * 86400.0)",
            arg_joiner=") - julianday(", **extra,
        )  # fmt: skip


def local_day(expression):
    if isinstance(expression, str):
        expression = F(expression)
    return LocalDate(expression)


def _graded(queryset: QuerySet[Dossier]) -> QuerySet[Dossier]:
    """Kept for readability at call sites: the figures need no annotation (expressions inline)."""
    return queryset


def grade_filters(scope: Scope) -> dict[str, Q]:
    """The Q of each counted figure, over a queryset already limited to the received dossiers.
    One place for the rule, used by every aggregation below (lookups as expressions, so the same
    Q works inside aggregate(), annotate() and filter())."""
    end = ended_at()
    resolved = Q(LessThan(end, Value(scope.end_exclusive)))
    late = resolved & (Q(supplement_requests__gt=1) | Q(GreaterThan(end, F("due_at"))))
    in_time = (
        resolved
        & Q(supplement_requests__lte=1)
        & Q(due_at__isnull=False)
        & Q(LessThanOrEqual(end, F("due_at")))
    )
    return {
        "received": Q(),
        "received_online": Q(channel=ChannelKind.ONLINE),
        "received_desk": Q(channel=ChannelKind.DESK),
        "received_post": Q(channel=ChannelKind.POST),
        "received_lienthong": Q(channel=ChannelKind.LIENTHONG),
        "resolved": resolved,
        "resolved_early": in_time & Q(LessThan(local_day(end), local_day("due_at"))),
        "resolved_on_time": in_time & Q(Exact(local_day(end), local_day("due_at"))),
        "resolved_late": late,
        "resolved_ungraded": resolved & Q(due_at__isnull=True) & Q(supplement_requests__lte=1),
        "returned_post": resolved & Q(return_channel=ChannelKind.POST),
    }


def _aggregates(scope: Scope) -> dict:
    return {
        key: Count("pk", filter=q) if q else Count("pk") for key, q in grade_filters(scope).items()
    }


def dossier_counts(scope: Scope) -> dict[str, int]:
    """The dossier figures of the period (keys DOSSIER_KEYS), from period_sums."""
    row = period_sums(scope)
    return {key: row[key] for key in DOSSIER_KEYS}


def dossier_counts_raw(scope: Scope) -> dict[str, int]:
    """The same figures read from every dossier of the period: the reference the rollup is tested
    against (tests/indicators/test_rollup.py), and nothing else's."""
    row = _graded(received_in(scope)).aggregate(**_aggregates(scope))
    row["in_progress"] = row["received"] - row["resolved"]
    return {key: row[key] for key in DOSSIER_KEYS}


def submitted_here(counts: dict[str, int]) -> int:
    """The dossiers received that were submitted here: one sent over by another agency (liên
    thông) was submitted there, by the channel the citizen chose there, and counts in that
    agency's shares (ADR 0044). Figures frozen before it have no liên thông count: 0."""
    return counts["received"] - counts.get("received_lienthong", 0)


def dossier_rates(counts: dict[str, int]) -> dict[str, float | None]:
    """The dossier rates of the issue text, each × 100 rounded to one decimal; the intake
    channels' shares are of the dossiers `submitted_here`."""
    here = submitted_here(counts)
    return {
        "online_pct": rate(counts["received_online"], here),
        "on_time_pct": rate(
            counts["resolved_early"] + counts["resolved_on_time"], counts["resolved"]
        ),
        "post_intake_pct": rate(counts["received_post"], here - counts["received_online"]),
        "post_return_pct": rate(counts["returned_post"], counts["resolved"]),
    }


def dossier_counts_by(scope: Scope, *dimensions: str) -> list[dict]:
    """The same figures grouped by dimensions: "month", "procedure", "field", "channel", "unit".

    GROUP BY queries on the rollup (clean days) and the dossiers (dirty days) alone: procedures
    and fields are grouped by the procedure version's id and named afterwards from the (small)
    catalogue, so no join is made. Rows ordered by the dimensions."""
    from motcua.catalog.models import Field, ProcedureVersion

    # Fields without units or procedures: the rollup's field grain, grouped by field (fewer rows).
    by_field = rollup.grain_for(scope, *dimensions) == RollupGrain.FIELD
    by_version = not by_field and any(d in ("procedure", "field") for d in dimensions)
    grouped = [d for d in dimensions if d in ("month", "channel", "unit")]
    grouped += ["version"] if by_version else ["field"] if by_field else []
    rows = _grouped_rows(scope, grouped)
    versions = {}
    if by_field:
        versions = {
            pk: {"field__code": code, "field__name": name}
            for pk, code, name in Field.objects.values_list("pk", "code", "name")
        }
    if by_version:
        versions = {
            v["pk"]: v
            for v in ProcedureVersion.objects.values(
                "pk", "procedure__code", "name", "field__code", "field__name"
            )
        }
    units = {}
    if "unit" in dimensions:
        from motcua.org.models import Unit

        units = dict(Unit.objects.values_list("pk", "code"))
    sums: dict[tuple, dict] = {}
    for row in rows:
        item = {}
        version = versions.get(row.get("g_field" if by_field else "g_version"), {})
        for name in dimensions:
            if name == "month":
                month = row["g_month"]
                item["month"] = date.fromisoformat(month) if isinstance(month, str) else month
            elif name == "procedure":
                item["procedure"] = version.get("procedure__code")
                item["procedure_name"] = version.get("name")
            elif name == "field":
                item["field"] = version.get("field__code")
                item["field_name"] = version.get("field__name")
            elif name == "unit":
                item["unit"] = units.get(row["g_unit"])
            else:
                item[name] = row[f"g_{name}"]
        key = tuple(item.get(n) for n in dimensions)
        total = sums.setdefault(key, {**item, **dict.fromkeys(DOSSIER_KEYS, 0)})
        for figure in DOSSIER_KEYS:
            if figure != "in_progress":
                total[figure] += row[figure]
    result = []
    for key in sorted(sums, key=lambda k: tuple(str(v) for v in k)):
        item = sums[key]
        item["in_progress"] = item["received"] - item["resolved"]
        result.append(item)
    return result


def _grouped_rows(scope: Scope, grouped: list[str]) -> list[dict]:
    """The figures grouped by `grouped` ("month", "channel", "unit", "version"), keys g_<name>:
    rows from the rollup for clean days and from the dossiers for dirty days (a group may appear
    in both; the caller sums)."""
    on_rollup = {
        "month": MonthOfDay(F("day")),
        "channel": F("channel"),
        "unit": F("receiving_unit_id"),
        "version": F("procedure_version_id"),
        "field": F("field_id"),
    }
    on_dossiers = {
        **on_rollup,
        "month": LocalMonth(F("received_at")),
        "field": F("procedure_version__field_id"),
    }
    names = [f"g_{n}" for n in grouped]
    dirty = rollup.dirty_days(scope.date_from, scope.date_to)
    rows = list(
        rollup.rows_in(scope, dirty, grain=rollup.grain_for(scope, *grouped))
        .annotate(**{f"g_{n}": on_rollup[n] for n in grouped})
        .values(*names)
        .annotate(**rollup.figure_sums(rollup.rollup_filters(scope)))
        .order_by()
    )
    if dirty:
        rows += list(
            received_in(scope)
            .filter(rollup.received_on(dirty))
            .annotate(**{f"g_{n}": on_dossiers[n] for n in grouped})
            .values(*names)
            .annotate(**_aggregates(scope))
            .order_by()
        )
    return rows


def procedures_with_postal_dossiers(scope: Scope) -> int:
    """How many procedures had at least one dossier received by post in the period (the seed's
    "14/14 TTHC … có phát sinh hồ sơ gửi, trả qua dịch vụ bưu chính công ích", over the procedures
    accepting postal intake; every procedure may return by post, so returns are not the test)."""
    from motcua.catalog.models import ProcedureVersion

    dirty = rollup.dirty_days(scope.date_from, scope.date_to)
    versions = set(
        rollup.rows_in(scope, dirty, grain=RollupGrain.RECEPTION)
        .filter(channel=ChannelKind.POST)
        .values_list("procedure_version_id", flat=True)
        .distinct()
    )
    if dirty:
        versions |= set(
            received_in(scope)
            .filter(rollup.received_on(dirty), channel=ChannelKind.POST)
            .values_list("procedure_version_id", flat=True)
            .distinct()
        )
    return (
        ProcedureVersion.objects.filter(pk__in=versions).values("procedure_id").distinct().count()
    )


def timeliness_766(scope: Scope, at=None) -> dict[str, int]:
    """Decision 766 indicator 2.1 (vn-regulations §3.2): of the dossiers received or processed in
    the period (received by its end, not ended before it began), those handled in time.

    An ended dossier is in time when ≤ 1 supplement request and end ≤ due_at; one still open at
    the period end (or now, for a running period) is in time while ≤ 1 supplement request and the
    period end ≤ due_at, or while its clock stands (due_at empty: the services keep no appointment
    during a pause).

    From the rollup (every reception day up to the period's end, not only the period's: a dossier
    received earlier and still open counts) plus the dirty days from the dossiers. A period still
    running ends now, inside a day: the open dossiers due today are then recounted from the
    dossiers, the only ones whose day alone cannot tell. An explicit `at` reads the dossiers."""
    from motcua.core.clock import now

    current = at or now()
    if scope.end_exclusive <= current:
        last, running = scope.date_to, False
    elif at is None and current >= scope.start:
        last, running = timezone.localdate(current), True
    else:
        return timeliness_766_raw(scope, at)
    dirty = rollup.dirty_days(None, last)
    ended = Q(end_day__lte=last)
    rows = rollup.rows_in(
        dataclasses.replace(scope, date_to=last), dirty, whole_period=False
    ).filter(Q(end_day__isnull=True) | Q(end_day__gte=scope.date_from))
    in_time_ended = ended & Q(grade__in=[Grade.EARLY, Grade.ON_TIME])
    in_time_open = ~ended & Q(supplements__lte=1) & (Q(due_day__isnull=True) | Q(due_day__gt=last))
    row = rows.aggregate(
        **rollup.figure_sums({"total": Q(), "in_time_ended": in_time_ended, "open": in_time_open})
    )
    in_time = row["in_time_ended"] + row["open"]
    total = row["total"]
    if running:
        in_time += _open_due_later_today(scope, current, last, dirty)
    if dirty:
        raw = timeliness_766_raw(scope, at, rollup.received_on(dirty))
        total, in_time = total + raw["total"], in_time + raw["in_time"]
    return {"total": total, "in_time": in_time, "late": total - in_time}


def _open_due_later_today(scope: Scope, current, today: date, dirty: set[date]) -> int:
    """Open dossiers of clean days, ≤ 1 supplement request, due later today (still in time now)."""
    from .scope import local_midnight

    found = Dossier.objects.filter(
        scope.dossier_q(),
        finished_at__isnull=True,
        returned_at__isnull=True,
        supplement_requests__lte=1,
        due_at__gte=current,
        due_at__lt=local_midnight(today + timedelta(days=1)),
    )
    if dirty:
        found = found.exclude(rollup.received_on(dirty))
    return found.count()


def timeliness_766_raw(scope: Scope, at=None, only: Q | None = None) -> dict[str, int]:
    """timeliness_766 read from the dossiers (of `only`, when given)."""
    from motcua.core.clock import now

    end = min(scope.end_exclusive, at or now())
    base = Dossier.objects.filter(scope.dossier_q(), received_at__isnull=False, received_at__lt=end)
    if only is not None:
        base = base.filter(only)
    ended_expr = ended_at()
    base = base.filter(
        Q(finished_at__isnull=True, returned_at__isnull=True)
        | Q(GreaterThanOrEqual(ended_expr, Value(scope.start)))
    )
    ended = Q(LessThan(ended_expr, Value(end)))
    open_ = Q(finished_at__isnull=True, returned_at__isnull=True) | Q(
        GreaterThanOrEqual(ended_expr, Value(end))
    )
    ok = Q(supplement_requests__lte=1)
    row = base.aggregate(
        total=Count("pk"),
        in_time_ended=Count(
            "pk",
            filter=ended
            & ok
            & Q(due_at__isnull=False)
            & Q(LessThanOrEqual(ended_expr, F("due_at"))),
        ),
        in_time_open=Count("pk", filter=open_ & ok & (Q(due_at__isnull=True) | Q(due_at__gte=end))),
    )
    in_time = row["in_time_ended"] + row["in_time_open"]
    return {"total": row["total"], "in_time": in_time, "late": row["total"] - in_time}


DOCUMENT_KEYS = (
    "dossiers_received",
    "dossiers_digitised",
    "results_issued",
    "results_electronic",
    "dossiers_with_reuse",
    "components_reused",
)


def document_counts(date_from: date, date_to: date, unit_code: str | None = None) -> dict:
    """documents.selectors.digitisation_counts (its definitions, Decision 766 group 4), from
    period_sums."""
    from .scope import scope_build

    row = period_sums(scope_build(date_from, date_to, unit_code=unit_code))
    return {key: row[key] for key in DOCUMENT_KEYS}


def resolved_details(scope: Scope) -> dict:
    """Of the period's resolved dossiers: how many, the total seconds from reception to end (766
    indicator 2.2) and how many needed no / one supplement request (Circular 01 indicator 3)."""
    row = period_sums(scope)
    return {key: row[f"resolved_{key}"] for key in ("none", "one", "seconds")} | {
        "resolved": row["resolved"]
    }


# --- every additive figure of a period, read once ------------------------------------------------

_memo: ContextVar[dict | None] = ContextVar("indicators_memo", default=None)


@contextmanager
def figures_memo():
    """Within the block, each scope's period_sums is read once: the report, its postal and
    documents sections and its scores all ask for the same sums. Outside a block nothing is kept
    (a later call sees later data)."""
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def period_sums(scope: Scope) -> dict:
    """The dossier figures (DOSSIER_KEYS), the documents counts (DOCUMENT_KEYS) and the resolved
    dossiers' details (resolved_none, resolved_one, resolved_seconds) of the period: one query over
    the clean days' rollup rows, and for dirty days three over their dossiers (rollup.py)."""
    memo = _memo.get()
    if memo is None:
        return _period_sums_read(scope)
    if scope not in memo:
        memo[scope] = _period_sums_read(scope)
    return memo[scope]


def _period_sums_read(scope: Scope) -> dict:
    filters = rollup.rollup_filters(scope)
    resolved, ended = filters["resolved"], Q(end_day__isnull=False)
    dirty = rollup.dirty_days(scope.date_from, scope.date_to)
    row = rollup.rows_in(scope, dirty).aggregate(
        **rollup.figure_sums(filters),
        **rollup.figure_sums(
            {"resolved_none": resolved & Q(supplements=0), "resolved_one": resolved & Q(supplements=1)}
        ),
        resolved_seconds=Coalesce(Sum("seconds_to_end", filter=resolved), Value(0.0)),
        **{key: Coalesce(Sum(measure, filter=q), Value(0)) for key, (measure, q) in {
            "dossiers_received": ("dossiers", None),
            "dossiers_digitised": ("digitised", None),
            "results_issued": ("dossiers", ended),
            "results_electronic": ("electronic", ended),
            "dossiers_with_reuse": ("with_reuse", None),
            "components_reused": ("components_reused", None),
        }.items()},
    )  # fmt: skip
    if dirty:
        for key, value in _dirty_sums(scope, dirty).items():
            row[key] += value
    row["in_progress"] = row["received"] - row["resolved"]
    return row


def _dirty_sums(scope: Scope, dirty: set[date]) -> dict:
    """period_sums' figures of the dirty days, from their dossiers: the dossier figures and the
    resolved details by the raw rules (grade_filters), the documents counts by the rollup's own
    per-dossier facts."""
    dossiers = received_in(scope).filter(rollup.received_on(dirty))
    found = dossiers.aggregate(**_aggregates(scope))
    found.update(
        dossiers.filter(grade_filters(scope)["resolved"]).aggregate(
            resolved_none=Count("pk", filter=Q(supplement_requests=0)),
            resolved_one=Count("pk", filter=Q(supplement_requests=1)),
            resolved_seconds=Coalesce(
                Sum(SecondsBetween(ended_at(), F("received_at"))), Value(0.0)
            ),
        )
    )
    found.update(dict.fromkeys(DOCUMENT_KEYS, 0))
    for row in rollup.rows_from_dossiers(dossiers):
        ended = row["end_day"] is not None
        found["dossiers_received"] += row["dossiers"]
        found["dossiers_digitised"] += row["digitised"]
        found["results_issued"] += row["dossiers"] if ended else 0
        found["results_electronic"] += row["electronic"] if ended else 0
        found["dossiers_with_reuse"] += row["with_reuse"]
        found["components_reused"] += row["components_reused"]
    return found


def busiest_field_days(scope: Scope) -> dict | None:
    """The field with most dossiers received in the period and its days: the peak day, the
    average per day it received dossiers, and the range of its busiest tenth of days (the seed's
    "Phiếu lý lịch tư pháp … từ 200-300 hồ sơ/ngày"). None when nothing was received."""
    rows = list(
        received_in(scope)
        .annotate(g_day=local_day("received_at"))
        .values("g_day", "procedure_version__field__code", "procedure_version__field__name")
        .annotate(n=Count("pk"))
        .order_by()
    )
    if not rows:
        return None
    totals: dict[str, int] = {}
    for row in rows:
        code = row["procedure_version__field__code"]
        totals[code] = totals.get(code, 0) + row["n"]
    code = max(sorted(totals), key=lambda c: totals[c])
    days = sorted(
        ((row["g_day"], row["n"]) for row in rows
         if row["procedure_version__field__code"] == code),
        key=lambda item: (-item[1], str(item[0])),
    )  # fmt: skip
    counts = [n for _, n in days]
    top = counts[: max(1, round(len(counts) / 10))]
    peak_day = days[0][0]
    return {
        "field": code,
        "field_name": next(
            r["procedure_version__field__name"]
            for r in rows
            if r["procedure_version__field__code"] == code
        ),  # fmt: skip
        "received": totals[code],
        "days": len(counts),
        "average": round(totals[code] / len(counts)),
        "peak": counts[0],
        "peak_day": peak_day.isoformat() if isinstance(peak_day, date) else str(peak_day),
        "busy_low": min(top),
        "busy_high": max(top),
    }


FORM_06_KEYS = (
    "total", "new_online", "new_direct", "carried_over", "resolved", "resolved_early",
    "resolved_on_time", "resolved_late", "pending", "pending_in_time", "pending_late",
)  # fmt: skip


def form_06_rows(scope: Scope) -> list[dict]:
    """The columns 3–13 of Biểu số 06/VPCP/KSTT (Thông tư 01/2020/TT-VPCP) by field: every
    dossier handled in the period — received in it, or received before and not yet ended at its
    start ("từ kỳ trước") — with, at the period's end, those resolved (early, on time, late: the
    report's rules in grade_filters; a dossier without an appointment counts as on time) and
    those pending (in time, or past their appointment). Ordered by field code."""
    filters = grade_filters(scope)
    start, end = Value(scope.start), Value(scope.end_exclusive)
    new = Q(GreaterThanOrEqual(F("received_at"), start))
    # Not "~resolved": ended_at is NULL for an open dossier and NOT (NULL < x) is NULL in SQL.
    pending = Q(finished_at__isnull=True, returned_at__isnull=True) | Q(
        GreaterThanOrEqual(ended_at(), end)
    )
    overdue = Q(due_at__isnull=False) & Q(LessThan(F("due_at"), end))
    aggregates = {
        "total": Count("pk"),
        "new_online": Count("pk", filter=new & Q(channel=ChannelKind.ONLINE)),
        # The form has two intake columns; a liên thông dossier is not online (ADR 0044), so it
        # is in the other one and the columns still add up to the total.
        "new_direct": Count("pk", filter=new & ~Q(channel=ChannelKind.ONLINE)),
        "carried_over": Count("pk", filter=~new),
        "resolved": Count("pk", filter=filters["resolved"]),
        "resolved_early": Count("pk", filter=filters["resolved_early"]),
        "resolved_on_time": Count(
            "pk", filter=filters["resolved_on_time"] | filters["resolved_ungraded"]
        ),
        "resolved_late": Count("pk", filter=filters["resolved_late"]),
        "pending": Count("pk", filter=pending),
        "pending_in_time": Count("pk", filter=pending & ~overdue),
        "pending_late": Count("pk", filter=pending & overdue),
    }
    handled = Dossier.objects.filter(
        scope.dossier_q(), received_at__lt=scope.end_exclusive
    ).filter(Q(finished_at__isnull=True, returned_at__isnull=True) | Q(
        GreaterThanOrEqual(ended_at(), start)
    ))  # fmt: skip
    rows = (
        handled.values("procedure_version__field__code", "procedure_version__field__name")
        .annotate(**aggregates)
        .order_by("procedure_version__field__code")
    )
    return [
        {
            "field": row["procedure_version__field__code"],
            "field_name": row["procedure_version__field__name"],
            **{key: row[key] for key in FORM_06_KEYS},
        }
        for row in rows
    ]
