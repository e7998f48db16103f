"""`python -m bench --profile NAME`: where one benchmark's time goes (issue [P] 4).

The benchmark runs under cProfile while every SQL statement of this process is timed through
Django's execute wrapper; afterwards the top functions (own time and with callees) and the top
statements (normalised: literals and parameter lists folded) are printed with their share of the run.
Benchmarks that load a server (tracking, soak) measure other processes: their profile shows only
the harness; the in-process ones (worklist, sixmonth, report, intake, import, tracking_book,
deadlines) show the product's own code and SQL.
"""

from __future__ import annotations

import cProfile
import pstats
import re
import time
from collections import defaultdict
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field

from django.db import connections

TOP_FUNCTIONS = 15
TOP_STATEMENTS = 10
_LITERALS = re.compile(r"'(?:[^']|'')*'|\b\d+(?:\.\d+)?\b")
_LISTS = re.compile(r"\((?:\s*(?:%s|\?|\$\d+)\s*,?)+\)")


def statement_shape(sql: str) -> str:
    """A statement with its literals and parameter lists folded, so that the same query with other
    values counts as one."""
    shaped = _LITERALS.sub("?", sql)
    shaped = _LISTS.sub("(…)", shaped)
    return " ".join(shaped.split())


@dataclass
class SqlTimes:
    seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    calls: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            shape = statement_shape(sql)
            self.seconds[shape] += time.perf_counter() - started
            self.calls[shape] += 1


def profiled(run: Callable[[], None]) -> str:
    """Run `run` under the profiler and the SQL timer; return the report to print."""
    sql = SqlTimes()
    profiler = cProfile.Profile()
    started = time.perf_counter()
    with ExitStack() as stack:
        for connection in connections.all():
            stack.enter_context(connection.execute_wrapper(sql))
        profiler.enable()
        try:
            run()
        finally:
            profiler.disable()
    return report(profiler, sql, time.perf_counter() - started)


def report(profiler: cProfile.Profile, sql: SqlTimes, total: float) -> str:
    lines = [f"### profile: {total:.2f} s in all, {sum(sql.seconds.values()):.2f} s in SQL"]
    stats = pstats.Stats(profiler)
    rows = stats.stats  # type: ignore[attr-defined]  # (file, line, name) -> (cc, nc, tt, ct, callers)
    for title, index in (("own time", 2), ("with callees", 3)):
        lines.append(f"top functions by {title}:")
        ranked = sorted(rows.items(), key=lambda item: item[1][index], reverse=True)
        for (filename, line, name), values in ranked[:TOP_FUNCTIONS]:
            share = values[index] / total if total else 0
            where = f"{_short(filename)}:{line}({name})"
            lines.append(f"  {share:6.1%}  {values[index]:8.3f} s  {values[1]:>8} calls  {where}")
    lines.append("top SQL statements by time:")
    ranked_sql = sorted(sql.seconds.items(), key=lambda item: item[1], reverse=True)
    for shape, seconds in ranked_sql[:TOP_STATEMENTS]:
        share = seconds / total if total else 0
        lines.append(f"  {share:6.1%}  {seconds:8.3f} s  {sql.calls[shape]:>8} ×  {shape[:160]}")
    return "\n".join(lines)


def _short(filename: str) -> str:
    for marker in ("/site-packages/", "/motcua/", "/bench/"):
        if marker in filename:
            return marker.strip("/") + "/" + filename.split(marker, 1)[1]
    return filename
