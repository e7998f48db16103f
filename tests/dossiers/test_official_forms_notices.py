"""Mẫu 02, 03 and 04 are filled from the dossier's history and render to A5 PDFs in Vietnamese; a
dossier without the event a notice records gets a clear error and no PDF."""

import shutil
import subprocess
import unicodedata
from unittest import mock

import pytest
import time_machine

from motcua.dossiers.models import Dossier
from motcua.dossiers.official_forms import notices as forms_notices
from motcua.dossiers.official_forms.notices import (
    NoticeNotFound,
    apology_context,
    notice_pdf,
    refusal_context,
    supplement_request_context,
)
from motcua.dossiers.services import dossier_act
from motcua.dossiers.workflow import Status
from tests.dossiers.test_services import act, at, receive

needs_poppler = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils missing")

NAME = "Nguyễn Thị Hương"
SUPPLEMENT = "Thiếu bản sao Căn cước công dân có chứng thực\nTờ khai chưa ghi nơi cư trú trước đây"
REFUSAL = "Người yêu cầu không thuộc đối tượng được cấp Phiếu lý lịch tư pháp số 2 qua ủy quyền"
DELAY = "Chờ kết quả xác minh của Công an tỉnh Hà Tĩnh"


def pdf_text(pdf: bytes, tmp_path, name="notice.pdf") -> tuple[str, str]:
    """(pdfinfo, pdftotext) of a PDF, the text in NFC and with line breaks joined."""
    path = tmp_path / name
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return info, " ".join(unicodedata.normalize("NFC", text).split())


def in_progress(desk):
    """Received Mon 06/05/2024 07:30 (due Fri 17/05 17:30), assigned at 08:00."""
    dossier = receive(desk, when="2024-05-06T07:30")
    act(desk["head"], dossier, "assign", "2024-05-06T08:00", assignee_id=desk["specialist"].pk)
    return dossier


def submitted_online(desk) -> Dossier:
    """An online submission waiting at the desk (no code until it is accepted)."""
    received = receive(desk)  # borrows the procedure version, applicant and unit of a real one
    return Dossier.objects.create(
        procedure_version=received.procedure_version,
        receiving_unit=received.receiving_unit,
        applicant=received.applicant,
        applicant_name=received.applicant_name,
        applicant_address=received.applicant_address,
        channel="online",
        status=Status.SUBMITTED_ONLINE,
        submitted_at=at("2024-04-26T20:00"),
    )


# --- Mẫu 02 ------------------------------------------------------------------------------------


def test_supplement_request_during_processing(desk):
    dossier = in_progress(desk)
    act(desk["specialist"], dossier, "request_supplement", "2024-05-07T09:00", reason=SUPPLEMENT)
    context = supplement_request_context(dossier)
    # Issued by the competent agency (Decree 61/2018 art. 19.4), dated the day of the request.
    assert context["agency_name"] == "Sở Tư pháp tỉnh Hà Tĩnh"
    assert context["agency_parent_name"] == "Ủy ban nhân dân tỉnh Hà Tĩnh"
    assert context["date_long"] == "ngày 07 tháng 5 năm 2024"
    assert context["code"] == dossier.code and context["applicant_name"] == NAME
    assert context["reason_lines"] == SUPPLEMENT.split("\n")
    assert context["officer_name"] == str(desk["specialist"])
    assert context["number"].startswith("……") and not context["at_intake"]


def test_supplement_request_at_intake_of_an_online_dossier(desk):
    dossier = submitted_online(desk)
    with time_machine.travel(at("2024-04-27T08:00"), tick=False):
        dossier_act(
            desk["desk"],
            dossier.pk,
            "request_intake_supplement",
            expected_revision=0,
            reason="Ảnh chụp tờ khai bị mờ, không đọc được",
        )
    context = supplement_request_context(dossier)
    # The desk asks, in the name of its own unit; the dossier has no code yet.
    assert (
        context["at_intake"]
        and context["agency_name"] == "Trung tâm Phục vụ hành chính công tỉnh Hà Tĩnh"
    )
    assert context["code"] == f"Hồ sơ trực tuyến #{dossier.pk}"
    assert context["reason"] == "Ảnh chụp tờ khai bị mờ, không đọc được"


def test_the_latest_request_by_default_or_the_one_asked_for(desk):
    dossier = in_progress(desk)
    act(desk["specialist"], dossier, "request_supplement", "2024-05-07T09:00", reason="Lần một")
    act(desk["desk"], dossier, "supplement_received", "2024-05-08T09:00")
    act(desk["specialist"], dossier, "request_supplement", "2024-05-09T09:00", reason="Lần hai")
    assert supplement_request_context(dossier)["reason"] == "Lần hai"
    first = dossier.events.get(action="request_supplement", note="Lần một")
    chosen = supplement_request_context(dossier, event_id=first.pk)
    assert chosen["reason"] == "Lần một" and chosen["date_long"] == "ngày 07 tháng 5 năm 2024"
    # An event of another kind, or of nothing, is not a Mẫu 02.
    received = dossier.events.get(action="received")
    for wrong in (received.pk, 999999, "abc"):
        with pytest.raises(NoticeNotFound):
            supplement_request_context(dossier, event_id=wrong)


