"""Phone forms on a 360×800 phone (Debian's Chromium): a typo at sign-in (a short number, then a
wrong code) keeps the page the citizen was going to; the new account's ID number opens the numeric
keypad, the application's phone the phone keypad, and its birth date is typed dd/mm/yyyy with a
Vietnamese message for a day that does not exist. axe runs on every page."""

import re
from urllib.parse import urlsplit

import pytest

from motcua.notifications import sms

from .fixtures import VIEWPORT
from .helpers import assert_no_axe_violations

pytestmark = pytest.mark.browser

APPLY = "/cong-dan/tai-khoan/nop/2.001417/"


@pytest.fixture
def memory_sms(settings):
    settings.SMS_GATEWAY = "memory"
    sms.outbox.clear()
    yield sms.outbox
    sms.outbox.clear()


def check(page):
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORT["width"], page.url
    assert_no_axe_violations(page)


def attrs(page, selector: str) -> dict:
    return page.eval_on_selector(
        selector, "e => Object.fromEntries([...e.attributes].map(a => [a.name, a.value]))"
    )


def test_a_typo_at_sign_in_keeps_the_page_the_citizen_was_going_to(page, desk, memory_sms):
    page.goto(APPLY)
    check(page)
    assert "Ông/bà cần đăng nhập" in page.content()

    # A number one digit short: the message, and the destination still in the form.
    page.get_by_label("Số điện thoại hoặc thư điện tử").fill("0912 345 67")
    page.get_by_role("button", name="Gửi mã xác thực").click()
    check(page)
    assert page.locator("input[name=next]").input_value() == APPLY
    assert not memory_sms

    page.get_by_label("Số điện thoại hoặc thư điện tử").fill("0912 345 678")
    page.get_by_role("button", name="Gửi mã xác thực").click()
    check(page)
    code_input = attrs(page, "#id_code")
    assert code_input["inputmode"] == "numeric"
    assert code_input["autocomplete"] == "one-time-code"
    code = re.search(r"\b(\d{6})\b", memory_sms[-1][1]).group(1)

    # A wrong code: the message; the resend link still carries the destination.
    page.get_by_label("Mã xác thực").fill(f"{(int(code) + 1) % 10**6:06d}")
    page.get_by_role("button", name="Đăng nhập").click()
    check(page)
    assert "Mã không đúng" in page.content()
    resend = page.get_by_role("link", name=re.compile("Chưa nhận được mã"))
    assert "next=" in resend.get_attribute("href")

    page.get_by_label("Mã xác thực").fill(code)
    page.get_by_role("button", name="Đăng nhập").click()

    # A new account: the name first (the ID opens the numeric keypad), then on to the procedure.
    check(page)
    id_input = attrs(page, "#id_citizen_id")
    assert (id_input["inputmode"], id_input["pattern"]) == ("numeric", "[0-9]*")
    page.get_by_label("Họ và tên").fill("Nguyễn Thị Hương")
    page.get_by_label("Số định danh cá nhân (CCCD)").fill("042190001234")
    page.get_by_role("button", name="Lưu").click()
    check(page)
    assert urlsplit(page.url).path == APPLY
    page.get_by_role("button", name="Bắt đầu khai hồ sơ").click()

    # The application: phone keypad, birth date as dd/mm/yyyy text, a clear message for 31/02.
    check(page)
    assert attrs(page, "#id_phone")["type"] == "tel"
    birth = attrs(page, "#id_date_of_birth")
    assert (birth["type"], birth["placeholder"]) == ("text", "dd/mm/yyyy")
    page.get_by_label("Ngày sinh").fill("31/02/1990")
    page.get_by_role("button", name="Lưu nháp").click()
    check(page)
    assert "tháng 2 năm 1990 không có ngày 31" in page.content()
    assert page.get_by_label("Ngày sinh").input_value() == "31/02/1990"
    page.get_by_label("Ngày sinh").fill("5/9/1990")
    page.get_by_role("button", name="Lưu nháp").click()
    check(page)
    assert page.get_by_label("Ngày sinh").input_value() == "05/09/1990"


def test_the_favicon_answers(page):
    page.goto("/cong-dan/")
    icons = page.eval_on_selector_all("link[rel=icon]", "ls => ls.map(l => l.href)")
    assert len(icons) == 2
    for href in icons + [page.url.split("/cong-dan/")[0] + "/favicon.ico"]:
        response = page.request.get(href)
        assert response.ok and response.headers["content-type"].startswith("image/"), href
