"""[K] 12: photos (JPEG, PNG) and PDFs sent with a feedback item — at most 3, each checked by its
content through motcua.documents, stored once by SHA-256 — seen by officers on the item's page and
by the sender on their lookup page. A bad file, too many or too large: a Vietnamese message and
nothing stored."""

import hashlib
import io

import pikepdf
import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from motcua.accounts.roles import Role
from motcua.documents.models import StoredFile
from motcua.documents.services import stored_file_bytes
from motcua.feedback import services
from motcua.feedback.models import Feedback, FeedbackAttachment, FeedbackEvent
from tests.accounts.factories import UserFactory
from tests.documents.factories import image_bytes, pdf_bytes

pytestmark = pytest.mark.django_db

FORM = {
    "sender_name": "Trần Thị Bình",
    "sender_contact": "0912345678",
    "title": "Vỉa hè trước Bộ phận Một cửa bị lấn chiếm",
    "content": "Xe máy để kín vỉa hè trước cổng, người già và trẻ em phải đi dưới lòng đường.",
    "token": "attach-token-1",
}


@pytest.fixture(autouse=True)
def clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


def photo(name="via-he.jpg", **kwargs):
    return SimpleUploadedFile(name, image_bytes(**kwargs), content_type="image/jpeg")


def pdf(name="don.pdf", data=None):
    return SimpleUploadedFile(name, data or pdf_bytes("Đơn phản ánh"), "application/pdf")


def send(files, **changes):
    return Client().post("/hoi-dap/gui/", FORM | changes | {"attachments": files})


def nothing_stored():
    assert Feedback.objects.count() == 0
    assert FeedbackEvent.objects.count() == 0
    assert FeedbackAttachment.objects.count() == 0
    assert StoredFile.objects.count() == 0


def test_the_form_accepts_photos_and_pdf():
    html = Client().get("/hoi-dap/gui/").content.decode()
    assert 'enctype="multipart/form-data"' in html
    assert 'accept="image/jpeg,image/png,application/pdf"' in html and "multiple" in html


def test_a_photo_and_a_pdf_are_kept_with_the_item_in_order():
    response = send([photo(exif_orientation=6), pdf()])
    assert response.status_code == 302
    item = Feedback.objects.get()
    first, second = item.attachments.order_by("position")
    assert (first.position, first.name, first.stored_file.kind) == (1, "via-he.jpg", "jpeg")
    assert (second.position, second.name, second.stored_file.kind) == (2, "don.pdf", "pdf")
    stored = stored_file_bytes(first.stored_file)
    assert hashlib.sha256(stored).hexdigest() == first.stored_file.sha256
    assert b"Exif" not in stored  # re-encoded without EXIF by documents


def test_the_same_photo_twice_is_stored_once():
    send([photo()])
    send([photo()], token="attach-token-2")
    assert FeedbackAttachment.objects.count() == 2 and StoredFile.objects.count() == 1


def test_a_pdf_with_javascript_is_stored_without_it():
    with pikepdf.open(io.BytesIO(pdf_bytes("Đơn"))) as document:
        script = document.make_indirect(
            pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))
        )
        document.Root.OpenAction = script
        out = io.BytesIO()
        document.save(out)
    assert send([pdf(data=out.getvalue())]).status_code == 302
    stored = stored_file_bytes(FeedbackAttachment.objects.get().stored_file)
    with pikepdf.open(io.BytesIO(stored)) as document:
        assert "/OpenAction" not in document.Root


@pytest.mark.parametrize(
    "files, message",
    [
        (
            [photo(), SimpleUploadedFile("anh.jpg", b"MZ\x90\x00 not a photo", "image/jpeg")],
            "anh.jpg: Tệp không phải PDF, JPEG hay PNG",
        ),
        ([SimpleUploadedFile("ghi-chu.txt", b"chi la chu", "text/plain")], "ghi-chu.txt: Tệp"),
        (
            [SimpleUploadedFile("hong.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64, "image/png")],
            "hong.png: Tệp ảnh bị hỏng",
        ),
        ([photo(f"anh-{n}.jpg", colour=(n, 0, 0)) for n in range(4)], "tối đa 3 tệp"),
    ],
)
def test_bad_files_are_refused_in_vietnamese_and_nothing_is_stored(files, message):
    response = send(files)
    assert response.status_code == 400
    assert message in response.content.decode()
    nothing_stored()


def test_a_file_too_large_is_refused_before_it_is_read(monkeypatch):
    monkeypatch.setattr(services, "MAX_ATTACHMENT_BYTES", 1000)
    response = send([photo(), pdf()])
    assert response.status_code == 400
    assert "Tệp quá lớn; mỗi tệp không quá" in response.content.decode()
    nothing_stored()


def test_officers_see_and_open_the_files_on_the_item_page():
    send([photo(), pdf()])
    item = Feedback.objects.get()
    client = Client()
    client.force_login(UserFactory(role=Role.DESK_OFFICER))
    html = client.get(f"/can-bo/phan-anh/{item.pk}/").content.decode()
    assert "Tệp người gửi đính kèm" in html
    assert f"/can-bo/phan-anh/{item.pk}/tep/1/" in html and "don.pdf" in html
    image = client.get(f"/can-bo/phan-anh/{item.pk}/tep/1/")
    assert image.status_code == 200 and image["Content-Type"] == "image/jpeg"
    assert (
        image["X-Content-Type-Options"] == "nosniff"
        and "sandbox" in image["Content-Security-Policy"]
    )
    document = client.get(f"/can-bo/phan-anh/{item.pk}/tep/2/")
    assert document["Content-Disposition"].startswith("attachment;")
    assert client.get(f"/can-bo/phan-anh/{item.pk}/tep/3/").status_code == 404


def test_a_citizen_cannot_open_the_officers_file_link():
    send([photo()])
    item = Feedback.objects.get()
    client = Client()
    client.force_login(UserFactory(citizen=True))
    assert client.get(f"/can-bo/phan-anh/{item.pk}/tep/1/").status_code == 403


def test_the_sender_sees_their_own_files_after_the_lookup():
    send([photo(), pdf()])
    item = Feedback.objects.get()
    client = Client()
    unlocked = client.post("/hoi-dap/tra-cuu/", {"so": item.code, "xac_nhan": "5678"})
    html = client.get(unlocked["Location"]).content.decode()
    link = f"/hoi-dap/tra-cuu/{item.code}/tep/1/"
    assert link in html and "via-he.jpg" in html and "don.pdf" in html
    assert client.get(link)["Content-Type"] == "image/jpeg"
    assert Client().get(link).status_code == 404  # another browser, without the proof
