"""The page of job runs: administrators and department leaders see every run, and a warning when
the last successful run is older than the job's interval (a job that silently stopped)."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import include, path, reverse

from motcua.accounts.roles import Role
from motcua.backoffice import urls as backoffice_urls
from motcua.core.models import JobRun
from motcua.dossiers.monitoring import dossiers_monitor_run
from tests.accounts.factories import UserFactory
from tests.dossiers.test_services import at

# Until the lead includes urls_jobs in motcua/backoffice/urls.py, these tests mount it themselves.
_mounted = any(
    getattr(p, "urlconf_name", None) == "motcua.backoffice.urls_jobs"
    for p in backoffice_urls.urlpatterns
)
urlpatterns = [
    path(
        "",
        include(
            (
                backoffice_urls.urlpatterns
                + ([] if _mounted else [path("tac-vu/", include("motcua.backoffice.urls_jobs"))]),
                "backoffice",
            )
        ),
    )
]
pytestmark = [pytest.mark.urls(__name__), pytest.mark.django_db]


def page(client, role=Role.DEPARTMENT_LEADER):
    client.force_login(UserFactory(role=role))
    return client.get(reverse("backoffice:job_runs"))


def test_a_job_that_never_ran_is_flagged(client):
    response = page(client)
    assert response.status_code == 200
    text = response.content.decode()
    assert "Tác vụ “Nhắc hồ sơ sắp đến hạn, quá hạn” chưa từng chạy thành công" in text
    assert "motcua jobs run dossiers-monitor" in text


def test_recent_runs_are_listed_and_a_fresh_success_raises_no_warning(client):
    with time_machine.travel(at("2024-05-14T09:00"), tick=False):
        dossiers_monitor_run()
    with time_machine.travel(at("2024-05-14T09:30"), tick=False):
        text = page(client, Role.ADMINISTRATOR).content.decode()
    assert "Đã kiểm tra 0 hồ sơ đang xử lý" in text and "Thành công" in text
    # Other apps' jobs never ran in this test and may warn; this one, just run, must not.
    assert "motcua jobs run dossiers-monitor" not in text and "Bình thường" in text


def test_a_success_older_than_the_interval_is_flagged_even_if_later_runs_failed(client):
    ok = JobRun.objects.create(
        job="dossiers-monitor", started_at=at("2024-05-14T07:00"), status="ok", summary="Xong"
    )
    JobRun.objects.create(
        job="dossiers-monitor",
        started_at=ok.started_at + timedelta(hours=1),
        status="failed",
        summary="Không xử lý được: lỗi kết nối",
    )
    with time_machine.travel(at("2024-05-14T09:30"), tick=False):
        text = page(client).content.decode()
    assert (
        "Tác vụ “Nhắc hồ sơ sắp đến hạn, quá hạn” không chạy thành công từ 07:00 ngày 14/05/2024 "
        "(2 giờ 30 phút trước; lịch chạy: mỗi 60 phút)"
    ) in text
    assert "Không xử lý được: lỗi kết nối" in text


@pytest.mark.parametrize("role", [Role.DESK_OFFICER, Role.SPECIALIST, Role.DIVISION_HEAD])
def test_other_staff_are_refused(client, role):
    assert page(client, role).status_code == 403


def test_a_citizen_is_refused(client):
    client.force_login(UserFactory(citizen=True))
    assert client.get(reverse("backoffice:job_runs")).status_code == 403


# --- the workers (ADR 0026) ---------------------------------------------------------------------


def _beat(name, last_seen, **fields):
    from motcua.core.models import WorkerBeat

    return WorkerBeat.objects.create(
        name=name,
        host=name.split(":")[0],
        pid=1,
        started_at=at("2024-05-14T07:00"),
        last_seen=last_seen,
        **fields,
    )


def test_the_page_shows_each_workers_heartbeat_and_flags_a_silent_one(client):
    _beat("may-1:101", at("2024-05-14T08:59:52"), current="Tác vụ: Nhắc hồ sơ sắp đến hạn, quá hạn")
    _beat("may-2:202", at("2024-05-14T08:55:00"))
    _beat("may-3:303", at("2024-05-14T08:00:00"), stopped_at=at("2024-05-14T08:00:00"))
    with time_machine.travel(at("2024-05-14T09:00"), tick=False):
        text = page(client).content.decode()
    assert "<code>may-1:101</code>" in text and "8 giây trước" in text
    assert "Tác vụ: Nhắc hồ sơ sắp đến hạn, quá hạn" in text and "Đang hoạt động" in text
    assert "5 phút trước" in text
    assert "Mất tín hiệu — có thể đã dừng đột ngột" in text
    assert "Đã dừng lúc 08:00:00 14/05/2024" in text and "1 giờ 00 phút trước" in text
    assert "Không có tiến trình chạy nền nào đang hoạt động" not in text


def test_no_living_worker_is_a_warning(client):
    _beat("may-2:202", at("2024-05-14T08:55:00"))
    with time_machine.travel(at("2024-05-14T09:00"), tick=False):
        text = page(client).content.decode()
    assert "Không có tiến trình chạy nền nào đang hoạt động" in text
    assert "Hãy khởi động “motcua worker”" in text


def test_an_abandoned_run_and_its_worker_are_listed(client):
    JobRun.objects.create(
        job="dossiers-monitor",
        started_at=at("2024-05-14T08:00"),
        status="abandoned",
        worker="may-2:202",
        summary="Tiến trình may-2:202 đã ngừng hoạt động khi đang chạy tác vụ này (mất tín hiệu); "
        "tác vụ được chạy lại ngay.",
    )
    with time_machine.travel(at("2024-05-14T09:00"), tick=False):
        text = page(client).content.decode()
    assert "Bị bỏ dở" in text and "may-2:202" in text and "tác vụ được chạy lại ngay" in text
