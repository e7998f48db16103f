"""The two registers: numbering per Decree 30, sending through the directory transport, receiving
into the incoming register, status packages on the sent document, assignment; bad input changes
nothing."""

import hashlib
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from motcua.accounts.roles import Role
from motcua.documents.storage import documents_storage
from motcua.exchange import edxml
from motcua.exchange.files import exchange_file_bytes
from motcua.exchange.models import (
    Delivery,
    DeliveryStatus,
    ExchangeMessage,
    IncomingDocument,
    OutgoingDocument,
    OutgoingState,
)
from motcua.exchange.services import (
    FileIn,
    exchange_receive,
    incoming_assign,
    incoming_status_send,
    outgoing_pack,
    outgoing_send,
    package_receive,
)
from motcua.exchange.transports import DirectoryTransport, TransportError
from tests.accounts.factories import UserFactory

from .conftest import DOCX, PDF, register

pytestmark = pytest.mark.django_db


def _counts():
    return (
        OutgoingDocument.objects.count(),
        Delivery.objects.count(),
        IncomingDocument.objects.count(),
        DeliveryStatus.objects.count(),
    )


def test_numbers_run_per_unit_and_year_from_01(clerk, receiver_clerk):
    first = register(clerk)
    second = register(clerk)
    other_unit = register(receiver_clerk, recipients=[("000.00.12.H27", "")])
    next_year = register(clerk, issued_on=date(2027, 1, 2), due_date=None)
    assert (first.number, second.number, other_unit.number, next_year.number) == (1, 2, 1, 1)
    assert first.number_symbol == "01/STP-VP"
    assert first.edxml_document_id == "000.00.12.H27,2026/12/07,01/STP-VP"


def test_a_document_carried_over_keeps_its_number_and_the_series_goes_on_from_it(clerk):
    assert register(clerk).number == 1
    assert register(clerk, number=5).number == 5  # numbered in a register kept before
    assert register(clerk).number == 6
    with pytest.raises(ValidationError, match="đã cấp đến số 6: không vào sổ được số này"):
        register(clerk, number=6)
    assert sorted(OutgoingDocument.objects.values_list("number", flat=True)) == [1, 5, 6]


@pytest.mark.parametrize(
    "changes, field, words",
    [
        ({"recipients": []}, "recipients", "ít nhất một nơi nhận"),
        ({"recipients": [("Sở Nội vụ", "")]}, "recipients", "không đúng dạng QCVN 102:2016"),
        ({"symbol": "BC/STP"}, "symbol", "dấu gạch nối"),
        ({"subject": "  "}, "subject", "bắt buộc"),
        ({"due_date": date(2026, 12, 1)}, "due_date", "trước ngày ban hành"),
        ({"files": [FileIn("to.pdf", "application/pdf", b"x" * 101)]}, "files", "vượt giới hạn"),
    ],
)
def test_bad_registration_is_refused_and_nothing_changes(settings, clerk, changes, field, words):
    settings.MOTCUA_EXCHANGE_MAX_ATTACHMENT_BYTES = 100
    before = _counts()
    with pytest.raises(ValidationError) as caught:
        register(clerk, **changes)
    assert words in caught.value.message_dict[field][0]
    assert _counts() == before


def test_only_staff_of_a_unit_register():
    with pytest.raises(PermissionDenied):
        register(UserFactory(citizen=True))
    with pytest.raises(PermissionDenied):
        register(UserFactory(role=Role.SPECIALIST, unit=None))
    assert OutgoingDocument.objects.count() == 0


