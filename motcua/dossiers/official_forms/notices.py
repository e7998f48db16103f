"""Mẫu 02, 03 and 04 of Circular 01/2018/TT-VPCP, filled from a dossier and its history.

Each notice is the written form of one history event (DossierEvent), never of the dossier's current
state, so a reprint says what was said that day:

* Mẫu 02 — Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ: "request_intake_supplement" (the desk, on an
  online submission) or "request_supplement" (the competent body, during processing; Decree 61/2018
  art. 19.4). What must be completed is the request's stored list (SupplementRequest: the papers
  ticked, then the words); a request older than that list prints its note.
* Mẫu 03 — Phiếu từ chối tiếp nhận giải quyết hồ sơ: "refuse_intake" or "refuse" (art. 17, 19.8).
* Mẫu 04 — Phiếu xin lỗi và hẹn lại ngày trả kết quả: "reschedule" (art. 19.9); the note is the
  reason, `due_before` the appointment broken, `due_after` the new one.

A dossier may carry several events of one kind (two supplement requests): a builder takes the latest,
or the one named by `event_id`. Without such an event it raises `NoticeNotFound`, a LookupError with a
Vietnamese message, and nothing is rendered.

The "Số" of a notice is left for the register of outgoing documents (văn thư), which this system does
not keep yet.
"""

from datetime import date, datetime

from django.utils import timezone

from motcua.accounts.roles import Role
from motcua.core.text import format_date_long

from ..models import ApplicantKind, Dossier, DossierEvent, SupplementRequest
from . import applicant_full_address, form_header, form_pdf

NUMBER_BLANK = "……"

SUPPLEMENT_ACTIONS = ("request_intake_supplement", "request_supplement")
REFUSAL_ACTIONS = ("refuse_intake", "refuse")
RESCHEDULE_ACTIONS = ("reschedule",)
INTAKE_ACTIONS = ("request_intake_supplement", "refuse_intake")


class NoticeNotFound(LookupError):
    """The dossier has no history event that this notice is the written form of."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


# --- shared pieces -------------------------------------------------------------------------------


def _notice_event(dossier: Dossier, actions: tuple[str, ...], missing: str, event_id=None):
    events = dossier.events.filter(action__in=actions).select_related("actor", "unit")
    if event_id is not None:
        try:
            events = events.filter(pk=int(event_id))
        except (TypeError, ValueError):
            events = events.none()
    event = events.order_by("-at", "-pk").first()
    if event is None:
        name = dossier.code or f"trực tuyến #{dossier.pk}"
        raise NoticeNotFound(f"Hồ sơ {name} {missing}")
    return event


def _local(value: datetime) -> datetime:
    return timezone.localtime(value)


def _instant_long(value: datetime | None) -> str:
    """'17 giờ 30 phút, ngày 24 tháng 5 năm 2024' — an appointment as the forms write it."""
    if value is None:
        return ""
    local = _local(value)
    return f"{local:%H} giờ {local:%M} phút, {format_date_long(local.date())}"


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _person_name(user) -> str:
    return str(user) if user else ""


def _issuer(dossier: Dossier, event: DossierEvent):
    """Who issues the notice: the desk's unit for a decision at reception, the competent agency
    for one taken while processing (Decree 61/2018 art. 17 and 19)."""
    if event.action in INTAKE_ACTIONS:
        return dossier.receiving_unit
    return dossier.procedure_version.competent_agency or dossier.receiving_unit


def _signer_titles(event: DossierEvent) -> list[str]:
    """The heading of a leader's signature block, by the role of the one who decided."""
    role = event.actor_role or getattr(event.actor, "role", "")
    if role == Role.DEPARTMENT_LEADER:
        return ["THỦ TRƯỞNG CƠ QUAN"]
    if role == Role.DIVISION_HEAD:
        return ["TL. THỦ TRƯỞNG CƠ QUAN", "LÃNH ĐẠO PHÒNG"]
    return ["NGƯỜI CÓ THẨM QUYỀN"]


