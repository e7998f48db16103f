"""Liên thông over the document exchange, in one installation: the letter leaves with the papers,
the refusal without a transport, malformed and duplicate answers (ADR 0034 "Liên thông")."""

import json
from pathlib import Path

import pytest
import time_machine
from django.core.exceptions import ValidationError

from motcua.documents.textlayer import pdf_text
from motcua.dossiers.models import Dossier, DossierChangeRecord, DossierConsultation, DossierEvent
from motcua.exchange import edxml
from motcua.exchange.lienthong_in import MANIFEST_ID, MANIFEST_NAME
from motcua.exchange.models import (
    ExchangeMessage,
    IncomingDocument,
    OutgoingDocument,
    OutgoingState,
)
from motcua.exchange.services import exchange_receive, package_receive
from motcua.exchange.transports import DirectoryTransport
from tests.dossiers.test_services import act, at

from .lienthong_helpers import OTHER, OTHER_NAME, dossier_in_progress, send_to_other


@pytest.fixture
def exchange_dir(settings, tmp_path):
    settings.MOTCUA_EXCHANGE_TRANSPORT = "directory"
    settings.MOTCUA_EXCHANGE_DIRECTORY = str(tmp_path / "truc")
    return tmp_path / "truc"


def _sent(desk, dossier, django_capture_on_commit_callbacks, **extra):
    with django_capture_on_commit_callbacks(execute=True):
        send_to_other(desk, dossier, **extra)
    dossier.refresh_from_db()
    return dossier.consultations.get()


def _status(document: OutgoingDocument, code: str, description="") -> bytes:
    return edxml.pack_status(
        edxml.StatusPackage(
            sender=edxml.Organization(organ_id=OTHER, organ_name=OTHER_NAME),
            response_for=edxml.ResponseFor(
                organ_id=document.unit.code,
                code=document.number_symbol,
                promulgation_date=document.issued_on,
                document_id=document.edxml_document_id,
            ),
            status_code=code,
            description=description,
            timestamp=at("2024-05-07T10:00").replace(tzinfo=None),
        )
    )


def test_the_letter_and_the_papers_leave_through_the_transport(
    desk, exchange_dir, django_capture_on_commit_callbacks, tmp_path
):
    dossier = dossier_in_progress(desk)
    consultation = _sent(desk, dossier, django_capture_on_commit_callbacks)
    assert dossier.status == "inter_agency"
    assert (consultation.unit, consultation.organ_id) == (None, OTHER)
    document = consultation.outgoing_document
    assert document.state == OutgoingState.SENT and document.unit == desk["specialist"].unit
    assert document.response_for == [
        {"organ_id": document.unit.code, "code": dossier.code, "document_id": ""}
    ]
    assert [d.organ_id for d in document.deliveries.all()] == [OTHER]
    (package_file,) = (exchange_dir / OTHER / "inbox").glob("*.edxml")
    package = edxml.parse(
        package_file.read_bytes(), max_package_bytes=2**26, max_attachment_bytes=2**24
    )
    assert package.response_for[0].code == dossier.code
    assert dossier.code in package.subject
    names = [a.name for a in package.attachments]
    assert names[0] == "cong-van.pdf" and package.attachments[0].data.startswith(b"%PDF")
    assert len(names) == 3 and names[1].startswith("01-")  # the scanned paper of the dossier
    # … and the description the receiving installation opens its dossier from (ADR 0042).
    described = json.loads(package.attachments[2].data)
    assert (names[2], package.attachments[2].content_id) == (MANIFEST_NAME, MANIFEST_ID)
    assert described["dossier_code"] == dossier.code and described["kind"] == "inter_agency"
    assert described["procedure_code"] == "2.001417"
    assert described["applicant"]["citizen_id"] == dossier.applicant.citizen_id
    assert [c["name"] for c in described["components"]] == [package.attachments[1].description]
    event = dossier.events.order_by("-pk").first()
    assert event.action == "route_inter_agency" and document.number_symbol in event.note
    letter = tmp_path / "cong-van.pdf"
    letter.write_bytes(package.attachments[0].data)
    text = " ".join(pdf_text(letter).split())
    assert f"Số: {document.number_symbol}" in text and "Kính gửi: Sở Tư pháp tỉnh Nghệ An" in text
    assert dossier.code in text and "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text


