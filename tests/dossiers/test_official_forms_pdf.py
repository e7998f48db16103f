"""Mẫu 01 renders to a real A5 PDF whose text is Vietnamese and whose QR decodes to the dossier code."""

import shutil
import subprocess
from datetime import date

import pytest

from motcua.core.symbols import code128_svg_data_uri, qr_svg_data_uri
from motcua.dossiers.official_forms import UnknownForm, form_pdf, form_set_in_force

CODE = "000.00.40.H26-240426-0001"

needs_poppler = pytest.mark.skipif(
    not (shutil.which("pdftotext") and shutil.which("zbarimg")),
    reason="poppler-utils / zbar-tools missing",
)


def receipt_context():
    return {
        "agency_parent_name": "UBND tỉnh Hà Tĩnh",
        "agency_name": "Trung tâm Phục vụ hành chính công",
        "place": "Hà Tĩnh",
        "date_long": "ngày 26 tháng 4 năm 2024",
        "code": CODE,
        "qr": qr_svg_data_uri(CODE),
        "barcode": code128_svg_data_uri(CODE),
        "copy_label": "Giao khách hàng",
        "receiving_unit_name": "Bộ phận tiếp nhận và trả kết quả: Quầy Sở Tư pháp",
        "applicant_name": "Nguyễn Thị Hương",
        "applicant_address": "Phường Thành Sen, tỉnh Hà Tĩnh",
        "applicant_phone": "0912 345 678",
        "applicant_email": "",
        "procedure_name": "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam",
        "components": [
            {"name": "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp", "form": "Bản chính", "count": 1},
            {"name": "Căn cước công dân", "form": "Bản sao", "count": 1},
        ],
        "dossier_sets": 1,
        "processing_time": "10 ngày làm việc",
        "received_at_text": "16 giờ 00 phút, ngày 26/04/2024",
        "due_at_text": "16 giờ 00 phút, ngày 13/05/2024",
        "return_channel": "Bộ phận Một cửa",
        "fees": "200.000 đồng",
        "book_number": "01/2024",
        "book_sequence": "1",
        "officer_name": "Trần Văn Nam",
    }


def test_the_2018_set_is_in_force_from_its_effective_date():
    assert form_set_in_force(date(2024, 4, 26)).legal_basis == "Thông tư 01/2018/TT-VPCP"
    with pytest.raises(UnknownForm):
        form_set_in_force(date(2018, 12, 31))
    with pytest.raises(UnknownForm):
        form_pdf("99", date(2024, 4, 26), {})


@needs_poppler
def test_receipt_pdf_is_a5_vietnamese_with_a_decodable_qr(tmp_path):
    pdf = form_pdf("01", date(2024, 4, 26), receipt_context())
    path = tmp_path / "mau01.pdf"
    path.write_bytes(pdf)
    assert pdf.startswith(b"%PDF")

    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "419.528 x 595.276 pts" in info  # A5 = 148 × 210 mm

    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    for expected in (
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        "Nguyễn Thị Hương",
        "Độc lập - Tự do - Hạnh phúc",
        CODE,
    ):
        assert expected in text

    subprocess.run(
        ["pdftoppm", "-r", "200", "-png", "-f", "1", "-l", "1", str(path), str(tmp_path / "page")],
        check=True,
    )
    page = next(tmp_path.glob("page*.png"))
    decoded = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(page)], capture_output=True, text=True
    ).stdout.split()
    assert CODE in decoded  # the QR (and the Code 128 barcode) both carry the code


@needs_poppler
def test_receipt_fits_one_a5_page_with_an_unbroken_header(tmp_path):
    """Issue [K] item 16: the desk prints Mẫu 01 on one A5 sheet; the national header never breaks
    inside a name ("VIỆT / NAM", "HÀ / TĨNH"); the signatures stay with the body."""
    context = receipt_context() | {
        "agency_parent_name": "Ủy ban nhân dân tỉnh Hà Tĩnh",
        "agency_name": "Trung tâm Phục vụ hành chính công tỉnh Hà Tĩnh",
        "receiving_unit_name": "Bộ phận tiếp nhận và trả kết quả: Trung tâm Phục vụ hành chính "
        "công tỉnh Hà Tĩnh",
        "components": [
            {
                "name": f"Giấy tờ số {n} theo thành phần hồ sơ của thủ tục",
                "form": "Bản sao",
                "count": 1,
            }
            for n in range(1, 6)
        ],  # fmt: skip
    }
    path = tmp_path / "mau01.pdf"
    path.write_bytes(form_pdf("01", date(2024, 4, 26), context))
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    assert "Pages:           1" in info
    lines = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in lines
    assert not any(line.rstrip().endswith(("VIỆT", "HÀ", "Hà")) for line in lines), lines
    assert "NGƯỜI TIẾP NHẬN HỒ SƠ" in "\n".join(lines)


@pytest.mark.parametrize(
    "line, place, joined",
    [
        ("Thôn 3, Phường Thành Sen, Hà Tĩnh", "Phường Thành Sen, Hà Tĩnh",
         "Thôn 3, Phường Thành Sen, Hà Tĩnh"),
        ("Số 5 Nguyễn Du", "Phường Thành Sen, Hà Tĩnh", "Số 5 Nguyễn Du, Phường Thành Sen, Hà Tĩnh"),
        ("Thôn 1, tỉnh Hà Tĩnh", "Xã Cẩm Xuyên, Hà Tĩnh", "Thôn 1, tỉnh Hà Tĩnh, Xã Cẩm Xuyên"),
        ("", "Phường Thành Sen, Hà Tĩnh", "Phường Thành Sen, Hà Tĩnh"),
        ("Thôn 2", "", "Thôn 2"),
    ],
)  # fmt: skip
def test_address_names_ward_and_province_once(line, place, joined):
    from motcua.core.text import address_join

    assert address_join(line, place) == joined
