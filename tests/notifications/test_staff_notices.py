"""In-app notices [K 19]: an officer's unread reminders on the back-office home page, newest
first, each with "Đã xem"; nobody else can mark them; reminders go by the channels the officer has."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from motcua.accounts.roles import Role
from motcua.notifications.models import Notification
from motcua.notifications.notices import (
    notice_mark_read,
    notice_post,
    notices_unread_for,
    staff_remind,
)
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer():
    return UserFactory(role=Role.SPECIALIST, email="", phone="")


def test_unread_notices_are_listed_newest_first_on_the_home_page(client, officer):
    notice_post(officer, subject="Hồ sơ A sắp đến hạn", body="Còn 5 giờ làm việc.")
    notice_post(officer, subject="Hồ sơ B quá hạn", body="Quá hạn 2 giờ làm việc.")
    notice_post(UserFactory(role=Role.SPECIALIST), subject="Hồ sơ của người khác", body="…")
    client.force_login(officer)
    page = client.get(reverse("backoffice:home")).content.decode()
    assert "Thông báo mới (2)" in page
    assert page.index("Hồ sơ B quá hạn") < page.index("Hồ sơ A sắp đến hạn")
    assert "Hồ sơ của người khác" not in page and page.count("Đã xem") == 2


def test_marking_a_notice_seen_takes_it_off_the_list(client, officer):
    notice = notice_post(officer, subject="Hồ sơ A quá hạn", body="Quá hạn.")
    client.force_login(officer)
    answer = client.post(reverse("backoffice:notice_read", args=[notice.pk]))
    assert answer.status_code == 302
    notice.refresh_from_db()
    assert notice.read_at is not None and notices_unread_for(officer) == []
    page = client.get(reverse("backoffice:home")).content.decode()
    assert "Không có thông báo mới." in page and "Hồ sơ A quá hạn" not in page


def test_another_officer_cannot_mark_my_notice_and_nothing_changes(client, officer):
    notice = notice_post(officer, subject="Hồ sơ A quá hạn", body="Quá hạn.")
    client.force_login(UserFactory(role=Role.DIVISION_HEAD))
    assert client.post(reverse("backoffice:notice_read", args=[notice.pk])).status_code == 403
    assert client.get(reverse("backoffice:notice_read", args=[notice.pk])).status_code == 405
    notice.refresh_from_db()
    assert notice.read_at is None
    with pytest.raises(PermissionDenied):
        notice_mark_read(officer, notice.pk + 999)


@pytest.mark.parametrize(
    "email, phone, expected",
    [
        ("", "", ["in_app"]),
        ("cv@stp.hatinh.gov.vn", "", ["in_app", "email"]),
        ("", "0912345678", ["in_app", "sms"]),
        ("cv@stp.hatinh.gov.vn", "0912345678", ["in_app", "email", "sms"]),
        ("", "0239 3855 123", ["in_app"]),  # a desk phone cannot take an SMS
    ],
)
def test_a_reminder_goes_by_every_channel_the_officer_has(email, phone, expected):
    officer = UserFactory(role=Role.SPECIALIST, email=email, phone=phone)
    channels = staff_remind(
        officer, subject="Hồ sơ X quá hạn", body="Nội dung", short="Ngắn", reference="r"
    )
    assert channels == expected
    assert sorted(Notification.objects.values_list("channel", flat=True)) == sorted(expected)
    if "sms" in expected:
        assert Notification.objects.get(channel="sms").body == "Ngắn"


def test_the_demo_officers_have_a_mobile_phone_and_an_email_address():
    from motcua.accounts.models import User
    from motcua.demo.loaders import DEMO_STAFF, LoadReport, load_org_units, load_staff
    from motcua.notifications.sms import normalise_phone

    load_org_units(LoadReport())
    load_staff(LoadReport(), "Mat-khau-Thu-nghiem-2024")
    officers = User.objects.filter(username__in=[row[0] for row in DEMO_STAFF])
    assert officers.count() == len(DEMO_STAFF)
    for officer in officers:
        assert normalise_phone(officer.phone).startswith("849")
        assert officer.email.endswith("@stp.hatinh.gov.vn")
    assert len({o.phone for o in officers}) == len(DEMO_STAFF)  # nobody shares a number
    again = LoadReport()
    load_staff(again, "Mat-khau-Thu-nghiem-2024")
    assert (again.users_created, again.users_updated) == (0, 0)


def test_with_an_event_key_each_channel_is_used_once():
    officer = UserFactory(role=Role.SPECIALIST, email="cv@stp.hatinh.gov.vn", phone="0912345678")
    args = {"subject": "S", "body": "B", "short": "N", "reference": "r", "event_key": "fbm:o:1"}
    assert staff_remind(officer, **args) == ["in_app", "email", "sms"]
    assert staff_remind(officer, **args) == []
    assert Notification.objects.count() == 3
