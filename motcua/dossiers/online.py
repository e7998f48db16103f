"""Online submission by a citizen without an account (Decree 61/2018 art. 13.1.b, 17.2; Decree
45/2020 on online public services).

An online dossier is not yet received: it waits in status `submitted_online` (national status 1,
"Mới đăng ký") until the desk checks it and accepts it (`dossier_act(..., "accept")`), which gives
it its code `<unit>-YYMMDD-NNNN` and its appointment. Before that the citizen follows it with a
short reference (nine characters with a check character, random: codes.short_reference_new,
docs/adr/0021) that a person can read over the phone. The long signed reference of earlier
versions (the primary key signed with the installation's secret key) still resolves.
"""

from datetime import datetime

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from motcua.core import rate_limits
from motcua.core.clock import now

from .changes import dossier_changed
from .codes import short_reference_display, short_reference_new, short_reference_parse
from .messages import applicant_notify, procedure_short_name
from .models import ChannelKind, Dossier, DossierComponent, DossierEvent
from .services import (
    IntakeData,
    applicant_errors,
    applicant_for_online,
    intake_version_validate,
)
from .workflow import Status

REFERENCE_SALT = "motcua.dossiers.online.reference"
# "." is outside the URL-safe base64 alphabet of the signature and needs no escaping in a URL.
_signer = signing.Signer(salt=REFERENCE_SALT, sep=".", algorithm="sha256")

MSG_NOT_ONLINE = (
    "Thủ tục này không nhận hồ sơ trực tuyến; mời ông/bà nộp trực tiếp tại Bộ phận Một cửa "
    "hoặc qua dịch vụ bưu chính công ích."
)
MSG_INTERNAL = "Đây là thủ tục hành chính nội bộ, không nhận hồ sơ của công dân."

# Online submissions per ID number and per phone number in a window, whichever client sends them:
# a client changing addresses still cannot flood one person's phone or one person's file.
SUBMISSIONS_PER_ID = 5
SUBMISSIONS_PER_PHONE = 5
SUBMISSIONS_WINDOW_SECONDS = 60 * 60
MSG_TOO_MANY = (
    "Đã có quá nhiều hồ sơ trực tuyến được nộp với số định danh hoặc số điện thoại này trong "
    "thời gian ngắn. Vui lòng thử lại sau một giờ, hoặc liên hệ Bộ phận Một cửa."
)


class SubmissionsLimited(ValidationError):
    """Too many online submissions for one ID number or one phone number: nothing was written."""

    code_name = "rate_limited"

    def __init__(self):
        super().__init__(MSG_TOO_MANY, code=self.code_name)


