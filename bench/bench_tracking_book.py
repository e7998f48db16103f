"""Issue [K] 17: Mẫu 06 (Sổ theo dõi hồ sơ) of one busy desk for one month, 5.000 and 50.000 dossiers.

Data: the data set's busiest receiving unit gets, in two months of its own long before the data set
(January 2019: 5.000 dossiers, March 2019: 50.000), copies of its dossiers with their fates
(returned, finished, open, late…) shifted into the month, each with its reception step handed on
two hours later — written once with INSERT … SELECT and reused. The book is read by the unit's
desk officer (the visibility rule of every list).

What the officer meets (ADR 0026): a book of more than INLINE_MAX_LINES lines is queued and the
request answers with a redirect to a page that waits for it; a worker builds it. Measured, each in
a subprocess of its own so that its peak RSS (ru_maxrss) is that of a process that did nothing
else:

* the request: GET /can-bo/ho-so/so-theo-doi.pdf?tu=…&den=… through the whole Django stack (test
  client, bench settings = production's), wall time and peak RSS of the server process;
* the build: `Worker.task_next()` — what `motcua worker` does with the queued task — wall time and
  peak RSS of the worker process (WeasyPrint, pikepdf and openpyxl loaded first, as a worker that
  built a book before has them);
* a small book (one day, a few hundred lines at most) that still comes at once, for comparison.

The request time's baseline is the build it no longer waits for. Targets of the issue: < 10 s and
< 250 MB. The 50.000-line PDF takes tens of minutes: BENCH_BOOK_PDF_50K=1 measures it; the old
way (one WeasyPrint document, 1,5 GB) is measured with BENCH_BOOK_OLD=1.
"""

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
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
    _tasks_clear(desk["user"])
    if os.environ.get("BENCH_BOOK_OLD"):
        old = _measure("old", desk["user"], MONTHS[5_000])
        print(f"5.000 dossiers, old way (one document, every line in a list): {_line(old)}")
    day = MONTHS[5_000] + timedelta(days=14)  # a form set is in force (from 06/01/2019)
    small = _subprocess("ask", "pdf", desk["user"], day, day, inline=True)
    if small["status"] != 200:
        raise RuntimeError(f"the one-day book answered {small['status']}, not the book")
    lines = number(small["lines"])
    print(f"one day ({lines} lines), pdf, built while waiting (forced): {_asked(small)}")
    # The comparison, not a path an officer takes any more (above INLINE_MAX_LINES): no target.
    record(
        f"[K] 17 one day ({lines} lines), pdf if built while waiting, request time",
        small["seconds"],
        "s",
        small["seconds"],
        "itself",
    )
    _queued(f"one day ({lines} lines), pdf", "pdf", desk["user"], day, day)
    for count, start in MONTHS.items():
        for kind in ("pdf", "xlsx"):
            if kind == "pdf" and count > 5_000 and not os.environ.get("BENCH_BOOK_PDF_50K"):
                print(
                    f"{number(count)} dossiers, pdf: not measured (≈ 10 × the 5.000 book, tens "
                    "of minutes on this machine); BENCH_BOOK_PDF_50K=1 measures it"
                )
                continue
            _queued(f"{number(count)} dossiers, {kind}", kind, desk["user"], start)


def _queued(label: str, kind: str, user_id: int, start: date, end: date | None = None) -> None:
    """Ask for the book (a month unless `end`): queued, a worker builds it, the page's link."""
    end = end or date(start.year, start.month, DAYS)
    asked = _subprocess("ask", kind, user_id, start, end)
    print(f"{label}, request: {_asked(asked)}", flush=True)
    if asked["status"] == 200:  # small enough to come at once
        record(
            f"[K] 17 {label}, request time (at once)",
            asked["seconds"],
            "s",
            asked["seconds"],
            "itself",
            max_value=TARGET_SECONDS,
        )
        record(
            f"[K] 17 {label}, server peak RSS",
            asked["peak_mb"],
            "MB",
            asked["setup_mb"],
            "after set-up",
            max_value=TARGET_MB,
        )
        return
    if asked["status"] != 302:
        raise RuntimeError(f"{label}: the request answered {asked['status']}")
    built = _subprocess("work", kind, user_id, start, end)
    print(f"{label}, worker: {_built(built)}", flush=True)
    link = _link_checked(user_id, asked["task"])
    print(f"{label}, waiting page then shows the link, download of {number(link / 1e6)} MB")
    record(
        f"[K] 17 {label}, request time (queued)",
        asked["seconds"],
        "s",
        built["seconds"],
        "the build it no longer waits for",
        max_value=TARGET_SECONDS,
    )
    record(
        f"[K] 17 {label}, server peak RSS",
        asked["peak_mb"],
        "MB",
        asked["setup_mb"],
        "after set-up",
        max_value=TARGET_MB,
    )
    record(f"[K] 17 {label}, worker build time", built["seconds"], "s", asked["seconds"], "request")
    record(
        f"[K] 17 {label}, worker peak RSS",
        built["peak_mb"],
        "MB",
        built["setup_mb"],
        "after set-up",
        max_value=TARGET_MB,
    )
    _tasks_clear(user_id)


def _line(figures: dict) -> str:
    return (
        f"{number(figures['seconds'])} s, peak RSS {number(figures['peak_mb'])} MB "
        f"(after set-up {number(figures['setup_mb'])} MB), {number(figures['lines'])} lines, "
        f"{number(figures['pages'])} pages, {number(figures['bytes'] / 1e6)} MB file"
    )


