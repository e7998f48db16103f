"""Writes of the document exchange: register an outgoing document, send it, receive packages into
the incoming register or onto a sent document's deliveries, assign an incoming document.

Every service takes the acting user first (None: the server's operator on the command line), checks
everything before writing, writes in one transaction, and records each package sent or received
(ExchangeMessage) whether it went through or not. Legal basis: Decree 30/2020/NĐ-CP Điều 15–16
(numbering and registers), QCVN 102:2016/BTTTT (the package), reference national-integrations §13.
"""

from __future__ import annotations

import hashlib
import logging
import re
import uuid
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from motcua.accounts.permissions import is_staff_member
from motcua.core.clock import now
from motcua.core.text import format_number
from motcua.documents.signing import pdf_signed
from motcua.org.models import UNIT_CODE_PATTERN, Unit

from . import edxml
from .files import exchange_file_bytes, exchange_file_put
from .models import (
    Delivery,
    DeliveryStatus,
    Direction,
    ExchangeMessage,
    IncomingDocument,
    IncomingFile,
    MessageOutcome,
    OutgoingDocument,
    OutgoingFile,
    OutgoingState,
    RegisterCounter,
    RegisterKind,
)
from .selectors import assignable_officers
from .transports import Received, Transport, TransportError

logger = logging.getLogger(__name__)

MSG_NOT_STAFF = "Chỉ cán bộ, công chức của đơn vị được vào sổ và gửi văn bản."
MSG_NO_UNIT = "Tài khoản chưa thuộc đơn vị nào: không có sổ văn bản để ghi."
MSG_ALREADY_SENT = "Văn bản {number} đã được gửi lúc {at:%H:%M ngày %d/%m/%Y}."
MSG_NO_RECIPIENT = "Hãy ghi ít nhất một nơi nhận (mã định danh cơ quan theo QCVN 102:2016)."
MSG_BAD_ORGAN = "Mã định danh “{code}” không đúng dạng QCVN 102:2016 (ví dụ 000.00.12.H27)."
MSG_FILE_TOO_BIG = "Tệp “{name}” {size} byte vượt giới hạn {limit} byte một tệp."
MSG_NUMBER_PASSED = "Sổ văn bản đi năm {year} đã cấp đến số {last}: không vào sổ được số này."
MSG_NOT_ASSIGNABLE = "Người được chọn không phải cán bộ đang làm việc tại đơn vị nhận văn bản."

RECALL = "13"
# What the receiving unit may report to the sender from its register (01 goes by itself on arrival;
# 13 is the sender's own request).
REPLY_CODES = ("02", "03", "04", "05", "06", "15", "16")
MSG_BAD_REPLY = "Trạng thái “{code}” không báo được cho nơi gửi (chỉ 02–06, 15, 16)."
MSG_NOT_SENT = "Văn bản {number} chưa được gửi: không có gì để lấy lại."
MSG_RECALLED = "Đã đề nghị lấy lại văn bản {number} lúc {at:%H:%M ngày %d/%m/%Y}."

SYMBOL_PATTERN = re.compile(r"^[0-9A-Za-zĐđ]+(-[0-9A-Za-zĐđ]+)*$")


@dataclass(frozen=True)
class FileIn:
    name: str
    content_type: str
    data: bytes
    description: str = ""
    content_id: str = ""  # the package's ContentId; a fresh one when empty


def _staff_unit(actor) -> Unit:
    if not is_staff_member(actor):
        raise PermissionDenied(MSG_NOT_STAFF)
    if not actor.unit_id:
        raise PermissionDenied(MSG_NO_UNIT)
    return actor.unit


