"""Working time: which days are worked, and deadlines counted in working hours.

Pure Python (no Django). A `WorkingCalendar` knows the non-working days with their reasons, the
weekend days that are worked instead (làm bù), and the office sessions of a day. Time is measured
as a *working position*: minutes of office time since the calendar's first working day. Every
question then becomes arithmetic: the position of an instant, plus a budget, back to an instant.
That makes a deadline O(log n) (one bisect), not a day-by-day walk.
"""

from bisect import bisect_left
from collections.abc import Iterable, Mapping
from copy import copy
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DEFAULT_SESSIONS = ((time(7, 30), time(11, 30)), (time(13, 30), time(17, 30)))
HOURS_PER_WORKING_DAY = 8
EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
WEEKDAY_NAMES = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")


class CalendarError(ValueError):
    """A question the calendar cannot answer (naive datetime, date outside its range)."""


@dataclass(frozen=True)
class Session:
    start: int  # minutes since midnight
    end: int


def minutes_of(t: time) -> int:
    return t.hour * 60 + t.minute


class WorkingCalendar:
    def __init__(
        self,
        *,
        non_working: Mapping[date, str],
        working_weekend_days: Mapping[date, str] = {},
        sessions: Iterable[tuple[time, time]] = DEFAULT_SESSIONS,
        first_day: date = date(2000, 1, 1),
        last_day: date = date(2060, 12, 31),
        tz: ZoneInfo = VN_TZ,
    ):
        self.tz = tz
        self.non_working = dict(non_working)
        self.working_weekend_days = dict(working_weekend_days)
        self._set_sessions(sessions)
        self.offset_minutes = 7 * 60
        self._first_ordinal = first_day.toordinal()
        self.first_day, self.last_day = first_day, last_day
        # Ordinals of every working day in range, ascending: index i = the i-th working day.
        self._days = [
            d.toordinal()
            for d in (first_day + timedelta(n) for n in range((last_day - first_day).days + 1))
            if self.is_working_day(d)
        ]

    def _set_sessions(self, sessions: Iterable[tuple[time, time]]) -> None:
        self.sessions = tuple(Session(minutes_of(a), minutes_of(b)) for a, b in sessions)
        check_sessions(self.sessions)
        self.day_minutes = sum(s.end - s.start for s in self.sessions)
        # (start, end, office minutes of the day before this session) — the hot loop's table.
        self._spans = []
        before = 0
        for s in self.sessions:
            self._spans.append((s.start, s.end, before))
            before += s.end - s.start

    def with_sessions(self, sessions: Iterable[tuple[time, time]]) -> "WorkingCalendar":
        """The same days with other office sessions (a unit's own hours). Shares the day tables,
        so it costs almost nothing next to building one."""
        other = copy(self)
        other._set_sessions(sessions)
        return other

    # --- days -------------------------------------------------------------------------------
    def is_working_day(self, day: date) -> bool:
        return self.day_status(day)[0]

    def day_status(self, day: date) -> tuple[bool, str]:
        if not (self.first_day <= day <= self.last_day):
            raise CalendarError(
                f"Ngày {day:%d/%m/%Y} nằm ngoài lịch làm việc "
                f"({self.first_day:%d/%m/%Y}–{self.last_day:%d/%m/%Y})."
            )
        if day in self.working_weekend_days:
            return True, self.working_weekend_days[day]
        if day in self.non_working:
            return False, self.non_working[day]
        if day.weekday() >= 5:
            return False, WEEKDAY_NAMES[day.weekday()]
        return True, "Ngày làm việc"

    # --- positions ----------------------------------------------------------------------------
    def _local_minutes(self, instant: datetime) -> float:
        """Minutes since 1970-01-01 00:00 local time. Vietnam has kept UTC+7 since 1975, so a fixed
        offset is exact for the calendar's range and far faster than a zone conversion."""
        if instant.tzinfo is None or instant.utcoffset() is None:
            raise CalendarError("Thời điểm phải có múi giờ (ví dụ 2024-04-26T16:00+07:00).")
        return instant.timestamp() / 60 + self.offset_minutes

    def _index_of_day(self, ordinal: int) -> int:
        index = bisect_left(self._days, ordinal)
        if index == len(self._days) or ordinal < self._first_ordinal:
            raise CalendarError(
                f"Ngày {date.fromordinal(ordinal):%d/%m/%Y} nằm ngoài lịch làm việc "
                f"({self.first_day:%d/%m/%Y}–{self.last_day:%d/%m/%Y})."
            )
        return index

    def position(self, instant: datetime) -> float:
        """Working minutes from the calendar's first opening to `instant`."""
        local = self._local_minutes(instant)
        day_number = int(local // 1440)
        ordinal = day_number + EPOCH_ORDINAL
        index = self._index_of_day(ordinal)
        base = index * self.day_minutes
        if self._days[index] != ordinal:  # a day off: counting starts at the next opening
            return base
        minute = local - day_number * 1440
        for start, end, before in self._spans:
            if minute <= start:
                return base + before
            if minute < end:
                return base + before + minute - start
        return base + self.day_minutes

    def instant_at(self, position: float, *, closing_side: bool) -> datetime:
        """The instant at a working position. On a boundary between two sessions (or days), the
        closing side is the end of the earlier session, the opening side the start of the later."""
        index, within = divmod(position, self.day_minutes)
        if closing_side and within == 0 and position > 0:
            index, within = index - 1, self.day_minutes
        index = int(index)
        if index >= len(self._days):
            raise CalendarError("Hết phạm vi lịch làm việc.")
        for session in self.sessions:
            length = session.end - session.start
            if within < length or (closing_side and within == length):
                minute = session.start + within
                break
            within -= length
        else:  # divmod keeps `within` below a day's length, so a session always matches
            raise CalendarError("Vị trí thời gian làm việc không hợp lệ.")
        local_minutes = (self._days[index] - EPOCH_ORDINAL) * 1440 + minute
        return datetime.fromtimestamp((local_minutes - self.offset_minutes) * 60, self.tz)

    # --- questions --------------------------------------------------------------------------
    def is_office_time(self, instant: datetime) -> bool:
        """Inside a session, or exactly at its closing time."""
        local = self._local_minutes(instant)
        day_number = int(local // 1440)
        if not self.is_working_day(date.fromordinal(day_number + EPOCH_ORDINAL)):
            return False
        minute = local - day_number * 1440
        return any(s.start <= minute <= s.end for s in self.sessions)

    def next_opening(self, instant: datetime) -> datetime:
        """`instant` itself if it is office time, else the next opening."""
        if self.is_office_time(instant) and not self._at_closing(instant):
            return instant.astimezone(self.tz)
        return self.instant_at(self.position(instant), closing_side=False)

    def _at_closing(self, instant: datetime) -> bool:
        minute = self._local_minutes(instant) % 1440
        return any(minute == s.end for s in self.sessions)

    def working_minutes_between(self, start: datetime, end: datetime) -> float:
        """Office minutes from `start` to `end` (negative when `end` is earlier)."""
        return self.position(end) - self.position(start)

    def due(
        self,
        received: datetime,
        working_hours: float,
        pauses: Iterable[tuple[datetime, datetime | None]] = (),
    ) -> datetime | None:
        """The instant a budget of `working_hours` runs out, counted from `received`.

        Reception outside office hours counts from the next opening; a budget used up exactly at a
        closing time is due at that closing time. Each pause (supplement request, payment) pushes
        the deadline by the office time it covers, overlapping pauses counted once; a pause that
        begins once the budget has run out changes nothing. While a pause that began before
        then is open, the due instant is unknown (None).
        """
        if working_hours < 0:
            raise CalendarError("Thời hạn giải quyết không được âm.")
        start = self.position(received)
        target = start + working_hours * 60
        covered_until = start  # office time up to here is already counted or paused
        for pause_start, pause_end in sorted(pauses, key=lambda p: p[0]):
            begin = max(self.position(pause_start), covered_until)
            if begin >= target:
                break  # the budget ran out before this pause began
            if pause_end is None:
                return None
            end = self.position(pause_end)
            if end > begin:
                target += end - begin
                covered_until = end
        if target == start and self.is_office_time(received):
            return received.astimezone(self.tz)
        return self.instant_at(target, closing_side=target > start)


def check_sessions(sessions: tuple[Session, ...]) -> None:
    if not sessions:
        raise CalendarError("Cần ít nhất một buổi làm việc trong ngày.")
    previous_end = -1
    for s in sessions:
        if s.end <= s.start:
            raise CalendarError("Giờ kết thúc buổi làm việc phải sau giờ bắt đầu.")
        if s.start < previous_end:
            raise CalendarError("Các buổi làm việc không được chồng lên nhau.")
        previous_end = s.end
