"""The ISO register kept in step with the catalogue, and the yearly internal audit with its findings,
corrective actions and the management review (TCVN ISO 9001:2015 điều 9.2, 9.3, 10.2)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction

from .. import permissions
from ..iso_clauses import clause_title
from ..models import (
    IsoAction,
    IsoAudit,
    IsoFinding,
    IsoFindingKind,
    IsoManagementReview,
    IsoProcess,
    IsoProcessKind,
)
from .validation import (
    MSG_CHOICE,
    Errors,
    check_actor,
    check_date,
    check_text,
    locked_or_refused,
    resolve_by_pk,
)

PROCEDURE_PROCESS_PREFIX = "QT-TTHC-"
CLAUSE_FORMAT = re.compile(r"^\d{1,2}(\.\d{1,2}){0,3}$")


@dataclass
class SyncResult:
    at: date
    added: list[str] = field(default_factory=list)  # procedure codes brought into the system
    removed: list[str] = field(default_factory=list)  # procedure codes taken out of scope
    linked: list[str] = field(default_factory=list)  # existing processes linked to the catalogue

    def __str__(self) -> str:
        return (
            f"Đồng bộ danh mục ISO ngày {self.at:%d/%m/%Y}: thêm {len(self.added)}, "
            f"ngừng áp dụng {len(self.removed)}, liên kết {len(self.linked)}."
        )


def _left_force_on(procedure_id: int, at: date) -> date:
    """The day a procedure stopped being in force (on or before `at`), from its versions."""
    from motcua.catalog.models import ENDING_CHANGES, ProcedureVersion

    last = (
        ProcedureVersion.objects.filter(procedure_id=procedure_id, effective_from__lte=at)
        .order_by("-effective_from")
        .first()
    )
    if last is None:
        return at
    if last.change in ENDING_CHANGES:
        return last.effective_from
    if last.effective_until is not None and last.effective_until <= at:
        return last.effective_until
    return at


@transaction.atomic
def iso_register_sync(actor, *, at: date, agency: str | None = None) -> SyncResult:
    """Every public procedure of `agency` in force on `at` is under the quality system as a process
    of kind 'procedure' (the seed: "122/122 TTHC … được đưa vào áp dụng HTQLCL"): one is added
    for each procedure in force without a process (in scope from `at`), a process of a procedure
    no longer in force leaves scope from the day it stopped. Idempotent: a second run on the same
    day finds nothing to do."""
    from motcua.catalog.selectors import versions_in_force

    from ..selectors import iso_agency_code

    check_actor(actor, permissions.require_edit)
    errors = Errors()
    check_date(errors, "at", at)
    agency = agency or iso_agency_code()
    if agency is None:
        errors.add("agency", "Chưa xác định cơ quan áp dụng hệ thống quản lý chất lượng.")
    errors.raise_if_any()
    result = SyncResult(at=at)
    in_force = {
        v.procedure_id: v
        for v in versions_in_force(at, agency=agency).filter(procedure__is_internal=False)
    }
    processes = list(IsoProcess.objects.select_for_update().filter(kind=IsoProcessKind.PROCEDURE))
    by_procedure = {p.procedure_id: p for p in processes if p.procedure_id}
    by_code = {p.procedure_code: p for p in processes if not p.procedure_id and p.procedure_code}
    for procedure_id, version in in_force.items():
        code = version.procedure.code
        process = by_procedure.get(procedure_id)
        if process is None and code in by_code:  # entered by hand before: link, don't duplicate
            process = by_code.pop(code)
            process.procedure_id = procedure_id
            process.save(update_fields=["procedure"])
            by_procedure[procedure_id] = process
            result.linked.append(code)
        if process is None:
            IsoProcess.objects.create(
                code=f"{PROCEDURE_PROCESS_PREFIX}{code}",
                name=version.name[:500],
                kind=IsoProcessKind.PROCEDURE,
                procedure_code=code,
                procedure_id=procedure_id,
                unit=version.competent_agency,
                in_scope_from=at,
                source=f"Đồng bộ từ danh mục TTHC ({version.decision.number}).",
            )
            result.added.append(code)
        elif process.in_scope_until is not None and process.in_scope_until <= at:
            # Announced again after it had left: back in scope (the gap is not kept).
            process.in_scope_until = None
            process.save(update_fields=["in_scope_until"])
            result.added.append(code)
    for process in by_procedure.values():
        if process.procedure_id in in_force or process.in_scope_until is not None:
            continue
        if process.in_scope_from is not None and process.in_scope_from > at:
            continue  # brought in after `at`: a sync of an earlier day leaves it alone
        assert process.procedure_id is not None  # by_procedure holds linked processes only
        until = _left_force_on(process.procedure_id, at)
        if process.in_scope_from is not None and until <= process.in_scope_from:
            until = process.in_scope_from + timedelta(days=1)
        process.in_scope_until = until
        process.save(update_fields=["in_scope_until"])
        result.removed.append(process.procedure_code)
    return result


def _check_clause(errors: Errors, clause: str) -> str:
    clause = (clause or "").strip()
    if not clause:
        errors.add("clause", "Cần ghi điều khoản của TCVN ISO 9001:2015.")
    elif not CLAUSE_FORMAT.match(clause) or clause_title(clause) is None:
        errors.add(
            "clause",
            f"«{clause}» không phải điều khoản của TCVN ISO 9001:2015 (từ 4.1 đến 10.3, "
            "ví dụ 7.5.3).",
        )
    return clause


@transaction.atomic
def iso_audit_create(
    actor,
    *,
    year: int,
    title: str,
    held_from: date,
    held_to: date,
    lead_auditor: str,
    auditors: str = "",
    plan_reference: str = "",
    processes=(),
    units=(),
    summary: str = "",
) -> IsoAudit:
    from motcua.org.models import Unit

    check_actor(actor, permissions.require_edit)
    errors = Errors()
    title = check_text(errors, "title", title, 300)
    lead_auditor = check_text(errors, "lead_auditor", lead_auditor, 200)
    check_date(errors, "held_from", held_from)
    check_date(errors, "held_to", held_to)
    if not errors.get("held_from") and not errors.get("held_to") and held_to < held_from:
        errors.add("held_to", "Ngày kết thúc không được trước ngày bắt đầu.")
    if not isinstance(year, int) or not (2000 <= year <= 2060):
        errors.add("year", "Năm phải từ 2000 đến 2060.")
    elif not errors.get("held_from") and held_from.year != year:
        errors.add("held_from", f"Cuộc đánh giá năm {year} phải bắt đầu trong năm {year}.")
    process_ids = {int(p) for p in processes if str(p).isdigit()}
    process_list = list(IsoProcess.objects.filter(pk__in=process_ids))
    if len(process_list) != len({str(p) for p in processes}):
        errors.add("processes", "Có quy trình được chọn không tồn tại.")
    unit_ids = {int(u) for u in units if str(u).isdigit()}
    unit_list = list(Unit.objects.filter(pk__in=unit_ids))
    if len(unit_list) != len({str(u) for u in units}):
        errors.add("units", "Có đơn vị được chọn không tồn tại.")
    errors.raise_if_any()
    audit = IsoAudit.objects.create(
        year=year,
        title=title,
        plan_reference=(plan_reference or "").strip()[:200],
        held_from=held_from,
        held_to=held_to,
        lead_auditor=lead_auditor,
        auditors=(auditors or "").strip(),
        summary=(summary or "").strip(),
    )
    audit.processes.set(process_list)
    audit.units.set(unit_list)
    return audit


@transaction.atomic
def iso_finding_add(
    actor,
    audit_id: int,
    *,
    kind: str,
    clause: str,
    description: str,
    found_on: date,
    process=None,
    unit=None,
) -> IsoFinding:
    from motcua.org.models import Unit

    check_actor(actor, permissions.require_edit)
    audit = locked_or_refused(IsoAudit, audit_id, "Không tìm thấy cuộc đánh giá.")
    errors = Errors()
    if kind not in IsoFindingKind.values:
        errors.add("kind", MSG_CHOICE)
    clause = _check_clause(errors, clause)
    description = check_text(errors, "description", description, 5000)
    check_date(errors, "found_on", found_on)
    if "found_on" not in errors and not (audit.held_from <= found_on <= audit.held_to):
        errors.add(
            "found_on",
            f"Ngày phát hiện phải trong thời gian đánh giá "
            f"({audit.held_from:%d/%m/%Y} – {audit.held_to:%d/%m/%Y}).",
        )
    process = resolve_by_pk(errors, "process", IsoProcess, process, "Không tìm thấy quy trình.")
    unit = resolve_by_pk(errors, "unit", Unit, unit, "Không tìm thấy đơn vị.")
    errors.raise_if_any()
    return IsoFinding.objects.create(
        audit=audit,
        kind=kind,
        clause=clause,
        description=description,
        found_on=found_on,
        process=process,
        unit=unit,
    )


@transaction.atomic
def iso_action_add(
    actor, finding_id: int, *, description: str, owner: str, due_on: date, unit=None
) -> IsoAction:
    from motcua.org.models import Unit

    check_actor(actor, permissions.require_edit)
    finding = locked_or_refused(IsoFinding, finding_id, "Không tìm thấy phát hiện đánh giá.")
    errors = Errors()
    description = check_text(errors, "description", description, 5000)
    owner = check_text(errors, "owner", owner, 200)
    check_date(errors, "due_on", due_on)
    if "due_on" not in errors and due_on < finding.found_on:
        errors.add(
            "due_on",
            f"Thời hạn khắc phục không được trước ngày phát hiện ({finding.found_on:%d/%m/%Y}).",
        )
    unit = resolve_by_pk(errors, "unit", Unit, unit, "Không tìm thấy đơn vị.")
    errors.raise_if_any()
    return IsoAction.objects.create(
        finding=finding, description=description, owner=owner, due_on=due_on, unit=unit
    )


@transaction.atomic
def iso_action_done(actor, action_id: int, *, on: date, result: str = "") -> IsoAction:
    check_actor(actor, permissions.require_edit)
    action = locked_or_refused(
        IsoAction.objects.select_related("finding"),
        action_id,
        "Không tìm thấy hành động khắc phục.",
    )
    errors = Errors()
    check_date(errors, "on", on)
    if "on" not in errors and on < action.finding.found_on:
        errors.add("on", "Ngày hoàn thành không được trước ngày phát hiện.")
    if action.verified_on is not None:
        errors.add("on", "Hành động đã được kiểm tra xác nhận; không sửa ngày hoàn thành.")
    errors.raise_if_any()
    action.done_on = on
    action.result = (result or "").strip()
    action.save(update_fields=["done_on", "result"])
    return action


@transaction.atomic
def iso_action_verified(actor, action_id: int, *, on: date, by: str, note: str = "") -> IsoAction:
    """The auditor checks that a done action worked (điều 10.2.1 d: xem xét hiệu lực)."""
    check_actor(actor, permissions.require_edit)
    action = locked_or_refused(IsoAction, action_id, "Không tìm thấy hành động khắc phục.")
    errors = Errors()
    by = check_text(errors, "by", by, 200)
    check_date(errors, "on", on)
    if action.done_on is None:
        errors.add("on", "Chỉ kiểm tra xác nhận hành động đã hoàn thành.")
    elif "on" not in errors and on < action.done_on:
        errors.add("on", "Ngày kiểm tra xác nhận không được trước ngày hoàn thành.")
    if action.verified_on is not None:
        errors.add("on", "Hành động đã được kiểm tra xác nhận.")
    errors.raise_if_any()
    action.verified_on = on
    action.verified_by = by
    action.verification = (note or "").strip()
    action.save(update_fields=["verified_on", "verified_by", "verification"])
    return action


@transaction.atomic
def iso_management_review_create(
    actor,
    *,
    held_on: date,
    chair: str,
    inputs: str,
    decisions: str,
    audit=None,
    reference: str = "",
) -> IsoManagementReview:
    check_actor(actor, permissions.require_edit)
    errors = Errors()
    check_date(errors, "held_on", held_on)
    chair = check_text(errors, "chair", chair, 200)
    inputs = check_text(errors, "inputs", inputs, 10000)
    decisions = check_text(errors, "decisions", decisions, 10000)
    audit = resolve_by_pk(errors, "audit", IsoAudit, audit, "Không tìm thấy cuộc đánh giá.")
    if audit is not None and "held_on" not in errors and held_on < audit.held_to:
        errors.add("held_on", "Cuộc họp xem xét phải sau khi kết thúc đánh giá nội bộ.")
    errors.raise_if_any()
    return IsoManagementReview.objects.create(
        held_on=held_on,
        chair=chair,
        inputs=inputs,
        decisions=decisions,
        audit=audit,
        reference=(reference or "").strip()[:200],
    )


def iso_register_sync_run():
    """The job `iso-register-sync` (core.models.JOBS, daily): the register follows the catalogue
    without anyone pressing "Đồng bộ" — a procedure announced today is under the system tomorrow."""
    from django.utils import timezone

    from motcua.core.clock import now
    from motcua.core.jobs import job_run

    from ..iso_selectors import iso_agency_code

    def describe(c: dict) -> str:
        return c.get("summary", "Chưa đồng bộ được danh mục ISO.")

    with job_run("iso-register-sync", describe) as book:
        if iso_agency_code() is None:  # an installation whose organisation is not set up yet
            book.counts["summary"] = "Chưa xác định cơ quan áp dụng hệ thống quản lý chất lượng."
        else:
            _register_sync_into(book, timezone.localdate(now()))
    return book.run


def _register_sync_into(book, at: date) -> None:

    try:
        result = iso_register_sync(None, at=at)
    except ValidationError as exc:
        book.errors += list(exc.messages)
    else:
        book.counts.update(
            added=len(result.added), removed=len(result.removed), summary=str(result)
        )
