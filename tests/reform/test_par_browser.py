"""The PAR page in a real browser at 360×800: the demo's 2023 tree loaded from its data file shows the
sub-criteria our data answers with their figures and the source's "chưa có dữ liệu chính thức"
marks; the workbook downloads; axe finds nothing."""

import pytest
import time_machine
from playwright.sync_api import expect

from motcua.accounts.roles import Role
from motcua.reform.models import ParAssessment
from tests.accounts.factories import UserFactory
from tests.browser.helpers import assert_no_axe_violations, screenshot, sign_in

pytestmark = pytest.mark.browser


def test_the_2023_page_shows_the_figures_on_a_phone(page):
    from motcua.reform.demo import load_demo

    with time_machine.travel("2023-07-03T09:00+07:00", tick=True):
        load_demo()
        assessment = ParAssessment.objects.get(year=2023)
        sign_in(page, UserFactory(role=Role.DEPARTMENT_LEADER))
        page.goto(f"/can-bo/cai-cach/chi-so-cchc/{assessment.pk}/")
        main = page.locator("main")
        expect(main).to_contain_text("Quyết định số 52/2019/QĐ-UBND")
        expect(main).to_contain_text("Chưa có dữ liệu chính thức")
        auto = page.locator("table.par-auto")
        expect(auto.locator("tbody tr")).to_have_count(5)
        # The demo's plan: tasks due by 03/07/2023 and the legal documents checked in H1/2023.
        expect(auto).to_contain_text("TD.3. Mức độ hoàn thành đúng hạn nhiệm vụ")
        expect(auto.locator("tbody tr").nth(3).locator(".par-figure")).to_have_text("164")
        expect(auto).to_contain_text("Chưa đề xuất")
        assert_no_axe_violations(page)
        screenshot(page, "reform-par-360")
        with page.expect_download() as download:
            page.get_by_role("link", name="Tải bảng tự đánh giá (XLSX)").click()
        assert download.value.suggested_filename.startswith("chi-so-cchc-2023-")
