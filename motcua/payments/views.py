"""Pages and endpoints of the payments app. Views translate requests into service calls only.

Public: the providers' webhooks (no sign-in, no CSRF: the signature on the raw body is the check).
Staff: the review queue and settling a credit, statement import, the daily reconciliation report,
receipts, the payment request and the desk payment on a dossier. Administrator: collecting accounts.
"""

from __future__ import annotations

import logging
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from motcua.accounts.permissions import administrator_required, role_required
from motcua.accounts.roles import Role
from motcua.core.audit import personal_data_read
from motcua.core.clock import now
from motcua.core.downloads import attachment_response
from motcua.core.forms import add_service_errors
from motcua.dossiers.permissions import access_dossier_for_officer, can_see_dossier

from . import documents, services, statements
from .forms import AccountForm, DeskPaymentForm, SettleForm, StatementForm
from .models import CollectingAccount, Receipt
from .selectors import (
    accounts_visible_to,
    charge_payload,
    credit_with_trail,
    credits_in_review,
    credits_visible_to,
    reconciliation_for,
)
from .vietqr import qr_png
from .webhooks import WebhookError, webhook_parse

log = logging.getLogger(__name__)
SETTLING = services.SETTLING_ROLES
PAGE_SIZE = 50
MSG_CREDIT_NOT_FOUND = "Không tìm thấy khoản tiền, hoặc ông/bà không có quyền xem khoản tiền này."


def _error(code: str, message: str, status: int) -> JsonResponse:
    return JsonResponse({"ok": False, "error": {"code": code, "message": message}}, status=status)


# --- webhooks --------------------------------------------------------------------------------------


@login_not_required
@csrf_exempt
@require_POST
def webhook(request, provider: str):
    """One provider's notification: verified, stored once, decided; answered with the provider's
    own acknowledgement, or a structured error and nothing stored."""
    try:
        parsed = webhook_parse(provider, request.headers, request.body, now().timestamp())
        results = [services.credit_receive(None, credit) for credit in parsed.credits]
        for report in parsed.non_credits:  # a failed payment: acknowledged, recorded, not money
            services.non_credit_record(report)
    except WebhookError as error:
        log.warning("payments webhook %s refused: %s", provider, error.code)
        return _error(error.code, error.message, error.status)
    except ValidationError as error:
        return _error("invalid", "; ".join(error.messages), 400)
    body = dict(parsed.ack)
    body["duplicate"] = bool(results) and not any(r.created for r in results)
    return JsonResponse(body)


# --- review queue -----------------------------------------------------------------------------------


@role_required(*SETTLING)
@require_GET
def review_list(request):
    credits = credits_in_review(credits_visible_to(request.user))
    page = Paginator(credits, PAGE_SIZE).get_page(request.GET.get("trang"))
    return render(request, "payments/review_list.html", {"page": page})


