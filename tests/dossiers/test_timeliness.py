"""Timeliness by the national rule: a table of hand-computed cases, then dossiers worked through the
real services and counted by the period selector."""

from datetime import date
from decimal import Decimal

import pytest
import time_machine

from motcua.calendars.selectors import working_calendar_for
from motcua.core.workingtime import WorkingCalendar
from motcua.dossiers.models import DossierPause, DossierStep
from motcua.dossiers.timeliness import (
    DossierFacts,
    Timeliness,
    _due_while_paused,
    classify,
    dossier_timeliness,
    step_timeliness,
    timeliness_counts,
)
from tests.dossiers.test_services import act, at, receive

EARLY, ON_TIME, LATE = Timeliness.EARLY, Timeliness.ON_TIME, Timeliness.LATE
DUE = "2024-05-14T16:00"  # Tuesday
# Working days only Monday–Friday, 07:30–11:30 and 13:30–17:30: the arithmetic below is by hand.
PLAIN = WorkingCalendar(non_working={}, first_day=date(2024, 1, 1), last_day=date(2024, 12, 31))


@pytest.mark.parametrize(
    "end, expected",
    [
        ("2024-05-13T17:30", EARLY),  # the day before the due day
        ("2024-05-14T07:30", ON_TIME),  # the due day, before the due instant
        ("2024-05-14T16:00", ON_TIME),  # exactly at the due instant: end ≤ appointment
        ("2024-05-14T16:01", LATE),  # one minute after
        ("2024-05-15T08:00", LATE),
    ],
)
def test_classify_compares_days_for_early_and_minutes_for_late(end, expected):
    assert classify(at(end), at(DUE)) == expected


def facts(status="finished", finished=None, returned=None, due=DUE, supplements=0, **extra):
    return DossierFacts(
        status=status,
        received_at=at("2024-04-26T16:00"),
        due_at=at(due) if due else None,
        finished_at=at(finished) if finished else None,
        returned_at=at(returned) if returned else None,
        supplement_requests=supplements,
        **extra,
    )


PERIOD_END = "2024-06-30T23:59"


@pytest.mark.parametrize(
    "case, period_end, expected",
    [
        # finished early, on time, late
        (facts(finished="2024-05-09T09:00"), PERIOD_END, EARLY),
        (facts(finished="2024-05-14T10:00"), PERIOD_END, ON_TIME),
        (facts(finished="2024-05-15T07:45"), PERIOD_END, LATE),
        # status 9's time wins over 10's: finished in time, returned after the appointment
        (facts("returned", "2024-05-14T15:00", "2024-05-16T09:00"), PERIOD_END, ON_TIME),
        # an imported dossier that only knows when it was returned
        (facts("returned", returned="2024-05-13T09:00"), PERIOD_END, EARLY),
        # one supplement request: the services already pushed due_at; judged normally
        (
            facts(finished="2024-05-16T10:00", due="2024-05-16T16:00", supplements=1),
            PERIOD_END,
            ON_TIME,
        ),
        # two supplement requests: late, however early the result
        (facts(finished="2024-05-02T09:00", supplements=2), PERIOD_END, LATE),
        # rescheduled once: judged against the new appointment (due_at), not the original one
        (facts(finished="2024-05-20T09:00", due="2024-05-21T16:00"), PERIOD_END, EARLY),
        # stopped / refused / withdrawn: finished_at is the end
        (facts("stopped", finished="2024-05-14T17:00"), PERIOD_END, LATE),
        # open at the period end: the period end is the end
        (facts("in_progress"), "2024-05-10T23:59", EARLY),
        (facts("in_progress"), "2024-05-14T12:00", ON_TIME),
        (facts("in_progress"), "2024-05-31T23:59", LATE),
        # finished after the period end: open at that period end
        (facts(finished="2024-05-20T09:00"), "2024-05-14T23:59", LATE),
        # not yet received at the period end: not counted
        (facts(finished="2024-05-09T09:00"), "2024-04-20T23:59", None),
    ],
)
def test_dossier_timeliness_table(case, period_end, expected):
    assert dossier_timeliness(case, at(period_end)) == expected


def test_a_standing_clock_pushes_the_appointment_by_the_paused_office_time():
    # Paused Mon 13/05 16:00 with 14/05 16:00 due; judged Mon 20/05 12:00. Paused office time:
    # 13/05 90 min + 14–17/05 4 × 480 + 20/05 240 = 2.250 min. 14/05 16:00 + 2.250 min:
    # 90 (14/05) + 4 × 480 (15, 16, 17, 20/05) = 2.010, 240 left → Tue 21/05 11:30 → early on 20/05.
    paused = facts("supplement_requested", due=None, supplements=1)
    paused = DossierFacts(
        **{
            **paused.__dict__,
            "paused_since": at("2024-05-13T16:00"),
            "due_before_pause": at(DUE),
        }
    )
    assert _due_while_paused(paused, at("2024-05-20T12:00"), PLAIN) == at("2024-05-21T11:30")
    assert dossier_timeliness(paused, at("2024-05-20T12:00"), PLAIN) == EARLY
    # The clock stands: however long the applicant takes, the office cannot become late meanwhile.
    assert dossier_timeliness(paused, at("2024-06-28T17:00"), PLAIN) == EARLY


def test_a_pause_that_began_after_the_deadline_pushes_nothing():
    late_pause = DossierFacts(
        **{
            **facts("supplement_requested", due=None, supplements=1).__dict__,
            "paused_since": at("2024-05-15T08:00"),
            "due_before_pause": at(DUE),
        }
    )
    assert dossier_timeliness(late_pause, at("2024-05-20T08:00"), PLAIN) == LATE


