"""The reform pages in a real browser at desktop size: a plan and its tasks, progress with an
evidence file, a task becoming overdue as the clock passes its deadline; a draft and its appraisal."""

import re

import pytest
import time_machine
from playwright.sync_api import expect

from motcua.accounts.roles import Role
from motcua.reform.models import Draft, LegalActivity, Plan, Task, TaskProgress, TaskStatus
from tests.accounts.factories import UnitFactory, UserFactory
from tests.browser.helpers import assert_no_axe_violations, screenshot, sign_in

pytestmark = pytest.mark.browser
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def desktop(browser, live_server, transactional_db):
    context = browser.new_context(
        base_url=live_server.url, viewport=DESKTOP, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh"
    )
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.route(
        "**/*",
        lambda route: (
            route.continue_() if route.request.url.startswith(live_server.url) else route.abort()
        ),
    )
    yield page
    context.close()


def _main(page) -> str:
    return page.locator("main").inner_text()


def test_plan_tasks_progress_and_a_task_becoming_overdue(desktop, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    page = desktop
    office = UnitFactory(name="Văn phòng Sở Tư pháp")
    leader = UserFactory(role=Role.DEPARTMENT_LEADER, unit=office)
    # Monday 13/03/2023, half an hour before the close of office.
    with time_machine.travel("2023-03-13T17:00+07:00", tick=True) as clock:
        sign_in(page, leader)
        page.goto("/can-bo/cai-cach/ke-hoach/them/")
        page.get_by_role("button", name="Lưu").click()  # nothing filled in
        expect(page.locator("main")).to_contain_text("Chưa lưu được")
        expect(page.locator("main")).to_contain_text("Thông tin này là bắt buộc.")
        assert not Plan.objects.exists()
        page.get_by_label("Số, ký hiệu").fill("08/KH-STP")
        page.get_by_label("Ngày ban hành").fill("2023-01-16")
        page.get_by_label("Trích yếu").fill("Kế hoạch công tác cải cách hành chính năm 2023")
        page.get_by_label("Cơ quan ban hành").select_option(label=office.name)
        page.get_by_role("button", name="Lưu").click()
        page.wait_for_url(re.compile(r"/can-bo/cai-cach/ke-hoach/\d+/$"))
        assert_no_axe_violations(page)

        for title, deadline in (
            ("Ban hành Kế hoạch tuyên truyền CCHC năm 2023", "2023-03-13"),
            ("Tự kiểm tra công tác CCHC tại các Phòng, Trung tâm", "2023-06-30"),
        ):
            page.get_by_role("link", name="Thêm nhiệm vụ").click()
            page.get_by_label("Nội dung nhiệm vụ").fill(title)
            page.get_by_label("Lĩnh vực CCHC").select_option(label="Chỉ đạo, điều hành")
            page.get_by_label("Đơn vị chủ trì").select_option(label=office.name)
            page.get_by_label("Ngày giao").fill("2023-01-16")
            page.get_by_label("Thời hạn hoàn thành").fill(deadline)
            page.get_by_role("button", name="Lưu").click()
            page.wait_for_url(re.compile(r"/can-bo/cai-cach/nhiem-vu/\d+/$"))
            page.get_by_role("link", name="Kế hoạch số 08/KH-STP ngày 16/01/2023").click()
            page.wait_for_url(re.compile(r"/can-bo/cai-cach/ke-hoach/\d+/$"))
        assert Task.objects.filter(plan__number="08/KH-STP").count() == 2
        assert "Quá hạn" not in _main(page)

        page.get_by_role("link", name="Ban hành Kế hoạch tuyên truyền CCHC năm 2023").click()
        page.wait_for_url(
            re.compile(r"/can-bo/cai-cach/nhiem-vu/\d+/$")
        )  # axe on the task, not mid-way
        assert_no_axe_violations(page)
        page.get_by_label("Trạng thái sau cập nhật").select_option(label="Đang thực hiện")
        page.get_by_label("Nội dung tiến độ").fill("Đã trình dự thảo Kế hoạch")
        page.get_by_label("Tệp minh chứng").set_input_files(
            {"name": "du-thao.pdf", "mimeType": "application/pdf", "buffer": b"<html>fake</html>"}
        )
        page.get_by_role("button", name="Cập nhật tiến độ").click()
        expect(page.locator("main")).to_contain_text(
            "Tệp minh chứng phải là PDF, JPEG, PNG, DOCX hoặc XLSX."
        )
        assert not TaskProgress.objects.exists()
        page.get_by_label("Tệp minh chứng").set_input_files(
            {"name": "du-thao.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4 du thao"}
        )
        page.get_by_role("button", name="Cập nhật tiến độ").click()
        expect(page.locator("main")).to_contain_text("Đã cập nhật tiến độ.")
        expect(page.locator("main")).to_contain_text("Minh chứng: du-thao.pdf")
        assert page.locator("#task-status").inner_text() == "Đang thực hiện"
        screenshot(page, "reform-task-1280")

        # The close of office passes: the task is overdue, without anything being saved.
        clock.move_to("2023-03-13T17:45+07:00")
        page.reload()
        assert page.locator("#task-status").inner_text() == "Đang thực hiện — Quá hạn"
        page.goto("/can-bo/cai-cach/nhiem-vu/?qua_han=1")
        expect(page.locator("main")).to_contain_text("Ban hành Kế hoạch tuyên truyền CCHC năm 2023")
        assert "Tự kiểm tra công tác CCHC" not in _main(page)
        page.goto(f"/can-bo/cai-cach/ke-hoach/{Plan.objects.get().pk}/")
        expect(page.locator("main")).to_contain_text("1 quá hạn")
    assert Task.objects.get(deadline="2023-03-13").status == TaskStatus.IN_PROGRESS


def test_register_a_draft_and_its_appraisal(desktop):
    page = desktop
    legal = UnitFactory(name="Phòng Xây dựng, kiểm tra và theo dõi thi hành pháp luật")
    with time_machine.travel("2023-05-25T09:00+07:00", tick=True):
        sign_in(page, UserFactory(role=Role.DEPARTMENT_LEADER, unit=legal))
        page.goto("/can-bo/cai-cach/du-thao/them/")
        page.get_by_label("Tên dự thảo").fill("Dự thảo Quyết định quy định giá đất")
        page.get_by_label("Cơ quan sẽ ban hành").select_option(
            label="Bộ trưởng, Thủ trưởng cơ quan ngang bộ"
        )
        page.get_by_label("Loại văn bản").select_option(label="Quyết định")
        page.get_by_label("Cơ quan chủ trì soạn thảo").fill("Sở Tài nguyên và Môi trường")
        page.get_by_label("Ngày nhận").fill("2023-05-20")
        page.get_by_role("button", name="Lưu").click()
        expect(page.locator("main")).to_contain_text("chỉ ban hành văn bản QPPL loại: Thông tư")
        assert not Draft.objects.exists()
        page.get_by_label("Cơ quan sẽ ban hành").select_option(label="UBND tỉnh")
        page.get_by_role("button", name="Lưu").click()
        page.wait_for_url(re.compile(r"/can-bo/cai-cach/hoat-dong/them/\?du_thao=\d+$"))
        assert_no_axe_violations(page)
        page.get_by_label("Ngày thực hiện").fill("2023-05-24")
        page.get_by_label("Văn bản kết quả").fill("Báo cáo thẩm định số 45/BC-STP")
        page.get_by_role("button", name="Lưu").click()
        page.wait_for_url(re.compile(r"/can-bo/cai-cach/hoat-dong/$"))
        expect(page.locator("main")).to_contain_text("Thẩm định: 1 dự thảo")
        expect(page.locator("main")).to_contain_text("Báo cáo thẩm định số 45/BC-STP")
        assert_no_axe_violations(page)
    activity = LegalActivity.objects.get()
    assert (activity.kind, activity.draft.title) == (
        "appraisal",
        "Dự thảo Quyết định quy định giá đất",
    )


def test_overview_register_and_par_pages_are_accessible(desktop):
    from motcua.reform.demo import load_demo
    from motcua.reform.models import ParAssessment

    page = desktop
    with time_machine.travel("2023-07-03T09:00+07:00", tick=True):
        load_demo()
        sign_in(page, UserFactory(role=Role.SPECIALIST))
        page.goto("/can-bo/cai-cach/")
        page.get_by_label("Từ ngày").fill("2023-01-01")
        page.get_by_label("Đến ngày").fill("2023-06-30")
        page.get_by_role("button", name="Xem").click()
        page.wait_for_url(re.compile(r"date_from=2023-01-01"))
        expect(page.locator("main")).to_contain_text(
            "70 nhiệm vụ: 11 đã hoàn thành, 35 đang thực hiện, 24 chưa thực hiện"
        )
        expect(page.locator("main")).to_contain_text(
            "50 nhiệm vụ: 47 đã hoàn thành, 3 đang thực hiện"
        )
        assert_no_axe_violations(page)
        screenshot(page, "reform-home-1280")
        for path in (
            "/can-bo/cai-cach/van-ban/",
            "/can-bo/cai-cach/het-hieu-luc/?nam=2022",
            "/can-bo/cai-cach/iso/",
            f"/can-bo/cai-cach/chi-so-cchc/{ParAssessment.objects.get().pk}/",
        ):
            page.goto(path)
            assert_no_axe_violations(page)
        page.goto("/can-bo/cai-cach/het-hieu-luc/?nam=2022")
        expect(page.locator("main")).to_contain_text("Hết hiệu lực toàn bộ (53 văn bản)")
        expect(page.locator("main")).to_contain_text("Hết hiệu lực một phần (17 văn bản)")
