"""The swaps of the 2023–2026 holiday notices, in every database: they are facts, not demo data.

A frozen copy of motcua/calendars/notices.py as it stood when written (migrations import no app
code). 2023 swapped nothing: its compensatory days are statutory and come from `holidays`.
"""

import secrets
from datetime import date

from django.db import migrations

NOTICE_2024 = "Thông báo nghỉ lễ 30/4, 1/5 năm 2024 (Bộ LĐTBXH)"
NOTICE_2025 = "Thông báo nghỉ lễ 30/4, 1/5 năm 2025 (Bộ Nội vụ)"
NOTICE_2026 = "Thông báo nghỉ lễ Quốc khánh năm 2026 (Bộ Nội vụ)"

ROWS = (
    (date(2024, 4, 29), "day_off", "Nghỉ hoán đổi dịp 30/4–1/5 (làm bù thứ Bảy 04/05/2024)", NOTICE_2024),
    (date(2024, 5, 4), "working_day", "Làm bù cho thứ Hai 29/04/2024", NOTICE_2024),
    (date(2025, 5, 2), "day_off", "Nghỉ hoán đổi dịp 30/4–1/5 (làm bù thứ Bảy 26/04/2025)", NOTICE_2025),
    (date(2025, 4, 26), "working_day", "Làm bù cho thứ Sáu 02/05/2025", NOTICE_2025),
    (date(2026, 8, 31), "day_off", "Nghỉ hoán đổi dịp Quốc khánh (làm bù thứ Bảy 22/08/2026)", NOTICE_2026),
    (date(2026, 8, 22), "working_day", "Làm bù cho thứ Hai 31/08/2026", NOTICE_2026),
)


def _bump(apps):
    # A new token, so that app servers drop a calendar they cached before these rows existed.
    Revision = apps.get_model("calendars", "CalendarRevision")
    token = secrets.randbits(62)
    if not Revision.objects.filter(pk=1).update(value=token):
        Revision.objects.create(pk=1, value=token)


def load(apps, schema_editor):
    Entry = apps.get_model("calendars", "CalendarEntry")
    existing = set(Entry.objects.filter(day__in=[r[0] for r in ROWS]).values_list("day", flat=True))
    Entry.objects.bulk_create(
        Entry(day=day, kind=kind, reason=reason, notice=notice)
        for day, kind, reason, notice in ROWS
        if day not in existing
    )
    _bump(apps)


def unload(apps, schema_editor):
    Entry = apps.get_model("calendars", "CalendarEntry")
    for day, kind, reason, notice in ROWS:
        Entry.objects.filter(day=day, kind=kind, reason=reason, notice=notice).delete()
    _bump(apps)


class Migration(migrations.Migration):
    dependencies = [("calendars", "0001_calendar_entries_office_hours")]

    operations = [migrations.RunPython(load, unload)]