@role_required(*SETTLING)
@require_http_methods(["GET", "POST"])
def credit_detail(request, credit_id: int):
    credit = credit_with_trail(request.user, credit_id)
    if credit is None:
        raise PermissionDenied(MSG_CREDIT_NOT_FOUND)
    form = SettleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.credit_settle(request.user, credit.pk, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Đã ghi nhận quyết định đối soát.")
            return redirect("payments:review_list")
    decisions = sorted(credit.decisions.all(), key=lambda d: (d.at, d.pk))
    return render(
        request,
        "payments/credit_detail.html",
        {
            "credit": credit,
            "decisions": decisions,
            "form": form,
            "open": credit.latest_outcome == "review",
        },
    )


# --- statements and reports ------------------------------------------------------------------------


@role_required(*SETTLING)
@require_http_methods(["GET", "POST"])
def statement_import(request):
    form = StatementForm(request.POST or None, request.FILES or None)
    # Only into an account the officer's unit collects into: its credits are theirs to settle.
    form.fields["account"].queryset = accounts_visible_to(request.user).filter(is_active=True)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = statements.statement_import(
                request.user,
                upload.read(),
                upload.name,
                profile=form.cleaned_data["profile"],
                account_id=form.cleaned_data["account"].pk,
            )
        except ValidationError as error:
            add_service_errors(form, error)
    return render(request, "payments/statement_import.html", {"form": form, "result": result})


def _report_day(request) -> date:
    try:
        return date.fromisoformat(request.GET.get("ngay", ""))
    except ValueError:
        return now().date()


@role_required(*SETTLING)
@require_GET
def report(request):
    accounts = list(accounts_visible_to(request.user).filter(is_active=True))
    day = _report_day(request)
    reports = [reconciliation_for(request.user, account, day) for account in accounts]
    return render(request, "payments/report.html", {"reports": reports, "day": day})


def _report_for(user, account_id: int, day_text: str):
    account = accounts_visible_to(user).filter(pk=account_id).first()
    if account is None:
        raise PermissionDenied("Không tìm thấy tài khoản thu.")
    try:
        day = date.fromisoformat(day_text)
    except ValueError:
        raise PermissionDenied("Ngày không hợp lệ.") from None
    return reconciliation_for(user, account, day)


@role_required(*SETTLING)
@require_GET
def report_pdf(request, account_id: int, day: str):
    rep = _report_for(request.user, account_id, day)
    return attachment_response(
        documents.reconciliation_pdf(rep),
        f"doi-soat-{rep.account.account_number}-{day}.pdf",
        "application/pdf",
        inline=True,
    )


@role_required(*SETTLING)
@require_GET
def report_xlsx(request, account_id: int, day: str):
    rep = _report_for(request.user, account_id, day)
    return attachment_response(
        documents.reconciliation_xlsx(rep),
        f"doi-soat-{rep.account.account_number}-{day}.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@role_required(Role.DESK_OFFICER, Role.SPECIALIST, Role.DIVISION_HEAD, Role.DEPARTMENT_LEADER)
@require_GET
def receipt_pdf(request, receipt_id: int):
    receipt = (
        Receipt.objects.select_related(
            "charge__account",
            "charge__dossier__applicant",
            "charge__dossier__receiving_unit__parent",
            "charge__dossier__procedure_version__procedure",
            "credit",
        )
        .filter(pk=receipt_id)
        .first()
    )
    if receipt is None or not can_see_dossier(request.user, receipt.charge.dossier):
        raise PermissionDenied("Không tìm thấy biên lai, hoặc ông/bà không có quyền xem.")
    personal_data_read(request, f"dossier:{receipt.charge.dossier_id}", "payment_receipt_pdf")
    return attachment_response(
        documents.receipt_pdf(receipt),
        f"bien-lai-{receipt.number}.pdf",
        "application/pdf",
        inline=True,
    )


# --- on a dossier ----------------------------------------------------------------------------------


def _dossier_page(dossier_id: int):
    return redirect(reverse("backoffice:dossier_detail", args=[dossier_id]))


@role_required(Role.SPECIALIST, Role.DIVISION_HEAD)
@require_POST
def charge_request(request, dossier_id: int):
    access_dossier_for_officer(request.user, dossier_id)
    try:
        revision = int(request.POST.get("revision", ""))
        fee_order = int(request.POST["fee_order"]) if request.POST.get("fee_order") else None
    except ValueError:
        messages.error(request, "Biểu mẫu không hợp lệ; tải lại trang rồi thử lại.")
        return _dossier_page(dossier_id)
    try:
        charge = services.charge_request(
            request.user, dossier_id, expected_revision=revision, fee_order=fee_order
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Đã yêu cầu nộp phí; mã thanh toán {charge.reference}.")
    return _dossier_page(dossier_id)


@role_required(Role.DESK_OFFICER)
@require_POST
def desk_payment(request, dossier_id: int):
    access_dossier_for_officer(request.user, dossier_id)
    form = DeskPaymentForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return _dossier_page(dossier_id)
    try:
        result = services.desk_payment_record(request.user, dossier_id, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if result.created:
            messages.success(request, f"Đã thu tại quầy; biên lai {result.credit.receipt.number}.")
        else:
            messages.info(request, "Khoản thu này đã được ghi nhận trước đó (gửi lại biểu mẫu).")
    return _dossier_page(dossier_id)


@role_required(Role.DESK_OFFICER, Role.SPECIALIST, Role.DIVISION_HEAD, Role.DEPARTMENT_LEADER)
@require_GET
def dossier_qr_png(request, dossier_id: int):
    dossier = access_dossier_for_officer(request.user, dossier_id)
    charge = getattr(dossier, "charge", None)
    if charge is None:
        raise PermissionDenied("Hồ sơ chưa có khoản phải nộp.")
    return HttpResponse(qr_png(charge_payload(charge)), content_type="image/png")


# --- administration --------------------------------------------------------------------------------


@administrator_required
@require_GET
def account_list(request):
    accounts = CollectingAccount.objects.select_related("unit")
    return render(request, "payments/account_list.html", {"accounts": accounts})


@administrator_required
@require_http_methods(["GET", "POST"])
def account_edit(request, account_id: int | None = None):
    account = CollectingAccount.objects.filter(pk=account_id).first() if account_id else None
    if account_id and account is None:  # the role check came first: an administrator gets 404
        raise Http404("Không tìm thấy tài khoản thu.")
    form = AccountForm(request.POST or None, account=account)
    if request.method == "POST" and form.is_valid():
        try:
            services.account_save(request.user, form.account_data(), account_id=account_id)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Đã lưu tài khoản thu.")
            return redirect("payments:account_list")
    return render(request, "payments/account_form.html", {"form": form, "account": account})