def _next_number(unit_id: int, kind: str, year: int, *, carried: int | None = None) -> int:
    """The next number of a register, under a row lock (correct with many app servers); or
    `carried`, the number a document already has in a register kept elsewhere before (carried
    over in number order), which the series then continues from."""
    RegisterCounter.objects.get_or_create(unit_id=unit_id, kind=kind, year=year)
    counter = RegisterCounter.objects.select_for_update().get(unit_id=unit_id, kind=kind, year=year)
    if carried is not None and carried <= counter.last_number:
        raise ValidationError(
            {"number": MSG_NUMBER_PASSED.format(last=counter.last_number, year=year)}
        )
    counter.last_number = carried if carried is not None else counter.last_number + 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def _file_fields(f: FileIn, content_id: str) -> dict:
    """A file's row, its content written to the file store first (files.exchange_file_put)."""
    content_type = (f.content_type or "application/octet-stream")[:128]
    storage_name, sha256 = exchange_file_put(f.data, content_type)
    return {
        "name": f.name[:255],
        "content_type": content_type,
        "description": f.description[:255],
        "content_id": content_id[:255],
        "storage_name": storage_name,
        "size": len(f.data),
        "sha256": sha256,
        "signed": pdf_signed(f.data) if _is_pdf(f, content_type) else False,
    }


def _is_pdf(f: FileIn, content_type: str) -> bool:
    return content_type == "application/pdf" or f.name.lower().endswith(".pdf")


def _record(direction, kind, transport, outcome, *, message="", message_id="", organs=(), size=0):
    ExchangeMessage.objects.create(
        direction=direction,
        kind=kind,
        transport=transport,
        message_id=message_id[:255],
        organ_ids=",".join(organs)[:500],
        outcome=outcome,
        message=message[:500],
        size=size,
        at=now(),
    )


# --- Outgoing ------------------------------------------------------------------------------------


def _clean_recipients(recipients: list[tuple[str, str]]) -> list[tuple[str, str]]:
    cleaned: dict[str, str] = {}
    for code, name in recipients:
        code = (code or "").strip()
        if not re.fullmatch(UNIT_CODE_PATTERN, code):
            raise ValidationError({"recipients": MSG_BAD_ORGAN.format(code=code)})
        cleaned.setdefault(code, (name or "").strip()[:255])
    if not cleaned:
        raise ValidationError({"recipients": MSG_NO_RECIPIENT})
    return list(cleaned.items())


def outgoing_register(
    actor,
    *,
    symbol: str,
    document_type: str,
    type_name: str,
    subject: str,
    place: str,
    issued_on: date,
    signer_name: str,
    recipients: list[tuple[str, str]],
    signer_position: str = "",
    signer_competence: str = "",
    steering_type: str = "0",
    due_date: date | None = None,
    content: str = "",
    response_for: list[dict] | None = None,
    files: list[FileIn] | None = None,
    unit: Unit | None = None,
    number: int | None = None,
) -> OutgoingDocument:
    """Enter a document in the unit's outgoing register: it takes the next number of the year's
    series (Decree 30/2020 Điều 15: from 01 on 1 January; unique with its symbol in the year).
    With no actor, the system registers it in `unit`'s register (a liên thông answer, ADR 0042).
    `number`: a document carried over from a register kept before, with the number it has there
    (in number order: one at or below the register's last number is refused)."""
    unit = unit if actor is None and unit is not None else _staff_unit(actor)
    errors: dict[str, str] = {}
    symbol = (symbol or "").strip()
    if len(symbol) > 64 or not SYMBOL_PATTERN.fullmatch(symbol):
        errors["symbol"] = "Ký hiệu chỉ gồm chữ, chữ số và dấu gạch nối (ví dụ BC-STP, TTr-STP)."
    for name, value in (
        ("subject", subject),
        ("place", place),
        ("signer_name", signer_name),
        ("document_type", document_type),
    ):
        if not (value or "").strip():
            errors[name] = "Trường này là bắt buộc."
    if steering_type not in {"0", "1", "2", "3", "4"}:
        errors["steering_type"] = "Loại chỉ đạo phải từ 0 đến 4."
    if due_date and issued_on and due_date < issued_on:
        errors["due_date"] = "Hạn trả lời không được trước ngày ban hành."
    limit = settings.MOTCUA_EXCHANGE_MAX_ATTACHMENT_BYTES
    for f in files or []:
        if len(f.data) > limit:
            errors["files"] = MSG_FILE_TOO_BIG.format(
                name=f.name, size=format_number(len(f.data)), limit=format_number(limit)
            )
        elif not f.data or not f.name.strip():
            errors["files"] = "Tệp đính kèm rỗng hoặc không có tên."
    try:
        cleaned = _clean_recipients(recipients)
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
    if errors:
        raise ValidationError(errors)
    at = now()
    with transaction.atomic():
        number = _next_number(unit.pk, RegisterKind.OUTGOING, issued_on.year, carried=number)
        document = OutgoingDocument.objects.create(
            unit=unit,
            year=issued_on.year,
            number=number,
            symbol=symbol,
            document_type=document_type.strip()[:8],
            type_name=type_name.strip()[:64],
            subject=subject.strip(),
            content=content.strip(),
            place=place.strip()[:128],
            issued_on=issued_on,
            signer_name=signer_name.strip()[:128],
            signer_position=signer_position.strip()[:128],
            signer_competence=signer_competence.strip()[:16],
            steering_type=steering_type,
            due_date=due_date,
            response_for=response_for or [],
            registered_at=at,
            registered_by=actor,
        )
        for code, name in cleaned:
            Delivery.objects.create(document=document, organ_id=code, organ_name=name)
        for f in files or []:
            OutgoingFile.objects.create(
                document=document, **_file_fields(f, f.content_id or uuid.uuid4().hex)
            )
    return document