def dossier_submit_online(
    data: IntakeData,
    *,
    submitted_at: datetime | None = None,
    submitted_by=None,
    assisted_by=None,
    notify_channel: str = "",
    national_account_verified: bool = False,
) -> Dossier:
    """Record a dossier a citizen submitted online, for the desk to check (Decree 61/2018 art. 17.2).

    The same rules as a desk reception (`dossier_receive`): a version in force that day, the
    return channel and the mandatory papers it requires, a valid applicant; in addition the
    procedure must accept online intake and be a public (not internal) procedure. Nothing is
    written when any rule fails. The dossier has no code yet and its clock does not run: both start
    when the desk accepts it.

    An online submission, anonymous or not, never changes nor reads a person already on record
    (services.applicant_for_online): it is linked to that record only when the declared name and
    birth date agree with it — otherwise it is refused (ApplicantConflict) — and its notices go to
    the contact it gives (Dossier.contact_phone / contact_email), never to the record's. Online
    submissions are limited per ID number and per phone number (SubmissionsLimited), except a desk
    officer's for a citizen at the counter.

    `submitted_by` is the signed-in citizen account that will own the dossier in the portal;
    `assisted_by` the desk officer who filled the form for a citizen who came in person (the
    dossier still counts as online); `notify_channel` "sms" or "email", the one channel status
    changes are sent through. `national_account_verified`: the citizen submitting signed in with
    the national account (Cổng DVCQG / VNeID) in this session (TaiKhoanDuocXacThucVoiVNeID).
    """
    at = submitted_at or now()
    data.channel = ChannelKind.ONLINE
    try:
        version = intake_version_validate(data, at)
    except ValidationError as exc:
        raise _online_errors(exc) from None
    if version.procedure.is_internal:
        raise ValidationError({"procedure_code": MSG_INTERNAL})
    errors = {f"applicant.{k}": v for k, v in applicant_errors(data.applicant).items()}
    if data.applicant.email:
        try:
            validate_email(data.applicant.email)
        except ValidationError:
            errors["applicant.email"] = "Địa chỉ thư điện tử không hợp lệ."
    if notify_channel not in ("", "sms", "email"):
        errors["notify_channel"] = "Hãy chọn nhận thông báo qua tin nhắn SMS hoặc thư điện tử."
    elif notify_channel == "sms" and not data.applicant.phone:
        errors["applicant.phone"] = "Hãy nhập số điện thoại để nhận thông báo qua tin nhắn SMS."
    elif notify_channel == "email" and not data.applicant.email:
        errors["applicant.email"] = "Hãy nhập thư điện tử để nhận thông báo qua thư điện tử."
    if assisted_by is not None and getattr(assisted_by, "role", None) != "desk_officer":
        raise ValidationError(
            "Chỉ công chức Bộ phận Một cửa được nộp hồ sơ trực tuyến hộ công dân."
        )
    if errors:
        raise ValidationError(errors)
    if assisted_by is None:
        _submissions_count(data)
    with transaction.atomic():
        applicant = applicant_for_online(data.applicant)
        dossier = Dossier.objects.create(
            code=None,
            short_reference=_short_reference_unused(),
            procedure_version=version,
            receiving_unit=version.receiving_unit,
            applicant=applicant,
            applicant_name=data.applicant.full_name.strip(),
            applicant_address=data.applicant.address_line.strip(),
            contact_phone=data.applicant.phone.strip(),
            contact_email=data.applicant.email.strip(),
            channel=ChannelKind.ONLINE,
            status=Status.SUBMITTED_ONLINE,
            dossier_sets=data.dossier_sets,
            submitted_at=at,
            return_channel=data.return_channel,
            submitted_by=submitted_by,
            assisted_by=assisted_by,
            notify_channel=notify_channel,
            national_account_verified=bool(national_account_verified) and assisted_by is None,
        )
        DossierComponent.objects.bulk_create(
            DossierComponent(dossier=dossier, order=i, name=c.name, form=c.form, count=c.count)
            for i, c in enumerate(data.components, start=1)
        )
        DossierEvent.objects.create(
            dossier=dossier,
            at=at,
            action="submitted_online",
            to_status=Status.SUBMITTED_ONLINE,
            unit=version.receiving_unit,
            actor=assisted_by or submitted_by,
            actor_role=getattr(assisted_by or submitted_by, "role", ""),
            note=(
                f"Nộp hồ sơ trực tuyến (cán bộ {assisted_by} nộp hộ)"
                if assisted_by
                else "Nộp hồ sơ trực tuyến"
            ),
        )
        # Announced on the change feed like every other change: a fee due at submission has its
        # charge (and VietQR) opened once this commits (payments.services.FEE_DUE_AFTER).
        dossier_changed(dossier, "submitted_online")
        applicant_notify(
            dossier,
            f"Hồ sơ {procedure_short_name(version.name)} đã gửi, chờ Bộ phận Một cửa kiểm tra. "
            f"Mã tra cứu {short_reference_display(dossier.short_reference or '')}.",
        )
    return dossier


def _online_errors(exc: ValidationError) -> ValidationError:
    """The intake checks, worded for a citizen who chose the online channel."""
    if not hasattr(exc, "error_dict"):
        return exc
    messages = {field: errors[0].messages[0] for field, errors in exc.error_dict.items()}
    if "channel" in messages:
        messages["procedure_code"] = MSG_NOT_ONLINE
        del messages["channel"]
    return ValidationError(messages)


