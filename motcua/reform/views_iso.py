"""The ISO 9001 register pages (/can-bo/cai-cach/iso/…): the register with filters and the review-due
flag, a process with its controlled documents and their issues, the register's own documents, the
units applying the system, the internal audits with findings and corrective actions, the management
reviews. Staff only: every view asks permissions first (read for all staff, edit for the editors),
before any object is looked up; writes go through services."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse

from motcua.core.clock import now
from motcua.core.forms import form_saved

from . import forms_iso as forms
from . import iso_selectors as selectors
from . import permissions, services
from .models import (
    IsoAction,
    IsoAudit,
    IsoDocument,
    IsoDocumentKind,
    IsoDocumentVersion,
    IsoFinding,
    IsoManagementReview,
    IsoProcess,
    IsoUnit,
)


def _post_only(request, form, call, *, success: str, back: str):
    """A small POST-only action (review, done, verified…): errors as a message, back to `back`."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not form_saved(request, form, call, success=success):
        problems = [str(e) for errors in form.errors.values() for e in errors]
        messages.error(request, " ".join(problems) or "Dữ liệu không hợp lệ.")
    return redirect(back)


def _object_action(model, form_class, service, *, success: str, back):
    """A POST-only action on one object of the register (withdraw, review, done, verified…): the
    edit right, the object through the one access door, its form, then `service(actor, pk,
    **cleaned_data)`; back to `back(obj)` with the outcome as a message."""

    def view(request, **url_kwargs):
        permissions.require_edit(request.user)
        (object_id,) = url_kwargs.values()
        obj = permissions.access_object(request.user, model, object_id)
        return _post_only(
            request,
            form_class(request.POST or None),
            lambda data: service(request.user, obj.pk, **data),
            success=success,
            back=back(obj),
        )

    return view


# --- the register -------------------------------------------------------------------------------
def iso_list(request):
    permissions.require_read(request.user)
    today = now().date()
    filters = forms.IsoFilterForm(request.GET or None)
    data = filters.cleaned_data if filters.is_bound and filters.is_valid() else {}
    at = data.get("ngay") or today
    rows = selectors.iso_register_rows(
        at,
        kind=data.get("loai") or None,
        unit_id=int(data["don_vi"]) if data.get("don_vi") else None,
        query=data.get("q") or "",
        scope=data.get("pham_vi") or "in",
        overdue_only=bool(data.get("qua_han")),
    )
    return render(
        request,
        "reform/iso_list.html",
        {
            "rows": [(row, row.process_document, row.overdue(at)) for row in rows],
            "at": at,
            "filters": filters,
            "figures": selectors.iso_register_figures(at),
            "overdue_count": sum(1 for row in rows if row.overdue(at)),
            "sync_form": forms.IsoSyncForm(initial={"at": today}),
            "can_edit": permissions.can_edit_reform(request.user),
        },
    )


