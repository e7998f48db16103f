"""Counts and overdue, against hand-made data."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from motcua.reform.indicators import report_sections
from motcua.reform.models import (
    ActivityKind,
    DocType,
    Issuer,
    ReviewOutcome,
    TaskSource,
    TaskStatus,
)
from motcua.reform.selectors import (
    expired_legal_documents,
    legal_activity_counts,
    plan_progress,
    task_counts,
    task_is_done_late,
    task_is_overdue,
    tasks_overdue,
)
from tests.accounts.factories import UnitFactory
from tests.reform.factories import (
    ActivityFactory,
    DocumentFactory,
    DraftFactory,
    PlanFactory,
    TaskFactory,
)

pytestmark = pytest.mark.django_db
VN = ZoneInfo("Asia/Ho_Chi_Minh")
H1 = (date(2023, 1, 1), date(2023, 6, 30))


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=VN)


def test_a_deadline_on_a_saturday_falls_due_at_the_close_of_the_next_working_day():
    task = TaskFactory(deadline=date(2023, 3, 11))  # Saturday → Monday 13/03, 17:30
    assert not task_is_overdue(task, at("2023-03-13T17:30"))
    assert task_is_overdue(task, at("2023-03-13T17:31"))
    task.completed_on, task.status = date(2023, 3, 13), TaskStatus.DONE
    assert not task_is_overdue(task, at("2023-03-20T08:00"))
    assert not task_is_done_late(task)
    task.completed_on = date(2023, 3, 14)
    assert task_is_done_late(task)


def test_a_task_becomes_overdue_as_time_passes():
    task = TaskFactory(deadline=date(2023, 5, 10))
    with time_machine.travel(at("2023-05-10T16:00"), tick=False):
        assert tasks_overdue() == []
    with time_machine.travel(at("2023-05-11T08:00"), tick=False):
        assert tasks_overdue() == [task]
        assert plan_progress(task.plan)["overdue"] == 1


def _plan_tasks():
    unit, other = UnitFactory(), UnitFactory()
    plan = PlanFactory(unit=unit)

    def make(**kw):
        return TaskFactory(plan=plan, unit=kw.pop("unit", unit), **kw)

    make(status=TaskStatus.DONE, started_on=date(2023, 2, 1), completed_on=date(2023, 3, 1))
    make(status=TaskStatus.IN_PROGRESS, started_on=date(2023, 2, 1), deadline=date(2023, 12, 31))
    make(deadline=date(2023, 12, 31))  # not started, due later
    make(deadline=date(2023, 6, 15), status=TaskStatus.IN_PROGRESS, started_on=date(2023, 3, 1))
    # Done after the period: in progress at its end, and overdue then (deadline 31/05).
    make(
        status=TaskStatus.DONE, started_on=date(2023, 5, 2), completed_on=date(2023, 7, 10),
        deadline=date(2023, 5, 31),
    )  # fmt: skip
    make(
        status=TaskStatus.DONE,
        started_on=date(2022, 11, 1),
        completed_on=date(2022, 12, 1),
        assigned_on=date(2022, 10, 1),
        deadline=date(2022, 12, 31),
    )  # finished before: out
    make(assigned_on=date(2023, 7, 5), deadline=date(2023, 9, 1))  # assigned after: out
    make(unit=other, deadline=date(2023, 12, 1))
    return unit, other


@time_machine.travel("2024-01-15T09:00+07:00", tick=False)
def test_task_counts_for_a_period_use_the_status_at_its_end():
    unit, other = _plan_tasks()
    assert task_counts(TaskSource.PLAN, *H1) == {
        "total": 6, "done": 1, "in_progress": 3, "not_started": 2, "overdue": 2,
    }  # fmt: skip
    assert task_counts(TaskSource.PLAN, *H1, unit_code=other.code)["total"] == 1
    assert task_counts(TaskSource.PLAN, *H1, unit_code="999.99.99.H99")["total"] == 0
    assert task_counts(TaskSource.PROVINCE, *H1)["total"] == 0


@time_machine.travel("2023-06-10T09:00+07:00", tick=False)
def test_a_running_period_judges_overdue_now_not_at_its_end():
    _plan_tasks()
    # On 10/06 only the task due 31/05 is overdue; the one due 15/06 is not yet.
    assert task_counts(TaskSource.PLAN, *H1)["overdue"] == 1


def test_province_tasks_are_counted_apart():
    TaskFactory(source=TaskSource.PROVINCE, plan=None, source_document="Công văn số 1/UBND-NC",
                status=TaskStatus.DONE, started_on=date(2023, 2, 1), completed_on=date(2023, 2, 10))  # fmt: skip
    TaskFactory()
    sections = report_sections(*H1)
    assert sections["tasks"]["assigned_by_province"]["total"] == 1
    assert sections["tasks"]["assigned_by_province"]["done"] == 1
    assert sections["tasks"]["plan"]["total"] == 1


def test_legal_activity_counts_for_a_period():
    unit, other = UnitFactory(), UnitFactory()
    central = DraftFactory(issuer=Issuer.GOVERNMENT, doc_type=DocType.DECREE)
    local = DraftFactory()
    ActivityFactory(kind=ActivityKind.APPRAISAL, draft=local, document=None, unit=unit)
    ActivityFactory(kind=ActivityKind.COMMENT, draft=central, document=None, unit=unit)
    ActivityFactory(kind=ActivityKind.COMMENT, draft=local, document=None, unit=unit,
                    done_on=date(2023, 3, 2))  # fmt: skip
    ActivityFactory(kind=ActivityKind.SELF_CHECK, unit=unit)
    ActivityFactory(kind=ActivityKind.CHECK, unit=other)
    ActivityFactory(outcome=ReviewOutcome.KEEP, unit=unit)
    ActivityFactory(outcome=ReviewOutcome.EXPIRED_FULLY, expired_on=date(2022, 5, 1), unit=unit)
    ActivityFactory(outcome=ReviewOutcome.EXPIRED_PARTLY, expired_on=date(2022, 8, 1), unit=unit)
    ActivityFactory(outcome=ReviewOutcome.EXPIRED_FULLY, expired_on=date(2023, 1, 1), unit=unit,
                    done_on=date(2023, 7, 1))  # outside the period  # fmt: skip
    counts = legal_activity_counts(*H1)
    assert counts == {
        "appraised": 1, "commented": 2, "commented_central": 1, "self_checked": 1, "checked": 1,
        "reviewed": 3, "systematised": 0, "expired_fully": 1, "expired_partly": 1,
    }  # fmt: skip
    assert legal_activity_counts(*H1, unit_code=other.code)["checked"] == 1
    assert legal_activity_counts(*H1, unit_code=other.code)["reviewed"] == 0
    assert legal_activity_counts(date(2023, 3, 2), date(2023, 3, 2))["commented"] == 1


def test_the_yearly_list_of_expired_documents_lists_each_document_once():
    document = DocumentFactory()
    ActivityFactory(document=document, outcome=ReviewOutcome.EXPIRED_PARTLY,
                    expired_on=date(2022, 4, 1), done_on=date(2023, 1, 10))  # fmt: skip
    ActivityFactory(document=document, outcome=ReviewOutcome.EXPIRED_FULLY,
                    expired_on=date(2022, 9, 1), done_on=date(2023, 2, 10))  # fmt: skip
    ActivityFactory(outcome=ReviewOutcome.EXPIRED_FULLY, expired_on=date(2021, 9, 1))
    listed = expired_legal_documents(2022)
    assert [a.document for a in listed["fully"]] == [document]
    assert listed["partly"] == []
    assert expired_legal_documents(2021)["fully"][0].expired_on == date(2021, 9, 1)


def test_one_rule_per_reform_kind_for_the_door():
    """ADR 0017: reform_visible_to is the rule of every reform kind — all of it to staff, none to
    anyone else — and the door (access_object) opens only what it yields."""
    from django.core.exceptions import PermissionDenied

    from motcua.accounts.roles import Role
    from motcua.reform.models import LegalDocument, Plan, Task
    from motcua.reform.permissions import access_object, reform_visible_to
    from tests.accounts.factories import UserFactory

    task, document = TaskFactory(), DocumentFactory()
    staff = UserFactory(role=Role.SPECIALIST, unit=UnitFactory())
    citizen = UserFactory(citizen=True)
    for model, obj in ((Task, task), (Plan, task.plan), (LegalDocument, document)):
        assert list(reform_visible_to(staff, model)) == [obj]
        assert access_object(staff, model, obj.pk) == obj
        assert not reform_visible_to(citizen, model).exists()
        with pytest.raises(PermissionDenied):
            access_object(citizen, model, obj.pk)
