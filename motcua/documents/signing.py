"""Signing PDFs (PAdES-B-LT with pyHanko) with a signer's own key, and verifying signed PDFs.

Signing: the key comes from one of three backends (keys.py: a PKCS#11 token, a CSC remote-signing
service, or a demo PKCS#12 file). Every signature is PAdES with SHA-256; the signer's certificate is
validated against the trust list before signing (an untrusted or expired certificate is refused),
the signature is timestamped by the RFC 3161 server MOTCUA_TSA_URL when one is configured, and the
certificates and revocation data of the path (and of the timestamp authority) are written into the
document security store, so the signature can be verified years later without reaching anything.

Verification trusts only the roots in MOTCUA_TRUST_ROOTS (trust.py), fetches nothing, and needs the
signed bytes intact, the cryptography right, the certificate chaining to a trusted root, and after
the last signature nothing but validation data (a DSS update) added.
"""

import hashlib
import io
import logging
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from .keys import Activation, KeySpec, SigningFailed, key_open
from .models import SignatureStatus
from .trust import revocation_lists, trust_roots

logger = logging.getLogger(__name__)

SIGNATURE_FIELD = "ChuKySoCoQuan"
DEFAULT_REASON = "Ký phát hành kết quả giải quyết thủ tục hành chính"
MSG_CERT_UNTRUSTED = (
    "Chứng thư số của người ký không hợp lệ theo danh sách tin cậy (chưa được cấu hình tin cậy, "
    "đã hết hạn hoặc không dùng để ký): không ký. Vui lòng báo quản trị hệ thống."
)
MSG_TSA = (
    "Không lấy được dấu thời gian từ máy chủ cấp dấu thời gian ({url}). Chưa có gì được ký; "
    "vui lòng thử lại sau."
)
MSG_SIGNING = "Không ký được tài liệu ({detail}). Chưa có gì được ký."
REASONS = {
    "valid": "Chữ ký số hợp lệ, tệp còn nguyên vẹn kể từ khi ký.",
    "untrusted": (
        "Chữ ký số không do tổ chức chứng thực trong danh sách tin cậy cấp "
        "(không xác minh được người ký)."
    ),
    "tampered": "Tệp đã bị sửa đổi sau khi ký: nội dung không còn khớp với chữ ký số.",
    "modified": "Tệp có thêm nội dung sau khi ký (chữ ký không bao trùm toàn bộ tệp).",
    "unsigned": "Tệp không có chữ ký số.",
    "unreadable": "Không đọc được tệp PDF (tệp hỏng hoặc không phải PDF).",
}


def run_sync(coroutine):
    """Run a coroutine to its end from synchronous code. pyHanko's API is asynchronous; in a
    thread that already runs an event loop (an ASGI server's, Playwright's in the browser tests)
    the coroutine runs in a short-lived worker thread instead."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


# --- signing ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Appearance:
    """A visible signature: the image drawn in Decree 30/2020 style at `box` (PDF points from the
    bottom-left of `page`; -1 is the last page)."""

    stamp_png: bytes
    box: tuple[float, float, float, float]
    page: int = 0


def signing_validation_context(*, fetch: bool | None = None):
    """What a signature is checked against before signing, and where its validation data come
    from: the trust list, CRLs dropped beside it, and — when MOTCUA_SIGNING_FETCH_REVOCATION is
    on — the CA's OCSP responders and CRL distribution points."""
    from pyhanko_certvalidator import ValidationContext

    allow = settings.MOTCUA_SIGNING_FETCH_REVOCATION if fetch is None else fetch
    return ValidationContext(
        trust_roots=trust_roots(),
        crls=revocation_lists(),
        allow_fetching=allow,
        revocation_mode="soft-fail",
    )


def _timestamper():
    url = settings.MOTCUA_TSA_URL
    if not url:
        return None
    from pyhanko.sign.timestamps.aiohttp_client import HTTPTimeStamper

    return HTTPTimeStamper(url, timeout=settings.MOTCUA_TSA_TIMEOUT)


