"""Liên thông received (ADR 0042): a package from another agency opens a dossier of ours, or
stays a letter with its reason; when our dossier ends, the answer goes back by itself."""

import json
from datetime import date, datetime, timedelta

import pytest

from motcua.core.clock import now
from motcua.documents.models import ComponentFile, IssuedDocument, StoredFile
from motcua.documents.services import stored_file_bytes, stored_file_put
from motcua.dossiers.models import Applicant, Dossier, DossierChangeRecord
from motcua.exchange import edxml
from motcua.exchange.lienthong_in import MANIFEST_FORMAT, MANIFEST_ID, MANIFEST_NAME
from motcua.exchange.models import (
    IncomingDocument,
    LienthongIntake,
    LienthongResultSent,
    OutgoingDocument,
)
from motcua.exchange.services import exchange_receive_configured, package_receive
from tests.catalog.factories import CENTRE
from tests.documents.factories import pdf_bytes
from tests.dossiers.test_services import FORM, act

SENDER = "000.00.31.H42"
SENDER_NAME = "Sở Tư pháp tỉnh Nghệ An"


def manifest(**changes) -> dict:
    data = {
        "format": MANIFEST_FORMAT,
        "kind": "inter_agency",
        "dossier_code": "000.00.31.H42-241205-0007",
        "procedure_code": "2.001417",
        "procedure_name": "Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam",
        "applicant": {
            "kind": "person",
            "full_name": "Trần Thị Lan",
            "citizen_id": "040190004321",
            "date_of_birth": "1990-03-04",
            "address_line": "Phường Vinh Tân, Nghệ An",
        },
        "components": [{"name": FORM, "form": "original", "count": 1}],
    }
    data.update(changes)
    return data


def package(described=None, *, number="12", paper=None, raw_manifest=None) -> bytes:
    body = raw_manifest if raw_manifest is not None else json.dumps(described or manifest())
    if isinstance(body, str):
        body = body.encode()
    return edxml.pack_document(
        edxml.DocumentPackage(
            sender=edxml.Organization(organ_id=SENDER, organ_name=SENDER_NAME),
            recipients=[edxml.Organization(organ_id=CENTRE)],
            document_id=f"{SENDER},2024/12/05,{number}/STP",
            code_number=number,
            code_notation="STP",
            place="Nghệ An",
            promulgation_date=date(2024, 12, 5),
            type="1",
            type_name="Công văn",
            subject="V/v liên thông giải quyết hồ sơ 000.00.31.H42-241205-0007",
            response_for=[edxml.ResponseFor(organ_id=SENDER, code="000.00.31.H42-241205-0007")],
            attachments=[
                edxml.Attachment("a1", "cong-van.pdf", "application/pdf", pdf_bytes("Công văn")),
                edxml.Attachment(
                    "a2", "01-to-khai.pdf", "application/pdf", paper or pdf_bytes("Tờ khai"), FORM
                ),
                edxml.Attachment(MANIFEST_ID, MANIFEST_NAME, "application/json", body),
            ],
        )
    )


@pytest.fixture
def exchange_dir(settings, tmp_path):
    settings.MOTCUA_EXCHANGE_TRANSPORT = "directory"
    settings.MOTCUA_EXCHANGE_DIRECTORY = str(tmp_path / "truc")
    return tmp_path / "truc"


def _counts():
    return (
        Dossier.objects.count(),
        Applicant.objects.count(),
        ComponentFile.objects.count(),
        DossierChangeRecord.objects.count(),
    )


