"""The citizen portal's public pages in a real Chromium at 360×800: search without accents, read a
procedure, track a dossier through the form — no axe violations, no horizontal scroll, a small first
load, and all of it with JavaScript disabled too."""

import pytest

from tests.dossiers.test_services import receive

from .fixtures import VIEWPORT
from .helpers import assert_no_axe_violations, first_load_bytes_of

pytestmark = pytest.mark.browser

MAX_FIRST_LOAD = 150 * 1024


def _check_layout(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORT["width"]
    assert_no_axe_violations(page)


def _search_read_track(page, code) -> None:
    page.goto("/cong-dan/")
    page.get_by_label("Tên hoặc mã thủ tục").fill("ly lich tu phap")  # no accents typed
    page.get_by_role("button", name="Tìm", exact=True).click()
    page.wait_for_load_state()
    link = page.get_by_role("link", name="Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam")
    assert link.count() == 1
    search_url = page.url
    link.click()
    page.wait_for_load_state()
    assert "200.000 đồng" in page.content() and "10 ngày làm việc" in page.content()
    procedure_url = page.url
    page.goto("/cong-dan/tra-cuu/")
    page.get_by_label("Mã hồ sơ").fill(code)
    page.get_by_role("button", name="Tra cứu").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/cong-dan/tra-cuu/{code}/")
    body = page.content()
    assert "N*** T*** H***" in body and "042190001234" not in body and "0912345678" not in body
    return search_url, procedure_url


def test_search_read_and_track_on_a_phone(page, desk):
    dossier = receive(desk)
    page.goto("/cong-dan/")
    weight = first_load_bytes_of(page)
    assert 0 < weight < MAX_FIRST_LOAD, weight
    _check_layout(page)

    search_url, procedure_url = _search_read_track(page, dossier.code)
    _check_layout(page)  # the tracking page
    for url in (search_url, procedure_url):
        page.goto(url)
        _check_layout(page)
    page.goto("/cong-dan/tra-cuu/KHONG-CO-MA/")
    assert "Không tìm thấy hồ sơ" in page.content()
    _check_layout(page)


def test_the_site_address_opens_the_portal_on_a_phone(page, desk):
    """A citizen who types the department's address lands on the portal (ADR 0025), not on the staff
    sign-in: the same light, accessible page, with a way for staff to reach their sign-in."""
    page.goto("/")
    assert page.url.endswith("/") and "dang-nhap" not in page.url
    assert page.viewport_size == VIEWPORT
    assert page.get_by_label("Tên hoặc mã thủ tục").is_visible()
    weight = first_load_bytes_of(page)
    assert 0 < weight < MAX_FIRST_LOAD, weight
    _check_layout(page)
    page.get_by_role("link", name="Cán bộ đăng nhập").click()
    page.wait_for_load_state()
    assert page.url.endswith("/can-bo/dang-nhap/")


def test_works_without_javascript(browser, live_server, desk):
    dossier = receive(desk)
    context = browser.new_context(
        base_url=live_server.url, viewport=VIEWPORT, locale="vi-VN", java_script_enabled=False
    )
    try:
        page = context.new_page()
        _search_read_track(page, dossier.code)
        assert "Đã tiếp nhận, chờ phân công" in page.content()
    finally:
        context.close()


def test_usable_at_200_percent_zoom(browser, live_server, desk):
    """200% zoom of a 360 px phone is a 180 CSS px viewport: still no horizontal scroll."""
    dossier = receive(desk)
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": VIEWPORT["width"] // 2, "height": VIEWPORT["height"] // 2},
        device_scale_factor=2,
        locale="vi-VN",
    )
    try:
        page = context.new_page()
        for url in (
            "/",
            "/cong-dan/?q=ly+lich+tu+phap",
            "/cong-dan/thu-tuc/2.001417/",
            f"/cong-dan/tra-cuu/{dossier.code}/",
        ):
            page.goto(url)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= VIEWPORT["width"] // 2, (url, width)
    finally:
        context.close()