def _asked(figures: dict) -> str:
    answer = f"HTTP {figures['status']}"
    if figures.get("task"):
        answer += f" → waiting page of task {figures['task']}"
    return (
        f"{number(figures['seconds'])} s ({answer}), peak RSS {number(figures['peak_mb'])} MB "
        f"(after set-up {number(figures['setup_mb'])} MB), {number(figures['lines'])} lines"
    )


def _built(figures: dict) -> str:
    return (
        f"{number(figures['seconds'])} s, peak RSS {number(figures['peak_mb'])} MB (after set-up "
        f"{number(figures['setup_mb'])} MB), {figures['status']}: {figures['summary']}, "
        f"{number(figures['bytes'] / 1e6)} MB file {figures['error']}"
    ).rstrip()


def _link_checked(user_id: int, task_id: int) -> int:
    """The waiting page shows the download link once the worker is done; the download streams
    the file. Returns its size."""
    from django.test import Client
    from django.urls import reverse

    from motcua.accounts.models import User

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(pk=user_id))
    page = client.get(reverse("backoffice:tracking_book_task", args=[task_id]))
    link = reverse("backoffice:tracking_book_download", args=[task_id])
    if link not in page.content.decode():
        raise RuntimeError(f"the waiting page of task {task_id} shows no link")
    return sum(len(chunk) for chunk in client.get(link).streaming_content)


def _tasks_clear(user_id: int) -> None:
    """The bench's books, their files and the bench workers' heartbeats go after each figure."""
    from motcua.core.background import results_storage
    from motcua.core.models import BackgroundTask, WorkerBeat

    for task in BackgroundTask.objects.filter(requested_by_id=user_id, kind="tracking-book"):
        if task.result:
            results_storage().delete(task.result)
        task.delete()
    WorkerBeat.objects.filter(name__startswith="bench-").delete()


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
    """One build of the month's book in a fresh process (the old way: BENCH_BOOK_OLD)."""
    return _subprocess("build", kind, user_id, start, date(start.year, start.month, DAYS))


def _subprocess(
    action: str, kind: str, user_id: int, start: date, end: date, inline: bool = False
) -> dict:
    """Run `action` (ask, work, build) in a fresh process: its figures as JSON. `inline`: the
    request builds the book while waiting whatever its size (the comparison the threshold rests
    on)."""
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.bench_tracking_book",
            action,
            kind,
            str(user_id),
            str(start),
            str(end),
        ],
        capture_output=True,
        text=True,
        check=False,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "BENCH_BOOK_INLINE": "1" if inline else "",
        },
    )
    if completed.returncode:
        raise RuntimeError(completed.stderr[-3000:])
    return json.loads(completed.stdout.strip().splitlines()[-1])


def _ask(kind: str, user_id: int, start: date, end: date) -> None:
    """In the subprocess: the officer's request through the whole stack, as a server gets it."""
    import django

    django.setup()
    from django.test import Client
    from django.urls import reverse

    from motcua.accounts.models import User
    from motcua.backoffice import views_dossier_tracking
    from motcua.core.models import BackgroundTask
    from motcua.dossiers.official_forms import tracking_book as book

    if os.environ.get("BENCH_BOOK_INLINE"):
        views_dossier_tracking.INLINE_MAX_LINES = {"pdf": 10**9, "xlsx": 10**9}
    user = User.objects.select_related("unit").get(pk=user_id)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    client.get(reverse("backoffice:dossier_worklist"))  # a server that has served a page
    setup_mb = _peak_mb()
    url = reverse("backoffice:tracking_book") + f"?tu={start}&den={end}&dinh-dang={kind}"
    began = time.perf_counter()
    response = client.get(url)
    if response.streaming:
        body = sum(len(chunk) for chunk in response.streaming_content)
    else:
        body = len(response.content)
    seconds = time.perf_counter() - began
    task = None
    if response.status_code == 302:
        task = BackgroundTask.objects.filter(requested_by=user).latest("pk").pk
    print(
        json.dumps(
            {
                "seconds": seconds,
                "peak_mb": _peak_mb(),
                "setup_mb": setup_mb,
                "status": response.status_code,
                "task": task,
                "bytes": body,
                "lines": book.tracking_book_count(user, start, end),
            }
        )
    )


def _work() -> None:
    """In the subprocess: a worker takes the queued task and builds it, as `motcua worker`."""
    import django

    django.setup()
    import openpyxl  # noqa: F401
    import pikepdf  # noqa: F401
    import weasyprint  # noqa: F401 — loaded before the clock, as a worker that built a book has it

    from motcua.core.models import BackgroundTask
    from motcua.core.worker import Worker

    worker = Worker(name=f"bench-{os.getpid()}", poll=1, report=lambda line: None)
    setup_mb = _peak_mb()
    with worker.alive(keep_record=False):
        began = time.perf_counter()
        if not worker.task_next():
            raise RuntimeError("no queued task")
        seconds = time.perf_counter() - began
    task = BackgroundTask.objects.latest("finished_at")
    print(
        json.dumps(
            {
                "seconds": seconds,
                "peak_mb": _peak_mb(),
                "setup_mb": setup_mb,
                "status": task.status,
                "summary": task.summary,
                "error": task.error,
                "bytes": task.result_size,
            }
        )
    )


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
    _action, _kind, _user, _start, _end = sys.argv[1:6]
    if _action == "work":
        _work()
    else:
        action = _ask if _action == "ask" else _build
        action(_kind, int(_user), date.fromisoformat(_start), date.fromisoformat(_end))
