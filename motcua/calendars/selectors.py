"""The working calendar as the rest of the system sees it: built from the database, kept in memory."""

import threading
from datetime import date

from motcua.core.workingtime import DEFAULT_SESSIONS, WorkingCalendar

from .models import CalendarEntry, CalendarRevision, EntryKind, OfficeHours
from .statutory import FIRST_YEAR, LAST_YEAR, statutory_holidays

_cache: dict[object, tuple[int, WorkingCalendar]] = {}
_lock = threading.Lock()


def calendar_revision() -> int:
    return CalendarRevision.objects.filter(pk=1).values_list("value", flat=True).first() or 0


def working_calendar_for(unit=None) -> WorkingCalendar:
    """The calendar of `unit` (its office hours, or the default ones).

    One cheap query per call (the revision number); the calendar itself is rebuilt only after an
    edit, so computing deadlines for a whole worklist costs no extra queries.
    """
    revision = calendar_revision()
    key = getattr(unit, "pk", None)
    cached = _cache.get(key)
    if cached and cached[0] == revision:
        return cached[1]
    calendar = _build(unit)
    with _lock:
        _cache[key] = (revision, calendar)
    return calendar


def _build(unit) -> WorkingCalendar:
    non_working = dict(statutory_holidays())
    working_weekend_days = {}
    for entry in CalendarEntry.objects.all():
        if entry.kind == EntryKind.WORKING_DAY:
            non_working.pop(entry.day, None)
            working_weekend_days[entry.day] = entry.reason
        else:
            non_working[entry.day] = entry.reason
    sessions = DEFAULT_SESSIONS
    if unit is not None:
        hours = OfficeHours.objects.filter(unit=unit).first()
        if hours:
            sessions = hours.sessions()
    return WorkingCalendar(
        non_working=non_working,
        working_weekend_days=working_weekend_days,
        sessions=sessions,
        first_day=date(FIRST_YEAR, 1, 1),
        last_day=date(LAST_YEAR, 12, 31),
    )


def calendar_entries_for_year(year: int):
    return CalendarEntry.objects.filter(day__year=year).order_by("day")
