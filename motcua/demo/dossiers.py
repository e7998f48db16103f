"""The demo's dossiers: Sở Tư pháp Hà Tĩnh, H1/2023, reproducing the seed report's figures.

22.128 dossiers received on the working days of 01/01–30/06/2023 (the calendar's days, làm bù
included, Tết 20–26/01 off), in office hours, for the procedures in force then; 1.937 online, 2.512
by post, the rest at the desk; 21.241 finished by 30/06/2023, every one early or on time; 887 still
in progress; 9.740 results returned by post. Judicial records dominate; January dips around Tết.
The seed's "xin cấp Phiếu lý lịch tư pháp để xuất khẩu lao động, nộp hồ sơ xin việc … từ 200-300
hồ sơ/ngày" (III.3) is shaped as a rush of LABOUR_EXPORT_RUSH (27/02–31/03/2023): the demo's
reading, not a date the seed gives, of people getting their papers ready after Tết for the year's
labour-export recruitment. It moves dossiers between days only: every total above stays exact.

Generated deterministically (a seeded random generator) and written through the bulk import path
(motcua.dossiers.importing.dossiers_import — the `motcua dossiers import` format), then given their
lifecycle history (received, assigned, approved, returned) as append-only events. Idempotent: when
the 22.128 dossiers are there, nothing is written.
"""

from __future__ import annotations

import bisect
import csv
import io
import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from motcua.dossiers.models import ChannelKind, Dossier, DossierEvent
from motcua.dossiers.workflow import Status

SEED = 2023
FIRST_DAY, LAST_DAY = date(2023, 1, 1), date(2023, 6, 30)
TOTAL, ONLINE, POST = 22_128, 1_937, 2_512
RESOLVED, RETURNED_POST = 21_241, 9_740
IN_PROGRESS = TOTAL - RESOLVED  # 887
CENTRE, LEGAL_AID = "000.00.40.H27", "000.06.12.H27"
# Fields the seed names for online dossiers: lý lịch tư pháp, hộ tịch, đấu giá, luật sư, công chứng.
ONLINE_FIELDS = {"LLTP", "HT", "DGTS", "LS", "CC"}
# Share of the dossiers by procedure code, else by field (split evenly over its procedures).
SHARE_BY_CODE = {
    "LOCAL-STP-001": 0.720,  # Phiếu lý lịch tư pháp for citizens: 200–300 a day (seed III.3)
    "LOCAL-STP-002": 0.030,
    "LOCAL-STP-003": 0.005,
    "2.000635": 0.065,  # copies of civil-status extracts
    "2.002516": 0.015,
    "2.000908": 0.025,  # certified copies from the original register
}
SHARE_BY_FIELD = {
    "HT": 0.006, "TGPL": 0.015, "QT": 0.012, "LS": 0.009, "CC": 0.012, "DGTS": 0.003,
    "GDTP": 0.003, "TPL": 0.004, "HGTM": 0.002, "TTTM": 0.002, "TVPL": 0.002, "NCN": 0.003,
    "BTNN": 0.001, "QTV": 0.001, "HTPLDN": 0.001,
}  # fmt: skip
MIN_PER_PROCEDURE = 3
JUDICIAL_RECORD_CITIZENS = "LOCAL-STP-001"
# People who came back for a second Phiếu lý lịch tư pháp (a new job, a second employer abroad).
REPEAT_APPLICANTS, REPEAT_FROM = 1_000, date(2023, 2, 15)
MONTH_FACTOR = {1: 0.85, 2: 0.95, 3: 1.05, 4: 1.0, 5: 1.1, 6: 1.05}
WEEKDAY_FACTOR = {0: 1.15, 1: 1.0, 2: 1.0, 3: 1.0, 4: 0.9, 5: 0.6}
# The weeks whose days weigh LABOUR_EXPORT_RUSH_FACTOR more: their judicial-record days come to
# 200–250, the busiest tenth of the half-year's days (measured; 189 at most without the rush).
LABOUR_EXPORT_RUSH = (date(2023, 2, 27), date(2023, 3, 31))
LABOUR_EXPORT_RUSH_FACTOR = 1.5
FAMILY = "Nguyễn Trần Lê Phạm Hoàng Phan Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Thái Đinh".split()
MIDDLE = "Văn Thị Hữu Đức Minh Thanh Ngọc Quang Xuân Thu Hồng Kim".split()
GIVEN = "An Bình Cường Dũng Giang Hà Hải Hạnh Hiếu Hoa Hùng Hương Khánh Lan Linh Long Mai Nam "\
    "Nga Ngọc Phúc Phương Quân Quỳnh Sơn Tâm Thảo Thắng Trang Trung Tuấn Vân Việt Yến".split()  # fmt: skip


