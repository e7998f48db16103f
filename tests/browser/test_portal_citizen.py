"""A new citizen's whole way on a phone (360×800, Debian's Chromium): search without diacritics,
sign up with a one-time code (read from the memory SMS gateway), apply for Cấp Phiếu lý lịch tư
pháp with uploads, receive a supplement request and answer it, track the dossier by code and by the
receipt's QR link (also without JavaScript), receive the result and rate it. axe runs on every page
visited; the first load of the main pages stays under 150 KB and nothing scrolls sideways, also at
200% zoom."""

import re
from urllib.parse import urlsplit

import pytest

from motcua.dossiers.models import Dossier
from motcua.dossiers.official_forms import receipt_context
from motcua.dossiers.online import tracking_url
from motcua.dossiers.services import dossier_act
from motcua.notifications import sms
from motcua.portal.models import DossierRating
from tests.portal.factories import pdf_bytes, png_bytes

from .fixtures import VIEWPORT
from .helpers import assert_no_axe_violations, first_load_bytes_of

pytestmark = pytest.mark.browser

MAX_FIRST_LOAD = 150 * 1024
PHONE = "0912345678"


@pytest.fixture
def memory_sms(settings):
    settings.SMS_GATEWAY = "memory"
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


def act(user, dossier, action, **params):
    dossier.refresh_from_db()
    return dossier_act(user, dossier.pk, action, expected_revision=dossier.revision, **params)


def check(page):
    """Every page: no axe violation, nothing cut off sideways at 360 px."""
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORT["width"], page.url
    assert_no_axe_violations(page)


def first_load_bytes(browser, live_server, path, cookies=()) -> int:
    """What one page transfers on its first load, in a fresh context (empty cache)."""
    context = browser.new_context(base_url=live_server.url, viewport=VIEWPORT)
    context.add_cookies(list(cookies))
    page = context.new_page()
    page.goto(path)
    size = first_load_bytes_of(page)
    context.close()
    return size


