"""The reform pages: who may read and write, forms that refuse bad input and change nothing."""

import io
from datetime import date

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from motcua.accounts.roles import Role
from motcua.reform import services
from motcua.reform.demo import load_demo
from motcua.reform.models import (
    Draft,
    IsoProcess,
    LegalActivity,
    LegalDocument,
    ParAssessment,
    ParCriterion,
    Plan,
    ReviewOutcome,
    Task,
    TaskProgress,
    TaskStatus,
)
from tests.accounts.factories import UnitFactory, UserFactory
from tests.reform.factories import ActivityFactory, DocumentFactory, PlanFactory, TaskFactory

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def leader():
    return client_for(UserFactory(role=Role.DEPARTMENT_LEADER))


@pytest.fixture
def specialist():
    return client_for(UserFactory(role=Role.SPECIALIST))


def test_citizens_are_kept_out_even_with_ids_that_do_not_exist():
    citizen = client_for(UserFactory(citizen=True))
    for path in (
        "/can-bo/cai-cach/",
        "/can-bo/cai-cach/nhiem-vu/999999/",
        "/can-bo/cai-cach/van-ban/999999/",
    ):
        assert citizen.get(path).status_code == 403


def test_staff_read_but_only_editors_write(specialist, leader):
    plan = PlanFactory()
    assert specialist.get(reverse("reform:plan_detail", args=[plan.pk])).status_code == 200
    assert specialist.get(reverse("reform:plan_add")).status_code == 403
    data = {
        "number": "9/KH-STP",
        "issued_on": "2023-02-01",
        "title": "Kế hoạch",
        "unit": plan.unit.pk,
    }
    assert specialist.post(reverse("reform:plan_add"), data).status_code == 403
    assert specialist.get(reverse("reform:document_add")).status_code == 403
    response = leader.post(reverse("reform:plan_add"), data)
    assert response.status_code == 302
    assert Plan.objects.filter(number="9/KH-STP").exists()


def test_office_staff_edit_plans_legal_division_edits_documents():
    office = UnitFactory(code="000.01.12.H27", name="Văn phòng Sở")
    legal = UnitFactory(code="000.03.12.H27", name="Phòng XD-KT&TDTHPL")
    office_client = client_for(UserFactory(role=Role.SPECIALIST, unit=office))
    legal_client = client_for(UserFactory(role=Role.SPECIALIST, unit=legal))
    assert office_client.get(reverse("reform:task_add")).status_code == 200
    assert legal_client.get(reverse("reform:task_add")).status_code == 403
    assert legal_client.get(reverse("reform:document_add")).status_code == 200