def _field_name(writer) -> str:
    """ChuKySoCoQuan, or ChuKySoCoQuan2… when the document already carries that field."""
    from pyhanko.sign.fields import enumerate_sig_fields

    taken = {name for name, _value, _ref in enumerate_sig_fields(writer.prev)}
    name, n = SIGNATURE_FIELD, 1
    while name in taken:
        n += 1
        name = f"{SIGNATURE_FIELD}{n}"
    return name


def _stamp_style(appearance: Appearance):
    from PIL import Image
    from pyhanko import stamp
    from pyhanko.pdf_utils import images

    return stamp.TextStampStyle(
        stamp_text="",
        background=images.PdfImage(Image.open(io.BytesIO(appearance.stamp_png))),
        background_opacity=1,
        border_width=0,
    )


async def pades_sign(
    data: bytes, signer, *, appearance: Appearance | None, reason: str, location: str
) -> bytes:
    """Sign `data` with a pyHanko signer: PAdES, SHA-256, timestamped when a TSA is configured,
    validation data embedded (B-LT)."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    name = _field_name(writer)
    style = None
    if appearance is not None:
        page = appearance.page
        if page < 0:
            page = int(writer.root["/Pages"]["/Count"]) + page
        fields.append_signature_field(
            writer, fields.SigFieldSpec(name, box=appearance.box, on_page=page)
        )
        style = _stamp_style(appearance)
    metadata = signers.PdfSignatureMetadata(
        field_name=name,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
        reason=reason,
        location=location,
        embed_validation_info=True,
        validation_context=signing_validation_context(),
    )
    pdf_signer = signers.PdfSigner(
        metadata, signer=signer, timestamper=_timestamper(), stamp_style=style
    )
    out = await pdf_signer.async_sign_pdf(writer)
    return out.getvalue()


def _signing_failure(error: Exception) -> SigningFailed:
    """What pyHanko raised, in the signer's words."""
    from pyhanko.sign.general import SigningError
    from pyhanko.sign.timestamps.common_utils import TimestampRequestError

    chain, cause = [], error
    while cause is not None and len(chain) < 8:
        chain.append(cause)
        cause = cause.__cause__ or cause.__context__
    for item in chain:
        if isinstance(item, SigningFailed):
            return item
        if isinstance(item, TimestampRequestError):
            return SigningFailed(MSG_TSA.format(url=settings.MOTCUA_TSA_URL), code="tsa_failed")
    if isinstance(error, SigningError) and "validated" in str(error):
        return SigningFailed(MSG_CERT_UNTRUSTED, code="certificate_untrusted")
    return SigningFailed(MSG_SIGNING.format(detail=type(error).__name__), code="signing_failed")


async def _sign(data, spec, activation, appearance, reason, location) -> bytes:
    async with key_open(spec, activation) as signer:
        return await pades_sign(
            data, signer, appearance=appearance, reason=reason, location=location
        )


def pdf_sign(
    data: bytes,
    spec: KeySpec,
    activation: Activation,
    *,
    appearance: Appearance | None = None,
    reason: str = DEFAULT_REASON,
) -> bytes:
    """Sign a PDF with the key `spec` names, activated by what the signer typed. Returns the signed
    bytes or raises SigningFailed; never half-signs (nothing is written anywhere)."""
    location = settings.MOTCUA_PROVINCE_NAME
    try:
        return run_sync(_sign(data, spec, activation, appearance, reason, location))
    except SigningFailed:
        raise
    except Exception as error:
        logger.warning("signing failed: %s: %s", type(error).__name__, error)
        raise _signing_failure(error) from error


def pdf_sign_prepared(
    data: bytes, signer, *, appearance: Appearance | None = None, reason: str = DEFAULT_REASON
) -> bytes:
    """Sign with a pyHanko signer already at hand (a batch signing many documents with one key)."""
    try:
        return run_sync(
            pades_sign(
                data,
                signer,
                appearance=appearance,
                reason=reason,
                location=settings.MOTCUA_PROVINCE_NAME,
            )
        )
    except SigningFailed:
        raise
    except Exception as error:
        raise _signing_failure(error) from error


