"""Deadline arithmetic, checked against due instants computed by hand.

Calendar used: weekends, the statutory holidays of the `holidays` package and the 2023–2026 swaps
of the official notices (motcua/calendars/notices.py), office hours 07:30–11:30 and 13:30–17:30.
Each case shows its hand computation: budget left after each working day.
"""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.calendars.notices import SEED_ENTRIES
from motcua.calendars.statutory import statutory_holidays
from motcua.core.workingtime import CalendarError, WorkingCalendar

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def build_calendar() -> WorkingCalendar:
    non_working = dict(statutory_holidays())
    working = {}
    for day, kind, reason, _notice in SEED_ENTRIES:
        if kind == "working_day":
            working[day] = reason
        else:
            non_working[day] = reason
    return WorkingCalendar(non_working=non_working, working_weekend_days=working)


CAL = build_calendar()


def at(text: str) -> datetime:
    return datetime.fromisoformat(text + "+07:00")


@pytest.mark.parametrize(
    "received, hours, expected",
    [
        # Tết 2023 (off Fri 20/01–Thu 26/01). Thu 19/01 09:00, 2 days = 16 h:
        # 19/01 09:00–17:30 = 6.5 h (9.5 left); Fri 27/01 8 h (1.5 left); Mon 30/01 07:30 + 1.5 h.
        ("2023-01-19T09:00", 16, "2023-01-30T09:00"),
        # Tết 2024 (off Thu 08/02–Wed 14/02). Wed 07/02 16:00, 1 day = 8 h:
        # 07/02 1.5 h (6.5 left); Thu 15/02 morning 4 h (2.5 left); 13:30 + 2.5 h = 16:00.
        ("2024-02-07T16:00", 8, "2024-02-15T16:00"),
        # Tết 2025 (off Mon 27/01–Fri 31/01). Fri 24/01 10:00, 3 days = 24 h:
        # 24/01 1.5 + 4 = 5.5 h (18.5 left); Mon 03/02 8 (10.5); Tue 04/02 8 (2.5); Wed 05/02 07:30 + 2.5 h = 10:00.
        ("2025-01-24T10:00", 24, "2025-02-05T10:00"),
        # Tết 2026 (off Mon 16/02–Fri 20/02). Fri 13/02 15:00, 1 day = 8 h:
        # 13/02 2.5 h (5.5 left); Mon 23/02 morning 4 h (1.5 left); 13:30 + 1.5 h = 15:00.
        ("2026-02-13T15:00", 8, "2026-02-23T15:00"),
        # 30/4–1/5 2024 swap (off Mon 29/04, Tue 30/04, Wed 01/05; Sat 04/05 worked). Fri 26/04 16:00, 5 days = 40 h:
        # 26/04 1.5 (38.5); Thu 02/05 8 (30.5); Fri 03/05 8 (22.5); Sat 04/05 8 (14.5); Mon 06/05 8 (6.5);
        # Tue 07/05 4 h morning (2.5) then 13:30 + 2.5 h = 16:00.
        ("2024-04-26T16:00", 40, "2024-05-07T16:00"),
        # 30/4–1/5 2025 swap (Sat 26/04 worked; off Wed 30/04, Thu 01/05, Fri 02/05). Fri 25/04 13:30, 2 days = 16 h:
        # 25/04 4 h (12 left); Sat 26/04 8 (4 left); Mon 28/04 07:30 + 4 h = 11:30 (exactly at closing).
        ("2025-04-25T13:30", 16, "2025-04-28T11:30"),
        # 2/9 2024 (off Mon 02/09, Tue 03/09). Fri 30/08 08:30, 1 day: 3 h + 4 h = 7 h on 30/08 (1 left);
        # Wed 04/09 07:30 + 1 h = 08:30.
        ("2024-08-30T08:30", 8, "2024-09-04T08:30"),
        # 2/9 2023 (off Fri 01/09, Sat 02/09, compensatory Mon 04/09). Thu 31/08 17:00, 1 day: 0.5 h (7.5 left);
        # Tue 05/09: 4 h morning (3.5 left), 13:30 + 3.5 h = 17:00.
        ("2023-08-31T17:00", 8, "2023-09-05T17:00"),
        # Reception after hours starts at the next opening: Mon 06/05/2024 18:00, 4 h -> Tue 07/05 07:30 + 4 h = 11:30.
        ("2024-05-06T18:00", 4, "2024-05-07T11:30"),
        # During the lunch break: 12:00 counts from 13:30; 2 h -> 15:30.
        ("2024-05-07T12:00", 2, "2024-05-07T15:30"),
        # On a weekend: Sun 12/05/2024 10:00, 1 day -> Mon 13/05 from 07:30, all 8 h -> 17:30 (due at closing).
        ("2024-05-12T10:00", 8, "2024-05-13T17:30"),
        # Saturday that is NOT a swap: Sat 11/05/2024 counts from Mon 13/05 07:30; 3 h -> 10:30.
        ("2024-05-11T09:00", 3, "2024-05-13T10:30"),
        # A budget used up exactly at closing: Fri 03/05/2024 07:30 + 8 h = 17:30 the same day, not Sat 07:30.
        ("2024-05-03T07:30", 8, "2024-05-03T17:30"),
        # Received exactly at closing time (17:30) counts from the next opening: Thu 02/05/2024 17:30 + 1 h
        # -> Fri 03/05 08:30.
        ("2024-05-02T17:30", 1, "2024-05-03T08:30"),
        # 10 working days for a judicial record received Mon 09/01/2023 08:00, before Tết 2023:
        # 09/01 7.5 h (72.5 left); 10, 11, 12, 13, 16, 17, 18, 19/01 = 8 days (8.5 left); Tết off 20–26/01;
        # Fri 27/01 8 h (0.5 left); Mon 30/01 07:30 + 0.5 h = 08:00.
        ("2023-01-09T08:00", 80, "2023-01-30T08:00"),
        # Ngày Văn hóa Việt Nam 24/11/2026 (Tue) is a day off: Mon 23/11 15:30 + 1 day: 2 h (6 left);
        # Wed 25/11: 4 h (2 left), 13:30 + 2 h = 15:30.
        ("2026-11-23T15:30", 8, "2026-11-25T15:30"),
    ],
)
def test_hand_computed_due_instants(received, hours, expected):
    assert CAL.due(at(received), hours) == at(expected)