def document_package(document: OutgoingDocument) -> edxml.DocumentPackage:
    """What an outgoing document is sent as (the header from the register, the files attached)."""
    unit = document.unit
    return edxml.DocumentPackage(
        sender=edxml.Organization(
            organ_id=unit.code,
            organ_name=unit.name,
            organization_in_charge=unit.parent.name if unit.parent else "",
        ),
        recipients=[
            edxml.Organization(organ_id=d.organ_id, organ_name=d.organ_name)
            for d in document.deliveries.all()
        ],
        document_id=document.edxml_document_id,
        code_number=f"{document.number:02d}",
        code_notation=document.symbol,
        place=document.place,
        promulgation_date=document.issued_on,
        type=document.document_type,
        type_name=document.type_name,
        subject=document.subject,
        content=document.content,
        signer_competence=document.signer_competence,
        signer_position=document.signer_position,
        signer_full_name=document.signer_name,
        due_date=document.due_date,
        steering_type=document.steering_type,
        response_for=[
            edxml.ResponseFor(
                organ_id=r.get("organ_id", ""),
                code=r.get("code", ""),
                promulgation_date=date.fromisoformat(r["promulgation_date"])
                if r.get("promulgation_date")
                else None,
                document_id=r.get("document_id", ""),
            )
            for r in document.response_for
        ],
        traces=[edxml.TraceHeader(organ_id=unit.code, timestamp=now().replace(tzinfo=None))],
        business=edxml.Business(
            doc_type="0",
            reason="Văn bản điện tử mới",
            paper="0",
            staff=edxml.StaffInfo(staff=document.signer_name),
        ),
        attachments=[
            edxml.Attachment(
                content_id=f.content_id,
                name=f.name,
                content_type=f.content_type,
                description=f.description,
                data=exchange_file_bytes(f),
            )
            for f in document.files.all()
        ],
    )


def outgoing_pack(document: OutgoingDocument) -> bytes:
    return edxml.pack_document(document_package(document))


def outgoing_send(actor, document_id: int, transport: Transport) -> OutgoingDocument:
    """Send a registered document to its recipients through `transport`. Nothing changes when the
    transport fails (the document stays "registered", the failure is recorded)."""
    from .selectors import outgoing_for_officer

    outgoing_for_officer(actor, document_id)  # the door: 403 / 404 before anything else
    return outgoing_deliver(document_id, transport, sent_by=actor)