def test_a_bad_task_form_shows_vietnamese_messages_and_saves_nothing(leader):
    plan = PlanFactory()
    response = leader.post(
        reverse("reform:task_add"),
        {"source": "plan", "plan": plan.pk, "title": "Rà soát TTHC", "area": "procedures",
         "unit": plan.unit.pk, "assigned_on": "2023-03-01", "deadline": "2023-02-01"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "Thời hạn không được trước ngày giao nhiệm vụ." in response.content.decode()
    response = leader.post(reverse("reform:task_add"), {"source": "x", "deadline": "31/02/2023"})
    text = response.content.decode()
    assert "Lựa chọn không hợp lệ." in text and "Ngày không hợp lệ" in text
    assert not Task.objects.exists()


@time_machine.travel("2023-03-01T09:00+07:00", tick=False)
def test_progress_with_a_fake_file_is_refused(leader, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    task = TaskFactory()
    url = reverse("reform:task_detail", args=[task.pk])
    fake = io.BytesIO(b"<html>not a pdf</html>")
    fake.name = "bao-cao.pdf"
    response = leader.post(
        url, {"status": "in_progress", "on": "2023-03-01", "note": "x", "evidence": fake}
    )
    assert "Tệp minh chứng phải là PDF, JPEG, PNG, DOCX hoặc XLSX." in response.content.decode()
    assert not TaskProgress.objects.exists()
    pdf = io.BytesIO(b"%PDF-1.4 minh chung")
    pdf.name = "bao-cao.pdf"
    response = leader.post(
        url, {"status": "done", "on": "2023-03-01", "note": "Xong", "evidence": pdf}
    )
    assert response.status_code == 302
    progress = TaskProgress.objects.get()
    download = leader.get(reverse("reform:evidence_download", args=[progress.pk]))
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_a_stranger_cannot_report_progress(specialist):
    task = TaskFactory()
    response = specialist.post(
        reverse("reform:task_detail", args=[task.pk]),
        {"status": "done", "on": "2023-03-01", "note": "Xong"},
    )
    assert response.status_code == 403
    task.refresh_from_db()
    assert task.status == TaskStatus.NOT_STARTED


@time_machine.travel("2023-06-01T09:00+07:00", tick=False)
def test_register_a_document_and_refuse_a_bad_number(leader):
    data = {"issuer": "ubnd_tinh", "doc_type": "quyet_dinh", "number": "12/2022/QĐ-UBND",
            "issued_on": "2023-05-02", "title": "Quy định giá đất", "effective_from": "2023-05-15"}  # fmt: skip
    response = leader.post(reverse("reform:document_add"), data)
    assert "Năm trong số, ký hiệu (2022) phải là năm ban hành (2023)." in response.content.decode()
    assert not LegalDocument.objects.exists()
    response = leader.post(reverse("reform:document_add"), data | {"number": "12/2023/QĐ-UBND"})
    assert response.status_code == 302
    assert LegalDocument.objects.get().number == "12/2023/QĐ-UBND"


@time_machine.travel("2023-06-01T09:00+07:00", tick=False)
def test_draft_then_appraisal_and_period_counts(leader):
    unit = UnitFactory()
    response = leader.post(
        reverse("reform:draft_add"),
        {"title": "Dự thảo Quyết định quy định giá dịch vụ", "issuer": "ubnd_tinh",
         "doc_type": "quyet_dinh", "drafting_agency": "Sở Tài chính", "received_on": "2023-05-20"},
    )  # fmt: skip
    draft = Draft.objects.get()
    assert response["Location"].endswith(f"?du_thao={draft.pk}")
    response = leader.post(
        reverse("reform:activity_add"),
        {"kind": "appraisal", "done_on": "2023-05-25", "unit": unit.pk, "draft": draft.pk,
         "reference": "Báo cáo thẩm định số 45/BC-STP"},
    )  # fmt: skip
    assert response.status_code == 302
    assert LegalActivity.objects.get().draft == draft
    page = leader.get(
        reverse("reform:activity_list"), {"date_from": "2023-05-01", "date_to": "2023-05-31"}
    )
    assert "Thẩm định: <strong>1</strong>" in page.content.decode()
    page = leader.get(
        reverse("reform:activity_list"), {"date_from": "2023-06-01", "date_to": "2023-05-31"}
    )
    assert "Ngày cuối kỳ không được trước ngày đầu kỳ." in page.content.decode()


def test_the_expired_list_downloads_as_xlsx(specialist):
    ActivityFactory(outcome=ReviewOutcome.EXPIRED_FULLY, expired_on=date(2022, 5, 1),
                    document=DocumentFactory(number="7/2015/QĐ-UBND", title="Quy định về phí"))  # fmt: skip
    response = specialist.get(reverse("reform:expired_list_download", args=[2022]))
    workbook = load_workbook(io.BytesIO(response.content))
    rows = list(workbook["Hết hiệu lực toàn bộ"].values)
    assert rows[2][2].startswith("7/2015/QĐ-UBND ngày") and rows[2][3] == "Quy định về phí"
    assert len(list(workbook["Hết hiệu lực một phần"].values)) == 2
    page = specialist.get(reverse("reform:expired_list"), {"nam": "2022"})
    assert "7/2015/QĐ-UBND" in page.content.decode()


def test_par_score_above_the_maximum_is_refused(leader):
    assessment = ParAssessment.objects.create(year=2023, unit=UnitFactory())
    parent = ParCriterion.objects.create(
        assessment=assessment, code="1", title="Chỉ đạo", max_points=3
    )
    leaf = ParCriterion.objects.create(
        assessment=assessment, parent=parent, code="1.1", title="Kế hoạch", max_points=1
    )
    url = reverse("reform:par_score", args=[leaf.pk])
    response = leader.post(url, {"self_score": "0,75", "final_score": "2"})
    assert "Điểm thẩm định không được vượt 1 điểm." in response.content.decode()
    leaf.refresh_from_db()
    assert leaf.self_score is None  # both scores or neither
    assert leader.post(url, {"self_score": "0,75", "final_score": "0,5"}).status_code == 302
    page = leader.get(reverse("reform:par_detail", args=[assessment.pk])).content.decode()
    assert "tự đánh giá <strong>0,75</strong>, thẩm định <strong>0,50</strong>" in page


@time_machine.travel("2023-07-03T09:00+07:00", tick=False)
def test_every_page_renders_with_the_demo_data(specialist, django_assert_max_num_queries):
    load_demo()
    home = specialist.get(
        reverse("reform:home"), {"date_from": "2023-01-01", "date_to": "2023-06-30"}
    )
    text = home.content.decode()
    assert "<strong>70</strong> nhiệm vụ: 11 đã hoàn thành, 35 đang thực hiện" in text
    assert "Thẩm định 28 dự thảo; góp ý 68 dự thảo" in text
    pages = [
        reverse("reform:plan_list"), reverse("reform:plan_detail", args=[Plan.objects.get(number="08/KH-STP").pk]),
        reverse("reform:task_list"), reverse("reform:task_list") + "?qua_han=1", reverse("reform:inspection_list"),
        reverse("reform:document_list"), reverse("reform:draft_list"), reverse("reform:activity_list"),
        reverse("reform:expired_list") + "?nam=2022", reverse("reform:iso_list"), reverse("reform:par_list"),
        reverse("reform:iso_detail", args=[IsoProcess.objects.first().pk]),
        reverse("reform:par_detail", args=[ParAssessment.objects.get().pk]),
        reverse("reform:document_detail", args=[LegalDocument.objects.first().pk]),
        reverse("reform:task_detail", args=[Task.objects.first().pk]),
    ]  # fmt: skip
    for path in pages:
        with django_assert_max_num_queries(25):
            assert specialist.get(path).status_code == 200, path


def test_configure_a_par_tree_then_score_it(leader):
    unit = UnitFactory()
    response = leader.post(reverse("reform:par_list"), {"year": "1999", "unit": unit.pk})
    assert "Năm phải từ 2000 đến 2060." in response.content.decode()
    assert not ParAssessment.objects.exists()
    response = leader.post(reverse("reform:par_list"), {"year": "2023", "unit": unit.pk})
    assessment = ParAssessment.objects.get()
    url = reverse("reform:par_detail", args=[assessment.pk])
    assert response["Location"] == url
    leader.post(url, {"code": "1", "title": "Công tác chỉ đạo, điều hành", "max_points": "7"})
    parent = ParCriterion.objects.get(code="1")
    response = leader.post(
        url, {"code": "1.1", "title": "Kế hoạch CCHC", "max_points": "hai", "parent": parent.pk}
    )
    assert "Điểm phải là số, ví dụ 1,5." in response.content.decode()
    leader.post(
        url, {"code": "1.1", "title": "Kế hoạch CCHC", "max_points": "2,5", "parent": parent.pk}
    )
    leaf = ParCriterion.objects.get(code="1.1")
    assert leaf.parent == parent and str(leaf.max_points) == "2.50"
    leader.post(reverse("reform:par_score", args=[leaf.pk]), {"self_score": "2"})
    page = leader.get(url).content.decode()
    assert "tự đánh giá <strong>2,00</strong>" in page


def test_systematisation_period_and_iso_review(leader):
    response = leader.post(
        reverse("reform:period_list"),
        {"start_year": "2019", "end_year": "2024", "cutoff_on": "2024-12-31"},
    )
    assert "Kỳ hệ thống hóa là 05 năm" in response.content.decode()
    response = leader.post(
        reverse("reform:period_list"),
        {"start_year": "2019", "end_year": "2023", "cutoff_on": "2023-12-31"},
    )
    assert response.status_code == 302
    assert "Kỳ 2019–2023" in leader.get(reverse("reform:period_list")).content.decode()
    process = IsoProcess.objects.create(
        code="QT-01", name="Kiểm soát tài liệu", kind="internal", unit=UnitFactory()
    )
    version = services.iso_version_add(
        None, process.pk, version="01", issued_on=date(2023, 1, 5),
        next_review_on=date(2024, 1, 5), approver="Giám đốc Sở",
    )  # fmt: skip
    url = reverse("reform:iso_document_review", args=[version.pk])
    assert leader.get(url).status_code == 405
    leader.post(url, {"on": "2022-12-01", "reviewer": "Thư ký ISO", "next_review_on": "2024-12-01"})
    assert not version.reviews.exists()
    leader.post(url, {"on": "2023-12-20", "reviewer": "Thư ký ISO", "next_review_on": "2024-12-20"})
    assert version.reviews.get().reviewed_on == date(2023, 12, 20)


def test_edit_a_task_changes_only_what_was_changed(leader):
    task = TaskFactory(deadline=date(2023, 6, 30))
    url = reverse("reform:task_edit", args=[task.pk])
    form = {"title": task.title, "source_document": "", "area": task.area, "unit": task.unit_id,
            "owner": "", "deadline": "2023-01-01"}  # fmt: skip
    response = leader.post(url, form)
    assert "Thời hạn không được trước ngày giao nhiệm vụ." in response.content.decode()
    task.refresh_from_db()
    assert task.deadline == date(2023, 6, 30)
    assert leader.post(url, form | {"deadline": "2023-09-30"}).status_code == 302
    task.refresh_from_db()
    assert task.deadline == date(2023, 9, 30)
