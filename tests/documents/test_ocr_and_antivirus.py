"""OCR of scans (OCRmyPDF + Tesseract vie) and the search by document content; the clamd hook
against a local server speaking clamd's INSTREAM protocol."""

import socketserver
import struct
import subprocess
import threading

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from motcua.core.models import JOBS, JobRun
from motcua.documents.models import OcrStatus, StoredFile
from motcua.documents.ocr import documents_ocr_run
from motcua.documents.selectors import dossiers_by_document_text
from motcua.documents.services import component_file_attach, stored_file_put
from motcua.dossiers.models import Dossier
from tests.documents.factories import pdf_bytes, receive_dossier

pytestmark = pytest.mark.django_db

TEXT = (
    "Giấy xác nhận nơi cư trú. Ông Nguyễn Văn Thắng cư trú tại phường Trần Phú, thành phố Hà Tĩnh."
)


def _scanned_page(tmp_path) -> bytes:
    """A page of Vietnamese text, rendered, rasterised like a scanner would (no text layer left)."""
    from weasyprint import HTML

    html = f"<html><body style='font-family: Tinos; font-size: 20pt'><p>{TEXT}</p></body></html>"
    (tmp_path / "page.pdf").write_bytes(HTML(string=html).write_pdf())
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "200",
            "-png",
            "-gray",
            "-singlefile",
            str(tmp_path / "page.pdf"),
            str(tmp_path / "scan"),
        ],
        check=True,
    )
    return (tmp_path / "scan.png").read_bytes()


def test_ocr_job_makes_scans_searchable_without_diacritics(desk, tmp_path):
    assert "documents-ocr" in JOBS
    dossier = receive_dossier(desk)
    other = receive_dossier(desk, citizen_id="042090007777", name="Lê Thị Mai")
    scan = stored_file_put(_scanned_page(tmp_path))
    assert scan.ocr_status == OcrStatus.PENDING and scan.text == ""
    component_file_attach(desk["desk"], dossier.components.first(), scan, source="desk_scan")
    component_file_attach(
        desk["desk"],
        other.components.first(),
        stored_file_put(pdf_bytes("Tờ khai khác")),
        source="desk_scan",
    )
    assert not dossiers_by_document_text("Thắng", Dossier.objects.all()).exists()

    run = documents_ocr_run()
    # The scan is OCR'd; the PDF with text has its own text layer read, also in the job.
    assert run.status == "ok" and run.counts["done"] == 2, run.summary
    scan.refresh_from_db()
    assert scan.ocr_status == OcrStatus.DONE and scan.ocr_file.kind == "pdf"
    assert scan.ocr_file.sha256 != scan.sha256  # a new file; the scan is untouched
    assert "cu tru" in scan.ocr_file.text_folded
    for query in ("Thắng", "thang", "TRAN PHU", "nơi cư trú"):
        assert list(dossiers_by_document_text(query, Dossier.objects.all())) == [dossier], query
    # The back-office search finds it too, among the dossiers the officer may see.
    client = Client()
    client.force_login(desk["desk"])
    page = client.get(reverse("documents:search"), {"q": "cu tru"}).content.decode()
    assert str(dossier) in page and str(other) not in page
    # Nothing left to do: a second run does nothing.
    assert documents_ocr_run().counts["pending"] == 0
    assert JobRun.objects.filter(job="documents-ocr").count() == 2


def test_a_scan_ocr_cannot_read_is_marked_failed_and_reported(desk, tmp_path, monkeypatch):
    dossier = receive_dossier(desk)
    scan = stored_file_put(_scanned_page(tmp_path))
    component_file_attach(desk["desk"], dossier.components.first(), scan, source="desk_scan")
    monkeypatch.setenv("PATH", str(tmp_path))  # ocrmypdf not found: as when the package is missing
    run = documents_ocr_run()
    assert run.status == "failed" and run.counts["failed"] == 1
    scan.refresh_from_db()
    assert scan.ocr_status == OcrStatus.FAILED


# --- antivirus -------------------------------------------------------------------------------------

EICAR_MARK = b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE"


class ClamdHandler(socketserver.BaseRequestHandler):
    """Just enough of clamd: zINSTREAM, length-prefixed chunks, a zero chunk, then the verdict."""

    def handle(self):
        command = b""
        while not command.endswith(b"\0"):
            command += self.request.recv(1)
        assert command == b"zINSTREAM\0"
        data = b""
        while True:
            size = struct.unpack("!L", self._exactly(4))[0]
            if size == 0:
                break
            data += self._exactly(size)
        self.server.received.append(data)
        verdict = b"stream: Eicar-Signature FOUND\0" if EICAR_MARK in data else b"stream: OK\0"
        self.request.sendall(verdict)

    def _exactly(self, size):
        out = b""
        while len(out) < size:
            out += self.request.recv(size - len(out))
        return out


@pytest.fixture
def clamd(settings):
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), ClamdHandler)
    server.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.MOTCUA_CLAMD_HOST, settings.MOTCUA_CLAMD_PORT = server.server_address
    yield server
    server.shutdown()
    server.server_close()


def test_clean_files_pass_the_scanner(clamd):
    data = pdf_bytes("Bản sao sạch")
    stored = stored_file_put(data)
    assert clamd.received == [data] and stored.pk


def test_an_infected_file_is_refused_and_not_stored(clamd):
    infected = pdf_bytes("x")[:-10] + b"% " + EICAR_MARK + b"\n%%EOF\n"
    with pytest.raises(ValidationError) as caught:
        stored_file_put(infected)
    assert (
        caught.value.code == "antivirus_infected"
        and "mã độc (Eicar-Signature)" in caught.value.messages[0]
    )
    assert not StoredFile.objects.exists()


def test_an_unreachable_scanner_refuses_the_file(settings):
    settings.MOTCUA_CLAMD_HOST, settings.MOTCUA_CLAMD_PORT = "127.0.0.1", 9  # nothing listens
    with pytest.raises(ValidationError) as caught:
        stored_file_put(pdf_bytes())
    assert caught.value.code == "antivirus_unavailable"
    assert not StoredFile.objects.exists()
