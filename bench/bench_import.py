"""100.000 historical dossiers imported from one CSV file (`motcua dossiers import`).

The file is generated from the demo organisation and catalogue: receptions on working days of
2023–2025 at the receiving unit of a procedure in force that day, numbered per unit and day as the
desk would, mostly returned, some still open; 40.000 citizens and 2.000 organisations come back
several times, one dossier in ten has no identifier. Everything runs in a fresh test database (a
temporary SQLite file, or `test_motcua_bench` on PostgreSQL), destroyed at the end.
"""

import csv
import random
import tempfile
import time
from collections import defaultdict
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from django.db import connection

from motcua.catalog.models import ProcedureVersion
from motcua.catalog.selectors import in_force_q
from motcua.catalog.services import catalog_import
from motcua.core.identity import PROVINCE_OF_BIRTH_CODES
from motcua.demo.loaders import CATALOGUE_FILE, LoadReport, load_org_units
from motcua.dossiers.importing import HEADER, dossiers_import
from motcua.dossiers.models import Dossier

COUNT = 100_000
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
FIRST_DAY, LAST_DAY = date(2023, 1, 2), date(2025, 12, 31)
# National status and its weight: most history is returned; a little is still open.
STATUSES = ((10, 80), (9, 5), (4, 5), (2, 3), (5, 2), (3, 2), (6, 1), (7, 1), (8, 1))
NAMES = ("Nguyễn Thị Hương", "Trần Văn Minh", "Lê Thị Lan", "Phạm Văn Đức", "Hoàng Thị Hà")


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        old_name = _fresh_database(Path(folder))
        try:
            _run(Path(folder) / "ho_so.csv")
        finally:
            connection.creation.destroy_test_db(old_name, verbosity=0)


def _fresh_database(folder: Path) -> str:
    settings = connection.settings_dict
    if settings["ENGINE"].endswith("sqlite3"):
        settings.setdefault("TEST", {})["NAME"] = str(folder / "bench.sqlite3")
    else:
        settings.setdefault("TEST", {})["NAME"] = "test_motcua_bench"
    old_name = settings["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    return old_name


def _run(path: Path) -> None:
    load_org_units(LoadReport())
    catalog_import(CATALOGUE_FILE)
    started = time.perf_counter()
    _generate(path)
    print(f"generate {COUNT:,} rows: {time.perf_counter() - started:.1f} s".replace(",", "."))

    started = time.perf_counter()
    result = dossiers_import(path)
    seconds = time.perf_counter() - started
    assert result.created == COUNT == Dossier.objects.filter(imported=True).count()
    print(
        f"import {COUNT:,} rows: {seconds:.1f} s — {COUNT / seconds:,.0f} rows/s".replace(",", ".")
    )

    started = time.perf_counter()
    again = dossiers_import(path)
    seconds = time.perf_counter() - started
    assert again.skipped == COUNT and again.created == 0
    print(
        f"same file again (all skipped): {seconds:.1f} s — {COUNT / seconds:,.0f} rows/s".replace(
            ",", "."
        )
    )


def _generate(path: Path) -> None:
    rng = random.Random(2026)
    by_day = _versions_by_day()
    days = sorted(by_day)
    people = [_citizen_id(rng) for _ in range(40_000)]
    companies = [f"{rng.randrange(10**9, 10**10)}" for _ in range(2_000)]
    numbers: dict[tuple[str, date], int] = defaultdict(int)
    statuses, weights = zip(*STATUSES, strict=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for _ in range(COUNT):
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
    province = rng.choice(sorted(PROVINCE_OF_BIRTH_CODES))
    return f"{province}{rng.choice('0123')}{rng.randrange(100):02d}{rng.randrange(10**6):06d}"