@dataclass
class _Dossier:
    code: str
    procedure: str
    unit: str
    received: datetime
    due: datetime
    channel: str = ChannelKind.DESK
    return_channel: str = ChannelKind.DESK
    finished: datetime | None = None
    returned: datetime | None = None
    supplements: int = 0
    name: str = ""
    applicant_id: str = ""


def demo_dossiers_present() -> bool:
    start = datetime.combine(FIRST_DAY, time.min, tzinfo=timezone.get_current_timezone())
    end = datetime.combine(LAST_DAY + timedelta(days=1), time.min, tzinfo=start.tzinfo)
    return (
        Dossier.objects.filter(imported=True, received_at__gte=start, received_at__lt=end).count()
        >= TOTAL
    )


def demo_dossiers_load(stdout=None) -> str:
    """Load the 22.128 dossiers unless they are there; returns a line for the command's output."""
    from motcua.dossiers.importing import dossiers_import

    if demo_dossiers_present():
        return "Hồ sơ 6 tháng đầu năm 2023: đã có, không nạp lại."
    dossiers = demo_dossier_plan()
    with transaction.atomic():
        result = dossiers_import(None, io.StringIO(demo_csv(dossiers)))
        _history_add(dossiers)
    return f"Hồ sơ 6 tháng đầu năm 2023: {result}"


# --- the plan -----------------------------------------------------------------------------------


def demo_dossier_plan() -> list[_Dossier]:
    """Every dossier, deterministic for a given catalogue and calendar."""
    from motcua.calendars.selectors import working_calendar_for

    rng = random.Random(SEED)
    calendar = working_calendar_for(None)
    versions = _versions()
    days = [d for d in _days() if calendar.is_working_day(d)]
    per_day = _allocate(TOTAL, [_day_weight(d) for d in days])
    per_procedure = _procedure_counts(versions)
    procedures = [code for code, n in per_procedure.items() for _ in range(n)]
    rng.shuffle(procedures)
    dossiers: list[_Dossier] = []
    sequence: dict[tuple[str, date], int] = defaultdict(int)
    index = 0
    for day, count in zip(days, per_day, strict=True):
        opening = calendar.position(datetime.combine(day, time(7, 30), tzinfo=calendar.tz))
        # Receptions spread over the day's office time, the last half hour left for closing.
        offsets = sorted(rng.randrange(0, calendar.day_minutes - 30) for _ in range(count))
        for offset in offsets:
            code = procedures[index]
            index += 1
            version = versions[code]
            received = calendar.instant_at(opening + offset, closing_side=False)
            unit = version["receiving_unit"]
            sequence[(unit, day)] += 1
            dossiers.append(
                _Dossier(
                    code=f"{unit}-{day:%y%m%d}-{sequence[(unit, day)]:04d}",
                    procedure=code,
                    unit=unit,
                    received=received,
                    due=calendar.due(received, version["hours"]),
                    name=f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}",
                )
            )
    _channels_assign(dossiers, versions, rng)
    _outcomes_assign(dossiers, calendar, rng)
    # A generator of its own: the figures above stay exactly what they were before applicants had
    # identification numbers.
    _applicants_assign(dossiers, random.Random(SEED + 1))
    return dossiers


def _days():
    day = FIRST_DAY
    while day <= LAST_DAY:
        yield day
        day += timedelta(days=1)


def _day_weight(day: date) -> float:
    weight = MONTH_FACTOR[day.month] * WEEKDAY_FACTOR.get(day.weekday(), 0.6)
    if date(2023, 1, 9) <= day <= date(2023, 1, 19):
        weight *= 1.15  # papers wanted before Tết
    if date(2023, 1, 27) <= day <= date(2023, 2, 3):
        weight *= 0.45  # the week after Tết
    if LABOUR_EXPORT_RUSH[0] <= day <= LABOUR_EXPORT_RUSH[1]:
        weight *= LABOUR_EXPORT_RUSH_FACTOR  # papers for the labour-export season (seed III.3)
    return weight


