"""Edits to the working calendar. Administrator only; every bad entry is refused with a Vietnamese
message naming the field, and nothing changes."""

import secrets
from datetime import date, time

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from motcua.core.workingtime import (
    HOURS_PER_WORKING_DAY,
    WEEKDAY_NAMES,
    CalendarError,
    Session,
    check_sessions,
    minutes_of,
)
from motcua.org.models import Unit

from .models import CalendarEntry, CalendarRevision, EntryKind, OfficeHours
from .notices import SEED_ENTRIES
from .permissions import can_manage_calendar
from .statutory import FIRST_YEAR, LAST_YEAR, statutory_holidays

MSG_FORBIDDEN = "Chỉ quản trị hệ thống mới được sửa lịch làm việc."


def _require_admin(actor) -> None:
    if not can_manage_calendar(actor):
        raise PermissionDenied(MSG_FORBIDDEN)


def _bump_revision() -> None:
    # A random token rather than a counter: a rolled-back transaction or a restored backup can
    # never bring back a number that an app server already cached with other contents.
    token = secrets.randbits(62)
    if not CalendarRevision.objects.filter(pk=1).update(value=token):
        CalendarRevision.objects.create(pk=1, value=token)


def _would_be_working(day: date, *, ignoring_entry_id=None) -> tuple[bool, str]:
    """Whether `day` is a working day by weekends, statutory holidays and the other entries."""
    other = CalendarEntry.objects.filter(day=day).exclude(pk=ignoring_entry_id).first()
    if other:
        return other.kind == EntryKind.WORKING_DAY, other.reason
    holiday = statutory_holidays().get(day)
    if holiday:
        return False, holiday
    if day.weekday() >= 5:
        return False, WEEKDAY_NAMES[day.weekday()]
    return True, WEEKDAY_NAMES[day.weekday()]


def _validate_entry(*, day, kind, reason, notice, entry_id=None) -> dict:
    errors = {}
    if not isinstance(day, date):
        errors["day"] = "Hãy nhập ngày theo dạng ngày/tháng/năm."
    elif not (FIRST_YEAR <= day.year <= LAST_YEAR):
        errors["day"] = f"Lịch làm việc chỉ nhận các ngày từ năm {FIRST_YEAR} đến năm {LAST_YEAR}."
    elif CalendarEntry.objects.filter(day=day).exclude(pk=entry_id).exists():
        errors["day"] = f"Ngày {day:%d/%m/%Y} đã có trong lịch; hãy sửa dòng đã có."
    if kind not in EntryKind.values:
        errors["kind"] = "Loại ngày không hợp lệ."
    if not (reason or "").strip():
        errors["reason"] = "Hãy ghi lý do (ví dụ: Nghỉ bù Quốc khánh)."
    elif len(reason) > 255:
        errors["reason"] = "Lý do không được dài quá 255 ký tự."
    if len(notice or "") > 255:
        errors["notice"] = "Căn cứ không được dài quá 255 ký tự."
    if not errors:
        working, why = _would_be_working(day, ignoring_entry_id=entry_id)
        weekday = WEEKDAY_NAMES[day.weekday()]
        if kind == EntryKind.WORKING_DAY and working:
            errors["kind"] = (
                f"Ngày {day:%d/%m/%Y} ({weekday}) vốn là ngày làm việc; chỉ đánh dấu làm bù cho "
                "thứ Bảy, Chủ nhật hoặc ngày nghỉ."
            )
        elif kind != EntryKind.WORKING_DAY and not working:
            errors["kind"] = f"Ngày {day:%d/%m/%Y} ({weekday}) đã là ngày nghỉ: {why}."
    return errors


@transaction.atomic
def calendar_entry_create(actor, *, day, kind, reason, notice="") -> CalendarEntry:
    _require_admin(actor)
    errors = _validate_entry(day=day, kind=kind, reason=reason, notice=notice)
    if errors:
        raise ValidationError(errors)
    entry = CalendarEntry.objects.create(
        day=day, kind=kind, reason=reason.strip(), notice=(notice or "").strip(), created_by=actor
    )
    _bump_revision()
    return entry


