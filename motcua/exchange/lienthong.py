"""Liên thông that leaves the building (issue [J] item 5, ADR 0034 "Liên thông").

When a dossier's "Chuyển liên thông" or "Lấy ý kiến phối hợp" names an agency that is not a unit
of this installation (by its QCVN 102:2016 organ code), the dossier service (dossiers.services
`_consult`, the one place those actions are taken) hands over here: `lienthong_send` registers an
official letter (công văn, a PDF from a small Decree 30/2020 template) in the unit's outgoing
register with the dossier's papers from the file store, ResponseFor/Code naming the dossier, and
sends it through the configured transport once the move commits. With no transport configured the
action is refused and nothing changes.

The other agency's answer comes back through `package_receive`: a status package 02 (refused) or
06 (completed) on that letter, or a document whose ResponseFor names it. `answer_received` then
takes the workflow's answer action (consultation_answered / inter_agency_returned) as a system move
(dossiers.services.dossier_system_act, actor None), which writes the history event and the change
feed row like every move. A status for a dossier no longer waiting stays in the delivery's history
and moves nothing.
"""

from __future__ import annotations

import logging
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from motcua.core.clock import now
from motcua.org.models import UNIT_CODE_PATTERN

from . import edxml
from .files import exchange_file_put
from .lienthong_in import manifest_build
from .models import OutgoingDocument, OutgoingFile
from .services import MSG_BAD_ORGAN, MSG_NO_UNIT, FileIn, outgoing_register, outgoing_send
from .transports import TransportError, configured_transport

logger = logging.getLogger(__name__)

MSG_NO_TRANSPORT = (
    "Không gửi được hồ sơ sang cơ quan {organ}: hệ thống chưa được cấu hình trục trao đổi văn bản "
    "liên thông ({reason}). Hồ sơ chưa được chuyển; hãy báo quản trị hệ thống."
)
MSG_PAPER_MISSING = "Không đọc được tệp “{name}” của hồ sơ trong kho lưu trữ: chưa gửi được."

# Status codes of QCVN 102:2016 that end the other agency's part (reference §13): 02 refused,
# 06 completed. 01, 03, 04, 05 only show on the delivery.
ANSWER_CODES = {"02": "từ chối tiếp nhận", "06": "đã xử lý xong"}
ANSWER_ACTION = {"consult": "consultation_answered", "inter_agency": "inter_agency_returned"}
TITLES = {"consult": "xin ý kiến phối hợp giải quyết", "inter_agency": "liên thông giải quyết"}


def _symbol(unit) -> str:
    """Công văn carries no type code: `Số: 05/STP-VP` (Decree 30 Phụ lục III as read in the
    reference vn-regulations §6.2, unverified). We use the unit's short name, else "LT"."""
    short = re.sub(r"[^0-9A-Za-zĐđ-]", "", (unit.short_name or "").replace(" ", "-")).strip("-")
    short = re.sub(r"-{2,}", "-", short)
    return short[:60] or "LT"


def _papers(dossier) -> list[FileIn]:
    from motcua.documents.selectors import files_for_dossier
    from motcua.documents.storage import storage_open

    papers = []
    for attached in files_for_dossier(dossier):
        stored = attached.stored_file
        extension = {"application/pdf": ".pdf"}.get(stored.content_type, "")
        name = f"{attached.component.order:02d}-{attached.component.name[:80]}{extension}"
        try:
            with storage_open(stored.storage_name) as handle:
                data = handle.read()
        except FileNotFoundError:
            raise ValidationError(MSG_PAPER_MISSING.format(name=name)) from None
        papers.append(FileIn(name, stored.content_type, data, attached.component.name[:255]))
    return papers


def _letter_pdf(context: dict) -> bytes:
    from motcua.core.pdf import render_pdf

    return render_pdf("exchange/lienthong_letter.html", context)


