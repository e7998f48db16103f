"""The desk (intake, receipt), the worklists and the dossier page. Every write is a call of
motcua.dossiers.services; every dossier is opened through access_dossier_for_officer."""

from datetime import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.views.decorators.http import require_POST

from motcua.accounts.permissions import role_required
from motcua.accounts.roles import Role
from motcua.calendars.selectors import working_calendar_for
from motcua.catalog.selectors import procedures_search, version_components, version_in_force
from motcua.core.audit import personal_data_read
from motcua.core.clock import now
from motcua.core.downloads import attachment_response
from motcua.core.forms import add_service_errors
from motcua.core.identity import citizen_id_masked
from motcua.core.places import HOME_PROVINCE_CODE
from motcua.dossiers import selectors
from motcua.dossiers.intake_forms import IntakeForm
from motcua.dossiers.official_forms import form_pdf, receipt_context
from motcua.dossiers.permissions import access_dossier_for_officer, assignable_officers
from motcua.dossiers.services import (
    SUPPLEMENT_ACTIONS,
    ApplicantConflict,
    dossier_act,
    dossier_receive,
)
from motcua.dossiers.timeliness import LABELS as TIMELINESS_LABELS
from motcua.dossiers.timeliness import DossierFacts, dossier_timeliness
from motcua.dossiers.workflow import (
    DONE_TEXT,
    PROCESSING_ENDED,
    STATUS_LABELS,
    Status,
    allowed_actions,
)
from motcua.org.selectors import units_in_tree_order

from .panels import dossier_panels

PROCESSING_ROLES = (Role.DESK_OFFICER, Role.SPECIALIST, Role.DIVISION_HEAD, Role.DEPARTMENT_LEADER)
desk_required = role_required(Role.DESK_OFFICER)
processing_staff_required = role_required(*PROCESSING_ROLES)
PAGE_SIZE = 50


# --- intake ------------------------------------------------------------------------------------


@desk_required
def dossier_intake_search(request):
    query = request.GET.get("q", "").strip()
    results = list(procedures_search(query, now())[:20]) if query else []
    return render(
        request, "backoffice/dossiers/intake_search.html", {"query": query, "results": results}
    )


def _recalled_initial(request) -> dict:
    applicant = selectors.applicant_by_citizen_id(request.GET.get("cccd", ""))
    if applicant is None:
        return {"citizen_id": request.GET.get("cccd", "")}
    personal_data_read(request, f"applicant:{applicant.pk}", "intake_recall")
    return {
        "citizen_id": applicant.citizen_id,
        "full_name": applicant.full_name,
        "date_of_birth": applicant.date_of_birth,
        "phone": applicant.phone,
        "email": applicant.email,
        "province_code": applicant.province_code or HOME_PROVINCE_CODE,
        "ward_code": applicant.ward_code,
        "address_line": applicant.address_line,
    }


@desk_required
def dossier_intake(request, code: str):
    version = version_in_force(code, now())
    if version is None:
        raise Http404("Thủ tục không có hiệu lực.")
    initial = _recalled_initial(request) if request.method == "GET" else None
    form = IntakeForm(request.POST or None, version=version, initial=initial)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            dossier = dossier_receive(request.user, form.intake_data())
        except ApplicantConflict as exc:
            conflict = _conflict_rows(request, exc)
            add_service_errors(form, exc)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, f"Đã tiếp nhận hồ sơ {dossier.code}. Hẹn trả: {_local(dossier.due_at)}."
            )
            return redirect("backoffice:dossier_detail", dossier_id=dossier.pk)
    recalled = bool(initial and initial.get("full_name"))
    return render(
        request,
        "backoffice/dossiers/intake.html",
        {"form": form, "version": version, "recalled": recalled, "conflict": conflict},
    )


CONFLICT_ROWS = (
    ("full_name", "Họ và tên"),
    ("date_of_birth", "Ngày sinh"),
    ("phone", "Số điện thoại"),
    ("email", "Thư điện tử"),
    ("address_line", "Số nhà, đường, thôn, xóm"),
)


