"""The officer's notice list in Chromium [K 19]: accessible, newest first, "Đã xem" removes one."""

import pytest

from motcua.accounts.roles import Role
from motcua.notifications.notices import notice_post
from tests.accounts.factories import UserFactory
from tests.browser.helpers import assert_no_axe_violations, sign_in

pytestmark = pytest.mark.browser


def test_notices_on_the_home_page_are_accessible_and_can_be_marked_seen(page):
    page.set_viewport_size({"width": 1366, "height": 768})
    officer = UserFactory(role=Role.SPECIALIST, unit__name="Phòng Hành chính tư pháp")
    notice_post(officer, subject="Hồ sơ A sắp đến hạn", body="Còn 5 giờ làm việc.")
    notice_post(officer, subject="Hồ sơ B quá hạn", body="Quá hạn 2 giờ làm việc.")
    sign_in(page, officer)
    notices = page.get_by_role("region", name="Thông báo mới (2)")
    items = notices.get_by_role("listitem")
    assert "Hồ sơ B quá hạn" in items.nth(0).inner_text()
    assert_no_axe_violations(page)
    items.nth(0).get_by_role("button", name="Đã xem").click()
    page.wait_for_load_state()
    notices = page.get_by_role("region", name="Thông báo mới (1)")
    assert "Hồ sơ A sắp đến hạn" in notices.inner_text()
    assert "Hồ sơ B quá hạn" not in notices.inner_text()
