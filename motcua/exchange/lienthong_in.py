"""Liên thông received: another agency's dossier opened here, and answered back (ADR 0042).

The sender (lienthong.lienthong_send) puts, beside the letter and the papers, one more attachment:
the dossier's description, `ho-so-lien-thong.json` (ContentId `lienthong-dossier`, format
`motcua-lienthong/1`, fields documented in ADR 0042 and `manifest_build`). An edXML reader that
does not know it sees one more file.

Receiving (`intake_received`, called by services.package_receive inside its transaction, after the
package is registered in the incoming register): for each of our units the package was registered
for, a "Chuyển liên thông" description whose procedure is in force and received by that unit opens
a dossier of that unit through dossiers.services.dossier_receive_from_agency (the system receives
it; the due instant from the unit's working calendar and the version's processing time) and
attaches the papers through the file store. Anything else — a description that cannot be read, a
procedure we do not handle, a paper the store refuses, a dossier of the sender already open here —
leaves the letter in the register with the reason (LienthongIntake.reason) and opens nothing. A
package received twice is registered once (services), so it opens nothing twice.

Answering (`answers_sweep`, run by the job `exchange-receive` after it has received): every
dossier we opened from a package that has ended — "finished" (06) or "refused"/"stopped" (02) —
and is not answered yet: its result documents go back to the sender as a document whose
ResponseFor names its letter (registered in our outgoing register by the system), then the status
package on that letter; the sender's side moves its dossier on (lienthong.answer_received), and
ours is returned by a system move (result_sent_to_agency / refusal_sent_to_agency: the sending
agency hands the result to the citizen; our desk cannot return it, guard handed_to_applicant). The
sweep reads the dossiers' state, not a change feed: a dossier that ended while no transport was
configured is answered once one is, and a result issued after the 06 goes in a document of its
own (LienthongResultSent records which result went in which document). An answer the transport
cannot take is tried again later each time (answer_attempts, next_answer_at).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from motcua.core.clock import now

from . import edxml
from .models import (
    IncomingDocument,
    IntakeOutcome,
    LienthongIntake,
    LienthongResultSent,
    OutgoingDocument,
    OutgoingState,
)
from .selectors import (
    lienthong_answers_due,
    lienthong_documents_undelivered,
    lienthong_results_unsent,
)
from .services import FileIn, incoming_status_send, outgoing_deliver, outgoing_register
from .transports import configured_transport

logger = logging.getLogger(__name__)

MANIFEST_ID = "lienthong-dossier"
MANIFEST_NAME = "ho-so-lien-thong.json"
MANIFEST_FORMAT = "motcua-lienthong/1"
# An answer the transport could not take: tried again after 5 minutes, then twice as long each
# time, at most every 6 hours (the job runs every 5 minutes).
RETRY_FIRST = timedelta(minutes=5)
RETRY_MAX = timedelta(hours=6)

MSG_MANIFEST_BAD = "Mô tả hồ sơ liên thông ({name}) không đọc được: {why}."
MSG_CONSULT = "Văn bản xin ý kiến phối hợp: xử lý như văn bản đến, không mở hồ sơ."
MSG_OPEN_ALREADY = (
    "Hồ sơ {code} của {organ} đã được mở thành hồ sơ {ours} và chưa trả lời: không mở lần nữa."
)
MSG_NOT_OPENED = "Không mở được hồ sơ liên thông: {why}"

# Our dossier's status → the QCVN 102:2016 status reported to the sender, and its words.
ANSWERS = {
    "finished": ("06", "đã giải quyết xong"),
    "refused": ("02", "từ chối giải quyết"),
    "stopped": ("02", "dừng giải quyết"),
}


# --- the description the sender adds ------------------------------------------------------------


def manifest_build(dossier, kind: str) -> FileIn:
    """What the receiving installation needs to open the dossier: the sender's dossier code, the
    procedure's national code (CSDL TTHC: the same on both sides), the applicant as received, the
    components and, for each, the names of the attached papers (their Description is the
    component's name)."""
    applicant = dossier.applicant
    version = dossier.procedure_version
    components = []
    for component in dossier.components.order_by("order"):
        components.append(
            {"name": component.name, "form": component.form, "count": component.count}
        )
    data = {
        "format": MANIFEST_FORMAT,
        "kind": kind,
        "dossier_code": dossier.code,
        "procedure_code": version.procedure.code,
        "procedure_name": version.name,
        "received_at": dossier.received_at.isoformat() if dossier.received_at else "",
        "due_at": dossier.due_at.isoformat() if dossier.due_at else "",
        "applicant": {
            "kind": applicant.kind,
            "full_name": dossier.applicant_name,
            "citizen_id": applicant.citizen_id,
            "tax_code": applicant.tax_code,
            "date_of_birth": applicant.date_of_birth.isoformat() if applicant.date_of_birth else "",
            "address_line": dossier.applicant_address,
        },
        "components": components,
    }
    body = json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")
    return FileIn(
        MANIFEST_NAME, "application/json", body, "Mô tả hồ sơ liên thông", content_id=MANIFEST_ID
    )


def manifest_read(data: bytes) -> dict:
    """The description as a dict with the fields checked; ValidationError (Vietnamese) else."""

    def bad(why: str) -> ValidationError:
        return ValidationError(MSG_MANIFEST_BAD.format(name=MANIFEST_NAME, why=why))

    try:
        manifest = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise bad("không phải JSON UTF-8") from None
    if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT:
        raise bad(f"không đúng định dạng {MANIFEST_FORMAT}")
    for key in ("kind", "dossier_code", "procedure_code"):
        if not isinstance(manifest.get(key), str) or not manifest[key].strip():
            raise bad(f"thiếu trường “{key}”")
    if not isinstance(manifest.get("applicant"), dict) or not isinstance(
        manifest.get("components"), list
    ):
        raise bad("thiếu người nộp hoặc thành phần hồ sơ")
    for item in manifest["components"]:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise bad("thành phần hồ sơ không có tên")
    birth = manifest["applicant"].get("date_of_birth") or ""
    try:
        manifest["applicant"]["date_of_birth"] = date.fromisoformat(birth) if birth else None
    except (TypeError, ValueError):
        raise bad("ngày sinh không đúng dạng YYYY-MM-DD") from None
    return manifest


# --- receiving ------------------------------------------------------------------------------------


def intake_received(package, result) -> None:
    """Called by package_receive inside its transaction once a document package is registered."""
    if result.kind != "document" or not isinstance(package, edxml.DocumentPackage):
        return
    described = [a for a in package.attachments if a.content_id == MANIFEST_ID]
    if not described:
        return  # an ordinary document
    for incoming in result.incoming:
        _intake(incoming, package, described[0])


def _intake(incoming: IncomingDocument, package: edxml.DocumentPackage, described) -> None:
    intake = LienthongIntake(
        incoming=incoming,
        unit=incoming.unit,
        from_organ_id=package.sender.organ_id,
        outcome=IntakeOutcome.LETTER,
    )
    try:
        manifest = manifest_read(described.data)
    except ValidationError as exc:
        intake.reason = exc.messages[0]
        intake.save()
        return
    intake.from_dossier_code = manifest["dossier_code"].strip()[:64]
    intake.procedure_code = manifest["procedure_code"].strip()[:64]
    if manifest["kind"] != "inter_agency":
        intake.reason = MSG_CONSULT
        intake.save()
        return
    open_already = (
        LienthongIntake.objects.filter(
            unit=incoming.unit,
            from_organ_id=intake.from_organ_id,
            from_dossier_code=intake.from_dossier_code,
            dossier__isnull=False,
            answered_at__isnull=True,
        )
        .select_related("dossier")
        .first()
    )
    if open_already is not None:
        intake.reason = MSG_OPEN_ALREADY.format(
            code=intake.from_dossier_code,
            organ=intake.from_organ_id,
            ours=open_already.dossier.code,  # type: ignore[union-attr]
        )
        intake.save()
        return
    try:
        with transaction.atomic():  # a savepoint: a dossier half-opened leaves nothing
            intake.dossier = _dossier_open(incoming, package, manifest)
            intake.outcome = IntakeOutcome.OPENED
            intake.save()
    except ValidationError as exc:
        intake.dossier, intake.outcome = None, IntakeOutcome.LETTER
        intake.reason = MSG_NOT_OPENED.format(why=" ".join(exc.messages))
        intake.save()
    except IntegrityError:  # another worker opened it a moment ago (exchange_lienthong_open_once)
        intake.dossier, intake.outcome = None, IntakeOutcome.LETTER
        intake.reason = MSG_OPEN_ALREADY.format(
            code=intake.from_dossier_code, organ=intake.from_organ_id, ours="khác"
        )
        intake.save()


def _dossier_open(incoming: IncomingDocument, package: edxml.DocumentPackage, manifest: dict):
    from motcua.documents.models import ComponentSource
    from motcua.documents.services import component_file_attach, stored_file_put
    from motcua.dossiers.models import ChannelKind
    from motcua.dossiers.services import (
        ApplicantData,
        ComponentData,
        IntakeData,
        dossier_receive_from_agency,
    )

    who = manifest["applicant"]
    data = IntakeData(
        procedure_code=manifest["procedure_code"].strip(),
        applicant=ApplicantData(
            full_name=str(who.get("full_name") or ""),
            citizen_id=str(who.get("citizen_id") or ""),
            date_of_birth=who.get("date_of_birth"),
            kind=str(who.get("kind") or "person"),
            tax_code=str(who.get("tax_code") or ""),
            address_line=str(who.get("address_line") or "")[:255],
        ),
        components=[
            ComponentData(c["name"][:500], str(c.get("form") or "copy"), int(c.get("count") or 1))
            for c in manifest["components"]
        ],
        # Sent over by another agency; the result goes back there by the exchange (ADR 0044).
        channel=ChannelKind.LIENTHONG,
        return_channel="",
    )
    sender = package.sender.organ_name or package.sender.organ_id
    note = (
        f"Tiếp nhận liên thông từ {sender} (mã {package.sender.organ_id}), hồ sơ "
        f"{manifest['dossier_code']}, công văn số {package.code_number}/{package.code_notation}"
    )
    dossier = dossier_receive_from_agency(incoming.unit, data, note=note[:4000])
    components = {c.name: c for c in dossier.components.all()}
    for attachment in package.attachments:
        component = components.get(attachment.description[:500])
        if attachment.content_id == MANIFEST_ID or component is None:
            continue
        try:
            stored = stored_file_put(attachment.data)
        except ValidationError as exc:
            raise ValidationError(f"tệp “{attachment.name}”: {' '.join(exc.messages)}") from None
        # Came with the package: nobody uploaded it here (ADR 0044).
        component_file_attach(None, component, stored, source=ComponentSource.LIENTHONG)
    return dossier


# --- answering ------------------------------------------------------------------------------------


@dataclass
class AnswersReport:
    answered: int = 0
    results_sent: int = 0
    failed: int = 0


def answers_sweep() -> AnswersReport:
    """The job's second half (exchange-receive, after receiving): answer every sender whose dossier
    has ended here and is not answered yet, whenever it ended (with or without a transport
    configured then), and send on the results issued after a 06. An answer the transport cannot
    take is tried again by a later run, later each time; the others go on."""
    report = AnswersReport()
    for intake in lienthong_answers_due(now(), list(ANSWERS)):
        status = intake.dossier.status if intake.dossier else ""
        try:
            answer_send(intake, status)
        except Exception as exc:  # noqa: BLE001 — this one is retried, the others go on
            logger.warning("liên thông answer for dossier %s failed: %s", intake.dossier_id, exc)
            _answer_failed(intake, str(exc) or type(exc).__name__)
            report.failed += 1
        else:
            report.answered += 1
    for intake, results in lienthong_results_unsent():  # registered here, delivered below
        try:
            with transaction.atomic():
                _result_register(
                    intake, _later_content(intake), results, subject=_later_subject(intake)
                )
        except Exception as exc:  # noqa: BLE001 — registered by a later run
            logger.warning("liên thông results for dossier %s failed: %s", intake.dossier_id, exc)
            report.failed += 1
        else:
            report.results_sent += len(results)
    for document in lienthong_documents_undelivered():
        try:
            outgoing_deliver(document.pk, configured_transport([document.unit.code]))
        except Exception as exc:  # noqa: BLE001 — delivered by a later run
            logger.warning("liên thông results document %s failed: %s", document.pk, exc)
            report.failed += 1
    return report


def _answer_failed(intake: LienthongIntake, error: str) -> None:
    attempts = intake.answer_attempts + 1
    wait = min(RETRY_FIRST * 2 ** (attempts - 1), RETRY_MAX)
    LienthongIntake.objects.filter(pk=intake.pk).update(
        answer_attempts=attempts, answer_error=error[:2000], next_answer_at=now() + wait
    )


def answer_send(intake: LienthongIntake, status: str) -> None:
    """Send the result documents (06) and the status on the sender's letter; recorded on the
    intake so that a retry sends only what has not gone yet."""
    code, words = ANSWERS[status]
    incoming, dossier = intake.incoming, intake.dossier
    assert dossier is not None
    transport = configured_transport([intake.unit.code])
    description = f"Hồ sơ {dossier.code} (hồ sơ {intake.from_dossier_code} của quý cơ quan) {words}"
    reason = _ending_reason(dossier, status)
    if reason:
        description += f": {reason}"
    if code == "06" and intake.answer_document is None:
        with transaction.atomic():
            intake.answer_document = _result_register(intake, description, _results_of(intake))
            intake.save(update_fields=["answer_document"])
    document = intake.answer_document
    if document is not None and document.state == OutgoingState.REGISTERED:
        outgoing_deliver(document.pk, transport)
    incoming_status_send(incoming, code, description[:2000], transport)
    IncomingDocument.objects.filter(pk=incoming.pk).update(reply_code=code)
    intake.answer_code, intake.answered_at = code, now()
    intake.answer_error, intake.next_answer_at = "", None
    intake.save(update_fields=["answer_code", "answered_at", "answer_error", "next_answer_at"])
    _returned_to_sender(intake, status)


# The system move that returns our dossier once its answer has gone (dossiers.workflow).
RETURNED_BY_ANSWER = {"finished": "result_sent_to_agency", "refused": "refusal_sent_to_agency"}


def _returned_to_sender(intake: LienthongIntake, status: str) -> None:
    """The sending agency hands the result to the citizen: our dossier is returned when its
    answer has gone (a stopped dossier stays stopped). A move the workflow refuses (the dossier
    changed meanwhile) is logged, the answer stands."""
    from motcua.dossiers.services import dossier_system_act

    action = RETURNED_BY_ANSWER.get(status)
    if action is None or intake.dossier_id is None:
        return
    organ = intake.incoming.from_organ_name or intake.from_organ_id
    try:
        dossier_system_act(
            intake.dossier_id, action, reason=f"Đã gửi trả lời qua trục liên thông về {organ}."
        )
    except ValidationError as exc:
        logger.warning("liên thông dossier %s not returned: %s", intake.dossier_id, exc)


def _results_of(intake: LienthongIntake) -> list:
    from motcua.documents.selectors import results_for_dossier

    assert intake.dossier is not None
    return list(results_for_dossier(intake.dossier).order_by("pk"))


def _later_subject(intake: LienthongIntake) -> str:
    return f"V/v gửi bổ sung kết quả liên thông hồ sơ {intake.from_dossier_code}"


def _later_content(intake: LienthongIntake) -> str:
    code = intake.dossier.code if intake.dossier else ""
    return (
        f"Kết quả giải quyết hồ sơ {code} (hồ sơ {intake.from_dossier_code} của quý cơ quan)"
        " cấp sau khi đã báo hoàn thành, gửi bổ sung."
    )


def _ending_reason(dossier, status: str) -> str:
    if status == "finished":
        return ""
    event = dossier.events.filter(to_status=status).order_by("-pk").first()
    return (event.note if event else "")[:1500]


def _signer(dossier) -> str:
    event = dossier.events.filter(action="approve").select_related("actor").order_by("-pk").first()
    actor = getattr(event, "actor", None)
    return (getattr(actor, "full_name", "") or "") if actor else ""


def _result_register(
    intake: LienthongIntake, content: str, results: list, *, subject: str = ""
) -> OutgoingDocument | None:
    """These issued results as a document in our outgoing register, answering the sender's
    letter (ResponseFor: its DocumentId), each result recorded as sent in it; None when there is
    no result issued electronically (the status alone then answers)."""
    from motcua.documents.services import stored_file_bytes

    from .lienthong import _symbol

    if not results:
        return None
    dossier, incoming, unit = intake.dossier, intake.incoming, intake.unit
    assert dossier is not None
    files = [
        FileIn(
            f"{result.number}.pdf".replace("/", "-"),
            "application/pdf",
            stored_file_bytes(result.stored_file),
            result.title[:255],
        )
        for result in results
    ]
    document = outgoing_register(
        None,
        unit=unit,
        symbol=_symbol(unit),
        document_type="1",
        type_name="Công văn",
        subject=subject or f"V/v trả kết quả liên thông hồ sơ {intake.from_dossier_code}",
        content=content,
        place=settings.MOTCUA_PROVINCE_NAME,
        issued_on=now().date(),
        signer_name=_signer(dossier) or unit.name,
        recipients=[(incoming.from_organ_id, incoming.from_organ_name)],
        response_for=[
            {
                "organ_id": incoming.from_organ_id,
                "code": f"{incoming.code_number}/{incoming.code_notation}",
                "promulgation_date": incoming.issued_on.isoformat(),
                "document_id": incoming.document_id,
            }
        ],
        files=files,
    )
    LienthongResultSent.objects.bulk_create(
        [LienthongResultSent(intake=intake, result=r, document=document) for r in results]
    )
    return document