# --- Mẫu 03 ------------------------------------------------------------------------------------


def test_refusal_after_examination_is_signed_by_the_leader(desk):
    dossier = in_progress(desk)
    act(desk["leader"], dossier, "refuse", "2024-05-08T10:00", reason=REFUSAL)
    context = refusal_context(dossier)
    assert context["reason"] == REFUSAL and context["agency_name"] == "Sở Tư pháp tỉnh Hà Tĩnh"
    assert context["signer_titles"] == ["THỦ TRƯỞNG CƠ QUAN"]
    assert context["officer_name"] == str(desk["leader"])


def test_refusal_at_intake_is_signed_by_the_desk(desk):
    dossier = submitted_online(desk)
    with time_machine.travel(at("2024-04-27T08:00"), tick=False):
        dossier_act(
            desk["desk"], dossier.pk, "refuse_intake", expected_revision=0, reason="Nộp sai cơ quan"
        )
    context = refusal_context(dossier)
    assert context["signer_titles"] == ["NGƯỜI TIẾP NHẬN HỒ SƠ"]
    assert context["agency_name"] == "Trung tâm Phục vụ hành chính công tỉnh Hà Tĩnh"
    assert context["reason"] == "Nộp sai cơ quan"


# --- Mẫu 04 ------------------------------------------------------------------------------------


def test_apology_names_the_broken_and_the_new_appointment(desk):
    dossier = in_progress(desk)
    act(
        desk["head"],
        dossier,
        "reschedule",
        "2024-05-15T09:30",
        new_due=at("2024-05-24T17:30"),
        reason=DELAY,
    )
    context = apology_context(dossier)
    assert context["received_date_long"] == "ngày 06 tháng 5 năm 2024"
    assert context["due_before_text"] == "17 giờ 30 phút, ngày 17 tháng 5 năm 2024"
    assert context["due_after_text"] == "17 giờ 30 phút, ngày 24 tháng 5 năm 2024"
    assert context["reason"] == DELAY and context["date_long"] == "ngày 15 tháng 5 năm 2024"
    # A division head signs on behalf of the head of the agency.
    assert context["signer_titles"] == ["TL. THỦ TRƯỞNG CƠ QUAN", "LÃNH ĐẠO PHÒNG"]
    assert context["recipients"][0] == "Như trên;" and context["recipients"][-1] == "Lưu: VT."


# --- No event, no notice -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "number, builder, words",
    [
        ("02", supplement_request_context, "Mẫu 02"),
        ("03", refusal_context, "Mẫu 03"),
        ("04", apology_context, "Mẫu 04"),
    ],
)
def test_a_dossier_without_the_event_has_no_notice(desk, number, builder, words):
    dossier = in_progress(desk)
    with pytest.raises(NoticeNotFound) as error:
        builder(dossier)
    assert isinstance(error.value, LookupError)
    assert dossier.code in str(error.value) and words in str(error.value)
    with mock.patch.object(forms_notices, "form_pdf") as render, pytest.raises(NoticeNotFound):
        notice_pdf(number, dossier)
    render.assert_not_called()


# --- The PDFs ------------------------------------------------------------------------------------


def with_every_notice(desk):
    """One dossier per notice, each with the event its notice records."""
    supplement = in_progress(desk)
    act(desk["specialist"], supplement, "request_supplement", "2024-05-07T09:00", reason=SUPPLEMENT)
    refused = in_progress(desk)
    act(desk["leader"], refused, "refuse", "2024-05-08T10:00", reason=REFUSAL)
    late = in_progress(desk)
    act(
        desk["head"],
        late,
        "reschedule",
        "2024-05-15T09:30",
        new_due=at("2024-05-24T17:30"),
        reason=DELAY,
    )
    return {"02": supplement, "03": refused, "04": late}


@needs_poppler
def test_the_three_notices_are_a5_pdfs_in_vietnamese(desk, tmp_path):
    notices = with_every_notice(desk)
    supplement, refused, late = notices["02"], notices["03"], notices["04"]

    expectations = {
        ("02", supplement.pk): [
            "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
            *SUPPLEMENT.split("\n"),
            "NGƯỜI HƯỚNG DẪN",
        ],
        ("03", refused.pk): ["PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ", REFUSAL],
        ("04", late.pk): [
            "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ",
            f"Kính gửi: {NAME}",
            DELAY,
            "17 giờ 30 phút, ngày 24 tháng 5 năm 2024",  # the new appointment
            "17 giờ 30 phút, ngày 17 tháng 5 năm 2024",  # the one broken
            "Nơi nhận:",
            "Trân trọng./.",
        ],
    }
    for (number, pk), expected in expectations.items():
        dossier = Dossier.objects.get(pk=pk)
        pdf = notice_pdf(number, dossier)
        assert pdf.startswith(b"%PDF")
        info, text = pdf_text(pdf, tmp_path, f"mau{number}.pdf")
        assert "419.528 x 595.276 pts" in info  # A5 = 148 × 210 mm
        assert "Pages: 1" in " ".join(info.split())  # one sheet
        for phrase in [
            *expected,
            NAME,
            dossier.code,
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Độc lập - Tự do - Hạnh phúc",
            "Số: ……",
        ]:
            assert phrase in text, f"Mẫu {number}: “{phrase}” missing"