def outgoing_deliver(document_id: int, transport: Transport, *, sent_by=None) -> OutgoingDocument:
    """outgoing_send once access is settled (or for the system, sent_by None): the document is
    locked while it is sent, so two clicks send it once."""
    failed: TransportError | None = None
    with transaction.atomic():
        document = (
            OutgoingDocument.objects.select_for_update().select_related("unit").get(pk=document_id)
        )
        if document.state != OutgoingState.REGISTERED:
            raise ValidationError(
                MSG_ALREADY_SENT.format(number=document.number_symbol, at=document.sent_at)
            )
        organs = [d.organ_id for d in document.deliveries.all()]
        try:
            package_send(transport, outgoing_pack(document), organs, "document")
        except TransportError as exc:
            failed = exc  # recorded; the document stays "registered"
        else:
            document.state = OutgoingState.SENT
            document.sent_at = now()
            document.sent_by = sent_by
            document.save(update_fields=["state", "sent_at", "sent_by"])
    if failed is not None:
        raise failed
    return document


def package_send(transport: Transport, package: bytes, organs: list[str], kind: str) -> str:
    """Hand a package to the transport and record the attempt (ExchangeMessage) whatever comes of
    it; the transport's message id, or TransportError (recorded, then raised)."""
    try:
        message_id = transport.send(package, to=organs, kind=kind)
    except TransportError as exc:
        _record(
            Direction.OUT,
            kind,
            transport.name,
            MessageOutcome.TRANSPORT,
            message=str(exc),
            organs=organs,
        )
        raise
    _record(
        Direction.OUT,
        kind,
        transport.name,
        MessageOutcome.OK,
        message_id=message_id,
        organs=organs,
        size=len(package),
    )
    return message_id


# --- Incoming ------------------------------------------------------------------------------------


@dataclass
class ReceiveResult:
    kind: str  # "document" | "status" | "duplicate"
    incoming: list[IncomingDocument]
    status: DeliveryStatus | None = None


def package_receive(
    data: bytes, *, transport_name: str = "file", message_id: str = ""
) -> ReceiveResult:
    """Read a package and register it: a document into the incoming register of each of our units
    it is addressed to, a status onto the delivery of the sent document it answers. A package that
    cannot be read or matched raises edxml.PackageError and changes nothing but the record of it."""
    sha = hashlib.sha256(data).hexdigest()
    try:
        package = edxml.parse(
            data,
            max_package_bytes=settings.MOTCUA_EXCHANGE_MAX_PACKAGE_BYTES,
            max_attachment_bytes=settings.MOTCUA_EXCHANGE_MAX_ATTACHMENT_BYTES,
        )
        with transaction.atomic():
            if isinstance(package, edxml.StatusPackage):
                result = _status_register(package)
            else:
                result = _incoming_register(package, sha)
            # The answer of another agency to a dossier we sent over (ADR 0034 "Liên thông").
            from .lienthong import answer_received
            from .lienthong_in import intake_received

            answer_received(package, result)
            # A dossier another agency sends us to handle (ADR 0042).
            intake_received(package, result)
    except edxml.PackageError as exc:
        _record(
            Direction.IN,
            "",
            transport_name,
            MessageOutcome.REFUSED,
            message=str(exc),
            message_id=message_id,
            size=len(data),
        )
        raise
    outcome = MessageOutcome.DUPLICATE if result.kind == "duplicate" else MessageOutcome.OK
    organs = [package.sender.organ_id]
    _record(
        Direction.IN,
        "status" if result.kind == "status" else "document",
        transport_name,
        outcome,
        message_id=message_id,
        organs=organs,
        size=len(data),
    )
    return result


