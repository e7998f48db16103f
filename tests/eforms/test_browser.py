"""Issue [L] 4 on a phone (360×800, Debian's Chromium): a citizen fills the judicial-record online
form of the 2023 catalogue (Mẫu số 03/2013/TT-LLTP) field by field, pre-filled from her account;
saves; loses the connection and finds the draft on the server after a reload; adds residence
rows (with and without JavaScript); gets a wrong date refused beside its field; attaches her ID
card and submits. The desk opens the dossier in the back office and sees the fields and the PDF of the
filled official form (its text read with pdftotext). axe on every page."""

import subprocess

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from motcua.dossiers.models import Dossier
from tests.browser.fixtures import VIEWPORT
from tests.browser.helpers import assert_no_axe_violations, screenshot, sign_in
from tests.portal.factories import citizen, png_bytes

from .factories import CODE, answers, lltp_2023_load

pytestmark = pytest.mark.browser


def check(page):
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORT["width"], page.url
    assert_no_axe_violations(page)


def _signed_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def test_the_judicial_record_online_form_from_phone_to_desk(
    page, browser, live_server, desk, tmp_path
):
    lltp_2023_load()
    hương = citizen()
    _signed_in(page, live_server, hương)
    values = answers()

    page.goto(f"/cong-dan/thu-tuc/{CODE}/")
    check(page)
    page.get_by_role("link", name="Khai tờ khai trực tuyến (Mẫu số 03/2013/TT-LLTP)").click()
    check(page)
    page.get_by_role("button", name="Bắt đầu khai").click()
    check(page)
    screenshot(page, "eform-lltp-blank")
    edit_url = page.url
    # Pre-filled from the account.
    assert page.input_value("#f_full_name") == "Nguyễn Thị Hương"
    assert page.input_value("#f_id_number") == "042190001234"
    assert page.input_value("#f_phone") == "0912345678"

    # The first section, then "Lưu nháp": the draft is on the server.
    page.fill("#f_full_name", values["full_name"])
    page.get_by_label("Nữ", exact=True).check()
    page.fill("#f_date_of_birth", values["date_of_birth"])
    page.fill("#f_place_of_birth", values["place_of_birth"])
    page.fill("#f_nationality", values["nationality"])
    page.fill("#f_permanent_residence", values["permanent_residence"])
    page.get_by_label("Căn cước công dân", exact=True).check()
    page.fill("#f_id_issued_on", values["id_issued_on"])
    page.fill("#f_id_issued_by", values["id_issued_by"])
    page.get_by_role("button", name="Lưu nháp").click()
    check(page)
    assert "Đã lưu tờ khai nháp" in page.content()

    # The connection drops: the page cannot even reload. Back online, the draft is all there.
    page.context.set_offline(True)
    with pytest.raises(Exception):  # noqa: B017 — Playwright's net::ERR_INTERNET_DISCONNECTED
        page.reload()
    page.context.set_offline(False)
    page.goto(edit_url)
    check(page)
    assert page.input_value("#f_full_name") == "NGUYỄN THỊ HƯƠNG"
    assert page.input_value("#f_date_of_birth") == "05/03/1990"
    assert page.get_by_label("Nữ", exact=True).is_checked()

    # Without JavaScript, "Thêm dòng" saves the draft and the server offers one more row.
    plain = browser.new_context(
        base_url=live_server.url, viewport=VIEWPORT, java_script_enabled=False
    )
    plain.add_cookies(page.context.cookies())
    plain.set_default_timeout(10_000)
    plain_page = plain.new_page()
    plain_page.goto(edit_url)
    assert plain_page.locator("fieldset.period").count() == 3
    plain_page.get_by_role("button", name="Thêm dòng “quá trình cư trú”").click()
    plain_page.wait_for_load_state()
    assert plain_page.locator("fieldset.period").count() == 4
    plain.close()
    page.reload()

    # Parents, residence since 14, the request.
    for key in ("father_name", "father_birth_date", "mother_name", "mother_birth_date", "purpose"):
        page.fill(f"#f_{key}", values[key])
    for n, row in enumerate(values["residence"], start=1):
        for column, cell in row.items():
            page.fill(f"#f_residence__{n}__{column}", cell)
    # With JavaScript the row is added in the page (eform-rows.js), nothing is sent.
    page.get_by_role("button", name="Thêm dòng “quá trình cư trú”").click()
    assert page.locator("#f_residence__4__from").count() == 1
    assert (
        page.get_attribute("label[for='f_residence__4__place']", "for") == "f_residence__4__place"
    )
    assert page.evaluate("document.activeElement.id") == "f_residence__4__from"
    check(page)
    assert page.input_value("#f_residence__3__place") == values["residence"][2]["place"]
    page.get_by_label("Phiếu lý lịch tư pháp số 1", exact=True).check()
    page.fill("#f_copies", "2")
    page.get_by_label("Không", exact=True).check()
    page.set_input_files(
        "#file_2", files=[{"name": "cccd.png", "mimeType": "image/png", "buffer": png_bytes()}]
    )
    page.get_by_label("Nhận trực tiếp tại Bộ phận Một cửa").check()

    # A wrong date is refused beside its field; nothing is submitted.
    page.fill("#f_father_birth_date", "1960")
    page.get_by_role("button", name="Nộp hồ sơ").click()
    check(page)
    assert (
        "ghi ngày theo dạng ngày/tháng/năm"
        in page.locator("#f_father_birth_date-error").inner_text()
    )
    assert page.get_attribute("#f_father_birth_date", "aria-invalid") == "true"
    assert not Dossier.objects.exists()
    screenshot(page, "eform-lltp-error")
    page.fill("#f_father_birth_date", values["father_birth_date"])
    page.get_by_role("button", name="Nộp hồ sơ").click()
    check(page)
    dossier = Dossier.objects.get()
    assert dossier.status == "submitted_online" and dossier.submitted_by == hương

    # The desk: the fields, not a picture, and the filled official form as PDF.
    desk_context = browser.new_context(base_url=live_server.url, viewport=VIEWPORT)
    desk_page = desk_context.new_page()
    sign_in(desk_page, desk["desk"])
    desk_page.goto(reverse("backoffice:dossier_detail", args=[dossier.pk]))
    desk_page.wait_for_load_state()
    panel = desk_page.locator("section.panel", has_text="Tờ khai trực tuyến")
    text = panel.inner_text()
    for expected in (
        "NGUYỄN THỊ HƯƠNG",
        "05/03/1990",
        "NGUYỄN VĂN AN",
        "Phường Bến Thủy, TP Vinh, Nghệ An",
        "Bổ sung hồ sơ xin việc",
        "Phiếu lý lịch tư pháp số 1",
    ):
        assert expected in text, expected  # fmt: skip
    assert_no_axe_violations(desk_page, context="section.panel")
    screenshot(desk_page, "eform-lltp-desk")
    with desk_page.expect_download() as download_info:
        panel.get_by_role("link", name="Tờ khai đã điền (PDF").click()
    pdf = tmp_path / "to-khai.pdf"
    download_info.value.save_as(pdf)
    pdf_text = " ".join(
        subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    for expected in (
        "Mẫu số 03/2013/TT-LLTP",
        "NGUYỄN THỊ HƯƠNG",
        "042190001234",
        "TRẦN THỊ BÌNH",
        "Giáo viên, Trường THCS Cẩm Xuyên",
        "Bổ sung hồ sơ xin việc",
    ):
        assert expected in pdf_text, expected  # fmt: skip
    desk_context.close()
