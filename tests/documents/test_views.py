"""The back-office pages (digitisation, issue, downloads, search) and the public verification page."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from pyhanko.pdf_utils.reader import PdfFileReader

from motcua.core.models import PersonalDataRead
from motcua.documents.models import ComponentFile, IssuedDocument, StoredFile
from motcua.documents.results import issued_document_bytes, result_issue
from motcua.documents.services import component_file_attach, stored_file_put
from tests.accounts.factories import UserFactory
from tests.documents.factories import (
    ID_CARD,
    dossier_awaiting_signature,
    image_bytes,
    pdf_bytes,
    receive_dossier,
)

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


def test_desk_scans_several_pages_into_one_confirmed_pdf(desk):
    dossier = receive_dossier(desk)
    component = dossier.components.get(name=ID_CARD)
    client = _client(desk["desk"])
    url = reverse("documents:component_upload", args=[dossier.pk, component.pk])
    pages = [
        SimpleUploadedFile(f"trang{i}.jpg", image_bytes(colour=(i, 0, 0)), "image/jpeg")
        for i in (1, 2)
    ]
    response = client.post(url, {"files": pages, "confirmed": "on"}, follow=True)
    assert "Đã số hoá “Bản chụp Căn cước công dân” (2 trang)" in _messages(response)
    attached = ComponentFile.objects.get(component=component)
    assert attached.stored_file.kind == "pdf" and attached.stored_file.page_count == 2
    assert attached.digitised_confirmed_by == desk["desk"]
    page = client.get(reverse("documents:dossier", args=[dossier.pk])).content.decode()
    assert (
        "Đã số hoá 1/2 thành phần" in page and "042******234" in page and "042190001234" not in page
    )


def test_a_renamed_executable_is_refused_with_a_message_and_nothing_changes(desk):
    dossier = receive_dossier(desk)
    component = dossier.components.first()
    exe = SimpleUploadedFile("to-khai.pdf", b"MZ\x90\x00" + b"\x00" * 100, "application/pdf")
    response = _client(desk["desk"]).post(
        reverse("documents:component_upload", args=[dossier.pk, component.pk]),
        {"files": [exe]},
        follow=True,
    )
    assert "không phải PDF, JPEG hay PNG" in _messages(response)
    assert not StoredFile.objects.exists() and not ComponentFile.objects.exists()
    response = _client(desk["desk"]).post(
        reverse("documents:component_upload", args=[dossier.pk, component.pk]), {}, follow=True
    )
    assert "Vui lòng chọn tệp" in _messages(response)


def test_confirm_then_reuse_through_the_pages(desk):
    first = receive_dossier(desk, when="2024-04-26T09:00")
    card = component_file_attach(
        desk["desk"],
        first.components.get(name=ID_CARD),
        stored_file_put(image_bytes()),
        source="desk_scan",
    )
    client = _client(desk["desk"])
    client.post(reverse("documents:file_confirm", args=[card.pk]))
    card.refresh_from_db()
    assert card.digitised_confirmed_at is not None
    second = receive_dossier(desk, when="2024-05-06T09:00")
    page = client.get(reverse("documents:dossier", args=[second.pk])).content.decode()
    assert f'value="file:{card.pk}"' in page and "Dùng lại" in page
    target = second.components.get(name=ID_CARD)
    url = reverse("documents:component_reuse", args=[second.pk, target.pk])
    response = client.post(url, {"source": f"file:{card.pk}"}, follow=True)
    assert "Đã tái sử dụng" in _messages(response)
    assert ComponentFile.objects.get(component=target).reused_from == card
    # A forged source id changes nothing.
    response = client.post(url, {"source": "file:999999"}, follow=True)
    assert "không còn" in _messages(response)
    response = client.post(url, {"source": "bogus"}, follow=True)
    assert ComponentFile.objects.filter(component=target).count() == 1


def test_officers_of_another_unit_and_citizens_get_403(desk):
    dossier = receive_dossier(desk)
    attached = component_file_attach(
        desk["desk"], dossier.components.first(), stored_file_put(pdf_bytes()), source="desk_scan"
    )
    stranger = _client(UserFactory(role="desk_officer", unit=desk["units"]["so"]))
    citizen = _client(UserFactory(citizen=True))
    for client in (stranger, citizen):
        assert client.get(reverse("documents:dossier", args=[dossier.pk])).status_code == 403
        assert client.get(reverse("documents:file_download", args=[attached.pk])).status_code == 403
        assert client.post(reverse("documents:file_confirm", args=[attached.pk])).status_code == 403
    assert stranger.get(reverse("documents:file_download", args=[999999])).status_code == 403
    attached.refresh_from_db()
    assert attached.digitised_confirmed_at is None


def test_file_download_is_logged_as_a_personal_data_read(desk):
    dossier = receive_dossier(desk)
    data = pdf_bytes("Căn cước")
    attached = component_file_attach(
        desk["desk"], dossier.components.first(), stored_file_put(data), source="desk_scan"
    )
    response = _client(desk["desk"]).get(reverse("documents:file_download", args=[attached.pk]))
    assert response.status_code == 200 and response.getvalue() == data
    assert response["Content-Type"] == "application/pdf"
    assert PersonalDataRead.objects.filter(
        subject=f"dossier:{dossier.pk}", purpose="component_file"
    ).exists()


def test_panel_issue_button_issues_once_and_offers_the_download(desk, signing):
    dossier = dossier_awaiting_signature(desk)
    client = _client(desk["leader"])
    detail = client.get(reverse("backoffice:dossier_detail", args=[dossier.pk])).content.decode()
    assert "Tài liệu điện tử" in detail and "Phát hành kết quả điện tử" in detail
    url = reverse("documents:result_issue", args=[dossier.pk])
    response = client.post(url, follow=True)
    assert "Đã phát hành kết quả điện tử số" in _messages(response)
    client.post(url)  # a double click
    issued = IssuedDocument.objects.get()
    detail = client.get(reverse("backoffice:dossier_detail", args=[dossier.pk])).content.decode()
    assert issued.number in detail and "Phát hành kết quả điện tử</button>" not in detail
    download = client.get(reverse("documents:result_download", args=[issued.pk]))
    assert download.status_code == 200 and download.getvalue() == issued_document_bytes(issued)


def test_issue_refused_for_a_dossier_not_ready(desk, signing):
    dossier = receive_dossier(desk)
    response = _client(desk["desk"]).post(
        reverse("documents:result_issue", args=[dossier.pk]), follow=True
    )
    assert "chưa có kết quả" in _messages(response)
    assert not IssuedDocument.objects.exists()


def test_panel_shows_signatures_found_on_uploaded_pdfs(desk, signing):
    issued = result_issue(desk["leader"], dossier_awaiting_signature(desk))
    dossier = receive_dossier(desk, when="2024-05-20T09:00")
    component_file_attach(
        None, dossier.components.first(), issued.stored_file, source="citizen_upload"
    )
    detail = (
        _client(desk["desk"])
        .get(reverse("backoffice:dossier_detail", args=[dossier.pk]))
        .content.decode()
    )
    assert "Chữ ký số trên giấy tờ nộp" in detail and "Chữ ký hợp lệ" in detail
    assert "ký bởi Sở Tư pháp tỉnh Hà Tĩnh" in detail


# --- the public page ------------------------------------------------------------------------------


def _tampered(data: bytes) -> bytes:
    start, length, *_ = PdfFileReader(io.BytesIO(data)).embedded_signatures[0].byte_range
    changed = bytearray(data)
    changed[start + length // 2] ^= 0x01
    return bytes(changed)


def test_public_page_says_valid_for_the_issued_file_and_tampered_for_a_changed_one(desk, signing):
    issued = result_issue(desk["leader"], dossier_awaiting_signature(desk))
    data = issued_document_bytes(issued)
    client = Client(enforce_csrf_checks=False)
    url = reverse("documents_public:verify")
    assert client.get(url).status_code == 200
    page = client.post(
        url, {"file": SimpleUploadedFile("kq.pdf", data, "application/pdf")}
    ).content.decode()
    assert "Hợp lệ — đúng bản đã cấp" in page and issued.number in page
    assert (
        "N*** T*** H***" in page and "Nguyễn Thị Hương" not in page and "042190001234" not in page
    )
    page = client.post(
        url, {"file": SimpleUploadedFile("kq.pdf", _tampered(data), "application/pdf")}
    ).content.decode()
    assert "Không hợp lệ — tệp đã bị sửa đổi" in page
    assert StoredFile.objects.count() == 1  # uploaded files are checked, not kept


def test_public_page_refuses_bad_input_clearly(db):
    client = Client()
    url = reverse("documents_public:verify")
    response = client.post(url, {})
    assert response.status_code == 400 and "Vui lòng chọn tệp PDF" in response.content.decode()
    response = client.post(url, {"file": SimpleUploadedFile("x.pdf", b"MZ\x90", "application/pdf")})
    assert response.status_code == 400 and "không phải tệp PDF" in response.content.decode()


def test_public_upload_form_needs_csrf(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        reverse("documents_public:verify"), {"file": SimpleUploadedFile("x.pdf", b"%PDF-1.4")}
    )
    assert response.status_code == 403


def test_qr_link_shows_the_registry_entry_without_personal_data(desk, signing):
    issued = result_issue(desk["leader"], dossier_awaiting_signature(desk))
    page = (
        Client().get(reverse("documents_public:verify_token", args=[issued.token])).content.decode()
    )
    assert (
        issued.number in page
        and "Sở Tư pháp tỉnh Hà Tĩnh" in page
        and "Đã cấp, còn hiệu lực" in page
    )
    assert "N*** T*** H***" in page and "Hương" not in page
    missing = Client().get(reverse("documents_public:verify_token", args=["khong-co"]))
    assert missing.status_code == 404 and "Không tìm thấy văn bản" in missing.content.decode()
    assert re.search(r'action="/xac-thuc/"', page)


def test_digitisation_page_and_panel_queries_do_not_grow_with_files(
    desk, signing, django_assert_max_num_queries
):
    earlier = dossier_awaiting_signature(desk)
    result_issue(desk["leader"], earlier)
    for i, component in enumerate(earlier.components.all()):
        component_file_attach(
            desk["desk"],
            component,
            stored_file_put(image_bytes(colour=(i, 9, 9))),
            source="desk_scan",
            confirmed=True,
        )
    dossier = receive_dossier(desk, when="2024-05-20T09:00")
    for i, component in enumerate(dossier.components.all()):
        for page in range(3):
            component_file_attach(
                desk["desk"],
                component,
                stored_file_put(image_bytes(colour=(i * 100, page * 80, 50))),
                source="desk_scan",
            )
    client = _client(desk["desk"])
    with django_assert_max_num_queries(16):
        page = client.get(reverse("documents:dossier", args=[dossier.pk]))
    assert page.status_code == 200 and "Kết quả điện tử số" in page.content.decode()
    assert page.content.decode().count("Xác nhận đã đối chiếu với bản gốc") == 6
