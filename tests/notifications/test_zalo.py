"""Zalo ZNS [K 20]: the client speaks the ZNS HTTP API (against a local stand-in), refreshes an
expired OA token once, and a message Zalo refuses goes by SMS — with the carrying channel recorded.
Citizens who chose Zalo get Zalo; everyone else keeps SMS."""

import io

import pytest

from motcua.accounts.models import PhoneChannel
from motcua.notifications import sms, zalo
from motcua.notifications.models import Channel, DeliveryStatus, Notification
from motcua.notifications.services import notification_deliver, notification_queue
from motcua.notifications.zalo import ConsoleZaloGateway, ZaloError, ZnsGateway, zalo_templates
from tests.accounts.factories import UserFactory

from .zns_server import REFRESH, SEND, ZnsServer

TEXT = "Hồ sơ 000.00.40.H26-240426-0001 đã có kết quả. Mời ông/bà đến nhận."
PHONE = "0912 345 678"


@pytest.fixture
def zns():
    server = ZnsServer()
    yield server
    server.close()


def gateway(zns, **overrides):
    args = {
        "url": zns.url,
        "access_token": "token-1",
        "templates": {"general": "123456"},
        "refresh_url": zns.url + REFRESH,
        "refresh_token": "refresh-1",
        "app_id": "app-1",
        "secret_key": "secret-1",
        "timeout": 2,
    }
    return ZnsGateway(**(args | overrides))


def test_a_template_message_is_posted_as_zns_expects(zns):
    receipt = gateway(zns).send(PHONE, TEXT, request_id="motcua-7")
    assert receipt.provider_message_id == "zns-1"
    path, headers, body = zns.requests[0]
    assert path == SEND and headers["access_token"] == "token-1"
    assert headers["Content-Type"] == "application/json"
    assert body == {
        "phone": "84912345678",
        "template_id": "123456",
        "template_data": {"ma_ho_so": "motcua-7", "noi_dung": TEXT},
        "tracking_id": "motcua-7",
    }


def test_a_refusal_is_an_error_with_zalos_code_and_message(zns):
    zns.no_zalo_account.add("84912345678")
    with pytest.raises(ZaloError) as error:
        gateway(zns).send(PHONE, TEXT, request_id="r1")
    assert "-118" in str(error.value) and "Zalo account not existed" in str(error.value)
    assert not error.value.retryable and zns.delivered == []


def test_an_unknown_template_and_a_server_error(zns):
    with pytest.raises(ZaloError) as error:
        gateway(zns, templates={"general": "999"}).send(PHONE, TEXT, request_id="r1")
    assert "-109" in str(error.value)
    with pytest.raises(ZaloError) as error:
        gateway(zns, templates={}).send(PHONE, TEXT, request_id="r1")
    assert not error.value.retryable and len(zns.requests) == 1  # nothing posted without one
    zns.fail_with_status = 503
    with pytest.raises(ZaloError) as error:
        gateway(zns).send(PHONE, TEXT, request_id="r1")
    assert error.value.retryable and "HTTP 503" in str(error.value)


def test_an_expired_token_is_refreshed_once_and_the_message_sent(zns):
    zns.token = "token-2"  # ours (token-1) has expired
    client = gateway(zns)
    receipt = client.send(PHONE, TEXT, request_id="r1")
    assert receipt.provider_message_id == "zns-1"
    assert [path for path, _, _ in zns.requests] == [SEND, REFRESH, SEND]
    _, headers, form = zns.requests[1]
    assert headers["secret_key"] == "secret-1"
    assert form == {"refresh_token": "refresh-1", "app_id": "app-1", "grant_type": "refresh_token"}
    # The new pair is kept: the next message uses it without refreshing again.
    assert (client.access_token, client.refresh_token) == ("token-3", "refresh-3")
    client.send(PHONE, TEXT, request_id="r2")
    assert [path for path, _, _ in zns.requests].count(REFRESH) == 1


def test_a_refused_refresh_fails_the_send_without_looping(zns):
    zns.token = "token-2"
    with pytest.raises(ZaloError) as error:
        gateway(zns, refresh_token="stale").send(PHONE, TEXT, request_id="r1")
    assert "-124" in str(error.value)
    assert [path for path, _, _ in zns.requests] == [SEND, REFRESH]
    assert zns.delivered == []


