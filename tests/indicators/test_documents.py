"""The periodic report as DOCX (Decree 30/2020 layout, real footnotes), its PDF through
LibreOffice with correct Vietnamese (pdftotext), and the XLSX appendices."""

import io
import shutil
import subprocess
import zipfile
from datetime import date

import pytest
from docx import Document
from openpyxl import load_workbook

from motcua.indicators.docx_report import date_line, html_pdf, report_docx
from motcua.indicators.exports import report_file
from motcua.indicators.report import report_build
from motcua.indicators.scope import scope_build

from .helpers import import_rows, row


@pytest.fixture
def data(desk):
    import_rows(
        [
            row("2024-01-02 09:00", channel="post", due="2024-01-16 09:00",
                finished="2024-01-10 09:00", returned="2024-01-10 10:00", return_channel="post"),
            row("2024-03-04 09:00", channel="online", due="2024-03-18 09:00"),
        ]
    )  # fmt: skip
    scope = scope_build(date(2024, 1, 1), date(2024, 6, 30))
    return scope, report_build(scope)


def pdf_text(pdf: bytes, tmp_path) -> str:
    path = tmp_path / "r.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


def test_docx_layout_figures_and_footnotes(data):
    scope, report = data
    content = report_docx(scope, report)
    document = Document(io.BytesIO(content))
    header = document.tables[0].rows[0].cells
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header[1].text
    assert "Độc lập - Tự do - Hạnh phúc" in header[1].text
    assert "SỞ TƯ PHÁP" in header[0].text and "/BC-STP" in header[0].text
    text = "\n".join(p.text for p in document.paragraphs)
    assert "BÁO CÁO" in text and "6 tháng đầu năm 2024" in text
    assert "Đã tiếp nhận 2 hồ sơ (có 1 hồ sơ tiếp nhận trực tuyến)" in text
    assert "tiếp nhận 1 hồ sơ (đạt tỷ lệ 100%" in text
    for heading in (
        "I. CÔNG TÁC CHỈ ĐẠO",
        "II. KẾT QUẢ",
        "III. TỒN TẠI",
        "IV. MỘT SỐ",
        "V. KIẾN NGHỊ",
    ):
        assert heading in text
    assert "Nơi nhận:" in document.tables[1].rows[0].cells[0].text
    section = document.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.left_margin.mm) == 30
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        footnotes = package.read("word/footnotes.xml").decode()
        body = package.read("word/document.xml").decode()
    assert "Kế hoạch số 08/KH-STP" in footnotes
    assert 'w:footnoteReference w:id="1"' in body
    assert "Times New Roman" in package_styles(content)


def package_styles(content: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        return package.read("word/styles.xml").decode()


def test_date_line_pads_day_and_early_months():
    assert date_line("Hà Tĩnh", date(2026, 2, 5)) == "Hà Tĩnh, ngày 05 tháng 02 năm 2026"
    assert date_line("Hà Tĩnh", date(2023, 6, 30)) == "Hà Tĩnh, ngày 30 tháng 6 năm 2023"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_pdf_from_libreoffice_has_correct_vietnamese(data, tmp_path):
    scope, report = data
    text = pdf_text(report_file(scope, report, "pdf"), tmp_path)
    for expected in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                     "BÁO CÁO", "Cải cách thủ tục hành chính", "Kế hoạch số 08/KH-STP",
                     "Nơi nhận:", "Đã tiếp nhận 2 hồ sơ", "TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN"):  # fmt: skip
        assert expected in " ".join(text.split()), expected


def test_pdf_without_libreoffice_renders_html(data, tmp_path):
    scope, report = data
    text = pdf_text(html_pdf(scope, report), tmp_path)
    assert "Độc lập - Tự do - Hạnh phúc" in text and "Đã tiếp nhận 2 hồ sơ" in " ".join(
        text.split()
    )


def test_xlsx_appendices(data):
    scope, report = data
    book = load_workbook(io.BytesIO(report_file(scope, report, "xlsx")))
    assert book.sheetnames[:6] == [
        "Biểu 06.VPCP.KSTT",
        "Biểu II.07b.VPCP.KSTT",
        "PL1 Hồ sơ",
        "PL2 Theo tháng",
        "PL3 Theo lĩnh vực",
        "PL4 Theo thủ tục",
    ]
    figures = {r[0]: r[1] for r in book["PL1 Hồ sơ"].iter_rows(min_row=3, values_only=True) if r[0]}
    assert figures["Tiếp nhận"] == 2 and figures["Trả qua bưu chính"] == 1
    months = [r for r in book["PL2 Theo tháng"].iter_rows(min_row=4, values_only=True)]
    assert [m[0] for m in months] == ["01/2024", "03/2024"]