def _allocate(total: int, weights: list[float]) -> list[int]:
    """Integers proportional to `weights` summing exactly to `total` (largest remainders)."""
    scale = total / sum(weights)
    raw = [w * scale for w in weights]
    counts = [int(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: raw[i] - counts[i], reverse=True)
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _versions() -> dict[str, dict]:
    """The public procedures in force for the whole of H1/2023, received by the Sở's desks."""
    from motcua.catalog.models import ProcedureVersion
    from motcua.catalog.selectors import in_force_q

    found = {}
    for version in (
        ProcedureVersion.objects.filter(in_force_q(FIRST_DAY) & in_force_q(LAST_DAY))
        .filter(procedure__is_internal=False, receiving_unit__code__in=[CENTRE, LEGAL_AID])
        .select_related("procedure", "field", "receiving_unit")
        .order_by("procedure__code")
    ):
        found[version.procedure.code] = {
            "field": version.field.code,
            "receiving_unit": version.receiving_unit.code,
            "hours": float(version.processing_hours),
            "online": version.intake_online and version.field.code in ONLINE_FIELDS,
            "post": version.intake_post,
        }
    return found


def _procedure_counts(versions: dict[str, dict]) -> dict[str, int]:
    by_field: dict[str, list[str]] = defaultdict(list)
    for code, version in versions.items():
        if code not in SHARE_BY_CODE:
            by_field[version["field"]].append(code)
    weights = {}
    for code in versions:
        if code in SHARE_BY_CODE:
            weights[code] = SHARE_BY_CODE[code]
        else:
            field = versions[code]["field"]
            weights[code] = SHARE_BY_FIELD.get(field, 0.001) / len(by_field[field])
    codes = sorted(weights)
    spare = TOTAL - MIN_PER_PROCEDURE * len(codes)
    counts = _allocate(spare, [weights[c] for c in codes])
    return {code: n + MIN_PER_PROCEDURE for code, n in zip(codes, counts, strict=True)}


def _channels_assign(dossiers: list[_Dossier], versions: dict, rng: random.Random) -> None:
    """1.937 online among the online fields' procedures; 2.512 by post among the postal ones,
    at least one for each postal procedure (the seed's 14/14)."""
    online_pool = [d for d in dossiers if versions[d.procedure]["online"]]
    for dossier in rng.sample(online_pool, ONLINE):
        dossier.channel = ChannelKind.ONLINE
    post_pool = [
        d for d in dossiers if versions[d.procedure]["post"] and d.channel == ChannelKind.DESK
    ]
    chosen: list[_Dossier] = []
    for code in sorted({d.procedure for d in post_pool}):
        chosen.append(next(d for d in post_pool if d.procedure == code))
    taken = {id(d) for d in chosen}
    rest = [d for d in post_pool if id(d) not in taken]
    chosen += rng.sample(rest, POST - len(chosen))
    for dossier in chosen:
        dossier.channel = ChannelKind.POST


def _outcomes_assign(dossiers: list[_Dossier], calendar, rng: random.Random) -> None:
    """887 in progress (the latest receptions whose appointment falls after 30/06); every other
    dossier finished between reception and min(appointment, 30/06 17:30) — so early or on time —
    and returned; 9.740 results by post, postal intakes first."""
    period_close = datetime.combine(LAST_DAY, time(17, 30), tzinfo=calendar.tz)
    open_candidates = [d for d in dossiers if d.due > period_close]
    open_ids = {id(d) for d in open_candidates[-IN_PROGRESS:]}
    resolved = [d for d in dossiers if id(d) not in open_ids]
    close_position = calendar.position(period_close)
    for dossier in resolved:
        start = calendar.position(dossier.received)
        end = min(calendar.position(dossier.due), close_position)
        # Most results are ready a few days early; some on the appointment day.
        share = rng.betavariate(5, 2)
        finished_at = int(start + max(1, (end - start) * share))
        dossier.finished = calendar.instant_at(min(finished_at, int(end)), closing_side=True)
        returned_at = calendar.position(dossier.finished) + rng.randrange(15, 8 * 60)
        dossier.returned = calendar.instant_at(returned_at, closing_side=True)
        if rng.random() < 0.02:
            dossier.supplements = 1
    _finished_after_the_period(
        [d for d in dossiers if id(d) in open_ids],
        close_position,
        calendar,
        random.Random(SEED + 2),
    )
    by_post = [d for d in resolved if d.channel == ChannelKind.POST]
    others = [d for d in resolved if d.channel != ChannelKind.POST]
    by_post += rng.sample(others, RETURNED_POST - len(by_post))
    post_ids = {id(d) for d in by_post}
    for dossier in dossiers:
        if id(dossier) in post_ids:
            dossier.return_channel = ChannelKind.POST
        elif dossier.channel == ChannelKind.ONLINE:
            dossier.return_channel = ChannelKind.ONLINE
        elif id(dossier) in open_ids:
            dossier.return_channel = rng.choice([ChannelKind.DESK, ChannelKind.POST])


def _finished_after_the_period(open_dossiers, close_position, calendar, rng) -> None:
    """The 887 dossiers still in progress at 30/06/2023 were finished in the following weeks, each
    before its appointment, and returned: the H1 report still counts them in progress (they ended
    after its period), and today's worklists do not show them 3 years overdue. Their own
    generator, so the H1 figures above stay exactly what they were."""
    for dossier in open_dossiers:
        start = max(calendar.position(dossier.received), close_position)
        end = calendar.position(dossier.due)
        finished_at = int(start + max(1, (end - start) * rng.betavariate(5, 2)))
        dossier.finished = calendar.instant_at(min(finished_at, int(end)), closing_side=True)
        returned_at = calendar.position(dossier.finished) + rng.randrange(15, 8 * 60)
        dossier.returned = calendar.instant_at(returned_at, closing_side=True)


def _applicants_assign(dossiers: list[_Dossier], rng: random.Random) -> None:
    """Every applicant a personal identification number (invented, Hà Tĩnh's province code 042,
    the six last digits 2xxxxx so they never meet the other demos' 0001xx), and REPEAT_APPLICANTS
    people who asked for a Phiếu lý lịch tư pháp twice: the later dossier is theirs again (same name
    and number, at least three weeks later), so that it can reuse the papers digitised the first
    time (motcua/demo/digital.py)."""
    for number, dossier in enumerate(dossiers):
        birth_year = rng.randint(1965, 2004)
        gender_century = rng.randint(0, 1) + (2 if birth_year >= 2000 else 0)
        dossier.applicant_id = f"042{gender_century}{birth_year % 100:02d}2{number:05d}"
    citizens = [d for d in dossiers if d.procedure == JUDICIAL_RECORD_CITIZENS]
    later = sorted(
        rng.sample([d for d in citizens if d.received.date() >= REPEAT_FROM], REPEAT_APPLICANTS),
        key=lambda d: d.received,
    )
    taken = {id(d) for d in later}
    moments = [d.received for d in citizens]  # the plan is in reception order
    for dossier in later:
        eligible = bisect.bisect_right(moments, dossier.received - timedelta(days=21))
        first = citizens[rng.randrange(eligible)]
        while id(first) in taken:
            first = citizens[rng.randrange(eligible)]
        taken.add(id(first))
        dossier.applicant_id, dossier.name = first.applicant_id, first.name


def demo_csv(dossiers: list[_Dossier]) -> str:
    from motcua.dossiers.importing import HEADER

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(HEADER)
    for d in dossiers:
        writer.writerow(
            [
                d.code,
                d.procedure,
                d.unit,
                d.channel,
                d.received.isoformat(),
                d.due.isoformat(),
                d.finished.isoformat() if d.finished else "",
                d.returned.isoformat() if d.returned else "",
                d.return_channel,
                "10" if d.returned else "4",
                str(d.supplements),
                d.name,
                d.applicant_id,
            ]
        )
    return buffer.getvalue()


# --- history ------------------------------------------------------------------------------------


def _history_add(plan: list[_Dossier]) -> None:
    """The lifecycle each dossier lived, as the services would have written it: received at the
    desk, assigned by the division head, approved by the leader, returned by the desk."""
    from motcua.accounts.models import User

    users = {u.username: u for u in User.objects.filter(username__in=_ACTORS)}
    desk = {CENTRE: users.get("motcua.ttpvhcc"), LEGAL_AID: users.get("motcua.tgpl")}
    head, leader = users.get("tp.hcbttp"), users.get("lanhdao.so")
    ids = dict(Dossier.objects.filter(code__in=[d.code for d in plan]).values_list("code", "pk"))
    events = []
    for d in plan:
        pk = ids[d.code]
        events.append(_ev(pk, d.received, desk[d.unit], "received", "", Status.RECEIVED, due=d.due,
                          note=f"Tiếp nhận qua kênh {ChannelKind(d.channel).label.lower()}"))  # fmt: skip
        assigned = d.received + timedelta(minutes=20)
        events.append(_ev(pk, assigned, head, "assign", Status.RECEIVED, Status.IN_PROGRESS))
        if d.finished:
            events.append(
                _ev(pk, d.finished, leader, "approve", Status.AWAITING_SIGNATURE, Status.FINISHED)
            )
            events.append(
                _ev(pk, d.returned, desk[d.unit], "return_result", Status.FINISHED, Status.RETURNED,
                    note=f"Trả kết quả qua kênh {ChannelKind(d.return_channel).label.lower()}")
            )  # fmt: skip
    DossierEvent.objects.bulk_create(events, batch_size=2000)


_ACTORS = ("motcua.ttpvhcc", "motcua.tgpl", "tp.hcbttp", "lanhdao.so")


def _ev(pk, at, actor, action, from_status, to_status, *, due=None, note=""):
    return DossierEvent(
        dossier_id=pk,
        at=at,
        actor=actor,
        actor_role=getattr(actor, "role", ""),
        action=action,
        from_status=from_status,
        to_status=to_status,
        unit_id=getattr(actor, "unit_id", None),
        note=note,
        due_after=due,
    )
