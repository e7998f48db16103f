"""[O] 11: with MOTCUA_S3_* set, every stored file — a desk scan, a citizen's online upload and
supplement, a feedback attachment, a signed result, the original of a sanitised PDF, reform
evidence, an OCR reading — goes to the S3-compatible bucket (moto's server, its own process on
loopback) and comes back from it, streamed: a file of more than 30 MB goes in and out while the
process's Python memory grows by a small fraction of it."""

import hashlib
import io
import os
import tracemalloc
from datetime import date

import pikepdf
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from motcua.accounts.roles import Role
from motcua.documents.models import ComponentFile, IssuedDocument, StoredFile
from motcua.documents.ocr import stored_file_ocr
from motcua.documents.results import result_issue
from motcua.documents.services import component_file_attach, stored_file_bytes, stored_file_put
from motcua.feedback.models import FeedbackAttachment
from motcua.portal import services as portal
from motcua.reform import services as reform
from motcua.reform.models import TaskStatus
from tests.accounts.factories import UserFactory
from tests.documents.factories import (
    ID_CARD,
    dossier_awaiting_signature,
    image_bytes,
    pdf_bytes,
    receive_dossier,
)
from tests.documents.test_risky_files import pdf_with_javascript
from tests.dossiers.test_services import act, at
from tests.portal.factories import citizen, online_dossier, pdf_upload, png_upload
from tests.reform.factories import TaskFactory

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _served(response) -> bytes:
    assert response.status_code == 200, response
    assert response.streaming  # a FileResponse over the store's stream, never bytes in memory
    return b"".join(response.streaming_content)


def test_files_go_to_the_bucket_once_and_are_never_overwritten(s3):
    data = pdf_bytes("Bản sao trích lục")
    stored = stored_file_put(data)
    head = s3.client.head_object(Bucket=s3.name, Key=stored.storage_name)
    assert head["ContentLength"] == len(data) and head["ContentType"] == "application/pdf"
    StoredFile.objects.all().delete()
    again = stored_file_put(data)
    assert again.storage_name == stored.storage_name and stored_file_bytes(again) == data
    assert s3.names() == [stored.storage_name]
    later = s3.client.head_object(Bucket=s3.name, Key=stored.storage_name)
    assert later["LastModified"] == head["LastModified"]


def test_a_desk_scan_goes_to_the_bucket_is_served_and_read_by_the_ocr_job_from_it(desk, s3):
    dossier = receive_dossier(desk)
    component = dossier.components.get(name=ID_CARD)
    client = _client(desk["desk"])
    data = pdf_bytes("Căn cước công dân số 042190001234")
    upload = SimpleUploadedFile("cccd.pdf", data, "application/pdf")
    url = reverse("documents:component_upload", args=[dossier.pk, component.pk])
    client.post(url, {"files": [upload], "confirmed": "on"})
    attached = ComponentFile.objects.get(component=component)
    assert s3.read(attached.stored_file.storage_name) == data
    download = client.get(reverse("documents:file_download", args=[attached.pk]))
    assert _served(download) == data and download["Content-Length"] == str(len(data))
    # Several pages become one PDF, written to the bucket from the combined file.
    pages = [SimpleUploadedFile(f"t{i}.jpg", image_bytes(colour=(i, 9, 9))) for i in (1, 2)]
    client.post(url, {"files": pages})
    combined = ComponentFile.objects.filter(component=component).latest("pk").stored_file
    assert combined.page_count == 2 and combined.storage_name in s3.names()
    # The OCR job copies the file out of the bucket to read its text layer.
    assert stored_file_ocr(attached.stored_file) == attached.stored_file
    attached.stored_file.refresh_from_db()
    assert "042190001234" in attached.stored_file.text


