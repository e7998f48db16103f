"""The postal channel both ways: a dossier that came by post, its result posted, the mail returned to
sender, the dossier back waiting for return, posted again and delivered with proof."""

import subprocess

import pytest
import time_machine
from django.test import Client

from motcua.dossiers.models import Dossier
from motcua.postal.models import Consignment, ConsignmentStatus, TrackingEvent
from motcua.postal.s10 import s10_validate
from motcua.postal.selectors import postal_counts
from motcua.postal.services import postal_return_send
from tests.dossiers.test_services import at

from .helpers import event, home_address, process_to_result, receive_by_post, signed_post

pytestmark = pytest.mark.django_db


def post_result(desk, dossier, when, **kwargs):
    dossier.refresh_from_db()
    with time_machine.travel(at(when), tick=False):
        return postal_return_send(
            desk["desk"],
            dossier.pk,
            expected_revision=dossier.revision,
            address=kwargs.pop("address", home_address()),
            weight_grams=kwargs.pop("weight_grams", 120),
        )


def pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "label.pdf"
    path.write_bytes(content)
    text = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(text.split())


def barcodes(content: bytes, tmp_path) -> list[str]:
    path = tmp_path / "label.pdf"
    path.write_bytes(content)
    subprocess.run(["pdftoppm", "-r", "300", "-png", str(path), str(tmp_path / "page")], check=True)
    images = sorted(str(p) for p in tmp_path.glob("page*.png"))
    found = subprocess.run(
        ["zbarimg", "--quiet", "--raw", *images], capture_output=True, text=True
    ).stdout
    return found.split()


