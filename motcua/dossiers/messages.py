"""What each workflow action tells people. The workflow table (workflow.py) says WHO is told
(`Transition.notify`); this module says WHAT they are told, and sends it on commit."""

from django.utils import timezone

from motcua.accounts.models import User
from motcua.accounts.roles import Role
from motcua.notifications.models import Channel
from motcua.notifications.services import notification_queue
from motcua.notifications.sms import sms_text

from .workflow import Notify, Transition

# One SMS segment in GSM-7; a message whose request note does not fit goes to two (153 each).
SMS_LIMIT = 160
SMS_LIMIT_LONG = 306
SHORT_NAME_LENGTH = 32

APPLICANT_TEXT = {
    "accept": "Hồ sơ trực tuyến đã được tiếp nhận, mã {code}. Hẹn trả: {due}.",
    "request_intake_supplement": "Hồ sơ nộp trực tuyến cần bổ sung, hoàn thiện (một lần, đầy đủ): {note}",
    "refuse_intake": "Hồ sơ nộp trực tuyến không được tiếp nhận. Lý do: {note}",
    "request_supplement": "Hồ sơ {code} cần bổ sung, hoàn thiện: {note}",
    "request_payment": "Hồ sơ {code}: mời ông/bà thực hiện nghĩa vụ tài chính (nộp phí, lệ phí). {note}",
    "approve": "Hồ sơ {code} đã có kết quả. Mời ông/bà nhận theo hình thức đã đăng ký.",
    "reschedule": "Xin lỗi ông/bà: hồ sơ {code} sẽ trả kết quả vào {due}. Lý do: {note}",
    "refuse": "Hồ sơ {code} bị từ chối giải quyết. Lý do: {note}",
    "stop": "Hồ sơ {code} đã dừng xử lý. Lý do: {note}",
    "return_result": "Hồ sơ {code} đã trả kết quả. Cảm ơn ông/bà đã sử dụng dịch vụ.",
}
# A supplement request names what to bring (once, completely): the SMS the papers in short (the
# tracking link shows the whole list), the e-mail the whole list, one line each.
SUPPLEMENT_TEXT = {
    "request_intake_supplement": "Hồ sơ trực tuyến cần bổ sung (một lần, đầy đủ)",
    "request_supplement": "Hồ sơ {code} cần bổ sung (một lần, đầy đủ)",
}
SUPPLEMENT_SMS_ITEMS = 120  # characters of the list in an SMS; the link gives the rest


def supplement_texts(action: str, dossier, fields: dict) -> tuple[str, str]:
    """(SMS text, e-mail text) of a supplement request, from its stored list."""
    head = SUPPLEMENT_TEXT[action].format(**fields)
    request = dossier.supplement_lists.order_by("-requested_at", "-pk").first()
    lines = request.lines() if request else [fields["note"]]
    short = "; ".join(lines)
    if len(short) > SUPPLEMENT_SMS_ITEMS:
        short = short[: SUPPLEMENT_SMS_ITEMS - 1].rstrip() + "…"
    email = head + ":\n" + "\n".join(f"- {line}" for line in lines)
    return f"{head}: {short}", email


STAFF_TEXT = "Hồ sơ {code}: {label}{note_part}. Hạn trả kết quả: {due}."


def _due_text(dossier) -> str:
    if dossier.due_at is None:
        return "đang tạm dừng"
    return f"{timezone.localtime(dossier.due_at):%H:%M %d/%m/%Y}"


def procedure_short_name(name: str) -> str:
    """A procedure's name short enough for an SMS: whole words up to SHORT_NAME_LENGTH characters."""
    name = " ".join((name or "").split())
    if len(name) <= SHORT_NAME_LENGTH:
        return name
    cut = name[: SHORT_NAME_LENGTH + 1].rsplit(" ", 1)[0]
    return cut.rstrip(",;:-") + "..."


