"""Electronic results: the result document of a dossier rendered as a PDF, signed by the department
(PAdES, visible signature in Decree 30/2020 style), registered by its hash, verifiable by anyone
through the QR code it carries (Decree 45/2020: an electronic result has the value of the paper one).
"""

import io
import secrets
from datetime import datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from motcua.accounts.permissions import has_role
from motcua.accounts.roles import Role
from motcua.core.clock import now
from motcua.core.pdf import render_pdf
from motcua.core.symbols import qr_svg_data_uri
from motcua.core.text import fold, format_date_long
from motcua.dossiers.models import Dossier
from motcua.dossiers.permissions import access_dossier_for_officer
from motcua.dossiers.workflow import Status

from .models import FileKind, IssuedDocument, StoredFile

ISSUING_ROLES = (Role.DESK_OFFICER, Role.SPECIALIST, Role.DIVISION_HEAD, Role.DEPARTMENT_LEADER)
# A result is issued once processing produced it: awaiting the leader's signature, or later.
ISSUABLE_STATUSES = {Status.AWAITING_SIGNATURE, Status.FINISHED, Status.RETURNED}
# The signature field in PDF points (A4 = 595.3 × 841.9, origin bottom-left), between the signer's
# title and the unit's name in result_pdf.html: 80 × 35 mm, 109 mm from the left, 52 mm from the bottom.
MM = 72 / 25.4
SIGNATURE_BOX = (109 * MM, 52 * MM, 189 * MM, 87 * MM)
STAMP_PIXELS = (945, 413)  # 80 × 35 mm at 300 dpi
FONT = "/usr/share/fonts/truetype/croscore/Tinos-Regular.ttf"
FONT_BOLD = "/usr/share/fonts/truetype/croscore/Tinos-Bold.ttf"

MSG_ROLE = "Chỉ cán bộ xử lý hồ sơ được phát hành kết quả điện tử."
MSG_STATUS = (
    "Hồ sơ chưa có kết quả để phát hành (hồ sơ phải đang chờ ký, đã xử lý xong hoặc đã trả)."
)
MSG_NO_CERT = "Chưa cấu hình chứng thư số của cơ quan nên chưa ký được kết quả. Vui lòng báo quản trị hệ thống."


def verify_url(token: str) -> str:
    base = settings.MOTCUA_PUBLIC_BASE_URL.rstrip("/")
    return base + reverse("documents_public:verify_token", args=[token])


def _is_judicial_record(dossier: Dossier) -> bool:
    return "ly lich tu phap" in fold(dossier.procedure_version.name)


def _result_context(dossier: Dossier, number: str, token: str, at: datetime) -> dict:
    applicant = dossier.applicant
    unit = settings.MOTCUA_SIGNING_UNIT_NAME
    fields = [("Họ và tên", dossier.applicant_name)]
    if applicant.date_of_birth:
        fields.append(("Ngày, tháng, năm sinh", f"{applicant.date_of_birth:%d/%m/%Y}"))
    if applicant.citizen_id:
        fields.append(("Số định danh cá nhân", applicant.citizen_id))
    if dossier.applicant_address:
        fields.append(("Nơi cư trú", dossier.applicant_address))
    fields += [
        ("Mã hồ sơ", dossier.code or str(dossier.pk)),
        ("Thủ tục", dossier.procedure_version.name),
        ("Ngày tiếp nhận", f"{dossier.received_at:%d/%m/%Y}" if dossier.received_at else "—"),
    ]
    if _is_judicial_record(dossier):
        title, subtitle = "Phiếu lý lịch tư pháp số 1", "Cấp theo yêu cầu của cá nhân"
        body = (
            "Căn cứ Luật Lý lịch tư pháp và kết quả tra cứu Cơ sở dữ liệu lý lịch tư pháp, "
            f"{unit} cấp Phiếu lý lịch tư pháp cho người có tên trên."
        )
    else:
        title, subtitle = "Kết quả giải quyết thủ tục hành chính", dossier.procedure_version.name
        body = f"{unit} thông báo kết quả giải quyết hồ sơ của ông/bà có tên trên như sau: hồ sơ đã được giải quyết."
    url = verify_url(token)
    return {
        "title": title,
        "subtitle": subtitle,
        "number": number,
        "province": settings.MOTCUA_PROVINCE_NAME,
        "issuing_unit": unit,
        "issuing_short": unit.split(" tỉnh ")[0],
        "date_long": format_date_long(at.date()),
        "fields": fields,
        "body": body,
        "signer_title": "TL. Giám đốc",
        "holder_name": dossier.applicant_name,
        "dossier_code": dossier.code or dossier.pk,
        "qr": qr_svg_data_uri(url, scale=3),
        "verify_url": url,
    }


