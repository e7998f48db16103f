"""Mẫu 05 (control sheet) and Mẫu 06 (tracking book): built from the history, rendered as a user
meets them (pdfinfo page size, pdftotext text), and served to the right people only."""

import io
import shutil
import subprocess
from datetime import date

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from motcua.accounts.roles import Role
from motcua.catalog.models import ProcedureVersion
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.official_forms import form_pdf, tracking_book
from motcua.dossiers.official_forms.tracking_book import (
    control_sheet_context,
    tracking_book_context,
    tracking_book_xlsx,
)
from tests.accounts.factories import UnitFactory, UserFactory
from tests.dossiers.test_services import act, at, receive

needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing")
A5 = "419.528 x 595.276 pts"
A4_LANDSCAPE = "841.89 x 595.276 pts"


def pdf_facts(pdf: bytes, tmp_path) -> tuple[str, str]:
    path = tmp_path / "form.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True)
    return info.stdout, " ".join(text.stdout.split())


@pytest.fixture
def returned(desk):
    """Received Fri 26/04 16:00, assigned 02/05 08:00, signed 09/05, returned 09/05 14:00."""
    dossier = receive(desk)
    act(desk["head"], dossier, "assign", "2024-05-02T08:00", assignee_id=desk["specialist"].pk)
    act(desk["specialist"], dossier, "submit_for_signature", "2024-05-08T10:00")
    act(desk["leader"], dossier, "approve", "2024-05-09T09:00")
    act(desk["desk"], dossier, "return_result", "2024-05-09T14:00")
    dossier.refresh_from_db()
    return dossier


def test_control_sheet_has_one_row_per_hand_off_with_the_step_grade(returned, desk):
    rows = control_sheet_context(returned)["rows"]
    names = {who: desk[who].full_name for who in ("desk", "specialist", "leader")}
    # Step dues (from reception and each start): Tiếp nhận 02/05 10:00, Thẩm định (60 h from
    # 02/05 08:00) 10/05 14:00, Lãnh đạo Sở ký (12 h from 08/05 10:00) 09/05 16:00, Trả kết quả
    # (4 h from 09/05 09:00) 09/05 15:00 — each finished on the due day before the instant, except
    # the appraisal, finished two days early.
    assert [(r["giver"], r["receiver"], r["at_text"], r["result"]) for r in rows] == [
        (
            f"Trung tâm Phục vụ hành chính công tỉnh Hà Tĩnh — {names['desk']}",
            f"Phòng Hành chính và Bổ trợ tư pháp — {names['specialist']}",
            "08 giờ 00 phút, ngày 02 tháng 5 năm 2024",
            "Đúng hạn",
        ),
        (
            f"Phòng Hành chính và Bổ trợ tư pháp — {names['specialist']}",
            "Sở Tư pháp tỉnh Hà Tĩnh — Lãnh đạo Sở",
            "10 giờ 00 phút, ngày 08 tháng 5 năm 2024",
            "Trước hạn",
        ),
        (
            f"Sở Tư pháp tỉnh Hà Tĩnh — {names['leader']}",
            "Trung tâm Phục vụ hành chính công tỉnh Hà Tĩnh — Công chức Bộ phận Một cửa",
            "09 giờ 00 phút, ngày 09 tháng 5 năm 2024",
            "Đúng hạn",
        ),
        (
            f"Trung tâm Phục vụ hành chính công tỉnh Hà Tĩnh — {names['desk']}",
            "Tổ chức, cá nhân nộp hồ sơ: Nguyễn Thị Hương",
            "14 giờ 00 phút, ngày 09 tháng 5 năm 2024",
            "Đúng hạn",
        ),
    ]


def test_a_late_step_and_a_supplement_request_show_on_the_sheet(desk):
    dossier = receive(desk)
    # Tiếp nhận is due 02/05 10:00: assigned on 03/05, it is late.
    act(desk["head"], dossier, "assign", "2024-05-03T08:00", assignee_id=desk["specialist"].pk)
    act(
        desk["specialist"],
        dossier,
        "request_supplement",
        "2024-05-03T09:00",
        reason="Thiếu ảnh 4x6",
    )
    dossier.refresh_from_db()
    rows = control_sheet_context(dossier)["rows"]
    assert rows[0]["result"] == "Quá hạn"
    assert rows[1]["receiver"] == "Tổ chức, cá nhân nộp hồ sơ: Nguyễn Thị Hương"
    assert rows[1]["note"] == "Thiếu ảnh 4x6" and rows[1]["result"] == ""


