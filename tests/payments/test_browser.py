"""The citizen's phone (Chromium, 360×800): the public tracking page of a dossier waiting for its fee
shows the VietQR, which decodes (zbarimg on a screenshot) to the expected payload; no axe violation,
no horizontal scroll."""

import shutil
import subprocess

import pytest

from motcua.payments.selectors import charge_payload
from tests.browser.fixtures import VIEWPORT
from tests.browser.helpers import assert_no_axe_violations
from tests.payments.helpers import collecting_account, dossier_awaiting_payment

pytestmark = pytest.mark.browser


@pytest.mark.skipif(not shutil.which("zbarimg"), reason="zbar-tools missing")
def test_the_qr_on_the_tracking_page_scans_to_the_payment(page, desk, tmp_path):
    collecting_account()
    dossier, charge = dossier_awaiting_payment(desk)
    page.goto(f"/cong-dan/tra-cuu/{dossier.code}/")
    qr = page.locator("#vietqr")
    qr.scroll_into_view_if_needed()
    assert qr.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORT["width"]
    assert charge.reference in page.content() and "200.000 đồng" in page.content()
    shot = tmp_path / "phone.png"
    page.screenshot(path=str(shot), full_page=True)
    decoded = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(shot)], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert decoded == charge_payload(charge)
    assert_no_axe_violations(page)
