"""Reform plans (Kế hoạch cải cách hành chính)."""

from __future__ import annotations

import re
from datetime import date

from django.db import transaction

from .. import permissions
from ..models import Plan
from .validation import (
    FIRST_YEAR,
    LAST_YEAR,
    Errors,
    check_actor,
    check_date,
    check_text,
    resolve_unit,
)

PLAN_NUMBER = re.compile(r"^\d{1,5}/KH-[A-ZĐ0-9&]+(?:-[A-ZĐ0-9&]+)*$")


@transaction.atomic
def plan_create(actor, *, number: str, issued_on: date, title: str, unit, year=None) -> Plan:
    """Register an issued reform plan (Kế hoạch số …/KH-… ngày …)."""
    check_actor(actor, permissions.require_edit)
    errors = Errors()
    number = (number or "").strip().upper()
    if not PLAN_NUMBER.match(number):
        errors.add("number", "Số kế hoạch phải có dạng 08/KH-STP.")
    check_date(errors, "issued_on", issued_on)
    title = check_text(errors, "title", title, 500)
    unit = resolve_unit(errors, "unit", unit)
    if year is None and isinstance(issued_on, date):
        year = issued_on.year
    if not isinstance(year, int) or not (FIRST_YEAR <= year <= LAST_YEAR):
        errors.add("year", "Năm kế hoạch không hợp lệ.")
    elif Plan.objects.filter(number=number, year=year).exists():
        errors.add("number", f"Kế hoạch số {number} năm {year} đã có trong hệ thống.")
    errors.raise_if_any()
    return Plan.objects.create(
        number=number, issued_on=issued_on, year=year, title=title, unit=unit
    )
