from datetime import date, datetime, time
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from motcua.accounts.roles import Role
from motcua.calendars.models import CalendarEntry, EntryKind, OfficeHours
from motcua.calendars.selectors import working_calendar_for
from motcua.calendars.services import (
    calendar_entry_create,
    calendar_entry_delete,
    calendar_entry_update,
    calendar_seed_official_notices,
    office_hours_set,
)
from tests.accounts.factories import UnitFactory, UserFactory

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    return UserFactory(role=Role.ADMINISTRATOR)


def snapshot():
    return list(
        CalendarEntry.objects.order_by("day").values_list("day", "kind", "reason", "notice")
    )


def test_seed_is_idempotent_and_makes_the_swaps_work():
    assert calendar_seed_official_notices() == 6
    assert calendar_seed_official_notices() == 0
    calendar = working_calendar_for()
    assert calendar.is_working_day(date(2024, 5, 4)) and not calendar.is_working_day(
        date(2024, 4, 29)
    )
    assert calendar.is_working_day(date(2025, 4, 26)) and not calendar.is_working_day(
        date(2025, 5, 2)
    )


def test_an_administrator_adds_a_day_off_and_deadlines_follow_at_once(admin):
    received = datetime(2027, 3, 1, 7, 30, tzinfo=HCM)  # a Monday
    assert working_calendar_for().due(received, 16) == datetime(2027, 3, 2, 17, 30, tzinfo=HCM)
    calendar_entry_create(
        admin, day=date(2027, 3, 2), kind=EntryKind.DAY_OFF, reason="Nghỉ theo thông báo"
    )
    assert working_calendar_for().due(received, 16) == datetime(2027, 3, 3, 17, 30, tzinfo=HCM)


@pytest.mark.parametrize(
    "fields, field, message",
    [
        (
            {"day": date(2024, 5, 7), "kind": EntryKind.WORKING_DAY, "reason": "x"},
            "kind",
            "vốn là ngày làm việc",
        ),
        (
            {"day": date(2024, 5, 5), "kind": EntryKind.DAY_OFF, "reason": "x"},
            "kind",
            "đã là ngày nghỉ: Chủ nhật",
        ),
        (
            {"day": date(2024, 9, 2), "kind": EntryKind.COMPENSATORY_OFF, "reason": "x"},
            "kind",
            "Quốc khánh",
        ),
        (
            {"day": date(2024, 5, 7), "kind": EntryKind.DAY_OFF, "reason": "  "},
            "reason",
            "Hãy ghi lý do",
        ),
        ({"day": date(1999, 5, 7), "kind": EntryKind.DAY_OFF, "reason": "x"}, "day", "từ năm 2000"),
        ({"day": "07/05/2024", "kind": EntryKind.DAY_OFF, "reason": "x"}, "day", "ngày/tháng/năm"),
        ({"day": date(2024, 5, 7), "kind": "holiday", "reason": "x"}, "kind", "không hợp lệ"),
        (
            {"day": date(2024, 5, 7), "kind": EntryKind.DAY_OFF, "reason": "x" * 256},
            "reason",
            "255",
        ),
    ],
)
def test_bad_entries_are_refused_and_change_nothing(admin, fields, field, message):
    calendar_seed_official_notices()
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        calendar_entry_create(admin, **fields)
    assert message in " ".join(error.value.message_dict[field])
    assert snapshot() == before


def test_a_day_already_in_the_table_is_refused(admin):
    calendar_seed_official_notices()
    before = snapshot()
    with pytest.raises(ValidationError) as error:
        calendar_entry_create(
            admin, day=date(2024, 5, 4), kind=EntryKind.WORKING_DAY, reason="lần hai"
        )
    assert "đã có trong lịch" in error.value.message_dict["day"][0]
    assert snapshot() == before


