"""A citizen chooses Zalo or SMS on the profile page [K 20]; the choice routes their messages."""

import re

import pytest
from django.urls import reverse

from motcua.accounts.models import PhoneChannel
from motcua.notifications.models import Channel
from motcua.notifications.services import notification_queue
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db
PROFILE = reverse("portal:profile")


@pytest.fixture
def citizen(client, settings):
    settings.ZALO_GATEWAY = "memory"
    user = UserFactory(citizen=True, phone="0912345678", full_name="Nguyễn Thị Hoa")
    client.force_login(user)
    return user


def test_the_profile_page_offers_the_choice_and_the_choice_is_honoured(client, citizen):
    page = client.get(PROFILE).content.decode()
    assert "Nhận tin nhắn qua" in page and 'value="zalo"' in page
    assert re.search(r'value="sms"[^>]*checked', page)  # today's choice is ticked
    answer = client.post(PROFILE, {"full_name": "Nguyễn Thị Hoa", "phone_channel": "zalo"})
    assert answer.status_code == 302
    citizen.refresh_from_db()
    assert citizen.phone_channel == PhoneChannel.ZALO
    message = notification_queue(
        channel=Channel.SMS, to="0912 345 678", body="Hồ sơ đã có kết quả."
    )
    assert message.channel == Channel.ZALO
    client.post(PROFILE, {"full_name": "Nguyễn Thị Hoa", "phone_channel": "sms"})
    citizen.refresh_from_db()
    assert citizen.phone_channel == PhoneChannel.SMS
    message = notification_queue(channel=Channel.SMS, to="0912345678", body="Hồ sơ đã có kết quả.")
    assert message.channel == Channel.SMS


def test_zalo_without_a_phone_number_is_refused_and_nothing_changes(client, settings):
    user = UserFactory(citizen=True, phone="", email="hoa@vi-du.vn", full_name="Nguyễn Thị Hoa")
    client.force_login(user)
    answer = client.post(PROFILE, {"full_name": "Tên Mới", "phone_channel": "zalo"})
    assert answer.status_code == 200
    assert "Tài khoản chưa có số điện thoại" in answer.content.decode()
    user.refresh_from_db()
    assert (user.full_name, user.phone_channel) == ("Nguyễn Thị Hoa", PhoneChannel.SMS)


def test_an_unknown_channel_is_refused_and_nothing_changes(client, citizen):
    answer = client.post(PROFILE, {"full_name": "Tên Mới", "phone_channel": "fax"})
    assert answer.status_code == 200
    assert "Hãy chọn nhận tin qua SMS hoặc Zalo." in answer.content.decode()
    citizen.refresh_from_db()
    assert (citizen.full_name, citizen.phone_channel) == ("Nguyễn Thị Hoa", PhoneChannel.SMS)


def test_a_form_without_the_choice_keeps_it(client, citizen):
    citizen.phone_channel = PhoneChannel.ZALO
    citizen.save(update_fields=["phone_channel"])
    client.post(PROFILE, {"full_name": "Nguyễn Thị Hoa"})
    citizen.refresh_from_db()
    assert citizen.phone_channel == PhoneChannel.ZALO
