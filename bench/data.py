"""The bench database and its data set: a province's dossiers, written with COPY.

One database per scale (`motcua_bench_<scale>`), created and migrated here; the data set is written
once and marked complete in `bench_dataset`, so a later run at the same scale reuses it.

The province: the demo organisation, calendar, catalogue and staff (motcua.demo.loaders), then
dossiers received over the last working days at the demo's receiving units — 400 a working day at
`small`, 8.000 at `1m`, 20.000 at `10m` (5 million a year). Shaped like the department of the seed
(issue [P] 2): the procedures in the proportions of its H1/2023 (`h1_2023_dossier_counts` on the
demo catalogue: the citizens' judicial record alone 76,2 %, then civil-status copies, certified
copies, legal aid…), the days weighted as the demo weighs weekdays, and one peak day — the last
working day before today, so its dossiers are all open — on which the judicial-records desk takes
the seed's "200–300 hồ sơ/ngày" (III.3) over its H1 mean (`PEAK_PER_DAY`). Every dossier still
goes to the demo's receiving units, so a unit's worklist is far longer than a real unit's.
A dossier whose due instant is past was returned (93 %), finished and waiting (2 %), ended
otherwise (2 %) or is still open and late (3 %); a dossier not yet due is open. Each has one history
event, as an imported dossier has.
"""

from __future__ import annotations

import bisect
import io
import itertools
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import psycopg
from django.conf import settings
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from bench.harness import dossier_count, number, scale

CHUNK = 50_000
MIN_WORKING_DAYS = 125  # about six months, so the six-month report has a full window
PER_WORKING_DAY = 20_000
OPEN_STATUSES = (
    ("received", 15),
    ("in_progress", 55),
    ("consulting", 5),
    ("awaiting_signature", 10),
    ("supplement_requested", 8),
    ("awaiting_payment", 2),
    ("finished", 5),
)
PAUSED = {"supplement_requested", "awaiting_payment"}
NAMES = ("Nguyễn Thị Hương", "Trần Văn Minh", "Lê Thị Lan", "Phạm Văn Đức", "Hoàng Thị Hà")
DOSSIER_TABLES = (
    "dossiers_dossierevent",
    "dossiers_dossierpause",
    "dossiers_dossierstep",
    "dossiers_dossiercomponent",
    "dossiers_dossier",
    "dossiers_applicant",
    "dossiers_dailysequence",
)


# The seed's peak (III.3: "từ 200-300 hồ sơ/ngày" of Phiếu lý lịch tư pháp) over the H1/2023 mean
# of the same desk (16.851 judicial-record dossiers in the 124 working days of the half-year
# = 136 a day): the peak day takes 250 / 136 ≈ 1,84 × its usual judicial records.
PEAK_PER_DAY = 250
JUDICIAL_RECORD = "LOCAL-STP-001"


@dataclass
class Version:
    pk: int
    unit_id: int
    unit_code: str
    hours: float
    code: str = ""
    weight: float = 1.0


def database_ensure() -> None:
    """Create the bench database when missing (never touching any other), then migrate it."""
    params = settings.DATABASES["default"]
    name = params["NAME"]
    with psycopg.connect(_dsn(params, "postgres"), autocommit=True) as admin:
        exists = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            admin.execute(f'CREATE DATABASE "{name}"')
    try:
        call_command("migrate", verbosity=0, interactive=False)
    except DatabaseError as error:
        # A migration rewritten after this database applied it (a working tree in flux): the
        # figures only need the tables they read, so go on, and say so.
        print(f"WARNING: migrate failed ({str(error).splitlines()[0]}); using the schema as it is")


def _dsn(params: dict, database: str) -> str:
    parts = {
        "host": params.get("HOST") or "127.0.0.1",
        "port": params.get("PORT") or 5432,
        "user": params.get("USER") or "postgres",
        "dbname": database,
    }
    if params.get("PASSWORD"):
        parts["password"] = params["PASSWORD"]
    return " ".join(f"{key}={value}" for key, value in parts.items())


def raw_dsn() -> str:
    """The bench database for raw psycopg baselines."""
    return _dsn(settings.DATABASES["default"], settings.DATABASES["default"]["NAME"])


