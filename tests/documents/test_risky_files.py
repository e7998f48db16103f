"""Issue [O] item 8: PDFs with JavaScript or launch actions are stored and served sanitised (the
original kept aside, never served); HTML/PDF polyglots and decompression bombs are refused with a
Vietnamese message and nothing stored; downloads never run in the site's origin (ADR 0022).

Every hostile file is built here with pikepdf: no binaries in the repository."""

import hashlib
import io
import time
import zlib

import pikepdf
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from motcua.documents.models import ComponentFile, StoredFile
from motcua.documents.pdfsafety import SCAN
from motcua.documents.services import (
    component_file_attach,
    documents_storage,
    stored_file_bytes,
    stored_file_put,
)
from tests.documents.factories import image_bytes, pdf_bytes, receive_dossier

pytestmark = pytest.mark.django_db

ACTIVE_MARKERS = (b"/JavaScript", b"/JS", b"/OpenAction", b"/Launch", b"/AA", b"/EmbeddedFile")


def _save(pdf) -> bytes:
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def _plain(data: bytes) -> bytes:
    """Every object of a PDF in clear (no object streams, no compression), to look inside."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        out = io.BytesIO()
        pdf.save(
            out,
            object_stream_mode=pikepdf.ObjectStreamMode.disable,
            compress_streams=False,
            stream_decode_level=pikepdf.StreamDecodeLevel.generalized,
        )
        return out.getvalue()


def _with_text() -> pikepdf.Pdf:
    return pikepdf.open(io.BytesIO(pdf_bytes("Tờ khai")))


def pdf_with_javascript() -> bytes:
    pdf = _with_text()
    script = pdf.make_indirect(
        pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert('x')"))
    )
    pdf.Root.OpenAction = script
    pdf.Root.Names = pikepdf.Dictionary(
        JavaScript=pikepdf.Dictionary(Names=pikepdf.Array([pikepdf.String("a"), script]))
    )
    pdf.pages[0].obj.AA = pikepdf.Dictionary(O=script)
    pdf.Root.AcroForm = pikepdf.Dictionary(
        Fields=pikepdf.Array(), XFA=pdf.make_stream(b"<xdp:xdp></xdp:xdp>")
    )
    return _save(pdf)


def pdf_with_launch_and_attachment() -> bytes:
    pdf = _with_text()
    launch = pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("cmd.exe"))
    link = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot,
        Subtype=pikepdf.Name.Link,
        Rect=pikepdf.Array([0, 0, 100, 100]),
        A=launch,
    )
    payload = pdf.make_stream(b"MZ evil program")
    payload.Type = pikepdf.Name.EmbeddedFile
    spec = pikepdf.Dictionary(
        Type=pikepdf.Name.Filespec, F=pikepdf.String("a.exe"), EF=pikepdf.Dictionary(F=payload)
    )
    attachment = pikepdf.Dictionary(
        Type=pikepdf.Name.Annot,
        Subtype=pikepdf.Name.FileAttachment,
        Rect=pikepdf.Array([0, 0, 10, 10]),
        FS=spec,
    )
    pdf.pages[0].obj.Annots = pdf.make_indirect(
        pikepdf.Array([pdf.make_indirect(link), pdf.make_indirect(attachment)])
    )
    pdf.Root.Names = pikepdf.Dictionary(
        EmbeddedFiles=pikepdf.Dictionary(Names=pikepdf.Array([pikepdf.String("a.exe"), spec]))
    )
    return _save(pdf)


def pdf_bomb(megabytes: int = 200) -> bytes:
    """A FlateDecode stream that inflates to `megabytes` MB of zeros (about 200 KB on disk)."""
    compressor = zlib.compressobj(9)
    block = b"\x00" * (1 << 20)
    compressed = b"".join(compressor.compress(block) for _ in range(megabytes))
    compressed += compressor.flush()
    pdf = pikepdf.new()
    pdf.add_blank_page()
    stream = pikepdf.Stream(pdf, compressed)
    stream.Filter = pikepdf.Name.FlateDecode
    pdf.pages[0].obj.Contents = pdf.make_indirect(stream)
    return _save(pdf)


def _stored_is_clean(stored: StoredFile, original: bytes) -> bytes:
    data = stored_file_bytes(stored)
    assert data != original and stored.sha256 == hashlib.sha256(data).hexdigest()
    plain = _plain(data)
    for marker in ACTIVE_MARKERS:
        assert marker not in plain, marker
    with pikepdf.open(io.BytesIO(data)) as pdf:  # still a readable PDF with its page
        assert len(pdf.pages) == 1 and "/OpenAction" not in pdf.Root
    # The original is kept for the record, beside the sanitised file, and nowhere else.
    kept = f"originals/{stored.sha256}/{hashlib.sha256(original).hexdigest()}.pdf"
    with documents_storage().open(kept, "rb") as handle:
        assert handle.read() == original
    return data


def test_javascript_is_stripped_and_the_original_kept_aside():
    original = pdf_with_javascript()
    assert b"/OpenAction" in _plain(original) and b"app.alert" in _plain(original)
    stored = stored_file_put(original)
    data = _plain(_stored_is_clean(stored, original))
    assert b"app.alert" not in data and b"xdp:xdp" not in data
    assert stored_file_put(original).pk == stored.pk  # the same upload again: the same file


def test_launch_actions_and_embedded_files_are_stripped():
    original = pdf_with_launch_and_attachment()
    stored = stored_file_put(original)
    data = _stored_is_clean(stored, original)
    assert b"/Launch" in _plain(original) and b"evil program" in _plain(original)
    assert b"cmd.exe" not in _plain(data) and b"evil program" not in _plain(data)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        annots = pdf.pages[0].obj.Annots
        assert [str(a.Subtype) for a in annots] == ["/Link"] and "/A" not in annots[0]


def test_script_links_are_stripped_and_ordinary_links_kept():
    pdf = _with_text()
    links = [
        pikepdf.Dictionary(
            Type=pikepdf.Name.Annot,
            Subtype=pikepdf.Name.Link,
            Rect=pikepdf.Array([0, 0, 10, 10]),
            A=pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String(address)),
        )
        for address in ("JavaScript:alert(1)", "https://dichvucong.gov.vn/")
    ]
    pdf.pages[0].obj.Annots = pikepdf.Array([pdf.make_indirect(link) for link in links])
    data = _plain(stored_file_bytes(stored_file_put(_save(pdf))))
    assert b"alert(1)" not in data and b"https://dichvucong.gov.vn/" in data


def test_a_clean_pdf_is_kept_byte_for_byte():
    data = pdf_bytes("Giấy khai sinh")
    assert stored_file_bytes(stored_file_put(data)) == data


def _refused(data: bytes, code: str) -> ValidationError:
    with pytest.raises(ValidationError) as error:
        stored_file_put(data)
    assert code in {e.code for e in error.value.error_list}
    assert not StoredFile.objects.exists()
    return error.value


@pytest.mark.parametrize(
    "make",
    [
        lambda pdf: b"<html><body><script>alert(document.cookie)</script>\n" + pdf,
        lambda pdf: pdf.replace(b"%PDF-1.7", b"%PDF-1.7\n%<svg onload=alert(1)>", 1),
        lambda pdf: pdf + b"\n<html><script>alert(1)</script></html>",
        lambda pdf: b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + pdf,
    ],
    ids=["html before the header", "svg in a comment", "html after %%EOF", "jpeg + pdf"],
)
def test_polyglots_are_refused(make):
    pdf = pdf_bytes("Tờ khai")
    assert pdf.startswith(b"%PDF-1.7")
    error = _refused(make(pdf), "file_polyglot")
    assert "đa định dạng" in error.messages[0]


@pytest.mark.parametrize(
    "tail",
    [
        # The marker straddles two of the megabyte blocks the tail is read in.
        b"\n" * (SCAN - 3) + b"<script>alert(1)</script>",
        # The last %%EOF straddles a block boundary counted from the end of the file.
        b"\n<script>alert(1)</script>" + b" " * (SCAN - 27),
    ],
    ids=["marker across blocks", "%%EOF across blocks"],
)
def test_a_polyglot_is_found_whatever_the_blocks_the_file_is_read_in(tail):
    """The file is searched a megabyte at a time (never read whole): nothing hides at a seam."""
    pdf = pdf_bytes("Tờ khai")
    assert pdf.rstrip().endswith(b"%%EOF")
    _refused(pdf.rstrip() + tail, "file_polyglot")


def test_a_decompression_bomb_is_refused_quickly_and_in_vietnamese():
    bomb = pdf_bomb(200)
    assert len(bomb) < 1_000_000
    started = time.monotonic()
    error = _refused(bomb, "pdf_bomb")
    assert time.monotonic() - started < 3
    assert "giải nén" in error.messages[0] and "100 MB" in error.messages[0]


def test_a_small_flate_stream_is_accepted():
    stored = stored_file_put(pdf_bomb(2))
    assert stored.kind == "pdf" and stored.page_count == 1


def test_too_many_pages_or_objects_are_refused(settings):
    settings.MOTCUA_PDF_MAX_PAGES = 20
    pdf = pikepdf.new()
    for _ in range(21):
        pdf.add_blank_page()
    error = _refused(_save(pdf), "pdf_too_many_pages")
    assert "21 trang" in error.messages[0] and "20 trang" in error.messages[0]
    settings.MOTCUA_PDF_MAX_PAGES = 1000
    settings.MOTCUA_PDF_MAX_OBJECTS = 50
    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.Root.Junk = pikepdf.Array([pdf.make_indirect(pikepdf.Dictionary()) for _ in range(60)])
    _refused(_save(pdf), "pdf_too_many_objects")


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (lambda: b"<html><script>alert(1)</script>" + pdf_bytes(), "đa định dạng"),
        (lambda: pdf_bomb(200), "giải nén"),
    ],
    ids=["polyglot", "bomb"],
)
def test_an_upload_page_refuses_them_and_nothing_changes(desk, make, words):
    dossier = receive_dossier(desk)
    component = dossier.components.first()
    upload = SimpleUploadedFile("to-khai.pdf", make(), "application/pdf")
    response = _client(desk["desk"]).post(
        reverse("documents:component_upload", args=[dossier.pk, component.pk]),
        {"files": [upload]},
        follow=True,
    )
    text = " ".join(str(m) for m in response.context["messages"])
    assert words in text
    assert not StoredFile.objects.exists() and not ComponentFile.objects.exists()


def test_downloads_are_attachments_under_a_sandbox_unless_known_safe(desk):
    dossier = receive_dossier(desk)
    component = dossier.components.first()
    client = _client(desk["desk"])
    for data, disposition in ((pdf_with_javascript(), "attachment"), (image_bytes(), "inline")):
        stored = stored_file_put(data)
        attached = component_file_attach(desk["desk"], component, stored, source="desk_scan")
        response = client.get(reverse("documents:file_download", args=[attached.pk]))
        assert response.status_code == 200
        assert response["Content-Disposition"].startswith(disposition + ";")
        assert response["X-Content-Type-Options"] == "nosniff"
        csp = response["Content-Security-Policy"]
        assert "default-src 'none'" in csp and "sandbox" in csp and "script-src" not in csp
        served = response.getvalue()  # streamed from the store
        assert served == stored_file_bytes(stored)  # sanitised, never the original
        if disposition == "attachment":
            assert b"app.alert" not in _plain(served)
