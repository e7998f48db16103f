"""Electronic results: rendered, signed (PAdES), registered; verified by the page's logic and the CLI."""

import io
import json
import re
import subprocess

import pikepdf
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from pyhanko.pdf_utils.reader import PdfFileReader

from motcua.core.clock import now
from motcua.documents.keys import PKCS12, Activation, KeySpec
from motcua.documents.models import IssuedDocument, SignatureStatus, StoredFile
from motcua.documents.results import SIGNATURE_BOX, issued_document_bytes, result_issue, stamp_image
from motcua.documents.selectors import results_for_dossier
from motcua.documents.services import stored_file_put
from motcua.documents.signing import Appearance, pdf_sign, pdf_verdict
from tests.documents.factories import dossier_awaiting_signature, pdf_bytes, receive_dossier

pytestmark = pytest.mark.django_db


def _one_byte_changed(data: bytes) -> bytes:
    """Change one byte inside the signed range (the page content, far from the signature value)."""
    reader = PdfFileReader(io.BytesIO(data))
    start, length, *_ = reader.embedded_signatures[0].byte_range
    position = start + length // 2
    tampered = bytearray(data)
    tampered[position] = (tampered[position] + 1) % 256
    return bytes(tampered)


def test_sign_then_verify_is_valid_and_in_the_registry(desk, signing, tmp_path):
    dossier = dossier_awaiting_signature(desk)
    issued = result_issue(desk["leader"], dossier)
    data = issued_document_bytes(issued)
    assert issued.sha256 == StoredFile.objects.get(pk=issued.stored_file_id).sha256
    assert re.fullmatch(r"00001/\d{4}/KQĐT", issued.number)
    verdict = pdf_verdict(data)
    assert verdict["valid"] is True and verdict["status"] == "valid"
    assert verdict["signer"] == "Sở Tư pháp tỉnh Hà Tĩnh" and verdict["issued_by_us"] is True
    assert verdict["signed_at"] and verdict["document_number"] == issued.number
    # The document says what it is and carries a QR code to its own verification page.
    path = tmp_path / "ket-qua.pdf"
    path.write_bytes(data)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, check=True
    ).stdout.decode()
    assert "PHIẾU LÝ LỊCH TƯ PHÁP SỐ 1" in text.upper() and "Nguyễn Thị Hương" in text
    png = tmp_path / "page"
    subprocess.run(
        ["pdftoppm", "-r", "200", "-png", "-singlefile", str(path), str(png)], check=True
    )
    decoded = subprocess.run(
        ["zbarimg", "-q", "--raw", f"{png}.png"], capture_output=True
    ).stdout.decode()
    assert decoded.strip() == f"https://dichvucong.example.vn/xac-thuc/{issued.token}/"
    # The stored file knows its own signature is valid (the same check as for signed uploads).
    assert issued.stored_file.signature_status == SignatureStatus.VALID
    assert list(results_for_dossier(dossier)) == [issued]


def test_issuing_twice_issues_once(desk, signing):
    dossier = dossier_awaiting_signature(desk)
    first = result_issue(desk["leader"], dossier)
    assert result_issue(desk["specialist"], dossier).pk == first.pk
    assert IssuedDocument.objects.count() == 1


def test_one_byte_changed_is_reported_tampered(desk, signing, tmp_path):
    issued = result_issue(desk["leader"], dossier_awaiting_signature(desk))
    tampered = _one_byte_changed(issued_document_bytes(issued))
    verdict = pdf_verdict(tampered)
    assert verdict["valid"] is False and verdict["status"] == "tampered"
    assert verdict["issued_by_us"] is False
    assert "bị sửa đổi" in verdict["reason"]


def _signed_under(files, settings, text: str) -> bytes:
    """A PDF signed with the key of `files`, at a moment when its own CA was the trust list."""
    ours = (settings.MOTCUA_SIGNING_PKCS12, settings.MOTCUA_SIGNING_PASSPHRASE)
    trust = settings.MOTCUA_TRUST_ROOTS
    settings.MOTCUA_SIGNING_PKCS12 = str(files.signer_p12)
    settings.MOTCUA_SIGNING_PASSPHRASE = files.passphrase
    settings.MOTCUA_TRUST_ROOTS = str(files.trust_dir)
    try:
        return pdf_sign(
            pdf_bytes(text),
            KeySpec(kind=PKCS12),
            Activation(),
            appearance=Appearance(stamp_image("X", now()), SIGNATURE_BOX),
        )
    finally:
        settings.MOTCUA_SIGNING_PKCS12, settings.MOTCUA_SIGNING_PASSPHRASE = ours
        settings.MOTCUA_TRUST_ROOTS = trust


