"""Reform tasks: from a plan or assigned by the provincial People's Committee, and their progress."""

from __future__ import annotations

import mimetypes
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from motcua.accounts.models import User
from motcua.accounts.permissions import is_staff_member
from motcua.core.clock import now
from motcua.documents.storage import storage_save

from .. import permissions
from ..evidence import MAX_EVIDENCE_BYTES, evidence_file_name, evidence_kind
from ..models import (
    Area,
    Plan,
    Task,
    TaskProgress,
    TaskSource,
    TaskStatus,
)
from .validation import (
    MSG_CHOICE,
    Errors,
    check_actor,
    check_date,
    check_text,
    locked_or_refused,
    resolve_unit,
)


def _resolve_owner(errors: Errors, owner) -> User | None:
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
    check_actor(actor, permissions.require_edit)
    errors = Errors()
    title = check_text(errors, "title", title, 500)
    if area not in Area.values:
        errors.add("area", "Hãy chọn lĩnh vực cải cách hành chính.")
    unit = resolve_unit(errors, "unit", unit)
    owner = _resolve_owner(errors, owner)
    check_date(errors, "assigned_on", assigned_on)
    check_date(errors, "deadline", deadline)
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
    check_actor(actor, permissions.require_edit)
    task = locked_or_refused(Task, task_id, "Không tìm thấy nhiệm vụ.")
    unknown = set(changes) - set(TASK_EDITABLE)
    if unknown:
        raise ValidationError(f"Không thể sửa “{sorted(unknown)[0]}” của nhiệm vụ.")
    errors = Errors()
    if "title" in changes:
        changes["title"] = check_text(errors, "title", changes["title"], 500)
    if "area" in changes and changes["area"] not in Area.values:
        errors.add("area", "Hãy chọn lĩnh vực cải cách hành chính.")
    if "unit" in changes:
        changes["unit"] = resolve_unit(errors, "unit", changes["unit"])
    if "owner" in changes:
        changes["owner"] = _resolve_owner(errors, changes["owner"])
    if "deadline" in changes:
        deadline = changes["deadline"]
        check_date(errors, "deadline", deadline)
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
    task = locked_or_refused(Task, task_id, "Không tìm thấy nhiệm vụ.")
    if actor is not None and not permissions.can_report_progress(actor, task):
        raise permissions.PermissionDenied(permissions.MSG_EDIT_FORBIDDEN)
    errors = Errors()
    on = on or now().date()
    check_date(errors, "on", on)
    if "on" not in errors:
        if on < task.assigned_on:
            errors.add("on", "Ngày thực hiện không được trước ngày giao nhiệm vụ.")
        elif on > now().date():
            errors.add("on", "Ngày thực hiện không được sau hôm nay.")
    note = check_text(errors, "note", note, 5000)
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
    kind = ""  # the evidence file's kind, when there is one
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
        # Into the one store (ADR 0027), streamed from a temporary copy.
        progress.evidence.name = storage_save(
            progress.evidence.field.generate_filename(progress, progress.evidence_name),
            evidence,
            max_bytes=MAX_EVIDENCE_BYTES,
            content_type=mimetypes.guess_type(progress.evidence_name)[0] or "",
        )
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