@needs_poppler
def test_control_sheet_pdf_is_a5_with_the_hand_offs(returned, tmp_path):
    pdf = form_pdf("05", date(2024, 4, 26), control_sheet_context(returned))
    info, text = pdf_facts(pdf, tmp_path)
    assert A5 in info
    for expected in (
        "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ",
        returned.code,
        "Kèm theo hồ sơ của: Nguyễn Thị Hương",
        "1. Giao: Phòng Hành chính và Bổ trợ tư pháp",
        "2. Nhận: Sở Tư pháp tỉnh Hà Tĩnh",
        "10 giờ 00 phút, ngày 08 tháng 5 năm 2024",
        "Trước hạn",
        "Cơ quan (bộ phận) giải quyết hồ sơ: Sở Tư pháp tỉnh Hà Tĩnh",
    ):
        assert expected in text, expected


def test_tracking_book_lists_the_period_with_its_columns(desk, returned, django_assert_num_queries):
    open_one = receive(desk, when="2024-04-29T08:00")  # a holiday: still received that day
    receive(desk, when="2024-05-02T08:00")  # outside the period below
    with django_assert_num_queries(1):  # the desk's rule needs no unit tree: the dossiers
        context = tracking_book_context(desk["desk"], date(2024, 4, 26), date(2024, 4, 30))
    rows = context["rows"]
    assert [r["code"] for r in rows] == [returned.code, open_one.code]
    first = rows[0]
    assert first["number"] == "1" and first["sets"] == 1
    assert first["received"] == "16:00 26/04/2024" and first["due"] == "16:00 14/05/2024"
    assert first["transferred"] == "08:00 02/05/2024"  # the desk step handed on
    assert (
        first["result_received"] == "09:00 09/05/2024" and first["returned"] == "14:00 09/05/2024"
    )
    assert first["competent_agency"] == "Sở Tư pháp tỉnh Hà Tĩnh"
    assert first["address_phone"] == "Phường Thành Sen, Hà Tĩnh; 0912345678"
    assert first["note"] == "Trước hạn"
    assert rows[1]["note"] == "Đã tiếp nhận, chờ phân công" and rows[1]["returned"] == ""
    assert context["total_text"] == "2"


@needs_poppler
def test_tracking_book_pdf_is_a4_landscape(desk, returned, tmp_path):
    context = tracking_book_context(desk["desk"], date(2024, 4, 1), date(2024, 4, 30))
    info, text = pdf_facts(form_pdf("06", date(2024, 4, 30), context), tmp_path)
    assert A4_LANDSCAPE in info
    for expected in ("SỔ THEO DÕI HỒ SƠ", "Từ ngày 01/04/2024 đến ngày 30/04/2024", "Ký nhận"):
        assert expected in text, expected
    assert returned.code.split("-")[0] in text and "Nguyễn Thị Hương" in text


# --- the views ----------------------------------------------------------------------------------


def login(client, user):
    client.force_login(user)
    return client


@needs_poppler
def test_form_05_view_serves_the_pdf_to_who_may_see_the_dossier(client, desk, returned, tmp_path):
    url = reverse("backoffice:dossier_form_05", args=[returned.pk])
    response = login(client, desk["specialist"]).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    info, text = pdf_facts(response.content, tmp_path)
    assert A5 in info and returned.code in text


def test_form_05_view_refuses_an_officer_of_another_unit(client, desk, returned):
    stranger = UserFactory(role=Role.SPECIALIST, unit=UnitFactory())
    response = login(client, stranger).get(
        reverse("backoffice:dossier_form_05", args=[returned.pk])
    )
    assert response.status_code == 403


@needs_poppler
def test_tracking_book_view_gives_the_desk_its_book(client, desk, returned, tmp_path):
    url = reverse("backoffice:tracking_book") + "?tu=2024-04-26&den=2024-04-30"
    response = login(client, desk["desk"]).get(url)
    assert response.status_code == 200
    info, text = pdf_facts(response.content, tmp_path)
    assert A4_LANDSCAPE in info and "Nguyễn Thị Hương" in text