def test_without_a_transport_the_action_is_refused_and_nothing_changes(desk, settings):
    settings.MOTCUA_EXCHANGE_TRANSPORT = ""
    dossier = dossier_in_progress(desk)
    events = dossier.events.count()
    with pytest.raises(ValidationError) as refused:
        send_to_other(desk, dossier)
    assert "chưa được cấu hình trục trao đổi văn bản" in str(refused.value)
    dossier.refresh_from_db()
    assert dossier.status == "in_progress" and dossier.events.count() == events
    assert not DossierConsultation.objects.exists() and not OutgoingDocument.objects.exists()


def test_a_malformed_organ_code_is_refused_and_nothing_changes(desk, exchange_dir):
    dossier = dossier_in_progress(desk)
    events = dossier.events.count()
    with pytest.raises(ValidationError) as refused:
        send_to_other(desk, dossier, organ_id="Sở Tư pháp Nghệ An")
    assert "không đúng dạng QCVN 102:2016" in str(refused.value)
    dossier.refresh_from_db()
    assert dossier.status == "in_progress" and dossier.events.count() == events
    assert not DossierConsultation.objects.exists() and not OutgoingDocument.objects.exists()
    assert not exchange_dir.exists()


def test_a_unit_of_our_own_installation_stays_internal_even_by_its_code(desk, settings):
    settings.MOTCUA_EXCHANGE_TRANSPORT = ""  # not needed: nothing leaves
    dossier = dossier_in_progress(desk)
    police = desk["units"]["police"]
    send_to_other(desk, dossier, action="consult", organ_id=police.code)
    consultation = DossierConsultation.objects.get()
    assert consultation.unit == police and consultation.outgoing_document is None
    assert not OutgoingDocument.objects.exists()


def test_a_completed_status_moves_the_dossier_once_as_a_system_move(
    desk, exchange_dir, django_capture_on_commit_callbacks
):
    dossier = dossier_in_progress(desk)
    consultation = _sent(desk, dossier, django_capture_on_commit_callbacks, action="consult")
    assert dossier.status == "consulting"
    document = consultation.outgoing_document
    package = _status(document, "06", "Không có án tích")
    with time_machine.travel(at("2024-05-07T10:05"), tick=False):
        package_receive(package)
    dossier.refresh_from_db()
    assert dossier.status == "in_progress"
    event = dossier.events.order_by("-pk").first()
    assert (event.action, event.actor, event.from_status) == (
        "consultation_answered",
        None,
        "consulting",
    )
    assert "đã xử lý xong (trạng thái 06" in event.note and "Không có án tích" in event.note
    assert DossierChangeRecord.objects.filter(
        dossier_id=dossier.pk, kind="consultation_answered"
    ).exists()
    consultation.refresh_from_db()
    assert consultation.answered_at == at("2024-05-07T10:05")
    revision, events = dossier.revision, dossier.events.count()
    # The same answer again (a resend): recorded on the delivery, the dossier moved once.
    package_receive(package)
    dossier.refresh_from_db()
    assert (dossier.revision, dossier.events.count()) == (revision, events)
    assert document.deliveries.get().statuses.count() == 2


def test_a_status_for_a_dossier_no_longer_waiting_is_recorded_and_ignored(
    desk, exchange_dir, django_capture_on_commit_callbacks
):
    dossier = dossier_in_progress(desk)
    consultation = _sent(desk, dossier, django_capture_on_commit_callbacks)
    act(desk["specialist"], dossier, "inter_agency_returned", "2024-05-07T09:00", note="Đã có")
    dossier.refresh_from_db()
    revision = dossier.revision
    package_receive(_status(consultation.outgoing_document, "02", "Không thuộc thẩm quyền"))
    dossier.refresh_from_db()
    assert dossier.revision == revision and dossier.status == "in_progress"
    delivery = consultation.outgoing_document.deliveries.get()
    assert delivery.status_code == "02"


def test_an_intermediate_status_moves_nothing(
    desk, exchange_dir, django_capture_on_commit_callbacks
):
    dossier = dossier_in_progress(desk)
    consultation = _sent(desk, dossier, django_capture_on_commit_callbacks)
    package_receive(_status(consultation.outgoing_document, "03"))
    dossier.refresh_from_db()
    assert dossier.status == "inter_agency"