def test_console_gateway_prints_for_the_demo():
    out = io.StringIO()
    receipt = ConsoleZaloGateway(stream=out).send(PHONE, TEXT, request_id="r1")
    assert out.getvalue() == f"[Zalo ZNS → 84912345678] {TEXT}\n"
    assert receipt.provider_message_id == "console-zalo-r1"


def test_template_ids_come_from_one_setting():
    assert zalo_templates("general=123, result = 456,,bad") == {"general": "123", "result": "456"}


# --- routing: the citizen's choice, and the fallback to SMS --------------------------------------


@pytest.fixture
def zns_settings(settings, zns):
    settings.SMS_GATEWAY = "memory"
    settings.ZALO_GATEWAY = "zns"
    settings.ZALO_ZNS_URL = zns.url
    settings.ZALO_OA_ACCESS_TOKEN = "token-1"
    settings.ZALO_ZNS_TEMPLATES = "general=123456"
    settings.ZALO_OAUTH_URL = zns.url + REFRESH
    settings.ZALO_OA_REFRESH_TOKEN = "refresh-1"
    settings.ZALO_APP_ID = "app-1"
    settings.ZALO_APP_SECRET = "secret-1"
    sms.outbox.clear()
    return settings


def citizen(choice, phone="0912345678"):
    return UserFactory(citizen=True, phone=phone, phone_channel=choice)


def queue_and_deliver(to="0912345678") -> Notification:
    notification = notification_queue(channel=Channel.SMS, to=to, body=TEXT)
    return notification_deliver(notification.pk)


@pytest.mark.django_db
def test_a_citizen_who_chose_zalo_gets_zalo(zns, zns_settings):
    citizen(PhoneChannel.ZALO)
    notification = queue_and_deliver(to="+84912345678")
    assert notification.channel == Channel.ZALO and notification.delivered_via == Channel.ZALO
    assert (
        notification.status == DeliveryStatus.SENT and notification.provider_message_id == "zns-1"
    )
    assert zns.delivered[0]["phone"] == "84912345678" and sms.outbox == []


@pytest.mark.django_db
def test_a_zalo_refusal_falls_back_to_sms_and_says_so(zns, zns_settings):
    citizen(PhoneChannel.ZALO)
    zns.no_zalo_account.add("84912345678")
    notification = queue_and_deliver()
    assert notification.channel == Channel.ZALO and notification.delivered_via == Channel.SMS
    assert notification.status == DeliveryStatus.SENT
    assert "-118" in notification.error and "SMS" in notification.error
    assert sms.outbox == [("84912345678", TEXT)] and zns.delivered == []


@pytest.mark.django_db
def test_zalo_unreachable_falls_back_to_sms(zns, zns_settings):
    citizen(PhoneChannel.ZALO)
    zns.fail_with_status = 502
    notification = queue_and_deliver()
    assert notification.delivered_via == Channel.SMS and notification.status == DeliveryStatus.SENT
    assert sms.outbox == [("84912345678", TEXT)]


@pytest.mark.django_db
def test_an_expired_token_still_delivers_by_zalo(zns, zns_settings):
    citizen(PhoneChannel.ZALO)
    zns.token = "token-2"
    notification = queue_and_deliver()
    assert notification.delivered_via == Channel.ZALO and sms.outbox == []


@pytest.mark.django_db
def test_sms_stays_sms_for_those_who_did_not_choose_zalo(zns, zns_settings):
    citizen(PhoneChannel.SMS)
    UserFactory(citizen=True, phone="0987654321", phone_channel=PhoneChannel.ZALO, is_active=False)
    assert queue_and_deliver().delivered_via == Channel.SMS
    assert queue_and_deliver(to="0987654321").delivered_via == Channel.SMS  # inactive account
    assert queue_and_deliver(to="0977000111").delivered_via == Channel.SMS  # no account at all
    assert zns.requests == []


@pytest.mark.django_db
def test_with_zalo_turned_off_everything_goes_by_sms(zns, zns_settings):
    zns_settings.ZALO_GATEWAY = ""
    citizen(PhoneChannel.ZALO)
    notification = queue_and_deliver()
    assert notification.channel == Channel.SMS and notification.delivered_via == Channel.SMS
    assert zns.requests == []


@pytest.mark.django_db
def test_memory_gateway_for_other_tests(settings):
    settings.ZALO_GATEWAY = "memory"
    zalo.outbox.clear()
    citizen(PhoneChannel.ZALO)
    assert queue_and_deliver().delivered_via == Channel.ZALO
    assert zalo.outbox == [("84912345678", TEXT)]