def _common(dossier: Dossier, event: DossierEvent, number: str) -> dict:
    issuer = _issuer(dossier, event)
    applicant = dossier.applicant
    version = dossier.procedure_version
    person = applicant.kind != ApplicantKind.ORGANISATION
    return {
        **form_header(issuer, _local(event.at).date()),
        "number": number,
        "code": dossier.code or f"Hồ sơ trực tuyến #{dossier.pk}",
        "receiving_unit_name": dossier.receiving_unit.name,
        "applicant_name": dossier.applicant_name,
        "applicant_address": applicant_full_address(dossier),
        "applicant_phone": dossier.contact_phone,
        "applicant_email": dossier.contact_email,
        "addressee": "Ông/Bà" if person else "Quý cơ quan, tổ chức",
        "procedure_name": version.name,
        "reason": event.note.strip(),
        "reason_lines": _lines(event.note),
        "officer_name": _person_name(event.actor),
        "officer_phone": getattr(event.actor, "phone", "") if event.actor else "",
        "at_intake": event.action in INTAKE_ACTIONS,
        "event_id": event.pk,
    }


# --- the three notices ---------------------------------------------------------------------------


def supplement_request_context(dossier: Dossier, event_id=None) -> dict:
    """Mẫu 02 — Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ."""
    event = _notice_event(
        dossier,
        SUPPLEMENT_ACTIONS,
        "chưa có yêu cầu bổ sung, hoàn thiện hồ sơ nào nên không có Phiếu yêu cầu bổ sung (Mẫu 02).",
        event_id,
    )
    context = _common(dossier, event, f"{NUMBER_BLANK}/HDHS")
    asked = SupplementRequest.objects.filter(event=event).first()
    if asked is not None:  # the papers ticked, then the words (a request made before: its note)
        context["papers"] = asked.papers
        context["details_lines"] = _lines(asked.details)
        context["reason_lines"] = asked.lines()
    from motcua.payments.selectors import payment_block_for_form  # fee due with the supplement

    context["payment"] = payment_block_for_form(dossier, "supplement")
    return context


def refusal_context(dossier: Dossier, event_id=None) -> dict:
    """Mẫu 03 — Phiếu từ chối tiếp nhận giải quyết hồ sơ."""
    event = _notice_event(
        dossier,
        REFUSAL_ACTIONS,
        "không bị từ chối tiếp nhận hay từ chối giải quyết nên không có Phiếu từ chối (Mẫu 03).",
        event_id,
    )
    context = _common(dossier, event, NUMBER_BLANK)
    if context["at_intake"]:
        context["signer_titles"] = ["NGƯỜI TIẾP NHẬN HỒ SƠ"]
        context["signer_hint"] = "(Ký và ghi rõ họ tên)"
    else:
        context["signer_titles"] = _signer_titles(event)
        context["signer_hint"] = "(Ký, ghi rõ họ tên và đóng dấu)"
    return context


def apology_context(dossier: Dossier, event_id=None) -> dict:
    """Mẫu 04 — Phiếu xin lỗi và hẹn lại ngày trả kết quả."""
    event = _notice_event(
        dossier,
        RESCHEDULE_ACTIONS,
        "chưa được xin lỗi và hẹn lại ngày trả kết quả nên không có Phiếu xin lỗi (Mẫu 04).",
        event_id,
    )
    context = _common(dossier, event, NUMBER_BLANK)
    received = dossier.received_at or dossier.submitted_at
    context.update(
        {
            "received_date_long": format_date_long(_local(received).date()) if received else "",
            "due_before_text": _instant_long(event.due_before or dossier.due_at_original),
            "due_after_text": _instant_long(event.due_after),
            "signer_titles": _signer_titles(event),
            "signer_hint": "(Ký, ghi rõ họ tên và đóng dấu)",
            "recipients": [
                "Như trên;",
                f"{dossier.receiving_unit.name};",
                "Lưu: VT.",
            ],
        }
    )
    return context


NOTICE_CONTEXTS = {
    "02": supplement_request_context,
    "03": refusal_context,
    "04": apology_context,
}


def form_set_date(dossier: Dossier) -> date:
    """The day that picks the form set: the dossier's reception (or online submission) day, so a
    reprint keeps its layout whatever set is in force later."""
    day = dossier.received_at or dossier.submitted_at or timezone.now()
    return _local(day).date()


def notice_pdf(number: str, dossier: Dossier, event_id=None) -> bytes:
    """The PDF of Mẫu `number` (02, 03 or 04) for `dossier`; NoticeNotFound without its event."""
    context = NOTICE_CONTEXTS[number](dossier, event_id)
    return form_pdf(number, form_set_date(dossier), context)
