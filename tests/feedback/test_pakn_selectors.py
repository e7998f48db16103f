"""Counts for a period, the worklist order and the public search, against hand-made items."""

from datetime import date

import pytest

from motcua.accounts.roles import Role
from motcua.feedback import indicators, selectors, services
from motcua.feedback.models import Feedback
from tests.accounts.factories import UnitFactory, UserFactory

from .helpers import at, received, travel

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    unit = UnitFactory(code="000.01.12.H27")
    return {
        "leader": UserFactory(role=Role.DEPARTMENT_LEADER),
        "officer": UserFactory(role=Role.SPECIALIST, unit=unit),
        "unit": unit,
    }


def _answered(people, when_received, when_answered, suffix, classification="regulation"):
    item = received(when_received, suffix=suffix)
    with travel(when_received):
        services.feedback_assign(
            people["leader"],
            item.pk,
            classification=classification,
            assignee_id=people["officer"].pk,
        )
    with travel(when_answered):
        return services.feedback_answer(people["officer"], item.pk, answer="Đã trả lời đầy đủ.")


def test_counts_for_a_period(people):
    # In H1/2023: a published one on time, an answered one late (settle 23/5 09:00), an open one
    # past its limit on 30/6, one refused; and one received in July (outside the period).
    on_time = _answered(people, "2023-04-27T09:00", "2023-05-05T10:00", "a")
    with travel("2023-05-08T08:00"):
        services.feedback_publish(people["leader"], on_time.pk, public_question="Câu hỏi?")
    _answered(people, "2023-04-27T09:00", "2023-05-24T08:00", "b", classification="behaviour")
    received("2023-05-02T09:00", suffix="c")  # open; settle due in May → overdue at 30/6
    refused = received("2023-06-29T09:00", suffix="d")
    with travel("2023-06-29T10:00"):
        services.feedback_refuse(people["officer"], refused.pk, reason="Trùng lặp.")
    received("2023-07-03T09:00", suffix="e")

    counts = selectors.feedback_counts(date(2023, 1, 1), date(2023, 6, 30))
    assert counts.received == 4
    assert counts.answered == 2
    assert counts.published == 1
    # late answer (b) + still open past its limit (c); the answered-but-unpublished b has
    # publish_due in May too, but an item counts once.
    assert counts.overdue == 2
    assert counts.by_classification == {"regulation": 1, "behaviour": 1, "unclassified": 2}

    q3 = selectors.feedback_counts(date(2023, 7, 1), date(2023, 9, 30))
    assert q3.received == 1 and q3.overdue == 1  # the July one, open past 15 days on 30/9

    by_unit = selectors.feedback_counts(date(2023, 1, 1), date(2023, 6, 30), {people["unit"].pk})
    assert by_unit.received == 2  # the two assigned to an officer of that unit


def test_report_sections_contract(people):
    _answered(people, "2023-04-27T09:00", "2023-05-05T10:00", "a")
    sections = indicators.report_sections(date(2023, 1, 1), date(2023, 6, 30))
    assert sections["feedback"] == {
        "received": 1,
        "answered": 1,
        "published": 0,
        "overdue": 1,  # answered 05/5, publish due 09/5, never published
        "by_classification": {"regulation": 1, "behaviour": 0, "unclassified": 0},
    }
    assert set(sections["satisfaction"]) == {"forms", "by_aspect", "index_pct"}
    unit_only = indicators.report_sections(
        date(2023, 1, 1), date(2023, 6, 30), unit_code="000.09.99.H26"
    )
    assert unit_only["feedback"]["received"] == 0


def test_worklist_orders_by_the_deadline_that_matters_now(people):
    late = received("2023-04-03T09:00", suffix="late")
    soon = received("2023-04-20T09:00", suffix="soon")
    answered = _answered(people, "2023-04-25T09:00", "2023-04-26T09:00", "ans")
    refused = received("2023-04-26T09:00", suffix="ref")
    services.feedback_refuse(people["officer"], refused.pk, reason="Không thuộc thẩm quyền.")
    items = list(selectors.feedback_worklist(people["officer"], at=at("2023-04-27T08:00")))
    # answered: publish due 28/4 09:00 — sooner than `soon` (settle 15 days later).
    assert [i.pk for i in items] == [late.pk, answered.pk, soon.pk, refused.pk]
    overdue = selectors.feedback_worklist(
        people["officer"], overdue_only=True, at=at("2023-04-27T08:00")
    )
    assert [i.pk for i in overdue] == [late.pk]
    mine = selectors.feedback_worklist(
        people["officer"], mine_for=people["officer"], at=at("2023-04-27T08:00")
    )
    assert [i.pk for i in mine] == [answered.pk]


def test_public_search_ignores_diacritics_and_shows_only_published(people):
    item = _answered(people, "2023-04-27T09:00", "2023-05-05T10:00", "a")
    with travel("2023-05-05T11:00"):
        services.feedback_publish(
            people["leader"], item.pk, public_question="Cấp phiếu lý lịch tư pháp mất bao lâu?"
        )
    _answered(people, "2023-04-27T09:00", "2023-05-05T10:00", "b")  # answered, not published
    assert [i.pk for i in selectors.published_answers("ly lich tu phap")] == [item.pk]
    assert [i.pk for i in selectors.published_answers("LÝ LỊCH")] == [item.pk]
    assert list(selectors.published_answers("chung thuc")) == []
    assert Feedback.objects.count() == 2


def test_one_rule_for_the_door_and_the_worklist(people):
    """ADR 0017: feedback_visible_to is the rule; every staff member sees every item, a citizen
    none — the worklist lists what the door opens, nothing else."""
    from django.core.exceptions import PermissionDenied

    item = received("2023-04-03T09:00", suffix="rule")
    citizen = UserFactory(citizen=True)
    for staff in (people["officer"], people["leader"]):
        assert list(selectors.feedback_visible_to(staff)) == [item]
        assert selectors.feedback_for_officer(staff, item.pk) == item
        assert [i.pk for i in selectors.feedback_worklist(staff, at=at("2023-04-27T08:00"))] == [
            item.pk
        ]
    assert not selectors.feedback_visible_to(citizen).exists()
    assert not selectors.feedback_worklist(citizen, at=at("2023-04-27T08:00")).exists()
    with pytest.raises(PermissionDenied):
        selectors.feedback_for_officer(citizen, item.pk)
