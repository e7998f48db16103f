"""Issue [H] 2: desk intake through the service layer against a raw loop writing the same rows.

`dossier_receive` (code, deadline, steps, history; the applicant is a returning one, without phone
or e-mail, so no notification is queued) in one process and in two in parallel, each at the same
desk, against a raw psycopg loop that writes the same rows in one transaction per dossier: update
the applicant, take the daily number (insert-if-missing, then increment under the row lock), insert
the dossier, its components and steps (the first started), point the dossier at its step, insert
the history event, commit. The raw loop and the service loop take turns (three rounds in one
process; one round at `small`, two at 1m/10m, in two processes), so that a change in the
machine's load touches both. The dossiers are received on days
in 2058 and deleted at the end.
"""

import multiprocessing
import os
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import psycopg
from django.db import connection
from django.utils import timezone

from bench.data import _defaults, raw_dsn
from bench.harness import by_scale, number, record, target

DESK_USERNAME = "motcua.ttpvhcc"
FIRST_DAY = date(2058, 3, 4)  # a Monday; every run takes its own day so numbers never collide
FAR_DAYS = "2058-01-01"


@dataclass
class Desk:
    actor_id: int
    unit_id: int
    unit_code: str
    procedure_code: str
    version_id: int
    hours: float
    components: list[tuple[str, str, int]]
    steps: list[tuple[int, str, int | None, str, str]]  # order, name, unit, role, budget hours
    citizen_ids: list[str]


def main() -> None:
    desk = _desk()
    try:
        # One process: three rounds of raw then service. Two processes: fewer, longer rounds, as
        # starting two Django processes costs seconds.
        raw_one, service_one = _alternate(desk, 1, rounds=3, seconds=by_scale(1, 5))
        raw_two, service_two = _alternate(desk, 2, rounds=by_scale(1, 2), seconds=by_scale(3, 8))
    finally:
        _clean()
    for label, value in (
        ("raw loop, 1 process", raw_one),
        ("service, 1 process", service_one),
        ("raw loop, 2 processes", raw_two),
        ("service, 2 processes", service_two),
    ):
        print(f"{label}: {number(value)} dossiers/s")
    record(
        "2 desk intake, 1 process",
        service_one,
        "dossiers/s",
        raw_one,
        "raw loop",
        min_ratio=target("intake_one_min_ratio"),
    )
    record(
        "2 desk intake, 2 processes",
        service_two,
        "dossiers/s",
        raw_two,
        "raw loop ×2",
        min_ratio=target("intake_two_min_ratio"),
    )


