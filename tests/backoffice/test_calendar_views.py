from datetime import date

import pytest
from django.urls import reverse

from motcua.accounts.roles import Role
from motcua.calendars.models import CalendarEntry
from motcua.calendars.services import calendar_seed_official_notices
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(role=Role.ADMINISTRATOR))
    return client


def test_year_page_lists_notice_days_and_statutory_holidays(admin_client):
    calendar_seed_official_notices()
    page = admin_client.get(reverse("backoffice:calendar_list"), {"nam": 2024}).content.decode()
    assert "Làm bù cho thứ Hai 29/04/2024" in page
    assert "Mùng hai Tết Nguyên Đán" in page


def test_add_edit_delete_a_day(admin_client):
    url = reverse("backoffice:calendar_entry_add")
    response = admin_client.post(
        url, {"day": "2027-03-02", "kind": "day_off", "reason": "Nghỉ theo thông báo"}
    )
    assert response.status_code == 302
    entry = CalendarEntry.objects.get(day=date(2027, 3, 2))
    admin_client.post(
        reverse("backoffice:calendar_entry_edit", args=[entry.pk]),
        {"day": "2027-03-02", "kind": "day_off", "reason": "Nghỉ đã sửa"},
    )
    assert CalendarEntry.objects.get(pk=entry.pk).reason == "Nghỉ đã sửa"
    admin_client.post(reverse("backoffice:calendar_entry_delete", args=[entry.pk]))
    assert not CalendarEntry.objects.exists()


def test_a_bad_day_shows_the_reason_and_saves_nothing(admin_client):
    response = admin_client.post(
        reverse("backoffice:calendar_entry_add"),
        {"day": "2024-05-07", "kind": "working_day", "reason": "x"},
    )
    assert response.status_code == 200
    assert "vốn là ngày làm việc" in response.content.decode()
    response = admin_client.post(
        reverse("backoffice:calendar_entry_add"), {"day": "30/02/2024", "kind": "day_off"}
    )
    assert (
        "Ngày không hợp lệ" in response.content.decode()
        and "Hãy ghi lý do" in response.content.decode()
    )
    assert not CalendarEntry.objects.exists()


def test_delete_needs_post(admin_client):
    calendar_seed_official_notices()
    entry = CalendarEntry.objects.first()
    assert (
        admin_client.get(reverse("backoffice:calendar_entry_delete", args=[entry.pk])).status_code
        == 405
    )
    assert CalendarEntry.objects.filter(pk=entry.pk).exists()


def test_due_calculator(admin_client):
    calendar_seed_official_notices()
    page = admin_client.get(
        reverse("backoffice:calendar_due"), {"received": "2024-04-26T16:00", "working_days": "5"}
    ).content.decode()
    assert "16 giờ 00 phút" in page and "07/05/2024" in page