def _conflict_rows(request, exc: ApplicantConflict) -> list[dict]:
    """The person on record and what was typed, side by side, for the officer to compare with the
    papers in hand (a read of personal data: logged)."""
    stored, typed, differing = exc.stored, exc.typed, set(exc.fields)
    personal_data_read(request, f"applicant:{stored.pk}", "intake_conflict")
    return [
        {
            "label": label,
            "stored": _shown(getattr(stored, name)),
            "typed": _shown(getattr(typed, name)),
            "differs": name in differing,
        }
        for name, label in CONFLICT_ROWS
    ]


def _shown(value) -> str:
    if value is None or value == "":
        return "—"
    return f"{value:%d/%m/%Y}" if hasattr(value, "strftime") else str(value)


def _local(value: datetime | None) -> str:
    return f"{timezone.localtime(value):%H:%M ngày %d/%m/%Y}" if value else "—"


@role_required(*PROCESSING_ROLES)
def dossier_receipt_pdf(request, dossier_id: int):
    dossier = access_dossier_for_officer(request.user, dossier_id)
    if not dossier.code or not dossier.received_at:
        raise Http404("Hồ sơ chưa được tiếp nhận.")
    personal_data_read(request, f"dossier:{dossier.pk}", "receipt_pdf")
    pdf = form_pdf("01", timezone.localtime(dossier.received_at).date(), receipt_context(dossier))
    return attachment_response(pdf, f"mau-01-{dossier.code}.pdf", "application/pdf", inline=True)


# --- worklist ----------------------------------------------------------------------------------


@role_required(*PROCESSING_ROLES)
def dossier_worklist(request):
    status = request.GET.get("trang_thai", "")
    if status not in Status.__members__.values():
        status = ""
    dossiers = selectors.Worklist(
        request.user,
        status=status,
        query=request.GET.get("q", ""),
        mine=request.GET.get("cua_toi") == "1",
    )
    # Pages run to the count's cap (selectors.WORKLIST_COUNT_CAP); a later page number shows the last.
    page = Paginator(dossiers, PAGE_SIZE).get_page(request.GET.get("trang"))
    at = now()
    calendar = working_calendar_for(request.user.unit)
    rows = []
    for dossier in page:
        minutes = selectors.remaining_working_minutes(dossier, at, calendar)
        rows.append(
            {
                "dossier": dossier,
                "urgency": selectors.urgency(minutes),
                "remaining": _remaining_text(minutes),
                # Texts made here, not by template filters: 50 rows of |date, |truncatechars and
                # get_status_display (the field's choices are a callable, rebuilt on every call)
                # cost more than the page's queries.
                "status_label": STATUS_LABELS[Status(dossier.status)],
                "due": _due_text(dossier.due_at),
                "procedure": _shortened(dossier.procedure_version.name, 80),
            }
        )
    can_assign = request.user.role in (Role.DIVISION_HEAD, Role.DEPARTMENT_LEADER)
    return render(
        request,
        "backoffice/dossiers/worklist.html",
        {
            "page": page,
            "rows": rows,
            "total": _worklist_total(dossiers),
            "status": status,
            "statuses": [(s.value, STATUS_LABELS[s]) for s in Status],
            "can_assign": can_assign,
            "assignees": assignable_officers(request.user) if can_assign else [],
        },
    )


def _worklist_total(dossiers: selectors.Worklist) -> str:
    """How many dossiers the list holds, said as a person would: past the cap, only that it is more."""
    if dossiers.over_cap:
        cap = f"{selectors.WORKLIST_COUNT_CAP:,}".replace(",", ".")
        return (
            f"Trên {cap} hồ sơ; các trang hiển thị {cap} hồ sơ đến hạn sớm nhất,"
            " hãy lọc để xem thêm."
        )
    return f"{dossiers.count():,} hồ sơ".replace(",", ".")


