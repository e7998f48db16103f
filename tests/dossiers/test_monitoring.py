"""The due-soon / overdue job: who is told, once a day, and every run recorded — failures too."""

from io import StringIO

import pytest
import time_machine
from django.core.management import CommandError, call_command

from motcua.core.models import JobRun
from motcua.dossiers.models import Dossier
from motcua.dossiers.monitoring import dossiers_monitor_run
from motcua.notifications.models import Notification
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
    return sorted(Notification.objects.values_list("to", "reference"))


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
    assert (first.counts["notices"], second.counts["notices"]) == (2, 0)
    assert second.counts["already_notified"] == 1
    assert JobRun.objects.filter(job="dossiers-monitor", status="ok").count() == 2


def test_overdue_is_a_new_kind_and_repeats_the_next_day(assigned):
    run("2024-05-14T09:00")
    job = run("2024-05-15T08:00")  # 16:00–17:30 on 14/05 + 07:30–08:00: 2 h late
    assert job.counts["overdue"] == 1 and job.counts["notices"] == 2
    overdue = Notification.objects.filter(reference=f"monitor:overdue:20240515:{CODE}")
    assert (
        "đã quá hạn trả kết quả (16:00 ngày 14/05/2024) 2 giờ 00 phút làm việc" in overdue[0].body
    )
    run("2024-05-16T08:00")
    assert Notification.objects.filter(reference__startswith="monitor:overdue:").count() == 4


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
    assert job.counts["errors"] == 1 and job.counts["notices"] == 2
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
    assert "CẢNH BÁO" in out.getvalue()