def dataset_ensure() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_dataset (scale text PRIMARY KEY, dossiers bigint NOT"
            " NULL, generated_at timestamptz NOT NULL, seconds double precision NOT NULL)"
        )
        cursor.execute(
            "SELECT dossiers, generated_at FROM bench_dataset WHERE scale = %s", [scale()]
        )
        found = cursor.fetchone()
    if found and found[0] == dossier_count():
        print(
            f"data set: {found[0]:,} dossiers, generated {found[1]:%Y-%m-%d %H:%M}".replace(
                ",", "."
            )
        )
        return
    started = time.perf_counter()
    _generate()
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bench_dataset VALUES (%s, %s, now(), %s) ON CONFLICT (scale) DO UPDATE"
            " SET dossiers = EXCLUDED.dossiers, generated_at = now(), seconds = EXCLUDED.seconds",
            [scale(), dossier_count(), seconds],
        )
    print(f"data set: {dossier_count():,} dossiers generated in {seconds:.0f} s".replace(",", "."))


@contextmanager
def phase(name: str) -> Iterator[None]:
    """Print how long one phase of building the data set took, so that a phase that stops being
    linear is seen at once (issue [P] 1)."""
    started = time.perf_counter()
    yield
    print(f"  {name}: {time.perf_counter() - started:.1f} s", flush=True)


