"""Issue 15 items 8 and 9 on a phone (360×800, Debian's Chromium): a citizen applies online for a
procedure whose fee is due at submission, sees the fee and its moment on the form, submits, finds
the VietQR and the receipt link on the confirmation page, downloads the receipt (its text read with
pdftotext), saves the QR as a PNG, and on her dossier page copies the account, the amount and the
transfer content with the "Sao chép" buttons (copy.js); without JavaScript the same values are
plain text and the buttons stay hidden. axe on every page."""

import subprocess

import pytest
from django.conf import settings
from django.test import Client

from motcua.dossiers.models import Dossier
from motcua.payments.models import Charge
from tests.payments.helpers import ACCOUNT, collecting_account
from tests.portal.factories import CODE, citizen, pdf_bytes, png_bytes

from .fixtures import VIEWPORT
from .helpers import assert_no_axe_violations, screenshot

pytestmark = pytest.mark.browser


def check(page):
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORT["width"], page.url
    assert_no_axe_violations(page)


def _signed_in(page, live_server, user) -> list[dict]:
    client = Client()
    client.force_login(user)
    cookie = {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_server.url,
    }
    page.context.add_cookies([cookie])
    return [cookie]


def _pdf_text(path) -> str:
    result = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True)
    return " ".join(result.stdout.split())


def test_apply_pay_by_vietqr_and_download_the_receipt(page, browser, live_server, desk):
    collecting_account()
    hương = citizen()
    cookies = _signed_in(page, live_server, hương)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)

    # The procedure page says when the fee is paid.
    page.goto(f"/cong-dan/thu-tuc/{CODE}/")
    check(page)
    assert "nộp khi nộp hồ sơ" in page.content()
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
    page.get_by_role("button", name="Bắt đầu khai hồ sơ").click()

    # The form shows the fee and its moment; two papers uploaded; submit.
    check(page)
    assert "200.000 đồng" in page.content() and "trang xác nhận" in page.content()
    page.get_by_label("Địa chỉ").fill("Thôn 3, xã Cẩm Xuyên, Hà Tĩnh")
    page.set_input_files(
        "#file_1",
        files=[{"name": "tờ khai.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}],
    )
    page.set_input_files(
        "#file_2", files=[{"name": "cccd.png", "mimeType": "image/png", "buffer": png_bytes()}]
    )
    page.get_by_label("Nhận trực tiếp tại Bộ phận Một cửa").check()
    page.get_by_label("Tin nhắn SMS").check()
    page.get_by_role("button", name="Nộp hồ sơ").click()

    # The confirmation: the QR (its charge opened when the submission committed), the receipt.
    check(page)
    dossier = Dossier.objects.get()
    charge = Charge.objects.get(dossier=dossier)
    assert page.locator("#vietqr").is_visible()
    assert charge.reference in page.content()
    screenshot(page, "portal-online-fee-confirmation")
    with page.expect_download() as receipt_download:
        page.get_by_role("link", name="Tải giấy xác nhận nộp hồ sơ (PDF)").click()
    receipt = receipt_download.value
    assert receipt.suggested_filename == f"Giấy xác nhận nộp hồ sơ {dossier.short_reference}.pdf"
    text = _pdf_text(receipt.path())
    assert "GIẤY XÁC NHẬN NỘP HỒ SƠ TRỰC TUYẾN" in text and "tờ khai.pdf" in text
    assert dossier.short_reference[:4] in text and "dự kiến" in text
    with page.expect_download() as png_download:
        page.get_by_role("link", name="Lưu ảnh mã QR").click()
    assert png_download.value.suggested_filename.endswith(".png")
    with open(png_download.value.path(), "rb") as png:
        assert png.read(4) == b"\x89PNG"

    # The dossier page: the QR with the copy buttons.
    page.get_by_role("link", name="Xem hồ sơ của tôi").click()
    check(page)
    assert page.locator("#vietqr").is_visible()
    for button, expected in (
        ("Sao chép số tài khoản", ACCOUNT),
        ("Sao chép số tiền", "200000"),
        ("Sao chép nội dung", charge.reference),
    ):
        page.get_by_role("button", name=button).click()
        assert page.evaluate("navigator.clipboard.readText()") == expected
        assert f"Đã sao chép: {expected}" in page.locator(".copy-status").inner_text()
    check(page)
    screenshot(page, "portal-online-fee-dossier")
    dossier_path = page.url

    # Without JavaScript: the values as text, no copy button shown.
    plain_context = browser.new_context(
        base_url=live_server.url, viewport=VIEWPORT, java_script_enabled=False
    )
    plain_context.add_cookies(cookies)
    plain = plain_context.new_page()
    plain.goto(dossier_path)
    assert plain.locator("#fee-account").inner_text() == ACCOUNT
    assert plain.locator("#fee-reference").inner_text() == charge.reference
    assert plain.get_by_role("button", name="Sao chép số tài khoản").count() == 0
    plain_context.close()
