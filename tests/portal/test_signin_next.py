"""A typo at sign-in keeps the page the citizen was going to: `next` survives a wrong phone number,
a wrong code, a resend and every redirect of the one-time-code flow, and never leads off the site."""

import re
from html import unescape
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from django.urls import reverse

from motcua.accounts.models import User
from motcua.notifications import sms

PHONE = "0912 345 678"
TARGET = "/cong-dan/tai-khoan/nop/1.004227/?buoc=2"


@pytest.fixture(autouse=True)
def memory_sms(settings):
    settings.SMS_GATEWAY = "memory"
    sms.outbox.clear()
    yield
    sms.outbox.clear()


def last_code() -> str:
    return re.search(r"\b(\d{6})\b", sms.outbox[-1][1]).group(1)


def hidden_next(page: str) -> str:
    match = re.search(r'<input type="hidden" name="next" value="([^"]*)"', page)
    return unescape(match.group(1)) if match else ""


def test_a_protected_page_asks_to_sign_in_and_remembers_itself(client, db):
    response = client.get(reverse("portal:account_home") + "?trang=2")
    assert response.status_code == 401
    assert hidden_next(response.content.decode()) == "/cong-dan/tai-khoan/?trang=2"


def test_a_typo_in_the_phone_number_keeps_next(client, db):
    response = client.post(reverse("portal:signin"), {"destination": "0912 34", "next": TARGET})
    assert response.status_code == 400
    assert hidden_next(response.content.decode()) == TARGET
    assert not sms.outbox


def test_an_empty_form_keeps_next_from_the_address(client, db):
    response = client.post(f"{reverse('portal:signin')}?next={quote(TARGET)}", {})
    assert response.status_code == 400
    assert hidden_next(response.content.decode()) == TARGET


def test_a_wrong_code_keeps_next_and_the_right_one_goes_there(client, db):
    User.objects.create(phone="0912345678", full_name="Nguyễn Thị Hương", role="citizen")
    client.post(reverse("portal:signin"), {"destination": PHONE, "next": TARGET})
    code = last_code()
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    response = client.post(reverse("portal:signin_code"), {"code": wrong})
    assert response.status_code == 400
    # "Resend or change the number" keeps the destination too.
    resend = re.search(r'<a href="([^"]*)">Chưa nhận được mã', response.content.decode())
    url = urlsplit(unescape(resend.group(1)))
    assert url.path == reverse("portal:signin") and parse_qs(url.query)["next"] == [TARGET]
    response = client.post(reverse("portal:signin_code"), {"code": code})
    assert response.status_code == 302 and response["Location"] == TARGET


def test_a_new_account_fills_its_name_then_goes_on(client, db):
    client.post(reverse("portal:signin"), {"destination": PHONE, "next": TARGET})
    response = client.post(reverse("portal:signin_code"), {"code": last_code()})
    profile_url = f"{reverse('portal:profile')}?next={quote(TARGET, safe='')}"
    assert response["Location"] == profile_url
    bad = client.post(profile_url, {"full_name": "", "citizen_id": ""})
    assert bad.status_code == 200 and "Hãy nhập họ và tên." in bad.content.decode()
    response = client.post(profile_url, {"full_name": "Trần Văn Nam", "citizen_id": ""})
    assert response["Location"] == TARGET


def test_the_code_step_without_step_one_goes_back_with_next(client, db):
    response = client.get(f"{reverse('portal:signin_code')}?next={quote(TARGET)}")
    assert response["Location"] == f"{reverse('portal:signin')}?next={quote(TARGET, safe='')}"


def test_a_page_of_another_site_is_dropped_at_the_first_step(client, db):
    response = client.post(
        reverse("portal:signin"), {"destination": "0912 34", "next": "https://evil.example/"}
    )
    assert hidden_next(response.content.decode()) == ""
    response = client.get(f"{reverse('portal:signin_code')}?next=//evil.example/")
    assert response["Location"] == reverse("portal:signin")