def test_days_and_reasons():
    assert CAL.day_status(date(2024, 5, 4)) == (True, "Làm bù cho thứ Hai 29/04/2024")
    working, reason = CAL.day_status(date(2024, 4, 29))
    assert not working and "hoán đổi" in reason
    assert CAL.day_status(date(2024, 5, 5)) == (False, "Chủ nhật")
    assert CAL.day_status(date(2023, 1, 23)) == (False, "Mùng hai Tết Nguyên Đán")
    assert CAL.day_status(date(2024, 5, 6)) == (True, "Ngày làm việc")


def test_pause_pushes_the_deadline_by_the_office_time_it_covers():
    # Received Mon 06/05/2024 07:30 with 2 days (due Tue 07/05 17:30 without pause).
    # Supplement requested Mon 13:30 after 4 h of work (12 left); the complete dossier is back
    # Wed 08/05 09:30: Wed 09:30–17:30 is 6 h (6 left), Thu 09/05 07:30 + 4 h + 13:30 + 2 h = 15:30.
    pauses = [(at("2024-05-06T13:30"), at("2024-05-08T09:30"))]
    assert CAL.due(at("2024-05-06T07:30"), 16, pauses) == at("2024-05-09T15:30")
    # A pause that is still open leaves the due instant unknown.
    assert CAL.due(at("2024-05-06T07:30"), 16, [(at("2024-05-06T13:30"), None)]) is None
    # A pause entirely in non-working time changes nothing.
    weekend = [(at("2024-05-11T08:00"), at("2024-05-12T18:00"))]
    assert CAL.due(at("2024-05-10T07:30"), 16, weekend) == CAL.due(at("2024-05-10T07:30"), 16)