def test_a_package_for_a_procedure_we_handle_opens_a_dossier_of_the_unit(desk, exchange_dir):
    result = package_receive(package())
    (incoming,) = result.incoming
    intake = LienthongIntake.objects.get()
    assert (intake.outcome, intake.reason, intake.incoming) == ("opened", "", incoming)
    assert (intake.from_organ_id, intake.from_dossier_code, intake.procedure_code) == (
        SENDER,
        "000.00.31.H42-241205-0007",
        "2.001417",
    )
    dossier = intake.dossier
    assert dossier.receiving_unit == desk["units"]["centre"] and dossier.status == "received"
    assert dossier.code.startswith(CENTRE + "-") and dossier.received_by is None
    assert dossier.applicant.citizen_id == "040190004321"
    # Sent over by another agency (ADR 0044): not online here; the result goes back by the exchange.
    assert (dossier.channel, dossier.return_channel) == ("lienthong", "")
    # 10 working days from reception, by the unit's calendar (the version's processing time).
    from motcua.calendars.selectors import working_calendar_for

    expected = working_calendar_for(dossier.receiving_unit).due(dossier.received_at, 80.0)
    assert dossier.due_at == dossier.due_at_original == expected
    (event,) = dossier.events.all()
    assert event.action == "received" and event.actor is None
    assert f"Tiếp nhận liên thông từ {SENDER_NAME} (mã {SENDER})" in event.note
    assert "000.00.31.H42-241205-0007" in event.note
    (attached,) = ComponentFile.objects.filter(component__dossier=dossier)
    assert attached.component.name == FORM and attached.stored_file.kind == "pdf"
    assert attached.source == "lienthong" and attached.uploaded_by is None
    assert DossierChangeRecord.objects.filter(dossier_id=dossier.pk, kind="received").exists()
    # Received twice (a replay): registered once, nothing opened twice.
    before = _counts()
    assert package_receive(package()).kind == "duplicate"
    assert _counts() == before and LienthongIntake.objects.count() == 1


@pytest.mark.parametrize(
    "changes, raw, reason",
    [
        ({"procedure_code": "9.999999"}, None, "Thủ tục mã “9.999999” không có hiệu lực"),
        ({"kind": "consult"}, None, "xin ý kiến phối hợp"),
        ({"format": "khác/1"}, None, "không đúng định dạng motcua-lienthong/1"),
        ({"dossier_code": ""}, None, "thiếu trường “dossier_code”"),
        ({}, b"{not json", "không phải JSON UTF-8"),
        ({"applicant": {"full_name": "Lan", "citizen_id": "12"}}, None, "định danh"),
        ({"components": []}, None, "Còn thiếu giấy tờ bắt buộc"),
    ],
)
def test_a_package_that_cannot_open_a_dossier_stays_a_letter_with_the_reason(
    desk, exchange_dir, changes, raw, reason
):
    before = _counts()
    result = package_receive(package(manifest(**changes), raw_manifest=raw))
    assert result.kind == "document" and IncomingDocument.objects.count() == 1
    intake = LienthongIntake.objects.get()
    assert intake.outcome == "letter" and intake.dossier is None
    assert reason in intake.reason, intake.reason
    assert _counts() == before


def test_a_paper_the_store_refuses_opens_nothing(desk, exchange_dir):
    before, stored = _counts(), StoredFile.objects.count()
    package_receive(package(paper=b"MZ\x90\x00 not a paper"))
    intake = LienthongIntake.objects.get()
    assert intake.outcome == "letter" and "tệp “01-to-khai.pdf”" in intake.reason
    assert _counts() == before and StoredFile.objects.count() == stored


def test_a_procedure_another_unit_receives_is_not_opened_here(desk, exchange_dir):
    from motcua.catalog.models import ProcedureVersion

    ProcedureVersion.objects.update(receiving_unit=desk["units"]["so"])
    before = _counts()
    package_receive(package())
    intake = LienthongIntake.objects.get()
    assert "không do Trung tâm Phục vụ hành chính công tỉnh Hà Tĩnh tiếp nhận" in intake.reason
    assert _counts() == before


