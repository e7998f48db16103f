"""Every write of the reform data. Each service checks who acts, validates everything first (a
ValidationError with Vietnamese messages, per field where it names one), and only then writes, in
one transaction — so bad input changes nothing.

`actor=None` means the system itself (the demo loader, a command run by the operator); views always
pass the signed-in user.
"""

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from motcua.accounts.models import User
from motcua.accounts.permissions import is_staff_member
from motcua.core.clock import now
from motcua.org.models import Unit

from . import permissions
from .evidence import evidence_file_name, evidence_kind
from .models import (
    DRAFT_KINDS,
    EXPIRY_OUTCOMES,
    ISSUER_TYPES,
    TYPE_SIGNS,
    ActivityKind,
    Area,
    DocStatus,
    DocType,
    Draft,
    Inspection,
    InspectionFinding,
    IsoProcess,
    IsoProcessKind,
    IsoVersion,
    Issuer,
    LegalActivity,
    LegalDocument,
    ParAssessment,
    ParCriterion,
    Plan,
    ReviewOutcome,
    SystematisationPeriod,
    Task,
    TaskProgress,
    TaskSource,
    TaskStatus,
)

FIRST_YEAR, LAST_YEAR = 2000, 2060  # the working calendar's range
PLAN_NUMBER = re.compile(r"^\d{1,5}/KH-[A-ZĐ0-9&]+(?:-[A-ZĐ0-9&]+)*$")
# Số/năm/ký hiệu (Luật 2015, art. 10; Nghị định 34/2016 art. 59): 12/2023/QĐ-UBND, 59/2020/QH14.
LEGAL_NUMBER = re.compile(r"^(\d{1,4})/(\d{4})/([A-ZĐ0-9]+(?:-[A-ZĐ0-9]+)*)$")

MSG_REQUIRED = "Thông tin này là bắt buộc."
MSG_DATE = "Ngày phải nằm trong khoảng 01/01/2000 – 31/12/2060."
MSG_CHOICE = "Lựa chọn không hợp lệ."
MSG_UNIT = "Không tìm thấy đơn vị đã chọn."


class _Errors(dict):
    """Field → messages, raised all at once so the user sees every problem in one go."""

    def add(self, field: str, message: str) -> None:
        self.setdefault(field, []).append(message)

    def raise_if_any(self) -> None:
        if self:
            raise ValidationError(dict(self))


def _check_date(errors: _Errors, field: str, value) -> None:
    if value is None:
        errors.add(field, MSG_REQUIRED)
    elif not isinstance(value, date) or not (FIRST_YEAR <= value.year <= LAST_YEAR):
        errors.add(field, MSG_DATE)


def _check_text(errors: _Errors, field: str, value, max_length: int) -> str:
    value = (value or "").strip()
    if not value:
        errors.add(field, MSG_REQUIRED)
    elif len(value) > max_length:
        errors.add(field, f"Không được dài quá {max_length} ký tự.")
    return value


def _resolve_unit(errors: _Errors, field: str, unit) -> Unit | None:
    if unit is None or unit == "":
        errors.add(field, MSG_REQUIRED)
        return None
    if isinstance(unit, Unit):
        return unit
    found = Unit.objects.filter(pk=unit).first() if str(unit).isdigit() else None
    if found is None:
        errors.add(field, MSG_UNIT)
    return found


def _allowed(actor, check) -> None:
    if actor is not None:
        check(actor)


# --- Plans ---------------------------------------------------------------------------------------
@transaction.atomic
def plan_create(actor, *, number: str, issued_on: date, title: str, unit, year=None) -> Plan:
    """Register an issued reform plan (Kế hoạch số …/KH-… ngày …)."""
    _allowed(actor, permissions.require_edit)
    errors = _Errors()
    number = (number or "").strip().upper()
    if not PLAN_NUMBER.match(number):
        errors.add("number", "Số kế hoạch phải có dạng 08/KH-STP.")
    _check_date(errors, "issued_on", issued_on)
    title = _check_text(errors, "title", title, 500)
    unit = _resolve_unit(errors, "unit", unit)
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


