"""Self-inspections of reform work (tự kiểm tra) and their findings per unit."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from .. import permissions
from ..models import (
    Inspection,
    InspectionFinding,
)
from .validation import (
    Errors,
    check_actor,
    check_date,
    check_text,
    locked_or_refused,
    resolve_unit,
)


@transaction.atomic
def inspection_create(
    actor, *, title: str, started_on: date, ended_on: date, reference: str = "", plan=None
) -> Inspection:
    check_actor(actor, permissions.require_edit)
    errors = Errors()
    title = check_text(errors, "title", title, 300)
    check_date(errors, "started_on", started_on)
    check_date(errors, "ended_on", ended_on)
    if not {"started_on", "ended_on"} & set(errors) and ended_on < started_on:
        errors.add("ended_on", "Ngày kết thúc không được trước ngày bắt đầu.")
    errors.raise_if_any()
    return Inspection.objects.create(
        title=title,
        started_on=started_on,
        ended_on=ended_on,
        reference=reference.strip(),
        plan=plan,
    )


@transaction.atomic
def inspection_finding_add(
    actor, inspection_id: int, *, unit, findings: str, follow_up: str = ""
) -> InspectionFinding:
    check_actor(actor, permissions.require_edit)
    inspection = locked_or_refused(Inspection, inspection_id, "Không tìm thấy đợt kiểm tra.")
    errors = Errors()
    unit = resolve_unit(errors, "unit", unit)
    findings = check_text(errors, "findings", findings, 5000)
    if unit is not None and inspection.findings.filter(unit=unit).exists():
        errors.add("unit", "Đơn vị này đã có kết quả kiểm tra trong đợt.")
    errors.raise_if_any()
    return InspectionFinding.objects.create(
        inspection=inspection, unit=unit, findings=findings, follow_up=(follow_up or "").strip()
    )


@transaction.atomic
def inspection_follow_up_done(actor, finding_id: int, *, on: date) -> InspectionFinding:
    check_actor(actor, permissions.require_edit)
    finding = locked_or_refused(InspectionFinding, finding_id, "Không tìm thấy kết quả kiểm tra.")
    errors = Errors()
    check_date(errors, "on", on)
    if not errors and on < finding.inspection.started_on:
        errors.add("on", "Ngày khắc phục không được trước đợt kiểm tra.")
    errors.raise_if_any()
    finding.follow_up_done_on = on
    finding.save(update_fields=["follow_up_done_on"])
    return finding