def no_sideways_scroll_at_200_percent(browser, live_server, paths, cookies=()) -> None:
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": VIEWPORT["width"] // 2, "height": VIEWPORT["height"] // 2},
        device_scale_factor=2,
    )
    context.add_cookies(list(cookies))
    page = context.new_page()
    for path in paths:
        page.goto(path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= VIEWPORT["width"] // 2, (path, width)
    context.close()


def test_a_new_citizen_from_search_to_rating(page, browser, live_server, desk, memory_sms):
    # Search without diacritics, open the procedure.
    page.goto("/cong-dan/")
    check(page)
    page.get_by_label("Tên hoặc mã thủ tục").fill("cap phieu ly lich tu phap")
    page.get_by_role("button", name="Tìm", exact=True).click()
    check(page)
    page.get_by_role("link", name="Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam").click()
    check(page)
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()

    # Not signed in: the sign-in form, then the code from the SMS.
    page.wait_for_load_state()
    assert "Ông/bà cần đăng nhập" in page.content()
    check(page)
    page.get_by_label("Số điện thoại hoặc thư điện tử").fill("0912 345 678")
    page.get_by_role("button", name="Gửi mã xác thực").click()
    check(page)
    assert "0912345678" in page.content()
    code = re.search(r"\b(\d{6})\b", memory_sms[-1][1]).group(1)
    page.get_by_label("Mã xác thực").fill(code)
    page.get_by_role("button", name="Đăng nhập").click()

    # First sign-in: the account asks for a name, then back to the procedure.
    check(page)
    page.get_by_label("Họ và tên").fill("Nguyễn Thị Hương")
    page.get_by_label("Số định danh cá nhân (CCCD)").fill("042190001234")
    page.get_by_role("button", name="Lưu").click()
    check(page)
    page.get_by_role("button", name="Bắt đầu khai hồ sơ").click()

    # The application: prefilled, two uploads, return at the desk, notices by SMS.
    check(page)
    application_path = urlsplit(page.url).path
    assert page.get_by_label("Họ và tên người nộp").input_value() == "Nguyễn Thị Hương"
    page.get_by_label("Địa chỉ").fill("Thôn 3, xã Cẩm Xuyên, Hà Tĩnh")
    page.set_input_files(
        "#file_1",
        files=[{"name": "to-khai.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}],
    )
    page.set_input_files(
        "#file_2", files=[{"name": "cccd.png", "mimeType": "image/png", "buffer": png_bytes()}]
    )
    page.get_by_label("Nhận trực tiếp tại Bộ phận Một cửa").check()
    page.get_by_label("Tin nhắn SMS").check()
    page.get_by_role("button", name="Nộp hồ sơ").click()
    check(page)
    assert "Đã nộp hồ sơ trực tuyến" in page.content()  # the confirmation page (issue 15, 9)
    page.get_by_role("link", name="Xem hồ sơ của tôi").click()
    check(page)
    assert "Mới đăng ký trực tuyến" in page.content()
    dossier = Dossier.objects.get()
    assert dossier.submitted_by.phone == PHONE and dossier.components.count() == 2
    dossier_path = urlsplit(page.url).path
    cookies = page.context.cookies()

    # The desk asks for a supplement; the citizen sees the reason and answers online.
    act(desk["desk"], dossier, "request_intake_supplement", note="Tờ khai chưa có chữ ký")
    assert "To khai chua co chu ky" in memory_sms[-1][1]  # GSM-7 SMS
    page.reload()
    check(page)
    assert "Tờ khai chưa có chữ ký" in page.content()
    page.get_by_role("link", name="Nộp bổ sung trực tuyến").click()
    check(page)
    page.set_input_files(
        "#file_" + str(dossier.components.get(order=1).pk),
        files=[
            {"name": "to-khai-da-ky.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes(2)}
        ],
    )
    page.get_by_role("button", name="Gửi hồ sơ bổ sung").click()
    check(page)
    dossier.refresh_from_db()
    assert dossier.status == "submitted_online"

    # Accepted: the code; track it by code and by the receipt's QR link, with and without JS.
    dossier = act(desk["desk"], dossier, "accept")
    page.goto("/cong-dan/tra-cuu/")
    check(page)
    page.get_by_label("Mã hồ sơ").fill(dossier.code)
    page.get_by_role("button", name="Tra cứu").click()
    check(page)
    assert "N*** T*** H***" in page.content() and "Đã tiếp nhận" in page.content()
    qr_target = tracking_url(dossier)
    assert dossier.code in qr_target and receipt_context(dossier)["qr"]
    tracking_path = urlsplit(qr_target).path
    page.goto(tracking_path)
    check(page)
    no_js = browser.new_context(
        base_url=live_server.url, viewport=VIEWPORT, java_script_enabled=False
    )
    plain = no_js.new_page()
    plain.goto(tracking_path)
    assert "Đã tiếp nhận, chờ phân công" in plain.content()
    plain.context.add_cookies(cookies)
    plain.goto(dossier_path)
    assert dossier.code in plain.content()
    no_js.close()

    # Processed and returned: the citizen rates on one screen.
    act(desk["head"], dossier, "assign", assignee_id=desk["specialist"].pk)
    act(desk["specialist"], dossier, "submit_for_signature")
    act(desk["leader"], dossier, "approve")
    act(desk["desk"], dossier, "return_result")
    assert "da tra ket qua" in memory_sms[-1][1] and dossier.code in memory_sms[-1][1]
    page.goto(dossier_path)
    check(page)
    page.get_by_role("link", name="Đánh giá việc giải quyết hồ sơ").click()
    check(page)
    for answer in (
        "Sớm hơn hẹn",
        "Không lần nào",
        "Chỉ Bộ phận Một cửa",
        "Nhiệt tình, chu đáo",
        "Dễ sử dụng",
    ):
        page.get_by_label(answer).check()
    page.get_by_label("Góp ý thêm (không bắt buộc)").fill("Nhanh, không phải đi lại.")
    page.get_by_role("button", name="Gửi đánh giá").click()
    check(page)
    assert "Cảm ơn ông/bà đã đánh giá" in page.content()
    assert DossierRating.objects.get().total == 9

    # Weight of the first load and 200% zoom.
    for path, with_cookies in (
        ("/cong-dan/", ()),
        ("/cong-dan/tai-khoan/dang-nhap/", ()),
        (application_path, cookies),
        (tracking_path, ()),
    ):
        size = first_load_bytes(browser, live_server, path, with_cookies)
        assert 0 < size < MAX_FIRST_LOAD, (path, size)
    no_sideways_scroll_at_200_percent(
        browser,
        live_server,
        ["/cong-dan/tai-khoan/dang-nhap/", application_path, dossier_path, tracking_path],
        cookies,
    )
