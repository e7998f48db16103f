"""Every write to a feedback item (PAKN). Each service runs in one transaction, locks the row,
checks the workflow table (`workflow.py`) and the acting role, changes state, and appends a history
event. Deadlines are counted in working days with the working calendar (motcua.calendars):
refuse ≤ 2, ask for more ≤ 5, settle ≤ 15 from receipt (from the supplement's arrival after a
request for more), publish ≤ 2 after the answer (QĐ 766 §5.2; Decree 20/2008).
"""

import os
import re
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction

from motcua.accounts.models import User
from motcua.accounts.permissions import is_staff_member, require
from motcua.calendars.selectors import working_calendar_for
from motcua.core.clock import now
from motcua.core.text import fold
from motcua.core.workingtime import HOURS_PER_WORKING_DAY
from motcua.documents.models import FileKind
from motcua.documents.services import Prepared, file_prepared, prepared_store

from .models import (
    Channel,
    Classification,
    Feedback,
    FeedbackAttachment,
    FeedbackEvent,
    ReceiptSequence,
)
from .sender_messages import sender_notify
from .workflow import (
    PUBLISH_DAYS,
    REFUSE_DAYS,
    SETTLE_DAYS,
    SUPPLEMENT_DAYS,
    Status,
    allowed_actions,
    transition_for,
)

MAX_ATTACHMENTS = 3
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024  # a phone photo, or a scanned PDF of a few pages
ATTACHMENT_KINDS = (FileKind.JPEG, FileKind.PNG, FileKind.PDF)
MSG_TOO_MANY_FILES = f"Chỉ được gửi kèm tối đa {MAX_ATTACHMENTS} tệp."
MSG_FILE_TOO_LARGE = f"Tệp quá lớn; mỗi tệp không quá {MAX_ATTACHMENT_BYTES // (1024 * 1024)} MB."
STAFF_CHANNELS = frozenset({Channel.DESK, Channel.HOTLINE, Channel.EMAIL})
DOSSIER_CODE_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9.\-]{0,63}$")
PHONE_RE = re.compile(r"^(\+84|0)\d{9,10}$")
CONTENT_MIN, CONTENT_MAX = 20, 5000
MSG_STALE = (
    "Phản ánh {code} đang ở trạng thái “{status}”, không thể “{action}”. "
    "Có thể thao tác đã được thực hiện (bấm hai lần?) — vui lòng tải lại trang."
)


def working_days_due(start: datetime, days: int) -> datetime:
    """`days` working days after `start`, counted with the department's working calendar."""
    return working_calendar_for(None).due(start, days * HOURS_PER_WORKING_DAY)


@dataclass
class FeedbackData:
    channel: str
    sender_name: str
    sender_contact: str
    title: str
    content: str
    token: str
    dossier_code: str = ""
    # Photos (JPEG, PNG) or PDFs the sender sends with the item: uploaded files or bytes.
    attachments: Sequence = ()


def feedback_errors(data: FeedbackData) -> dict:
    """Field → Vietnamese message for everything wrong with a new feedback item."""
    errors = {}
    if data.channel not in Channel.values:
        errors["channel"] = "Kênh tiếp nhận không hợp lệ."
    name = " ".join(data.sender_name.split())
    if not name:
        errors["sender_name"] = "Hãy nhập họ và tên người gửi."
    elif len(name) > 150:
        errors["sender_name"] = "Họ và tên không quá 150 ký tự."
    if not _contact_valid(data.sender_contact):
        errors["sender_contact"] = (
            "Hãy nhập số điện thoại (ví dụ 0912345678) hoặc địa chỉ thư điện tử để nhận trả lời."
        )
    title = " ".join(data.title.split())
    if not title:
        errors["title"] = "Hãy nhập tiêu đề phản ánh, kiến nghị."
    elif len(title) > 200:
        errors["title"] = "Tiêu đề không quá 200 ký tự."
    content = data.content.strip()
    if len(content) < CONTENT_MIN:
        errors["content"] = f"Nội dung quá ngắn: hãy trình bày ít nhất {CONTENT_MIN} ký tự."
    elif len(content) > CONTENT_MAX:
        errors["content"] = f"Nội dung không quá {CONTENT_MAX} ký tự."
    code = data.dossier_code.strip()
    if code and not DOSSIER_CODE_RE.match(code):
        errors["dossier_code"] = "Mã hồ sơ chỉ gồm chữ, số, dấu chấm và gạch ngang."
    if not data.token or len(data.token) > 64:
        errors["token"] = "Biểu mẫu đã hết hạn, vui lòng tải lại trang và gửi lại."
    if len(data.attachments) > MAX_ATTACHMENTS:
        errors["attachments"] = MSG_TOO_MANY_FILES
    return errors


