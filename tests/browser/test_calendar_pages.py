"""The working-calendar administration in a real browser, at phone size."""

import re
from datetime import time

import pytest

from motcua.accounts.roles import Role
from motcua.calendars.models import OfficeHours
from motcua.calendars.services import calendar_seed_official_notices
from tests.accounts.factories import UnitFactory, UserFactory
from tests.browser.helpers import assert_no_axe_violations, screenshot, sign_in

pytestmark = pytest.mark.browser


def test_year_page_and_due_calculator_are_accessible(page):
    calendar_seed_official_notices()  # a browser test's database is flushed between tests
    sign_in(page, UserFactory(role=Role.ADMINISTRATOR))
    page.goto("/can-bo/lich-lam-viec/?nam=2024")
    assert "Làm bù cho thứ Hai 29/04/2024" in page.locator("main").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_no_axe_violations(page)
    screenshot(page, "calendar-2024-360x800")

    page.get_by_role("link", name="Tính hạn giải quyết").click()
    page.get_by_label("Thời điểm tiếp nhận").fill("2024-04-26T16:00")
    page.get_by_label("Số ngày làm việc").fill("5")
    page.get_by_role("button", name="Tính hạn").click()
    page.wait_for_load_state()
    assert "16 giờ 00 phút" in page.get_by_role("status").inner_text()
    assert "07/05/2024" in page.get_by_role("status").inner_text()
    assert_no_axe_violations(page)


def test_administrator_sets_a_units_office_hours(page):
    unit = UnitFactory(name="Trung tâm Trợ giúp pháp lý nhà nước")
    sign_in(page, UserFactory(role=Role.ADMINISTRATOR))
    page.goto("/can-bo/lich-lam-viec/")
    page.get_by_role("link", name="Giờ làm việc của đơn vị").first.click()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_no_axe_violations(page)
    page.get_by_role("link", name=f"Sửa giờ làm việc của {unit.name}").click()
    page.get_by_label("Buổi chiều đến").fill("17:00")
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_load_state()
    assert "(đang là 7 giờ 30 phút)" in page.locator("main").inner_text()
    assert not OfficeHours.objects.exists()
    assert_no_axe_violations(page)
    page.get_by_label("Buổi sáng từ").fill("07:00")
    page.get_by_label("Buổi sáng đến").fill("11:00")
    page.get_by_label("Buổi chiều từ").fill("13:00")
    page.get_by_label("Buổi chiều đến").fill("17:00")
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_url(re.compile(r"/can-bo/lich-lam-viec/gio-lam-viec/$"))
    assert "07:00–11:00, 13:00–17:00 (riêng)" in page.locator("main").inner_text()
    assert OfficeHours.objects.get(unit=unit).sessions() == (
        (time(7, 0), time(11, 0)),
        (time(13, 0), time(17, 0)),
    )
    screenshot(page, "office-hours-360x800")
