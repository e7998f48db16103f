"""The whole report (issue #19 item 7, ADR 0041): the seed's figures the data gives in the DOCX
and PDF text, year-on-year phrases (no division by zero), the official forms in the workbook, and
a new draft starting from the last issued report's edited paragraphs."""

import io
import shutil
import zipfile
from datetime import date

import pytest
from django.core.management import call_command
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from motcua.demo import loaders
from motcua.indicators.docx_report import html_pdf, report_docx
from motcua.indicators.exports import report_file
from motcua.indicators.models import ReportDraft
from motcua.indicators.narrative import default_paragraphs, figures_for_text
from motcua.indicators.phrases import compare_text, decimal_vi
from motcua.indicators.report import report_build
from motcua.indicators.scope import scope_build
from motcua.indicators.services import default_profile, starting_paragraphs

from .helpers import import_rows, row
from .test_documents import pdf_text

H1_2023 = (date(2023, 1, 1), date(2023, 6, 30))


def docx_text(content: bytes) -> str:
    """Body and footnotes of a DOCX, whitespace collapsed."""
    document = Document(io.BytesIO(content))
    body = "\n".join(p.text for p in document.paragraphs)
    with zipfile.ZipFile(io.BytesIO(content)) as package:
        notes = package.read("word/footnotes.xml").decode()
    import re

    notes = re.sub(r"<[^>]+>", " ", notes)
    return " ".join((body + " " + notes).split())


# --- the demo-shaped organisation, reform, ISO and catalogue (no dossiers: they take minutes) ----


@pytest.fixture
def demo(monkeypatch, transactional_db):
    monkeypatch.setattr(loaders, "LOAD_DOSSIERS", False)
    call_command("demo", "--no-serve", stdout=io.StringIO())
    scope = scope_build(*H1_2023)
    profile = default_profile()
    return scope, report_build(scope, default_agency=profile.unit.code if profile else None)


SEED_FIGURES = [
    # I: self-inspection of 7 of the 9 units, footnote 7
    "tại 07/09 Phòng, Trung tâm thuộc Sở",
    "Kế hoạch số 164/KH-STP ngày 02/6/2023 của Sở Tư pháp",
    # II.2: the internal procedures and the decision announcing them, footnote 12
    "02 TTHC nội bộ",
    "Quyết định số 1106/QĐ-UBND ngày 17/5/2023 của UBND tỉnh Hà Tĩnh",
    # II.3: the divisions' staffing and the surplus deputy
    "Phòng Xây dựng, kiểm tra và theo dõi thi hành pháp luật 08 công chức, trong đó có 02 Phó "
    "Trưởng phòng",
    "mỗi phòng 05 công chức, trong đó có 01 Phó Trưởng phòng",
    "bố trí Thanh tra Sở 04 công chức",
    "01 cấp Phó dôi dư so với quy định tại Nghị định số 107/2020/NĐ-CP",
    # II.4: reappointments and early raises
    "bổ nhiệm lại đối với 01 công chức và 01 viên chức",
    "nâng bậc lương trước thời hạn cho 02 công chức và 03 viên chức",
    # II.5: the 4 public-service units
    "hướng dẫn 04 đơn vị sự nghiệp thuộc Sở",
    # II.6.2: the ISO register
    "122/122 TTHC và 14 quy trình nội bộ",
    "04/04 đơn vị sự nghiệp",
    # III: vacancies
    "chưa có mặt 03/29 biên chế công chức",
]


def test_demo_report_docx_and_pdf_carry_the_seed_figures(demo, tmp_path):
    scope, report = demo
    text = docx_text(report_docx(scope, report))
    for figure in SEED_FIGURES:
        assert figure in text, figure
    for heading in ("I. CÔNG TÁC CHỈ ĐẠO", "1. Cải cách thể chế", "2. Cải cách thủ tục hành chính",
                    "3. Cải cách tổ chức bộ máy", "4. Cải cách công vụ", "5. Cải cách tài chính công",
                    "6. Xây dựng và phát triển chính phủ điện tử", "III. TỒN TẠI", "IV. MỘT SỐ",
                    "V. KIẾN NGHỊ"):  # fmt: skip
        assert heading in text, heading
    pdf = html_pdf(scope, report) if shutil.which("soffice") is None else None
    pdf = pdf or report_file(scope, report, "pdf")
    flat = " ".join(pdf_text(pdf, tmp_path).split())
    for figure in SEED_FIGURES:
        assert figure in flat, figure


def test_demo_workbook_sheets_carry_the_official_form_codes(demo):
    scope, report = demo
    book = load_workbook(io.BytesIO(report_file(scope, report, "xlsx")))
    assert book["Biểu 06.VPCP.KSTT"]["A1"].value == "Biểu số 06/VPCP/KSTT"
    assert "01/2020/TT-VPCP" in book["Biểu 06.VPCP.KSTT"]["A2"].value
    assert book["Biểu II.07b.VPCP.KSTT"]["A1"].value == "Biểu số II.07b/VPCP/KSTT"
    counts = [r for r in book["Biểu II.07b.VPCP.KSTT"].iter_rows(min_row=8, max_row=8,
                                                                 values_only=True)][0]  # fmt: skip
    assert counts[2] == 122 and counts[6] == 110  # the seed's 122, 110 at the centre
    sources = [r[1] for r in book["Nguồn biểu mẫu"].iter_rows(values_only=True)]
    assert "chưa tìm được mẫu chính thức" in sources  # marked, not invented


# --- dossier figures: year on year, the busiest field, the form's carried-over column -----------