def step(finished, *, started="2024-05-02T08:00", due="2024-05-02T14:00"):
    # 4 working hours from Thu 02/05 08:00: 3 h 30 to 11:30, 30 min from 13:30 → 14:00.
    return DossierStep(
        order=2,
        name="Thẩm định",
        role="specialist",
        budget_hours=Decimal("4"),
        started_at=at(started),
        due_at=at(due),
        finished_at=at(finished) if finished else None,
    )


@pytest.mark.parametrize(
    "finished, expected",
    [
        ("2024-05-01T17:00", EARLY),
        ("2024-05-02T13:59", ON_TIME),
        ("2024-05-02T14:01", LATE),
        (None, None),
    ],
)
def test_step_timeliness(finished, expected):
    assert step_timeliness(step(finished)) == expected


def test_a_pause_during_a_step_extends_that_step():
    # Paused 02/05 09:00 → 03/05 09:00 = 150 + 240 + 90 = 480 office minutes → due 03/05 14:00.
    pause = DossierPause(started_at=at("2024-05-02T09:00"), ended_at=at("2024-05-03T09:00"))
    finished = step("2024-05-03T13:00")
    assert step_timeliness(finished) == LATE
    assert step_timeliness(finished, [pause], PLAIN) == ON_TIME


# --- through the services and the period selector ----------------------------------------------


def finish(desk, dossier, when):
    act(desk["specialist"], dossier, "submit_for_signature", when)
    act(desk["leader"], dossier, "approve", when)


def assign(desk, dossier, when="2024-05-02T08:00"):
    act(desk["head"], dossier, "assign", when, assignee_id=desk["specialist"].pk)


@pytest.fixture
def worked(desk):
    """Five dossiers received Fri 26/04/2024 16:00 (due Tue 14/05 16:00), worked differently."""
    early = receive(desk)
    assign(desk, early)
    finish(desk, early, "2024-05-09T09:00")

    one_supplement = receive(desk)
    assign(desk, one_supplement)
    act(desk["specialist"], one_supplement, "request_supplement", "2024-05-03T08:00", reason="Ảnh")
    act(desk["desk"], one_supplement, "supplement_received", "2024-05-06T08:00")
    finish(desk, one_supplement, "2024-05-16T10:00")

    two_supplements = receive(desk)
    assign(desk, two_supplements)
    for start, end in (
        ("2024-05-03T08:00", "2024-05-03T10:00"),
        ("2024-05-06T08:00", "2024-05-06T09:00"),
    ):
        act(
            desk["specialist"], two_supplements, "request_supplement", start, reason="Thiếu giấy tờ"
        )
        act(desk["desk"], two_supplements, "supplement_received", end)
    finish(desk, two_supplements, "2024-05-07T09:00")

    rescheduled = receive(desk)
    assign(desk, rescheduled)
    act(
        desk["head"],
        rescheduled,
        "reschedule",
        "2024-05-06T09:00",
        new_due=at("2024-05-21T16:00"),
        reason="Chờ xác minh của Công an tỉnh",
    )
    finish(desk, rescheduled, "2024-05-20T09:00")

    still_open = receive(desk)
    assign(desk, still_open)
    return locals()


def test_services_keep_the_appointments_the_rule_needs(worked):
    for dossier in (worked["one_supplement"], worked["rescheduled"]):
        dossier.refresh_from_db()
    # Paused 03/05 08:00 → 06/05 08:00: 450 (03/05) + 480 (the worked Saturday 04/05) + 30 = 960
    # office minutes = 2 working days → Thu 16/05 16:00.
    assert worked["one_supplement"].due_at == at("2024-05-16T16:00")
    assert worked["rescheduled"].due_at == at("2024-05-21T16:00")
    assert worked["rescheduled"].due_at_original == at(DUE)


def test_period_counts_by_class_in_one_query(worked, django_assert_num_queries):
    # early: the plain one and the rescheduled one (20/05 < 21/05; it would be late against 14/05);
    # on time: the one supplement (16/05 10:00 ≤ 16/05 16:00); late: two supplements, and the one
    # still open on 31/05, after its 14/05 appointment.
    with time_machine.travel(at("2024-06-03T08:00"), tick=False), django_assert_num_queries(1):
        counts = timeliness_counts(date(2024, 4, 1), date(2024, 5, 31))
    assert counts == {"early": 2, "on_time": 1, "late": 2, "total": 5, "in_time": 3}


def test_a_running_period_judges_open_dossiers_now_not_at_its_end(worked):
    with time_machine.travel(at("2024-05-10T08:00"), tick=False):
        counts = timeliness_counts(date(2024, 5, 1), date(2024, 5, 31))
    # On 10/05 the early one is finished, the others are open and before their due day.
    assert counts["late"] == 1  # only the two-supplement dossier
    assert counts["total"] == 5 and counts["early"] == 4


def test_a_period_before_reception_counts_nothing(worked):
    with time_machine.travel(at("2024-06-03T08:00"), tick=False):
        counts = timeliness_counts(date(2024, 3, 1), date(2024, 3, 31))
    assert counts["total"] == 0


def test_a_paused_dossier_is_counted_with_its_pushed_appointment(desk, django_assert_num_queries):
    paused = receive(desk)
    assign(desk, paused)
    act(desk["specialist"], paused, "request_supplement", "2024-05-13T16:00", reason="Thiếu ảnh")
    working_calendar_for(None)  # loaded once per process, not per count
    # Two queries: the dossiers, and the calendar's revision token.
    with time_machine.travel(at("2024-06-03T08:00"), tick=False), django_assert_num_queries(2):
        counts = timeliness_counts(date(2024, 5, 1), date(2024, 5, 31))
    # Still paused on 31/05: the appointment moves with the pause, so it is not late.
    assert counts["late"] == 0 and counts["total"] == 1
