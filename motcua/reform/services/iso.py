"""ISO 9001 quality-management processes and their issued versions."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from .. import permissions
from ..models import (
    IsoProcess,
    IsoProcessKind,
    IsoVersion,
)
from .validation import (
    MSG_CHOICE,
    Errors,
    check_actor,
    check_date,
    check_text,
    resolve_unit,
)


@transaction.atomic
def iso_process_create(
    actor, *, code: str, name: str, kind: str, unit, procedure_code: str = ""
) -> IsoProcess:
    check_actor(actor, permissions.require_edit)
    errors = Errors()
    code = check_text(errors, "code", code, 40).upper()
    name = check_text(errors, "name", name, 500)
    if kind not in IsoProcessKind.values:
        errors.add("kind", MSG_CHOICE)
    unit = resolve_unit(errors, "unit", unit)
    procedure_code = (procedure_code or "").strip()
    if kind == IsoProcessKind.PROCEDURE and not procedure_code:
        errors.add("procedure_code", "Quy trình giải quyết TTHC cần mã TTHC.")
    if code and IsoProcess.objects.filter(code=code).exists():
        errors.add("code", f"Mã quy trình {code} đã có.")
    errors.raise_if_any()
    return IsoProcess.objects.create(
        code=code, name=name, kind=kind, unit=unit, procedure_code=procedure_code
    )


@transaction.atomic
def iso_version_add(
    actor,
    process_id: int,
    *,
    version: str,
    issued_on: date,
    next_review_on: date,
    decision: str = "",
) -> IsoVersion:
    check_actor(actor, permissions.require_edit)
    process = IsoProcess.objects.select_for_update().filter(pk=process_id).first()
    if process is None:
        raise ValidationError("Không tìm thấy quy trình.")
    errors = Errors()
    version = check_text(errors, "version", version, 16)
    check_date(errors, "issued_on", issued_on)
    check_date(errors, "next_review_on", next_review_on)
    if not errors and next_review_on <= issued_on:
        errors.add("next_review_on", "Hạn rà soát phải sau ngày ban hành.")
    if version and process.versions.filter(version=version).exists():
        errors.add("version", f"Lần ban hành {version} đã có.")
    errors.raise_if_any()
    return IsoVersion.objects.create(
        process=process,
        version=version,
        issued_on=issued_on,
        next_review_on=next_review_on,
        decision=(decision or "").strip()[:200],
    )


@transaction.atomic
def iso_version_reviewed(actor, version_id: int, *, on: date) -> IsoVersion:
    check_actor(actor, permissions.require_edit)
    version = IsoVersion.objects.select_for_update().filter(pk=version_id).first()
    if version is None:
        raise ValidationError("Không tìm thấy phiên bản quy trình.")
    errors = Errors()
    check_date(errors, "on", on)
    if not errors and on < version.issued_on:
        errors.add("on", "Ngày rà soát không được trước ngày ban hành.")
    errors.raise_if_any()
    version.reviewed_on = on
    version.save(update_fields=["reviewed_on"])
    return version
