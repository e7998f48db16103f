"""The due-soon / overdue job: who is told, once a day, and every run recorded — failures too."""

from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import models

from motcua.core.models import JobRun
from motcua.dossiers.models import Dossier
from motcua.dossiers.monitoring import dossiers_monitor_run
from motcua.notifications import sms
from motcua.notifications.models import Notification
from motcua.notifications.notices import notices_unread_for
from tests.dossiers.test_services import act, at, receive

CODE = "000.00.40.H27-240426-0001"


@pytest.fixture
def assigned(desk):
    """Received Fri 26/04/2024 16:00 (due Tue 14/05 16:00), assigned to the specialist."""
    for key, address in (
        ("specialist", "chuyenvien@stp.example"),
        ("head", "truongphong@stp.example"),
    ):
        desk[key].email = address
        desk[key].save(update_fields=["email"])
    dossier = receive(desk)
    act(desk["head"], dossier, "assign", "2024-05-02T08:00", assignee_id=desk["specialist"].pk)
    Notification.objects.all().delete()  # those of reception and assignment are not this job's
    return dossier


def run(when):
    with time_machine.travel(at(when), tick=False):
        return dossiers_monitor_run()


def notices():
    """The e-mail reminders (each officer also gets an in-app notice, and SMS with a phone)."""
    return sorted(Notification.objects.filter(channel="email").values_list("to", "reference"))


def test_nothing_to_say_while_more_than_a_working_day_remains(assigned):
    # 13/05 16:00 → 14/05 16:00 is exactly 480 office minutes: due soon; an hour earlier is not.
    job = run("2024-05-13T15:00")
    assert job.status == "ok" and notices() == []
    assert job.counts == {
        "checked": 1,
        "due_soon": 0,
        "overdue": 0,
        "notices": 0,
        "already_notified": 0,
        "errors": 0,
        "in_app": 0,
        "email": 0,
        "sms": 0,
    }


def test_due_soon_tells_the_assignee_and_the_division_head_once_a_day(assigned):
    first = run("2024-05-14T09:00")  # 5 working hours left
    reference = f"monitor:due_soon:20240514:{CODE}"
    assert notices() == [
        ("chuyenvien@stp.example", reference),
        ("truongphong@stp.example", reference),
    ]
    body = Notification.objects.first().body
    assert "sắp đến hạn trả kết quả: 16:00 ngày 14/05/2024 (còn 5 giờ 00 phút làm việc)" in body
    second = run("2024-05-14T11:00")
    assert len(notices()) == 2  # the same day: no second notice
    # Two officers, each by in-app notice and e-mail.
    assert (first.counts["notices"], second.counts["notices"]) == (4, 0)
    assert second.counts["already_notified"] == 1
    assert JobRun.objects.filter(job="dossiers-monitor", status="ok").count() == 2


def test_overdue_is_a_new_kind_and_repeats_the_next_day(assigned):
    run("2024-05-14T09:00")
    job = run("2024-05-15T08:00")  # 16:00–17:30 on 14/05 + 07:30–08:00: 2 h late
    assert job.counts["overdue"] == 1 and job.counts["notices"] == 4
    overdue = Notification.objects.filter(reference=f"monitor:overdue:20240515:{CODE}")
    assert (
        "đã quá hạn trả kết quả (16:00 ngày 14/05/2024) 2 giờ 00 phút làm việc" in overdue[0].body
    )
    run("2024-05-16T08:00")
    overdue = Notification.objects.filter(reference__startswith="monitor:overdue:")
    assert overdue.filter(channel="email").count() == 4


def test_finished_and_paused_dossiers_are_left_alone(desk, assigned):
    act(desk["specialist"], assigned, "request_supplement", "2024-05-13T08:00", reason="Thiếu ảnh")
    Notification.objects.all().delete()
    job = run("2024-05-20T08:00")
    assert job.counts["checked"] == 0 and notices() == []


def test_without_an_assignee_the_division_heads_are_told(desk):
    desk["head"].email = "truongphong@stp.example"
    desk["head"].save(update_fields=["email"])
    receive(desk)
    Notification.objects.all().delete()
    run("2024-05-15T08:00")
    assert notices() == [("truongphong@stp.example", f"monitor:overdue:20240515:{CODE}")]


def test_a_failure_is_recorded_as_failed_and_the_others_still_get_their_notice(desk, assigned):
    broken = receive(desk, when="2024-04-29T08:00")
    # Bad data from an import: an appointment outside the working calendar (2000–2060).
    Dossier.objects.filter(pk=broken.pk).update(due_at=at("1999-12-31T16:00"))
    Notification.objects.all().delete()
    job = run("2024-05-14T09:00")
    assert job.status == "failed" and job.finished_at is not None
    assert broken.code in job.summary and "nằm ngoài lịch làm việc" in job.summary
    assert job.counts["errors"] == 1 and job.counts["notices"] == 4
    assert len(notices()) == 2  # the good dossier was still notified