# --- Tasks ---------------------------------------------------------------------------------------
def _resolve_owner(errors: _Errors, owner) -> User | None:
    if owner in (None, ""):
        return None
    found = owner if isinstance(owner, User) else User.objects.filter(pk=owner).first()
    if found is None or not is_staff_member(found):
        errors.add("owner", "Người phụ trách phải là cán bộ, công chức đang làm việc.")
        return None
    return found


@transaction.atomic
def task_create(
    actor,
    *,
    source: str,
    title: str,
    area: str,
    unit,
    assigned_on: date,
    deadline: date,
    plan=None,
    source_document: str = "",
    owner=None,
) -> Task:
    """Add a task to a plan, or record a task the provincial People's Committee assigned (then the
    assigning document is required). The deadline cannot precede the assignment."""
    _allowed(actor, permissions.require_edit)
    errors = _Errors()
    title = _check_text(errors, "title", title, 500)
    if area not in Area.values:
        errors.add("area", "Hãy chọn lĩnh vực cải cách hành chính.")
    unit = _resolve_unit(errors, "unit", unit)
    owner = _resolve_owner(errors, owner)
    _check_date(errors, "assigned_on", assigned_on)
    _check_date(errors, "deadline", deadline)
    if "assigned_on" not in errors and "deadline" not in errors and deadline < assigned_on:
        errors.add("deadline", "Thời hạn không được trước ngày giao nhiệm vụ.")
    source_document = (source_document or "").strip()
    if len(source_document) > 300:
        errors.add("source_document", "Không được dài quá 300 ký tự.")
    if source == TaskSource.PLAN:
        if plan in (None, ""):
            errors.add("plan", "Hãy chọn kế hoạch của nhiệm vụ.")
        elif not isinstance(plan, Plan):
            plan = Plan.objects.filter(pk=plan).first() if str(plan).isdigit() else None
            if plan is None:
                errors.add("plan", "Không tìm thấy kế hoạch đã chọn.")
    elif source == TaskSource.PROVINCE:
        plan = None
        if not source_document:
            errors.add("source_document", "Hãy ghi văn bản của UBND tỉnh giao nhiệm vụ.")
    else:
        errors.add("source", MSG_CHOICE)
    errors.raise_if_any()
    # A double submit of the same form must not create the task twice.
    if Task.objects.filter(
        plan=plan, source=source, title=title, unit=unit, deadline=deadline
    ).exists():
        raise ValidationError({"title": ["Nhiệm vụ này đã có (cùng nội dung, đơn vị, thời hạn)."]})
    return Task.objects.create(
        source=source,
        plan=plan,
        source_document=source_document,
        title=title,
        area=area,
        unit=unit,
        owner=owner,
        assigned_on=assigned_on,
        deadline=deadline,
    )


TASK_EDITABLE = ("title", "area", "unit", "owner", "deadline", "source_document")


