"""The storage API: content-addressed, stored once, never overwritten; types judged from content."""

import io

import pikepdf
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from PIL import Image

from motcua.documents.models import ComponentFile, OcrStatus, StoredFile
from motcua.documents.services import (
    component_file_attach,
    component_file_confirm,
    documents_storage,
    stored_file_bytes,
    stored_file_put,
    stored_file_put_pages,
)
from tests.accounts.factories import UserFactory
from tests.documents.factories import image_bytes, pdf_bytes, receive_dossier

pytestmark = pytest.mark.django_db

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200


def _codes(error: ValidationError) -> set:
    return {e.code for e in error.error_list}


def test_the_same_file_uploaded_twice_is_stored_once():
    data = pdf_bytes("Giấy khai sinh")
    first = stored_file_put(SimpleUploadedFile("giay-khai-sinh.pdf", data, "application/pdf"))
    second = stored_file_put(SimpleUploadedFile("ban-sao.pdf", data, "application/octet-stream"))
    assert first.pk == second.pk and StoredFile.objects.count() == 1
    assert first.kind == "pdf" and first.content_type == "application/pdf" and first.page_count == 1
    assert first.size == len(data) and len(first.sha256) == 64
    assert first.storage_name == f"{first.sha256[:2]}/{first.sha256[2:4]}/{first.sha256}.pdf"
    assert stored_file_bytes(first) == data


def test_text_is_read_by_the_job_never_inside_the_request(monkeypatch):
    """Issue [O] item 8: a hostile PDF must not hold the request while its text is extracted."""
    import motcua.documents.textlayer as textlayer

    def no_text_in_request(data):
        raise AssertionError("pdftotext ran inside the request")

    with monkeypatch.context() as patch:
        patch.setattr(textlayer, "pdf_text", no_text_in_request)
        with_text = stored_file_put(pdf_bytes("Quyết định số 12"))
    assert with_text.ocr_status == OcrStatus.PENDING and with_text.text == ""
    from motcua.documents.ocr import stored_file_ocr

    assert stored_file_ocr(with_text) == with_text  # its own text layer: no OCR needed
    with_text.refresh_from_db()
    assert "quyet dinh so 12" in with_text.text_folded
    assert with_text.ocr_status == OcrStatus.NOT_NEEDED
    scan = stored_file_put(image_bytes())
    assert scan.ocr_status == OcrStatus.PENDING


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (EXE, "file_type_unknown"),
        (b"%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage, no xref, no trailer", "pdf_broken"),
        (b"\xff\xd8\xff\xe0" + b"not really a jpeg" * 10, "image_broken"),
        (b"", "file_empty"),
    ],
)
def test_bad_files_are_refused_with_a_vietnamese_message_and_nothing_is_stored(data, code):
    with pytest.raises(ValidationError) as caught:
        stored_file_put(SimpleUploadedFile("giay-to.pdf", data, "application/pdf"))
    assert _codes(caught.value) == {code}
    assert any(ch in caught.value.messages[0] for ch in "ệạổớáđ")
    assert StoredFile.objects.count() == 0


def test_an_oversize_file_is_refused_before_it_is_read():
    data = pdf_bytes()
    with pytest.raises(ValidationError) as caught:
        stored_file_put(SimpleUploadedFile("lon.pdf", data), max_bytes=len(data) - 1)
    assert _codes(caught.value) == {"file_too_large"}
    assert "dung lượng tối đa" in caught.value.messages[0]
    with override_settings(MOTCUA_UPLOAD_MAX_BYTES=100), pytest.raises(ValidationError):
        stored_file_put(data)
    assert StoredFile.objects.count() == 0


def test_a_type_not_allowed_here_is_refused():
    with pytest.raises(ValidationError) as caught:
        stored_file_put(image_bytes("PNG"), kinds=("pdf",))
    assert _codes(caught.value) == {"file_type_not_allowed"}
    assert "chỉ nhận: PDF" in caught.value.messages[0]


