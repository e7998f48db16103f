"""Issue [K] 17: Mẫu 06 (Sổ theo dõi hồ sơ) of one busy desk for one month, 5.000 and 50.000 dossiers.

Data: the data set's busiest receiving unit gets, in two months of its own long before the data set
(January 2019: 5.000 dossiers, March 2019: 50.000), copies of its dossiers with their fates
(returned, finished, open, late…) shifted into the month, each with its reception step handed on
two hours later — written once with INSERT … SELECT and reused. The book is read by the unit's
desk officer (the visibility rule of every list).

Each figure is one build in a subprocess of its own (`python -m bench.bench_tracking_book …`), so
the peak RSS (ru_maxrss) is that of a process that did nothing else: Django set up with the bench
settings, then the book written to a file, as the server's view does. Printed: wall time, peak RSS,
pages/size. Baseline (same run): the old way — every line in one list, one WeasyPrint document —
at 5.000 only (at 50.000 it would take many minutes and gigabytes). Targets of the issue: < 10 s
and < 250 MB.
"""

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

from bench.harness import number, record

MONTHS = {5_000: date(2019, 1, 1), 50_000: date(2019, 3, 1)}
DAYS = 31
TARGET_SECONDS, TARGET_MB = 10, 250

COPY_SQL = """
WITH source AS (
    SELECT d.*, row_number() OVER (ORDER BY d.id) AS n, count(*) OVER () AS total
    FROM dossiers_dossier d
    WHERE d.receiving_unit_id = %(unit)s AND d.received_at IS NOT NULL
      AND d.code NOT LIKE 'BTB%%'
), wanted AS (
    SELECT g AS k FROM generate_series(1, %(count)s) g
), picked AS (
    SELECT s.*, w.k,
           %(start)s::timestamptz + (w.k - 1) * (%(days)s * interval '1 day' / %(count)s)
             - s.received_at AS shift
    FROM wanted w JOIN source s ON s.n = (w.k - 1) %% s.total + 1
)
INSERT INTO dossiers_dossier (
    code, applicant_name, applicant_address, channel, status, dossier_sets, submitted_at,
    received_at, due_at_original, due_at, rescheduled_at, finished_at, returned_at,
    return_channel, supplement_requests, imported, revision, applicant_id, assignee_id,
    procedure_version_id, received_by_id, receiving_unit_id, notify_channel, contact_email,
    contact_phone)
SELECT 'BTB' || %(count)s || '-' || k, applicant_name, applicant_address, channel, status,
       dossier_sets, submitted_at + shift, received_at + shift, due_at_original + shift,
       due_at + shift, rescheduled_at + shift, finished_at + shift, returned_at + shift,
       return_channel, supplement_requests, imported, revision, applicant_id, assignee_id,
       procedure_version_id, received_by_id, receiving_unit_id, notify_channel, contact_email,
       contact_phone
FROM picked
"""

STEP_SQL = """
INSERT INTO dossiers_dossierstep
    ("order", name, role, budget_hours, started_at, due_at, finished_at, dossier_id, unit_id)
SELECT 1, 'Tiếp nhận hồ sơ', 'desk_officer', 4, received_at, received_at + interval '4 hours',
       received_at + interval '2 hours', id, receiving_unit_id
FROM dossiers_dossier WHERE code LIKE %(prefix)s
"""


def main() -> None:
    desk = _desk()
    if desk is None:
        print("no desk officer in the data set's busiest unit: not measured")
        return
    for count, start in MONTHS.items():
        _ensure(count, start, desk["unit"])
    five = MONTHS[5_000]
    old = _measure("old", desk["user"], five)
    print(f"5.000 dossiers, old way (one document, every line in a list): {_line(old)}")
    for count, start in MONTHS.items():
        for kind in ("pdf", "xlsx"):
            if kind == "pdf" and count > 5_000 and not os.environ.get("BENCH_BOOK_PDF_50K"):
                print(
                    f"{number(count)} dossiers, pdf: not measured (≈ 10 × the 5.000 book, tens "
                    "of minutes on this machine); BENCH_BOOK_PDF_50K=1 measures it"
                )
                continue
            figures = _measure(kind, desk["user"], start)
            label = f"{number(count)} dossiers, {kind}"
            print(f"{label}: {_line(figures)}", flush=True)
            record(
                f"[K] 17 {label}, time",
                figures["seconds"],
                "s",
                old["seconds"],
                "old way at 5.000",
                max_value=TARGET_SECONDS,
            )
            record(
                f"[K] 17 {label}, peak RSS",
                figures["peak_mb"],
                "MB",
                old["peak_mb"],
                "old way at 5.000",
                max_value=TARGET_MB,
            )