@transaction.atomic
def task_update(actor, task_id: int, **changes) -> Task:
    """Change what a task is, who does it and by when (not its history: progress does that). A
    deadline moved earlier than the assignment is refused; a done task keeps its deadline, so
    "done late" cannot be rewritten after the fact."""
    _allowed(actor, permissions.require_edit)
    task = Task.objects.select_for_update().filter(pk=task_id).first()
    if task is None:
        raise ValidationError("Không tìm thấy nhiệm vụ.")
    unknown = set(changes) - set(TASK_EDITABLE)
    if unknown:
        raise ValidationError(f"Không thể sửa “{sorted(unknown)[0]}” của nhiệm vụ.")
    errors = _Errors()
    if "title" in changes:
        changes["title"] = _check_text(errors, "title", changes["title"], 500)
    if "area" in changes and changes["area"] not in Area.values:
        errors.add("area", "Hãy chọn lĩnh vực cải cách hành chính.")
    if "unit" in changes:
        changes["unit"] = _resolve_unit(errors, "unit", changes["unit"])
    if "owner" in changes:
        changes["owner"] = _resolve_owner(errors, changes["owner"])
    if "deadline" in changes:
        deadline = changes["deadline"]
        _check_date(errors, "deadline", deadline)
        if "deadline" not in errors and deadline < task.assigned_on:
            errors.add("deadline", "Thời hạn không được trước ngày giao nhiệm vụ.")
        if task.status == TaskStatus.DONE and deadline != task.deadline:
            errors.add("deadline", "Nhiệm vụ đã hoàn thành, không đổi thời hạn được.")
    if "source_document" in changes:
        changes["source_document"] = (changes["source_document"] or "").strip()[:300]
        if task.source == TaskSource.PROVINCE and not changes["source_document"]:
            errors.add("source_document", "Hãy ghi văn bản của UBND tỉnh giao nhiệm vụ.")
    errors.raise_if_any()
    for name, value in changes.items():
        setattr(task, name, value)
    if changes:
        task.save(update_fields=list(changes))
    return task


@transaction.atomic
def task_progress_add(
    actor, task_id: int, *, status: str, note: str, on: date | None = None, evidence=None
) -> TaskProgress:
    """Report progress on a task: a note, an optional evidence file, and the status it leaves the
    task in. Starting sets the start date; finishing sets the completion date (a task finished after
    its deadline is then counted as done late, never hidden)."""
    task = Task.objects.select_for_update().filter(pk=task_id).first()
    if task is None:
        raise ValidationError("Không tìm thấy nhiệm vụ.")
    if actor is not None and not permissions.can_report_progress(actor, task):
        raise permissions.PermissionDenied(permissions.MSG_EDIT_FORBIDDEN)
    errors = _Errors()
    on = on or now().date()
    _check_date(errors, "on", on)
    if "on" not in errors:
        if on < task.assigned_on:
            errors.add("on", "Ngày thực hiện không được trước ngày giao nhiệm vụ.")
        elif on > now().date():
            errors.add("on", "Ngày thực hiện không được sau hôm nay.")
    note = _check_text(errors, "note", note, 5000)
    if status not in TaskStatus.values:
        errors.add("status", MSG_CHOICE)
    elif task.status == TaskStatus.DONE:
        errors.add("status", "Nhiệm vụ đã hoàn thành, không cập nhật tiến độ được nữa.")
    elif status == TaskStatus.NOT_STARTED and task.status != TaskStatus.NOT_STARTED:
        errors.add("status", "Nhiệm vụ đã bắt đầu thực hiện, không thể chuyển về “Chưa thực hiện”.")
    if (
        not errors
        and TaskProgress.objects.filter(
            task=task, author=actor, on=on, status=status, note=note
        ).exists()
    ):  # the row is locked above, so a double click cannot slip through
        errors.add("note", "Cập nhật này đã được ghi nhận.")
    kind = None
    if evidence:
        try:
            kind = evidence_kind(evidence)
        except ValidationError as exc:
            errors.add("evidence", exc.messages[0])
    errors.raise_if_any()
    if status != TaskStatus.NOT_STARTED and task.started_on is None:
        task.started_on = on
    if status == TaskStatus.DONE:
        task.completed_on = on
    task.status = status
    task.save(update_fields=["status", "started_on", "completed_on"])
    progress = TaskProgress(task=task, author=actor, at=now(), on=on, status=status, note=note)
    if evidence:
        progress.evidence_name = evidence_file_name(getattr(evidence, "name", ""), kind)
        progress.evidence.save(progress.evidence_name, evidence, save=False)
    progress.save()
    return progress


def task_import_status(
    task: Task, *, status: str, started_on: date | None, completed_on: date | None
) -> Task:
    """For the demo loader and migrations of historical data only: set a task's dates directly."""
    task.status, task.started_on, task.completed_on = status, started_on, completed_on
    task.full_clean(exclude=["plan", "owner", "unit"])
    task.save(update_fields=["status", "started_on", "completed_on"])
    return task


