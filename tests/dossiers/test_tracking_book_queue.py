"""[K] 17, ADR 0026: a large tracking book is queued, built by a worker and downloaded from a page
that waits for it — by the officer who asked only; a small one still comes at once."""

import io
import shutil
import subprocess
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from motcua.accounts.roles import Role
from motcua.backoffice import views_dossier_tracking
from motcua.core import worker as worker_module
from motcua.core.background import background_purge_run, results_storage
from motcua.core.clock import now
from motcua.core.models import BackgroundTask, PersonalDataRead, WorkerBeat
from motcua.core.worker import Worker
from motcua.dossiers.models import Dossier
from motcua.dossiers.official_forms import tracking_book
from tests.accounts.factories import UnitFactory, UserFactory
from tests.dossiers.test_services import act, receive

needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing")
APRIL = "?tu=2024-04-01&den=2024-04-30"
REFRESH = '<meta http-equiv="refresh" content="3">'


@pytest.fixture
def april(desk):
    """Three dossiers received in April 2024 (one returned), and books of more than one line
    counted as large, so that they go through the queue."""
    returned = receive(desk)
    act(desk["head"], returned, "assign", "2024-05-02T08:00", assignee_id=desk["specialist"].pk)
    others = [receive(desk, when=f"2024-04-2{day}T09:00") for day in (2, 3)]
    return [returned, *others]


@pytest.fixture(autouse=True)
def large_above_one_line(monkeypatch):
    monkeypatch.setattr(views_dossier_tracking, "INLINE_MAX_LINES", {"pdf": 1, "xlsx": 1})
    monkeypatch.setattr(worker_module, "JOBS", {})  # these workers only build books


def worker_pass():
    """A worker's pass, as `motcua worker --once` makes it: here, the queued books."""
    Worker(name="may-so:1", poll=0.05, report=lambda line: None).run_once()


def ask(client, user, query=APRIL, kind=""):
    client.force_login(user)
    suffix = f"&dinh-dang={kind}" if kind else ""
    return client.get(reverse("backoffice:tracking_book") + query + suffix)


def page_of(client, task):
    return client.get(reverse("backoffice:tracking_book_task", args=[task.pk]))


def download_of(client, task):
    return client.get(reverse("backoffice:tracking_book_download", args=[task.pk]))


def pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "book.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return " ".join(text.stdout.split())


def reads_of(user) -> int:
    return PersonalDataRead.objects.filter(actor=user, purpose="tracking_book").count()


@needs_poppler
def test_a_large_book_goes_through_the_queue_and_the_page_shows_the_link(
    client, desk, april, tmp_path
):
    response = ask(client, desk["desk"])
    task = BackgroundTask.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:tracking_book_task", args=[task.pk])
    assert task.arguments == {
        "format": "pdf",
        "from": "2024-04-01",
        "to": "2024-04-30",
        "unit": desk["desk"].unit_id,
    }
    waiting = page_of(client, task).content.decode()
    assert "Đang lập sổ theo dõi hồ sơ…" in waiting and REFRESH in waiting
    assert "từ ngày 01/04/2024 đến ngày 30/04/2024" in waiting
    assert "hiện không có tiến trình chạy nền nào hoạt động" in waiting  # none started yet
    assert reads_of(desk["desk"]) == 0  # nothing read yet
    assert ask(client, desk["desk"]).status_code == 302  # asked again: the same task
    assert BackgroundTask.objects.count() == 1

    worker_pass()
    ready = page_of(client, task).content.decode()
    link = reverse("backoffice:tracking_book_download", args=[task.pk])
    assert REFRESH not in ready and "Đã lập xong" in ready and f'href="{link}"' in ready
    response = download_of(client, task)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "so-theo-doi-20240401-20240430.pdf" in response["Content-Disposition"]
    text = pdf_text(b"".join(response.streaming_content), tmp_path)
    assert "SỔ THEO DÕI HỒ SƠ" in text and "Tổng số: 3 hồ sơ" in text
    for dossier in april:
        assert dossier.code.split("-")[0] in text
    assert reads_of(desk["desk"]) == 1
    assert PersonalDataRead.objects.get(purpose="tracking_book").subject == (
        f"unit:{desk['desk'].unit_id}:2024-04-01:2024-04-30"
    )


