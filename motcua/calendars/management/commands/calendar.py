"""`motcua calendar due|day|seed` — the working calendar from the command line.

motcua calendar due --received 2024-04-26T16:00+07:00 --working-days 5 [--working-hours H] [--unit CODE]
motcua calendar day 2024-05-04
motcua calendar seed
"""

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.management.base import BaseCommand, CommandError

from motcua.calendars.selectors import working_calendar_for
from motcua.calendars.services import calendar_seed_official_notices
from motcua.core.workingtime import HOURS_PER_WORKING_DAY, CalendarError
from motcua.org.models import Unit


def _instant(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(
            f"Thời điểm “{text}” không đúng dạng ISO 8601 (ví dụ 2024-04-26T16:00+07:00)."
        ) from None
    if value.tzinfo is None:
        raise CommandError("Thời điểm phải có múi giờ, ví dụ 2024-04-26T16:00+07:00.")
    return value


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(f"Ngày “{text}” không đúng dạng YYYY-MM-DD.") from None


def _amount(text: str, what: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise CommandError(f"Số {what} “{text}” không hợp lệ.") from None
    if value < 0 or not value.is_finite():
        raise CommandError(f"Số {what} không được âm.")
    return value


class Command(BaseCommand):
    help = (
        "Lịch làm việc: tính hạn giải quyết, xem một ngày có làm việc không, nạp thông báo nghỉ lễ."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        due = sub.add_parser("due", help="Tính thời điểm hết hạn")
        due.add_argument(
            "--received", required=True, help="thời điểm tiếp nhận, ISO 8601 có múi giờ"
        )
        due.add_argument("--working-days", default="0", help="số ngày làm việc (1 ngày = 8 giờ)")
        due.add_argument("--working-hours", default="0", help="số giờ làm việc (cộng thêm)")
        due.add_argument("--unit", help="mã đơn vị (giờ làm việc riêng của đơn vị)")
        day = sub.add_parser("day", help="Một ngày là ngày làm việc hay ngày nghỉ")
        day.add_argument("day", help="YYYY-MM-DD")
        day.add_argument("--unit", help="mã đơn vị")
        sub.add_parser("seed", help="Nạp các thông báo nghỉ lễ 2023–2026")

    def handle(self, *args, action, **options):
        try:
            getattr(self, f"handle_{action}")(**options)
        except CalendarError as exc:
            raise CommandError(str(exc)) from None

    def _unit(self, code):
        if not code:
            return None
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            raise CommandError(f"Không có đơn vị mã “{code}” (xem motcua org units).")
        return unit

    def handle_due(self, *, received, working_days, working_hours, unit=None, **_):
        hours = _amount(working_days, "ngày") * HOURS_PER_WORKING_DAY + _amount(
            working_hours, "giờ"
        )
        calendar = working_calendar_for(self._unit(unit))
        self.stdout.write(calendar.due(_instant(received), float(hours)).isoformat())

    def handle_day(self, *, day, unit=None, **_):
        working, reason = working_calendar_for(self._unit(unit)).day_status(_day(day))
        self.stdout.write(f"{'working' if working else 'non-working'}\t{reason}")

    def handle_seed(self, **_):
        created = calendar_seed_official_notices()
        self.stdout.write(f"Đã nạp {created} ngày từ các thông báo nghỉ lễ.")
