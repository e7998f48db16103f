"""/can-bo/chi-so/: the dashboards and the periodic report's drafts (department leaders, division heads,
and the administrator). Views translate requests into selectors and services only."""

from __future__ import annotations

import time

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from motcua.accounts.permissions import require
from motcua.core.downloads import attachment_response
from motcua.core.forms import add_service_errors

from .dashboard import dashboard_data, default_period
from .exports import report_file
from .forms import DashboardForm, DraftCreateForm, DraftEditForm
from .models import ReportDraft
from .narrative import FIGURE_NAMES, editor_outline, figures_for_text, paragraphs_complete
from .permissions import can_edit_reports, can_issue_reports, can_view_indicators
from .report import report_build
from .scope import scope_build
from .services import (
    default_agency_code,
    profile_for,
    report_draft_create,
    report_draft_save,
    report_issue,
)

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
DRAFTS_PER_PAGE = 30


def dashboard(request):
    require(can_view_indicators(request.user))
    started = time.perf_counter()
    if request.GET:
        form = DashboardForm(request.GET)
    else:
        first, last = default_period()
        form = DashboardForm({"tu": first.isoformat(), "den": last.isoformat()})
    data = dashboard_data(form.scope) if form.is_valid() else None
    response = render(
        request, "indicators/dashboard.html", {"form": form, "data": data, "scope": form.scope}
    )
    # Server time for the bench and the browser's devtools (Server-Timing header).
    response["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
    return response


@require_http_methods(["GET", "POST"])
def draft_list(request):
    require(can_view_indicators(request.user))
    if request.method == "POST":
        require(can_edit_reports(request.user))
        form = DraftCreateForm(request.POST)
        if form.is_valid():
            try:
                draft = report_draft_create(
                    request.user, form.scope, title=form.cleaned_data["trich_yeu"]
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Đã tạo dự thảo báo cáo.")
                return redirect("indicators:draft_detail", draft_id=draft.pk)
    else:
        first, last = default_period()
        form = DraftCreateForm(initial={"tu": first, "den": last})
    drafts = ReportDraft.objects.select_related("unit", "created_by", "issue")[:DRAFTS_PER_PAGE]
    return render(request, "indicators/drafts.html", {"form": form, "drafts": drafts})


def _draft(draft_id: int) -> ReportDraft:
    return get_object_or_404(ReportDraft.objects.select_related("unit", "created_by"), pk=draft_id)


def _scope(draft: ReportDraft):
    return scope_build(
        draft.date_from, draft.date_to, unit_code=draft.unit.code if draft.unit else None
    )


@require_http_methods(["GET", "POST"])
def draft_detail(request, draft_id: int):
    require(can_view_indicators(request.user))
    draft = _draft(draft_id)
    issue = getattr(draft, "issue", None)
    latest = draft.latest
    paragraphs = latest.paragraphs if issue is not None else paragraphs_complete(latest.paragraphs)
    if request.method == "POST":
        require(can_edit_reports(request.user))
        form = DraftEditForm(request.POST, paragraphs=paragraphs)
        if form.is_valid():
            try:
                version = report_draft_save(request.user, draft.pk, form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"Đã lưu phiên bản {version.number}.")
                return redirect("indicators:draft_detail", draft_id=draft.pk)
    else:
        form = DraftEditForm(paragraphs=paragraphs)
    data = issue.figures if issue is not None else _draft_figures(draft)
    outline = editor_outline(paragraphs, figures_for_text(data))
    for row in outline:
        if row["kind"] == "p":
            row["field"] = form[row["key"]]
    return render(
        request,
        "indicators/draft_detail.html",
        {
            "draft": draft,
            "issue": issue,
            "form": form,
            "outline": outline,
            "versions": draft.versions.select_related("author")[:20],
            "figure_names": FIGURE_NAMES,
            "can_issue": can_issue_reports(request.user) and issue is None,
            "issue_signer": _issue_signer(request.user) if issue is None else None,
            "can_edit": can_edit_reports(request.user) and issue is None,
        },
    )


def _issue_signer(user):
    from motcua.documents.signed_reports import signer_of

    return signer_of(user)


@sensitive_post_parameters("pin", "otp")  # the signing PIN never reaches an error report
@require_POST
def draft_issue(request, draft_id: int):
    """Issue the report; a leader with a signing key configured signs its PDF in the same step
    (issue [J] 1) — a signature that cannot be made leaves the report unissued."""
    from django.db import transaction

    from motcua.documents.keys import Activation
    from motcua.documents.signed_reports import report_sign

    require(can_issue_reports(request.user), "Chỉ lãnh đạo mới được ban hành báo cáo.")
    draft = _draft(draft_id)
    scope = _scope(draft)
    profile = profile_for(scope)
    figures = report_build(scope, default_agency=default_agency_code())
    signer = _issue_signer(request.user)
    try:
        with transaction.atomic():
            issue = report_issue(
                request.user, draft.pk, figures, symbol=profile.symbol if profile else "BC-STP"
            )
            if signer is not None:
                pdf = report_file(
                    scope, issue.figures, "pdf", paragraphs=issue.version.paragraphs, issue=issue
                )
                activation = Activation(request.POST.get("pin", ""), request.POST.get("otp", ""))
                report_sign(request.user, issue, pdf, activation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        signed = ", đã ký số" if signer is not None else ""
        messages.success(request, f"Đã ban hành báo cáo số {issue}{signed}.")
    return redirect("indicators:draft_detail", draft_id=draft.pk)


def _draft_figures(draft) -> dict:
    return report_build(_scope(draft), default_agency=default_agency_code())


def draft_download(request, draft_id: int, fmt: str):
    require(can_view_indicators(request.user))
    if fmt not in CONTENT_TYPES:
        return HttpResponseBadRequest("Định dạng không được hỗ trợ.")
    draft = _draft(draft_id)
    issue = getattr(draft, "issue", None)
    scope = _scope(draft)
    if issue is not None:  # an issued report never changes: its frozen figures and text
        data, paragraphs = issue.figures, issue.version.paragraphs
    else:
        data = _draft_figures(draft)
        paragraphs = draft.latest.paragraphs
    content = None
    if issue is not None and fmt == "pdf":  # the copy the leader signed, when they signed it
        from motcua.documents.signed_reports import signed_report_bytes

        content = signed_report_bytes(issue)
    if content is None:
        content = report_file(scope, data, fmt, paragraphs=paragraphs, issue=issue)
    name = f"bao-cao-cchc-{draft.date_from:%Y%m%d}-{draft.date_to:%Y%m%d}"
    return attachment_response(content, f"{name}.{fmt}", CONTENT_TYPES[fmt])
