"""The ISO register's pages: staff read, editors write, citizens are kept out; the review-due flag and
filters; bad input shown in Vietnamese with nothing changed."""

from datetime import date

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from motcua.accounts.roles import Role
from motcua.demo.loaders import LoadReport, load_catalogue, load_org_units
from motcua.reform import services
from motcua.reform.demo import load_demo
from motcua.reform.models import (
    IsoAction,
    IsoAudit,
    IsoDocument,
    IsoDocumentVersion,
    IsoFinding,
    IsoProcess,
)
from tests.accounts.factories import UnitFactory, UserFactory

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


@pytest.fixture
def process():
    unit = UnitFactory()
    created = services.iso_process_create(
        None, code="QT-NB-01", name="Quy trình kiểm soát tài liệu", kind="internal", unit=unit
    )
    services.iso_version_add(
        None, created.pk, version="01", issued_on=date(2022, 3, 1),
        next_review_on=date(2023, 3, 1), approver="Giám đốc Sở",
    )  # fmt: skip
    return created


def _pages(process, document, audit) -> list[str]:
    return [
        reverse("reform:iso_list"),
        reverse("reform:iso_list") + "?qua_han=on&ngay=30/06/2023",
        reverse("reform:iso_detail", args=[process.pk]),
        reverse("reform:iso_documents"),
        reverse("reform:iso_document_detail", args=[document.pk]),
        reverse("reform:iso_units"),
        reverse("reform:iso_audit_list"),
        reverse("reform:iso_audit_detail", args=[audit.pk]),
        reverse("reform:iso_review_list"),
    ]


@time_machine.travel("2023-07-03T09:00+07:00", tick=False)
def test_every_iso_page_renders_with_the_demo_register(specialist, django_assert_max_num_queries):
    load_org_units(LoadReport())
    load_catalogue(LoadReport())
    load_demo()
    process = IsoProcess.objects.get(code="QT-NB-14")
    document = IsoDocument.objects.get(code="QĐ-18-2023")
    audit = IsoAudit.objects.get()
    for path in _pages(process, document, audit):
        with django_assert_max_num_queries(25):
            assert specialist.get(path).status_code == 200, path
    page = specialist.get(reverse("reform:iso_list"), {"ngay": "30/06/2023"}).content.decode()
    assert "122/122 TTHC và 14 quy trình nội bộ" in page
    assert "04/04 đơn vị sự nghiệp" in page
    overdue = specialist.get(
        reverse("reform:iso_list"), {"qua_han": "on", "ngay": "30/06/2023", "pham_vi": "all"}
    ).content.decode()
    assert "QT-NB-14" in overdue and "QT-NB-01" not in overdue
    assert "quá hạn rà soát" in overdue
    internal = specialist.get(reverse("reform:iso_list"), {"loai": "internal"}).content.decode()
    assert "QT-NB-01" in internal and "QT-TTHC-" not in internal
    detail = specialist.get(reverse("reform:iso_audit_detail", args=[audit.pk])).content.decode()
    assert "Điểm không phù hợp — điều 7.5.3" in detail
    home = specialist.get(
        reverse("reform:home"), {"date_from": "01/01/2023", "date_to": "30/06/2023"}
    ).content.decode()
    assert "122/122 TTHC và 14 quy trình nội bộ áp dụng; 04/04 đơn vị sự nghiệp" in home
    documents = specialist.get(reverse("reform:iso_documents")).content.decode()
    assert "18/QĐ-STP" in documents and "09/KH-STP" in documents


def test_citizens_are_kept_out_of_every_iso_page(process):
    citizen = client_for(UserFactory(citizen=True))
    for path in (
        "/can-bo/cai-cach/iso/",
        f"/can-bo/cai-cach/iso/{process.pk}/",
        "/can-bo/cai-cach/iso/999999/",
        "/can-bo/cai-cach/iso/tai-lieu/999999/",
        "/can-bo/cai-cach/iso/danh-gia/999999/",
        "/can-bo/cai-cach/iso/don-vi/",
        "/can-bo/cai-cach/iso/xem-xet/",
    ):
        assert citizen.get(path).status_code == 403, path


