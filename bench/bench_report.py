"""Issue [G]: the six-month periodic report and the dashboard over the bench data set.

Figures (warm, median of several runs, PostgreSQL):
* the dossier figures of the six months (`dossier_counts`, one conditional-COUNT query) against
  the raw SQL aggregate of bench_sixmonth (same rows, psycopg, no ORM) — target ≤ 1 s at 1m;
* the whole report (`report_build`, every section incl. the other apps' and the scored
  indicators, serialised to JSON) — target ≤ 1 s at 1m;
* the dashboard's server time (`dashboard_data` + template render, the other apps' sections
  cached as the page caches them) — target ≤ 100 ms at 1m, ≤ 150 ms at 10m (issue [P] 3;
  bench.harness.SCALE_TARGETS).

Run: `BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/motcua_bench_report
.venv/bin/python -m bench --scale 1m report` (a private database; the data set is generated with
COPY by bench/data.py on first use).
"""

import json
from datetime import timedelta

import psycopg
from django.template.loader import render_to_string
from django.utils import timezone

from bench.data import raw_dsn, rollup_ensure
from bench.harness import by_scale, median_ms, number, record, target

RAW = """
SELECT count(*),
       count(*) FILTER (WHERE channel = 'online'),
       count(*) FILTER (WHERE channel = 'post'),
       count(*) FILTER (WHERE coalesce(finished_at, returned_at) < %(end)s),
       count(*) FILTER (WHERE coalesce(finished_at, returned_at) < %(end)s
                          AND coalesce(finished_at, returned_at) <= due_at),
       count(*) FILTER (WHERE coalesce(finished_at, returned_at) < %(end)s
                          AND return_channel = 'post')
FROM dossiers_dossier WHERE received_at >= %(start)s AND received_at < %(end)s
"""


def main() -> None:
    from motcua.indicators.dashboard import dashboard_data
    from motcua.indicators.report import report_build
    from motcua.indicators.scope import scope_build
    from motcua.indicators.selectors import dossier_counts

    rollup_ensure()
    today = timezone.localdate()
    scope = scope_build(today - timedelta(days=182), today)
    runs = by_scale(3, 5)
    counts = dossier_counts(scope)
    raw_ms = median_ms(lambda: _raw(scope.start, scope.end_exclusive), runs)
    counts_ms = median_ms(lambda: dossier_counts(scope), runs)
    report_ms = median_ms(lambda: json.dumps(report_build(scope), default=str), runs)
    dashboard_ms = median_ms(
        lambda: render_to_string(
            "indicators/_dashboard_body.html", {"data": dashboard_data(scope), "scope": scope}
        ),
        runs,
    )
    print(
        f"six months {scope.date_from:%d/%m/%Y}–{scope.date_to:%d/%m/%Y}: "
        f"{number(counts['received'])} dossiers received, {number(counts['resolved'])} resolved; "
        f"dossier figures {number(counts_ms)} ms, whole report {number(report_ms)} ms, "
        f"dashboard {number(dashboard_ms)} ms, raw aggregate {number(raw_ms)} ms"
    )
    record("G dossier figures (6 months)", counts_ms, "ms", raw_ms, "raw aggregate", max_value=1000)
    record("G report JSON (6 months)", report_ms, "ms", raw_ms, "raw aggregate", max_value=1000)
    record(
        "G dashboard server time",
        dashboard_ms,
        "ms",
        raw_ms,
        "raw aggregate",
        max_value=target("dashboard_ms"),
    )


def _raw(start, end) -> tuple:
    with psycopg.connect(raw_dsn()) as conn:
        return conn.execute(RAW, {"start": start, "end": end}).fetchone()
