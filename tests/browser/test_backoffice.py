"""The back office in a real browser, at phone size."""

import re

import pytest

from motcua.accounts.roles import Role
from motcua.org.models import Unit, UnitKind
from tests.accounts.factories import UnitFactory, UserFactory
from tests.browser.helpers import assert_no_axe_violations, screenshot, sign_in

pytestmark = pytest.mark.browser

HOME_HEADINGS = {
    Role.DESK_OFFICER: "Tiếp nhận hồ sơ",
    Role.SPECIALIST: "Hồ sơ cần xử lý",
    Role.DIVISION_HEAD: "Hồ sơ cần xử lý",
    Role.DEPARTMENT_LEADER: "Tổng quan",
    Role.ADMINISTRATOR: "Quản trị hệ thống",
}


@pytest.mark.parametrize("role", list(HOME_HEADINGS))
def test_each_role_signs_in_to_its_home(page, role):
    user = UserFactory(role=role, full_name="Nguyễn Thị Hoa")
    sign_in(page, user)
    assert page.url.endswith("/can-bo/")
    assert page.get_by_role("heading", level=1).inner_text() == "Xin chào, Nguyễn Thị Hoa"
    assert page.get_by_role("heading", level=2, name=HOME_HEADINGS[role]).is_visible()
    admin_link = page.get_by_role("navigation").get_by_role("link", name="Đơn vị")
    assert admin_link.count() == (1 if role == Role.ADMINISTRATOR else 0)


def test_wrong_password_shows_the_vietnamese_error(page):
    user = UserFactory(role=Role.SPECIALIST)
    sign_in(page, user, password="mat-khau-sai")
    assert "/can-bo/dang-nhap/" in page.url
    alert = page.get_by_role("alert")
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in alert.inner_text()


def test_sign_out(page):
    sign_in(page, UserFactory(role=Role.DESK_OFFICER))
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_url(re.compile(r"/can-bo/dang-nhap/$"))
    page.goto("/can-bo/")
    assert "/can-bo/dang-nhap/" in page.url


def test_login_page_is_accessible_at_phone_size(page):
    page.goto("/can-bo/dang-nhap/")
    assert page.viewport_size == {"width": 360, "height": 800}
    # Nothing wider than the phone: no sideways scrolling.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_no_axe_violations(page)
    screenshot(page, "login-360x800")


def test_login_error_state_is_accessible(page):
    sign_in(page, UserFactory(role=Role.SPECIALIST), password="mat-khau-sai")
    assert_no_axe_violations(page)


@pytest.mark.parametrize("role", list(HOME_HEADINGS))
def test_home_page_is_accessible_at_phone_size(page, role):
    sign_in(page, UserFactory(role=role, unit__name="Phòng Hành chính tư pháp"))
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_no_axe_violations(page)
    screenshot(page, f"home-{role}-360x800")


def test_administrator_adds_a_unit_and_sees_it_in_the_tree(page):
    province = UnitFactory(code="000.00.00.H26", name="UBND tỉnh Hà Tĩnh", kind=UnitKind.PROVINCE)
    UnitFactory(code="000.00.12.H26", name="Sở Tư pháp", kind=UnitKind.DEPARTMENT, parent=province)
    sign_in(page, UserFactory(role=Role.ADMINISTRATOR, unit=province))

    page.get_by_role("navigation").get_by_role("link", name="Đơn vị").click()
    page.get_by_role("link", name="Thêm đơn vị").click()
    page.get_by_label("Mã định danh").fill("000.06.12.H26")
    page.get_by_label("Tên đơn vị").fill("Phòng Bổ trợ tư pháp")
    page.get_by_label("Tên viết tắt").fill("BTTP")
    page.get_by_label("Loại đơn vị").select_option(UnitKind.DIVISION.value)
    page.get_by_label("Đơn vị cấp trên").select_option(label="— Sở Tư pháp (000.00.12.H26)")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Thêm đơn vị").click()

    page.wait_for_url(re.compile(r"/can-bo/to-chuc/$"))
    assert "Đã thêm đơn vị “Phòng Bổ trợ tư pháp”." in page.get_by_role("status").inner_text()
    items = page.locator(".tree__item")
    names = [items.nth(i).get_by_role("link").inner_text() for i in range(items.count())]
    assert names == ["UBND tỉnh Hà Tĩnh", "Sở Tư pháp", "Phòng Bổ trợ tư pháp"]
    new_item = items.nth(2)
    assert "tree__item--d2" in new_item.get_attribute("class")
    # The indentation is visible, not just a class name: each level sits further right.
    lefts = [
        items.nth(i).evaluate(
            "e => e.getBoundingClientRect().left + parseFloat(getComputedStyle(e).paddingLeft)"
        )
        for i in range(3)
    ]
    assert lefts[0] < lefts[1] < lefts[2]
    assert Unit.objects.get(code="000.06.12.H26").parent.code == "000.00.12.H26"
    assert_no_axe_violations(page)
    screenshot(page, "org-units-360x800")


def test_bad_unit_code_shows_the_message_in_the_browser(page):
    sign_in(page, UserFactory(role=Role.ADMINISTRATOR))
    page.goto("/can-bo/to-chuc/don-vi/them/")
    before = Unit.objects.count()
    page.get_by_label("Mã định danh").fill("12-H26")
    page.get_by_label("Tên đơn vị").fill("Phòng sai mã")
    page.get_by_label("Loại đơn vị").select_option(UnitKind.DIVISION.value)
    page.get_by_role("button", name="Thêm đơn vị").click()
    page.wait_for_load_state()
    assert "không đúng dạng 000.00.00.H00" in page.locator("main").inner_text()
    assert Unit.objects.count() == before
    assert_no_axe_violations(page)


def test_administrator_adds_a_staff_member(page):
    unit = UnitFactory(code="000.01.12.H26", name="Phòng Hành chính tư pháp")
    sign_in(page, UserFactory(role=Role.ADMINISTRATOR, unit=unit))
    page.get_by_role("navigation").get_by_role("link", name="Cán bộ").click()
    page.get_by_role("link", name="Thêm cán bộ").click()
    page.get_by_label("Tên đăng nhập").fill("hoa.nt")
    page.get_by_label("Họ và tên").fill("Nguyễn Thị Hoa")
    page.get_by_label("Vai trò").select_option(Role.SPECIALIST.value)
    page.get_by_label("Đơn vị").select_option(str(unit.pk))
    page.get_by_label("Mật khẩu ban đầu").fill("Thu-ly-Ho-so-2024")
    assert_no_axe_violations(page)
    screenshot(page, "staff-add-360x800")
    page.get_by_role("button", name="Tạo tài khoản").click()
    page.wait_for_url(re.compile(r"/can-bo/to-chuc/can-bo/$"))
    row = page.get_by_role("row", name=re.compile("Nguyễn Thị Hoa"))
    assert (
        "Chuyên viên xử lý" in row.inner_text() and "Phòng Hành chính tư pháp" in row.inner_text()
    )
    assert_no_axe_violations(page)
    screenshot(page, "staff-list-360x800")