def test_staff_outside_the_office_read_but_do_not_write(specialist, process):
    document = IsoDocument.objects.get()
    assert specialist.get(reverse("reform:iso_detail", args=[process.pk])).status_code == 200
    data = {"version": "02", "issued_on": "30/03/2023", "approver": "Giám đốc Sở",
            "next_review_on": "30/03/2024"}  # fmt: skip
    url = reverse("reform:iso_document_detail", args=[document.pk])
    assert specialist.post(url, data).status_code == 403
    assert specialist.post(reverse("reform:iso_sync"), {"at": "30/06/2023"}).status_code == 403
    assert IsoDocumentVersion.objects.count() == 1


def test_an_editor_issues_a_new_version_and_bad_dates_are_refused(leader, process):
    document = IsoDocument.objects.get()
    url = reverse("reform:iso_document_detail", args=[document.pk])
    bad = {"version": "02", "issued_on": "30/03/2023", "approver": "Giám đốc Sở",
           "next_review_on": "01/03/2023"}  # fmt: skip
    response = leader.post(url, bad)
    assert "Hạn rà soát phải sau ngày ban hành." in response.content.decode()
    assert IsoDocumentVersion.objects.count() == 1
    response = leader.post(url, bad | {"next_review_on": "30/03/2024"})
    assert response.status_code == 302
    new = IsoDocumentVersion.objects.get(version="02")
    assert new.supersedes.version == "01"
    page = leader.get(url).content.decode()
    assert "đã bị thay thế" in page and "Hiện hành:" in page
    review = reverse("reform:iso_document_review", args=[new.pk])
    leader.post(
        review, {"on": "01/03/2023", "reviewer": "Thư ký ISO", "next_review_on": "01/03/2024"}
    )
    assert not new.reviews.exists()
    page = leader.get(url).content.decode()
    assert "Ngày rà soát không được trước ngày ban hành." in page


def test_a_duplicate_process_code_is_shown_on_the_form(leader, process):
    response = leader.post(
        reverse("reform:iso_add"),
        {"code": "qt-nb-01", "name": "Trùng", "kind": "internal", "unit": process.unit_id},
    )
    assert "Mã quy trình QT-NB-01 đã có trong hệ thống." in response.content.decode()
    assert IsoProcess.objects.count() == 1


def test_audit_finding_action_through_the_pages(leader, process):
    response = leader.post(
        reverse("reform:iso_audit_list"),
        {"year": "2023", "title": "Đánh giá nội bộ 2023", "held_from": "15/05/2023",
         "held_to": "19/05/2023", "lead_auditor": "Chánh Văn phòng", "processes": [process.pk]},
    )  # fmt: skip
    assert response.status_code == 302
    audit = IsoAudit.objects.get()
    detail = reverse("reform:iso_audit_detail", args=[audit.pk])
    response = leader.post(
        detail,
        {"kind": "nonconformity", "clause": "7.5.3", "description": "Hồ sơ chưa lưu.",
         "found_on": "16/05/2023", "process": process.pk},
    )  # fmt: skip
    assert response.status_code == 302
    finding = IsoFinding.objects.get()
    add = reverse("reform:iso_action_add", args=[finding.pk])
    leader.post(add, {"description": "Lưu hồ sơ", "owner": "Văn thư", "due_on": "2023-05-01"})
    assert not IsoAction.objects.exists()
    page = leader.get(detail).content.decode()
    assert "Thời hạn khắc phục không được trước ngày phát hiện (16/05/2023)." in page
    leader.post(add, {"description": "Lưu hồ sơ", "owner": "Văn thư", "due_on": "2023-06-15"})
    action = IsoAction.objects.get()
    leader.post(reverse("reform:iso_action_done", args=[action.pk]), {"on": "2023-06-10"})
    leader.post(
        reverse("reform:iso_action_verified", args=[action.pk]),
        {"on": "2023-06-20", "by": "Thư ký ISO"},
    )
    action.refresh_from_db()
    assert (action.done_on, action.verified_on) == (date(2023, 6, 10), date(2023, 6, 20))
    response = leader.post(
        reverse("reform:iso_review_list"),
        {"held_on": "26/06/2023", "chair": "Giám đốc Sở", "inputs": "Kết quả đánh giá",
         "decisions": "Duy trì", "audit": audit.pk},
    )  # fmt: skip
    assert response.status_code == 302
    assert "Duy trì" in leader.get(reverse("reform:iso_review_list")).content.decode()
