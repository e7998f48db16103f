"""Issue [H] 5: the six-month report JSON of [G] against the raw SQL aggregate over the same rows.

The report is `motcua.indicators.report.report_build` for the last six months (whole province),
serialised to JSON; the baseline is one raw SQL aggregate counting the same period's dossiers by
channel and by outcome (what a report without rollups must at least read). Both warm, median of
several runs, after the rollup is brought up to date (motcua.indicators.rollup; the job
`indicators-rollup` does it in production). Target: ≤ 0,3 s and ≤ 0,5 of the raw aggregate.
"""

import importlib
import json
from datetime import timedelta

import psycopg
from django.utils import timezone

from bench.data import raw_dsn, rollup_ensure
from bench.harness import by_scale, median_ms, number, record, target

RAW = """
SELECT count(*),
       count(*) FILTER (WHERE channel = 'online'),
       count(*) FILTER (WHERE channel = 'desk'),
       count(*) FILTER (WHERE channel = 'post'),
       count(*) FILTER (WHERE finished_at IS NOT NULL OR returned_at IS NOT NULL),
       count(*) FILTER (WHERE coalesce(finished_at, returned_at) <= due_at),
       count(*) FILTER (WHERE coalesce(finished_at, returned_at) > due_at)
FROM dossiers_dossier WHERE received_at >= %s AND received_at < %s
"""


def main() -> None:
    build, scope_class = _report_function()
    if build is None:
        print("motcua.indicators offers no report function yet (report.report_build): not measured")
        return
    rollup_ensure()
    today = timezone.localdate()
    scope = scope_class(date_from=today - timedelta(days=182), date_to=today)
    runs = by_scale(2, 3)
    report_ms = median_ms(lambda: json.dumps(build(scope), default=str), runs)
    raw_ms = median_ms(lambda: _raw(scope.start, scope.end_exclusive), runs)
    rows = _raw(scope.start, scope.end_exclusive)[0]
    print(
        f"six months {scope.date_from:%d/%m/%Y}–{scope.date_to:%d/%m/%Y}: {number(rows)} dossiers; "
        f"report JSON {number(report_ms)} ms, raw aggregate {number(raw_ms)} ms"
    )
    record(
        "5 six-month report",
        report_ms,
        "ms",
        raw_ms,
        "raw aggregate",
        max_ratio=target("sixmonth_max_ratio"),
        max_value=target("sixmonth_ms"),
    )


def _report_function():
    try:
        report = importlib.import_module("motcua.indicators.report")
        scope = importlib.import_module("motcua.indicators.scope")
    except ImportError:
        return None, None
    return getattr(report, "report_build", None), getattr(scope, "Scope", None)


def _raw(start, end) -> tuple:
    with psycopg.connect(raw_dsn()) as conn:
        return conn.execute(RAW, [start, end]).fetchone()