def test_a_malformed_answer_moves_nothing(desk, exchange_dir, django_capture_on_commit_callbacks):
    dossier = dossier_in_progress(desk)
    consultation = _sent(desk, dossier, django_capture_on_commit_callbacks)
    good = _status(consultation.outgoing_document, "06")
    inbox = exchange_dir / consultation.outgoing_document.unit.code / "inbox"
    inbox.mkdir(parents=True)
    (inbox / "hong.edxml").write_bytes(good.replace(b"StatusCode>06<", b"StatusCode>07<"))
    (inbox / "cut.edxml").write_bytes(good[: len(good) // 2])
    # A well-formed status about a document that is not ours.
    other = good.replace(consultation.outgoing_document.symbol.encode(), b"KHAC")
    other = other.replace(consultation.outgoing_document.unit.code.encode(), b"000.00.99.H99")
    (inbox / "khac.edxml").write_bytes(other)
    report = exchange_receive(
        DirectoryTransport(exchange_dir, [consultation.outgoing_document.unit.code])
    )
    assert report.refused == 3 and report.statuses == 0
    dossier.refresh_from_db()
    assert dossier.status == "inter_agency"
    consultation.refresh_from_db()
    assert consultation.answered_at is None
    assert len(list((inbox.parent / "failed").glob("*"))) == 3


def _answer_naming(organ_id: str, code: str, **more) -> bytes:
    return edxml.pack_document(
        edxml.DocumentPackage(
            sender=edxml.Organization(organ_id=OTHER, organ_name=OTHER_NAME),
            recipients=[edxml.Organization(organ_id=organ_id)],
            code_number="18",
            code_notation="STP-HCTP",
            place="Nghệ An",
            promulgation_date=at("2024-05-07T00:00").date(),
            type="1",
            type_name="Công văn",
            subject="V/v trả lời hồ sơ",
            response_for=[edxml.ResponseFor(organ_id=organ_id, code=code)],
            document_id=f"{OTHER},2024/05/07,18/STP-HCTP{more.get('tail', '')}",
        )
    )


def test_a_document_naming_the_dossier_code_moves_it_an_unknown_code_nothing(
    desk, exchange_dir, django_capture_on_commit_callbacks
):
    dossier = dossier_in_progress(desk)
    consultation = _sent(desk, dossier, django_capture_on_commit_callbacks)
    unit = consultation.outgoing_document.unit.code
    package_receive(_answer_naming(unit, "000.00.40.H27-000000-9999"))  # no such dossier
    dossier.refresh_from_db()
    assert dossier.status == "inter_agency"
    package_receive(_answer_naming(unit, dossier.code, tail="-b"))
    dossier.refresh_from_db()
    assert dossier.status == "in_progress"
    assert dossier.events.order_by("-pk").first().actor is None


def test_a_document_answering_our_letter_moves_the_dossier(
    desk, exchange_dir, django_capture_on_commit_callbacks
):
    dossier = dossier_in_progress(desk)
    consultation = _sent(desk, dossier, django_capture_on_commit_callbacks)
    document = consultation.outgoing_document
    answer = edxml.DocumentPackage(
        sender=edxml.Organization(organ_id=OTHER, organ_name=OTHER_NAME),
        recipients=[edxml.Organization(organ_id=document.unit.code)],
        code_number="17",
        code_notation="STP-HCTP",
        place="Nghệ An",
        promulgation_date=at("2024-05-07T00:00").date(),
        type="1",
        type_name="Công văn",
        subject="V/v trả lời xác minh lý lịch tư pháp",
        response_for=[
            edxml.ResponseFor(
                organ_id=document.unit.code,
                code=document.number_symbol,
                promulgation_date=document.issued_on,
            )
        ],
        document_id=f"{OTHER},2024/05/07,17/STP-HCTP",
    )
    data = edxml.pack_document(answer)
    package_receive(data)
    dossier.refresh_from_db()
    assert dossier.status == "in_progress"
    event = dossier.events.order_by("-pk").first()
    assert event.action == "inter_agency_returned" and event.actor is None
    assert "17/STP-HCTP" in event.note
    assert IncomingDocument.objects.filter(unit=document.unit).count() == 1
    package_receive(data)  # the same document again: a duplicate, moved once
    assert Dossier.objects.get(pk=dossier.pk).revision == dossier.revision
    assert DossierEvent.objects.filter(dossier=dossier, action="inter_agency_returned").count() == 1
    assert ExchangeMessage.objects.filter(outcome="duplicate").count() == 1


def test_the_internal_answer_by_hand_still_answers_an_outside_request(
    desk, exchange_dir, django_capture_on_commit_callbacks
):
    dossier = dossier_in_progress(desk)
    consultation = _sent(desk, dossier, django_capture_on_commit_callbacks)
    act(desk["specialist"], dossier, "inter_agency_returned", "2024-05-07T09:00", note="Qua điện")
    consultation.refresh_from_db()
    assert consultation.answer == "Qua điện"
    assert Path(consultation.outgoing_document.files.first().name).suffix == ".pdf"
