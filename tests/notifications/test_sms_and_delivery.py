import io

import pytest
from django.core import mail
from django.db import transaction

from motcua.notifications.models import Channel, DeliveryStatus, Notification
from motcua.notifications.services import notification_deliver, notification_queue
from motcua.notifications.sms import ConsoleSmsGateway, EsmsGateway, SmsError, normalise_phone

TEXT = "Hồ sơ 000.00.40.H26-240426-0001 đã có kết quả. Mời ông/bà đến nhận."


def gateway(esms, **overrides):
    args = {
        "url": esms.url,
        "api_key": "key",
        "secret_key": "secret",
        "brandname": "STP_HATINH",
        "timeout": 2,
    }
    return EsmsGateway(**(args | overrides))


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("0912345678", "84912345678"),
        ("+84 912 345 678", "84912345678"),
        ("84-387.654.321", "84387654321"),
    ],
)
def test_phone_numbers_are_normalised(raw, expected):
    assert normalise_phone(raw) == expected


@pytest.mark.parametrize("raw", ["", "12345", "0212345678", "09123456789", "abc"])
def test_non_mobile_numbers_are_refused(raw):
    with pytest.raises(ValueError):
        normalise_phone(raw)


def test_esms_accepts_and_receives_vietnamese_text(esms):
    receipt = gateway(esms).send("0912345678", TEXT, request_id="r1")
    assert receipt.provider_message_id == "sms-1"
    sent = esms.delivered[0]
    assert sent["Phone"] == "84912345678" and sent["Content"] == TEXT and sent["IsUnicode"] == "1"


def test_wrong_credentials_are_a_permanent_error(esms):
    with pytest.raises(SmsError) as error:
        gateway(esms, secret_key="wrong").send("0912345678", TEXT, request_id="r1")
    assert not error.value.retryable and "101" in str(error.value)
    assert esms.delivered == []


def test_server_error_is_retryable(esms):
    esms.fail_with_status = 503
    with pytest.raises(SmsError) as error:
        gateway(esms).send("0912345678", TEXT, request_id="r1")
    assert error.value.retryable


def test_unreachable_gateway_is_retryable():
    unreachable = EsmsGateway(
        url="http://127.0.0.1:9/x", api_key="k", secret_key="s", brandname="b", timeout=1
    )
    with pytest.raises(SmsError) as error:
        unreachable.send("0912345678", TEXT, request_id="r1")
    assert error.value.retryable


def test_console_gateway_prints():
    out = io.StringIO()
    ConsoleSmsGateway(out).send("0912345678", TEXT, request_id="r1")
    assert TEXT in out.getvalue() and "84912345678" in out.getvalue()


@pytest.mark.django_db
def test_delivery_is_recorded(esms_settings, esms):
    with transaction.atomic():
        note = notification_queue(channel=Channel.SMS, to="0912345678", body=TEXT, reference="HS-1")
    # django_db wraps tests in a transaction, so on_commit callbacks are run explicitly here.
    note = notification_deliver(note.pk)
    assert (
        note.status == DeliveryStatus.SENT
        and note.provider_message_id == "sms-1"
        and note.attempts == 1
    )
    assert len(esms.delivered) == 1


@pytest.mark.django_db
def test_a_lost_answer_never_sends_twice(esms_settings, esms):
    note = Notification.objects.create(channel=Channel.SMS, to="0912345678", body=TEXT)
    esms.drop_answer = True
    assert (
        notification_deliver(note.pk).status == DeliveryStatus.QUEUED
    )  # we do not know it arrived
    esms.drop_answer = False
    retried = notification_deliver(note.pk)
    assert retried.status == DeliveryStatus.SENT and retried.attempts == 2
    assert len(esms.delivered) == 1  # the provider recognised the RequestId


@pytest.mark.django_db
def test_permanent_failure_and_bad_number_stop_retrying(esms_settings, esms):
    esms_settings.ESMS_BRANDNAME = "UNKNOWN"
    note = Notification.objects.create(channel=Channel.SMS, to="0912345678", body=TEXT)
    assert notification_deliver(note.pk).status == DeliveryStatus.FAILED
    bad = Notification.objects.create(channel=Channel.SMS, to="12345", body=TEXT)
    failed = notification_deliver(bad.pk)
    assert failed.status == DeliveryStatus.FAILED and "không hợp lệ" in failed.error
    assert esms.delivered == []


@pytest.mark.django_db(transaction=True)
def test_nothing_is_sent_when_the_action_rolls_back(esms_settings, esms):
    with pytest.raises(RuntimeError), transaction.atomic():
        notification_queue(channel=Channel.SMS, to="0912345678", body=TEXT)
        raise RuntimeError("the workflow action failed")
    assert not Notification.objects.exists() and esms.delivered == []
    with transaction.atomic():
        notification_queue(channel=Channel.SMS, to="0912345678", body=TEXT)
    assert Notification.objects.get().status == DeliveryStatus.SENT and len(esms.delivered) == 1


@pytest.mark.django_db
def test_email_goes_through_django_mail():
    note = Notification.objects.create(
        channel=Channel.EMAIL, to="dan@example.vn", subject="Kết quả", body=TEXT
    )
    assert notification_deliver(note.pk).status == DeliveryStatus.SENT
    assert mail.outbox[0].to == ["dan@example.vn"] and mail.outbox[0].body == TEXT