def _generate() -> None:
    from motcua.demo import loaders

    # The demo's organisation, calendar, catalogue and staff only: not the other apps' demo data.
    with phase("organisation, calendar, catalogue, staff"):
        report = loaders.LoadReport()
        loaders.load_org_units(report)
        loaders.load_calendar(report)
        loaders.load_catalogue(report)
        loaders.load_staff(report, loaders.demo_password())
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {', '.join(DOSSIER_TABLES)} RESTART IDENTITY CASCADE")
    count = dossier_count()
    days = _working_days(max(MIN_WORKING_DAYS, count // PER_WORKING_DAY))
    mix = _mix(days)
    applicants = max(1_000, count // 3)
    with psycopg.connect(raw_dsn()) as conn:
        with phase(f"applicants ({applicants:,})".replace(",", ".")):
            _copy(conn, "dossiers_applicant", APPLICANT_COLUMNS, _applicant_rows(applicants))
        numbers: dict[tuple[int, date], int] = {}
        with phase(f"dossiers and their events ({count:,})".replace(",", ".")):
            _dossiers_copy(conn, count, mix, applicants, numbers)
        _mix_print(mix, numbers, count)
        with phase("daily sequences, identity counters"):
            _copy(conn, "dossiers_dailysequence", SEQUENCE_COLUMNS, _sequence_rows(numbers))
            for table in ("dossiers_applicant", "dossiers_dossier", "dossiers_dossierevent"):
                conn.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'),"
                    f" (SELECT max(id) FROM {table}))"
                )
            conn.commit()
    with phase("vacuum analyze"), connection.cursor() as cursor:
        cursor.execute(f"VACUUM ANALYZE {', '.join(DOSSIER_TABLES)}")


def _dossiers_copy(conn, count: int, mix: Mix, applicants: int, numbers: dict) -> None:
    from motcua.calendars.selectors import working_calendar_for

    rng = random.Random(2026)
    at = timezone.now()
    calendar = working_calendar_for()
    for first in range(1, count + 1, CHUNK):
        ids = range(first, min(count, first + CHUNK - 1) + 1)
        dossiers = [_dossier(pk, rng, calendar, mix, applicants, numbers, at) for pk in ids]
        _copy(conn, "dossiers_dossier", DOSSIER_COLUMNS, (d[0] for d in dossiers))
        _copy(conn, "dossiers_dossierevent", EVENT_COLUMNS, (d[1] for d in dossiers))
        conn.commit()


def _mix_print(mix: Mix, numbers: dict, count: int) -> None:
    """What the data set looks like, printed once: the judicial record's share and the peak day."""
    share = mix.version_weights[-1] and (
        sum(v.weight for v in mix.versions if v.code == JUDICIAL_RECORD) / mix.version_weights[-1]
    )
    busiest = max((n for (unit, day), n in numbers.items() if day == mix.peak_day), default=0)
    print(
        f"  mix: {len(mix.versions)} procedure versions, {JUDICIAL_RECORD} {number(share * 100)} %"
        f" of the dossiers; peak day {mix.peak_day:%d/%m/%Y} (judicial records ×"
        f" {number(mix.peak_factor)}): {number(busiest)} dossiers at its busiest desk,"
        f" {number(count / len(mix.days))} a working day on average",
        flush=True,
    )


def _working_days(count: int) -> list[date]:
    from motcua.calendars.selectors import working_calendar_for

    calendar = working_calendar_for()
    found, day = [], timezone.localdate()
    while len(found) < count:
        if calendar.is_working_day(day):
            found.append(day)
        day -= timedelta(days=1)
    return found[::-1]


def _versions() -> list[Version]:
    """The procedure versions in force today, each weighted by its procedure's share of the seed's
    H1/2023 (a version whose procedure had no dossier then keeps the demo's minimum, 3 in 22.128)."""
    import json

    from motcua.catalog.models import ProcedureVersion
    from motcua.catalog.selectors import in_force_q
    from motcua.demo import dossiers as demo_mix
    from motcua.demo.catalogue_rules import h1_2023_dossier_counts
    from motcua.demo.loaders import CATALOGUE_FILE

    doc = json.loads(CATALOGUE_FILE.read_text(encoding="utf-8"))
    # A procedure of 2023 replaced since (the judicial record's LOCAL-STP-001 by 3.000333 on
    # 01/07/2025) passes its share to its successor; Version.code keeps the 2023 code.
    counts = h1_2023_dossier_counts(doc)
    origin = {_successor(doc, code): code for code in counts}
    versions = ProcedureVersion.objects.filter(
        in_force_q(timezone.localdate()), procedure__is_internal=False
    ).select_related("receiving_unit", "procedure")
    return [
        Version(
            v.pk,
            v.receiving_unit_id,
            v.receiving_unit.code,
            float(v.processing_hours),
            origin.get(v.procedure.code, v.procedure.code),
            float(counts.get(origin.get(v.procedure.code, ""), demo_mix.MIN_PER_PROCEDURE)),
        )
        for v in versions
    ]


def _successor(doc: dict, code: str) -> str:
    """The procedure that carries `code`'s dossiers today: its replacement, and so on."""
    procedures = {p["code"]: p for p in doc["procedures"]}
    for _ in range(10):
        versions = procedures.get(code, {}).get("versions") or [{}]
        following = versions[-1].get("replaced_by")
        if not following or following not in procedures:
            return code
        code = following
    return code


@dataclass
class Mix:
    """What `_dossier` draws from: versions by their H1/2023 weight, days by weekday, and the
    judicial records' own days with the peak day raised (bisect over cumulative weights: one
    random number a draw, linear in the data set)."""

    versions: list[Version]
    version_weights: list[float]
    days: list[date]
    day_weights: list[float]
    judicial_day_weights: list[float]
    peak_day: date
    peak_factor: float

    def version(self, rng: random.Random) -> Version:
        return self.versions[_draw(rng, self.version_weights)]

    def day(self, rng: random.Random, version: Version) -> date:
        weights = self.judicial_day_weights if version.code == JUDICIAL_RECORD else self.day_weights
        return self.days[_draw(rng, weights)]


def _draw(rng: random.Random, cumulative: list[float]) -> int:
    return bisect.bisect_right(cumulative, rng.random() * cumulative[-1])


def _mix(days: list[date]) -> Mix:
    from motcua.calendars.selectors import working_calendar_for
    from motcua.demo import dossiers as demo_mix

    versions = _versions()
    calendar = working_calendar_for()
    h1_days = sum(
        1
        for n in range((demo_mix.LAST_DAY - demo_mix.FIRST_DAY).days + 1)
        if calendar.is_working_day(demo_mix.FIRST_DAY + timedelta(days=n))
    )
    judicial = sum(v.weight for v in versions if v.code == JUDICIAL_RECORD)
    # The H1 count of the judicial record is its procedure's; split over its versions in force.
    judicial_h1 = max(judicial / max(1, sum(v.code == JUDICIAL_RECORD for v in versions)), 1)
    peak_factor = PEAK_PER_DAY / (judicial_h1 / max(h1_days, 1)) if judicial else 1.0
    # The last working day before today (today itself, when a working day, has only begun).
    before_today = [day for day in days if day < timezone.localdate()]
    peak_day = before_today[-1] if before_today else days[-1]
    weekday = [demo_mix.WEEKDAY_FACTOR.get(day.weekday(), 0.6) for day in days]
    judicial_weekday = [
        w * (peak_factor if day == peak_day else 1.0) for w, day in zip(weekday, days, strict=True)
    ]
    return Mix(
        versions,
        list(itertools.accumulate(v.weight for v in versions)),
        days,
        list(itertools.accumulate(weekday)),
        list(itertools.accumulate(judicial_weekday)),
        peak_day,
        peak_factor,
    )


APPLICANT_COLUMNS = (
    "id kind full_name citizen_id tax_code province_code ward_code address_line phone email"
    " created_at updated_at"
).split()


def _applicant_rows(count: int):
    stamp = timezone.now().isoformat()
    for pk in range(1, count + 1):
        # 042 = Hà Tĩnh, then century/gender, birth year, serial: unique for every pk.
        citizen_id = f"042{pk % 2}{50 + pk // 1_000_000:02d}{pk % 1_000_000:06d}"
        name = NAMES[pk % len(NAMES)]
        yield (pk, "person", name, citizen_id, "", "42", "", "Thôn 1", "", "", stamp, stamp)


DOSSIER_COLUMNS = (
    "id code procedure_version_id receiving_unit_id applicant_id applicant_name applicant_address"
    " channel status dossier_sets submitted_at received_at due_at_original due_at rescheduled_at"
    " finished_at returned_at return_channel supplement_requests current_step_id assignee_id"
    " received_by_id imported revision"
).split()
EVENT_COLUMNS = (
    "id dossier_id at actor_id actor_role action from_status to_status step_name unit_id note"
    " due_before due_after"
).split()
SEQUENCE_COLUMNS = ["unit_id", "day", "last_value"]


def _dossier(pk, rng, calendar, mix: Mix, applicants, numbers, at: datetime):
    version = mix.version(rng)
    day = mix.day(rng, version)
    received = timezone.make_aware(datetime(day.year, day.month, day.day, 7, 30)) + timedelta(
        minutes=rng.randrange(9 * 60)
    )
    received = min(received, at - timedelta(minutes=1))
    due = calendar.due(received, version.hours)
    key = (version.unit_id, day)
    numbers[key] = numbers.get(key, 0) + 1
    code = f"{version.unit_code}-{day:%y%m%d}-{numbers[key]:04d}"
    status, finished, returned = _fate(rng, received, due, at)
    applicant = rng.randrange(1, applicants + 1)
    dossier = (
        pk,
        code,
        version.pk,
        version.unit_id,
        applicant,
        NAMES[applicant % len(NAMES)],
        "Thôn 1",
        rng.choice(("desk", "desk", "online", "post")),
        status,
        1,
        received,
        received,
        due,
        None if status in PAUSED else due,
        None,
        finished,
        returned,
        "desk" if returned else "",
        1 if status == "supplement_requested" else 0,
        None,
        None,
        None,
        True,
        0,
    )
    event = (pk, pk, received, None, "", "imported", "", status, "", None, "", None, due)
    return dossier, event


def _fate(rng, received: datetime, due: datetime, at: datetime):
    """(status, finished_at, returned_at) of a dossier given where its due instant lies."""
    if due > at:
        statuses, weights = zip(*OPEN_STATUSES, strict=True)
        status = rng.choices(statuses, weights)[0]
        finished = received + (at - received) * rng.random() if status == "finished" else None
        return status, finished, None
    draw = rng.random()
    finished = received + (due - received) * rng.uniform(0.3, 1.1)
    finished = min(finished, at)
    if draw < 0.93:
        returned = min(finished + timedelta(hours=rng.uniform(0.5, 48)), at)
        return "returned", finished, returned
    if draw < 0.95:
        return "finished", finished, None
    if draw < 0.97:
        return rng.choice(("withdrawn", "stopped", "refused")), finished, None
    return "in_progress", None, None


def _sequence_rows(numbers: dict[tuple[int, date], int]):
    for (unit_id, day), value in numbers.items():
        yield unit_id, day, value


def _copy(conn, table: str, columns: list[str], rows) -> None:
    """COPY in text format, written by hand: several times faster than one write_row per row.

    Columns the generator does not know (added by a later migration) get their model default."""
    extra_columns, extra_values = _defaults(table, columns)
    tail = "".join("\t" + _text(value) for value in extra_values)
    with conn.cursor() as cursor:
        names = ", ".join([*columns, *extra_columns])
        with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            buffer = io.StringIO()
            for count, row in enumerate(rows, start=1):
                buffer.write("\t".join(_text(value) for value in row))
                buffer.write(tail)
                buffer.write("\n")
                if count % 10_000 == 0:
                    copy.write(buffer.getvalue())
                    buffer = io.StringIO()
            copy.write(buffer.getvalue())


def _defaults(table: str, columns: list[str]) -> tuple[list[str], list]:
    from django.apps import apps

    model = next(m for m in apps.get_models() if m._meta.db_table == table)
    extra = [
        f
        for f in model._meta.concrete_fields
        if f.column not in columns and not f.null and not f.primary_key
    ]
    return [f.column for f in extra], [
        f.get_db_prep_save(f.get_default(), connection) for f in extra
    ]


def _text(value) -> str:
    if value is None:
        return "\\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def rollup_ensure() -> None:
    """Bring the indicators rollup up to date before a report is timed, printing what it cost. In
    production the job `indicators-rollup` does it every 5 minutes; a fresh data set (COPY fires
    the triggers) or the migration that installed them leaves every day to build once."""
    from motcua.indicators.rollup import rollup_refresh

    started = time.perf_counter()
    result = rollup_refresh()
    print(f"rollup refresh: {result} in {time.perf_counter() - started:.1f} s")


# Three steps a dossier (desk, specialist, head), as the demo's processes have: written by SQL from
# the dossiers already there, so a data set generated before steps were part of it gains them once.
# The dossiers still without steps are listed first, in a table of their own, and the insert reads
# that list: an insert that anti-joins the table it fills (WHERE NOT EXISTS (… dossierstep …)) is
# planned, on an empty and analysed table, as a nested loop over a sequential scan of that table,
# so each of a million probes reads every row written so far — hours at 1m (issue [P] 1).
STEPS_TODO_SQL = """
CREATE TEMPORARY TABLE bench_steps_todo ON COMMIT DROP AS
SELECT d.id FROM dossiers_dossier d
WHERE NOT EXISTS (SELECT 1 FROM dossiers_dossierstep x WHERE x.dossier_id = d.id)
"""

STEPS_SQL = """
INSERT INTO dossiers_dossierstep
    (dossier_id, "order", name, unit_id, role, budget_hours, assignee_id, started_at, due_at,
     finished_at)
SELECT d.id, s.step_order, s.name, d.receiving_unit_id, s.role, s.hours, s.assignee,
       d.received_at, s.due_at, s.finished_at
FROM bench_steps_todo t
JOIN dossiers_dossier d ON d.id = t.id
CROSS JOIN LATERAL (VALUES
    (1, 'Tiếp nhận', 'desk_officer', 4, %(desk)s, d.received_at + interval '4 hours',
     d.received_at + interval '30 minutes'),
    (2, 'Thẩm định', 'specialist', 32, %(specialist)s, d.due_at - interval '8 hours',
     coalesce(d.finished_at, d.returned_at) - interval '6 hours'),
    (3, 'Phê duyệt', 'division_head', 8, %(head)s, d.due_at, coalesce(d.finished_at, d.returned_at))
) AS s(step_order, name, role, hours, assignee, due_at, finished_at)
"""


STEP_DAYS_SQL = """
INSERT INTO indicators_steprollupdirtyday (day)
SELECT DISTINCT (finished_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date FROM dossiers_dossierstep
WHERE finished_at IS NOT NULL
"""


def steps_ensure() -> None:
    """Give the data set's dossiers their internal process steps (once per database): the report's
    per-step timeliness and officer ratings read them."""
    from motcua.accounts.models import User

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_dataset_steps (scale text PRIMARY KEY, steps bigint"
            " NOT NULL, seconds double precision NOT NULL)"
        )
        cursor.execute("SELECT steps FROM bench_dataset_steps WHERE scale = %s", [scale()])
        found = cursor.fetchone()
    if found:
        return
    users = dict(
        User.objects.filter(username__in=STEP_OFFICERS.values()).values_list("username", "pk")
    )
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        # Rows made from rows already there cannot break a foreign key: skip the per-row checks
        # (at 10m, 30 million rows × 3 keys took longer than the insert) and, as they go with
        # them, the triggers — so the finish days are marked for the step rollup here.
        cursor.execute("SET LOCAL session_replication_role = replica")
        with phase("steps: dossiers without steps listed"):
            cursor.execute(STEPS_TODO_SQL)
            cursor.execute("ANALYZE bench_steps_todo")
        with phase("steps: written"):
            cursor.execute(
                STEPS_SQL, {role: users.get(name) for role, name in STEP_OFFICERS.items()}
            )
            written = cursor.rowcount
        with phase("steps: finish days marked for the rollup"):
            cursor.execute(STEP_DAYS_SQL)
        cursor.execute(
            "INSERT INTO bench_dataset_steps VALUES (%s, %s, %s)",
            [scale(), written, time.perf_counter() - started],
        )
    print(f"steps: {written:,} written in {time.perf_counter() - started:.0f} s".replace(",", "."))


STEP_OFFICERS = {"desk": "motcua.ttpvhcc", "specialist": "cv.hcbttp", "head": "tp.hcbttp"}
