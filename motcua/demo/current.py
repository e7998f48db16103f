"""Today's work: the dossiers a living department has in hand when someone opens the demo.

The H1/2023 dossiers reproduce the seed report and all ended by August 2023. A worklist opened
today must show what a desk and its divisions have now: dossiers received over the last three
weeks, at different points of their processing, a few due soon and a few late. They are not
imported: each one is received, assigned, appraised, signed and returned through the real services,
replayed at the instant it happened (core.clock.replaying_at), so their steps, history, notices and
deadlines are exactly what the services write.

Only procedures in force today whose internal process runs in units that have demo staff are used
(the judicial-record procedures moved to Công an tỉnh in 2025, which has no demo staff)."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction

from motcua.core.clock import now, replaying_at
from motcua.dossiers.models import ChannelKind, Dossier
from motcua.dossiers.workflow import STATUS_LABELS, Status

SEED = 2026
WORKING_DAYS = 15  # how far back today's load reaches
PER_DAY = (5, 11)  # dossiers received a working day, for the procedures with demo staff
LATE = 3  # dossiers that a specialist has let run past their appointment
# Each later move happens at this share of the time between reception and the appointment (with
# some spread), so a dossier received long ago is further along than one received this morning.
MOVES = (
    ("assign", 0.05),
    ("complete_step", 0.45),
    ("submit_for_signature", 0.6),
    ("approve", 0.8),
    ("return_result", 0.9),
)


@dataclass
class _Planned:
    procedure: str
    desk: object
    received: datetime
    name: str
    citizen_id: str
    phone: str
    late: bool = False


def current_load_present() -> bool:
    """Some dossier was received through the services in the weeks before today (the other apps'
    demo dossiers are received at load time, so they do not count)."""
    since, before = now() - timedelta(days=WORKING_DAYS * 2), now() - timedelta(days=1)
    return Dossier.objects.filter(
        imported=False, received_at__gte=since, received_at__lt=before
    ).exists()


def current_load(stdout=None) -> str:
    """Receive and move today's load unless it is there; a line for the command's output."""
    if current_load_present():
        return "Hồ sơ đang giải quyết hiện nay: đã có, không nạp lại."
    staff = _staff()
    plan = _plan(staff, random.Random(SEED))
    counts: dict[str, int] = {}
    for planned in plan:
        with transaction.atomic():
            status = _live(planned, staff, random.Random(planned.citizen_id))
        counts[status] = counts.get(status, 0) + 1
    shown = ", ".join(f"{status} {n}" for status, n in sorted(counts.items()))
    return f"Hồ sơ đang giải quyết hiện nay: {len(plan)} hồ sơ nhận trong 3 tuần qua ({shown})."


def _staff() -> dict:
    from motcua.accounts.models import User

    users = {u.username: u for u in User.objects.filter(username__in=_ACTORS)}
    return {
        "desk": users["motcua.ttpvhcc"],
        "legal_aid_desk": users["motcua.tgpl"],
        "heads": {u.unit_id: u for u in users.values() if u.role == "division_head"},
        "specialists": {u.unit_id: u for u in users.values() if u.role == "specialist"},
        "leader": users["lanhdao.so"],
    }


_ACTORS = (
    "motcua.ttpvhcc", "motcua.tgpl", "lanhdao.so", "tp.hcbttp", "cv.hcbttp", "tp.xdkt", "cv.xdkt",
    "gd.tgpl", "cv.tgpl",
)  # fmt: skip


def _procedures(staff) -> list[tuple[str, object]]:
    """(code, desk officer) of the procedures in force today that the demo staff can carry through:
    a process with steps, each in the desk's unit, a division with a head and a specialist, or the
    leader's."""
    from motcua.catalog.selectors import versions_in_force

    desks = {staff["desk"].unit_id: staff["desk"], staff["legal_aid_desk"].unit_id: staff["legal_aid_desk"]}  # fmt: skip
    chosen = []
    for version in versions_in_force().prefetch_related("steps").select_related("procedure"):
        desk = desks.get(version.receiving_unit_id)
        steps = list(version.steps.all())
        units = {step.unit_id for step in steps}
        divisions = units - {desk.unit_id if desk else None, staff["leader"].unit_id}
        staffed = divisions <= set(staff["specialists"]) and divisions <= set(staff["heads"])
        if desk and steps and divisions and staffed:
            chosen.append((version.procedure.code, desk))
    return chosen


