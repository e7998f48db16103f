"""The working calendar as the rest of the system sees it: built from the database, kept in memory."""

import threading
from dataclasses import dataclass, field
from datetime import date, time

from django.db import connection

from motcua.core.workingtime import DEFAULT_SESSIONS, WorkingCalendar

from .models import CalendarEntry, CalendarRevision, EntryKind, OfficeHours
from .statutory import FIRST_YEAR, LAST_YEAR, statutory_holidays

Sessions = tuple[tuple[time, time], ...]


@dataclass
class _Loaded:
    """Everything read from the database at one revision."""

    revision: int
    default: WorkingCalendar
    sessions_by_unit: dict[int, Sessions]
    # One calendar per distinct set of office sessions, derived from `default` when first asked.
    by_sessions: dict[Sessions, WorkingCalendar] = field(default_factory=dict)


_loaded: _Loaded | None = None
_lock = threading.Lock()


def calendar_revision() -> int:
    """The token (one row). Read by every desk intake, so written as plain SQL: the ORM's query
    building costs more than the round trip here."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT value FROM {CalendarRevision._meta.db_table} WHERE id = 1")
        found = cursor.fetchone()
    return found[0] if found else 0


def working_calendar_for(unit=None) -> WorkingCalendar:
    """The calendar of `unit` (its office hours, or the default ones).

    One cheap query per call (the revision token); the days are rebuilt only after an edit, and
    units with the same office hours share one calendar, so computing deadlines for a whole
    worklist, or for every commune of a province, costs no extra queries and little memory.
    """
    global _loaded
    revision = calendar_revision()
    loaded = _loaded
    if loaded is None or loaded.revision != revision:
        with _lock:
            loaded = _loaded
            if loaded is None or loaded.revision != revision:
                loaded = _loaded = _load(revision)
    sessions = loaded.sessions_by_unit.get(getattr(unit, "pk", None), DEFAULT_SESSIONS)
    calendar = loaded.by_sessions.get(sessions)
    if calendar is None:
        with _lock:
            calendar = loaded.by_sessions.setdefault(
                sessions, loaded.default.with_sessions(sessions)
            )
    return calendar


def _load(revision: int) -> _Loaded:
    non_working = dict(statutory_holidays())
    working_weekend_days = {}
    for entry in CalendarEntry.objects.all():
        if entry.kind == EntryKind.WORKING_DAY:
            non_working.pop(entry.day, None)
            working_weekend_days[entry.day] = entry.reason
        else:
            non_working[entry.day] = entry.reason
    default = WorkingCalendar(
        non_working=non_working,
        working_weekend_days=working_weekend_days,
        sessions=DEFAULT_SESSIONS,
        first_day=date(FIRST_YEAR, 1, 1),
        last_day=date(LAST_YEAR, 12, 31),
    )
    return _Loaded(
        revision=revision,
        default=default,
        sessions_by_unit={hours.unit_id: hours.sessions() for hours in OfficeHours.objects.all()},
        by_sessions={DEFAULT_SESSIONS: default},
    )


def office_hours_by_unit() -> dict[int, OfficeHours]:
    return {hours.unit_id: hours for hours in OfficeHours.objects.all()}


def calendar_entries_for_year(year: int):
    return CalendarEntry.objects.filter(day__year=year).order_by("day")