def iso_sync(request):
    permissions.require_edit(request.user)
    form = forms.IsoSyncForm(request.POST or None)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if form.is_valid():
        try:
            result = services.iso_register_sync(request.user, at=form.cleaned_data["at"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            detail = ""
            if result.added:
                detail += " Thêm: " + ", ".join(result.added[:20])
            if result.removed:
                detail += " Ngừng áp dụng: " + ", ".join(result.removed[:20])
            messages.success(request, str(result) + detail)
    else:
        messages.error(request, "Ngày đồng bộ không hợp lệ (ví dụ 30/06/2023).")
    return redirect("reform:iso_list")


def iso_add(request):
    permissions.require_edit(request.user)
    form = forms.IsoProcessForm(request.POST or None)
    if request.method == "POST":
        created = []
        if form_saved(
            request,
            form,
            lambda d: created.append(services.iso_process_create(request.user, **d)),
            success="Đã thêm quy trình.",
        ):
            return redirect("reform:iso_detail", process_id=created[0].pk)
    return render(
        request,
        "reform/form.html",
        {
            "form": form,
            "title": "Thêm quy trình vào hệ thống quản lý chất lượng",
            "back": reverse("reform:iso_list"),
        },
    )


def iso_detail(request, process_id: int):
    process = permissions.access_object(request.user, IsoProcess, process_id)
    form = forms.IsoDocumentForm(
        request.POST or None, initial={"kind": IsoDocumentKind.FORM, "code": f"{process.code}-BM"}
    )
    if request.method == "POST":
        permissions.require_edit(request.user)
        if form_saved(
            request,
            form,
            lambda d: services.iso_document_create(request.user, process=process.pk, **d),
            success="Đã thêm tài liệu.",
        ):
            return redirect("reform:iso_detail", process_id=process.pk)
    process = selectors.iso_processes().get(pk=process.pk)
    states = [selectors.document_state(d) for d in process.documents.all()]
    return render(
        request,
        "reform/iso_detail.html",
        {
            "process": process,
            "states": states,
            "today": now().date(),
            "form": form,
            "withdraw_form": forms.IsoWithdrawForm(),
            "findings": process.findings.select_related("audit").order_by("-found_on"),
            "can_edit": permissions.can_edit_reform(request.user),
        },
    )


iso_withdraw = _object_action(
    IsoProcess,
    forms.IsoWithdrawForm,
    services.iso_process_withdraw,
    success="Quy trình đã ngừng áp dụng.",
    back=lambda process: reverse("reform:iso_detail", args=[process.pk]),
)


# --- controlled documents -----------------------------------------------------------------------
def iso_document_detail(request, document_id: int):
    document = permissions.access_object(request.user, IsoDocument, document_id)
    form = forms.IsoDocumentVersionForm(request.POST or None)
    if request.method == "POST":
        permissions.require_edit(request.user)
        if form_saved(
            request,
            form,
            lambda d: services.iso_document_version_add(request.user, document.pk, **d),
            success="Đã ban hành lần mới; lần trước được đánh dấu bị thay thế.",
        ):
            return redirect("reform:iso_document_detail", document_id=document.pk)
    document = IsoDocument.objects.prefetch_related(selectors.versions_prefetch()).get(
        pk=document.pk
    )
    return render(
        request,
        "reform/iso_document_detail.html",
        {
            "document": document,
            "state": selectors.document_state(document),
            "today": now().date(),
            "form": form,
            "review_form": forms.IsoReviewForm(auto_id="review_%s"),
            "can_edit": permissions.can_edit_reform(request.user),
        },
    )


iso_document_review = _object_action(
    IsoDocumentVersion,
    forms.IsoReviewForm,
    services.iso_document_reviewed,
    success="Đã ghi nhận rà soát.",
    back=lambda version: reverse("reform:iso_document_detail", args=[version.document_id]),
)


def iso_documents(request):
    """The register's own documents (quality objectives, the year's plan…) and the review-due list."""
    permissions.require_read(request.user)
    today = now().date()
    form = forms.IsoDocumentForm(request.POST or None, initial={"kind": IsoDocumentKind.POLICY})
    if request.method == "POST":
        permissions.require_edit(request.user)
        if form_saved(
            request,
            form,
            lambda d: services.iso_document_create(request.user, **d),
            success="Đã thêm tài liệu.",
        ):
            return redirect("reform:iso_documents")
    return render(
        request,
        "reform/iso_documents.html",
        {
            "states": [selectors.document_state(d) for d in selectors.iso_register_documents()],
            "due": selectors.iso_review_due(today),
            "today": today,
            "form": form,
            "can_edit": permissions.can_edit_reform(request.user),
        },
    )


# --- units --------------------------------------------------------------------------------------
def iso_units(request):
    permissions.require_read(request.user)
    form = forms.IsoUnitForm(request.POST or None)
    if request.method == "POST":
        permissions.require_edit(request.user)
        if form_saved(
            request,
            form,
            lambda d: services.iso_unit_applies(request.user, **d),
            success="Đã ghi nhận đơn vị áp dụng.",
        ):
            return redirect("reform:iso_units")
    today = now().date()
    return render(
        request,
        "reform/iso_units.html",
        {
            "records": permissions.reform_visible_to(request.user, IsoUnit).select_related("unit"),
            "figures": selectors.iso_register_figures(today),
            "form": form,
            "can_edit": permissions.can_edit_reform(request.user),
        },
    )


# --- internal audits ----------------------------------------------------------------------------
def iso_audit_list(request):
    permissions.require_read(request.user)
    processes = IsoProcess.objects.order_by("kind", "code")
    form = forms.IsoAuditForm(request.POST or None, processes=processes)
    if request.method == "POST":
        permissions.require_edit(request.user)
        created = []
        if form_saved(
            request,
            form,
            lambda d: created.append(services.iso_audit_create(request.user, **d)),
            success="Đã thêm cuộc đánh giá nội bộ.",
        ):
            return redirect("reform:iso_audit_detail", audit_id=created[0].pk)
    return render(
        request,
        "reform/iso_audit_list.html",
        {
            "audits": selectors.iso_audits(),
            "form": form,
            "can_edit": permissions.can_edit_reform(request.user),
        },
    )


def iso_audit_detail(request, audit_id: int):
    audit = permissions.access_object(request.user, IsoAudit, audit_id)
    processes = audit.processes.all() or IsoProcess.objects.order_by("kind", "code")
    form = forms.IsoFindingForm(request.POST or None, processes=processes)
    if request.method == "POST":
        permissions.require_edit(request.user)
        if form_saved(
            request,
            form,
            lambda d: services.iso_finding_add(request.user, audit.pk, **d),
            success="Đã thêm phát hiện.",
        ):
            return redirect("reform:iso_audit_detail", audit_id=audit.pk)
    return render(
        request,
        "reform/iso_audit_detail.html",
        {
            "audit": audit,
            "findings": selectors.iso_audit_detail(audit),
            "form": form,
            "action_form": forms.IsoActionForm(),
            "done_form": forms.IsoActionDoneForm(),
            "verified_form": forms.IsoActionVerifiedForm(),
            "reviews": audit.reviews.all(),
            "can_edit": permissions.can_edit_reform(request.user),
        },
    )


iso_action_add = _object_action(
    IsoFinding,
    forms.IsoActionForm,
    services.iso_action_add,
    success="Đã thêm hành động khắc phục.",
    back=lambda finding: reverse("reform:iso_audit_detail", args=[finding.audit_id]),
)
iso_action_done = _object_action(
    IsoAction,
    forms.IsoActionDoneForm,
    services.iso_action_done,
    success="Đã ghi nhận hoàn thành.",
    back=lambda action: reverse("reform:iso_audit_detail", args=[action.finding.audit_id]),
)
iso_action_verified = _object_action(
    IsoAction,
    forms.IsoActionVerifiedForm,
    services.iso_action_verified,
    success="Đã ghi nhận kiểm tra xác nhận.",
    back=lambda action: reverse("reform:iso_audit_detail", args=[action.finding.audit_id]),
)


# --- management reviews -------------------------------------------------------------------------
def iso_review_list(request):
    permissions.require_read(request.user)
    audits = IsoAudit.objects.order_by("-held_from")
    form = forms.IsoManagementReviewForm(request.POST or None, audits=audits)
    if request.method == "POST":
        permissions.require_edit(request.user)
        if form_saved(
            request,
            form,
            lambda d: services.iso_management_review_create(request.user, **d),
            success="Đã ghi nhận cuộc họp xem xét của lãnh đạo.",
        ):
            return redirect("reform:iso_review_list")
    return render(
        request,
        "reform/iso_review_list.html",
        {
            "reviews": permissions.reform_visible_to(request.user, IsoManagementReview)
            .select_related("audit")
            .order_by("-held_on"),
            "form": form,
            "can_edit": permissions.can_edit_reform(request.user),
        },
    )