def test_the_same_dossier_sent_again_while_ours_is_open_is_not_opened_twice(desk, exchange_dir):
    package_receive(package(number="12"))
    first = LienthongIntake.objects.get()
    package_receive(package(number="13"))  # a new letter (a new DocumentId) for the same dossier
    second = LienthongIntake.objects.exclude(pk=first.pk).get()
    assert second.outcome == "letter" and first.dossier.code in second.reason
    assert Dossier.objects.count() == 1 and IncomingDocument.objects.count() == 2


def _ours(desk):
    package_receive(package())
    return LienthongIntake.objects.get().dossier


def _sent_packages(exchange_dir, *, after=()):
    """The packages written to the sender's inbox, oldest first; with `after` (the paths of an
    earlier call's `_sent_paths`), only the new ones."""
    found = []
    for path in _sent_paths(exchange_dir):
        if path in after:
            continue
        found.append(
            edxml.parse(path.read_bytes(), max_package_bytes=2**26, max_attachment_bytes=2**24)
        )
    return found


def _sent_paths(exchange_dir):
    box = exchange_dir / SENDER / "inbox"
    return sorted(box.glob("*.edxml"), key=lambda p: (p.stat().st_mtime_ns, p.name))


def _result(desk, dossier, number=77, title="Phiếu lý lịch tư pháp số 1"):
    stored = stored_file_put(pdf_bytes(f"Phiếu lý lịch tư pháp số {number}"))
    return IssuedDocument.objects.create(
        dossier=dossier,
        number=f"{number}/LLTP",
        title=title,
        token=f"tok{number}",
        stored_file=stored,
        sha256=stored.sha256,
        issuing_unit="Sở Tư pháp",
        signer="Nguyễn Văn A",
        signed_at=datetime.fromisoformat("2026-12-07T09:00+07:00"),
        holder_name=dossier.applicant_name,
        issued_by=desk["leader"],
    )


def test_when_our_dossier_is_resolved_the_result_and_06_go_back_by_themselves(desk, exchange_dir):
    dossier = _ours(desk)
    when = "2026-12-07T09:00"
    act(desk["head"], dossier, "assign", when, assignee_id=desk["specialist"].pk)
    act(desk["specialist"], dossier, "submit_for_signature", "2026-12-07T10:00")
    act(desk["leader"], dossier, "approve", "2026-12-07T11:00")
    issued = _result(desk, dossier)
    exchange_receive_configured()  # what the job exchange-receive does: receive, then answer
    document, status = _sent_packages(exchange_dir)[-2:]
    assert isinstance(document, edxml.DocumentPackage)
    assert document.response_for[0].document_id == f"{SENDER},2024/12/05,12/STP"
    assert document.attachments[0].data == stored_file_bytes(issued.stored_file)
    assert [a.description for a in document.attachments] == ["Phiếu lý lịch tư pháp số 1"]
    assert isinstance(status, edxml.StatusPackage) and status.status_code == "06"
    assert status.response_for.document_id == f"{SENDER},2024/12/05,12/STP"
    intake = LienthongIntake.objects.get()
    assert intake.answer_code == "06" and intake.answered_at is not None
    assert intake.answer_document.state == "sent"
    # Returned by the system once the answer went: the sending agency hands it to the citizen.
    dossier.refresh_from_db()
    assert dossier.status == "returned" and dossier.returned_at is not None
    assert dossier.events.order_by("-pk").first().action == "result_sent_to_agency"
    assert OutgoingDocument.objects.get().response_for[0]["code"] == "12/STP"
    # The job again: nothing more goes.
    sent = len(_sent_packages(exchange_dir))
    exchange_receive_configured()
    assert len(_sent_packages(exchange_dir)) == sent