def test_a_citizens_online_upload_and_supplement_go_to_the_bucket(desk, s3):
    with time_machine.travel(at("2024-05-06T10:00"), tick=False):
        hương = citizen()
        dossier = online_dossier(hương, uploads={1: [pdf_upload()], 2: [png_upload()]})
    stored = [f.stored_file for f in ComponentFile.objects.filter(component__dossier=dossier)]
    assert len(stored) == 2
    for one in stored:
        assert hashlib.sha256(s3.read(one.storage_name)).hexdigest() == one.sha256
    assert s3.names() == sorted(one.storage_name for one in stored)
    # The officer opens the citizen's file from the bucket.
    attached = ComponentFile.objects.filter(component__dossier=dossier).first()
    download = _client(desk["desk"]).get(reverse("documents:file_download", args=[attached.pk]))
    assert hashlib.sha256(_served(download)).hexdigest() == attached.stored_file.sha256
    # A supplement answered online lands in the same bucket.
    act(desk["desk"], dossier, "request_intake_supplement", "2024-05-06T11:00", note="Chưa ký")
    component = dossier.components.get(order=1)
    with time_machine.travel(at("2024-05-06T14:00"), tick=False):
        portal.supplement_answer(
            hương, dossier.pk, uploads={component.pk: [pdf_upload("da-ky.pdf", pages=2)]}
        )
    answer = component.files.latest("pk").stored_file
    assert answer.page_count == 2 and answer.storage_name in s3.names() and len(s3.names()) == 3


def test_a_feedback_attachment_goes_to_the_bucket_and_the_officer_reads_it(s3):
    photo = SimpleUploadedFile("via-he.jpg", image_bytes(size=(300, 200)), "image/jpeg")
    form = {
        "sender_name": "Trần Thị Bình",
        "sender_contact": "0912345678",
        "title": "Vỉa hè trước Bộ phận Một cửa bị lấn chiếm",
        "content": "Xe máy để kín vỉa hè trước cổng, người già phải đi dưới lòng đường.",
        "token": "s3-token-1",
        "attachments": [photo],
    }
    assert Client().post("/hoi-dap/gui/", form).status_code == 302
    attachment = FeedbackAttachment.objects.select_related("feedback", "stored_file").get()
    assert s3.names() == [attachment.stored_file.storage_name]
    officer = _client(UserFactory(role=Role.DESK_OFFICER))
    url = reverse("feedback:attachment", args=[attachment.feedback.pk, attachment.position])
    served = _served(officer.get(url))
    assert hashlib.sha256(served).hexdigest() == attachment.stored_file.sha256


def test_a_signed_result_goes_to_the_bucket_and_is_downloaded_from_it(desk, signing, s3):
    dossier = dossier_awaiting_signature(desk)
    issued = result_issue(desk["leader"], dossier)
    assert hashlib.sha256(s3.read(issued.stored_file.storage_name)).hexdigest() == issued.sha256
    download = _client(desk["leader"]).get(reverse("documents:result_download", args=[issued.pk]))
    assert hashlib.sha256(_served(download)).hexdigest() == issued.sha256
    assert IssuedDocument.objects.count() == 1


def test_a_sanitised_pdf_keeps_its_original_in_the_bucket(s3):
    risky = pdf_with_javascript()
    stored = stored_file_put(risky)
    original = hashlib.sha256(risky).hexdigest()
    assert f"originals/{stored.sha256}/{original}.pdf" in s3.names()
    assert s3.read(f"originals/{stored.sha256}/{original}.pdf") == risky


@time_machine.travel("2023-03-01T09:00+07:00", tick=False)
def test_reform_evidence_goes_to_the_bucket_and_is_streamed_back(s3):
    leader = UserFactory(role=Role.DEPARTMENT_LEADER)
    task = TaskFactory()
    data = pdf_bytes("Báo cáo kết quả thực hiện")
    evidence = SimpleUploadedFile("bao-cao.pdf", data, "application/pdf")
    progress = reform.task_progress_add(
        leader, task.pk, status=TaskStatus.IN_PROGRESS, note="Đã dự thảo",
        on=date(2023, 2, 20), evidence=evidence,
    )  # fmt: skip
    assert progress.evidence.name.startswith("reform/evidence/2023/03/01/")
    assert s3.names() == [progress.evidence.name] and s3.read(progress.evidence.name) == data
    served = _served(_client(leader).get(reverse("reform:evidence_download", args=[progress.pk])))
    assert served == data