# --- Self-inspection -----------------------------------------------------------------------------
@transaction.atomic
def inspection_create(
    actor, *, title: str, started_on: date, ended_on: date, reference: str = "", plan=None
) -> Inspection:
    _allowed(actor, permissions.require_edit)
    errors = _Errors()
    title = _check_text(errors, "title", title, 300)
    _check_date(errors, "started_on", started_on)
    _check_date(errors, "ended_on", ended_on)
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
    _allowed(actor, permissions.require_edit)
    inspection = Inspection.objects.select_for_update().filter(pk=inspection_id).first()
    if inspection is None:
        raise ValidationError("Không tìm thấy đợt kiểm tra.")
    errors = _Errors()
    unit = _resolve_unit(errors, "unit", unit)
    findings = _check_text(errors, "findings", findings, 5000)
    if unit is not None and inspection.findings.filter(unit=unit).exists():
        errors.add("unit", "Đơn vị này đã có kết quả kiểm tra trong đợt.")
    errors.raise_if_any()
    return InspectionFinding.objects.create(
        inspection=inspection, unit=unit, findings=findings, follow_up=(follow_up or "").strip()
    )


@transaction.atomic
def inspection_follow_up_done(actor, finding_id: int, *, on: date) -> InspectionFinding:
    _allowed(actor, permissions.require_edit)
    finding = InspectionFinding.objects.select_for_update().filter(pk=finding_id).first()
    errors = _Errors()
    if finding is None:
        raise ValidationError("Không tìm thấy kết quả kiểm tra.")
    _check_date(errors, "on", on)
    if not errors and on < finding.inspection.started_on:
        errors.add("on", "Ngày khắc phục không được trước đợt kiểm tra.")
    errors.raise_if_any()
    finding.follow_up_done_on = on
    finding.save(update_fields=["follow_up_done_on"])
    return finding


# --- Legal documents -----------------------------------------------------------------------------
def _check_issuer_type(errors: _Errors, issuer: str, doc_type: str) -> None:
    if issuer not in Issuer.values:
        errors.add("issuer", "Hãy chọn cơ quan ban hành.")
    elif doc_type not in DocType.values:
        errors.add("doc_type", "Hãy chọn loại văn bản.")
    elif doc_type not in ISSUER_TYPES[issuer]:
        allowed = ", ".join(DocType(t).label for t in ISSUER_TYPES[issuer])
        errors.add(
            "doc_type",
            f"{Issuer(issuer).label} chỉ ban hành văn bản QPPL loại: {allowed} "
            "(Luật Ban hành văn bản QPPL năm 2015).",
        )


def legal_number_problem(number: str, doc_type: str, issued_on) -> str | None:
    """Why `number` is not a valid number for a document of that type and date, or None."""
    match = LEGAL_NUMBER.match(number)
    if not match:
        return "Số, ký hiệu phải có dạng số/năm/ký hiệu, ví dụ 12/2023/QĐ-UBND."
    if isinstance(issued_on, date) and int(match.group(2)) != issued_on.year:
        return f"Năm trong số, ký hiệu ({match.group(2)}) phải là năm ban hành ({issued_on.year})."
    sign = TYPE_SIGNS.get(doc_type)
    if sign and not match.group(3).startswith(f"{sign}-"):
        return f"Ký hiệu của {DocType(doc_type).label.lower()} phải bắt đầu bằng “{sign}-”."
    return None