def test_a_certificate_from_another_ca_is_untrusted(signing, foreign_ca_files, settings):
    signed = _signed_under(foreign_ca_files, settings, "Văn bản giả mạo")
    verdict = pdf_verdict(signed)
    assert verdict["valid"] is False and verdict["status"] == "untrusted"
    assert verdict["signer"] == "Sở Tư pháp tỉnh Hà Tĩnh"  # same name, but no chain to our root


def test_content_appended_after_signing_is_not_valid(desk, signing):
    issued = result_issue(desk["leader"], dossier_awaiting_signature(desk))
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(issued_document_bytes(issued))) as pdf:
        pdf.docinfo["/Title"] = "Đã sửa"
        pdf.save(out)  # a full rewrite breaks the signed byte range
    assert pdf_verdict(out.getvalue())["valid"] is False


def test_unsigned_and_unreadable_files_are_not_valid():
    assert pdf_verdict(pdf_bytes())["status"] == "unsigned"
    assert pdf_verdict(b"MZ not a pdf")["status"] == "unreadable"


def test_result_needs_a_ready_dossier_a_role_and_a_certificate(desk, signing, settings):
    received = receive_dossier(desk)
    with pytest.raises(ValidationError) as caught:
        result_issue(desk["leader"], received)
    assert "chưa có kết quả" in caught.value.messages[0]
    ready = dossier_awaiting_signature(desk, citizen_id="042190005678")
    from tests.accounts.factories import UserFactory

    with pytest.raises(PermissionDenied):
        result_issue(UserFactory(role="administrator"), ready)
    settings.MOTCUA_SIGNING_PKCS12 = "/nonexistent/signer.p12"
    with pytest.raises(ValidationError) as caught:
        result_issue(desk["leader"], ready)
    assert "tệp khoá ký" in caught.value.messages[0]
    assert IssuedDocument.objects.count() == 0


def test_signed_uploads_are_validated_and_recorded(desk, signing, foreign_ca_files, settings):
    issued = result_issue(desk["leader"], dossier_awaiting_signature(desk))
    data = issued_document_bytes(issued)
    StoredFile.objects.filter(pk=issued.stored_file_id)  # the issued copy exists already
    tampered = stored_file_put(_one_byte_changed(data))
    assert tampered.signature_status == SignatureStatus.INVALID
    foreign = _signed_under(foreign_ca_files, settings, "Bản sao")
    stored = stored_file_put(foreign)
    assert stored.signature_status == SignatureStatus.UNTRUSTED
    assert stored.signatures[0]["signer"] == "Sở Tư pháp tỉnh Hà Tĩnh"
    assert stored_file_put(pdf_bytes()).signature_status == SignatureStatus.NONE


def test_cli_verify_prints_json_and_exits_1_when_invalid(desk, signing, tmp_path, capsys):
    issued = result_issue(desk["leader"], dossier_awaiting_signature(desk))
    good = tmp_path / "good.pdf"
    good.write_bytes(issued_document_bytes(issued))
    call_command("documents", "verify", str(good))
    verdict = json.loads(capsys.readouterr().out)
    assert verdict["valid"] is True and verdict["issued_by_us"] is True
    assert set(verdict) >= {"valid", "signer", "signed_at", "issued_by_us"}
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(_one_byte_changed(good.read_bytes()))
    with pytest.raises(CommandError):
        call_command("documents", "verify", str(bad))
    assert json.loads(capsys.readouterr().out)["valid"] is False
    with pytest.raises(CommandError):
        call_command("documents", "verify", str(tmp_path / "missing.pdf"))


def test_cli_exit_status_is_1_for_a_tampered_file(desk, signing, tmp_path, capsys):
    from motcua.documents.management.commands.documents import Command

    issued = result_issue(desk["leader"], dossier_awaiting_signature(desk))
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(_one_byte_changed(issued_document_bytes(issued)))
    with pytest.raises(SystemExit) as exited:
        Command().run_from_argv(["motcua", "documents", "verify", str(bad)])
    assert exited.value.code == 1
    out = capsys.readouterr()
    assert json.loads(out.out)["status"] == "tampered" and "không hợp lệ" in out.err


def test_make_create_test_cas_files_and_refuses_to_overwrite(tmp_path, capsys):
    call_command("documents", "make-test-ca", "--dir", str(tmp_path))
    assert (tmp_path / "ca.pem").exists() and (tmp_path / "signer.p12").exists()
    with pytest.raises(CommandError):
        call_command("documents", "make-test-ca", "--dir", str(tmp_path))