def _incoming_register(package: edxml.DocumentPackage, sha: str) -> ReceiveResult:
    codes = [r.organ_id for r in package.recipients]
    units = list(Unit.objects.filter(code__in=codes, is_active=True).order_by("code"))
    if not units:
        raise edxml.PackageError(
            "Văn bản không gửi cho đơn vị nào của hệ thống này (nơi nhận: "
            + ", ".join(codes)
            + ")."
        )
    at = now()
    header = edxml.package_as_json(package)
    registered = []
    duplicate = False
    for unit in units:
        same = Q(package_sha256=sha)
        if package.document_id and package.business.doc_type == "0":
            # A new document sent again (a resend after a failure) carries the same DocumentId.
            same |= Q(from_organ_id=package.sender.organ_id, document_id=package.document_id)
        if IncomingDocument.objects.filter(same, unit=unit).exists():
            duplicate = True
            continue
        number = _next_number(unit.pk, RegisterKind.INCOMING, at.year)
        incoming = IncomingDocument.objects.create(
            unit=unit,
            year=at.year,
            arrival_number=number,
            received_at=at,
            from_organ_id=package.sender.organ_id,
            from_organ_name=package.sender.organ_name[:255],
            code_number=package.code_number,
            code_notation=package.code_notation,
            document_id=package.document_id,
            document_type=package.type,
            type_name=package.type_name,
            subject=package.subject,
            place=package.place,
            issued_on=package.promulgation_date,
            signer_name=package.signer_full_name,
            steering_type=package.steering_type,
            due_date=package.due_date,
            header=header,
            package_sha256=sha,
        )
        for att in package.attachments:
            IncomingFile.objects.create(
                document=incoming,
                **_file_fields(
                    FileIn(att.name, att.content_type, att.data, att.description), att.content_id
                ),
            )
        registered.append(incoming)
    if not registered and duplicate:
        return ReceiveResult("duplicate", [])
    return ReceiveResult("document", registered)


def _status_register(package: edxml.StatusPackage) -> ReceiveResult:
    answer = package.response_for
    if package.status_code == RECALL and answer.organ_id == package.sender.organ_id:
        return _recall_register(package)
    documents = OutgoingDocument.objects.select_for_update().filter(unit__code=answer.organ_id)
    found = None
    for document in documents.select_related("unit"):
        if (answer.document_id and answer.document_id == document.edxml_document_id) or (
            answer.code
            and answer.code == document.number_symbol
            and (answer.promulgation_date in (None, document.issued_on))
        ):
            found = document
            break
    if found is None:
        raise edxml.PackageError(
            f"Không có văn bản đi “{answer.code or answer.document_id}” của cơ quan "
            f"{answer.organ_id} để ghi trạng thái."
        )
    delivery = found.deliveries.filter(organ_id=package.sender.organ_id).first()
    if delivery is None:
        raise edxml.PackageError(
            f"Cơ quan {package.sender.organ_id} không phải nơi nhận của văn bản {found.number_symbol}."
        )
    at = now()
    reported = _aware(package.timestamp)
    status = DeliveryStatus.objects.create(
        delivery=delivery,
        code=package.status_code,
        description=package.description,
        staff=package.staff.staff[:255],
        reported_at=reported,
        received_at=at,
    )
    # A status reported before the one shown (packages can overtake each other) goes to the history
    # only.
    if delivery.status_at is None or reported >= delivery.status_at:
        delivery.status_code = package.status_code
        delivery.status_description = package.description
        delivery.status_at = reported
        delivery.save(update_fields=["status_code", "status_description", "status_at"])
    return ReceiveResult("status", [], status)


def _recall_register(package: edxml.StatusPackage) -> ReceiveResult:
    """The sender of a document we received asks for it back (13): marked on our copies."""
    answer = package.response_for
    copies = IncomingDocument.objects.select_for_update().filter(from_organ_id=answer.organ_id)
    if answer.document_id:
        copies = copies.filter(document_id=answer.document_id)
    else:
        number, _, notation = answer.code.partition("/")
        copies = copies.filter(code_number=number, code_notation=notation)
    reported = _aware(package.timestamp)
    if not copies.update(sender_status_code=RECALL, sender_status_at=reported):
        raise edxml.PackageError(
            f"Không có văn bản đến “{answer.code or answer.document_id}” của cơ quan "
            f"{answer.organ_id} để ghi đề nghị lấy lại."
        )
    return ReceiveResult("status", list(copies))


def _aware(moment):
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


@dataclass
class ReceiveReport:
    documents: int = 0
    statuses: int = 0
    duplicates: int = 0
    refused: int = 0
    answers: int = 0
    results_sent: int = 0
    answers_failed: int = 0
    messages: list[str] | None = None

    def __str__(self) -> str:
        text = (
            f"Văn bản đến: {self.documents}; trạng thái: {self.statuses}; "
            f"trùng: {self.duplicates}; từ chối: {self.refused}."
        )
        if self.answers or self.results_sent or self.answers_failed:
            text += (
                f" Trả lời hồ sơ liên thông: {self.answers}; kết quả gửi bổ sung:"
                f" {self.results_sent}; chưa gửi được: {self.answers_failed}."
            )
        return text