def lienthong_send(actor, dossier, consultation) -> OutgoingDocument:
    """Register the letter for `consultation` (an agency outside this installation) and send it
    after commit. Raises ValidationError, changing nothing, when no transport is configured."""
    organ = consultation.organ_id
    if not re.fullmatch(UNIT_CODE_PATTERN, organ):
        raise ValidationError({"organ_id": MSG_BAD_ORGAN.format(code=organ)})
    unit = actor.unit
    if unit is None:
        raise ValidationError({"organ_id": MSG_NO_UNIT})
    try:
        configured_transport([unit.code] if unit else [])
    except TransportError as exc:
        raise ValidationError(
            {"organ_id": MSG_NO_TRANSPORT.format(organ=organ, reason=str(exc).rstrip("."))}
        ) from None
    today = now().date()
    procedure = dossier.procedure_version
    subject = (
        f"V/v {TITLES[consultation.kind]} hồ sơ {dossier.code} "
        f"({getattr(procedure, 'name', '')})".replace(" ()", "")
    )[:1000]
    signer = getattr(actor, "full_name", "") or actor.get_username()
    context = {
        "parent": unit.parent.name if unit.parent else "",
        "unit": unit.name,
        "symbol": _symbol(unit),
        "place": settings.MOTCUA_PROVINCE_NAME,
        "on": today,
        "subject": subject,
        "to": consultation.organ_name or organ,
        "dossier": dossier,
        "procedure": getattr(procedure, "name", ""),
        "request": consultation.request,
        "due_at": consultation.due_at,
        "signer": signer,
    }
    papers = _papers(dossier)
    letter = FileIn("cong-van.pdf", "application/pdf", _letter_pdf(context), "Công văn")
    document = outgoing_register(
        actor,
        symbol=context["symbol"],
        document_type="1",
        type_name="Công văn",
        subject=subject,
        place=settings.MOTCUA_PROVINCE_NAME,
        issued_on=today,
        signer_name=signer,
        recipients=[(organ, consultation.organ_name)],
        due_date=consultation.due_at.date(),
        content=consultation.request,
        response_for=[{"organ_id": unit.code, "code": dossier.code, "document_id": ""}],
        files=[letter, *papers, manifest_build(dossier, consultation.kind)],
    )
    # The register gave the number (Decree 30 Điều 15: numbered by the system): the letter shows it.
    numbered = _letter_pdf({**context, "number": f"{document.number:02d}"})
    letter_pk = document.files.order_by("pk").values_list("pk", flat=True)[0]
    storage_name, sha256 = exchange_file_put(numbered, "application/pdf")
    OutgoingFile.objects.filter(pk=letter_pk).update(
        storage_name=storage_name, size=len(numbered), sha256=sha256
    )
    consultation.outgoing_document = document
    consultation.save(update_fields=["outgoing_document"])
    actor_pk, document_pk = actor.pk, document.pk
    transaction.on_commit(lambda: _send_after_commit(actor_pk, document_pk))
    return document


def _send_after_commit(actor_pk: int, document_pk: int) -> None:
    """Send once the move is committed. A failed send leaves the letter "registered, not sent" in
    the outgoing register (the attempt is recorded), where the clerk sends it again."""
    from motcua.accounts.models import User

    actor = User.objects.select_related("unit").get(pk=actor_pk)
    try:
        transport = configured_transport([actor.unit.code] if actor.unit else [])
        outgoing_send(actor, document_pk, transport)
    except (TransportError, ValidationError) as exc:
        logger.warning("liên thông letter %s not sent: %s", document_pk, exc)


# --- answers -------------------------------------------------------------------------------------


def _waiting(document: OutgoingDocument):
    from motcua.dossiers.models import DossierConsultation

    return (
        DossierConsultation.objects.filter(outgoing_document=document, answered_at__isnull=True)
        .order_by("pk")
        .first()
    )


def _waiting_for_dossier(answer: edxml.ResponseFor, sender: str):
    """The open request to `sender` of the dossier whose code the answer names (our letter's own
    ResponseFor/Code carried that code, so an agency may answer by it)."""
    from motcua.dossiers.models import DossierConsultation

    if not answer.code:
        return None
    return (
        DossierConsultation.objects.filter(
            dossier__code=answer.code,
            organ_id=sender,
            outgoing_document__unit__code=answer.organ_id,
            answered_at__isnull=True,
        )
        .order_by("pk")
        .first()
    )


def _move(document: OutgoingDocument | None, note: str, consultation=None) -> bool:
    """Take the answer action on the dossier waiting for `document`; False when nothing waits."""
    from motcua.dossiers.services import dossier_system_act

    if consultation is None and document is not None:
        consultation = _waiting(document)
    if consultation is None:
        logger.info("answer to %s: no request waits for it", note)
        return False
    try:
        dossier_system_act(
            consultation.dossier_id,
            ANSWER_ACTION[consultation.kind],
            reason=note[:4000],
            consultation_id=consultation.pk,
        )
    except ValidationError as exc:  # no longer waiting (moved on by hand, ended…): recorded only
        logger.info("answer ignored (%s): %s", note, exc)
        return False
    return True


def _our_document(answer: edxml.ResponseFor) -> OutgoingDocument | None:
    documents = OutgoingDocument.objects.filter(unit__code=answer.organ_id).select_related("unit")
    for document in documents.filter(consultations__isnull=False).distinct():
        if (answer.document_id and answer.document_id == document.edxml_document_id) or (
            answer.code
            and answer.code == document.number_symbol
            and answer.promulgation_date in (None, document.issued_on)
        ):
            return document
    return None


def answer_received(package, result) -> bool:
    """Called by package_receive inside its transaction, after the package is registered."""
    if result.kind == "status" and result.status is not None:
        delivery = result.status.delivery
        code = result.status.code
        if code not in ANSWER_CODES:
            return False
        who = delivery.organ_name or delivery.organ_id
        note = f"{who} {ANSWER_CODES[code]} (trạng thái {code}, công văn "
        note += f"{delivery.document.number_symbol})"
        if result.status.description:
            note += f": {result.status.description}"
        return _move(delivery.document, note)
    if result.kind == "document" and isinstance(package, edxml.DocumentPackage):
        note = (
            f"{package.sender.organ_name or package.sender.organ_id} trả lời bằng văn bản "
            f"{package.code_number}/{package.code_notation}: {package.subject}"
        )
        for answer in package.response_for:
            document = _our_document(answer)
            if document is not None:
                return _move(document, note)
            # Or it names the dossier itself (the code our letter's ResponseFor carried).
            consultation = _waiting_for_dossier(answer, package.sender.organ_id)
            if consultation is not None:
                return _move(None, note, consultation)
    return False
