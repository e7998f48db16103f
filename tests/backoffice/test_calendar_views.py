from datetime import date, time

import pytest
from django.urls import reverse

from motcua.accounts.roles import Role
from motcua.calendars.models import CalendarEntry, OfficeHours
from motcua.calendars.services import calendar_seed_official_notices
from tests.accounts.factories import UnitFactory, UserFactory

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
    assert not CalendarEntry.objects.filter(day=date(2027, 3, 2)).exists()


def test_a_bad_day_shows_the_reason_and_saves_nothing(admin_client):
    before = CalendarEntry.objects.count()
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
    assert CalendarEntry.objects.count() == before


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


def test_due_calculator_with_extra_hours_and_a_unit(admin_client):
    unit = UnitFactory()
    OfficeHours.objects.create(
        unit=unit,
        morning_start=time(7, 0),
        morning_end=time(11, 0),
        afternoon_start=time(13, 0),
        afternoon_end=time(17, 0),
    )
    url = reverse("backoffice:calendar_due")
    # Fri 26/04/2024 16:00 + 0 days + 2 h: 1.5 h that day, then Thu 02/05 07:30 + 0.5 h = 08:00.
    page = admin_client.get(
        url, {"received": "2024-04-26T16:00", "working_days": "0", "working_hours": "2"}
    ).content.decode()
    assert "08 giờ 00 phút" in page and "02/05/2024" in page
    # The unit opens at 07:00 and closes at 17:00: 1 h that day, then 02/05 07:00 + 1 h = 08:00;
    # 1 day from Fri 16:00 runs to Thu 02/05 16:00 (1 h + 7 h).
    page = admin_client.get(
        url, {"received": "2024-04-26T16:00", "working_days": "1", "unit": unit.pk}
    ).content.decode()
    assert "16 giờ 00 phút" in page and "02/05/2024" in page
    page = admin_client.get(
        url, {"received": "2024-04-26T16:00", "working_days": "-1"}
    ).content.decode()
    assert "Không được âm" in page and "Hạn trả kết quả" not in page


def test_office_hours_of_a_unit_are_listed_set_and_reset(admin_client):
    unit = UnitFactory(name="Trung tâm Trợ giúp pháp lý")
    listing = admin_client.get(reverse("backoffice:office_hours_list")).content.decode()
    assert "Trung tâm Trợ giúp pháp lý" in listing and "Mặc định" in listing
    edit = reverse("backoffice:office_hours_edit", args=[unit.pk])
    assert 'value="07:30"' in admin_client.get(edit).content.decode()
    response = admin_client.post(
        edit,
        {
            "morning_start": "07:00",
            "morning_end": "11:00",
            "afternoon_start": "13:00",
            "afternoon_end": "17:00",
        },
    )
    assert response.status_code == 302
    assert str(OfficeHours.objects.get(unit=unit)) == "07:00–11:00, 13:00–17:00"
    listing = admin_client.get(reverse("backoffice:office_hours_list")).content.decode()
    assert "07:00–11:00, 13:00–17:00 (riêng)" in listing
    admin_client.post(reverse("backoffice:office_hours_reset", args=[unit.pk]))
    assert not OfficeHours.objects.filter(unit=unit).exists()


def test_bad_office_hours_show_the_reason_and_save_nothing(admin_client):
    unit = UnitFactory()
    edit = reverse("backoffice:office_hours_edit", args=[unit.pk])
    response = admin_client.post(
        edit,
        {
            "morning_start": "07:30",
            "morning_end": "11:30",
            "afternoon_start": "13:30",
            "afternoon_end": "17:00",
        },
    )
    assert response.status_code == 200
    assert "phải đủ 8 giờ (đang là 7 giờ 30 phút)" in response.content.decode()
    response = admin_client.post(edit, {"morning_start": "7 giờ"})
    page = response.content.decode()
    assert "Giờ không hợp lệ" in page and "Hãy nhập giờ (buổi chiều đến)" in page
    assert not OfficeHours.objects.exists()
