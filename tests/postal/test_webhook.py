"""The operators' webhook refuses forged, stale, replayed and unknown calls — and changes nothing."""

import json

import pytest
import time_machine
from django.test import Client

from motcua.dossiers.models import Dossier, DossierEvent
from motcua.postal.models import Consignment, TrackingEvent, WebhookDelivery
from tests.dossiers.test_services import at

from .helpers import event, process_to_result, receive_by_post, signed_post
from .test_round_trip import post_result

pytestmark = pytest.mark.django_db
NOW = "2024-05-12T10:00"


@pytest.fixture
def posted(desk):
    dossier = process_to_result(desk, receive_by_post(desk))
    return post_result(desk, dossier, "2024-05-09T14:00")


def snapshot():
    return (
        TrackingEvent.objects.count(),
        WebhookDelivery.objects.count(),
        DossierEvent.objects.count(),
        list(Consignment.objects.values_list("status", flat=True).order_by("pk")),
        list(Dossier.objects.values_list("status", "revision")),
    )


def returned(posted, event_id="ev-r"):
    return event(posted.number, event_id, "returned_to_sender", "2024-05-12T09:00:00+07:00")


def call(payload=None, **kwargs):
    with time_machine.travel(at(NOW), tick=False):
        return signed_post(Client(), payload, **kwargs)


def assert_refused(response, status, code):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["error"]["code"] == code
    assert response.json()["error"]["message"]


def test_forged_signature(posted):
    before = snapshot()
    assert_refused(call(returned(posted), secret="not-the-secret"), 401, "bad_signature")
    assert snapshot() == before


def test_body_changed_after_signing(posted):
    before = snapshot()
    body = json.dumps(returned(posted)).encode()
    with time_machine.travel(at(NOW), tick=False):
        import time

        from motcua.core.signed_requests import request_signature as webhook_signature

        stamp = str(int(time.time()))
        response = Client().post(
            "/buu-chinh/webhook/vnpost/",
            data=body.replace(b"ev-r", b"ev-x"),
            content_type="application/json",
            headers={
                "X-Postal-Timestamp": stamp,
                "X-Postal-Signature": webhook_signature("bi-mat-webhook-thu-nghiem", stamp, body),
            },
        )
    assert_refused(response, 401, "bad_signature")
    assert snapshot() == before


def test_stale_timestamp(posted):
    before = snapshot()
    with time_machine.travel(at(NOW), tick=False):
        import time

        old = int(time.time()) - 3600
    assert_refused(call(returned(posted), timestamp=old), 401, "stale_timestamp")
    assert_refused(call(returned(posted), timestamp="hôm qua"), 401, "bad_timestamp")
    assert snapshot() == before


def test_replay_is_refused_and_a_new_delivery_of_the_same_event_is_a_duplicate(posted):
    with time_machine.travel(at(NOW), tick=False):
        import time

        stamp = int(time.time())
    first = call(returned(posted), timestamp=stamp)
    assert first.status_code == 201
    after_first = snapshot()
    assert_refused(call(returned(posted), timestamp=stamp), 409, "replayed")
    assert snapshot() == after_first
    # The operator retries with a fresh signature: accepted, nothing new recorded.
    again = call(returned(posted), timestamp=stamp + 1)
    assert again.status_code == 200 and again.json()["status"] == "duplicate"
    assert snapshot()[0] == after_first[0] and snapshot()[2:] == after_first[2:]


def test_unknown_consignment(posted):
    before = snapshot()
    payload = event("EE000000014VN", "ev-u", "accepted", "2024-05-12T09:00:00+07:00")
    assert_refused(call(payload), 404, "unknown_consignment")
    bad_number = event("EE000000015VN", "ev-u", "accepted", "2024-05-12T09:00:00+07:00")
    assert_refused(call(bad_number), 422, "invalid_event")
    assert snapshot() == before


@pytest.mark.parametrize(
    "change, field",
    [
        ({"kind": "lost"}, "kind"),
        ({"at": "2024-05-12 09:00"}, "at"),  # no offset
        ({"at": "2030-01-01T00:00:00+07:00"}, "at"),  # in the future
        ({"kind": "delivered"}, "signed_by"),  # delivered without proof
        ({"event_id": ""}, "operator_event_id"),
    ],
)
def test_invalid_events(posted, change, field):
    before = snapshot()
    response = call({**returned(posted), **change})
    assert_refused(response, 422, "invalid_event")
    assert field in response.json()["error"]["fields"]
    assert snapshot() == before


def test_malformed_body_unknown_operator_and_no_secret(posted, settings):
    before = snapshot()
    assert_refused(call(body=b"{not json"), 400, "malformed")
    assert_refused(call(body=b"[1, 2]"), 400, "malformed")
    assert_refused(call(returned(posted), operator="dhl"), 404, "unknown_operator")
    settings.POSTAL_WEBHOOK_SECRETS = {"vnpost": ""}
    assert_refused(call(returned(posted), secret=""), 503, "not_configured")
    assert snapshot() == before
    assert Client().get("/buu-chinh/webhook/vnpost/").status_code == 405


def test_delivered_then_returned_is_a_contradiction(posted):
    delivered = event(
        posted.number, "ev-d", "delivered", "2024-05-11T09:00:00+07:00", signed_by="Hương"
    )
    assert call(delivered).status_code == 201
    before = snapshot()
    response = call(returned(posted))
    assert_refused(response, 422, "invalid_event")
    assert snapshot() == before
    assert Dossier.objects.get().status == "returned"


def test_the_purge_job_forgets_only_signatures_older_than_the_window(posted):
    from django.core.management import call_command

    from motcua.core.models import JobRun

    with time_machine.travel(at("2024-05-12T10:00"), tick=False):
        WebhookDelivery.objects.create(operator="vnpost", signature="a" * 64, received_at=at(NOW))
    with time_machine.travel(at("2024-05-12T10:11"), tick=False):
        WebhookDelivery.objects.create(
            operator="vnpost", signature="b" * 64, received_at=at("2024-05-12T10:11")
        )
        call_command("jobs", "run", "postal-webhook-purge")
    assert list(WebhookDelivery.objects.values_list("signature", flat=True)) == ["b" * 64]
    assert JobRun.objects.get(job="postal-webhook-purge").counts == {"deleted": 1}
