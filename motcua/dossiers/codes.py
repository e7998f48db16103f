"""Dossier codes per Circular 01/2018/TT-VPCP art. 19: `<receiving unit code>-YYMMDD-XXXX`.

XXXX is the 4-digit sequence of dossiers the unit received that day, restarting at 0001 each day.
A busy unit past 9.999 dossiers in a day gets 5 digits rather than a wrapped or truncated number.
"""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from .models import DailySequence


def dossier_code_next(unit, received_at: datetime) -> str:
    """Take the next code of `unit` for the day of `received_at` (local time).

    Must run inside the transaction that creates the dossier: the number is only final when that
    transaction commits, which keeps the daily sequence gapless.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("dossier_code_next phải chạy trong giao dịch tạo hồ sơ.")
    day = timezone.localtime(received_at).date()
    # Insert-if-missing cannot race: a conflicting insert is ignored, then every taker locks the row.
    DailySequence.objects.bulk_create(
        [DailySequence(unit=unit, day=day, last_value=0)], ignore_conflicts=True
    )
    sequence = DailySequence.objects.select_for_update().get(unit=unit, day=day)
    sequence.last_value += 1
    sequence.save(update_fields=["last_value"])
    return format_dossier_code(unit.code, day, sequence.last_value)


def format_dossier_code(unit_code: str, day, number: int) -> str:
    return f"{unit_code}-{day:%y%m%d}-{number:04d}"