def _due_text(due_at: datetime | None) -> str:
    return f"{timezone.localtime(due_at):%H:%M %d/%m/%Y}" if due_at else "—"


def _shortened(text: str, length: int) -> str:
    """What |truncatechars gives, without its character walk when the text already fits."""
    return text if len(text) <= length else Truncator(text).chars(length)


def _remaining_text(minutes: float | None) -> str:
    if minutes is None:
        return "Tạm dừng"
    sign = "Quá hạn " if minutes < 0 else "Còn "
    hours = abs(minutes) / 60
    days, rest = divmod(hours, 8)
    parts = [f"{int(days)} ngày"] if days else []
    if rest or not parts:
        parts.append(f"{rest:.1f} giờ".replace(".", ",").replace(",0 ", " "))
    return sign + " ".join(parts)


@role_required(Role.DIVISION_HEAD, Role.DEPARTMENT_LEADER)
@require_POST
def dossier_bulk_assign(request):
    ids = request.POST.getlist("dossier")
    assignee_id = request.POST.get("assignee_id")
    done, failed = 0, []
    for dossier_id in ids:
        try:
            revision = int(request.POST.get(f"revision_{dossier_id}", "-1"))
            dossier_act(
                request.user,
                int(dossier_id),
                "assign",
                expected_revision=revision,
                assignee_id=assignee_id,
            )
            done += 1
        except (ValidationError, PermissionDenied, ValueError) as exc:
            failed.append(f"{dossier_id}: {_message(exc)}")
    if done:
        messages.success(request, f"Đã phân công {done} hồ sơ.")
    for failure in failed:
        messages.error(request, f"Không phân công được hồ sơ {failure}")
    if not ids:
        messages.error(request, "Hãy chọn ít nhất một hồ sơ.")
    return redirect("backoffice:dossier_worklist")


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc) or "Thao tác không hợp lệ."


# --- dossier page ------------------------------------------------------------------------------


# The action that moves the dossier forward is the page's main button (a signer's is "Ký duyệt",
# never "Trả lại"); the others follow, those needing words each in its own fold.
PRIMARY_ACTIONS = (
    "approve",
    "submit_for_signature",
    "complete_step",
    "accept",
    "assign",
    "return_result",
    "supplement_received",
    "payment_received",
    "consultation_answered",
    "inter_agency_returned",
    "resubmit",
)
# Actions whose form has fields beyond the button (shown folded unless the action is the main one).
ACTIONS_WITH_FIELDS = frozenset(
    {
        "assign",
        "consult",
        "route_inter_agency",
        "consultation_answered",
        "inter_agency_returned",
        "reschedule",
        "supplement_received",
        "submit_for_signature",
        *SUPPLEMENT_ACTIONS,
    }
)


def _action_groups(actions) -> tuple:
    """(the main action or None, the other actions) in table order."""
    by_name = {t.action: t for t in actions}
    primary = next((by_name[a] for a in PRIMARY_ACTIONS if a in by_name), None)
    return primary, [t for t in actions if t is not primary]


def _has_fields(transition) -> bool:
    return transition.action in ACTIONS_WITH_FIELDS or transition.guard == "reason_required"


def _steps_with_finishers(dossier, events) -> list:
    """The process steps, each with who finished it: the actor of the event written at the very
    instant the step was marked finished (every step ends inside an action)."""
    actor_at = {e.at: e.actor for e in events}
    steps = list(dossier.steps.select_related("unit", "assignee"))
    for step in steps:
        step.finished_by = actor_at.get(step.finished_at) if step.finished_at else None
    return steps


def _signing_brief(dossier, events) -> dict | None:
    """What the signer reads before signing: the result to be issued and the opinion of the one
    who submitted it (the note of the latest submission)."""
    if Status(dossier.status) != Status.AWAITING_SIGNATURE:
        return None
    submitted = [e for e in events if e.action == "submit_for_signature"]
    last = submitted[-1] if submitted else None
    # The result document prepared and reviewed for this signature (issue [J] 1), if any.
    draft = dossier.result_drafts.filter(status="reviewed").select_related("signer").first()
    return {
        "draft": draft,
        "results": dossier.procedure_version.results,
        "by": last.actor if last else None,
        "at": last.at if last else None,
        "opinion": last.note if last else "",
    }


