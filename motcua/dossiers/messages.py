"""What each workflow action tells people. The workflow table (workflow.py) says WHO is told
(`Transition.notify`); this module says WHAT they are told, and sends it on commit."""

from django.utils import timezone

from motcua.accounts.models import User
from motcua.accounts.roles import Role
from motcua.notifications.models import Channel
from motcua.notifications.services import notification_queue

from .workflow import Notify, Transition

SMS_LIMIT = 300

APPLICANT_TEXT = {
    "accept": "Hồ sơ trực tuyến của ông/bà đã được tiếp nhận, mã hồ sơ {code}. Hẹn trả kết quả: {due}.",
    "request_intake_supplement": "Hồ sơ nộp trực tuyến cần bổ sung, hoàn thiện (một lần, đầy đủ): {note}",
    "refuse_intake": "Hồ sơ nộp trực tuyến không được tiếp nhận. Lý do: {note}",
    "request_supplement": "Hồ sơ {code} cần bổ sung, hoàn thiện: {note}",
    "request_payment": "Hồ sơ {code}: mời ông/bà thực hiện nghĩa vụ tài chính (nộp phí, lệ phí). {note}",
    "approve": "Hồ sơ {code} đã có kết quả. Mời ông/bà nhận kết quả theo hình thức đã đăng ký.",
    "reschedule": "Xin lỗi ông/bà: hồ sơ {code} sẽ trả kết quả vào {due}. Lý do: {note}",
    "refuse": "Hồ sơ {code} bị từ chối giải quyết. Lý do: {note}",
    "stop": "Hồ sơ {code} đã dừng xử lý. Lý do: {note}",
    "return_result": "Hồ sơ {code} đã trả kết quả. Cảm ơn ông/bà đã sử dụng dịch vụ.",
}
STAFF_TEXT = "Hồ sơ {code}: {label}{note_part}. Hạn trả kết quả: {due}."


def _due_text(dossier) -> str:
    if dossier.due_at is None:
        return "đang tạm dừng"
    return f"{timezone.localtime(dossier.due_at):%H:%M ngày %d/%m/%Y}"


def _fields(transition: Transition, dossier, note: str) -> dict:
    return {
        "code": dossier.code or f"#{dossier.pk}",
        "label": transition.label.lower(),
        "note": (note or "").strip(),
        "note_part": f" ({note.strip()})" if (note or "").strip() else "",
        "due": _due_text(dossier),
    }


def applicant_notify(dossier, text: str) -> None:
    """SMS to the applicant's phone and e-mail to their address, whichever they gave."""
    applicant = dossier.applicant
    reference = dossier.code or ""
    if applicant.phone:
        notification_queue(
            channel=Channel.SMS, to=applicant.phone, body=text[:SMS_LIMIT], reference=reference
        )
    if applicant.email:
        notification_queue(
            channel=Channel.EMAIL,
            to=applicant.email,
            subject=f"Hồ sơ {dossier.code or ''}".strip(),
            body=text,
            reference=reference,
        )


def _staff_for(kind: Notify, dossier) -> list[User]:
    if kind == Notify.ASSIGNEE:
        people = [dossier.assignee] if dossier.assignee else []
        step = dossier.current_step
        if step and step.assignee and step.assignee not in people:
            people.append(step.assignee)
        return people
    if kind == Notify.DIVISION_HEAD:
        step = dossier.current_step
        unit_id = (step.unit_id if step and step.unit_id else None) or getattr(
            dossier.assignee, "unit_id", None
        )
        return (
            list(User.objects.filter(is_active=True, role=Role.DIVISION_HEAD, unit_id=unit_id))
            if unit_id
            else []
        )
    if kind == Notify.DESK:
        return list(
            User.objects.filter(
                is_active=True, role=Role.DESK_OFFICER, unit_id=dossier.receiving_unit_id
            )
        )
    return []


def transition_notify(transition: Transition, dossier, note: str) -> None:
    """Tell everyone the table names for this action (queued; sent when the action commits)."""
    fields = _fields(transition, dossier, note)
    for kind in transition.notify:
        if kind == Notify.APPLICANT:
            template = APPLICANT_TEXT.get(transition.action, "Hồ sơ {code}: {label}.")
            applicant_notify(dossier, template.format(**fields))
            continue
        for person in _staff_for(kind, dossier):
            if person.email:
                notification_queue(
                    channel=Channel.EMAIL,
                    to=person.email,
                    subject=f"Một Cửa — hồ sơ {fields['code']}",
                    body=STAFF_TEXT.format(**fields),
                    reference=dossier.code or "",
                )