def test_send_receive_status_round_trip_through_a_directory(tmp_path, clerk, receiver_clerk):
    document = register(clerk)
    ours = DirectoryTransport(tmp_path, ["000.00.12.H27"])
    theirs = DirectoryTransport(tmp_path, ["000.00.07.H27"])

    outgoing_send(clerk, document.pk, ours)
    document.refresh_from_db()
    assert document.state == OutgoingState.SENT
    assert len(list((tmp_path / "000.00.07.H27" / "inbox").glob("*.edxml"))) == 1

    report = exchange_receive(theirs)  # registers it and answers 01 (arrived)
    assert (report.documents, report.refused) == (1, 0)
    incoming = IncomingDocument.objects.get()
    assert incoming.unit == receiver_clerk.unit and incoming.arrival_number == 1
    assert (incoming.code_number, incoming.code_notation) == ("01", "STP-VP")
    assert incoming.from_organ_id == "000.00.12.H27" and incoming.due_date == date(2026, 12, 21)
    assert [exchange_file_bytes(f) for f in incoming.files.all()] == [PDF, DOCX]
    # … in the file store, under their SHA-256 (ADR 0042), not in the database.
    names = [f.storage_name for f in incoming.files.all()]
    hashes = (hashlib.sha256(PDF).hexdigest(), hashlib.sha256(DOCX).hexdigest())
    assert names == [f"exchange/{h[:2]}/{h[2:4]}/{h}" for h in hashes]
    assert all(documents_storage().exists(name) for name in names)
    assert not list((tmp_path / "000.00.07.H27" / "inbox").glob("*.edxml"))

    assert exchange_receive(ours).statuses == 1
    delivery = document.deliveries.get()
    assert delivery.status_code == "01"

    incoming_status_send(incoming, "06", "Đã xử lý xong", theirs)
    exchange_receive(ours)
    delivery.refresh_from_db()
    assert delivery.status_code == "06" and delivery.status_description == "Đã xử lý xong"
    assert list(delivery.statuses.values_list("code", flat=True)) == ["01", "06"]


@pytest.mark.parametrize("code", ["02", "13", "15", "16"])
def test_every_status_code_of_the_standard_lands_on_the_delivery(clerk, code):
    document = register(clerk)
    status = edxml.StatusPackage(
        sender=edxml.Organization("000.00.07.H27"),
        response_for=edxml.ResponseFor("000.00.12.H27", document.number_symbol, document.issued_on),
        status_code=code,
        timestamp=__import__("datetime").datetime(2026, 12, 8, 9, 0),
        description=edxml.STATUS_CODES[code],
    )
    result = package_receive(edxml.pack_status(status))
    assert result.kind == "status"
    assert document.deliveries.get().status_code == code


def test_the_same_package_twice_is_registered_once(clerk, receiver_unit):
    package = outgoing_pack(register(clerk))
    assert package_receive(package).kind == "document"
    assert package_receive(package).kind == "duplicate"
    assert IncomingDocument.objects.count() == 1
    assert ExchangeMessage.objects.filter(outcome="duplicate").count() == 1


def test_bad_packages_change_nothing_but_their_record(tmp_path, clerk, receiver_unit):
    good = outgoing_pack(register(clerk))
    status_for_nothing = edxml.pack_status(
        edxml.StatusPackage(
            sender=edxml.Organization("000.00.07.H27"),
            response_for=edxml.ResponseFor("000.00.12.H27", "99/KHONG-CO"),
            status_code="06",
            timestamp=__import__("datetime").datetime(2026, 12, 8, 9, 0),
        )
    )
    bad = [
        good.replace(edxml.NS.encode(), b"urn:sai"),
        good.replace(b"000.00.07.H27", b"000.00.88.H99"),  # for no unit of ours
        good.replace(
            b"<edXML:ContentTransferEncoded>JVBER", b"<edXML:ContentTransferEncoded>*VBER"
        ),
        status_for_nothing,
        status_for_nothing.replace(b">06<", b">42<"),
    ]
    box = tmp_path / "000.00.07.H27" / "inbox"
    box.mkdir(parents=True)
    for index, data in enumerate(bad):
        (box / f"bad-{index}.edxml").write_bytes(data)
    before = _counts()
    report = exchange_receive(DirectoryTransport(tmp_path, ["000.00.07.H27"]))
    assert (report.documents, report.statuses, report.refused) == (0, 0, 5)
    assert _counts() == before
    assert len(list((tmp_path / "000.00.07.H27" / "failed").glob("*.edxml"))) == 5
    assert ExchangeMessage.objects.filter(outcome="refused").count() == 5


class BrokenTransport:
    name = "broken"

    def send(self, package, *, to, kind):
        raise TransportError("Không kết nối được trục trao đổi văn bản (sendEdoc): ConnectTimeout")


def test_a_failed_send_leaves_the_document_registered(clerk):
    document = register(clerk)
    with pytest.raises(TransportError):
        outgoing_send(clerk, document.pk, BrokenTransport())
    document.refresh_from_db()
    assert document.state == OutgoingState.REGISTERED and document.sent_at is None
    assert ExchangeMessage.objects.get().outcome == "transport"


def test_a_document_is_sent_once(tmp_path, clerk):
    document = register(clerk)
    transport = DirectoryTransport(tmp_path, [])
    outgoing_send(clerk, document.pk, transport)
    with pytest.raises(ValidationError, match="đã được gửi"):
        outgoing_send(clerk, document.pk, transport)


