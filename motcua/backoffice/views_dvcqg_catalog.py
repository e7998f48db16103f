"""Liên thông › Cổng DVCQG › Danh mục (issue [I] 5): the last catalogue pull — procedures that
differ from the national catalogue, those not matched to a national code, those the portal does
not list — and, per procedure, the administrator's decision: accept the chosen changes as a new
catalogue version announced by a decision, or keep ours, with the reason. Administrators only."""

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from motcua.accounts.permissions import role_required
from motcua.accounts.roles import Role
from motcua.dvcqg.catalog_pull import (
    DecisionData,
    catalog_pull,
    difference_accept,
    difference_get,
    difference_reject,
    latest_pull,
    pull_counts,
    pull_items,
)
from motcua.dvcqg.client import DvcqgConfigError, dvcqg_client, dvcqg_enabled
from motcua.dvcqg.models_exchange import MatchKind, Review

MSG_BAD_DATE = "Ngày “{value}” không hợp lệ: hãy chọn ngày (ngày/tháng/năm)."


@role_required(Role.ADMINISTRATOR)
def dvcqg_catalog(request):
    pull = latest_pull()
    context: dict = {"pull": pull, "enabled": dvcqg_enabled()}
    if pull is not None and pull.ok:
        context.update(
            counts=pull_counts(pull),
            differing=pull_items(pull, MatchKind.DIFFERS),
            unmatched=pull_items(pull, MatchKind.UNMATCHED),
            absent=pull_items(pull, MatchKind.ABSENT),
            errors=pull_items(pull, MatchKind.ERROR),
        )
    return render(request, "backoffice/dvcqg/catalog.html", context)


@role_required(Role.ADMINISTRATOR)
@require_POST
def dvcqg_catalog_pull(request):
    if not dvcqg_enabled():
        messages.error(request, "Chưa bật kết nối Cổng DVCQG: hãy đặt DVCQG_ADAPTER_URL.")
        return redirect("backoffice:dvcqg_catalog")
    try:
        pull = catalog_pull(request.user, dvcqg_client())
    except DvcqgConfigError as exc:
        messages.error(request, str(exc))
        return redirect("backoffice:dvcqg_catalog")
    if pull.ok:
        messages.success(request, "Đã đọc danh mục của Cổng DVCQG và đối chiếu với danh mục.")
    else:
        messages.error(request, f"Không đọc được danh mục của Cổng DVCQG: {pull.message}")
    return redirect("backoffice:dvcqg_catalog")


def _day(value: str, errors: list[str], *, required: bool = True) -> date | None:
    value = (value or "").strip()
    if not value:
        if required:
            errors.append("Hãy chọn ngày ký và ngày có hiệu lực của quyết định.")
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors.append(MSG_BAD_DATE.format(value=value[:20]))
        return None


def _messages_of(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [m for values in exc.message_dict.values() for m in values]
    return list(exc.messages)


@role_required(Role.ADMINISTRATOR)
@require_http_methods(["GET", "POST"])
def dvcqg_catalog_item(request, item_id: int):
    item = difference_get(item_id)
    if item is None:
        raise Http404("Không có khác biệt này.")
    errors: list[str] = []
    posted = request.POST if request.method == "POST" else None
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "accept":
                signed_on = _day(request.POST.get("signed_on", ""), errors)
                effective = _day(request.POST.get("effective_from", ""), errors)
                if not errors and signed_on and effective:
                    difference_accept(
                        request.user,
                        item.pk,
                        aspects=request.POST.getlist("aspect"),
                        decision=DecisionData(
                            request.POST.get("number", ""),
                            signed_on,
                            effective,
                            request.POST.get("issuer", ""),
                            request.POST.get("title", ""),
                        ),
                    )
                    messages.success(
                        request,
                        f"Đã cập nhật thủ tục {item.procedure.code} thành phiên bản mới theo "
                        "quyết định đã nhập.",
                    )
                    return redirect("backoffice:dvcqg_catalog_item", item_id=item.pk)
            elif action == "reject":
                signed_on = _day(request.POST.get("reject_signed_on", ""), errors, required=False)
                if not errors:
                    difference_reject(
                        request.user,
                        item.pk,
                        reason=request.POST.get("reason", ""),
                        number=request.POST.get("reject_number", ""),
                        signed_on=signed_on,
                    )
                    messages.success(
                        request,
                        f"Đã ghi nhận giữ nguyên danh mục cho thủ tục {item.procedure.code}.",
                    )
                    return redirect("backoffice:dvcqg_catalog_item", item_id=item.pk)
            else:
                errors.append("Thao tác không hợp lệ.")
        except ValidationError as exc:
            errors += _messages_of(exc)
    return render(
        request,
        "backoffice/dvcqg/catalog_item.html",
        {
            "item": item,
            "aspects": item.ordered_differences,
            "pending": item.review == Review.PENDING,
            "errors": errors,
            "posted": posted or {},
            "chosen": posted.getlist("aspect") if posted else list(item.differences),
        },
        status=400 if errors else 200,
    )
