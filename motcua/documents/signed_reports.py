"""The issued periodic report signed the same way as a result (issue [J] 1): the leader's own key,
PAdES-B-LT, the visible signature with the organisation's seal and the signer's name and title,
at the bottom right of the last page; the signed PDF kept and registered by its hash, so
/xac-thuc/ and `motcua documents verify` know it as issued by us."""

from django.core.exceptions import PermissionDenied

from motcua.core.clock import now

from .keys import Activation
from .models import SignedReport, Signer

MSG_NO_SIGNER = "Ông/bà chưa có cấu hình ký số đang dùng: không ký được báo cáo."


def signer_of(user) -> Signer | None:
    """The active signer configured for this person, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Signer.objects.filter(user=user, is_active=True).order_by("pk").first()


def report_sign(actor, issue, pdf: bytes, activation: Activation) -> SignedReport:
    """Sign the issued report's PDF with the actor's own key and keep it. Raises (SigningFailed
    and the like) with nothing stored when the signature cannot be made."""
    from .appearance import last_page_box, signature_image
    from .content import pdf_checked_bytes
    from .drafts import signed_pdf_store
    from .services import stored_file_bytes
    from .signing import Appearance, pdf_sign

    signer = signer_of(actor)
    if signer is None:
        raise PermissionDenied(MSG_NO_SIGNER)
    # What storing would strip (LibreOffice's /OpenAction) is stripped before signing: the
    # stored bytes must be the signed ones.
    pdf = pdf_checked_bytes(pdf)
    at = now()
    image = signature_image(
        signer=signer.full_name,
        title=signer.title,
        organisation=signer.organisation,
        at=at,
        seal_png=stored_file_bytes(signer.seal) if signer.seal is not None else None,
    )
    box, page = last_page_box(pdf)
    signed = pdf_sign(
        pdf,
        signer.key_spec(),
        activation,
        appearance=Appearance(image, box, page),
        reason=f"Ký ban hành báo cáo số {issue}",
    )
    stored = signed_pdf_store(signed)
    return SignedReport.objects.create(
        report=issue,
        stored_file=stored,
        sha256=stored.sha256,
        signer=signer,
        signed_at=at,
        signed_by=actor,
    )


def signed_report_bytes(issue) -> bytes | None:
    """The signed PDF of an issued report, or None when it was issued unsigned."""
    from .services import stored_file_bytes

    signed = SignedReport.objects.filter(report=issue).select_related("stored_file").first()
    return stored_file_bytes(signed.stored_file) if signed else None