@pytest.mark.parametrize(
    "query, message",
    [
        (
            "?tu=2024-05-31&den=2024-05-01",
            "Ngày bắt đầu (31/05/2024) sau ngày kết thúc (01/05/2024)",
        ),
        ("?tu=31/05/2024&den=2024-06-01", "Ngày bắt đầu “31/05/2024” không hợp lệ"),
        ("?tu=2024-05-01&den=2024-13-01", "Ngày kết thúc “2024-13-01” không hợp lệ"),
        ("?tu=2024-01-01&den=2024-06-30", "tối đa 31 ngày"),
        ("?tu=2018-01-01&den=2018-01-02", "Không có bộ biểu mẫu nào có hiệu lực"),
    ],
)
def test_tracking_book_view_refuses_a_bad_range_in_vietnamese(
    client, desk, returned, query, message
):
    events, dossiers = DossierEvent.objects.count(), Dossier.objects.count()
    response = login(client, desk["desk"]).get(reverse("backoffice:tracking_book") + query)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert (DossierEvent.objects.count(), Dossier.objects.count()) == (events, dossiers)


@pytest.mark.parametrize("role", [Role.SPECIALIST, Role.ADMINISTRATOR])
def test_tracking_book_is_for_the_desk_and_the_leaders(client, desk, role):
    user = UserFactory(role=role, unit=desk["units"]["division"])
    assert login(client, user).get(reverse("backoffice:tracking_book")).status_code == 403


def test_tracking_book_of_a_leader_lists_the_agencys_dossiers(desk, returned):
    with time_machine.travel(at("2024-06-01T08:00"), tick=False):
        context = tracking_book_context(desk["head"], date(2024, 4, 26), date(2024, 4, 26))
    assert [r["code"] for r in context["rows"]] == [returned.code]
    police_head = UserFactory(role=Role.DIVISION_HEAD, unit=desk["units"]["police"])
    police = tracking_book_context(police_head, date(2024, 4, 26), date(2024, 4, 26))
    assert police["rows"] == []


@needs_poppler
def test_tracking_book_lists_only_what_its_reader_may_open(client, desk, returned, tmp_path):
    """[O] 3: the book listed a dossier received at another desk, with its applicant's name,
    address and phone, because its procedure's agency (the province) sits above the desk — while
    the dossier page refused it. Both now read the one visibility rule."""
    other_desk = UnitFactory(parent=desk["units"]["province"], name="Bộ phận một cửa huyện khác")
    elsewhere = receive(desk, when="2024-04-26T09:00")
    Dossier.objects.filter(pk=elsewhere.pk).update(
        receiving_unit=other_desk, applicant_name="Trần Văn Khác"
    )
    # A province-level procedure (the version is published: set in the table, as a fixture).
    ProcedureVersion.objects.filter(pk=elsewhere.procedure_version_id).update(
        competent_agency=desk["units"]["province"]
    )
    login(client, desk["desk"])
    page = client.get(reverse("backoffice:dossier_detail", args=[elsewhere.pk]))
    assert page.status_code == 403  # the door refuses it...
    url = reverse("backoffice:tracking_book") + "?tu=2024-04-26&den=2024-04-26"
    _, text = pdf_facts(client.get(url).content, tmp_path)
    assert elsewhere.code not in text and "Trần Văn Khác" not in text  # ...and so does the book
    assert "Nguyễn Thị Hương" in text  # its own dossier is still there
    book = tracking_book_context(desk["desk"], date(2024, 4, 26), date(2024, 4, 26))
    assert [row["code"] for row in book["rows"]] == [returned.code]


# --- [K] 17: a month of a busy desk -------------------------------------------------------------


def _book_queries(django_assert_max_num_queries, user, limit):
    with django_assert_max_num_queries(limit):
        return tracking_book_context(user, date(2024, 4, 1), date(2024, 4, 30))


