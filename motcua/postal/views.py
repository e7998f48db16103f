"""The postal pages: intake by post, posting a result, tracking, label and manifest, the webhook.
Every write is a call of motcua.postal.services; every dossier is opened through its door."""

import json
import uuid
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from motcua.accounts.permissions import has_role, role_required
from motcua.accounts.roles import Role
from motcua.catalog.selectors import procedures_search, version_in_force
from motcua.core.audit import personal_data_read
from motcua.core.clock import now
from motcua.core.downloads import attachment_response
from motcua.core.forms import add_service_errors
from motcua.core.identity import name_masked
from motcua.core.pdf import render_pdf
from motcua.core.symbols import code128_svg_data_uri
from motcua.core.text import format_money
from motcua.dossiers.models import ChannelKind
from motcua.dossiers.permissions import access_dossier_for_officer
from motcua.dossiers.services import dossier_act

from . import selectors
from .forms import DeskEventForm, EventsImportForm, PostalIntakeForm, ReturnByPostForm
from .importing import EventImportError, tracking_events_import
from .models import Direction, EventSource
from .permissions import access_consignment_for_officer
from .services import EventData, postal_intake_receive, postal_return_send, tracking_event_record
from .webhooks import webhook_receive

PROCESSING_ROLES = (Role.DESK_OFFICER, Role.SPECIALIST, Role.DIVISION_HEAD, Role.DEPARTMENT_LEADER)
DESK_ROLES = (Role.DESK_OFFICER,)  # who receives by post, prints the manifest, imports events
desk_required = role_required(*DESK_ROLES)
PAGE_SIZE = 50


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc) or "Thao tác không hợp lệ."


# --- intake by post ------------------------------------------------------------------------------


@desk_required
def intake_search(request):
    query = request.GET.get("q", "").strip()
    results = list(procedures_search(query, now())[:20]) if query else []
    return render(request, "postal/intake_search.html", {"query": query, "results": results})


@desk_required
def intake(request, code: str):
    version = version_in_force(code, now())
    if version is None or "post" not in version.intake_channels:
        raise Http404("Thủ tục không có hiệu lực hoặc không nhận hồ sơ qua bưu chính.")
    form = PostalIntakeForm(request.POST or None, version=version)
    if request.method == "POST" and form.is_valid():
        try:
            dossier = postal_intake_receive(request.user, form.intake_data(), form.postal_facts())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            due = timezone.localtime(dossier.due_at)
            messages.success(
                request,
                f"Đã tiếp nhận hồ sơ {dossier.code} gửi qua bưu chính. Hẹn trả: {due:%H:%M ngày %d/%m/%Y}.",
            )
            return redirect("backoffice:dossier_detail", dossier_id=dossier.pk)
    return render(request, "postal/intake.html", {"form": form, "version": version})


# --- return by post ------------------------------------------------------------------------------


@desk_required
@require_POST
def return_send(request, dossier_id: int):
    access_dossier_for_officer(request.user, dossier_id)
    form = ReturnByPostForm(request.POST)
    if not form.is_valid():
        errors = [f"{form.fields[f].label}: {' '.join(e)}" for f, e in form.errors.items()]
        messages.error(request, "Chưa gửi được kết quả qua bưu chính. " + " ".join(errors))
        return redirect("backoffice:dossier_detail", dossier_id=dossier_id)
    try:
        consignment = postal_return_send(
            request.user,
            dossier_id,
            expected_revision=int(request.POST.get("revision", "-1")),
            address=form.address(),
            weight_grams=form.cleaned_data["weight_grams"],
            operator=form.cleaned_data["operator"],
        )
    except (ValidationError, PermissionDenied, ValueError) as exc:
        messages.error(request, "Chưa gửi được kết quả qua bưu chính. " + _message(exc))
    else:
        messages.success(
            request,
            f"Đã lập bưu gửi {consignment.number}, cước {format_money(consignment.fee)}. "
            "Hãy in nhãn và dán lên bì thư.",
        )
    return redirect("backoffice:dossier_detail", dossier_id=dossier_id)


@desk_required
@require_POST
def return_at_desk(request, dossier_id: int):
    """The result meant for the post is handed over at the desk after all (the citizen came, or the
    mail came back): returned with the channel actually used, so the figures stay true."""
    try:
        dossier_act(
            request.user,
            dossier_id,
            "return_result",
            expected_revision=int(request.POST.get("revision", "-1")),
            return_channel=ChannelKind.DESK,
        )
    except (ValidationError, PermissionDenied, ValueError) as exc:
        messages.error(request, "Chưa trả được kết quả. " + _message(exc))
    else:
        messages.success(request, "Đã trả kết quả tại Bộ phận Một cửa.")
    return redirect("backoffice:dossier_detail", dossier_id=dossier_id)