def _desk() -> Desk:
    from motcua.accounts.models import User
    from motcua.catalog.models import ProcedureVersion
    from motcua.catalog.selectors import in_force_q

    actor = User.objects.select_related("unit").get(username=DESK_USERNAME)
    version = (
        ProcedureVersion.objects.filter(
            in_force_q(FIRST_DAY),
            receiving_unit=actor.unit,
            procedure__is_internal=False,
            steps__isnull=False,
            intake_desk=True,
            return_desk=True,
        )
        .select_related("procedure")
        .order_by("pk")
        .first()
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT citizen_id FROM dossiers_applicant ORDER BY id LIMIT 1000")
        citizen_ids = [row[0] for row in cursor.fetchall()]
        # The returning applicants are on record under the name both loops type: an ID number
        # that comes with another name is a conflict the desk must settle ([K] 2), not a reception.
        cursor.execute(
            "UPDATE dossiers_applicant SET full_name = %s WHERE citizen_id = ANY(%s)",
            ["Nguyễn Thị Hương", citizen_ids],
        )
    return Desk(
        actor_id=actor.pk,
        unit_id=actor.unit_id,
        unit_code=actor.unit.code,
        procedure_code=version.procedure.code,
        version_id=version.pk,
        hours=float(version.processing_hours),
        components=[(c.name, c.form, c.count) for c in version.components.all() if c.mandatory],
        steps=[
            (s.order, s.name, s.unit_id, s.role, str(s.budget_hours))
            for s in version.steps.order_by("order")
        ],
        citizen_ids=citizen_ids,
    )


def _instants(day_offset: int, worker: int):
    """Reception instants a minute apart within office hours of the run's own day."""
    day = FIRST_DAY + timedelta(days=7 * day_offset)
    start = timezone.make_aware(datetime(day.year, day.month, day.day, 8, 0))
    index = 0
    while True:
        yield start + timedelta(seconds=index * 2 + worker)
        index += 1


def _alternate(desk: Desk, processes: int, *, rounds: int, seconds: float):
    """(raw, service) dossiers per second, the two loops taking turns `rounds` times."""
    totals = {"raw": [0, 0.0], "service": [0, 0.0]}
    day = 0 if processes == 1 else 2  # each loop numbers on its own day
    for _ in range(rounds):
        for name, worker, offset in (("raw", _raw_worker, 0), ("service", _service_worker, 1)):
            done, elapsed = _parallel(worker, desk, processes, seconds, day=day + offset)
            totals[name][0] += done
            totals[name][1] += elapsed
    return tuple(done / elapsed for done, elapsed in totals.values())


def _parallel(worker, desk: Desk, processes: int, seconds: float, *, day: int):
    """(dossiers, seconds) of `processes` copies of `worker`, all started together."""
    if processes == 1:
        return worker(desk, seconds, day, 0, None)
    context = multiprocessing.get_context("spawn")
    barrier, results = context.Barrier(processes), context.Queue()
    children = [
        context.Process(target=_child, args=(worker, desk, seconds, day, i, barrier, results))
        for i in range(processes)
    ]
    for child in children:
        child.start()
    counts = [results.get(timeout=seconds + 120) for _ in children]
    for child in children:
        child.join()
    return sum(done for done, _ in counts), max(elapsed for _, elapsed in counts)


def _child(worker, desk, seconds, day, index, barrier, results) -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    django.setup()
    results.put(worker(desk, seconds, day, index, barrier))


def _service_worker(desk: Desk, seconds: float, day: int, index: int, barrier):
    from motcua.accounts.models import User
    from motcua.calendars.selectors import working_calendar_for
    from motcua.dossiers.services import ApplicantData, ComponentData, IntakeData, dossier_receive

    actor = User.objects.select_related("unit").get(pk=desk.actor_id)
    working_calendar_for(actor.unit)  # built once per process, before the clock starts (as raw)
    components = [ComponentData(name, form, count) for name, form, count in desk.components]
    instants = _instants(day, index)
    if barrier is not None:
        barrier.wait()
    done, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        citizen_id = desk.citizen_ids[(done * 2 + index) % len(desk.citizen_ids)]
        data = IntakeData(
            procedure_code=desk.procedure_code,
            applicant=ApplicantData(
                full_name="Nguyễn Thị Hương", citizen_id=citizen_id, address_line="Thôn 1"
            ),
            components=components,
        )
        dossier_receive(actor, data, received_at=next(instants))
        done += 1
    return done, time.perf_counter() - started


def _raw_worker(desk: Desk, seconds: float, day: int, index: int, barrier):
    from motcua.calendars.selectors import working_calendar_for

    calendar = working_calendar_for()
    extra_columns, extra_values = _defaults("dossiers_dossier", RAW_DOSSIER_COLUMNS)
    insert_dossier = (
        f"INSERT INTO dossiers_dossier ({', '.join(RAW_DOSSIER_COLUMNS + extra_columns)}) VALUES"
        f" ({', '.join(['%s'] * (len(RAW_DOSSIER_COLUMNS) + len(extra_columns)))}) RETURNING id"
    )
    instants = _instants(day, index)
    with psycopg.connect(raw_dsn()) as conn:
        if barrier is not None:
            barrier.wait()
        done, started = 0, time.perf_counter()
        while time.perf_counter() - started < seconds:
            citizen_id = desk.citizen_ids[(done * 2 + index) % len(desk.citizen_ids)]
            at = next(instants)
            _raw_one(conn, desk, calendar, insert_dossier, extra_values, citizen_id, at)
            done += 1
        return done, time.perf_counter() - started


RAW_DOSSIER_COLUMNS = (
    "code procedure_version_id receiving_unit_id applicant_id applicant_name applicant_address"
    " channel status dossier_sets submitted_at received_at due_at_original due_at return_channel"
    " supplement_requests received_by_id imported revision"
).split()


def _raw_one(conn, desk, calendar, insert_dossier, extra_values, citizen_id, at) -> None:
    due = calendar.due(at, desk.hours)
    day = timezone.localtime(at).date()
    with conn.transaction(), conn.cursor() as cursor:
        applicant_id = cursor.execute(
            "UPDATE dossiers_applicant SET full_name = %s, address_line = %s, updated_at = now()"
            " WHERE citizen_id = %s RETURNING id",
            ["Nguyễn Thị Hương", "Thôn 1", citizen_id],
        ).fetchone()[0]
        cursor.execute(
            "INSERT INTO dossiers_dailysequence (unit_id, day, last_value) VALUES (%s, %s, 0)"
            " ON CONFLICT DO NOTHING",
            [desk.unit_id, day],
        )
        number = cursor.execute(
            "UPDATE dossiers_dailysequence SET last_value = last_value + 1"
            " WHERE unit_id = %s AND day = %s RETURNING last_value",
            [desk.unit_id, day],
        ).fetchone()[0]
        code = f"{desk.unit_code}-{day:%y%m%d}-{number:04d}"
        dossier_id = cursor.execute(
            insert_dossier,
            [
                code,
                desk.version_id,
                desk.unit_id,
                applicant_id,
                "Nguyễn Thị Hương",
                "Thôn 1",
                "desk",
                "received",
                1,
                at,
                at,
                due,
                due,
                "desk",
                0,
                desk.actor_id,
                False,
                0,
                *extra_values,
            ],
        ).fetchone()[0]
        if desk.components:
            cursor.executemany(
                'INSERT INTO dossiers_dossiercomponent (dossier_id, "order", name, form, count)'
                " VALUES (%s, %s, %s, %s, %s)",
                [(dossier_id, i, *c) for i, c in enumerate(desk.components, start=1)],
            )
        step_ids = []
        for order, name, unit_id, role, hours in desk.steps:
            first = not step_ids
            step_ids.append(
                cursor.execute(
                    'INSERT INTO dossiers_dossierstep (dossier_id, "order", name, unit_id, role,'
                    " budget_hours, assignee_id, started_at, due_at) VALUES"
                    " (%s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING id",
                    [
                        dossier_id,
                        order,
                        name,
                        unit_id,
                        role,
                        hours,
                        desk.actor_id if first else None,
                        at if first else None,
                        calendar.due(at, float(hours)) if first else None,
                    ],
                ).fetchone()[0]
            )
        cursor.execute(
            "UPDATE dossiers_dossier SET current_step_id = %s WHERE id = %s",
            [step_ids[0], dossier_id],
        )
        cursor.execute(
            "INSERT INTO dossiers_dossierevent (dossier_id, at, actor_id, actor_role, action,"
            " from_status, to_status, step_name, unit_id, note, due_after) VALUES"
            " (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
            [
                dossier_id,
                at,
                desk.actor_id,
                "desk_officer",
                "received",
                "",
                "received",
                desk.steps[0][1],
                desk.unit_id,
                "Tiếp nhận qua kênh trực tiếp",
                due,
            ],
        )


def _clean() -> None:
    """Delete what the runs wrote (raw SQL: history is append-only through the ORM)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE bench_gone AS SELECT id FROM dossiers_dossier WHERE received_at >= %s",
            [FAR_DAYS],
        )
        cursor.execute(
            "UPDATE dossiers_dossier SET current_step_id = NULL WHERE id IN (SELECT id FROM bench_gone)"
        )
        cursor.execute(
            "DELETE FROM dossiers_dossierchangedelivery WHERE change_id IN (SELECT id FROM"
            " dossiers_dossierchangerecord WHERE dossier_id IN (SELECT id FROM bench_gone))"
        )
        for table in (
            "dossiers_dossierchangerecord",
            "dvcqg_dossiersync",
            "dossiers_dossierevent",
            "dossiers_dossierstep",
            "dossiers_dossiercomponent",
        ):
            cursor.execute(f"DELETE FROM {table} WHERE dossier_id IN (SELECT id FROM bench_gone)")
        cursor.execute("DELETE FROM dossiers_dossier WHERE id IN (SELECT id FROM bench_gone)")
        cursor.execute("DELETE FROM dossiers_dailysequence WHERE day >= %s", [FAR_DAYS])
        cursor.execute("DROP TABLE bench_gone")
