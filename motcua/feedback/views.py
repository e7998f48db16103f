"""Back-office pages under /phan-anh/: the PAKN worklist by deadline, intake at the desk / by phone /
by e-mail, an item with its history and the actions allowed now; surveys: campaigns, results and
the keyboard-first entry of paper forms.

Every page checks the role first (403 before any look-up); every write goes through the services,
whose Vietnamese ValidationErrors are shown on the form while nothing is saved.
"""

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from motcua.accounts.models import User
from motcua.accounts.permissions import has_role, staff_required
from motcua.accounts.roles import STAFF_ROLES
from motcua.core.audit import personal_data_read
from motcua.core.clock import now
from motcua.core.forms import add_service_errors
from motcua.core.identity import name_masked

from . import selectors, survey_selectors
from .forms import ACTION_TEXT_LABELS, ActionTextForm, AssignForm, StaffFeedbackForm, new_token
from .models import Campaign, ResponseChannel
from .services import ACTIONS, FeedbackData, feedback_assign, feedback_receive
from .survey_forms import CampaignForm, PaperSurveyForm
from .survey_services import (
    SURVEY_MANAGERS,
    campaign_create,
    response_record,
    sipas_questionnaire_create,
)
from .workflow import STATUS_LABELS, Status, allowed_actions

PAGE_SIZE = 30


@staff_required
def worklist(request):
    """Items by the deadline that matters now; overdue ones flagged (?trang_thai=, ?qua_han=1, ?cua_toi=1)."""
    at = now()
    status = request.GET.get("trang_thai", "")
    if status not in {s.value for s in Status}:
        status = ""
    items = selectors.feedback_worklist(
        request.user,
        status=status,
        overdue_only=request.GET.get("qua_han") == "1",
        mine_for=request.user if request.GET.get("cua_toi") == "1" else None,
        at=at,
    )
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("trang"))
    for item in page.object_list:
        item.sender_masked = name_masked(item.sender_name)
        item.overdue = item.current_due is not None and item.current_due < at
    return render(
        request,
        "feedback/office/worklist.html",
        {"page": page, "statuses": [(s.value, s.label) for s in Status], "status": status},
    )


@staff_required
@require_http_methods(["GET", "POST"])
def intake(request):
    """Register an item received at the desk, by hotline or by e-mail."""
    form = StaffFeedbackForm(request.POST or None, initial={"token": new_token()})
    if request.method == "POST" and form.is_valid():
        try:
            item = feedback_receive(request.user, FeedbackData(**form.cleaned_data))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Đã tiếp nhận phản ánh, số tiếp nhận {item.code}.")
            return redirect("feedback:detail", feedback_id=item.pk)
    return render(request, "feedback/office/intake.html", {"form": form})


def _officers():
    return (
        User.objects.filter(is_active=True, role__in=STAFF_ROLES)
        .select_related("unit")
        .order_by("full_name")
    )


@staff_required
def detail(request, feedback_id: int):
    item = selectors.feedback_for_officer(request.user, feedback_id)
    # The sender's contact is personal data: shown here in full, so the read is logged.
    personal_data_read(request, f"feedback:{item.pk}", "feedback_detail")
    actions = allowed_actions(item.status, request.user, item.assignee_id)
    action_forms = [
        (t, ActionTextForm(action=t.action, initial=_initial_text(item, t.action)))
        for t in actions
        if t.action in ACTIONS
    ]
    can_assign = any(t.action == "assign" for t in actions)
    context = {
        "item": item,
        "events": selectors.feedback_history(item),
        "action_forms": action_forms,
        "assign_form": AssignForm(
            officers=_officers(),
            initial={
                "classification": item.classification,
                "assignee": item.assignee_id,
            },
        )
        if can_assign
        else None,
        "current_due": selectors.current_due(item),
        "now": now(),
        "status_labels": STATUS_LABELS,
    }
    return render(request, "feedback/office/detail.html", context)


def _initial_text(item, action: str) -> dict:
    if action == "publish":
        return {"text": item.public_question or item.content}
    return {}