@role_required(*PROCESSING_ROLES)
def dossier_detail(request, dossier_id: int):
    dossier = access_dossier_for_officer(request.user, dossier_id)
    personal_data_read(request, f"dossier:{dossier.pk}", "dossier_detail")
    actions = allowed_actions(Status(dossier.status), request.user.role)
    primary, others = _action_groups(actions)
    at = now()
    minutes = selectors.remaining_working_minutes(dossier, at)
    remaining = _remaining_text(minutes)
    if (
        Status(dossier.status) in PROCESSING_ENDED
    ):  # a result: say how it went, not how long is left
        grade = dossier_timeliness(
            DossierFacts(
                dossier.status,
                dossier.received_at,
                dossier.due_at,
                dossier.finished_at,
                dossier.returned_at,
                dossier.supplement_requests,
            ),
            at,
        )
        remaining = f"Kết quả: {TIMELINESS_LABELS[grade].lower()}" if grade else ""
    events = list(dossier.events.select_related("actor"))
    return render(
        request,
        "backoffice/dossiers/detail.html",
        {
            "dossier": dossier,
            "status_label": STATUS_LABELS[Status(dossier.status)],
            "citizen_id": citizen_id_masked(dossier.applicant.citizen_id),
            "actions": actions,
            "primary": primary,
            "plain_actions": [t for t in others if not _has_fields(t)],
            "folded_actions": [t for t in others if _has_fields(t)],
            "assignees": assignable_officers(request.user),
            "steps": _steps_with_finishers(dossier, events),
            "consultations": dossier.consultations.select_related("unit"),
            "units": units_in_tree_order(active_only=True),
            "events": events,
            "components": dossier.components.all(),
            "procedure_papers": [c.name for c in version_components(dossier.procedure_version)],
            "signing": _signing_brief(dossier, events),
            "urgency": selectors.urgency(minutes),
            "remaining": remaining,
            "panels": dossier_panels(request, dossier),
        },
    )


@role_required(*PROCESSING_ROLES)
@require_POST
def dossier_action(request, dossier_id: int, action: str):
    params = {"reason": request.POST.get("reason", ""), "note": request.POST.get("note", "")}
    for name in ("assignee_id", "unit_id", "working_hours"):
        if request.POST.get(name):
            params[name] = request.POST[name]
    if request.POST.get("organ_id", "").strip():  # an agency outside this installation, by code
        params.pop("unit_id", None)
        params["organ_id"] = request.POST["organ_id"]
        params["organ_name"] = request.POST.get("organ_name", "")
    if request.POST.get("restart"):
        params["restart"] = True
    if action in SUPPLEMENT_ACTIONS:
        params["papers"] = request.POST.getlist("paper")
    if request.POST.get("new_due"):
        try:
            params["new_due"] = timezone.make_aware(datetime.fromisoformat(request.POST["new_due"]))
        except ValueError:
            messages.error(request, "Ngày hẹn mới không hợp lệ.")
            return redirect("backoffice:dossier_detail", dossier_id=dossier_id)
    try:
        revision = int(request.POST.get("revision", "-1"))
        dossier = dossier_act(
            request.user, dossier_id, action, expected_revision=revision, **params
        )
    except KeyError:
        raise Http404("Thao tác không tồn tại.") from None
    except (ValidationError, PermissionDenied, ValueError) as exc:
        messages.error(request, _message(exc))
    else:
        code = dossier.code or f"trực tuyến #{dossier.pk}"
        messages.success(request, DONE_TEXT[action].format(code=code))
    return redirect(reverse("backoffice:dossier_detail", kwargs={"dossier_id": dossier_id}))
