"""Issue [H] 3 (and [B] 7): import of historical dossiers against COPY of the same rows.

A CSV of historical dossiers received on working days of 2023 (before any data set's window, so
codes never collide) at the receiving unit of a procedure in force that day, numbered per unit and
day; mostly returned, some open; 40 % of the applicants come back several times, one in ten has no
identifier. `motcua.dossiers.importing.dossiers_import` reads, checks and writes it into the bench
database inside a transaction that is rolled back at the end, so the data set stays as it was.
The rows it wrote (dossiers, events, pauses, applicants) are then COPYed into empty tables of the
same shape (LIKE … INCLUDING ALL: same indexes and constraints): the baseline, in rows of the file
per second.
"""

import csv
import io
import random
import tempfile
import time
from collections import defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg
from django.db import connection, transaction

from bench.data import raw_dsn
from bench.harness import by_scale, number, record, target

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
FIRST_DAY, LAST_DAY = date(2023, 1, 2), date(2023, 12, 29)
# National status and its weight: most history is returned; a little is still open.
STATUSES = ((10, 80), (9, 5), (4, 5), (2, 3), (5, 2), (3, 2), (6, 1), (7, 1), (8, 1))
NAMES = ("Nguyễn Thị Hương", "Trần Văn Minh", "Lê Thị Lan", "Phạm Văn Đức", "Hoàng Thị Hà")
# The tables an import writes, and how to find its rows in each (ids above the starting ones).
WRITTEN = (
    "dossiers_applicant",
    "dossiers_dossier",
    "dossiers_dossierevent",
    "dossiers_dossierpause",
)


def main() -> None:
    from motcua.dossiers.importing import dossiers_import

    count = by_scale(2_000, 50_000)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ho_so.csv"
        _generate(path, count)
        before = _max_ids()
        with transaction.atomic():
            started = time.perf_counter()
            result = dossiers_import(None, path)
            import_seconds = time.perf_counter() - started
            assert result.created == count, result
            written = {table: _dump(table, before[table]) for table in WRITTEN}
            transaction.set_rollback(True)
    copy_seconds = _copy_into_twins(written)
    rows = sum(len(text.splitlines()) for text in written.values())
    print(f"import of {number(count)} rows: {import_seconds:.1f} s ({rows:,} table rows written)")
    print(f"COPY of the same {rows:,} table rows: {copy_seconds:.2f} s".replace(",", "."))
    record(
        "3 import",
        count / import_seconds,
        "rows/s",
        count / copy_seconds,
        "COPY",
        min_ratio=target("import_min_ratio"),
    )


def _max_ids() -> dict[str, int]:
    with connection.cursor() as cursor:
        found = {}
        for table in WRITTEN:
            cursor.execute(f"SELECT coalesce(max(id), 0) FROM {table}")
            found[table] = cursor.fetchone()[0]
        return found


def _dump(table: str, after_id: int) -> str:
    """The rows the import wrote, in COPY text format (read inside its transaction)."""
    buffer = io.StringIO()
    with connection.cursor() as cursor:
        raw = cursor.cursor
        with raw.copy(f"COPY (SELECT * FROM {table} WHERE id > {int(after_id)}) TO STDOUT") as copy:
            for chunk in copy:
                buffer.write(bytes(chunk).decode())
    return buffer.getvalue()


def _copy_into_twins(written: dict[str, str]) -> float:
    """COPY the rows into tables shaped like the originals (indexes included), in one transaction
    as the import had; time the COPY only, then drop the twins."""
    with psycopg.connect(raw_dsn()) as conn:
        for table in written:
            conn.execute(f"DROP TABLE IF EXISTS bench_twin_{table}")
            conn.execute(f"CREATE TABLE bench_twin_{table} (LIKE {table} INCLUDING ALL)")
        conn.commit()
        try:
            started = time.perf_counter()
            with conn.cursor() as cursor:
                for table, text in written.items():
                    with cursor.copy(f"COPY bench_twin_{table} FROM STDIN") as copy:
                        copy.write(text)
            conn.commit()
            return time.perf_counter() - started
        finally:
            for table in written:
                conn.execute(f"DROP TABLE IF EXISTS bench_twin_{table}")
            conn.commit()


def _generate(path: Path, count: int) -> None:
    rng = random.Random(2026)
    by_day = _versions_by_day()
    days = sorted(by_day)
    people = [_citizen_id(rng) for _ in range(max(100, count * 2 // 5))]
    companies = [f"{rng.randrange(10**9, 10**10)}" for _ in range(max(20, count // 50))]
    numbers: dict[tuple[str, date], int] = defaultdict(int)
    statuses, weights = zip(*STATUSES, strict=True)
    from motcua.dossiers.importing import HEADER

    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for _ in range(count):
            day = rng.choice(days)
            code, unit, hours = rng.choice(by_day[day])
            numbers[(unit, day)] += 1
            status = rng.choices(statuses, weights)[0]
            writer.writerow(
                _row(rng, day, code, unit, hours, numbers[(unit, day)], status, people, companies)
            )


def _row(rng, day, code, unit, hours, number, status, people, companies) -> list:
    received = datetime(day.year, day.month, day.day, 7, 30, tzinfo=HCM) + timedelta(
        minutes=rng.randrange(9 * 60)
    )
    due = received + timedelta(days=max(1, int(hours / 8 * 1.4)))
    finished = returned = None
    if status in (3, 7, 8, 9, 10):
        finished = received + (due - received) * rng.uniform(0.2, 1.2)
    if status == 10:
        returned = finished + timedelta(hours=rng.uniform(0.5, 72))
    identity = rng.random()
    applicant_id = (
        rng.choice(people) if identity < 0.8 else rng.choice(companies) if identity < 0.9 else ""
    )
    return [
        f"{unit}-{day:%y%m%d}-{number:04d}",
        code,
        unit,
        rng.choice(("desk", "desk", "online", "post")),
        received.isoformat(),
        due.isoformat(),
        finished.isoformat() if finished else "",
        returned.isoformat() if returned else "",
        rng.choice(("desk", "post", "")) if returned else "",
        status,
        rng.choice((0, 0, 0, 1)) if status != 2 else 0,
        rng.choice(NAMES) if identity < 0.8 or identity >= 0.9 else "Công ty TNHH Mẫu",
        applicant_id,
    ]


def _versions_by_day() -> dict[date, list[tuple[str, str, float]]]:
    """Public procedures in force on each working day: (code, receiving unit, hours)."""
    from motcua.catalog.models import ProcedureVersion
    from motcua.catalog.selectors import in_force_q

    found = {}
    day = FIRST_DAY
    while day <= LAST_DAY:
        if day.weekday() < 5:
            versions = ProcedureVersion.objects.filter(
                in_force_q(day), procedure__is_internal=False
            ).values_list("procedure__code", "receiving_unit__code", "processing_time_value")
            found[day] = [(code, unit, float(value) * 8) for code, unit, value in versions]
        day += timedelta(days=1)
    return {d: v for d, v in found.items() if v}


def _citizen_id(rng) -> str:
    from motcua.core.identity import PROVINCE_OF_BIRTH_CODES

    province = rng.choice(sorted(PROVINCE_OF_BIRTH_CODES))
    return f"{province}{rng.choice('0123')}{rng.randrange(100):02d}{rng.randrange(10**6):06d}"