@transaction.atomic
def calendar_entry_update(actor, entry_id, **changes) -> CalendarEntry:
    _require_admin(actor)
    entry = CalendarEntry.objects.select_for_update().filter(pk=entry_id).first()
    if entry is None:
        raise ValidationError("Không tìm thấy ngày cần sửa.")
    unknown = set(changes) - {"day", "kind", "reason", "notice"}
    if unknown:
        raise ValidationError(f"Không thể sửa thông tin: {', '.join(sorted(unknown))}.")
    values = {
        "day": entry.day,
        "kind": entry.kind,
        "reason": entry.reason,
        "notice": entry.notice,
    } | changes
    errors = _validate_entry(**values, entry_id=entry.pk)
    if errors:
        raise ValidationError(errors)
    for field, value in values.items():
        setattr(entry, field, value.strip() if isinstance(value, str) else value)
    entry.save()
    _bump_revision()
    return entry


@transaction.atomic
def calendar_entry_delete(actor, entry_id) -> None:
    _require_admin(actor)
    deleted, _ = CalendarEntry.objects.filter(pk=entry_id).delete()
    if not deleted:
        raise ValidationError("Không tìm thấy ngày cần xóa.")
    _bump_revision()


@transaction.atomic
def office_hours_set(
    actor, unit_id, *, morning_start, morning_end, afternoon_start, afternoon_end
) -> OfficeHours:
    """Set a unit's office sessions: in order, not overlapping, and 8 hours in all, since a
    working day of a deadline is 8 working hours everywhere."""
    _require_admin(actor)
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None:
        raise ValidationError({"unit": "Không tìm thấy đơn vị."})
    times = (morning_start, morning_end, afternoon_start, afternoon_end)
    if not all(isinstance(t, time) for t in times):
        raise ValidationError("Hãy nhập đủ giờ bắt đầu và kết thúc của hai buổi (dạng 07:30).")
    sessions = tuple(Session(minutes_of(a), minutes_of(b)) for a, b in (times[:2], times[2:]))
    try:
        check_sessions(sessions)
    except CalendarError as exc:
        raise ValidationError(str(exc)) from None
    total = sum(s.end - s.start for s in sessions)
    if total != HOURS_PER_WORKING_DAY * 60:
        raise ValidationError(
            f"Hai buổi làm việc cộng lại phải đủ {HOURS_PER_WORKING_DAY} giờ "
            f"(đang là {total // 60} giờ {total % 60:02d} phút), vì một ngày làm việc trong thời "
            f"hạn giải quyết là {HOURS_PER_WORKING_DAY} giờ làm việc."
        )
    hours, _ = OfficeHours.objects.update_or_create(
        unit=unit,
        defaults=dict(
            morning_start=morning_start,
            morning_end=morning_end,
            afternoon_start=afternoon_start,
            afternoon_end=afternoon_end,
        ),
    )
    _bump_revision()
    return hours


@transaction.atomic
def office_hours_reset(actor, unit_id) -> None:
    """The unit goes back to the default office hours (07:30–11:30, 13:30–17:30)."""
    _require_admin(actor)
    if OfficeHours.objects.filter(unit_id=unit_id).delete()[0]:
        _bump_revision()


@transaction.atomic
def calendar_seed_official_notices(actor=None, years=range(2023, 2027)) -> int:
    """Load the known notices for `years` (idempotent: existing days are left as they are)."""
    wanted = [row for row in SEED_ENTRIES if row[0].year in years]
    existing = set(
        CalendarEntry.objects.filter(day__in=[row[0] for row in wanted]).values_list(
            "day", flat=True
        )
    )
    new = [
        CalendarEntry(day=day, kind=kind, reason=reason, notice=notice, created_by=actor)
        for day, kind, reason, notice in wanted
        if day not in existing
    ]
    CalendarEntry.objects.bulk_create(new)
    if new:
        _bump_revision()
    return len(new)