def test_when_our_dossier_is_refused_02_goes_back_with_the_reason(desk, exchange_dir):
    dossier = _ours(desk)
    act(desk["head"], dossier, "assign", "2026-12-07T09:00", assignee_id=desk["specialist"].pk)
    act(desk["leader"], dossier, "refuse", "2026-12-07T10:00", reason="Người yêu cầu đã chết")
    exchange_receive_configured()
    status = _sent_packages(exchange_dir)[-1]
    assert isinstance(status, edxml.StatusPackage) and status.status_code == "02"
    assert "từ chối giải quyết: Người yêu cầu đã chết" in status.description
    assert OutgoingDocument.objects.count() == 0  # no result: the status alone answers
    assert LienthongIntake.objects.get().answer_code == "02"
    dossier.refresh_from_db()
    assert dossier.status == "returned"
    assert dossier.events.order_by("-pk").first().action == "refusal_sent_to_agency"


def test_an_answer_the_transport_cannot_take_is_tried_again(desk, exchange_dir, settings):
    dossier = _ours(desk)
    act(desk["head"], dossier, "assign", "2026-12-07T09:00", assignee_id=desk["specialist"].pk)
    act(desk["leader"], dossier, "refuse", "2026-12-07T10:00", reason="Không đủ điều kiện")
    (exchange_dir / SENDER).mkdir(parents=True, exist_ok=True)
    (exchange_dir / SENDER / "inbox").write_text("not a folder")  # the transport cannot write
    report = exchange_receive_configured()
    assert report.answers_failed == 1
    intake = LienthongIntake.objects.get()
    assert intake.answered_at is None and intake.answer_code == ""


def _resolved(desk):
    dossier = _ours(desk)
    act(desk["head"], dossier, "assign", "2026-12-07T09:00", assignee_id=desk["specialist"].pk)
    act(desk["specialist"], dossier, "submit_for_signature", "2026-12-07T10:00")
    act(desk["leader"], dossier, "approve", "2026-12-07T11:00")
    return dossier


def test_a_result_issued_after_the_06_goes_in_a_document_of_its_own_once(desk, exchange_dir):
    dossier = _resolved(desk)
    first = _result(desk, dossier)
    exchange_receive_configured()
    assert LienthongIntake.objects.get().answer_code == "06"
    before = _sent_paths(exchange_dir)
    second = _result(desk, dossier, number=78, title="Phiếu lý lịch tư pháp số 2")
    report = exchange_receive_configured()
    assert report.results_sent == 1 and report.answers == 0
    (later,) = _sent_packages(exchange_dir, after=before)  # a document, and no second 06
    assert isinstance(later, edxml.DocumentPackage)
    assert later.subject.startswith("V/v gửi bổ sung kết quả liên thông hồ sơ")
    assert later.response_for[0].document_id == f"{SENDER},2024/12/05,12/STP"
    assert [a.data for a in later.attachments] == [stored_file_bytes(second.stored_file)]
    assert set(LienthongResultSent.objects.values_list("result_id", flat=True)) == {
        first.pk,
        second.pk,
    }
    exchange_receive_configured()  # and once only
    assert len(_sent_paths(exchange_dir)) == len(before) + 1


def test_a_dossier_that_ended_while_no_transport_was_configured_is_answered_once_one_is(
    desk, exchange_dir, settings
):
    dossier = _ours(desk)
    settings.MOTCUA_EXCHANGE_TRANSPORT = ""  # switched off while the dossier is resolved
    act(desk["head"], dossier, "assign", "2026-12-07T09:00", assignee_id=desk["specialist"].pk)
    act(desk["specialist"], dossier, "submit_for_signature", "2026-12-07T10:00")
    act(desk["leader"], dossier, "approve", "2026-12-07T11:00")
    _result(desk, dossier)
    settings.MOTCUA_EXCHANGE_TRANSPORT = "directory"  # back
    report = exchange_receive_configured()
    assert report.answers == 1
    document, status = _sent_packages(exchange_dir)[-2:]
    assert isinstance(document, edxml.DocumentPackage) and status.status_code == "06"