@transaction.atomic
def legal_document_register(
    actor,
    *,
    issuer: str,
    doc_type: str,
    number: str,
    issued_on: date,
    title: str,
    effective_from: date,
    effective_to: date | None = None,
) -> LegalDocument:
    """Enter a promulgated legal document in the register: its issuer may promulgate its type, its
    number is số/năm/ký hiệu with the year of issue, it takes effect on or after its issue date."""
    _allowed(actor, permissions.require_legal_edit)
    errors = _Errors()
    number = (number or "").strip().upper()
    _check_issuer_type(errors, issuer, doc_type)
    _check_date(errors, "issued_on", issued_on)
    _check_date(errors, "effective_from", effective_from)
    if effective_to is not None:
        _check_date(errors, "effective_to", effective_to)
    if not number:
        errors.add("number", MSG_REQUIRED)
    else:
        problem = legal_number_problem(number, doc_type, issued_on)
        if problem:
            errors.add("number", problem)
    title = _check_text(errors, "title", title, 500)
    if not {"issued_on", "effective_from"} & set(errors) and effective_from < issued_on:
        errors.add("effective_from", "Ngày có hiệu lực không được trước ngày ban hành.")
    dates_ok = "effective_from" not in errors and "effective_to" not in errors
    if effective_to and dates_ok and effective_to < effective_from:
        errors.add("effective_to", "Ngày hết hiệu lực không được trước ngày có hiệu lực.")
    if (
        "number" not in errors
        and LegalDocument.objects.filter(issuer=issuer, number=number).exists()
    ):
        errors.add("number", f"Văn bản số {number} đã có trong sổ.")
    errors.raise_if_any()
    status = (
        DocStatus.EXPIRED if effective_to and effective_to <= now().date() else DocStatus.IN_FORCE
    )
    try:
        with transaction.atomic():
            return LegalDocument.objects.create(
                issuer=issuer,
                doc_type=doc_type,
                number=number,
                issued_on=issued_on,
                title=title,
                effective_from=effective_from,
                effective_to=effective_to,
                status=status,
            )
    except IntegrityError:  # a double click that won the race: the first one stands
        raise ValidationError({"number": [f"Văn bản số {number} đã có trong sổ."]}) from None


@transaction.atomic
def draft_register(
    actor,
    *,
    title: str,
    issuer: str,
    doc_type: str,
    drafting_agency: str,
    received_on: date,
    request_reference: str = "",
) -> Draft:
    """Record a draft received for appraisal or comments (central drafts included)."""
    _allowed(actor, permissions.require_legal_edit)
    errors = _Errors()
    title = _check_text(errors, "title", title, 500)
    _check_issuer_type(errors, issuer, doc_type)
    drafting_agency = _check_text(errors, "drafting_agency", drafting_agency, 255)
    _check_date(errors, "received_on", received_on)
    if "received_on" not in errors and received_on > now().date():
        errors.add("received_on", "Ngày nhận không được sau hôm nay.")
    request_reference = (request_reference or "").strip()[:200]
    if (
        not errors
        and Draft.objects.filter(
            title=title, drafting_agency=drafting_agency, received_on=received_on
        ).exists()
    ):
        errors.add(
            "title", "Dự thảo này đã được ghi nhận (cùng tên, cơ quan soạn thảo, ngày nhận)."
        )
    errors.raise_if_any()
    return Draft.objects.create(
        title=title,
        issuer=issuer,
        doc_type=doc_type,
        drafting_agency=drafting_agency,
        received_on=received_on,
        request_reference=request_reference,
    )


def _resolve(errors: _Errors, field: str, model, value, missing: str):
    if value in (None, ""):
        return None
    if isinstance(value, model):
        return value
    found = model.objects.filter(pk=value).first() if str(value).isdigit() else None
    if found is None:
        errors.add(field, missing)
    return found


