"""Shared steps of the postal tests: a dossier received by post, processed, and the signed webhook."""

import json
import time
from datetime import date

import time_machine
from django.test import Client

from motcua.core.signed_requests import request_signature as webhook_signature
from motcua.postal.services import Address, PostalFacts, postal_intake_receive
from tests.dossiers.test_services import act, at, intake

SECRET = "bi-mat-webhook-thu-nghiem"
THANH_SEN = ("42", "18073")  # Phường Thành Sen, Hà Tĩnh (the desk's own province)
BA_DINH = ("1", "4")  # Phường Ba Đình, Hà Nội


def home_address(**overrides) -> Address:
    values = dict(
        receiver_name="Nguyễn Thị Hương",
        province_code=THANH_SEN[0],
        ward_code=THANH_SEN[1],
        address_line="Số 5, đường Phan Đình Phùng",
        phone="0912345678",
    )
    values.update(overrides)
    return Address(**values)


def receive_by_post(
    desk, *, number="EE123456785VN", posted="2024-04-24", arrived="2024-04-26T16:00"
):
    with time_machine.travel(at("2024-04-26T16:30"), tick=False):
        return postal_intake_receive(
            desk["desk"],
            intake(return_channel="post"),
            PostalFacts(
                number=number, posted_on=date.fromisoformat(posted), arrived_at=at(arrived)
            ),
        )


def process_to_result(desk, dossier):
    act(desk["head"], dossier, "assign", "2024-05-02T08:00", assignee_id=desk["specialist"].pk)
    act(desk["specialist"], dossier, "submit_for_signature", "2024-05-08T10:00")
    act(desk["leader"], dossier, "approve", "2024-05-09T09:00")
    dossier.refresh_from_db()
    return dossier


def signed_post(
    client: Client, payload, *, secret=SECRET, timestamp=None, operator="vnpost", body=None
):
    body = body if body is not None else json.dumps(payload).encode()
    timestamp = str(int(time.time()) if timestamp is None else timestamp)
    return client.post(
        f"/buu-chinh/webhook/{operator}/",
        data=body,
        content_type="application/json",
        headers={
            "X-Postal-Timestamp": timestamp,
            "X-Postal-Signature": webhook_signature(secret, timestamp, body),
        },
    )


def event(number, event_id, kind, when, **extra):
    return {"event_id": event_id, "consignment_number": number, "kind": kind, "at": when, **extra}