def test_a_large_spreadsheet_goes_through_the_queue_too(client, desk, april):
    ask(client, desk["desk"], kind="xlsx")
    task = BackgroundTask.objects.get()
    worker_pass()
    task.refresh_from_db()
    assert task.status == "done" and task.summary == "3 hồ sơ" and task.worker == "may-so:1"
    response = download_of(client, task)
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    codes = [row[1] for row in sheet.iter_rows(min_row=6, values_only=True)][:3]
    assert sorted(codes) == sorted(d.code for d in april)


def test_a_small_book_still_comes_at_once(client, desk, april, monkeypatch):
    monkeypatch.setattr(views_dossier_tracking, "INLINE_MAX_LINES", {"pdf": 3, "xlsx": 3})
    response = ask(client, desk["desk"])
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert BackgroundTask.objects.count() == 0 and reads_of(desk["desk"]) == 1


def test_a_pdf_beyond_what_anyone_prints_is_refused_with_a_way_out(
    client, desk, april, monkeypatch
):
    monkeypatch.setattr(views_dossier_tracking, "MAX_PDF_LINES", 2)
    response = ask(client, desk["desk"])
    text = response.content.decode()
    assert response.status_code == 400
    assert "có 3 hồ sơ" in text and "tối đa 2 dòng" in text and "XLSX" in text
    assert BackgroundTask.objects.count() == 0 and reads_of(desk["desk"]) == 0
    assert ask(client, desk["desk"], kind="xlsx").status_code == 302  # the spreadsheet is queued


def test_only_the_officer_who_asked_gets_the_book(client, desk, april):
    ask(client, desk["desk"])
    task = BackgroundTask.objects.get()
    worker_pass()
    colleague = UserFactory(role=Role.DESK_OFFICER, unit=desk["desk"].unit)
    elsewhere = UserFactory(role=Role.DESK_OFFICER, unit=UnitFactory())
    for user in (colleague, elsewhere, desk["leader"]):
        client.force_login(user)
        assert page_of(client, task).status_code == 404
        assert download_of(client, task).status_code == 404
    client.force_login(desk["specialist"])  # a specialist keeps no book at all
    assert download_of(client, task).status_code == 403
    assert PersonalDataRead.objects.filter(purpose="tracking_book").count() == 0


def test_the_officer_moved_to_another_unit_no_longer_gets_the_old_units_book(client, desk, april):
    ask(client, desk["desk"])
    task = BackgroundTask.objects.get()
    worker_pass()
    officer = desk["desk"]
    officer.unit = UnitFactory()
    officer.save()
    client.force_login(officer)
    assert download_of(client, task).status_code == 403
    assert "được lập cho đơn vị cũ" in page_of(client, task).content.decode()
    assert reads_of(officer) == 0


def test_a_book_refused_by_the_worker_shows_why(client, desk, april):
    """Moved to another unit after asking and before the worker built it: the book is not built
    for the new unit under the old request."""
    ask(client, desk["desk"])
    task = BackgroundTask.objects.get()
    desk["desk"].unit = UnitFactory()
    desk["desk"].save()
    worker_pass()
    task.refresh_from_db()
    assert task.status == "failed" and task.result == ""
    text = page_of(client, task).content.decode()
    assert "Không lập được sổ:" in text and "đã chuyển sang đơn vị khác" in text
    assert REFRESH not in text
    assert download_of(client, task).status_code == 403


def test_a_failed_build_shows_the_error_and_its_number(client, desk, april, monkeypatch):
    def broken(user, date_from, date_to, target):
        raise RuntimeError("WeasyPrint hết bộ nhớ")

    monkeypatch.setitem(tracking_book.BOOK_FORMATS, "pdf", (broken, "application/pdf"))
    ask(client, desk["desk"])
    task = BackgroundTask.objects.get()
    worker_pass()
    text = page_of(client, task).content.decode()
    assert f"Không lập được tệp do lỗi hệ thống (việc số {task.pk})" in text
    assert "WeasyPrint" not in text  # the technical cause is in the log, not on the page
    assert download_of(client, task).status_code == 404