@transaction.atomic
def legal_activity_record(
    actor,
    *,
    kind: str,
    done_on: date,
    unit,
    draft=None,
    document=None,
    period=None,
    reference: str = "",
    result: str = "",
    findings: str = "",
    handling: str = "",
    outcome: str = "",
    expired_on: date | None = None,
) -> LegalActivity:
    """Record one activity. Appraisal and comments concern a draft (appraisal only of a provincial
    one); checks, reviews and systematisation concern a registered document; a review states its
    outcome, and when the document has expired (fully or partly), since when — which also updates
    the register. The same activity on the same subject and day is recorded once."""
    _allowed(actor, permissions.require_legal_edit)
    errors = _Errors()
    if kind not in ActivityKind.values:
        errors.add("kind", "Hãy chọn hoạt động.")
    _check_date(errors, "done_on", done_on)
    if "done_on" not in errors and done_on > now().date():
        errors.add("done_on", "Ngày thực hiện không được sau hôm nay.")
    unit = _resolve_unit(errors, "unit", unit)
    draft = _resolve(errors, "draft", Draft, draft, "Không tìm thấy dự thảo.")
    document = _resolve(errors, "document", LegalDocument, document, "Không tìm thấy văn bản.")
    period = _resolve(
        errors, "period", SystematisationPeriod, period, "Không tìm thấy kỳ hệ thống hóa."
    )
    outcome = outcome or ""
    if kind in DRAFT_KINDS:
        document, period, outcome, expired_on = None, None, "", None
        if draft is None and "draft" not in errors:
            errors.add("draft", "Hãy chọn dự thảo.")
        if kind == ActivityKind.APPRAISAL and draft is not None and draft.is_central:
            errors.add(
                "draft",
                "Sở Tư pháp chỉ thẩm định dự thảo văn bản của địa phương; dự thảo của Trung ương thì góp ý.",
            )
        if draft is not None and "done_on" not in errors and done_on < draft.received_on:
            errors.add("done_on", "Ngày thực hiện không được trước ngày nhận dự thảo.")
    elif kind in ActivityKind.values:
        draft = None
        if document is None and "document" not in errors:
            errors.add("document", "Hãy chọn văn bản QPPL.")
        if document is not None and "done_on" not in errors and done_on < document.issued_on:
            errors.add("done_on", "Ngày thực hiện không được trước ngày ban hành văn bản.")
        _check_kind_details(errors, kind, outcome, expired_on, document, period)
    if not errors and kind != ActivityKind.REVIEW:
        outcome, expired_on = "", None
    if (
        not errors
        and LegalActivity.objects.filter(
            kind=kind, draft=draft, document=document, done_on=done_on
        ).exists()
    ):
        errors.add("kind", "Hoạt động này đã được ghi nhận cho văn bản, dự thảo này trong ngày.")
    errors.raise_if_any()
    activity = LegalActivity.objects.create(
        kind=kind,
        done_on=done_on,
        unit=unit,
        draft=draft,
        document=document,
        period=period,
        reference=(reference or "").strip()[:200],
        result=(result or "").strip(),
        findings=(findings or "").strip(),
        handling=(handling or "").strip(),
        outcome=outcome,
        expired_on=expired_on,
    )
    if kind == ActivityKind.REVIEW and outcome in EXPIRY_OUTCOMES:
        _mark_expired(document, outcome, expired_on)
    return activity


def _check_kind_details(errors, kind, outcome, expired_on, document, period) -> None:
    if kind == ActivityKind.REVIEW:
        if outcome not in ReviewOutcome.values:
            errors.add("outcome", "Hãy chọn kết quả rà soát.")
        elif outcome in EXPIRY_OUTCOMES:
            if expired_on is None:
                errors.add("expired_on", "Hãy nhập ngày văn bản hết hiệu lực.")
            elif not isinstance(expired_on, date) or not (
                FIRST_YEAR <= expired_on.year <= LAST_YEAR
            ):
                errors.add("expired_on", MSG_DATE)
            elif document is not None and expired_on < document.effective_from:
                errors.add("expired_on", "Ngày hết hiệu lực không được trước ngày có hiệu lực.")
    elif kind == ActivityKind.SYSTEMATISATION and period is None and "period" not in errors:
        errors.add("period", "Hãy chọn kỳ hệ thống hóa.")


def _mark_expired(document: LegalDocument, outcome: str, expired_on: date) -> None:
    document = LegalDocument.objects.select_for_update().get(pk=document.pk)
    if outcome == ReviewOutcome.EXPIRED_FULLY:
        document.status, document.effective_to = DocStatus.EXPIRED, expired_on
    elif document.status != DocStatus.EXPIRED:
        document.status = DocStatus.PARTLY_EXPIRED
    document.save(update_fields=["status", "effective_to"])