def test_another_units_officer_cannot_send(clerk, receiver_clerk, tmp_path):
    from django.http import Http404

    document = register(clerk)
    with pytest.raises(Http404):
        outgoing_send(receiver_clerk, document.pk, DirectoryTransport(tmp_path, []))
    document.refresh_from_db()
    assert document.state == OutgoingState.REGISTERED


def test_assign_to_an_officer_of_the_receiving_unit_only(clerk, receiver_clerk, receiver_unit):
    incoming = package_receive(outgoing_pack(register(clerk))).incoming[0]
    colleague = UserFactory(role=Role.SPECIALIST, unit=receiver_unit)
    with pytest.raises(ValidationError, match="không phải cán bộ"):
        incoming_assign(receiver_clerk, incoming.pk, clerk.pk)
    incoming.refresh_from_db()
    assert incoming.assignee is None
    incoming_assign(receiver_clerk, incoming.pk, colleague.pk, date(2026, 12, 30))
    incoming.refresh_from_db()
    assert incoming.assignee == colleague and incoming.due_date == date(2026, 12, 30)


def test_a_resent_document_is_registered_once(clerk, receiver_unit):
    """A resend is a new package (a new trace timestamp) of the same document."""
    document = register(clerk)
    first = outgoing_pack(document)
    again = first.replace(
        b"<edXML:BussinessDocReason>", "<edXML:BussinessDocReason>Gửi lại: ".encode()
    )
    assert first != again
    assert package_receive(first).kind == "document"
    assert package_receive(again).kind == "duplicate"
    assert IncomingDocument.objects.count() == 1


def test_recall_and_answers_travel_both_ways(tmp_path, clerk, receiver_clerk):
    from motcua.exchange.services import incoming_reply, outgoing_recall

    document = register(clerk)
    ours = DirectoryTransport(tmp_path, ["000.00.12.H27"])
    theirs = DirectoryTransport(tmp_path, ["000.00.07.H27"])
    with pytest.raises(ValidationError, match="chưa được gửi"):
        outgoing_recall(clerk, document.pk, "Sai số liệu", ours)
    outgoing_send(clerk, document.pk, ours)
    exchange_receive(theirs)
    incoming = IncomingDocument.objects.get()
    assert incoming.reply_code == "01"
    with pytest.raises(ValidationError, match="chưa đề nghị lấy lại"):
        incoming_reply(receiver_clerk, incoming.pk, "15", "", theirs)

    document = outgoing_recall(clerk, document.pk, "Sai số liệu ở phụ lục", ours)
    assert document.recall_requested_at is not None
    with pytest.raises(ValidationError, match="Đã đề nghị lấy lại"):
        outgoing_recall(clerk, document.pk, "lần nữa", ours)
    assert exchange_receive(theirs).statuses == 1
    incoming.refresh_from_db()
    assert incoming.sender_status_code == "13"

    incoming_reply(receiver_clerk, incoming.pk, "15", "Đồng ý trả lại", theirs)
    exchange_receive(ours)
    delivery = document.deliveries.get()
    assert (delivery.status_code, delivery.status_description) == ("15", "Đồng ý trả lại")
    assert list(delivery.statuses.values_list("code", flat=True)) == ["01", "15"]


def test_a_reply_that_cannot_be_sent_changes_nothing(clerk, receiver_clerk, receiver_unit):
    from motcua.exchange.services import incoming_reply

    incoming = package_receive(outgoing_pack(register(clerk))).incoming[0]
    with pytest.raises(ValidationError, match="không báo được"):
        incoming_reply(receiver_clerk, incoming.pk, "13", "", BrokenTransport())
    with pytest.raises(TransportError):
        incoming_reply(receiver_clerk, incoming.pk, "03", "", BrokenTransport())
    incoming.refresh_from_db()
    assert incoming.reply_code == ""


def test_a_status_that_arrives_late_goes_to_the_history_only(clerk):
    from datetime import datetime

    document = register(clerk)

    def status(code, hour):
        return edxml.pack_status(
            edxml.StatusPackage(
                sender=edxml.Organization("000.00.07.H27"),
                response_for=edxml.ResponseFor("000.00.12.H27", document.number_symbol),
                status_code=code,
                timestamp=datetime(2026, 12, 8, hour, 0),
            )
        )

    package_receive(status("06", 15))
    package_receive(status("03", 9))  # sent earlier, arrived later
    delivery = document.deliveries.get()
    assert delivery.status_code == "06"
    assert sorted(delivery.statuses.values_list("code", flat=True)) == ["03", "06"]
