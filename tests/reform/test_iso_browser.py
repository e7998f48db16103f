"""The ISO register's pages in a real browser at desktop size: the overdue flag on the list, a new
issue of a document through its page (a bad review date first), an audit's finding and its action;
axe finds nothing on each page."""

import re
from datetime import date

import pytest
import time_machine
from playwright.sync_api import expect

from motcua.accounts.roles import Role
from motcua.reform import services
from motcua.reform.models import IsoDocumentVersion
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


def test_register_document_issue_and_audit_in_the_browser(desktop):
    page = desktop
    office = UnitFactory(name="Văn phòng Sở Tư pháp")
    leader = UserFactory(role=Role.DEPARTMENT_LEADER, unit=office)
    process = services.iso_process_create(
        None, code="QT-NB-01", name="Quy trình kiểm soát tài liệu", kind="internal", unit=office
    )
    services.iso_version_add(
        None, process.pk, version="01", issued_on=date(2022, 3, 1),
        next_review_on=date(2023, 3, 1), approver="Giám đốc Sở",
    )  # fmt: skip
    audit = services.iso_audit_create(
        None, year=2023, title="Đánh giá nội bộ năm 2023", held_from=date(2023, 5, 15),
        held_to=date(2023, 5, 19), lead_auditor="Chánh Văn phòng", processes=[process.pk],
    )  # fmt: skip
    services.iso_finding_add(
        None, audit.pk, kind="nonconformity", clause="7.5.3", found_on=date(2023, 5, 16),
        description="Hồ sơ chưa được lưu theo quy trình.", process=process.pk,
    )  # fmt: skip
    with time_machine.travel("2023-07-03T09:00+07:00", tick=True):
        sign_in(page, leader)
        page.goto("/can-bo/cai-cach/iso/")
        expect(page.locator("main")).to_contain_text("quá hạn rà soát")
        assert_no_axe_violations(page)
        screenshot(page, "iso-register")

        page.goto(f"/can-bo/cai-cach/iso/{process.pk}/")
        page.get_by_role("link", name="QT-NB-01").first.click()
        page.wait_for_url(re.compile(r"/can-bo/cai-cach/iso/tai-lieu/\d+/$"))
        form = page.locator("form").filter(has=page.get_by_role("button", name="Ban hành"))
        form.get_by_label("Lần ban hành").fill("02")
        form.get_by_label("Ngày ban hành").fill("2023-03-30")
        form.get_by_label("Người phê duyệt").fill("Giám đốc Sở")
        form.get_by_label("Hạn rà soát").fill("2023-03-01")
        form.get_by_role("button", name="Ban hành").click()
        expect(page.locator("main")).to_contain_text("Hạn rà soát phải sau ngày ban hành.")
        assert IsoDocumentVersion.objects.count() == 1
        form = page.locator("form").filter(has=page.get_by_role("button", name="Ban hành"))
        form.get_by_label("Hạn rà soát").fill("2024-03-30")
        form.get_by_role("button", name="Ban hành").click()
        expect(page.locator("main")).to_contain_text("đã bị thay thế")
        assert_no_axe_violations(page)
        screenshot(page, "iso-document")

        page.goto(f"/can-bo/cai-cach/iso/danh-gia/{audit.pk}/")
        expect(page.locator("main")).to_contain_text("Điểm không phù hợp — điều 7.5.3")
        assert_no_axe_violations(page)
        screenshot(page, "iso-audit")
        for path in ("/can-bo/cai-cach/iso/tai-lieu/", "/can-bo/cai-cach/iso/don-vi/",
                     "/can-bo/cai-cach/iso/xem-xet/", "/can-bo/cai-cach/iso/danh-gia/"):  # fmt: skip
            page.goto(path)
            assert_no_axe_violations(page)
