"""Signing result PDFs (PAdES, pyHanko) with the department's certificate, and validating signed PDFs.

The key and certificate come from a PKCS#12 file (MOTCUA_SIGNING_PKCS12, MOTCUA_SIGNING_PASSPHRASE);
validation trusts only the roots in the CA bundle MOTCUA_TRUSTED_CA_BUNDLE (PEM). A signature is
valid when the signed bytes are intact, the cryptography checks out, the signer's certificate chains
to a trusted root, and — for the verdict on a whole file — the signature covers the entire file.
"""

import io
import logging
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from .models import SignatureStatus

logger = logging.getLogger(__name__)

SIGNATURE_FIELD = "ChuKySoCoQuan"
MSG_NOT_CONFIGURED = (
    "Chưa cấu hình chứng thư số để ký kết quả (MOTCUA_SIGNING_PKCS12). "
    "Chạy `motcua documents make-test-ca` để tạo chứng thư thử nghiệm."
)
REASONS = {
    "valid": "Chữ ký số hợp lệ, tệp còn nguyên vẹn kể từ khi ký.",
    "untrusted": "Chữ ký số không do tổ chức chứng thực được tin cậy cấp (không xác minh được người ký).",
    "tampered": "Tệp đã bị sửa đổi sau khi ký: nội dung không còn khớp với chữ ký số.",
    "modified": "Tệp có thêm nội dung sau khi ký (chữ ký không bao trùm toàn bộ tệp).",
    "unsigned": "Tệp không có chữ ký số.",
    "unreadable": "Không đọc được tệp PDF (tệp hỏng hoặc không phải PDF).",
}