def test_an_officer_cannot_fill_the_queue(client, desk, april):
    for day in (1, 2, 3):
        assert ask(client, desk["desk"], f"?tu=2024-04-0{day}&den=2024-04-30").status_code == 302
    response = ask(client, desk["desk"], "?tu=2024-04-04&den=2024-04-30")
    assert response.status_code == 429
    assert "Ông/bà đang có 3 yêu cầu lập tệp chưa xong" in response.content.decode()
    assert BackgroundTask.objects.count() == 3


@pytest.mark.parametrize(
    "query, message",
    [
        ("?tu=2024-04-30&den=2024-04-01", "Ngày bắt đầu (30/04/2024) sau ngày kết thúc"),
        ("?tu=2024-01-01&den=2024-06-30", "tối đa 31 ngày"),
        ("?tu=2018-01-01&den=2018-01-02", "Không có bộ biểu mẫu nào có hiệu lực"),
    ],
)
def test_a_bad_range_of_a_large_book_is_refused_before_anything_is_queued(
    client, desk, april, query, message
):
    Dossier.objects.filter(pk=april[0].pk).update(received_at="2018-01-01T09:00+07:00")
    response = ask(client, desk["desk"], query)
    assert response.status_code == 400 and message in response.content.decode()
    assert BackgroundTask.objects.count() == 0


def test_a_book_past_its_keeping_time_is_deleted_and_said_so(client, desk, april):
    ask(client, desk["desk"])
    task = BackgroundTask.objects.get()
    worker_pass()
    task.refresh_from_db()
    stored = task.result
    assert results_storage().exists(stored)
    with time_machine.travel(now() + timedelta(hours=25), tick=False):
        run = background_purge_run()
    assert run.counts["files"] == 1 and run.status == "ok"
    assert not results_storage().exists(stored)
    assert "đã hết hạn lưu" in page_of(client, task).content.decode()
    assert download_of(client, task).status_code == 404


def test_a_task_whose_worker_died_is_queued_again_then_given_up(client, desk, april):
    ask(client, desk["desk"])
    task = BackgroundTask.objects.get()
    long_ago = now() - timedelta(minutes=10)
    WorkerBeat.objects.create(
        name="may-chet:9", host="h", pid=9, started_at=long_ago, last_seen=long_ago
    )
    BackgroundTask.objects.filter(pk=task.pk).update(
        status="running", worker="may-chet:9", started_at=long_ago, attempts=1
    )
    worker_pass()  # requeued by the sweep, then built by this worker
    task.refresh_from_db()
    assert (task.status, task.worker, task.attempts) == ("done", "may-so:1", 2)
    BackgroundTask.objects.filter(pk=task.pk).update(
        status="running", worker="may-chet:9", attempts=3, result=""
    )
    worker_pass()
    task.refresh_from_db()
    assert task.status == "failed" and "bị dừng đột ngột 3 lần" in task.error


def test_the_worklist_offers_the_book_to_those_who_keep_one(client, desk):
    form = f'action="{reverse("backoffice:tracking_book")}"'
    for user, offered in ((desk["desk"], True), (desk["head"], True), (desk["specialist"], False)):
        client.force_login(user)
        text = client.get(reverse("backoffice:dossier_worklist")).content.decode()
        assert (form in text) is offered, user.role


def test_the_officer_can_stop_the_reloading(client, desk, april):
    ask(client, desk["desk"])
    task = BackgroundTask.objects.get()
    client.force_login(desk["desk"])
    url = reverse("backoffice:tracking_book_task", args=[task.pk])
    assert REFRESH in client.get(url).content.decode()
    still = client.get(url + "?tu-dong=0").content.decode()
    assert REFRESH not in still and "Trang này không tự tải lại" in still
    assert "Đang lập sổ theo dõi hồ sơ…" in still