def _submissions_count(data: IntakeData) -> None:
    """Count this submission against its ID number (or tax code) and its phone number; refuse it
    (SubmissionsLimited) once either went over its limit in the window."""
    applicant = data.applicant
    keys = [
        ("online-submission-id", applicant.citizen_id or applicant.tax_code, SUBMISSIONS_PER_ID),
        ("online-submission-phone", _digits(applicant.phone), SUBMISSIONS_PER_PHONE),
    ]
    over = [
        rate_limits.rate_limit_hit(
            scope, key, limit=limit, window_seconds=SUBMISSIONS_WINDOW_SECONDS
        )
        for scope, key, limit in keys
        if key
    ]
    if any(over):
        raise SubmissionsLimited()


def _digits(phone: str) -> str:
    """0912 345 678, +84912345678 and 84912345678 are one phone."""
    digits = "".join(ch for ch in phone or "" if ch.isdigit())
    return "0" + digits[2:] if digits.startswith("84") and len(digits) > 10 else digits


def _short_reference_unused() -> str:
    # 29^8 references: a collision is all but impossible; the unique constraint is the last guard.
    for _ in range(5):
        reference = short_reference_new()
        if not Dossier.objects.filter(short_reference=reference).exists():
            return reference
    return reference


def online_reference(dossier: Dossier) -> str:
    """The tracking reference of an online dossier: its short reference ('K7MPX3QA9'), or for a
    dossier without one the long signed reference of earlier versions ('42.Xk3…')."""
    return dossier.short_reference or long_reference(dossier)


def long_reference(dossier: Dossier) -> str:
    """The id with a salted signature: the reference before short references (ADR 0006)."""
    return _signer.sign(str(dossier.pk))


def dossier_by_reference(reference: str) -> Dossier | None:
    """The dossier a tracking reference names (short, any case and spacing; or long and signed),
    or None when it is unknown, mistyped or altered."""
    short = short_reference_parse(reference)
    if short is not None:
        return Dossier.objects.filter(short_reference=short).first()
    try:
        pk = int(_signer.unsign((reference or "").strip()))
    except (signing.BadSignature, ValueError):
        return None
    return Dossier.objects.filter(pk=pk).first()


def tracking_url(dossier: Dossier, *, short: bool = False) -> str:
    """The absolute address of the dossier's public tracking page (in messages and the receipt's
    QR code): by its code once received, by its short reference before. `short` (an SMS): by the
    short reference whenever the dossier has one, the page sends it on to the code."""
    from django.conf import settings
    from django.urls import reverse

    key = (dossier.short_reference if short else None) or dossier.code or online_reference(dossier)
    base = getattr(settings, "MOTCUA_PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
    return base + reverse("portal:tracking_detail", args=[key])


MSG_NOT_YOURS = "Không tìm thấy hồ sơ, hoặc hồ sơ này không thuộc tài khoản của ông/bà."


def access_dossier_for_citizen(user, dossier_id_or_code, *, for_update: bool = False) -> Dossier:
    """The one door to a dossier for a citizen: only a dossier their account submitted. The same
    PermissionDenied whether it does not exist or belongs to someone else (ids cannot be probed)."""
    from django.core.exceptions import PermissionDenied

    from motcua.accounts.roles import Role

    if not (user and user.is_authenticated and user.is_active and user.role == Role.CITIZEN):
        raise PermissionDenied(MSG_NOT_YOURS)
    queryset = Dossier.objects.select_related(
        "procedure_version__procedure", "receiving_unit", "applicant", "current_step"
    )
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    key = str(dossier_id_or_code or "").strip()
    if key.isdigit():
        dossier = queryset.filter(pk=int(key), submitted_by=user).first()
    else:
        dossier = queryset.filter(code=key, submitted_by=user).first() if key else None
    if dossier is None:
        raise PermissionDenied(MSG_NOT_YOURS)
    return dossier