def signer_name(signer) -> str:
    return _common_name(signer.signing_cert)


def signer_certificate(spec: KeySpec, activation: Activation):
    """The certificate of the key `spec` names (asn1crypto), to show who would sign."""

    async def run():
        async with key_open(spec, activation) as signer:
            return signer.signing_cert

    try:
        return run_sync(run())
    except SigningFailed:
        raise
    except Exception as error:
        raise _signing_failure(error) from error


# --- verification ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SignatureCheck:
    signer: str
    signed_at: str | None  # ISO 8601, as the signer's computer claimed it
    status: str  # "valid" | "untrusted" | "tampered" | "modified"
    covers_whole_file: bool  # nothing but validation data was added after it
    organisation: str = ""
    signer_title: str = ""
    timestamp: str | None = None  # ISO 8601, from the timestamp authority
    timestamp_authority: str = ""
    validated_at: str | None = None  # the chain was valid at this (timestamped) time, not now


def _validation_context():
    from pyhanko_certvalidator import ValidationContext

    # No fetching: the server does not reach out to the internet on a citizen's behalf.
    return ValidationContext(
        trust_roots=trust_roots(),
        crls=revocation_lists(),
        allow_fetching=False,
        revocation_mode="soft-fail",
    )


def _subject_part(cert, key: str) -> str:
    try:
        return cert.subject.native.get(key) or ""
    except Exception:  # a malformed subject must not turn a verdict into a 500
        return ""


def _common_name(cert) -> str:
    name = _subject_part(cert, "common_name")
    if name:
        return name
    try:
        return cert.subject.human_friendly
    except Exception:
        return ""


def _iso(moment) -> str | None:
    return timezone.localtime(moment).isoformat() if moment else None


def signatures_check(data: "bytes | Path") -> list[SignatureCheck] | None:
    """One check per signature in the PDF (bytes, or a file read from disk as pyHanko needs it),
    in document order; None when it cannot be read as a PDF."""
    if isinstance(data, Path):
        with open(data, "rb") as handle:
            return _signatures_check(handle)
    return _signatures_check(io.BytesIO(data))


def _signatures_check(stream) -> list[SignatureCheck] | None:
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        reader = PdfFileReader(stream, strict=False)
        embedded = list(reader.embedded_signatures)
    except Exception:
        return None
    context = _validation_context()
    return [_signature_check(signature, context, reader) for signature in embedded]


def _untouched_after(status) -> bool:
    """Nothing after the signature, or only validation data (a DSS update, a document timestamp)."""
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation.status import SignatureCoverageLevel

    if status.coverage == SignatureCoverageLevel.ENTIRE_FILE:
        return True
    return (
        status.coverage == SignatureCoverageLevel.ENTIRE_REVISION
        and status.modification_level in (ModificationLevel.NONE, ModificationLevel.LTA_UPDATES)
        and status.docmdp_ok is not False
    )


def _past_context(reader, moment):
    """Validation as of `moment` (the signature's timestamp), with the certificates and revocation
    data the document carries in its DSS: how a B-LT signature is checked after the signer's
    certificate has expired."""
    from pyhanko.sign.validation.dss import DocumentSecurityStore
    from pyhanko_certvalidator import ValidationContext

    settings_ = {
        "trust_roots": trust_roots(),
        "crls": revocation_lists(),
        "allow_fetching": False,
        "revocation_mode": "soft-fail",
        "moment": moment,
    }
    try:
        return DocumentSecurityStore.read_dss(reader).as_validation_context(settings_)
    except Exception:  # no DSS: only the roots and the certificates in the signature
        return ValidationContext(**settings_)


