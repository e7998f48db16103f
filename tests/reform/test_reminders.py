"""The reform-reminders job: N working days before the deadline, to the owner, once per task."""

from datetime import date

import pytest
import time_machine
from django.core import mail

from motcua.accounts.roles import Role
from motcua.core.models import JOBS, JobRunStatus
from motcua.notifications.models import Notification
from motcua.reform.models import TaskReminder, TaskStatus
from motcua.reform.reminders import reform_reminders_run
from tests.accounts.factories import UserFactory
from tests.reform.factories import TaskFactory

pytestmark = pytest.mark.django_db


def test_the_job_is_registered():
    assert JOBS["reform-reminders"].function == "motcua.reform.reminders.reform_reminders_run"


def test_reminds_the_owner_once_within_three_working_days(django_capture_on_commit_callbacks):
    owner = UserFactory(role=Role.SPECIALIST, email="cv@stp.hatinh.gov.vn")
    # Deadline Monday 13/03/2023; on Wednesday 08/03 it is 3 working days away (Thu, Fri, Mon).
    task = TaskFactory(owner=owner, deadline=date(2023, 3, 13))
    later = TaskFactory(owner=owner, deadline=date(2023, 3, 20))
    TaskFactory(owner=owner, deadline=date(2023, 3, 10), status=TaskStatus.DONE,
                completed_on=date(2023, 3, 1))  # fmt: skip
    with time_machine.travel("2023-03-07T08:00+07:00", tick=False):
        run = reform_reminders_run()
    assert run.counts["notices"] == 0
    with (
        time_machine.travel("2023-03-08T08:00+07:00", tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        run = reform_reminders_run()
        again = reform_reminders_run()
    assert run.status == JobRunStatus.OK
    # The owner by every channel the account has: an in-app notice and an e-mail.
    assert run.counts["notices"] == 2 and again.counts["already_reminded"] == 1
    assert list(TaskReminder.objects.values_list("task_id", flat=True)) == [task.pk]
    assert Notification.objects.filter(channel="in_app", recipient=owner).count() == 1
    notice = Notification.objects.get(channel="email")
    assert notice.to == "cv@stp.hatinh.gov.vn" and "13/03/2023" in notice.body
    assert len(mail.outbox) == 1
    assert not TaskReminder.objects.filter(task=later).exists()


def test_without_an_owner_the_head_of_the_unit_is_told():
    task = TaskFactory(deadline=date(2023, 3, 13))
    UserFactory(role=Role.DIVISION_HEAD, unit=task.unit, email="tp@stp.hatinh.gov.vn")
    UserFactory(role=Role.SPECIALIST, unit=task.unit, email="khac@stp.hatinh.gov.vn")
    with time_machine.travel("2023-03-10T08:00+07:00", tick=False):
        reform_reminders_run()
    emailed = Notification.objects.filter(channel="email").values_list("to", flat=True)
    assert list(emailed) == ["tp@stp.hatinh.gov.vn"]


def test_the_job_runs_from_the_command_line():
    from django.core.management import call_command

    from motcua.core.models import JobRun

    call_command("jobs", "run", "reform-reminders")
    assert JobRun.objects.get(job="reform-reminders").status == JobRunStatus.OK


def test_a_moved_deadline_is_reminded_again():
    from motcua.reform.services import task_update

    owner = UserFactory(role=Role.SPECIALIST, email="cv@stp.hatinh.gov.vn")
    task = TaskFactory(owner=owner, deadline=date(2023, 3, 13))
    with time_machine.travel("2023-03-08T08:00+07:00", tick=False):
        reform_reminders_run()
    task_update(None, task.pk, deadline=date(2023, 3, 24))
    with time_machine.travel("2023-03-21T08:00+07:00", tick=False):
        reform_reminders_run()
        reform_reminders_run()
    assert sorted(TaskReminder.objects.values_list("kind", flat=True)) == [
        "due-20230313",
        "due-20230324",
    ]


def test_an_owner_with_a_mobile_number_is_also_texted(django_capture_on_commit_callbacks):
    """Issue [K] item 19: reminders go by every channel the officer has, SMS included."""
    owner = UserFactory(role=Role.SPECIALIST, email="", phone="0912345678")
    TaskFactory(owner=owner, deadline=date(2023, 3, 13))
    with time_machine.travel("2023-03-08T08:00+07:00", tick=False):
        run = reform_reminders_run()
    assert run.counts["notices"] == 2
    assert set(Notification.objects.values_list("channel", flat=True)) == {"in_app", "sms"}
    assert Notification.objects.get(channel="sms").to == "0912345678"