def exchange_receive_configured() -> ReceiveReport:
    """Take what the configured transport (MOTCUA_EXCHANGE_TRANSPORT) holds for any of our active
    units: the command `motcua exchange receive` and the job `exchange-receive`. TransportError
    when none is configured."""
    from .lienthong_in import answers_sweep
    from .transports import configured_transport

    organs = list(Unit.objects.filter(is_active=True).values_list("code", flat=True))
    report = exchange_receive(configured_transport(organs))
    # The answers to agencies whose dossiers we handled and ended (ADR 0042).
    answers = answers_sweep()
    report.answers, report.answers_failed = answers.answered, answers.failed
    report.results_sent = answers.results_sent
    return report


def exchange_receive(transport: Transport) -> ReceiveReport:
    """Take every package waiting for us: register it, then tell the transport it is done (or
    failed: a package that cannot be read is set aside, never taken twice)."""
    report = ReceiveReport(messages=[])
    waiting: list[Received] = transport.receive()
    for item in waiting:
        try:
            result = package_receive(
                item.data, transport_name=transport.name, message_id=item.message_id
            )
        except edxml.PackageError as exc:
            report.refused += 1
            assert report.messages is not None
            report.messages.append(f"{item.message_id}: {exc}")
            transport.acknowledge(item.message_id, ok=False)
            continue
        transport.acknowledge(item.message_id, ok=True)
        if result.kind == "status":
            report.statuses += 1
        elif result.kind == "duplicate":
            report.duplicates += 1
        else:
            report.documents += 1
            for incoming in result.incoming:
                _status_send_quietly(incoming, "01", "Văn bản đã đến", transport)
                _intake_acknowledge(incoming, transport)
    return report


def _intake_acknowledge(incoming: IncomingDocument, transport: Transport) -> None:
    """A liên thông package that opened a dossier here: tell the sender (03, đã tiếp nhận) under
    which code (ADR 0042)."""
    from .models import IntakeOutcome, LienthongIntake

    intake = (
        LienthongIntake.objects.filter(incoming=incoming, outcome=IntakeOutcome.OPENED)
        .select_related("dossier")
        .first()
    )
    if intake is not None and intake.dossier is not None:
        description = f"Đã tiếp nhận hồ sơ liên thông, mã hồ sơ {intake.dossier.code}"
        _status_send_quietly(incoming, "03", description, transport)


def status_package_for(
    incoming: IncomingDocument, code: str, description: str, staff: str = ""
) -> edxml.StatusPackage:
    unit = incoming.unit
    return edxml.StatusPackage(
        sender=edxml.Organization(organ_id=unit.code, organ_name=unit.name),
        response_for=edxml.ResponseFor(
            organ_id=incoming.from_organ_id,
            code=f"{incoming.code_number}/{incoming.code_notation}",
            promulgation_date=incoming.issued_on,
            document_id=incoming.document_id,
        ),
        status_code=code,
        description=description,
        timestamp=now().replace(tzinfo=None),
        staff=edxml.StaffInfo(staff=staff),
    )


def incoming_status_send(
    incoming: IncomingDocument, code: str, description: str, transport: Transport, staff: str = ""
) -> None:
    """Tell the sender of an incoming document where it stands (01 arrived, 03 accepted, …)."""
    package = edxml.pack_status(status_package_for(incoming, code, description, staff))
    package_send(transport, package, [incoming.from_organ_id], "status")


def _status_send_quietly(incoming, code, description, transport) -> None:
    try:
        incoming_status_send(incoming, code, description, transport)
    except TransportError:
        logger.warning("status %s for incoming %s not sent", code, incoming.pk)
    else:
        IncomingDocument.objects.filter(pk=incoming.pk).update(reply_code=code)


