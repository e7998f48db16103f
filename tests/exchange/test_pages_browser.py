"""The register pages in a real browser at desktop size, checked with axe: register a document from
the form (a bad recipient first), send it through the directory transport, see it arrive in the
other unit's register and assign it."""

import re

import pytest
from playwright.sync_api import expect

from motcua.exchange.models import IncomingDocument, OutgoingDocument
from motcua.exchange.services import exchange_receive
from motcua.exchange.transports import DirectoryTransport
from tests.browser.helpers import assert_no_axe_violations, sign_in

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


def test_register_send_receive_and_assign(desktop, settings, tmp_path, clerk, receiver_clerk):
    settings.MOTCUA_EXCHANGE_TRANSPORT = "directory"
    settings.MOTCUA_EXCHANGE_DIRECTORY = str(tmp_path)
    page = desktop
    sign_in(page, clerk)
    page.goto("/can-bo/van-thu/van-ban-di/")
    assert_no_axe_violations(page)
    page.get_by_role("link", name="Vào sổ văn bản đi").click()
    page.get_by_label("Ký hiệu").fill("STP-VP")
    page.get_by_label("Ngày ban hành").fill("2026-12-07")
    page.get_by_label("Địa danh").fill("Hà Tĩnh")
    page.get_by_label("Trích yếu").fill("V/v phối hợp thẩm định hồ sơ")
    page.locator("#id_signer_name").fill("Nguyễn Văn An")
    page.get_by_label("Nơi nhận").fill("Sở Nội vụ")
    page.get_by_role("button", name="Vào sổ").click()
    expect(page.locator("main")).to_contain_text("không đúng dạng QCVN 102:2016")
    assert_no_axe_violations(page)
    assert not OutgoingDocument.objects.exists()
    page.get_by_label("Nơi nhận").fill("000.00.07.H27 Sở Nội vụ")
    page.get_by_role("button", name="Vào sổ").click()
    page.wait_for_url(re.compile(r"/can-bo/van-thu/van-ban-di/\d+/$"))
    expect(page.locator("main")).to_contain_text("Đã vào sổ văn bản đi số 01/STP-VP")
    page.get_by_role("button", name="Gửi qua trục liên thông").click()
    expect(page.locator("#outgoing-state")).to_contain_text("Đã gửi")
    assert_no_axe_violations(page)

    exchange_receive(DirectoryTransport(tmp_path, ["000.00.07.H27"]))
    incoming = IncomingDocument.objects.get()
    page.context.clear_cookies()
    sign_in(page, receiver_clerk)
    page.goto("/can-bo/van-thu/van-ban-den/")
    expect(page.locator("main")).to_contain_text("01/STP-VP")
    assert_no_axe_violations(page)
    page.get_by_role("link", name=str(incoming.arrival_number), exact=True).click()
    page.get_by_label("Người xử lý").select_option(label=receiver_clerk.full_name)
    page.get_by_role("button", name="Phân công").click()
    expect(page.locator("#incoming-assignee")).to_contain_text(receiver_clerk.full_name)
    assert_no_axe_violations(page)
