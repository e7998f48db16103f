from datetime import date, datetime, time
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from motcua.accounts.roles import Role
from motcua.calendars.models import CalendarEntry, EntryKind, OfficeHours
from motcua.calendars.notices import SEED_ENTRIES
from motcua.calendars.selectors import working_calendar_for
from motcua.calendars.services import (
    calendar_entry_create,
    calendar_entry_delete,
    calendar_entry_update,
    calendar_seed_official_notices,
    office_hours_reset,
    office_hours_set,
)
from tests.accounts.factories import UnitFactory, UserFactory

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
# A unit that opens and closes half an hour early: still 8 hours a day.
EARLY = dict(
    morning_start=time(7, 0),
    morning_end=time(11, 0),
    afternoon_start=time(13, 0),
    afternoon_end=time(17, 0),
)
pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    return UserFactory(role=Role.ADMINISTRATOR)


def snapshot():
    return list(
        CalendarEntry.objects.order_by("day").values_list("day", "kind", "reason", "notice")
    )


def test_every_database_has_the_notices_and_seeding_puts_back_deleted_ones():
    # Migration 0002 loaded them: a fresh installation computes 2024-2026 right without the demo.
    assert snapshot() == [
        (day, kind, reason, notice) for day, kind, reason, notice in sorted(SEED_ENTRIES)
    ]
    assert calendar_seed_official_notices() == 0
    CalendarEntry.objects.filter(day=date(2024, 5, 4)).delete()
    assert calendar_seed_official_notices() == 1
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
    user, unit = UserFactory(role=role), UnitFactory()
    before = snapshot()
    entry = CalendarEntry.objects.first()
    with pytest.raises(PermissionDenied):
        calendar_entry_create(user, day=date(2027, 3, 2), kind=EntryKind.DAY_OFF, reason="x")
    with pytest.raises(PermissionDenied):
        calendar_entry_update(user, entry.pk, reason="x")
    with pytest.raises(PermissionDenied):
        calendar_entry_delete(user, entry.pk)
    with pytest.raises(PermissionDenied):
        office_hours_set(user, unit.pk, **EARLY)
    with pytest.raises(PermissionDenied):
        office_hours_reset(user, unit.pk)
    assert snapshot() == before and not OfficeHours.objects.exists()


def test_office_hours_per_unit(admin):
    unit = UnitFactory()
    office_hours_set(admin, unit.pk, **EARLY)
    received = datetime(2024, 5, 6, 7, 0, tzinfo=HCM)
    assert working_calendar_for(unit).due(received, 8) == datetime(2024, 5, 6, 17, 0, tzinfo=HCM)
    assert working_calendar_for().due(received, 8) == datetime(2024, 5, 6, 17, 30, tzinfo=HCM)
    # The unit keeps the days of the shared calendar: the 2024 swap holds for it too.
    assert working_calendar_for(unit).is_working_day(date(2024, 5, 4))
    office_hours_reset(admin, unit.pk)
    assert working_calendar_for(unit).due(received, 8) == datetime(2024, 5, 6, 17, 30, tzinfo=HCM)


def test_units_with_the_same_hours_share_one_calendar(admin, django_assert_num_queries):
    plain, early, also_early = UnitFactory(), UnitFactory(), UnitFactory()
    for unit in (early, also_early):
        office_hours_set(admin, unit.pk, **EARLY)
    assert working_calendar_for(early) is working_calendar_for(also_early)
    assert working_calendar_for(plain) is working_calendar_for()
    assert working_calendar_for(early) is not working_calendar_for()
    with django_assert_num_queries(1):  # the revision token only
        working_calendar_for(early)


@pytest.mark.parametrize(
    "times, message",
    [
        ((time(11, 30), time(7, 30), time(13, 30), time(17, 30)), "phải sau giờ bắt đầu"),
        ((time(7, 30), time(14, 0), time(13, 30), time(17, 30)), "không được chồng lên nhau"),
        ((time(7, 30), time(7, 30), time(13, 30), time(17, 30)), "phải sau giờ bắt đầu"),
        ((time(7, 30), None, time(13, 30), time(17, 30)), "Hãy nhập đủ giờ"),
        ((time(7, 30), time(11, 30), time(13, 30), time(17, 0)), "(đang là 7 giờ 30 phút)"),
        ((time(7, 0), time(11, 30), time(13, 30), time(17, 30)), "(đang là 8 giờ 30 phút)"),
    ],
)
def test_bad_office_hours_are_refused(admin, times, message):
    unit = UnitFactory()
    with pytest.raises(ValidationError) as error:
        office_hours_set(
            admin,
            unit.pk,
            morning_start=times[0],
            morning_end=times[1],
            afternoon_start=times[2],
            afternoon_end=times[3],
        )
    assert message in " ".join(error.value.messages)
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