def incoming_assign(
    actor, incoming_id: int, assignee_id: int, due_date: date | None = None
) -> IncomingDocument:
    """Give an incoming document to an officer of the receiving unit (with a deadline)."""
    from .selectors import incoming_for_officer

    incoming_for_officer(actor, incoming_id)
    with transaction.atomic():
        incoming = IncomingDocument.objects.select_for_update().get(pk=incoming_id)
        assignee = assignable_officers(incoming.unit_id).filter(pk=assignee_id).first()
        if assignee is None:
            raise ValidationError({"assignee": MSG_NOT_ASSIGNABLE})
        if due_date and due_date < incoming.received_at.date():
            raise ValidationError({"due_date": "Hạn xử lý không được trước ngày văn bản đến."})
        incoming.assignee = assignee
        incoming.assigned_at = now()
        incoming.assigned_by = actor
        if due_date:
            incoming.due_date = due_date
        incoming.save(update_fields=["assignee", "assigned_at", "assigned_by", "due_date"])
    return incoming


def incoming_reply(
    actor, incoming_id: int, code: str, description: str, transport: Transport
) -> IncomingDocument:
    """Report to the sender where its document stands here (QCVN 102:2016 status package):
    02 refused, 03 accepted, 04 assigned, 05 in progress, 06 completed; 15 / 16 agree or refuse to
    give it back after a 13. Nothing changes when the transport fails."""
    from .selectors import incoming_for_officer

    incoming = incoming_for_officer(actor, incoming_id)
    if code not in REPLY_CODES:
        raise ValidationError({"code": MSG_BAD_REPLY.format(code=code)})
    if code in ("15", "16") and incoming.sender_status_code != RECALL:
        raise ValidationError({"code": "Nơi gửi chưa đề nghị lấy lại văn bản này."})
    staff = getattr(actor, "full_name", "") or getattr(actor, "username", "")
    incoming_status_send(incoming, code, description.strip()[:2000], transport, staff)
    IncomingDocument.objects.filter(pk=incoming.pk).update(reply_code=code)
    incoming.reply_code = code
    return incoming


def outgoing_recall(actor, document_id: int, reason: str, transport: Transport) -> OutgoingDocument:
    """Ask every recipient to give a sent document back (status 13); they answer 15 or 16."""
    from .selectors import outgoing_for_officer

    document = outgoing_for_officer(actor, document_id)
    if document.state != OutgoingState.SENT:
        raise ValidationError(MSG_NOT_SENT.format(number=document.number_symbol))
    if document.recall_requested_at:
        raise ValidationError(
            MSG_RECALLED.format(number=document.number_symbol, at=document.recall_requested_at)
        )
    organs = [d.organ_id for d in document.deliveries.all()]
    unit = document.unit
    package = edxml.pack_status(
        edxml.StatusPackage(
            sender=edxml.Organization(organ_id=unit.code, organ_name=unit.name),
            response_for=edxml.ResponseFor(
                organ_id=unit.code,
                code=document.number_symbol,
                promulgation_date=document.issued_on,
                document_id=document.edxml_document_id,
            ),
            status_code=RECALL,
            description=(reason or "").strip()[:2000],
            timestamp=now().replace(tzinfo=None),
            staff=edxml.StaffInfo(staff=getattr(actor, "full_name", "")),
        )
    )
    package_send(transport, package, organs, "status")
    OutgoingDocument.objects.filter(pk=document.pk).update(recall_requested_at=now())
    document.refresh_from_db()
    return document


def exchange_receive_run():
    """The job `exchange-receive` (core.models.JOBS, every 5 minutes): take what the configured
    transport holds for our units. Off (nothing asked of anyone) when no transport is configured."""
    from motcua.core.jobs import job_run

    def describe(c: dict) -> str:
        return c.get(
            "summary", "Chưa cấu hình trao đổi văn bản (MOTCUA_EXCHANGE_TRANSPORT chưa đặt)."
        )

    with job_run("exchange-receive", describe) as book:
        book.counts["enabled"] = bool(settings.MOTCUA_EXCHANGE_TRANSPORT)
        if book.counts["enabled"]:
            report = exchange_receive_configured()
            book.counts.update(
                documents=report.documents,
                statuses=report.statuses,
                duplicates=report.duplicates,
                refused=report.refused,
                summary=str(report),
            )
            book.errors += report.messages or []
    return book.run