@transaction.atomic
def period_create(actor, *, start_year: int, end_year: int, cutoff_on: date, note: str = ""):
    """A systematisation period: five years ending on the cut-off day (Nghị định 34/2016, art. 167)."""
    _allowed(actor, permissions.require_legal_edit)
    errors = _Errors()
    if not all(isinstance(y, int) and FIRST_YEAR <= y <= LAST_YEAR for y in (start_year, end_year)):
        errors.add("start_year", "Năm không hợp lệ.")
    elif end_year - start_year != 4:
        errors.add("end_year", "Kỳ hệ thống hóa là 05 năm (ví dụ 2019–2023).")
    _check_date(errors, "cutoff_on", cutoff_on)
    if not errors and cutoff_on.year != end_year:
        errors.add("cutoff_on", "Thời điểm chốt phải thuộc năm cuối của kỳ.")
    if (
        not errors
        and SystematisationPeriod.objects.filter(start_year=start_year, end_year=end_year).exists()
    ):
        errors.add("start_year", "Kỳ hệ thống hóa này đã có.")
    errors.raise_if_any()
    return SystematisationPeriod.objects.create(
        start_year=start_year, end_year=end_year, cutoff_on=cutoff_on, note=(note or "").strip()
    )


# --- ISO 9001 ------------------------------------------------------------------------------------
@transaction.atomic
def iso_process_create(
    actor, *, code: str, name: str, kind: str, unit, procedure_code: str = ""
) -> IsoProcess:
    _allowed(actor, permissions.require_edit)
    errors = _Errors()
    code = _check_text(errors, "code", code, 40).upper()
    name = _check_text(errors, "name", name, 500)
    if kind not in IsoProcessKind.values:
        errors.add("kind", MSG_CHOICE)
    unit = _resolve_unit(errors, "unit", unit)
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
    _allowed(actor, permissions.require_edit)
    process = IsoProcess.objects.select_for_update().filter(pk=process_id).first()
    if process is None:
        raise ValidationError("Không tìm thấy quy trình.")
    errors = _Errors()
    version = _check_text(errors, "version", version, 16)
    _check_date(errors, "issued_on", issued_on)
    _check_date(errors, "next_review_on", next_review_on)
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
    _allowed(actor, permissions.require_edit)
    version = IsoVersion.objects.select_for_update().filter(pk=version_id).first()
    if version is None:
        raise ValidationError("Không tìm thấy phiên bản quy trình.")
    errors = _Errors()
    _check_date(errors, "on", on)
    if not errors and on < version.issued_on:
        errors.add("on", "Ngày rà soát không được trước ngày ban hành.")
    errors.raise_if_any()
    version.reviewed_on = on
    version.save(update_fields=["reviewed_on"])
    return version


# --- PAR index -----------------------------------------------------------------------------------
def _vn_points(points: Decimal) -> str:
    """1.50 → "1,5", 2.00 → "2": how the Vietnamese write points."""
    text = f"{points:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _points(errors: _Errors, field: str, value, *, required: bool = True) -> Decimal | None:
    if value in (None, ""):
        if required:
            errors.add(field, MSG_REQUIRED)
        return None
    try:
        points = Decimal(str(value).replace(",", "."))
    except (InvalidOperation, ValueError):
        errors.add(field, "Điểm phải là số, ví dụ 1,5.")
        return None
    if not points.is_finite() or points < 0 or points != points.quantize(Decimal("0.01")):
        errors.add(field, "Điểm phải là số không âm, tối đa hai chữ số thập phân.")
        return None
    if points >= 10000:
        errors.add(field, "Điểm quá lớn.")
        return None
    return points