def _contact_valid(contact: str) -> bool:
    value = "".join(contact.split())
    if not value or len(value) > 150:
        return False
    if "@" in value:
        try:
            validate_email(value)
        except ValidationError:
            return False
        return True
    return bool(PHONE_RE.match(value.replace(".", "").replace("-", "")))


@transaction.atomic
def feedback_receive(actor, data: FeedbackData, *, received_at: datetime | None = None) -> Feedback:
    """Register a feedback item and give it a receipt number (Decree 20/2008 art. 10: receive,
    register, classify). The portal sends `actor=None`; the desk, hotline and e-mail channels are
    entered by staff. The same form token twice returns the first item: a replayed form or a double
    click never registers a second one."""
    if data.channel in STAFF_CHANNELS:
        require(
            is_staff_member(actor),
            "Chỉ cán bộ mới được tiếp nhận phản ánh tại quầy, qua điện thoại, thư.",
        )
    existing = Feedback.objects.filter(submission_token=data.token).first() if data.token else None
    if existing is not None:
        return existing
    errors = feedback_errors(data)
    with ExitStack() as files:  # the checked files' temporary copies, removed on leaving
        checked = []
        if "attachments" not in errors:
            try:
                checked = _attachments_checked(data.attachments, files)
            except ValidationError as exc:
                errors["attachments"] = exc.messages[0]
        if errors:
            raise ValidationError(errors)
        return _feedback_create(actor, data, checked, received_at)


def _feedback_create(actor, data: FeedbackData, checked, received_at: datetime | None) -> Feedback:
    at = received_at or now()
    staff_actor = actor if is_staff_member(actor) else None
    title = " ".join(data.title.split())
    content = data.content.strip()
    item = Feedback.objects.create(
        code=_receipt_number(at),
        channel=data.channel,
        sender_name=" ".join(data.sender_name.split()),
        sender_contact="".join(data.sender_contact.split()),
        dossier_code=data.dossier_code.strip(),
        title=title,
        content=content,
        status=Status.RECEIVED,
        received_by=staff_actor,
        submission_token=data.token,
        received_at=at,
        refuse_due=working_days_due(at, REFUSE_DAYS),
        supplement_due=working_days_due(at, SUPPLEMENT_DAYS),
        settle_due=working_days_due(at, SETTLE_DAYS),
        search_text=fold(f"{title} {content}"),
    )
    _event(item, staff_actor, "receive", "", Status.RECEIVED, at)
    _attachments_store(item, checked)
    return item


def _attachments_checked(uploads, files: ExitStack) -> list[tuple[str, Prepared]]:
    """Every attachment copied to a temporary file (size-bounded, streamed) and checked by its
    content BEFORE anything is stored: one bad file refuses the whole item, and no file of it is
    kept. Returns (name, prepared file) pairs, valid while `files` is open."""
    checked = []
    for number, upload in enumerate(uploads, start=1):
        name = _attachment_name(upload, number)
        try:
            prepared = files.enter_context(
                file_prepared(upload, kinds=ATTACHMENT_KINDS, max_bytes=MAX_ATTACHMENT_BYTES)
            )
        except ValidationError as exc:
            message = MSG_FILE_TOO_LARGE if exc.code == "file_too_large" else exc.messages[0]
            raise ValidationError(f"{name}: {message}") from None
        checked.append((name, prepared))
    return checked


def _attachment_name(upload, number: int) -> str:
    name = os.path.basename(getattr(upload, "name", "") or "").strip()
    return (name or f"Tệp {number}")[:255]