def _plan(staff, rng: random.Random) -> list[_Planned]:
    from motcua.calendars.selectors import working_calendar_for

    procedures = _procedures(staff)
    if not procedures:
        return []
    calendar = working_calendar_for(None)
    today = now().date()
    days: list[date] = []
    day = today
    while len(days) < WORKING_DAYS:
        if calendar.is_working_day(day):
            days.append(day)
        day -= timedelta(days=1)
    plan: list[_Planned] = []
    for day in sorted(days):
        opening = calendar.position(datetime.combine(day, time(7, 30), tzinfo=calendar.tz))
        for _ in range(rng.randint(*PER_DAY)):
            received = calendar.instant_at(
                opening + rng.randrange(0, calendar.day_minutes - 30), closing_side=False
            )
            if received >= now():
                continue
            code, desk = rng.choice(procedures)
            number = len(plan)
            plan.append(
                _Planned(
                    procedure=code, desk=desk, received=received, name=_name(rng),
                    citizen_id=f"0421{rng.randint(60, 99)}3{number:05d}",
                    phone=f"09{rng.randint(10, 99)}{rng.randint(100000, 999999)}",
                )
            )  # fmt: skip
    for planned in plan[:LATE]:  # the oldest: their appointment has passed
        planned.late = True
    return plan


def _name(rng: random.Random) -> str:
    from motcua.demo.dossiers import FAMILY, GIVEN, MIDDLE

    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def _live(planned: _Planned, staff, rng: random.Random) -> str:
    """Receive the dossier at its instant, then make each move whose time has come."""
    from motcua.dossiers.services import (
        ApplicantData,
        ComponentData,
        IntakeData,
        dossier_act,
        dossier_receive,
    )

    version = _version(planned.procedure)
    data = IntakeData(
        procedure_code=planned.procedure,
        applicant=ApplicantData(
            full_name=planned.name, citizen_id=planned.citizen_id, phone=planned.phone,
            province_code="42", address_line="Thành phố Hà Tĩnh",
        ),
        components=[ComponentData(c.name, "original", c.count or 1) for c in version.components.all()],
        return_channel=rng.choice([ChannelKind.DESK, ChannelKind.DESK, ChannelKind.POST]),
    )  # fmt: skip
    with replaying_at(planned.received):
        dossier = dossier_receive(planned.desk, data)
    received, due = planned.received, dossier.due_at
    assert due is not None  # a dossier just received has its appointment
    span = due - received
    moves = MOVES[:1] if planned.late else MOVES
    for action, share in moves:
        at = received + span * min(share + rng.uniform(-0.05, 0.05), 0.98)
        if at >= now():
            break
        actor, params = _actor_for(action, dossier, staff, planned)
        if not _allowed(action, dossier, actor, params):
            continue  # e.g. no step to complete: the appraisal is the last step before signing
        with replaying_at(at):
            dossier = dossier_act(
                actor, dossier.pk, action, expected_revision=dossier.revision, **params
            )
    return STATUS_LABELS[Status(dossier.status)]


def _allowed(action: str, dossier: Dossier, actor, params: dict) -> bool:
    """Whether the workflow's guard lets this move happen now (dossiers.guards, one registry)."""
    from django.core.exceptions import ValidationError

    from motcua.dossiers.guards import guard_check
    from motcua.dossiers.workflow import transition_for

    try:
        guard_check(transition_for(action), dossier, actor, params)
    except ValidationError:
        return False
    return True


def _version(code: str):
    from motcua.catalog.selectors import version_in_force

    return version_in_force(code)


def _actor_for(action: str, dossier: Dossier, staff, planned: _Planned):
    # The division whose specialist appraises the dossier (its head assigns and submits it).
    step_unit = next(
        s.unit_id for s in dossier.procedure_version.steps.all() if s.role == "specialist"
    )
    if action == "assign":
        head = staff["heads"][step_unit]
        return head, {"assignee_id": staff["specialists"][step_unit].pk}
    if action == "complete_step":
        return staff["specialists"][step_unit], {}
    if action == "submit_for_signature":  # whoever holds the last step before signing
        current = dossier.current_step if dossier.current_step_id else None
        submitter = (
            "specialists" if current is not None and current.role == "specialist" else "heads"
        )
        return staff[submitter][step_unit], {}
    if action == "approve":
        return staff["leader"], {}
    return planned.desk, {}