def test_tracking_book_reads_the_same_number_of_queries_for_any_number_of_dossiers(
    desk, returned, django_assert_max_num_queries, tmp_path
):
    """No query per line (no N+1): the book of one dossier and of many cost the same queries,
    whether they are open, returned, rescheduled or asked for supplements."""
    one = _book_queries(django_assert_max_num_queries, desk["desk"], 1)
    late = receive(desk, when="2024-04-26T09:00")
    act(desk["head"], late, "assign", "2024-05-02T08:00", assignee_id=desk["specialist"].pk)
    act(desk["specialist"], late, "request_supplement", "2024-05-02T09:00", reason="Thiếu ảnh")
    for hour in range(8, 14):
        receive(desk, when=f"2024-04-25T{hour:02d}:00")
    many = _book_queries(django_assert_max_num_queries, desk["desk"], 1)
    assert len(one["rows"]) == 1 and len(many["rows"]) == 8
    assert (
        "Yêu cầu bổ sung 1 lần" in next(r for r in many["rows"] if r["code"] == late.code)["note"]
    )
    with django_assert_max_num_queries(3):  # the user's unit, the form set in force, the lines
        tracking_book_xlsx(desk["desk"], date(2024, 4, 1), date(2024, 4, 30), tmp_path / "b.xlsx")


@needs_poppler
def test_a_large_book_is_laid_out_in_pieces_and_numbered_as_one(
    desk, returned, tmp_path, monkeypatch
):
    """Beyond PDF_CHUNK_ROWS lines each piece is its own WeasyPrint document (memory stays
    bounded); the joined book has the title once, the total once, and "Trang x/y" on every page."""
    monkeypatch.setattr(tracking_book, "PDF_CHUNK_ROWS", 1)
    others = [receive(desk, when=f"2024-04-26T{hour:02d}:00") for hour in (9, 10)]
    path = tmp_path / "book.pdf"
    pages = tracking_book.tracking_book_pdf(desk["desk"], date(2024, 4, 1), date(2024, 4, 30), path)
    info, text = pdf_facts(path.read_bytes(), tmp_path)
    assert pages == 3 and "Pages:           3" in info and A4_LANDSCAPE in info
    assert text.count("SỔ THEO DÕI HỒ SƠ") == 1 and text.count("CỘNG HÒA XÃ HỘI") == 1
    assert text.count("Tổng số: 3 hồ sơ") == 1 and "trước hạn: 1" in text
    assert [f"Trang {n}/3" in text for n in (1, 2, 3)] == [True, True, True]
    for code in [returned.code] + [d.code for d in others]:
        assert code.split("-")[0] in text


def test_tracking_book_view_gives_a_spreadsheet(client, desk, returned):
    url = reverse("backoffice:tracking_book") + "?tu=2024-04-26&den=2024-04-30&dinh-dang=xlsx"
    response = login(client, desk["desk"]).get(url)
    assert response.status_code == 200
    assert "so-theo-doi-20240426-20240430.xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert rows[2][0] == f"SỔ THEO DÕI HỒ SƠ — {desk['desk'].unit.name}"
    assert rows[4][:3] == ["STT", "Mã hồ sơ", "Tên thủ tục hành chính"]
    assert rows[5][1] == returned.code and rows[5][4] == "Nguyễn Thị Hương"
    assert rows[5][13] == "Trước hạn"
    assert rows[6][0].startswith("Tổng số: 1 hồ sơ (trước hạn: 1")


def test_tracking_book_view_refuses_an_unknown_format_and_writes_nothing(client, desk, returned):
    events, dossiers = DossierEvent.objects.count(), Dossier.objects.count()
    url = reverse("backoffice:tracking_book") + "?dinh-dang=docx"
    response = login(client, desk["desk"]).get(url)
    assert response.status_code == 400
    assert "Định dạng “docx” không có; hãy chọn pdf hoặc xlsx." in response.content.decode()
    assert (DossierEvent.objects.count(), Dossier.objects.count()) == (events, dossiers)


@needs_poppler
def test_a_large_book_is_streamed_from_its_file(client, desk, returned, tmp_path, monkeypatch):
    from motcua.backoffice import views_dossier_tracking

    monkeypatch.setattr(views_dossier_tracking, "STREAM_ABOVE_BYTES", 0)
    url = reverse("backoffice:tracking_book") + "?tu=2024-04-26&den=2024-04-30"
    response = login(client, desk["desk"]).get(url)
    assert response.status_code == 200 and response.streaming
    assert "so-theo-doi-20240426-20240430.pdf" in response["Content-Disposition"]
    info, text = pdf_facts(b"".join(response.streaming_content), tmp_path)
    assert A4_LANDSCAPE in info and "Nguyễn Thị Hương" in text