def _attachments_store(item: Feedback, checked) -> None:
    """Store the checked files through motcua.documents (once by SHA-256, images re-encoded
    without EXIF, PDFs stripped of active content) and link them to the item in order."""
    for position, (name, prepared) in enumerate(checked, start=1):
        try:
            stored = prepared_store(prepared)
        except ValidationError as exc:  # e.g. the virus scanner refused it
            raise ValidationError({"attachments": f"{name}: {exc.messages[0]}"}) from None
        FeedbackAttachment.objects.create(
            feedback=item, stored_file=stored, position=position, name=name
        )


def _receipt_number(at: datetime) -> str:
    """PAKN-YYYY-NNNN, sequential per year; the locked counter row keeps it gapless and unique
    with several app servers."""
    year = at.year
    ReceiptSequence.objects.bulk_create(
        [ReceiptSequence(year=year, last_value=0)], ignore_conflicts=True
    )
    sequence = ReceiptSequence.objects.select_for_update().get(year=year)
    sequence.last_value += 1
    sequence.save(update_fields=["last_value"])
    return f"PAKN-{year}-{sequence.last_value:04d}"


def _event(item, actor, action, from_status, to_status, at, note="") -> None:
    FeedbackEvent.objects.create(
        feedback=item,
        at=at,
        actor=actor,
        action=action,
        from_status=str(from_status),
        to_status=str(to_status),
        note=note,
    )


def _locked_for_action(actor, feedback_id: int, action: str) -> Feedback:
    """The item locked for update, after checking that `actor` may take `action` on it now."""
    require(is_staff_member(actor), "Trang này chỉ dành cho cán bộ, công chức.")
    item = Feedback.objects.select_for_update().filter(pk=feedback_id).first()
    if item is None:
        raise ValidationError("Không tìm thấy phản ánh, kiến nghị này.")
    transition = transition_for(action)
    if item.status not in transition.sources:
        raise ValidationError(
            MSG_STALE.format(
                code=item.code, status=Status(item.status).label, action=transition.label
            )
        )
    if transition not in allowed_actions(item.status, actor, item.assignee_id):
        raise PermissionDenied(f"Bạn không có quyền “{transition.label}” phản ánh này.")
    return item


def _text_required(value: str, field: str, message: str, limit: int = CONTENT_MAX) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError({field: message})
    if len(text) > limit:
        raise ValidationError({field: f"Nội dung không quá {limit} ký tự."})
    return text


def _move(item, actor, action, target, at, note="", fields=()) -> Feedback:
    source = item.status
    item.status = target
    item.save(update_fields=["status", *fields])
    _event(item, actor, action, source, target, at, note)
    return item


@transaction.atomic
def feedback_refuse(actor, feedback_id: int, *, reason: str) -> Feedback:
    """Refuse to take the item up (out of scope, anonymous, repeated…), with the reason given to
    the sender; due within 2 working days of receipt."""
    reason = _text_required(reason, "reason", "Hãy nêu lý do từ chối tiếp nhận.")
    item = _locked_for_action(actor, feedback_id, "refuse")
    at = now()
    item.note, item.settle_due, item.closed_at = reason, None, at
    _move(item, actor, "refuse", Status.REFUSED, at, reason, ("note", "settle_due", "closed_at"))
    sender_notify(item, "refuse")
    return item


@transaction.atomic
def feedback_request_supplement(actor, feedback_id: int, *, request_text: str) -> Feedback:
    """Ask the sender for what is missing, once and fully (due within 5 working days of receipt).
    The settle clock stops until the supplement arrives."""
    request_text = _text_required(request_text, "request_text", "Hãy nêu thông tin cần bổ sung.")
    item = _locked_for_action(actor, feedback_id, "request_supplement")
    if item.events.filter(action="request_supplement").exists():
        raise ValidationError(
            "Chỉ yêu cầu bổ sung một lần, đầy đủ; phản ánh này đã được yêu cầu bổ sung."
        )
    item.note, item.settle_due = request_text, None
    _move(
        item,
        actor,
        "request_supplement",
        Status.SUPPLEMENT,
        now(),
        request_text,
        ("note", "settle_due"),
    )
    sender_notify(item, "request_supplement")
    return item


