"""The forms added after the first two, on a phone (360×800, Debian's Chromium), axe on every page:
the judicial-record request in force today (3.000333, Mẫu số 01/2025/LLTP, received by Công an
tỉnh) and the civil-status confirmation (2.002516). The citizen opens the procedure page, starts the
form pre-filled from her account, fills every field, has a date that is not on the calendar refused
beside its field (a too-long text cannot even be typed: the inputs stop at 200), submits; the desk of the receiving unit sees the fields in the back office."""

import pytest
from django.urls import reverse

from motcua.accounts.roles import Role
from motcua.catalog.services import catalog_import
from motcua.dossiers.models import Dossier
from motcua.eforms.schema import shipped_schemas
from tests.accounts.factories import UserFactory
from tests.browser.helpers import assert_no_axe_violations, sign_in
from tests.portal.factories import citizen, png_bytes

from .factories import (
    CIVIL_STATUS_CONFIRMATION,
    LLTP_TODAY,
    confirmation_answers,
    demo_version_document,
    lltp_today_answers,
)
from .test_browser import _signed_in, check

pytestmark = pytest.mark.browser

# key: (code, decision), answers, the receiving unit (make_units' name), mandatory papers to
# upload (by order), a date field to get wrong, what the desk must see
FORMS = {
    "lltp-2025": (LLTP_TODAY, lltp_today_answers, "police", (2,), "id_issued_on",
                  ("NGUYỄN THỊ HƯƠNG", "Kinh", "NGUYỄN VĂN AN", "Bổ sung hồ sơ xin việc")),
    "xac-nhan-ho-tich": (CIVIL_STATUS_CONFIRMATION, confirmation_answers, "centre", (2, 3), "subject_birth_date",
                         ("NGUYỄN THỊ HƯƠNG", "Con đẻ", "NGUYỄN VĂN AN", "01/01/1960")),
}  # fmt: skip


def _fill(page, schema, values: dict) -> None:
    """Every field of the schema from `values`, by its type (radios for choices, rows for periods)."""
    for item in schema.fields:
        value = values.get(item.key, "")
        if item.is_periods:
            for n, row in enumerate(value, start=1):
                for column, cell in row.items():
                    page.fill(f"#f_{item.key}__{n}__{column}", cell)
        elif item.type == "choice":
            page.check(f'input[name="f_{item.key}"][value="{value}"]')
        else:
            page.fill(f"#f_{item.key}", value)


@pytest.mark.parametrize("name", sorted(FORMS))
def test_a_new_online_form_from_phone_to_desk(page, browser, live_server, desk, name):
    (code, decision), fill, unit, papers, bad_date, desk_sees = FORMS[name]
    catalog_import(None, demo_version_document(code, decision))
    schema = shipped_schemas()[f"{code}@{decision}"]
    hương = citizen()
    _signed_in(page, live_server, hương)
    values = fill()

    page.goto(f"/cong-dan/thu-tuc/{code}/")
    check(page)
    page.get_by_role("link", name=f"Khai tờ khai trực tuyến ({schema.form_code})").click()
    check(page)
    page.get_by_role("button", name="Bắt đầu khai").click()
    check(page)
    assert page.input_value("#f_full_name") == "Nguyễn Thị Hương"
    assert page.input_value("#f_id_number") == "042190001234"

    _fill(page, schema, values | {bad_date: "31/02/2020"})
    for order in papers:
        page.set_input_files(
            f"#file_{order}",
            files=[{"name": f"giay-{order}.png", "mimeType": "image/png", "buffer": png_bytes()}],
        )
    page.get_by_label("Nhận trực tiếp tại Bộ phận Một cửa").check()
    page.get_by_role("button", name="Nộp hồ sơ").click()
    check(page)
    assert "không có trên lịch" in page.locator(f"#f_{bad_date}-error").inner_text()
    assert page.get_attribute(f"#f_{bad_date}", "aria-invalid") == "true"
    assert not Dossier.objects.exists()

    page.fill(f"#f_{bad_date}", values[bad_date])
    page.get_by_role("button", name="Nộp hồ sơ").click()
    check(page)
    dossier = Dossier.objects.get()
    assert dossier.status == "submitted_online" and dossier.submitted_by == hương

    officer = UserFactory(
        role=Role.DESK_OFFICER, unit=desk["units"][unit], username=f"motcua-{unit}"
    )
    desk_context = browser.new_context(base_url=live_server.url, viewport=page.viewport_size)
    desk_page = desk_context.new_page()
    sign_in(desk_page, officer)
    desk_page.goto(reverse("backoffice:dossier_detail", args=[dossier.pk]))
    desk_page.wait_for_load_state()
    panel = desk_page.locator("section.panel", has_text="Tờ khai trực tuyến")
    text = panel.inner_text()
    for expected in desk_sees:
        assert expected in text, expected
    assert_no_axe_violations(desk_page, context="section.panel")
    desk_context.close()
