"""The reform pages (/cai-cach/). Every view checks the role first (all staff read; editors write,
see permissions.py), before any object is looked up; writes go through services.py, whose Vietnamese
ValidationErrors are shown on the form while nothing is saved."""

import mimetypes
from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse

from motcua.core.clock import now
from motcua.core.downloads import attachment_response, set_disposition
from motcua.core.forms import add_service_errors, form_saved
from motcua.documents.storage import storage_open

from . import forms, permissions, selectors, services
from .indicators import report_sections
from .models import (
    ActivityKind,
    Area,
    DocStatus,
    Inspection,
    InspectionFinding,
    Issuer,
    LegalDocument,
    Plan,
    Task,
    TaskProgress,
    TaskSource,
    TaskStatus,
)

PAGE_SIZE = 50


def _page(request, items):
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("trang"))


def _form_page(request, form, save, *, title, back, done):
    """Show `form`; on a valid POST call `save(form.cleaned_data)` and go to `done(result)`."""
    if request.method == "POST" and form.is_valid():
        try:
            result = save(form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Đã lưu.")
            return redirect(done(result))
    return render(request, "reform/form.html", {"form": form, "title": title, "back": back})


# --- Overview ------------------------------------------------------------------------------------
def home(request):
    permissions.require_read(request.user)
    today = now().date()
    period = forms.PeriodForm(request.GET or None)
    date_from, date_to = date(today.year, 1, 1), today
    if period.is_bound and period.is_valid():
        date_from, date_to = period.cleaned_data["date_from"], period.cleaned_data["date_to"]
    elif not period.is_bound:
        period = forms.PeriodForm(initial={"date_from": date_from, "date_to": date_to})
    return render(
        request,
        "reform/home.html",
        {
            "period": period,
            "date_from": date_from,
            "date_to": date_to,
            "sections": report_sections(date_from, date_to),
            "plans": selectors.plans_with_counts()[:10],
            "can_edit": permissions.can_edit_reform(request.user),
        },
    )


# --- Plans and tasks -----------------------------------------------------------------------------
def plan_list(request):
    permissions.require_read(request.user)
    return render(
        request,
        "reform/plan_list.html",
        {
            "page": _page(request, selectors.plans_with_counts()),
            "can_edit": permissions.can_edit_reform(request.user),
        },
    )


def plan_add(request):
    permissions.require_edit(request.user)
    form = forms.PlanForm(request.POST or None)
    return _form_page(
        request,
        form,
        lambda data: services.plan_create(request.user, **data),
        title="Thêm kế hoạch CCHC",
        back=reverse("reform:plan_list"),
        done=lambda plan: reverse("reform:plan_detail", args=[plan.pk]),
    )


def plan_detail(request, plan_id: int):
    plan = permissions.access_object(request.user, Plan, plan_id)
    tasks = selectors.tasks_search(plan_id=plan.pk)
    page = _page(request, tasks)
    return render(
        request,
        "reform/plan_detail.html",
        {
            "plan": plan,
            "progress": selectors.plan_progress(plan),
            "page": page,
            "rows": selectors.task_rows(page.object_list),
            "can_edit": permissions.can_edit_reform(request.user),
        },
    )


def task_list(request):
    permissions.require_read(request.user)
    source = request.GET.get("nguon", "")
    area = request.GET.get("linh_vuc", "")
    status = request.GET.get("trang_thai", "")
    overdue_only = request.GET.get("qua_han") == "1"
    source = source if source in TaskSource.values else ""
    area = area if area in Area.values else ""
    status = status if status in TaskStatus.values else ""
    if overdue_only:
        tasks = [t for t in selectors.tasks_overdue() if not source or t.source == source]
    else:
        tasks = selectors.tasks_search(source=source, area=area, status=status)
    page = _page(request, tasks)
    return render(
        request,
        "reform/task_list.html",
        {
            "page": page,
            "rows": selectors.task_rows(page.object_list),
            "sources": TaskSource.choices,
            "areas": Area.choices,
            "statuses": TaskStatus.choices,
            "chosen": {"source": source, "area": area, "status": status, "overdue": overdue_only},
            "can_edit": permissions.can_edit_reform(request.user),
        },
    )


def task_add(request):
    permissions.require_edit(request.user)
    initial = {"assigned_on": now().date()}
    if request.GET.get("ke_hoach", "").isdigit():
        initial |= {"plan": request.GET["ke_hoach"], "source": TaskSource.PLAN}
    form = forms.TaskForm(request.POST or None, initial=initial)
    return _form_page(
        request,
        form,
        lambda data: services.task_create(request.user, **data),
        title="Thêm nhiệm vụ CCHC",
        back=reverse("reform:task_list"),
        done=lambda task: reverse("reform:task_detail", args=[task.pk]),
    )


def task_detail(request, task_id: int):
    permissions.require_read(request.user)
    try:
        task = selectors.task_detail(task_id)
    except Task.DoesNotExist:
        raise Http404 from None
    form = forms.ProgressForm(
        request.POST or None,
        request.FILES or None,
        initial={"on": now().date(), "status": task.status},
    )
    may_report = permissions.can_report_progress(request.user, task)
    if request.method == "POST":
        if not may_report:
            raise permissions.PermissionDenied(permissions.MSG_EDIT_FORBIDDEN)
        if form_saved(
            request,
            form,
            lambda d: services.task_progress_add(request.user, task.pk, **d),
            success="Đã cập nhật tiến độ.",
        ):
            return redirect("reform:task_detail", task_id=task.pk)
    row = selectors.task_rows([task])[0]
    return render(
        request,
        "reform/task_detail.html",
        {
            "task": task,
            "row": row,
            "form": form,
            "may_report": may_report,
            "can_edit": permissions.can_edit_reform(request.user),
        },
    )


def task_edit(request, task_id: int):
    permissions.require_edit(request.user)
    task = permissions.access_object(request.user, Task, task_id)
    current = {
        "title": task.title,
        "source_document": task.source_document,
        "area": task.area,
        "unit": str(task.unit_id),
        "owner": str(task.owner_id or ""),
        "deadline": task.deadline,
    }
    form = forms.TaskEditForm(request.POST or None, initial=current)
    back = reverse("reform:task_detail", args=[task.pk])

    def save(data):
        # Only what the editor changed goes to the service.
        changes = {k: v for k, v in data.items() if v != current[k]}
        return services.task_update(request.user, task.pk, **changes)

    return _form_page(request, form, save, title="Sửa nhiệm vụ", back=back, done=lambda _task: back)


def evidence_download(request, progress_id: int):
    progress = permissions.access_object(request.user, TaskProgress, progress_id)
    if not progress.evidence:
        raise Http404
    content_type = mimetypes.guess_type(progress.evidence_name)[0] or "application/octet-stream"
    # Streamed from the one store (ADR 0027); the header comes from the one helper.
    response = FileResponse(storage_open(progress.evidence.name), content_type=content_type)
    return set_disposition(response, progress.evidence_name or "minh-chung")


# --- Self-inspection -----------------------------------------------------------------------------
def inspection_list(request):
    permissions.require_read(request.user)
    inspections = Inspection.objects.select_related("plan").prefetch_related("findings")
    return render(
        request,
        "reform/inspection_list.html",
        {
            "page": _page(request, inspections),
            "can_edit": permissions.can_edit_reform(request.user),
        },
    )


def inspection_add(request):
    permissions.require_edit(request.user)
    form = forms.InspectionForm(request.POST or None)
    return _form_page(
        request,
        form,
        lambda data: services.inspection_create(request.user, **data),
        title="Thêm đợt tự kiểm tra CCHC",
        back=reverse("reform:inspection_list"),
        done=lambda inspection: reverse("reform:inspection_detail", args=[inspection.pk]),
    )


def inspection_detail(request, inspection_id: int):
    inspection = permissions.access_object(request.user, Inspection, inspection_id)
    can_edit = permissions.can_edit_reform(request.user)
    form = forms.FindingForm(request.POST or None)
    if request.method == "POST":
        permissions.require_edit(request.user)
        if form_saved(
            request,
            form,
            lambda d: services.inspection_finding_add(request.user, inspection.pk, **d),
            success="Đã ghi kết quả kiểm tra.",
        ):
            return redirect("reform:inspection_detail", inspection_id=inspection.pk)
    findings = inspection.findings.select_related("unit").order_by("unit__sort_order")
    return render(
        request,
        "reform/inspection_detail.html",
        {"inspection": inspection, "findings": findings, "form": form, "can_edit": can_edit},
    )


def finding_follow_up(request, finding_id: int):
    permissions.require_edit(request.user)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    finding = permissions.access_object(request.user, InspectionFinding, finding_id)
    form = forms.FollowUpForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Ngày đã khắc phục không hợp lệ.")
    else:
        try:
            services.inspection_follow_up_done(request.user, finding.pk, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Đã ghi nhận khắc phục.")
    return redirect("reform:inspection_detail", inspection_id=finding.inspection_id)


# --- Legal documents -----------------------------------------------------------------------------
def document_list(request):
    permissions.require_read(request.user)
    q = request.GET.get("q", "").strip()[:100]
    issuer = request.GET.get("co_quan", "")
    status = request.GET.get("hieu_luc", "")
    issuer = issuer if issuer in Issuer.values else ""
    status = status if status in DocStatus.values else ""
    return render(
        request,
        "reform/document_list.html",
        {
            "page": _page(
                request, selectors.legal_documents_search(q=q, issuer=issuer, status=status)
            ),
            "chosen": {"q": q, "issuer": issuer, "status": status},
            "issuers": Issuer.choices,
            "statuses": DocStatus.choices,
            "counts": selectors.legal_documents_status_counts(),
            "can_edit": permissions.can_edit_legal(request.user),
        },
    )


def document_add(request):
    permissions.require_legal_edit(request.user)
    form = forms.LegalDocumentForm(request.POST or None)
    return _form_page(
        request,
        form,
        lambda data: services.legal_document_register(request.user, **data),
        title="Vào sổ văn bản QPPL",
        back=reverse("reform:document_list"),
        done=lambda document: reverse("reform:document_detail", args=[document.pk]),
    )


def legal_document_detail(request, document_id: int):
    permissions.require_read(request.user)
    try:
        document = selectors.legal_document_detail(document_id)
    except LegalDocument.DoesNotExist:
        raise Http404 from None
    return render(
        request,
        "reform/document_detail.html",
        {"document": document, "can_edit": permissions.can_edit_legal(request.user)},
    )


def draft_list(request):
    permissions.require_read(request.user)
    return render(
        request,
        "reform/draft_list.html",
        {
            "page": _page(request, selectors.drafts_list()),
            "can_edit": permissions.can_edit_legal(request.user),
        },
    )


def draft_add(request):
    permissions.require_legal_edit(request.user)
    form = forms.DraftForm(request.POST or None, initial={"received_on": now().date()})
    return _form_page(
        request,
        form,
        lambda data: services.draft_register(request.user, **data),
        title="Ghi nhận dự thảo văn bản QPPL",
        back=reverse("reform:draft_list"),
        done=lambda draft: reverse("reform:activity_add") + f"?du_thao={draft.pk}",
    )


def activity_list(request):
    permissions.require_read(request.user)
    today = now().date()
    period = forms.PeriodForm(request.GET or None)
    date_from, date_to = date(today.year, 1, 1), today
    if period.is_bound and period.is_valid():
        date_from, date_to = period.cleaned_data["date_from"], period.cleaned_data["date_to"]
    elif not period.is_bound:
        period = forms.PeriodForm(initial={"date_from": date_from, "date_to": date_to})
    kind = request.GET.get("hoat_dong", "")
    kind = kind if kind in ActivityKind.values else ""
    activities = selectors.activities_search(kind=kind, date_from=date_from, date_to=date_to)
    return render(
        request,
        "reform/activity_list.html",
        {
            "period": period,
            "date_from": date_from,
            "date_to": date_to,
            "kind": kind,
            "kinds": ActivityKind.choices,
            "counts": selectors.legal_activity_counts(date_from, date_to),
            "outcomes": selectors.review_outcome_counts(date_from, date_to),
            "page": _page(request, activities),
            "can_edit": permissions.can_edit_legal(request.user),
        },
    )


def activity_add(request):
    permissions.require_legal_edit(request.user)
    initial = {"done_on": now().date()}
    if request.GET.get("du_thao", "").isdigit():
        initial |= {"draft": request.GET["du_thao"], "kind": ActivityKind.APPRAISAL}
    if request.GET.get("van_ban", "").isdigit():
        initial |= {"document": request.GET["van_ban"]}
    if request.user.unit_id:
        initial["unit"] = str(request.user.unit_id)
    form = forms.ActivityForm(request.POST or None, initial=initial)
    return _form_page(
        request,
        form,
        lambda data: services.legal_activity_record(request.user, **data),
        title="Ghi nhận hoạt động về văn bản QPPL",
        back=reverse("reform:activity_list"),
        done=lambda activity: reverse("reform:activity_list"),
    )


def _year(request) -> int:
    raw = request.GET.get("nam", "")
    year = int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2060 else now().year - 1
    return year


def expired_list(request):
    permissions.require_read(request.user)
    year = _year(request)
    return render(
        request,
        "reform/expired_list.html",
        {"year": year, "listed": selectors.expired_legal_documents(year)},
    )


def expired_list_download(request, year: int):
    permissions.require_read(request.user)
    if not 2000 <= year <= 2060:
        raise Http404
    from .exports import expired_list_xlsx  # openpyxl on first use (core/lazy.py)

    content = expired_list_xlsx(year, selectors.expired_legal_documents(year))
    return attachment_response(
        content,
        f"danh-muc-van-ban-het-hieu-luc-{year}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def period_list(request):
    permissions.require_read(request.user)
    form = forms.SystematisationPeriodForm(request.POST or None)
    if request.method == "POST":
        permissions.require_legal_edit(request.user)
        if form_saved(
            request,
            form,
            lambda d: services.period_create(request.user, **d),
            success="Đã thêm kỳ hệ thống hóa.",
        ):
            return redirect("reform:period_list")
    return render(
        request,
        "reform/period_list.html",
        {
            "periods": selectors.periods_with_counts(),
            "form": form,
            "can_edit": permissions.can_edit_legal(request.user),
        },
    )