@transaction.atomic
def feedback_supplement_received(actor, feedback_id: int, *, note: str) -> Feedback:
    """The sender's supplement arrived: the 15 working days count again from now."""
    note = _text_required(note, "note", "Hãy ghi nội dung đã bổ sung.")
    item = _locked_for_action(actor, feedback_id, "supplement_received")
    at = now()
    item.settle_due = working_days_due(at, SETTLE_DAYS)
    item.content = f"{item.content}\n\nBổ sung ({at:%d/%m/%Y}): {note}"
    item.search_text = fold(f"{item.title} {item.content}")
    return _move(
        item,
        actor,
        "supplement_received",
        Status.PROCESSING,
        at,
        note,
        ("settle_due", "content", "search_text"),
    )


@transaction.atomic
def feedback_assign(actor, feedback_id: int, *, classification: str, assignee_id: int) -> Feedback:
    """Classify (administrative regulation or behaviour) and give the item to an officer."""
    errors = {}
    if classification not in Classification.values:
        errors["classification"] = "Hãy phân loại: về quy định hành chính hay hành vi hành chính."
    assignee = User.objects.filter(pk=assignee_id).first() if assignee_id else None
    if assignee is None or not is_staff_member(assignee):
        errors["assignee"] = "Hãy chọn cán bộ xử lý đang hoạt động."
    if errors:
        raise ValidationError(errors)
    item = _locked_for_action(actor, feedback_id, "assign")
    item.classification, item.assignee, item.unit_id = classification, assignee, assignee.unit_id
    note = f"{Classification(classification).label}; giao {assignee}"
    return _move(
        item,
        actor,
        "assign",
        Status.PROCESSING,
        now(),
        note,
        ("classification", "assignee", "unit"),
    )


@transaction.atomic
def feedback_answer(actor, feedback_id: int, *, answer: str) -> Feedback:
    """Record the answer (settle ≤ 15 working days); publication is due within 2 working days."""
    answer = _text_required(answer, "answer", "Hãy nhập nội dung trả lời.")
    item = _locked_for_action(actor, feedback_id, "answer")
    at = now()
    item.answer, item.answered_at = answer, at
    item.publish_due = working_days_due(at, PUBLISH_DAYS)
    item.public_question = item.public_question or item.content
    item.search_text = fold(f"{item.title} {item.content} {answer}")
    _move(
        item,
        actor,
        "answer",
        Status.ANSWERED,
        at,
        "",
        ("answer", "answered_at", "publish_due", "public_question", "search_text"),
    )
    sender_notify(item, "answer")
    return item


@transaction.atomic
def feedback_publish(actor, feedback_id: int, *, public_question: str) -> Feedback:
    """Publish the question (personal details taken out by the publisher) and the answer on the
    public Hỏi – Đáp page."""
    question = _text_required(
        public_question,
        "public_question",
        "Hãy nhập câu hỏi sẽ công khai (đã bỏ thông tin cá nhân).",
    )
    item = _locked_for_action(actor, feedback_id, "publish")
    at = now()
    item.public_question, item.published_at, item.closed_at = question, at, at
    item.search_text = fold(f"{item.title} {question} {item.answer}")
    _move(
        item,
        actor,
        "publish",
        Status.PUBLISHED,
        at,
        "",
        ("public_question", "published_at", "closed_at", "search_text"),
    )
    sender_notify(item, "publish")
    return item


@transaction.atomic
def feedback_close(actor, feedback_id: int, *, reason: str) -> Feedback:
    """End an answered item without publishing it (e.g. a behaviour complaint about one person)."""
    reason = _text_required(reason, "reason", "Hãy nêu lý do không công khai.")
    item = _locked_for_action(actor, feedback_id, "close")
    at = now()
    item.closed_at = at
    return _move(item, actor, "close", Status.CLOSED, at, reason, ("closed_at",))


ACTIONS = {
    "refuse": (feedback_refuse, "reason"),
    "request_supplement": (feedback_request_supplement, "request_text"),
    "supplement_received": (feedback_supplement_received, "note"),
    "answer": (feedback_answer, "answer"),
    "publish": (feedback_publish, "public_question"),
    "close": (feedback_close, "reason"),
}