def test_an_encrypted_pdf_is_refused():
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(pdf_bytes())) as pdf:
        pdf.save(out, encryption=pikepdf.Encryption(owner="a", user="mat-khau"))
    with pytest.raises(ValidationError) as caught:
        stored_file_put(out.getvalue())
    assert _codes(caught.value) == {"pdf_encrypted"}


def test_images_are_normalised_upright_without_exif_and_bounded():
    # Orientation 6 = the camera was turned: the stored image must be upright (80 × 120).
    stored = stored_file_put(image_bytes("JPEG", size=(120, 80), exif_orientation=6))
    with Image.open(io.BytesIO(stored_file_bytes(stored))) as image:
        assert image.size == (80, 120)
        assert not image.getexif()
    with override_settings(MOTCUA_IMAGE_MAX_SIDE=50):
        small = stored_file_put(image_bytes("PNG", size=(200, 100)))
    with Image.open(io.BytesIO(stored_file_bytes(small))) as image:
        assert image.size == (50, 25) and image.format == "PNG"


def test_several_pages_become_one_pdf():
    stored = stored_file_put_pages(
        [
            image_bytes(colour=(10, 10, 10)),
            image_bytes("PNG", colour=(250, 250, 0)),
            pdf_bytes(pages=2),
        ]
    )
    assert stored.kind == "pdf" and stored.page_count == 4
    with pikepdf.open(io.BytesIO(stored_file_bytes(stored))) as pdf:
        assert len(pdf.pages) == 4


def test_one_bad_page_refuses_the_whole_scan():
    with pytest.raises(ValidationError):
        stored_file_put_pages([image_bytes(), EXE])
    assert StoredFile.objects.count() == 0


def test_filesystem_storage_under_the_data_folder_never_overwrites(tmp_path):
    alias = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path / "documents")},
    }
    with override_settings(STORAGES={**_storages_setting(), "documents": alias}):
        assert documents_storage() is storages["documents"]
        data = pdf_bytes("Bản sao chứng thực")
        stored = stored_file_put(data)
        path = tmp_path / "documents" / stored.storage_name
        assert path.read_bytes() == data
        before = path.stat().st_mtime_ns
        StoredFile.objects.all().delete()  # the row is gone, the content stays: put again
        again = stored_file_put(data)
        assert again.storage_name == stored.storage_name
        assert path.stat().st_mtime_ns == before
        assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


def _storages_setting():
    from django.conf import settings

    return {k: v for k, v in settings.STORAGES.items() if k != "documents"}


def test_attach_is_idempotent_and_confirmation_is_recorded(desk):
    dossier = receive_dossier(desk)
    component = dossier.components.first()
    stored = stored_file_put(pdf_bytes("Tờ khai"))
    first = component_file_attach(desk["desk"], component, stored, source="desk_scan")
    again = component_file_attach(desk["desk"], component, stored, source="desk_scan")
    assert first.pk == again.pk and ComponentFile.objects.count() == 1
    assert not first.is_digitised and first.uploaded_by == desk["desk"]
    confirmed = component_file_confirm(desk["desk"], first.pk)
    assert confirmed.is_digitised and confirmed.digitised_confirmed_by == desk["desk"]


def test_attach_refuses_an_unknown_source_and_an_officer_of_another_unit(desk):
    dossier = receive_dossier(desk)
    component = dossier.components.first()
    stored = stored_file_put(pdf_bytes())
    with pytest.raises(ValidationError):
        component_file_attach(desk["desk"], component, stored, source="fax")
    stranger = UserFactory(role="desk_officer", unit=desk["units"]["so"])
    with pytest.raises(PermissionDenied):
        component_file_attach(stranger, component, stored, source="desk_scan")
    with pytest.raises(PermissionDenied):
        component_file_confirm(stranger, 999999)
    assert ComponentFile.objects.count() == 0