def test_update_and_delete(admin):
    calendar_seed_official_notices()
    entry = CalendarEntry.objects.get(day=date(2024, 4, 29))
    calendar_entry_update(admin, entry.pk, reason="Nghỉ hoán đổi (đã sửa)")
    assert CalendarEntry.objects.get(pk=entry.pk).reason == "Nghỉ hoán đổi (đã sửa)"
    before = snapshot()
    with pytest.raises(ValidationError):
        calendar_entry_update(admin, entry.pk, kind=EntryKind.WORKING_DAY)  # Mon 29/04 is a weekday
    with pytest.raises(ValidationError):
        calendar_entry_update(admin, entry.pk, colour="red")
    assert snapshot() == before
    calendar_entry_delete(admin, entry.pk)
    assert working_calendar_for().is_working_day(date(2024, 4, 29))
    with pytest.raises(ValidationError):
        calendar_entry_delete(admin, entry.pk)


@pytest.mark.parametrize(
    "role", [Role.DESK_OFFICER, Role.SPECIALIST, Role.DIVISION_HEAD, Role.DEPARTMENT_LEADER]
)
def test_only_administrators_edit(role):
    with pytest.raises(PermissionDenied):
        calendar_entry_create(
            UserFactory(role=role), day=date(2027, 3, 2), kind=EntryKind.DAY_OFF, reason="x"
        )
    assert not CalendarEntry.objects.exists()


def test_office_hours_per_unit(admin):
    unit = UnitFactory()
    office_hours_set(
        admin,
        unit.pk,
        morning_start=time(7, 0),
        morning_end=time(11, 0),
        afternoon_start=time(13, 0),
        afternoon_end=time(17, 0),
    )
    received = datetime(2024, 5, 6, 7, 0, tzinfo=HCM)
    assert working_calendar_for(unit).due(received, 8) == datetime(2024, 5, 6, 17, 0, tzinfo=HCM)
    assert working_calendar_for().due(received, 8) == datetime(2024, 5, 6, 17, 30, tzinfo=HCM)


@pytest.mark.parametrize(
    "times",
    [
        (time(11, 30), time(7, 30), time(13, 30), time(17, 30)),  # ends before it starts
        (time(7, 30), time(14, 0), time(13, 30), time(17, 30)),  # overlapping sessions
        (time(7, 30), time(7, 30), time(13, 30), time(17, 30)),  # zero length
        (time(7, 30), None, time(13, 30), time(17, 30)),
    ],
)
def test_bad_office_hours_are_refused(admin, times):
    unit = UnitFactory()
    with pytest.raises(ValidationError):
        office_hours_set(
            admin,
            unit.pk,
            morning_start=times[0],
            morning_end=times[1],
            afternoon_start=times[2],
            afternoon_end=times[3],
        )
    assert not OfficeHours.objects.exists()


def run(*args):
    out = StringIO()
    call_command("calendar", *args, stdout=out)
    return out.getvalue().strip()


def test_cli():
    calendar_seed_official_notices()
    assert (
        run("due", "--received", "2024-04-26T16:00+07:00", "--working-days", "5")
        == "2024-05-07T16:00:00+07:00"
    )
    assert run(
        "due", "--received", "2024-04-26T16:00+07:00", "--working-days", "0", "--working-hours", "2"
    ) == ("2024-05-02T08:00:00+07:00")
    assert run("day", "2024-05-04") == "working\tLàm bù cho thứ Hai 29/04/2024"
    assert run("day", "2024-05-05") == "non-working\tChủ nhật"


@pytest.mark.parametrize(
    "args, message",
    [
        (["due", "--received", "2024-04-26T16:00", "--working-days", "1"], "múi giờ"),
        (["due", "--received", "hôm qua", "--working-days", "1"], "ISO 8601"),
        (["due", "--received", "2024-04-26T16:00+07:00", "--working-days", "-1"], "không được âm"),
        (["due", "--received", "2024-04-26T16:00+07:00", "--working-days", "x"], "không hợp lệ"),
        (
            [
                "due",
                "--received",
                "2024-04-26T16:00+07:00",
                "--working-days",
                "1",
                "--unit",
                "000.00.00.H99",
            ],
            "Không có đơn vị",
        ),
        (["day", "2024-02-30"], "YYYY-MM-DD"),
        (["day", "1990-01-01"], "ngoài lịch"),
    ],
)
def test_cli_bad_input(args, message):
    with pytest.raises(CommandError) as error:
        run(*args)
    assert message in str(error.value)