def stamp_image(unit: str, at: datetime) -> bytes:
    """The visible signature in Decree 30/2020 style: a red round seal overlapping the left third of
    a blue handwritten-like signature, then "Ký bởi: … / Thời gian ký: …" in blue, on transparency."""
    from PIL import Image, ImageDraw, ImageFont

    width, height = STAMP_PIXELS
    image = Image.new("RGBA", (width, height), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    red, blue = (200, 16, 46, 235), (20, 50, 160, 255)
    seal = (20, 20, 250, 250)
    draw.ellipse(seal, outline=red, width=9)
    draw.ellipse((48, 48, 222, 222), outline=red, width=3)
    draw.polygon(_star(135, 135, 42, 17), fill=red)
    small = ImageFont.truetype(FONT_BOLD, 22)
    draw.text((135, 80), "SỞ TƯ PHÁP", font=small, fill=red, anchor="mm")
    draw.text((135, 195), settings.MOTCUA_PROVINCE_NAME.upper(), font=small, fill=red, anchor="mm")
    # The signature: a few strokes, drawn so the seal overlaps about a third of it.
    points = [
        (170, 170),
        (230, 90),
        (260, 190),
        (320, 80),
        (350, 185),
        (420, 110),
        (520, 150),
        (640, 120),
    ]
    draw.line(points, fill=blue, width=7, joint="curve")
    text_font = ImageFont.truetype(FONT, 40)
    draw.text((20, 290), f"Ký bởi: {unit}", font=text_font, fill=blue)
    draw.text((20, 350), f"Thời gian ký: {at:%H:%M:%S %d/%m/%Y} (GMT+7)", font=text_font, fill=blue)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _star(cx: float, cy: float, outer: float, inner: float) -> list[tuple[float, float]]:
    """The five-pointed star of a state seal, as polygon points."""
    import math

    points = []
    for i in range(10):
        radius = outer if i % 2 == 0 else inner
        angle = math.pi / 2 + i * math.pi / 5
        points.append((cx + radius * math.cos(angle), cy - radius * math.sin(angle)))
    return points


def _next_number(at: datetime) -> str:
    """Numbers run from 1 each year (Decree 30/2020 art. 15): '<n>/<year>/KQĐT', after those
    issued and those reserved by result drafts."""
    from .drafts import registry_number_next

    return registry_number_next(at.year)


def result_issue(actor, dossier: Dossier) -> IssuedDocument:
    """Render the dossier's result, sign it with the department's certificate, store the signed
    bytes and register their hash. Issuing again returns the document already issued (a double
    click issues once)."""
    from .services import stored_file_put

    if not has_role(actor, *ISSUING_ROLES):
        raise PermissionDenied(MSG_ROLE)
    dossier = access_dossier_for_officer(actor, dossier.pk)
    existing = IssuedDocument.objects.filter(dossier=dossier).first()
    if existing is not None:
        return existing
    if dossier.status not in ISSUABLE_STATUSES:
        raise ValidationError(MSG_STATUS, code="result_not_ready")
    for _attempt in range(3):
        try:
            return _issue_once(dossier, actor, stored_file_put)
        except IntegrityError:
            continue  # another officer took the number a moment ago: take the next one
    raise ValidationError("Không cấp được số kết quả, vui lòng thử lại.", code="number_conflict")


def _issue_once(dossier, actor, stored_file_put) -> IssuedDocument:
    from .keys import PKCS12, Activation, KeySpec
    from .signing import Appearance, pdf_sign

    at = now()
    token = secrets.token_urlsafe(16)
    unit = settings.MOTCUA_SIGNING_UNIT_NAME
    with transaction.atomic():
        Dossier.objects.select_for_update().filter(pk=dossier.pk).first()
        existing = IssuedDocument.objects.filter(dossier=dossier).first()
        if existing is not None:
            return existing
        number = _next_number(at)
        unsigned = render_pdf(
            "documents/result_pdf.html", _result_context(dossier, number, token, at)
        )
        # The department's own key (the demo's PKCS#12 file): results approved on paper before
        # the leader signed electronically. Refused in production, where the leader signs.
        signed = pdf_sign(
            unsigned,
            KeySpec(kind=PKCS12),
            Activation(),
            appearance=Appearance(stamp_image(unit, at), SIGNATURE_BOX),
        )
        stored: StoredFile = stored_file_put(signed, kinds=(FileKind.PDF,), max_bytes=len(signed))
        return IssuedDocument.objects.create(
            dossier=dossier,
            number=number,
            title="Phiếu lý lịch tư pháp số 1"
            if _is_judicial_record(dossier)
            else "Kết quả giải quyết TTHC",
            token=token,
            stored_file=stored,
            sha256=stored.sha256,
            issuing_unit=unit,
            signer=_signer_of(stored) or unit,
            signed_at=at,
            holder_name=dossier.applicant_name,
            citizen_id=dossier.applicant.citizen_id,
            issued_by=actor,
        )


def _signer_of(stored: StoredFile) -> str:
    """The signer's name as the stored file's own signature check read it."""
    return stored.signatures[-1].get("signer", "") if stored.signatures else ""


def issued_document_bytes(issued: IssuedDocument) -> bytes:
    """The signed PDF exactly as issued, in memory (a result is a page or two); views serve it
    streamed through documents.responses.stored_file_response."""
    from .services import stored_file_bytes

    return stored_file_bytes(issued.stored_file)
