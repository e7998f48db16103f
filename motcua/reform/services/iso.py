"""The ISO 9001 register (TCVN ISO 9001:2015): its processes, their controlled documents and the
issues of those documents, the periodic reviews, the units applying the system.

A document's issue is never edited: a new issue supersedes the current one (ISO 9001:2015 điều
7.5.3, kiểm soát thông tin dạng văn bản — the superseded issue stays readable, marked as such).
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from .. import permissions
from ..models import (
    REVIEWED_KINDS,
    IsoDocument,
    IsoDocumentKind,
    IsoDocumentReview,
    IsoDocumentVersion,
    IsoProcess,
    IsoProcessKind,
    IsoUnit,
)
from .validation import (
    MSG_CHOICE,
    Errors,
    check_actor,
    check_date,
    check_text,
    locked_or_refused,
    resolve_by_pk,
    resolve_unit,
)

MSG_REVIEW_AFTER_ISSUE = "Hạn rà soát phải sau ngày ban hành."


@transaction.atomic
def iso_process_create(
    actor,
    *,
    code: str,
    name: str,
    kind: str,
    unit,
    procedure_code: str = "",
    in_scope_from: date | None = None,
    source: str = "",
) -> IsoProcess:
    """A process entered by hand (an internal process; a procedure's process normally comes from
    the catalogue through iso_register_sync)."""
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
    if in_scope_from is not None:
        check_date(errors, "in_scope_from", in_scope_from)
    if code and IsoProcess.objects.filter(code=code).exists():
        errors.add("code", f"Mã quy trình {code} đã có trong hệ thống.")
    errors.raise_if_any()
    procedure = None
    if procedure_code:
        from motcua.catalog.models import Procedure

        procedure = Procedure.objects.filter(code=procedure_code).first()
        if procedure is not None and IsoProcess.objects.filter(procedure=procedure).exists():
            raise ValidationError(
                {"procedure_code": [f"TTHC {procedure_code} đã có quy trình trong hệ thống."]}
            )
    return IsoProcess.objects.create(
        code=code,
        name=name,
        kind=kind,
        unit=unit,
        procedure_code=procedure_code,
        procedure=procedure,
        in_scope_from=in_scope_from,
        source=(source or "").strip(),
    )


@transaction.atomic
def iso_process_withdraw(actor, process_id: int, *, on: date) -> IsoProcess:
    """Take a process out of the system from `on` (exclusive end of its scope); kept for history."""
    check_actor(actor, permissions.require_edit)
    process = locked_or_refused(IsoProcess, process_id, "Không tìm thấy quy trình.")
    errors = Errors()
    check_date(errors, "on", on)
    if not errors and process.in_scope_from and on <= process.in_scope_from:
        errors.add("on", "Ngày ngừng áp dụng phải sau ngày bắt đầu áp dụng.")
    if process.in_scope_until is not None:
        errors.add("on", "Quy trình đã ngừng áp dụng.")
    errors.raise_if_any()
    process.in_scope_until = on
    process.save(update_fields=["in_scope_until"])
    return process


@transaction.atomic
def iso_document_create(
    actor, *, code: str, title: str, kind: str, process=None, source: str = ""
) -> IsoDocument:
    check_actor(actor, permissions.require_edit)
    errors = Errors()
    code = check_text(errors, "code", code, 40).upper()
    title = check_text(errors, "title", title, 500)
    if kind not in IsoDocumentKind.values:
        errors.add("kind", MSG_CHOICE)
    process = resolve_by_pk(errors, "process", IsoProcess, process, "Không tìm thấy quy trình.")
    if (
        kind in (IsoDocumentKind.PROCESS, IsoDocumentKind.FORM)
        and process is None
        and not (errors.get("process"))
    ):
        errors.add("process", "Tài liệu quy trình và biểu mẫu phải thuộc một quy trình.")
    if code and IsoDocument.objects.filter(code=code).exists():
        errors.add("code", f"Mã tài liệu {code} đã có trong hệ thống.")
    errors.raise_if_any()
    return IsoDocument.objects.create(
        code=code, title=title, kind=kind, process=process, source=(source or "").strip()
    )


def document_current_version(document: IsoDocument) -> IsoDocumentVersion | None:
    """The issue in force: the one no later issue supersedes."""
    return (
        IsoDocumentVersion.objects.filter(document=document, superseded_by__isnull=True)
        .order_by("-issued_on", "-pk")
        .first()
    )


@transaction.atomic
def iso_document_version_add(
    actor,
    document_id: int,
    *,
    version: str,
    issued_on: date,
    approver: str,
    next_review_on: date | None = None,
    decision: str = "",
) -> IsoDocumentVersion:
    """Issue a document (again). The new issue supersedes the current one, which is left as it
    was; an issue dated before the current one is refused (the register's history is in order)."""
    check_actor(actor, permissions.require_edit)
    document = locked_or_refused(IsoDocument, document_id, "Không tìm thấy tài liệu.")
    errors = Errors()
    version = check_text(errors, "version", version, 16)
    approver = check_text(errors, "approver", approver, 200)
    check_date(errors, "issued_on", issued_on)
    if next_review_on is None:
        if document.kind in REVIEWED_KINDS:
            errors.add("next_review_on", "Quy trình và biểu mẫu phải có hạn rà soát.")
    else:
        check_date(errors, "next_review_on", next_review_on)
        valid = "issued_on" not in errors and "next_review_on" not in errors
        if valid and next_review_on <= issued_on:
            errors.add("next_review_on", MSG_REVIEW_AFTER_ISSUE)
    if version and document.versions.filter(version=version).exists():
        errors.add("version", f"Lần ban hành {version} của tài liệu này đã có.")
    current = document_current_version(document)
    if current is not None and "issued_on" not in errors and issued_on < current.issued_on:
        errors.add(
            "issued_on",
            f"Ngày ban hành không được trước lần ban hành hiện hành ({current.issued_on:%d/%m/%Y}).",
        )
    errors.raise_if_any()
    return IsoDocumentVersion.objects.create(
        document=document,
        version=version,
        issued_on=issued_on,
        approver=approver,
        next_review_on=next_review_on,
        decision=(decision or "").strip()[:200],
        supersedes=current,
    )


@transaction.atomic
def iso_document_reviewed(
    actor,
    version_id: int,
    *,
    on: date,
    reviewer: str,
    next_review_on: date,
    note: str = "",
) -> IsoDocumentReview:
    """A periodic review keeping the current issue in force until the next review date."""
    check_actor(actor, permissions.require_edit)
    version = locked_or_refused(
        IsoDocumentVersion, version_id, "Không tìm thấy lần ban hành tài liệu."
    )
    errors = Errors()
    reviewer = check_text(errors, "reviewer", reviewer, 200)
    check_date(errors, "on", on)
    check_date(errors, "next_review_on", next_review_on)
    if "on" not in errors and on < version.issued_on:
        errors.add("on", "Ngày rà soát không được trước ngày ban hành.")
    if "on" not in errors and "next_review_on" not in errors and next_review_on <= on:
        errors.add("next_review_on", "Hạn rà soát tiếp theo phải sau ngày rà soát.")
    if IsoDocumentVersion.objects.filter(supersedes=version).exists():
        errors.add("on", "Lần ban hành này đã bị thay thế; hãy rà soát lần ban hành hiện hành.")
    errors.raise_if_any()
    return IsoDocumentReview.objects.create(
        version=version,
        reviewed_on=on,
        reviewer=reviewer,
        next_review_on=next_review_on,
        note=(note or "").strip(),
    )


def _process_document(process: IsoProcess) -> IsoDocument:
    document = process.documents.filter(kind=IsoDocumentKind.PROCESS).order_by("pk").first()
    if document is None:
        code = process.code
        if IsoDocument.objects.filter(code=code).exists():  # the code names another document
            code = f"{process.code}-QT"[:40]
        document = IsoDocument.objects.create(
            code=code, title=process.name, kind=IsoDocumentKind.PROCESS, process=process
        )
    return document


@transaction.atomic
def iso_version_add(
    actor,
    process_id: int,
    *,
    version: str,
    issued_on: date,
    next_review_on: date,
    approver: str,
    decision: str = "",
) -> IsoDocumentVersion:
    """Issue the process's own document (created with the process's code the first time)."""
    check_actor(actor, permissions.require_edit)
    process = locked_or_refused(IsoProcess, process_id, "Không tìm thấy quy trình.")
    sid = transaction.savepoint()
    document = _process_document(process)
    try:
        result = iso_document_version_add(
            actor,
            document.pk,
            version=version,
            issued_on=issued_on,
            approver=approver,
            next_review_on=next_review_on,
            decision=decision,
        )
    except ValidationError:
        transaction.savepoint_rollback(sid)  # nothing changed, not even the document
        raise
    transaction.savepoint_commit(sid)
    return result


@transaction.atomic
def iso_unit_applies(
    actor, *, unit, applies_from: date, decision: str = "", source: str = ""
) -> IsoUnit:
    """Record that a unit applies the quality system from a date (on a decision, if one is known)."""
    check_actor(actor, permissions.require_edit)
    errors = Errors()
    unit = resolve_unit(errors, "unit", unit)
    check_date(errors, "applies_from", applies_from)
    if unit is not None and IsoUnit.objects.filter(unit=unit, applies_until__isnull=True).exists():
        errors.add("unit", f"{unit.name} đã được ghi nhận đang áp dụng ISO.")
    errors.raise_if_any()
    return IsoUnit.objects.create(
        unit=unit,
        applies_from=applies_from,
        decision=(decision or "").strip()[:200],
        source=(source or "").strip(),
    )