@desk_required
@require_POST
def event_record(request, consignment_id: int):
    consignment = access_consignment_for_officer(request.user, consignment_id)
    form = DeskEventForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        event = EventData(
            # The token is drawn when the form is shown: a double click records the event once.
            operator_event_id=f"desk-{(request.POST.get('token') or uuid.uuid4().hex)[:40]}",
            kind=data["kind"],
            at=data["at"],
            signed_by=data["signed_by"],
            note=data["note"],
        )
        try:
            _, created = tracking_event_record(
                request.user, consignment.pk, event, source=EventSource.DESK
            )
        except ValidationError as exc:
            messages.error(request, "Chưa ghi nhận được. " + _message(exc))
        else:
            messages.success(
                request, "Đã ghi nhận sự kiện." if created else "Sự kiện này đã được ghi nhận."
            )
    else:
        errors = [f"{form.fields[f].label}: {' '.join(e)}" for f, e in form.errors.items()]
        messages.error(request, "Chưa ghi nhận được. " + " ".join(errors))
    return redirect("backoffice:dossier_detail", dossier_id=consignment.dossier_id)


# --- documents -----------------------------------------------------------------------------------


@role_required(*PROCESSING_ROLES)
def label_pdf(request, consignment_id: int):
    consignment = access_consignment_for_officer(request.user, consignment_id)
    if consignment.direction != Direction.OUTBOUND or not consignment.number:
        raise Http404("Bưu gửi chưa có số hiệu.")
    personal_data_read(request, f"dossier:{consignment.dossier_id}", "postal_label_pdf")
    pdf = render_pdf(
        "postal/label.html",
        {
            "c": consignment,
            "barcode": code128_svg_data_uri(consignment.number),
            "fee": consignment.fee,
        },
    )
    return attachment_response(
        pdf, f"nhan-{consignment.number}.pdf", "application/pdf", inline=True
    )


def _day_from(request) -> date:
    try:
        return date.fromisoformat(request.GET.get("ngay", ""))
    except ValueError:
        return now().date()


@desk_required
def manifest_pdf(request):
    day = _day_from(request)
    consignments = list(selectors.manifest_for(request.user, day))
    personal_data_read(request, f"postal_manifest:{day.isoformat()}", "postal_manifest_pdf")
    pdf = render_pdf(
        "postal/manifest.html",
        {
            "day": day,
            "rows": consignments,
            "unit": request.user.unit,
            "total_fee": sum(c.fee for c in consignments),
        },
    )
    return attachment_response(
        pdf, f"bang-ke-buu-gui-{day.isoformat()}.pdf", "application/pdf", inline=True
    )


# --- lists and import ----------------------------------------------------------------------------


@role_required(*PROCESSING_ROLES)
def consignment_list(request):
    direction = request.GET.get("chieu", "")
    consignments = selectors.consignments_for(
        request.user, direction=direction, query=request.GET.get("q", "")
    )
    page = Paginator(consignments, PAGE_SIZE).get_page(request.GET.get("trang"))
    rows = [{"c": c, "receiver": name_masked(c.receiver_name)} for c in page]
    return render(
        request,
        "postal/consignment_list.html",
        {
            "page": page,
            "rows": rows,
            "direction": direction,
            "directions": Direction.choices,
            "query": request.GET.get("q", ""),
            "today": now().date(),
            # The desk's actions are offered only to whom desk_required lets through.
            "is_desk": has_role(request.user, *DESK_ROLES),
        },
    )


@desk_required
def events_import(request):
    form = EventsImportForm(request.POST or None, request.FILES or None)
    errors, total = [], 0
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            if upload.size > 5 * 1024 * 1024:
                raise EventImportError(["Tệp lớn hơn 5 MB."])
            result = tracking_events_import(
                request.user, upload.read(), operator=form.cleaned_data["operator"]
            )
        except EventImportError as exc:
            errors, total = exc.errors, exc.total
        else:
            messages.success(request, str(result))
            return redirect("postal:events_import")
    return render(
        request, "postal/events_import.html", {"form": form, "errors": errors, "total": total}
    )


# --- the operators' webhook ----------------------------------------------------------------------


@login_not_required
@csrf_exempt
def webhook(request, operator: str):
    if request.method != "POST":
        return JsonResponse(
            {"error": {"code": "method_not_allowed", "message": "Chỉ nhận POST."}}, status=405
        )
    answer = webhook_receive(
        operator,
        request.body,
        request.headers.get("X-Postal-Timestamp", ""),
        request.headers.get("X-Postal-Signature", ""),
    )
    return HttpResponse(
        json.dumps(answer.body, ensure_ascii=False),
        status=answer.status,
        content_type="application/json; charset=utf-8",
    )