def test_year_on_year_phrase_in_the_report(desk):
    import_rows(
        [row(f"2023-03-0{d} 09:00", channel="online") for d in (1, 2)]
        + [row(f"2024-03-{d:02d} 09:00", channel="online") for d in range(4, 12)]
    )
    scope = scope_build(date(2024, 1, 1), date(2024, 6, 30))
    report = report_build(scope)
    assert report["previous_year"]["dossiers"]["received_online"] == 2
    text = docx_text(report_docx(scope, report))
    assert (
        "8 hồ sơ dịch vụ công trực tuyến (đạt tỷ lệ 100%, tăng 4 lần so với cùng kỳ năm 2023)"
        in text
    )


def test_zero_previous_year_does_not_divide_by_zero(desk):
    import_rows([row("2024-03-04 09:00", channel="online")])
    scope = scope_build(date(2024, 1, 1), date(2024, 6, 30))
    text = docx_text(report_docx(scope, report_build(scope)))
    assert "cùng kỳ năm 2023 không có hồ sơ" in text


@pytest.mark.parametrize(
    "current, previous, expected",
    [
        (1937, 523, "tăng 3,7 lần so với cùng kỳ năm 2022"),
        (11, 10, "tăng 10% so với cùng kỳ năm 2022"),
        (9, 10, "giảm 10% so với cùng kỳ năm 2022"),
        (1000, 1125, "giảm 11,1% so với cùng kỳ năm 2022"),
        (10, 10, "bằng cùng kỳ năm 2022"),
        (5, 0, "cùng kỳ năm 2022 không có hồ sơ"),
        (0, 0, "cùng kỳ năm 2022 không có hồ sơ"),
        (5, None, "chưa có số liệu cùng kỳ năm 2022 để so sánh"),
    ],
)
def test_compare_text(current, previous, expected):
    assert compare_text(current, previous, 2022) == expected


def test_vietnamese_decimals():
    assert decimal_vi(3.7037) == "3,7" and decimal_vi(1234.56) == "1.234,6" and decimal_vi(4) == "4"


def test_busiest_field_days_and_carried_over_dossiers(desk):
    import_rows(
        [
            # received in 2023, still open on 1/1/2024, finished in January: "từ kỳ trước"
            row("2023-12-28 09:00", due="2024-01-11 09:00", finished="2024-01-05 09:00"),
            # ended before the period: not in the form at all
            row("2023-12-01 09:00", due="2023-12-15 09:00", finished="2023-12-10 09:00"),
        ]
        + [row(f"2024-03-04 0{h}:00") for h in range(7, 10)]
        + [row("2024-03-05 09:00", due="2024-03-06 09:00")]
    )
    scope = scope_build(date(2024, 1, 1), date(2024, 6, 30))
    report = report_build(scope)
    assert report["busiest_field"]["peak"] == 3 and report["busiest_field"]["peak_day"] == (
        "2024-03-04"
    )
    assert "cao nhất 3 hồ sơ ngày 04/3/2024" in figures_for_text(report)["busiest_text"]
    book = load_workbook(io.BytesIO(report_file(scope, report, "xlsx")))
    total = [r for r in book["Biểu 06.VPCP.KSTT"].iter_rows(values_only=True)
             if r[1] == "Tổng cộng"][0]  # fmt: skip
    # (3) total, (4) online, (5) desk/post, (6) carried over, (7) resolved … (11) pending, (13) late
    assert total[2:7] == (5, 0, 4, 1, 1)
    assert total[10] == 4 and total[12] == 1  # the one due 06/3 is pending past its appointment


# --- a new draft starts from the last issued report ---------------------------------------------


def test_new_draft_starts_from_the_last_issued_paragraphs(desk, client):
    client.force_login(desk["leader"])
    assert starting_paragraphs() == default_paragraphs()  # nothing issued yet
    client.post(reverse("indicators:draft_list"), {"tu": "2024-01-01", "den": "2024-06-30"})
    draft = ReportDraft.objects.get()
    edited = {
        **draft.latest.paragraphs,
        "proposals": "Đề nghị Văn phòng UBND tỉnh nâng cấp phần mềm ({received} hồ sơ).",
    }
    client.post(reverse("indicators:draft_detail", args=[draft.pk]), edited)
    client.post(reverse("indicators:draft_issue", args=[draft.pk]))
    client.post(reverse("indicators:draft_list"), {"tu": "2024-07-01", "den": "2024-12-31"})
    second = ReportDraft.objects.exclude(pk=draft.pk).get()
    assert second.latest.number == 1
    assert second.latest.paragraphs["proposals"] == edited["proposals"]  # placeholders kept
    assert second.latest.paragraphs["closing"] == default_paragraphs()["closing"]


def test_a_draft_older_than_the_new_paragraphs_still_edits_and_renders(desk, client):
    client.force_login(desk["leader"])
    client.post(reverse("indicators:draft_list"), {"tu": "2024-01-01", "den": "2024-06-30"})
    draft = ReportDraft.objects.get()
    version = draft.latest
    old = {k: v for k, v in version.paragraphs.items() if k not in ("inspection", "divisions")}
    type(version).objects.filter(pk=version.pk).update(paragraphs=old)  # as saved before ADR 0041
    page = client.get(reverse("indicators:draft_detail", args=[draft.pk]))
    assert page.status_code == 200 and "Tự kiểm tra CCHC" in page.content.decode()
    response = client.get(reverse("indicators:draft_download", args=[draft.pk, "docx"]))
    assert response.status_code == 200
    text = docx_text(b"".join(response))  # the default paragraph, with its figure
    assert "Sở chưa tổ chức đợt tự kiểm tra công tác CCHC" in text
