"""100.000 deadlines on the real calendar (statutory holidays + the 2023–2026 notices).

Receptions spread over 2023–2026 at random minutes (office hours, evenings, weekends), budgets from
half a day to 30 working days; the calendar is built once, as the app does (it is cached).
"""

import random
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from motcua.calendars.notices import SEED_ENTRIES
from motcua.calendars.statutory import statutory_holidays
from motcua.core.workingtime import WorkingCalendar

COUNT = 100_000


def main() -> None:
    build_started = time.perf_counter()
    non_working = dict(statutory_holidays())
    working = {}
    for day, kind, reason, _ in SEED_ENTRIES:
        (working if kind == "working_day" else non_working)[day] = reason
    calendar = WorkingCalendar(non_working=non_working, working_weekend_days=working)
    build_seconds = time.perf_counter() - build_started

    rng = random.Random(2023)
    start = datetime(2023, 1, 1, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    cases = [
        (
            start + timedelta(minutes=rng.randrange(4 * 365 * 24 * 60)),
            rng.choice((4, 8, 40, 80, 120, 240)),
        )
        for _ in range(COUNT)
    ]
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        for received, hours in cases:
            calendar.due(received, hours)
        best = min(best, time.perf_counter() - started)
    print(f"calendar build (2000–2060): {build_seconds * 1000:.0f} ms")
    print(
        f"{COUNT:,} deadlines: {best:.3f} s (best of 3) — {best / COUNT * 1e6:.2f} µs each".replace(
            ",", "."
        )
    )