def _sms_body(text: str, link: str) -> str:
    """The text and the link in one segment when they fit, else the text shortened (whole words)
    to fit two segments: the link always stays whole."""
    text, link = sms_text(text), " " + sms_text(link)
    if len(text) + len(link) <= SMS_LIMIT:
        return text + link
    room = SMS_LIMIT_LONG - len(link)
    if len(text) > room:
        text = text[: room - 3].rsplit(" ", 1)[0] + "..."
    return text + link


def _fields(transition: Transition, dossier, note: str) -> dict:
    return {
        "code": dossier.code or f"#{dossier.pk}",
        "label": transition.label.lower(),
        "note": (note or "").strip(),
        "note_part": f" ({note.strip()})" if (note or "").strip() else "",
        "due": _due_text(dossier),
    }


def applicant_notify(dossier, text: str, *, email_text: str = "") -> None:
    """One message per status change, in plain Vietnamese with the tracking link, through the
    channel the applicant chose (SMS or e-mail; without a choice: SMS when they gave a phone, else
    e-mail), to the contact given for THIS dossier — never the person record's, which another
    submission with the same ID number must not reach (ADR 0020). The event key (dossier,
    revision) makes a repeated call for the same change send nothing more."""
    from .online import tracking_url

    reference = dossier.code or ""
    phone, email = dossier.contact_phone, dossier.contact_email
    channel = dossier.notify_channel or (Channel.SMS if phone else Channel.EMAIL)
    to = phone if channel == Channel.SMS else email
    if not to:
        return
    link = f" {tracking_url(dossier, short=channel == Channel.SMS)}"
    event_key = f"dossier-{dossier.pk}-r{dossier.revision}"
    if channel == Channel.SMS:
        body = _sms_body(text, link)
        notification_queue(
            channel=Channel.SMS, to=to, body=body, reference=reference, event_key=event_key
        )
        return
    notification_queue(
        channel=Channel.EMAIL,
        to=to,
        subject=f"Hồ sơ {dossier.code or ''}".strip(),
        body=(email_text or text) + "\n\nTra cứu: " + link.strip(),
        reference=reference,
        event_key=event_key,
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


# The applicant also hears of every change of the national status the table does not tell them
# about itself (the portal promises a message at each status change, one per change).
STATUS_CHANGE_TEXT = {
    "assign": "Hồ sơ {code} đang được xử lý. Hẹn trả kết quả: {due}.",
    "supplement_received": "Hồ sơ {code} đã nhận hồ sơ bổ sung và tiếp tục được xử lý. Hẹn trả kết quả: {due}.",
    "payment_received": "Hồ sơ {code}: đã ghi nhận việc nộp phí, lệ phí; hồ sơ tiếp tục được xử lý.",
    "resubmit": "Hồ sơ trực tuyến đã được bổ sung, chờ Bộ phận Một cửa kiểm tra và tiếp nhận.",
    "withdraw": "Hồ sơ {code} đã được rút theo yêu cầu của ông/bà.",
}


def _national_status_changed(from_status: str, to_status: str) -> bool:
    from .workflow import national_status

    try:
        return national_status(from_status) != national_status(to_status)
    except ValueError:
        return False


def transition_notify(transition: Transition, dossier, note: str, *, from_status: str = "") -> None:
    """Tell everyone the table names for this action (queued; sent when the action commits), and
    the applicant of any change of the national status the table does not tell them about."""
    fields = _fields(transition, dossier, note)
    if (
        Notify.APPLICANT not in transition.notify
        and from_status
        and _national_status_changed(from_status, dossier.status)
    ):
        from .workflow import national_status_label

        label = national_status_label(dossier.status)
        template = STATUS_CHANGE_TEXT.get(transition.action, f"Hồ sơ {{code}}: {label}.")
        applicant_notify(dossier, template.format(**fields))
    for kind in transition.notify:
        if kind == Notify.APPLICANT and transition.action in SUPPLEMENT_TEXT:
            sms, email = supplement_texts(transition.action, dossier, fields)
            applicant_notify(dossier, sms, email_text=email)
            continue
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
