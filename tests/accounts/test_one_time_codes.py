"""Sign-in and sign-up with a one-time code: two steps, expiry, rate limits, lockout after five
wrong codes — each bad case with a clear message and nothing stored but the counted attempt."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from motcua.accounts import one_time_codes as otp
from motcua.accounts.models import OneTimeCode, User
from motcua.accounts.roles import Role
from motcua.notifications import sms
from motcua.notifications.models import Notification
from tests.accounts.factories import UserFactory
from tests.dossiers.test_services import at

PHONE = "0912 345 678"


@pytest.fixture(autouse=True)
def memory_sms(settings):
    settings.SMS_GATEWAY = "memory"
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def last_sms_code() -> str:
    return re.search(r"\b(\d{6})\b", sms.outbox[-1][1]).group(1)


def last_mail_code() -> str:
    return re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def test_sign_up_by_phone_in_two_steps(db):
    destination = otp.one_time_code_send(PHONE, ip="10.0.0.1")
    assert destination.shown == "0912345678"
    assert sms.outbox[-1][0] == "84912345678"
    code = last_sms_code()
    user = otp.one_time_code_verify("0912345678", code)
    assert (user.role, user.phone, user.has_usable_password()) == (
        Role.CITIZEN,
        "0912345678",
        False,
    )
    # The second sign-in finds the same account.
    with time_machine.travel(timedelta(minutes=2)):
        otp.one_time_code_send("+84912345678")
        assert otp.one_time_code_verify(PHONE, last_sms_code()) == user
    assert User.objects.filter(role=Role.CITIZEN).count() == 1


def test_the_code_is_never_stored_in_clear(db):
    otp.one_time_code_send("hoa@vi-du.vn")
    code = last_mail_code()
    record = OneTimeCode.objects.get()
    assert code not in record.code_hash and len(record.code_hash) == 64
    notification = Notification.objects.get()
    assert code not in notification.body and "******" in notification.body
    assert notification.status == "sent"


def test_sign_in_by_email_lowercases_the_address(db):
    otp.one_time_code_send("Hoa@Vi-Du.VN")
    user = otp.one_time_code_verify("hoa@vi-du.vn", last_mail_code())
    assert user.email == "hoa@vi-du.vn"


@pytest.mark.parametrize("text", ["", "12345", "0212345678", "hoa@", "khong-phai-so"])
def test_a_malformed_destination_is_refused_and_nothing_is_sent(db, text):
    with pytest.raises(ValidationError) as error:
        otp.one_time_code_send(text)
    assert "destination" in error.value.message_dict
    assert not OneTimeCode.objects.exists() and not sms.outbox and not mail.outbox


def test_five_wrong_codes_kill_the_code_and_lock_out(db):
    with time_machine.travel(at("2024-05-06T10:00"), tick=False):
        otp.one_time_code_send(PHONE)
        code = last_sms_code()
        messages = []
        for _ in range(5):
            with pytest.raises(ValidationError) as error:
                otp.one_time_code_verify(PHONE, wrong(code))
            messages.append(error.value.message_dict["code"][0])
        assert messages[0] == "Mã không đúng. Ông/bà còn 4 lần thử."
        assert "nhập sai mã 5 lần" in messages[-1]
        # The right code no longer works, and no account was opened.
        with pytest.raises(ValidationError, match="nhập sai mã 5 lần"):
            otp.one_time_code_verify(PHONE, code)
        assert not User.objects.exists()
        # A new code only after the cool-down.
        with pytest.raises(ValidationError, match="chờ 15 phút"):
            otp.one_time_code_send(PHONE)
    with time_machine.travel(at("2024-05-06T10:16"), tick=False):
        otp.one_time_code_send(PHONE)
        assert otp.one_time_code_verify(PHONE, last_sms_code()).phone == "0912345678"


def test_an_expired_code_is_refused(db):
    with time_machine.travel(at("2024-05-06T10:00"), tick=False):
        otp.one_time_code_send(PHONE)
        code = last_sms_code()
    with (
        time_machine.travel(at("2024-05-06T10:05"), tick=False),
        pytest.raises(ValidationError) as error,
    ):
        otp.one_time_code_verify(PHONE, code)
    assert error.value.message_dict["code"] == [otp.MSG_NO_CODE]
    assert not User.objects.exists()


def test_a_used_code_cannot_be_replayed(db):
    otp.one_time_code_send(PHONE)
    code = last_sms_code()
    otp.one_time_code_verify(PHONE, code)
    with pytest.raises(ValidationError, match="hết hạn"):
        otp.one_time_code_verify(PHONE, code)


def test_sends_are_rate_limited_per_destination_and_per_address(db):
    with time_machine.travel(at("2024-05-06T10:00"), tick=False):
        otp.one_time_code_send(PHONE, ip="10.0.0.9")
        with pytest.raises(ValidationError, match="chờ 60 giây"):
            otp.one_time_code_send(PHONE, ip="10.0.0.9")
    for minute in range(1, 5):
        with time_machine.travel(at(f"2024-05-06T10:{minute * 2:02d}"), tick=False):
            otp.one_time_code_send(PHONE, ip="10.0.0.9")
    with (
        time_machine.travel(at("2024-05-06T10:20"), tick=False),
        pytest.raises(ValidationError, match="quá nhiều mã"),
    ):
        otp.one_time_code_send(PHONE, ip="10.0.0.9")
    assert OneTimeCode.objects.count() == 5
    # Per client address: 20 an hour, whatever the destinations.
    with time_machine.travel(at("2024-05-06T11:00"), tick=False):
        for n in range(15):
            otp.one_time_code_send(f"09120000{n:02d}", ip="10.0.0.9")
        with pytest.raises(ValidationError, match="quá nhiều mã"):
            otp.one_time_code_send("0987654321", ip="10.0.0.9")


def test_staff_cannot_sign_in_with_a_code(db):
    UserFactory(role=Role.DESK_OFFICER, phone="0912345678")
    otp.one_time_code_send(PHONE)
    with pytest.raises(ValidationError, match="tài khoản cán bộ"):
        otp.one_time_code_verify(PHONE, last_sms_code())


def test_a_gateway_refusal_withdraws_the_code(db, settings):
    settings.SMS_GATEWAY = "esms"
    settings.ESMS_API_URL = "http://127.0.0.1:9/khong-co"  # nothing listens on the discard port
    with pytest.raises(ValidationError, match="Chưa gửi được mã"):
        otp.one_time_code_send(PHONE)
    assert not OneTimeCode.objects.exists()
    assert Notification.objects.get().status == "failed"


# --- the two pages -------------------------------------------------------------------------------


def test_the_pages_sign_up_then_ask_for_a_name(client, db):
    response = client.post(reverse("portal:signin"), {"destination": PHONE})
    assert response.status_code == 302 and response["Location"] == reverse("portal:signin_code")
    page = client.get(reverse("portal:signin_code")).content.decode()
    assert "0912345678" in page
    response = client.post(reverse("portal:signin_code"), {"code": last_sms_code()})
    assert response.status_code == 302 and response["Location"].startswith(
        reverse("portal:profile")
    )
    response = client.post(
        response["Location"], {"full_name": "Nguyễn Thị Hương", "citizen_id": "042190001234"}
    )
    assert response.status_code == 302
    user = User.objects.get(phone="0912345678")
    assert (user.full_name, user.citizen_id) == ("Nguyễn Thị Hương", "042190001234")
    assert client.get(reverse("portal:account_home")).status_code == 200


def test_the_code_page_shows_wrong_and_expired_codes(client, db):
    with time_machine.travel(at("2024-05-06T10:00"), tick=False):
        client.post(reverse("portal:signin"), {"destination": PHONE})
        code = last_sms_code()
        response = client.post(reverse("portal:signin_code"), {"code": wrong(code)})
        assert response.status_code == 400
        assert "Mã không đúng. Ông/bà còn 4 lần thử." in response.content.decode()
        response = client.post(reverse("portal:signin_code"), {"code": "12ab"})
        assert "Mã xác thực gồm 6 chữ số." in response.content.decode()
    with time_machine.travel(at("2024-05-06T10:06"), tick=False):
        response = client.post(reverse("portal:signin_code"), {"code": code})
    assert response.status_code == 400 and "Mã đã hết hạn" in response.content.decode()
    assert "_auth_user_id" not in client.session and not User.objects.exists()


def test_the_code_page_needs_step_one(client, db):
    response = client.get(reverse("portal:signin_code"))
    assert response.status_code == 302 and response["Location"] == reverse("portal:signin")


def test_next_must_stay_on_this_site(client, db):
    client.post(reverse("portal:signin"), {"destination": PHONE, "next": "https://evil.example/"})
    client.post(reverse("portal:signin_code"), {"code": last_sms_code()})
    User.objects.filter(phone="0912345678").update(full_name="Hương")
    client.post(reverse("portal:signout"))
    with time_machine.travel(timedelta(minutes=2)):
        client.post(
            reverse("portal:signin"), {"destination": PHONE, "next": "https://evil.example/"}
        )
        response = client.post(reverse("portal:signin_code"), {"code": last_sms_code()})
    assert response["Location"] == reverse("portal:account_home")


def test_the_purge_job_forgets_codes_older_than_a_day(db):
    from django.core.management import call_command

    with time_machine.travel(at("2024-05-06T10:00"), tick=False):
        otp.one_time_code_send(PHONE)
    with time_machine.travel(at("2024-05-07T09:00"), tick=False):
        otp.one_time_code_send("0987654321")
    with time_machine.travel(at("2024-05-07T10:30"), tick=False):
        call_command("jobs", "run", "accounts-codes-purge")
    assert list(OneTimeCode.objects.values_list("destination", flat=True)) == ["84987654321"]