def _outside_event_loop(function, *args, **kwargs):
    """Call one of pyHanko's synchronous functions (they run `asyncio.run` inside). In a thread that
    already runs an event loop (an ASGI server's, or Playwright's in the browser tests) that would
    fail, so there the call runs in a short-lived worker thread."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return function(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function, *args, **kwargs).result()


@dataclass(frozen=True)
class SignatureCheck:
    signer: str
    signed_at: str | None  # ISO 8601
    status: str  # "valid" | "untrusted" | "tampered" | "modified"
    covers_whole_file: bool


def _asn1_cert(cert):
    from asn1crypto import x509 as asn1_x509
    from cryptography.hazmat.primitives.serialization import Encoding

    return asn1_x509.Certificate.load(cert.public_bytes(Encoding.DER))


def trust_roots() -> list:
    """The trusted root certificates (asn1crypto objects) from the configured PEM bundle."""
    from cryptography import x509

    path = Path(settings.MOTCUA_TRUSTED_CA_BUNDLE)
    if not path.is_file():
        return []
    return [_asn1_cert(cert) for cert in x509.load_pem_x509_certificates(path.read_bytes())]


def _validation_context():
    from pyhanko_certvalidator import ValidationContext

    # No fetching: the server does not reach out to the internet for CRLs/OCSP on a citizen's behalf.
    return ValidationContext(trust_roots=trust_roots(), allow_fetching=False)


def _common_name(cert) -> str:
    try:
        return cert.subject.native.get("common_name") or cert.subject.human_friendly
    except Exception:  # a malformed subject must not turn a verdict into a 500
        return ""


def signatures_check(data: "bytes | Path") -> list[SignatureCheck] | None:
    """One check per signature in the PDF (bytes, or a file read from disk as pyHanko needs it),
    in document order; None when it cannot be read as a PDF."""
    if isinstance(data, Path):
        with open(data, "rb") as handle:
            return _signatures_check(handle)
    return _signatures_check(io.BytesIO(data))


def _signatures_check(stream) -> list[SignatureCheck] | None:
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature

    try:
        reader = PdfFileReader(stream, strict=False)
        embedded = list(reader.embedded_signatures)
    except Exception:
        return None
    context = _validation_context()
    checks = []
    for signature in embedded:
        checks.append(_signature_check(signature, context, validate_pdf_signature))
    return checks


def _signature_check(signature, context, validate) -> SignatureCheck:
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    try:
        cert = signature.signer_cert
        signer = _common_name(cert)
    except Exception:
        signer = ""
    try:
        status = _outside_event_loop(validate, signature, context)
    except Exception as error:  # a damaged signature is a verdict, not a server error
        logger.info("signature not validated: %s", error)
        return SignatureCheck(signer, None, "tampered", False)
    reported = status.signer_reported_dt
    signed_at = timezone.localtime(reported).isoformat() if reported else None
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    if not (status.intact and status.valid):
        verdict = "tampered"
    elif not status.trusted:
        verdict = "untrusted"
    else:
        verdict = "valid"
    return SignatureCheck(signer, signed_at, verdict, whole)


def pdf_signatures_validate(data: "bytes | Path") -> tuple[str, list[dict]]:
    """For an uploaded PDF: the overall signature status (SignatureStatus) and each signature's
    check as a dict, ("", []) when it carries none."""
    checks = signatures_check(data) or []
    if not checks:
        return SignatureStatus.NONE, []
    statuses = {check.status for check in checks}
    if statuses & {"tampered"}:
        overall = SignatureStatus.INVALID
    elif "untrusted" in statuses:
        overall = SignatureStatus.UNTRUSTED
    else:
        overall = SignatureStatus.VALID
    return overall, [asdict(check) for check in checks]


def pdf_verdict(data: bytes) -> dict:
    """The verdict on a whole file, for the public page and `motcua documents verify`:
    {valid, status, signer, signed_at, issued_by_us, reason}. `valid` needs every signature intact
    and trusted and the last one covering the entire file; `issued_by_us` means the exact bytes are
    in the registry of issued results."""
    import hashlib

    from .models import IssuedDocument

    sha256 = hashlib.sha256(data).hexdigest()
    issued = IssuedDocument.objects.filter(sha256=sha256).first()
    checks = (
        signatures_check(data) if data.lstrip()[:5] == b"%PDF-" or b"%PDF-" in data[:1024] else None
    )
    if checks is None:
        status = "unreadable"
    elif not checks:
        status = "unsigned"
    elif any(check.status == "tampered" for check in checks):
        status = "tampered"
    elif any(check.status == "untrusted" for check in checks):
        status = "untrusted"
    elif not checks[-1].covers_whole_file:
        status = "modified"
    else:
        status = "valid"
    last = checks[-1] if checks else None
    return {
        "valid": status == "valid",
        "status": status,
        "signer": last.signer if last else None,
        "signed_at": last.signed_at if last else None,
        "issued_by_us": issued is not None,
        "document_number": issued.number if issued else None,
        "sha256": sha256,
        "reason": REASONS[status],
    }


def signer_load():
    """The department's signer from its PKCS#12 file, or ImproperlyConfigured."""
    from pyhanko.sign import signers

    path = Path(settings.MOTCUA_SIGNING_PKCS12)
    if not path.is_file():
        raise ImproperlyConfigured(MSG_NOT_CONFIGURED)
    signer = signers.SimpleSigner.load_pkcs12(
        pfx_file=str(path), passphrase=settings.MOTCUA_SIGNING_PASSPHRASE.encode()
    )
    if signer is None:
        raise ImproperlyConfigured(MSG_NOT_CONFIGURED)
    return signer


def signer_name(signer) -> str:
    return _common_name(signer.signing_cert)


def pdf_sign(
    data: bytes, *, signer, stamp_png: bytes, box: tuple[float, float, float, float], page: int = 0
) -> bytes:
    """Sign `data` (PAdES baseline B, SHA-256) with a visible signature field at `box` (points,
    from the bottom-left of `page`) whose appearance is the image `stamp_png` (signature, seal,
    signer and time, drawn in Decree 30/2020 style)."""
    from PIL import Image
    from pyhanko import stamp
    from pyhanko.pdf_utils import images
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    fields.append_signature_field(
        writer, fields.SigFieldSpec(SIGNATURE_FIELD, box=box, on_page=page)
    )
    style = stamp.TextStampStyle(
        stamp_text="",
        background=images.PdfImage(Image.open(io.BytesIO(stamp_png))),
        background_opacity=1,
        border_width=0,
    )
    metadata = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason="Ký phát hành kết quả giải quyết thủ tục hành chính",
        location=settings.MOTCUA_PROVINCE_NAME,
    )
    out = _outside_event_loop(
        signers.PdfSigner(metadata, signer=signer, stamp_style=style).sign_pdf, writer
    )
    return out.getvalue()