def _line(figures: dict) -> str:
    return (
        f"{number(figures['seconds'])} s, peak RSS {number(figures['peak_mb'])} MB "
        f"(after set-up {number(figures['setup_mb'])} MB), {number(figures['lines'])} lines, "
        f"{number(figures['pages'])} pages, {number(figures['bytes'] / 1e6)} MB file"
    )


def _desk() -> dict | None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT u.id, u.unit_id FROM accounts_user u WHERE u.role = 'desk_officer' AND "
            "u.is_active AND u.unit_id = (SELECT receiving_unit_id FROM dossiers_dossier "
            "GROUP BY 1 ORDER BY count(*) DESC LIMIT 1) ORDER BY u.id LIMIT 1"
        )
        found = cursor.fetchone()
    return {"user": found[0], "unit": found[1]} if found else None


def _ensure(count: int, start: date, unit: int) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    prefix = f"BTB{count}-%"
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM dossiers_dossier WHERE code LIKE %s", [prefix])
        if cursor.fetchone()[0] == count:
            return
    began = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM dossiers_dossierstep WHERE dossier_id IN "
            "(SELECT id FROM dossiers_dossier WHERE code LIKE %s)",
            [prefix],
        )
        cursor.execute("DELETE FROM dossiers_dossier WHERE code LIKE %s", [prefix])
        begin = datetime.combine(start, datetime.min.time(), tzinfo=timezone.get_current_timezone())
        cursor.execute(
            COPY_SQL, {"unit": unit, "count": count, "start": begin.isoformat(), "days": DAYS}
        )
        cursor.execute(STEP_SQL, {"prefix": prefix})
    print(
        f"{number(count)} dossiers of one desk in {start:%m/%Y} written in "
        f"{time.perf_counter() - began:.0f} s"
    )


def _measure(kind: str, user_id: int, start: date) -> dict:
    """One build in a fresh process: its wall time and its peak RSS."""
    end = date(start.year, start.month, DAYS)
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.bench_tracking_book",
            kind,
            str(user_id),
            str(start),
            str(end),
        ],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings"},
    )
    if completed.returncode:
        raise RuntimeError(completed.stderr[-3000:])
    return json.loads(completed.stdout.strip().splitlines()[-1])


def _build(kind: str, user_id: int, start: date, end: date) -> None:
    """In the subprocess: build the book to a temporary file as the view does; print figures."""
    import django

    django.setup()
    from motcua.accounts.models import User
    from motcua.dossiers.official_forms import form_pdf
    from motcua.dossiers.official_forms import tracking_book as book

    user = User.objects.select_related("unit").get(pk=user_id)
    import openpyxl  # noqa: F401
    import pikepdf  # noqa: F401
    import weasyprint  # noqa: F401 — loaded before the clock, as a running server has it

    if os.environ.get("BENCH_BOOK_CHUNK"):  # to choose PDF_CHUNK_ROWS by measurement
        book.PDF_CHUNK_ROWS = int(os.environ["BENCH_BOOK_CHUNK"])
    setup_mb = _peak_mb()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"book.{kind}"
        began = time.perf_counter()
        if kind == "old":
            context = book.tracking_book_context(user, start, end)
            path.write_bytes(form_pdf("06", end, context))
        elif kind == "pdf":
            book.tracking_book_pdf(user, start, end, path)
        else:
            book.tracking_book_xlsx(user, start, end, path)
        seconds = time.perf_counter() - began
        lines = book.tracking_book_dossiers(user, start, end).count()
        pages = book._page_count(path) if kind != "xlsx" else 0
        size = path.stat().st_size
    print(
        json.dumps(
            {
                "seconds": seconds,
                "peak_mb": _peak_mb(),
                "setup_mb": setup_mb,
                "lines": lines,
                "pages": pages,
                "bytes": size,
            }
        )
    )


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


if __name__ == "__main__":
    _kind, _user, _start, _end = sys.argv[1:5]
    _build(_kind, int(_user), date.fromisoformat(_start), date.fromisoformat(_end))