def test_overlapping_pauses_count_once_and_late_pauses_change_nothing():
    received, pause = at("2024-05-06T07:30"), (at("2024-05-06T13:30"), at("2024-05-08T09:30"))
    alone = CAL.due(received, 16, [pause])  # Thu 09/05 15:30, as above
    # A second request inside the first pause, and one overlapping its end, add nothing twice:
    # the union is Mon 13:30 -> Wed 11:30, i.e. 2 h more than the first pause alone.
    inside = (at("2024-05-07T08:00"), at("2024-05-07T10:00"))
    assert CAL.due(received, 16, [pause, inside]) == alone
    overlapping = (at("2024-05-08T08:00"), at("2024-05-08T11:30"))
    assert CAL.due(received, 16, [overlapping, pause]) == at("2024-05-09T17:30")
    # The budget ran out Tue 07/05 17:30; a pause from then (or from the next opening) is too late.
    assert CAL.due(received, 16) == at("2024-05-07T17:30")
    for late in ("2024-05-07T17:30", "2024-05-08T07:30", "2024-05-09T10:00"):
        assert CAL.due(received, 16, [(at(late), at("2024-05-10T10:00"))]) == at("2024-05-07T17:30")
        assert CAL.due(received, 16, [(at(late), None)]) == at("2024-05-07T17:30")
    # ...but one that began a minute before still pushes it: Tue 17:29 -> Fri 10:00 covers
    # 1 min + Wed 8 h + Thu 8 h + Fri 2.5 h; counted on from Fri 10:00.
    assert CAL.due(received, 16, [(at("2024-05-07T17:29"), at("2024-05-10T10:00"))]) == at(
        "2024-05-10T10:01"
    )


def test_working_minutes_between():
    assert CAL.working_minutes_between(at("2024-04-26T16:00"), at("2024-05-02T08:30")) == 90 + 60
    assert CAL.working_minutes_between(at("2024-05-02T08:30"), at("2024-04-26T16:00")) == -150


def test_bad_questions_are_refused():
    with pytest.raises(CalendarError):
        CAL.due(datetime(2024, 4, 26, 16, 0), 8)  # naive
    with pytest.raises(CalendarError):
        CAL.due(at("2024-04-26T16:00"), -1)
    with pytest.raises(CalendarError):
        CAL.day_status(date(1990, 1, 1))
    with pytest.raises(CalendarError):
        WorkingCalendar(
            non_working={},
            sessions=[(datetime(2024, 1, 1, 11).time(), datetime(2024, 1, 1, 8).time())],
        )


# --- properties ----------------------------------------------------------------------------------
instants = st.datetimes(
    min_value=datetime(2023, 1, 1), max_value=datetime(2026, 10, 31), timezones=st.just(HCM)
).map(lambda d: d.replace(second=0, microsecond=0))
budgets = st.integers(min_value=1, max_value=30 * 8 * 60)  # up to 30 working days, in minutes


@settings(max_examples=300, deadline=None)
@given(instants, budgets, budgets)
def test_monotonic(received, a, b):
    small, large = sorted((a, b))
    assert CAL.due(received, small / 60) <= CAL.due(received, large / 60)


@settings(max_examples=300, deadline=None)
@given(instants, instants, budgets)
def test_monotonic_in_reception(first, second, budget):
    early, late = sorted((first, second))
    assert CAL.due(early, budget / 60) <= CAL.due(late, budget / 60)


@settings(max_examples=300, deadline=None)
@given(instants, budgets, budgets)
def test_additive(received, a, b):
    assert CAL.due(CAL.due(received, a / 60), b / 60) == CAL.due(received, (a + b) / 60)


@settings(max_examples=300, deadline=None)
@given(instants, budgets)
def test_result_is_office_time_or_a_closing_time(received, budget):
    due = CAL.due(received, budget / 60)
    assert CAL.is_working_day(due.date())
    minute = due.hour * 60 + due.minute
    assert 7 * 60 + 30 < minute <= 11 * 60 + 30 or 13 * 60 + 30 < minute <= 17 * 60 + 30
    assert due - received > timedelta(0)


@settings(max_examples=300, deadline=None)
@given(instants, budgets, instants, instants)
def test_a_pause_pushes_by_the_office_time_it_covers(received, budget, first, second):
    pause_start, pause_end = sorted((first, second))
    plain = CAL.due(received, budget / 60)
    paused = CAL.due(received, budget / 60, [(pause_start, pause_end)])
    if pause_start >= plain:
        assert paused == plain
    else:
        covered = CAL.working_minutes_between(max(pause_start, received), pause_end)
        assert paused == CAL.due(received, (budget + max(covered, 0)) / 60)
        assert paused >= plain


@settings(max_examples=300, deadline=None)
@given(instants, budgets, st.lists(st.tuples(instants, instants), max_size=4))
def test_pauses_count_as_their_union(received, budget, spans):
    pauses = [tuple(sorted(span)) for span in spans]
    union = []
    for start, end in sorted(pauses):
        if union and start <= union[-1][1]:
            union[-1] = (union[-1][0], max(union[-1][1], end))
        else:
            union.append((start, end))
    assert CAL.due(received, budget / 60, pauses) == CAL.due(received, budget / 60, union)