def test_a_file_missing_from_the_bucket_is_a_clear_404_not_a_500(desk, s3):
    dossier = receive_dossier(desk)
    stored = stored_file_put(pdf_bytes("Sẽ mất"))
    attached = component_file_attach(
        desk["desk"], dossier.components.first(), stored, source="desk_scan"
    )
    s3.client.delete_object(Bucket=s3.name, Key=stored.storage_name)
    response = _client(desk["desk"]).get(reverse("documents:file_download", args=[attached.pk]))
    assert response.status_code == 404
    assert "Không tìm thấy tệp trong kho lưu trữ" in response.content.decode()


# --- a file larger than 30 MB ---------------------------------------------------------------------


def _noise_jpeg(seed: int) -> bytes:
    """A page of noise, as a scanner's JPEG: about 1,5 MB that compression cannot shrink."""
    pixels = hashlib.shake_256(seed.to_bytes(4, "big")).digest(3 * 800 * 800)
    out = io.BytesIO()
    Image.frombytes("RGB", (800, 800), pixels).save(out, format="JPEG", quality=95)
    return out.getvalue()


def _big_scan(path, at_least: int) -> int:
    """A real PDF of scanned pages (JPEG images) of at least `at_least` bytes, built on disk."""
    pdf = pikepdf.new()
    total, seed = 0, 0
    while total < at_least:
        jpeg = _noise_jpeg(seed)
        seed += 1
        total += len(jpeg)
        image = pikepdf.Stream(pdf, jpeg)
        image.Type, image.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
        image.Width, image.Height, image.BitsPerComponent = 800, 800, 8
        image.ColorSpace, image.Filter = pikepdf.Name.DeviceRGB, pikepdf.Name.DCTDecode
        page = pdf.add_blank_page(page_size=(595, 842))
        page.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=image))
        page.Contents = pikepdf.Stream(pdf, b"q 595 0 0 842 0 0 cm /Im0 Do Q")
    pdf.save(path)
    return os.path.getsize(path)


def test_a_file_over_30_mb_goes_to_the_bucket_and_back_streamed(desk, s3, settings, tmp_path):
    settings.MOTCUA_UPLOAD_MAX_BYTES = 64 * MB  # the cap raised for this test
    source = tmp_path / "ho-so-quet.pdf"
    size = _big_scan(source, 31 * MB)
    assert size > 30 * MB
    expected = hashlib.sha256(source.read_bytes()).hexdigest()
    # What Django's upload handler hands a view for a large upload: a file on disk.
    upload = TemporaryUploadedFile("ho-so-quet.pdf", "application/pdf", size, None)
    with open(source, "rb") as handle:
        while chunk := handle.read(MB):
            upload.write(chunk)
    upload.seek(0)
    dossier = receive_dossier(desk)
    client = _client(desk["desk"])
    # A running server has its libraries loaded and its S3 client made (botocore's service model
    # alone is megabytes of objects, built once): do that before measuring.
    warm = stored_file_put(pdf_bytes("Khởi động"))
    warm_link = component_file_attach(
        desk["desk"], dossier.components.last(), warm, source="desk_scan"
    )
    _served(client.get(reverse("documents:file_download", args=[warm_link.pk])))

    tracemalloc.start()
    try:
        stored = stored_file_put(upload)
        _current, put_peak = tracemalloc.get_traced_memory()
        attached = component_file_attach(
            desk["desk"], dossier.components.first(), stored, source="desk_scan"
        )
        response = client.get(reverse("documents:file_download", args=[attached.pk]))
        tracemalloc.reset_peak()
        digest, served = hashlib.sha256(), 0
        for chunk in response.streaming_content:
            digest.update(chunk)
            served += len(chunk)
        response.close()
        _current, get_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
        upload.close()

    assert stored.size == size and stored.sha256 == expected and stored.page_count > 10
    head = s3.client.head_object(Bucket=s3.name, Key=stored.storage_name)
    assert head["ContentLength"] == size
    assert served == size and digest.hexdigest() == expected
    print(f"\n{size / MB:.1f} MB: peak Python memory {put_peak / MB:.1f} MB storing, "
          f"{get_peak / MB:.1f} MB serving")  # fmt: skip
    # Bounded by the chunk size and boto3's ten upload threads, not by the file: about 7 MB and
    # 2 MB for this one.
    assert put_peak < 10 * MB and get_peak < 4 * MB
