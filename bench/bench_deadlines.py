"""Issue [H] 6: deadline arithmetic on the real calendar, at least 100.000 due instants a second.

Receptions spread over 2023–2026 at random minutes (office hours, evenings, weekends), budgets from
half a day to 30 working days; the calendar is built once, as the app does (it is cached). The
baseline is the same loop adding the budget as plain hours (`received + timedelta(hours=…)`): what
Python does at best per item, so the ratio says how much the calendar costs.
"""

import random
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bench.harness import number, record
from motcua.calendars.notices import SEED_ENTRIES
from motcua.calendars.statutory import statutory_holidays
from motcua.core.workingtime import WorkingCalendar

COUNT = 100_000
TARGET_PER_SECOND = 100_000


def main() -> None:
    build_started = time.perf_counter()
    non_working = dict(statutory_holidays())
    working = {}
    for day, kind, reason, _ in SEED_ENTRIES:
        (working if kind == "working_day" else non_working)[day] = reason
    calendar = WorkingCalendar(non_working=non_working, working_weekend_days=working)
    build_seconds = time.perf_counter() - build_started
    cases = _cases()
    due = _best_of_3(lambda: [calendar.due(received, hours) for received, hours in cases])
    naive = _best_of_3(lambda: [received + timedelta(hours=hours) for received, hours in cases])
    print(f"calendar build (2000–2060): {build_seconds * 1000:.0f} ms")
    print(f"{number(COUNT)} deadlines: {due:.3f} s (best of 3), {due / COUNT * 1e6:.2f} µs each")
    record(
        "6 deadline arithmetic",
        COUNT / due,
        "due/s",
        COUNT / naive,
        "plain timedelta",
        min_value=TARGET_PER_SECOND,
    )


def _cases() -> list[tuple[datetime, int]]:
    rng = random.Random(2023)
    start = datetime(2023, 1, 1, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    return [
        (
            start + timedelta(minutes=rng.randrange(4 * 365 * 24 * 60)),
            rng.choice((4, 8, 40, 80, 120, 240)),
        )
        for _ in range(COUNT)
    ]


def _best_of_3(action) -> float:
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        action()
        best = min(best, time.perf_counter() - started)
    return best
