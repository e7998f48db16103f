"""The register pages: a clerk registers, sends and follows a document; the receiving unit sees it
arrive, opens its file, assigns it. Other units' staff see nothing of it; bad input saves nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from motcua.accounts.roles import Role
from motcua.exchange.models import IncomingDocument, OutgoingDocument, OutgoingState
from motcua.exchange.services import exchange_receive
from motcua.exchange.transports import DirectoryTransport
from tests.accounts.factories import UnitFactory, UserFactory

from .conftest import PDF, register

pytestmark = pytest.mark.django_db


def _client(client, user):
    client.force_login(user)
    return client


FORM = {
    "type_name": "Công văn",
    "document_type": "1",
    "symbol": "STP-VP",
    "issued_on": "2026-12-07",
    "place": "Hà Tĩnh",
    "subject": "V/v đề nghị cung cấp thông tin lý lịch tư pháp",
    "signer_competence": "KT.",
    "signer_position": "Phó Giám đốc",
    "signer_name": "Nguyễn Văn An",
    "recipients": "000.00.07.H27 Sở Nội vụ\n000.00.05.H27 Sở Tài chính",
    "steering_type": "0",
    "due_date": "2026-12-21",
}


def test_register_and_send_from_the_page(settings, tmp_path, client, clerk, receiver_clerk):
    settings.MOTCUA_EXCHANGE_TRANSPORT = "directory"
    settings.MOTCUA_EXCHANGE_DIRECTORY = str(tmp_path)
    c = _client(client, clerk)
    assert c.get(reverse("backoffice:exchange_outgoing_new")).status_code == 200
    response = c.post(
        reverse("backoffice:exchange_outgoing_new"),
        {**FORM, "attachment": SimpleUploadedFile("cv.pdf", PDF, "application/pdf")},
    )
    document = OutgoingDocument.objects.get()
    assert response.status_code == 302
    assert document.number_symbol == "01/STP-VP"
    assert [d.organ_id for d in document.deliveries.all()] == ["000.00.07.H27", "000.00.05.H27"]
    page = c.get(reverse("backoffice:exchange_outgoing")).content.decode()
    assert "01/STP-VP" in page and "Đã vào sổ, chưa gửi" in page

    c.post(reverse("backoffice:exchange_outgoing_send", args=[document.pk]))
    document.refresh_from_db()
    assert document.state == OutgoingState.SENT

    exchange_receive(DirectoryTransport(tmp_path, ["000.00.07.H27"]))
    exchange_receive(DirectoryTransport(tmp_path, ["000.00.12.H27"]))
    detail = c.get(reverse("backoffice:exchange_outgoing_detail", args=[document.pk]))
    assert "01 — Đã đến" in detail.content.decode()


def test_a_bad_form_saves_nothing_and_says_why(client, clerk):
    c = _client(client, clerk)
    response = c.post(
        reverse("backoffice:exchange_outgoing_new"), {**FORM, "recipients": "Sở Nội vụ"}
    )
    assert response.status_code == 200
    assert "không đúng dạng QCVN 102:2016" in response.content.decode()
    assert OutgoingDocument.objects.count() == 0


def test_send_without_a_transport_says_so_and_changes_nothing(settings, client, clerk):
    settings.MOTCUA_EXCHANGE_TRANSPORT = ""
    document = register(clerk)
    response = _client(client, clerk).post(
        reverse("backoffice:exchange_outgoing_send", args=[document.pk]), follow=True
    )
    assert "Chưa cấu hình đường truyền văn bản" in response.content.decode()
    document.refresh_from_db()
    assert document.state == OutgoingState.REGISTERED


def test_the_receiving_unit_sees_downloads_and_assigns(client, clerk, receiver_clerk, tmp_path):
    from motcua.exchange.services import outgoing_pack, package_receive

    incoming = package_receive(outgoing_pack(register(clerk))).incoming[0]
    colleague = UserFactory(role=Role.SPECIALIST, unit=receiver_clerk.unit, full_name="Phạm Xử Lý")
    c = _client(client, receiver_clerk)
    listing = c.get(reverse("backoffice:exchange_incoming")).content.decode()
    assert "Sở Tư pháp tỉnh Hà Tĩnh" in listing and "01/STP-VP" in listing
    detail = c.get(reverse("backoffice:exchange_incoming_detail", args=[incoming.pk]))
    assert "Phạm Xử Lý" in detail.content.decode()
    file = incoming.files.first()
    download = c.get(reverse("backoffice:exchange_incoming_file", args=[incoming.pk, file.pk]))
    assert download.content == PDF and "attachment" in download["Content-Disposition"]

    response = c.post(
        reverse("backoffice:exchange_incoming_assign", args=[incoming.pk]),
        {"assignee": clerk.pk, "due_date": ""},  # not an officer of the receiving unit
    )
    assert response.status_code == 200
    incoming.refresh_from_db()
    assert incoming.assignee is None
    c.post(
        reverse("backoffice:exchange_incoming_assign", args=[incoming.pk]),
        {"assignee": colleague.pk, "due_date": "2026-12-30"},
    )
    incoming.refresh_from_db()
    assert incoming.assignee == colleague and str(incoming.due_date) == "2026-12-30"


def test_other_units_staff_see_nothing(client, clerk, receiver_clerk):
    from motcua.exchange.services import outgoing_pack, package_receive

    document = register(clerk)
    incoming = package_receive(outgoing_pack(document)).incoming[0]
    stranger = UserFactory(role=Role.DEPARTMENT_LEADER, unit=UnitFactory())
    c = _client(client, stranger)
    assert "01/STP-VP" not in c.get(reverse("backoffice:exchange_outgoing")).content.decode()
    assert "STP-VP" not in c.get(reverse("backoffice:exchange_incoming")).content.decode()
    for name, args in [
        ("backoffice:exchange_outgoing_detail", [document.pk]),
        ("backoffice:exchange_outgoing_file", [document.pk, document.files.first().pk]),
        ("backoffice:exchange_incoming_detail", [incoming.pk]),
        ("backoffice:exchange_incoming_file", [incoming.pk, incoming.files.first().pk]),
    ]:
        assert c.get(reverse(name, args=args)).status_code == 404
    assert (
        c.post(reverse("backoffice:exchange_outgoing_send", args=[document.pk])).status_code == 404
    )
    response = c.post(
        reverse("backoffice:exchange_incoming_assign", args=[incoming.pk]),
        {"assignee": stranger.pk},
    )
    assert response.status_code == 404
    assert IncomingDocument.objects.get().assignee is None


def test_citizens_are_kept_out(client, document):
    c = _client(client, UserFactory(citizen=True))
    assert c.get(reverse("backoffice:exchange_outgoing")).status_code == 403
    assert (
        c.get(reverse("backoffice:exchange_outgoing_detail", args=[document.pk])).status_code == 403
    )


def test_reply_and_recall_from_the_pages(settings, tmp_path, client, clerk, receiver_clerk):
    settings.MOTCUA_EXCHANGE_TRANSPORT = "directory"
    settings.MOTCUA_EXCHANGE_DIRECTORY = str(tmp_path)
    document = register(clerk)
    sender = _client(client, clerk)
    sender.post(reverse("backoffice:exchange_outgoing_send", args=[document.pk]))
    exchange_receive(DirectoryTransport(tmp_path, ["000.00.07.H27"]))
    incoming = IncomingDocument.objects.get()

    page = sender.post(
        reverse("backoffice:exchange_outgoing_recall", args=[document.pk]),
        {"reason": "Sai phụ lục"},
        follow=True,
    ).content.decode()
    assert "Đã đề nghị các nơi nhận trả lại" in page
    exchange_receive(DirectoryTransport(tmp_path, ["000.00.07.H27"]))

    client.logout()
    receiver = _client(client, receiver_clerk)
    detail = receiver.get(reverse("backoffice:exchange_incoming_detail", args=[incoming.pk]))
    assert "Nơi gửi đề nghị lấy lại văn bản này" in detail.content.decode()
    bad = receiver.post(
        reverse("backoffice:exchange_incoming_reply", args=[incoming.pk]), {"code": "13"}
    )
    assert bad.status_code == 200 and "Chưa lưu được" in bad.content.decode()
    receiver.post(
        reverse("backoffice:exchange_incoming_reply", args=[incoming.pk]),
        {"code": "16", "description": "Đã ban hành văn bản thực hiện"},
    )
    incoming.refresh_from_db()
    assert incoming.reply_code == "16"
    exchange_receive(DirectoryTransport(tmp_path, ["000.00.12.H27"]))
    assert document.deliveries.get().status_code == "16"