def test_the_command_runs_the_job_and_prints_the_runs(assigned):
    out = StringIO()
    with time_machine.travel(at("2024-05-14T09:00"), tick=False):
        call_command("jobs", "run", "dossiers-monitor", stdout=out)
        assert "Thành công" in out.getvalue() and "1 sắp đến hạn" in out.getvalue()
        call_command("jobs", "status", stdout=out)
    assert "dossiers-monitor" in out.getvalue().splitlines()[-1]
    # Other apps' jobs (never run in this test) may warn; this job, just run, must not.
    monitor = [line for line in out.getvalue().splitlines() if line.startswith("dossiers-monitor")]
    assert monitor and all("CẢNH BÁO" not in line for line in monitor)


def test_the_command_fails_loudly_on_a_failed_run_and_on_an_unknown_job(desk, assigned):
    broken = receive(desk, when="2024-04-29T08:00")
    Dossier.objects.filter(pk=broken.pk).update(due_at=at("1999-12-31T16:00"))
    with (
        time_machine.travel(at("2024-05-14T09:00"), tick=False),
        pytest.raises(CommandError, match="chạy lỗi"),
    ):
        call_command("jobs", "run", "dossiers-monitor", stdout=StringIO())
    runs = JobRun.objects.count()
    with pytest.raises(CommandError, match="Không có tác vụ “xoa-het”"):
        call_command("jobs", "run", "xoa-het", stdout=StringIO())
    assert JobRun.objects.count() == runs


def test_status_warns_when_no_run_succeeded_recently(assigned):
    run("2024-05-14T09:00")
    out = StringIO()
    with time_machine.travel(at("2024-05-14T11:00"), tick=False):  # 120 min > 60 + 15
        call_command("jobs", "status", stdout=out)
    monitor = [line for line in out.getvalue().splitlines() if line.startswith("dossiers-monitor")]
    assert "CẢNH BÁO: chưa chạy thành công" in monitor[0]


# --- Item 19: every officer is told by the channels they have, and the run counts them ---------


def channels_of(user):
    return sorted(
        Notification.objects.filter(reference__startswith="monitor:")
        .filter(models.Q(recipient=user) | models.Q(to__in=[user.email or "-", user.phone or "-"]))
        .values_list("channel", flat=True)
    )


def test_each_officer_is_told_by_every_channel_they_have(
    desk, assigned, settings, django_capture_on_commit_callbacks
):
    settings.SMS_GATEWAY = "memory"
    desk["specialist"].phone = "0912 345 678"  # e-mail (from the fixture) and a mobile phone
    desk["specialist"].save(update_fields=["phone"])
    desk["head"].email = ""  # nothing but the notice list
    desk["head"].save(update_fields=["email"])
    sms.outbox.clear()
    with (
        time_machine.travel(at("2024-05-14T09:00"), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        job = dossiers_monitor_run()
    assert channels_of(desk["specialist"]) == ["email", "in_app", "sms"]
    assert channels_of(desk["head"]) == ["in_app"]
    assert (job.counts["in_app"], job.counts["email"], job.counts["sms"]) == (2, 1, 1)
    assert job.counts["notices"] == 4
    assert "gửi 4 thông báo (trên trang: 2, thư điện tử: 1, SMS: 1;" in job.summary
    # The SMS left, short enough for one message, and the e-mail too.
    assert [phone for phone, _ in sms.outbox] == ["84912345678"]
    assert len(sms.outbox[0][1]) <= 160 and CODE in sms.outbox[0][1]
    assert Notification.objects.get(channel="sms").status == "sent"
    assert [m.to for m in mail.outbox] == [["chuyenvien@stp.example"]]


def test_an_officer_without_email_still_gets_the_notice_on_the_home_page(desk, assigned):
    desk["specialist"].email = ""
    desk["specialist"].save(update_fields=["email"])
    run("2024-05-14T09:00")
    unread = notices_unread_for(desk["specialist"])
    assert [n.reference for n in unread] == [f"monitor:due_soon:20240514:{CODE}"]
    assert "sắp đến hạn" in unread[0].subject


def test_the_command_says_how_many_went_by_each_channel(assigned):
    out = StringIO()
    with time_machine.travel(at("2024-05-14T09:00"), tick=False):
        call_command("jobs", "run", "dossiers-monitor", stdout=out)
    assert "trên trang: 2, thư điện tử: 2, SMS: 0" in out.getvalue()
