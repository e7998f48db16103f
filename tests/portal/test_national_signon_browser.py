"""The national sign-on in a phone's browser (360×800, Debian's Chromium): the button on the
sign-in page, the stand-in IdP's page, the confirmation of linking an existing account, and the
page of a refusal — axe clean on every page of ours, nothing cut off sideways."""

import pytest

from motcua.accounts.models import NationalAccount
from motcua.accounts.national_signon_standin import IDENTITIES, StandInNationalSignOn
from tests.accounts.factories import UserFactory
from tests.browser.fixtures import VIEWPORT
from tests.browser.helpers import assert_no_axe_violations, screenshot

pytestmark = pytest.mark.browser

AN = IDENTITIES["cong-dan-an"]
BUTTON = "Đăng nhập bằng tài khoản Cổng Dịch vụ công quốc gia / VNeID"


@pytest.fixture
def idp(settings):
    server = StandInNationalSignOn().start()
    for name, value in server.settings().items():
        setattr(settings, name, value)
    yield server
    server.close()


def check(page):
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORT["width"], page.url
    assert_no_axe_violations(page)


def test_sign_on_and_link_on_a_phone(page, idp, live_server):
    page.route(f"{idp.url}/**", lambda route: route.continue_())  # the IdP too, nothing else
    owner = UserFactory(
        citizen=True, full_name=AN["HoVaTen"], citizen_id=AN["SoDinhDanh"], phone="0987654321"
    )
    page.goto("/cong-dan/tai-khoan/dang-nhap/")
    check(page)
    screenshot(page, "national-signon-1-signin")
    page.get_by_role("link", name=BUTTON).click()
    page.wait_for_url(f"{idp.url}/oauth2/authorize?**")
    page.get_by_label("Nguyễn Văn An", exact=False).check()
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url("**/cong-dan/tai-khoan/dvcqg/lien-ket/")
    check(page)
    screenshot(page, "national-signon-2-link")
    body = page.locator("main").inner_text()
    assert "098****321" in body and "0987654321" not in body
    assert not NationalAccount.objects.exists()
    page.get_by_role("button", name="Đúng, liên kết và đăng nhập").click()
    page.wait_for_url("**/cong-dan/tai-khoan/")
    assert "Đã liên kết tài khoản" in page.locator("main").inner_text()
    check(page)
    assert NationalAccount.objects.get().user == owner


def test_a_refusal_on_a_phone(page, idp):
    page.route(f"{idp.url}/**", lambda route: route.continue_())
    page.goto("/cong-dan/tai-khoan/dang-nhap/")
    page.get_by_role("link", name=BUTTON).click()
    page.wait_for_url(f"{idp.url}/oauth2/authorize?**")
    page.get_by_role("button", name="Hủy").click()
    page.wait_for_url("**/cong-dan/tai-khoan/dvcqg/callback/**")
    assert "Ông/bà đã hủy đăng nhập" in page.locator("main").inner_text()
    check(page)
    screenshot(page, "national-signon-3-refused")
