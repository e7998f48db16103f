"""The public verification page in a real Chromium at 360×800, no sign-in: a result as issued is
reported valid, the same file with one byte changed is reported tampered; axe finds nothing."""

import io

import pytest
from pyhanko.pdf_utils.reader import PdfFileReader

from motcua.documents.results import issued_document_bytes, result_issue
from motcua.documents.testca import create_test_ca
from tests.documents.factories import dossier_awaiting_signature

from .fixtures import VIEWPORT
from .helpers import assert_no_axe_violations, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def issued(desk, settings, tmp_path):
    files = create_test_ca(tmp_path / "ca")
    settings.MOTCUA_SIGNING_PKCS12 = str(files.signer_p12)
    settings.MOTCUA_SIGNING_PASSPHRASE = files.passphrase
    settings.MOTCUA_TRUST_ROOTS = str(files.trust_dir)
    return result_issue(desk["leader"], dossier_awaiting_signature(desk))


def _tampered(data: bytes) -> bytes:
    start, length, *_ = PdfFileReader(io.BytesIO(data)).embedded_signatures[0].byte_range
    changed = bytearray(data)
    changed[start + length // 2] ^= 0x01
    return bytes(changed)


def _check(page, path, data: bytes) -> str:
    page.goto("/xac-thuc/")
    path.write_bytes(data)
    page.get_by_label("Tệp PDF kết quả").set_input_files(str(path))
    page.get_by_role("button", name="Kiểm tra tệp").click()
    page.wait_for_load_state()
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORT["width"]
    assert_no_axe_violations(page)
    return page.get_by_role("heading", level=2).first.inner_text()


def test_valid_and_tampered_documents_on_a_phone(page, issued, tmp_path):
    data = issued_document_bytes(issued)
    heading = _check(page, tmp_path / "ket-qua.pdf", data)
    assert heading.strip() == "Hợp lệ — đúng bản đã cấp"
    assert issued.number in page.content() and "N*** T*** H***" in page.content()
    screenshot(page, "documents-verify-valid")
    heading = _check(page, tmp_path / "ket-qua-sua.pdf", _tampered(data))
    assert heading.strip() == "Không hợp lệ — tệp đã bị sửa đổi"
    screenshot(page, "documents-verify-tampered")
    # The QR link's page, read with no JavaScript needed.
    page.goto(f"/xac-thuc/{issued.token}/")
    assert "Đã cấp, còn hiệu lực" in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORT["width"]
    assert_no_axe_violations(page)