def _signature_check(signature, context, reader=None) -> SignatureCheck:
    from pyhanko.sign.validation import async_validate_pdf_signature

    try:
        cert = signature.signer_cert
        who = {
            "signer": _common_name(cert),
            "organisation": _subject_part(cert, "organization_name"),
            "signer_title": _subject_part(cert, "title"),
        }
    except Exception:
        who = {"signer": ""}
    try:
        status = run_sync(async_validate_pdf_signature(signature, context))
    except Exception as error:  # a damaged signature is a verdict, not a server error
        logger.info("signature not validated: %s", error)
        return SignatureCheck(signed_at=None, status="tampered", covers_whole_file=False, **who)
    stamp = status.timestamp_validity
    validated_at = None
    if not (status.intact and status.valid) or (stamp and not (stamp.intact and stamp.valid)):
        verdict = "tampered"
    elif not status.trusted or (stamp and not stamp.trusted):
        verdict = "untrusted"
        if stamp is not None and reader is not None:
            # Maybe only expired since: check the chain as of the timestamp, with the DSS's data.
            past = _validated_then(signature, reader, stamp.timestamp)
            if past:
                verdict, validated_at = "valid", _iso(stamp.timestamp)
    else:
        verdict = "valid"
    return SignatureCheck(
        validated_at=validated_at,
        signed_at=_iso(status.signer_reported_dt),
        status=verdict,
        covers_whole_file=_untouched_after(status),
        timestamp=_iso(stamp.timestamp) if stamp else None,
        timestamp_authority=_common_name(stamp.signing_cert) if stamp else "",
        **who,
    )


def _validated_then(signature, reader, moment) -> bool:
    from pyhanko.sign.validation import async_validate_pdf_signature

    try:
        status = run_sync(async_validate_pdf_signature(signature, _past_context(reader, moment)))
    except Exception as error:
        logger.info("signature not validated at its timestamp: %s", error)
        return False
    stamp = status.timestamp_validity
    return bool(status.trusted and stamp is not None and stamp.trusted)


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


def pdf_signed(data: bytes) -> bool:
    """Whether a PDF carries a digital signature that is intact and covers the whole file — the
    report's "văn bản có chữ ký số" (seed II.6.1). Trust is not asked: a document signed with a
    token the trust list does not hold yet is still a signed document."""
    return _status_of(signatures_check(data)) in ("valid", "untrusted")


def _status_of(checks: list[SignatureCheck] | None) -> str:
    if checks is None:
        return "unreadable"
    if not checks:
        return "unsigned"
    if any(check.status == "tampered" for check in checks):
        return "tampered"
    if any(check.status == "untrusted" for check in checks):
        return "untrusted"
    if not checks[-1].covers_whole_file:
        return "modified"
    return "valid"


def pdf_verdict(data: bytes) -> dict:
    """The verdict on a whole file, for the public page and `motcua documents verify`: valid,
    status, signer, organisation, signer_title, signed_at, timestamp, timestamp_authority,
    validated_at (set when the chain was checked as of the timestamp: the certificate has expired
    since), trusted (the certificate chains to the trust list), issued_by_us (the exact bytes are in the
    registry of documents we issued), document_number, sha256, reason."""
    from .models import IssuedDocument, SignedReport

    sha256 = hashlib.sha256(data).hexdigest()
    issued = IssuedDocument.objects.filter(sha256=sha256).first()
    report = None if issued else SignedReport.objects.filter(sha256=sha256).first()
    is_pdf = b"%PDF-" in data[:1024]
    checks = signatures_check(data) if is_pdf else None
    status = _status_of(checks)
    last = checks[-1] if checks else None
    return {
        "valid": status == "valid",
        "status": status,
        "signer": last.signer if last else None,
        "organisation": last.organisation if last else None,
        "signer_title": last.signer_title if last else None,
        "signed_at": last.signed_at if last else None,
        "timestamp": last.timestamp if last else None,
        "timestamp_authority": (last.timestamp_authority or None) if last else None,
        "validated_at": last.validated_at if last else None,
        "trusted": status in ("valid", "modified"),
        "issued_by_us": issued is not None or report is not None,
        "document_number": issued.number if issued else (str(report.report) if report else None),
        "sha256": sha256,
        "reason": REASONS[status],
    }