@staff_required
@require_POST
def act(request, feedback_id: int, action: str):
    """Take one workflow action; an error is shown on the item's page and nothing changes."""
    if action not in ACTIONS:
        raise Http404("Thao tác không tồn tại.")
    item = selectors.feedback_for_officer(request.user, feedback_id)
    service, argument = ACTIONS[action]
    form = ActionTextForm(request.POST, action=action)
    if not form.is_valid():
        messages.error(request, f"{ACTION_TEXT_LABELS[action][1]}: vui lòng nhập nội dung.")
        return redirect("feedback:detail", feedback_id=item.pk)
    try:
        service(request.user, item.pk, **{argument: form.cleaned_data["text"]})
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    except PermissionDenied as exc:
        messages.error(request, str(exc) or "Bạn không có quyền thực hiện thao tác này.")
    else:
        messages.success(request, "Đã lưu.")
    return redirect("feedback:detail", feedback_id=item.pk)


@staff_required
@require_POST
def assign(request, feedback_id: int):
    item = selectors.feedback_for_officer(request.user, feedback_id)
    form = AssignForm(request.POST, officers=_officers())
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("feedback:detail", feedback_id=item.pk)
    try:
        feedback_assign(
            request.user,
            item.pk,
            classification=form.cleaned_data["classification"],
            assignee_id=form.cleaned_data["assignee"],
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Đã phân loại và giao xử lý.")
    return redirect("feedback:detail", feedback_id=item.pk)


# --- Surveys --------------------------------------------------------------------------------------


@staff_required
def campaigns(request):
    page = Paginator(survey_selectors.campaigns_list(), PAGE_SIZE).get_page(
        request.GET.get("trang")
    )
    return render(
        request,
        "feedback/office/campaigns.html",
        {"page": page, "can_manage": has_role(request.user, *SURVEY_MANAGERS)},
    )


@staff_required
@require_http_methods(["GET", "POST"])
def campaign_add(request):
    if not has_role(request.user, *SURVEY_MANAGERS):
        raise PermissionDenied("Chỉ lãnh đạo Sở hoặc quản trị được tạo đợt khảo sát.")
    form = CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            questionnaire_id = data["questionnaire"] or sipas_questionnaire_create(request.user).pk
            campaign = campaign_create(
                request.user,
                year=data["year"],
                quarter=data["quarter"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                questionnaire_id=questionnaire_id,
                online_open=data["online_open"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Đã tạo “{campaign.name}”.")
            return redirect("feedback:campaign_results", campaign_id=campaign.pk)
    return render(request, "feedback/office/campaign_form.html", {"form": form})


@staff_required
def campaign_results(request, campaign_id: int):
    campaign = get_object_or_404(Campaign, pk=campaign_id)
    return render(
        request,
        "feedback/office/campaign_results.html",
        {"campaign": campaign, "results": survey_selectors.campaign_results(campaign)},
    )


@staff_required
@require_http_methods(["GET", "POST"])
def paper_entry(request, campaign_id: int):
    """Enter paper forms one after another: digits 1–5 (0 = không trả lời), Tab/Enter to move;
    after a save the page is empty again, with a fresh form token and the same survey date."""
    campaign = get_object_or_404(Campaign, pk=campaign_id)
    aspects = survey_selectors.campaign_aspects(campaign)
    date_key = f"survey-date:{campaign.pk}"
    if request.method == "POST":
        form = PaperSurveyForm(request.POST, aspects=aspects)
        if form.is_valid():
            try:
                response_record(
                    request.user,
                    campaign.pk,
                    channel=ResponseChannel.PAPER,
                    token=form.cleaned_data["token"],
                    answers=form.answers(),
                    form_number=form.cleaned_data["form_number"],
                    surveyed_on=form.cleaned_data["surveyed_on"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                request.session[date_key] = form.cleaned_data["surveyed_on"].isoformat()
                count = campaign.responses.count()
                messages.success(request, f"Đã lưu phiếu. Đợt này có {count} phiếu.")
                return redirect("feedback:paper_entry", campaign_id=campaign.pk)
    else:
        last_date = request.session.get(date_key)
        default_date = last_date or min(now().date(), campaign.ends_on).isoformat()
        form = PaperSurveyForm(
            initial={"token": new_token(), "surveyed_on": _parse_iso(default_date)}, aspects=aspects
        )
    return render(
        request,
        "feedback/office/paper_entry.html",
        {"campaign": campaign, "form": form, "count": campaign.responses.count()},
    )


def _parse_iso(value: str) -> date:
    return date.fromisoformat(value)
