"""Dossiers for citizens: online submission, and the status of a dossier by code or reference.

Both are public. The status answer carries no personal data: the applicant's name is masked, and
no citizen ID, phone, e-mail or address is ever returned.
"""

import hashlib
import json

from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from ninja import Header, Path, Router
from ninja.responses import Status as Reply
from ninja.throttling import AnonRateThrottle

from motcua.core.client_address import client_ip
from motcua.core.identity import name_masked
from motcua.dossiers.models import Dossier
from motcua.dossiers.online import (
    SubmissionsLimited,
    dossier_by_reference,
    dossier_submit_online,
    online_reference,
)
from motcua.dossiers.services import ApplicantConflict, ApplicantData, ComponentData, IntakeData
from motcua.dossiers.workflow import (
    STATUS_LABELS,
    Status,
    national_status,
    national_status_label,
)

from . import errors
from .schemas import DossierStatusOut, DossierSubmitIn, DossierSubmitOut, ErrorOut

router = Router(tags=["Hồ sơ"])

IDEMPOTENCY_TTL = 24 * 60 * 60
IDEMPOTENCY_PREFIX = "motcua:api:idempotency:"
MSG_IDEMPOTENCY_CONFLICT = (
    "Khóa Idempotency-Key này đã được dùng cho một hồ sơ có nội dung khác. "
    "Hãy dùng khóa mới cho mỗi hồ sơ mới."
)
MSG_IDEMPOTENCY_IN_PROGRESS = (
    "Một yêu cầu khác với cùng khóa Idempotency-Key đang được xử lý. Vui lòng thử lại sau giây lát."
)
MSG_DOSSIER_NOT_FOUND = "Không tìm thấy hồ sơ với mã hồ sơ hoặc mã tra cứu đã nhập."


class ClientRateThrottle(AnonRateThrottle):
    """ninja's throttle keyed on the client address as the trusted proxy chain reports it
    (motcua.core.client_address), never on a raw X-Forwarded-For a client can write."""

    def get_ident(self, request) -> str:
        return client_ip(request)


def _submit(intake: IntakeData) -> Dossier:
    """The online submission, its refusals as the API's stable codes: 409 applicant_conflict
    (the ID number is on record with another name or birth date), 429 rate_limited (too many
    submissions for one ID number or phone)."""
    try:
        return dossier_submit_online(intake)
    except ApplicantConflict as exc:
        fields = {f"applicant.{k}": v[0].messages[0] for k, v in exc.error_dict.items()}
        message = next(iter(fields.values()))
        raise errors.ApiError(409, errors.APPLICANT_CONFLICT, message, fields) from None
    except SubmissionsLimited as exc:
        raise errors.ApiError(429, errors.RATE_LIMITED, exc.messages[0]) from None


def _intake(payload: DossierSubmitIn) -> IntakeData:
    return IntakeData(
        procedure_code=payload.procedure_code.strip(),
        applicant=ApplicantData(**payload.applicant.model_dump()),
        components=[ComponentData(**c.model_dump()) for c in payload.components],
        return_channel=payload.return_channel,
        dossier_sets=payload.dossier_sets,
    )


def _submitted(dossier: Dossier) -> dict:
    reference = online_reference(dossier)
    return {
        "reference": reference,
        "status": national_status(dossier.status),
        "status_label": national_status_label(dossier.status),
        "submitted_at": _local(dossier.submitted_at),
        "procedure_code": dossier.procedure_version.procedure.code,
        "status_url": reverse("api:dossier_status", args=[reference]),
    }


@router.post(
    "",
    response={
        201: DossierSubmitOut,
        400: ErrorOut,
        409: ErrorOut,
        415: ErrorOut,
        422: ErrorOut,
        429: ErrorOut,
    },
    throttle=[ClientRateThrottle("30/m")],
    summary="Nộp hồ sơ trực tuyến",
)
def dossier_submit(
    request,
    payload: DossierSubmitIn,
    idempotency_key: str | None = Header(
        None,
        alias="Idempotency-Key",
        max_length=200,
        description="Khóa tùy chọn: gửi lại cùng khóa và cùng nội dung trả về cùng hồ sơ.",
    ),
):
    """Nộp hồ sơ trực tuyến (không cần tài khoản). Hồ sơ chờ Bộ phận Một cửa kiểm tra và tiếp
    nhận; trả về mã tra cứu để theo dõi trước khi có mã hồ sơ."""
    if not idempotency_key:
        return Reply(201, _submitted(_submit(_intake(payload))))
    key = IDEMPOTENCY_PREFIX + hashlib.sha256(idempotency_key.encode()).hexdigest()
    fingerprint = hashlib.sha256(
        json.dumps(payload.model_dump(mode="json"), sort_keys=True).encode()
    ).hexdigest()
    if not cache.add(key, {"body": fingerprint, "dossier": None}, IDEMPOTENCY_TTL):
        return _replay(cache.get(key), fingerprint)
    try:
        dossier = _submit(_intake(payload))
    except BaseException:
        cache.delete(key)  # nothing was created: the same key may carry the corrected dossier
        raise
    cache.set(key, {"body": fingerprint, "dossier": dossier.pk}, IDEMPOTENCY_TTL)
    return Reply(201, _submitted(dossier))


def _replay(entry: dict | None, fingerprint: str):
    if entry is None:  # expired between add() and get(): treat as in progress, the client retries
        raise errors.ApiError(409, errors.IDEMPOTENCY_IN_PROGRESS, MSG_IDEMPOTENCY_IN_PROGRESS)
    if entry["body"] != fingerprint:
        raise errors.ApiError(409, errors.IDEMPOTENCY_CONFLICT, MSG_IDEMPOTENCY_CONFLICT)
    if entry["dossier"] is None:
        raise errors.ApiError(409, errors.IDEMPOTENCY_IN_PROGRESS, MSG_IDEMPOTENCY_IN_PROGRESS)
    dossier = Dossier.objects.select_related("procedure_version__procedure").get(
        pk=entry["dossier"]
    )
    return Reply(201, _submitted(dossier))


def _local(at):
    """Instants are shown in Vietnam's time (+07:00), as on every paper the citizen receives."""
    return timezone.localtime(at) if at else None


@router.get(
    "/status/{code_or_reference}",
    response={200: DossierStatusOut, 404: ErrorOut, 422: ErrorOut, 429: ErrorOut},
    throttle=[ClientRateThrottle("60/m")],
    summary="Tra cứu tình trạng hồ sơ",
)
def dossier_status(request, code_or_reference: str = Path(..., max_length=120)):
    """Tình trạng hồ sơ theo mã hồ sơ (hoặc mã tra cứu của hồ sơ trực tuyến chưa tiếp nhận).
    Không trả về thông tin cá nhân của người nộp."""
    text = code_or_reference.strip()
    dossier = Dossier.objects.select_related("procedure_version__procedure").filter(
        code=text
    ).first() or dossier_by_reference(text)
    if dossier is None:
        raise errors.ApiError(404, errors.NOT_FOUND, MSG_DOSSIER_NOT_FOUND)
    status = Status(dossier.status)
    return {
        "code": dossier.code,
        "procedure_code": dossier.procedure_version.procedure.code,
        "procedure_name": dossier.procedure_version.name,
        "applicant": name_masked(dossier.applicant_name),
        "status": national_status(status),
        "status_label": national_status_label(status),
        "detail_label": STATUS_LABELS[status],
        "submitted_at": _local(dossier.submitted_at),
        "received_at": _local(dossier.received_at),
        "due_at": _local(dossier.due_at),
        "finished": dossier.finished_at is not None,
        "returned": dossier.returned_at is not None,
    }