def test_round_trip_with_returned_mail(desk, tmp_path):
    # 1. The dossier came by post: posted on 24/04, on the desk at 16:00 on 26/04 — the clock
    # starts at the desk, so the appointment is the same as for a dossier handed in at 16:00.
    dossier = receive_by_post(desk)
    assert dossier.channel == "post" and dossier.return_channel == "post"
    assert dossier.received_at == at("2024-04-26T16:00")
    assert dossier.due_at == at("2024-05-14T16:00")
    inbound = Consignment.objects.get(dossier=dossier, direction="inbound")
    assert (inbound.number, str(inbound.posted_on)) == ("EE123456785VN", "2024-04-24")
    assert inbound.arrived_at == at("2024-04-26T16:00")
    assert "bưu chính" in dossier.events.get().note

    # 2. Processed, then the desk posts the result: a consignment, its postage, status 10.
    dossier = process_to_result(desk, dossier)
    first = post_result(desk, dossier, "2024-05-09T14:00")
    assert s10_validate(first.number) == first.number
    assert (first.fee, first.status) == (23000, ConsignmentStatus.CREATED)  # 101–250 g, nội tỉnh
    dossier.refresh_from_db()
    assert dossier.status == "returned" and dossier.return_channel == "post"
    assert dossier.returned_at == at("2024-05-09T14:00")

    # 3. The label: receiver, sender, number, dossier code; the barcode decodes to the number.
    client = Client()
    client.force_login(desk["desk"])
    label = client.get(f"/can-bo/buu-chinh/buu-gui/{first.pk}/nhan.pdf")
    assert label.status_code == 200 and label["Content-Type"] == "application/pdf"
    text = pdf_text(label.content, tmp_path)
    for expected in (first.number, dossier.code, "Nguyễn Thị Hương", "Phường Thành Sen"):
        assert expected in text
    assert "NGƯỜI GỬI" in text and "23.000" in text
    assert barcodes(label.content, tmp_path) == [first.number]

    # 4. The operator reports: accepted, in transit, then returned to sender.
    webhook = Client()
    with time_machine.travel(at("2024-05-12T10:00"), tick=False):
        for event_id, kind, when in (
            ("ev-1", "accepted", "2024-05-09T16:00:00+07:00"),
            ("ev-2", "in_transit", "2024-05-10T08:00:00+07:00"),
        ):
            assert (
                signed_post(webhook, event(first.number, event_id, kind, when)).status_code == 201
            )
        first.refresh_from_db()
        assert first.status == ConsignmentStatus.IN_TRANSIT
        returned = signed_post(
            webhook,
            event(
                first.number,
                "ev-3",
                "returned_to_sender",
                "2024-05-12T09:00:00+07:00",
                note="Không có người nhận tại địa chỉ",
            ),
        )
    assert returned.status_code == 201, returned.content

    # 5. The dossier is back waiting for return, with the reason in its history.
    dossier.refresh_from_db()
    assert dossier.status == "finished" and dossier.returned_at is None
    back = dossier.events.order_by("-pk").first()
    assert (back.action, back.from_status, back.to_status) == (
        "mail_returned",
        "returned",
        "finished",
    )
    assert first.number in back.note and "Không có người nhận" in back.note
    assert dossier.current_step.name == "Trả kết quả" and dossier.current_step.finished_at is None

    # 6. The desk posts it again (another address) and the operator delivers it with proof.
    second = post_result(
        desk,
        dossier,
        "2024-05-13T09:00",
        address=home_address(province_code="1", ward_code="4", address_line="12 Phố Huế"),
        weight_grams=600,
    )
    assert second.number != first.number and second.fee == 41000  # 501–1000 g, liên tỉnh
    with time_machine.travel(at("2024-05-15T10:00"), tick=False):
        delivered = signed_post(
            webhook,
            event(
                second.number,
                "ev-9",
                "delivered",
                "2024-05-15T09:30:00+07:00",
                signed_by="Nguyễn Văn Nam",
                proof_url="https://vnpost.example/pod/ev-9.jpg",
            ),
        )
    assert delivered.status_code == 201
    second.refresh_from_db()
    assert second.status == ConsignmentStatus.DELIVERED
    assert (second.delivered_to, second.delivered_at) == ("Nguyễn Văn Nam", at("2024-05-15T09:30"))
    dossier.refresh_from_db()
    assert dossier.status == "returned" and dossier.returned_at == at("2024-05-13T09:00")
    assert list(dossier.events.values_list("action", flat=True))[-3:] == [
        "return_result",
        "mail_returned",
        "return_result",
    ]
    assert TrackingEvent.objects.count() == 4

    # 7. The indicators see one dossier received by post and one result returned by post.
    from datetime import date

    counts = postal_counts(date(2024, 4, 1), date(2024, 6, 30))
    assert counts == {"received_post": 1, "returned_post": 1}
    assert postal_counts(date(2024, 4, 1), date(2024, 6, 30), "khong-co") == {
        "received_post": 0,
        "returned_post": 0,
    }


def test_a_refusal_notice_that_comes_back_is_a_refusal_again(desk):
    from tests.dossiers.test_services import act

    dossier = receive_by_post(desk)
    act(desk["head"], dossier, "assign", "2024-05-02T08:00", assignee_id=desk["specialist"].pk)
    act(desk["head"], dossier, "refuse", "2024-05-03T08:00", reason="Không đủ điều kiện")
    consignment = post_result(desk, dossier, "2024-05-03T10:00")
    with time_machine.travel(at("2024-05-06T10:00"), tick=False):
        answer = signed_post(
            Client(),
            event(consignment.number, "r-1", "returned_to_sender", "2024-05-06T09:00:00+07:00"),
        )
    assert answer.status_code == 201
    dossier.refresh_from_db()
    assert dossier.status == "refused"
    assert dossier.events.order_by("-pk").first().action == "refusal_mail_returned"


def test_posting_is_refused_before_there_is_a_result(desk):
    dossier = receive_by_post(desk)
    with pytest.raises(Exception) as error:
        post_result(desk, dossier, "2024-04-29T09:00")
    assert "trả kết quả" in str(error.value).lower()
    assert not Consignment.objects.filter(direction="outbound").exists()
    assert Dossier.objects.get().status == "received"