def test_a_failed_answer_waits_longer_each_time_and_goes_once_the_transport_takes_it(
    desk, exchange_dir, client
):
    from django.urls import reverse

    client.force_login(desk["desk"])
    dossier = _ours(desk)
    act(desk["head"], dossier, "assign", "2026-12-07T09:00", assignee_id=desk["specialist"].pk)
    act(desk["leader"], dossier, "refuse", "2026-12-07T10:00", reason="Không đủ điều kiện")
    blocker = exchange_dir / SENDER / "inbox"
    blocker.parent.mkdir(parents=True, exist_ok=True)
    blocker.write_text("not a folder")  # the transport cannot write
    assert exchange_receive_configured().answers_failed == 1
    intake = LienthongIntake.objects.get()
    assert intake.answer_attempts == 1 and intake.answer_error
    first_wait = intake.next_answer_at - now()
    # Not tried again before its time.
    assert exchange_receive_configured().answers_failed == 0
    LienthongIntake.objects.update(next_answer_at=now())
    assert exchange_receive_configured().answers_failed == 1
    intake.refresh_from_db()
    assert intake.answer_attempts == 2 and intake.next_answer_at - now() > first_wait
    page = client.get(reverse("backoffice:exchange_incoming_detail", args=[intake.incoming_id]))
    assert (
        "chưa gửi được trả lời</strong> (2 lần, lỗi: Không ghi được gói tin"
        in page.content.decode()
    )
    blocker.unlink()
    LienthongIntake.objects.update(next_answer_at=now())
    assert exchange_receive_configured().answers == 1
    intake.refresh_from_db()
    assert (
        intake.answer_code == "02" and intake.answer_error == "" and intake.next_answer_at is None
    )


def test_the_incoming_page_says_which_dossier_was_opened_or_why_none(desk, exchange_dir, client):
    from django.urls import reverse

    package_receive(package(number="12"))
    package_receive(package(number="13"))  # the same dossier again: stays a letter
    opened, letter = LienthongIntake.objects.order_by("pk")
    client.force_login(desk["desk"])
    page = client.get(reverse("backoffice:exchange_incoming_detail", args=[opened.incoming_id]))
    assert page.status_code == 200
    text = page.content.decode()
    assert (
        f'đã mở hồ sơ <a href="{reverse("backoffice:dossier_detail", args=[opened.dossier_id])}">'
        in text
    )
    assert opened.dossier.code in text
    page = client.get(reverse("backoffice:exchange_incoming_detail", args=[letter.incoming_id]))
    assert "không mở hồ sơ — Hồ sơ 000.00.31.H42-241205-0007" in page.content.decode()


def test_the_migration_records_the_results_already_sent_and_forgets_the_old_subscriber(
    desk, exchange_dir
):
    import importlib

    from django.apps import apps

    from motcua.dossiers.models import DossierChangeDelivery

    migration = importlib.import_module(
        "motcua.exchange.migrations.0005_lienthong_answers_by_sweep"
    )
    dossier = _resolved(desk)
    first = _result(desk, dossier)
    exchange_receive_configured()
    intake = LienthongIntake.objects.get()
    late = _result(desk, dossier, number=78)
    IssuedDocument.objects.filter(pk=late.pk).update(
        signed_at=intake.answer_document.registered_at + timedelta(hours=1)
    )
    LienthongResultSent.objects.all().delete()  # as it stood before 0005
    record = DossierChangeRecord.objects.filter(dossier=dossier).first()
    DossierChangeDelivery.objects.create(
        change=record, subscriber=migration.OLD_SUBSCRIBER, dossier_id_copy=dossier.pk,
        next_attempt_at=now(),
    )  # fmt: skip
    migration.results_already_sent(apps, None)
    migration.old_subscriber_forgotten(apps, None)
    assert list(LienthongResultSent.objects.values_list("result_id", flat=True)) == [first.pk]
    assert not DossierChangeDelivery.objects.filter(subscriber=migration.OLD_SUBSCRIBER).exists()
    # The late one goes on the next run.
    assert exchange_receive_configured().results_sent == 1