@transaction.atomic
def par_assessment_create(actor, *, year: int, unit) -> ParAssessment:
    _allowed(actor, permissions.require_edit)
    errors = _Errors()
    if not isinstance(year, int) or not (FIRST_YEAR <= year <= LAST_YEAR):
        errors.add("year", "Năm đánh giá không hợp lệ.")
    unit = _resolve_unit(errors, "unit", unit)
    if not errors and ParAssessment.objects.filter(year=year, unit=unit).exists():
        errors.add("year", f"Đã có bộ chỉ số năm {year} của đơn vị này.")
    errors.raise_if_any()
    return ParAssessment.objects.create(year=year, unit=unit)


@transaction.atomic
def par_criterion_add(
    actor, assessment_id: int, *, code: str, title: str, max_points, parent=None
) -> ParCriterion:
    """A criterion (no parent) or a sub-criterion; only sub-criteria without children are scored."""
    _allowed(actor, permissions.require_edit)
    assessment = ParAssessment.objects.select_for_update().filter(pk=assessment_id).first()
    if assessment is None:
        raise ValidationError("Không tìm thấy bộ chỉ số.")
    errors = _Errors()
    code = _check_text(errors, "code", code, 16)
    title = _check_text(errors, "title", title, 500)
    points = _points(errors, "max_points", max_points)
    parent = _resolve(errors, "parent", ParCriterion, parent, "Không tìm thấy tiêu chí cha.")
    if parent is not None and parent.assessment_id != assessment.pk:
        errors.add("parent", "Tiêu chí cha thuộc bộ chỉ số khác.")
    if parent is not None and parent.self_score is not None:
        errors.add("parent", "Tiêu chí cha đã được chấm điểm, không thêm tiêu chí con được.")
    if code and assessment.criteria.filter(code=code).exists():
        errors.add("code", f"Mã tiêu chí {code} đã có.")
    errors.raise_if_any()
    return ParCriterion.objects.create(
        assessment=assessment, parent=parent, code=code, title=title, max_points=points
    )


def _scored_criterion(criterion_id: int) -> ParCriterion:
    criterion = ParCriterion.objects.select_for_update().filter(pk=criterion_id).first()
    if criterion is None:
        raise ValidationError("Không tìm thấy tiêu chí.")
    if criterion.children.exists():
        raise ValidationError("Chỉ chấm điểm tiêu chí thành phần (không có tiêu chí con).")
    return criterion


@transaction.atomic
def par_self_score(actor, criterion_id: int, *, score, evidence: str = "") -> ParCriterion:
    """The unit's own score for a sub-criterion, at most its maximum, with evidence (links or
    document references, one a line)."""
    _allowed(actor, permissions.require_edit)
    criterion = _scored_criterion(criterion_id)
    errors = _Errors()
    points = _points(errors, "self_score", score)
    if points is not None and points > criterion.max_points:
        errors.add(
            "self_score",
            f"Điểm tự đánh giá không được vượt {_vn_points(criterion.max_points)} điểm.",
        )
    errors.raise_if_any()
    criterion.self_score = points
    criterion.evidence = (evidence or "").strip()
    criterion.save(update_fields=["self_score", "evidence"])
    return criterion


@transaction.atomic
def par_final_score(actor, criterion_id: int, *, score) -> ParCriterion:
    """The score the provincial appraisal council gave, entered when it is published."""
    _allowed(actor, permissions.require_edit)
    criterion = _scored_criterion(criterion_id)
    errors = _Errors()
    points = _points(errors, "final_score", score)
    if points is not None and points > criterion.max_points:
        errors.add(
            "final_score",
            f"Điểm thẩm định không được vượt {_vn_points(criterion.max_points)} điểm.",
        )
    errors.raise_if_any()
    criterion.final_score = points
    criterion.save(update_fields=["final_score"])
    return criterion


@transaction.atomic
def par_scores_set(actor, criterion_id: int, *, self_score, evidence: str = "", final_score=None):
    """Both scores of a sub-criterion from one form: saved together or not at all."""
    criterion = par_self_score(actor, criterion_id, score=self_score, evidence=evidence)
    if final_score not in (None, ""):
        criterion = par_final_score(actor, criterion_id, score=final_score)
    return criterion
