"""Mẫu 05 (the control sheet of one dossier) and Mẫu 06 (the unit's tracking book) as PDFs."""

from datetime import date

from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.utils import timezone

from motcua.accounts.permissions import role_required
from motcua.accounts.roles import Role
from motcua.core.audit import personal_data_read
from motcua.core.clock import now
from motcua.core.downloads import attachment_response
from motcua.dossiers.official_forms import UnknownForm, form_pdf
from motcua.dossiers.official_forms.tracking_book import (
    MAX_BOOK_DAYS,
    control_sheet_context,
    tracking_book_context,
)
from motcua.dossiers.permissions import access_dossier_for_officer

PROCESSING_ROLES = (Role.DESK_OFFICER, Role.SPECIALIST, Role.DIVISION_HEAD, Role.DEPARTMENT_LEADER)
BOOK_ROLES = (Role.DESK_OFFICER, Role.DIVISION_HEAD, Role.DEPARTMENT_LEADER)


def _pdf(pdf: bytes, filename: str) -> HttpResponse:
    return attachment_response(pdf, filename, "application/pdf", inline=True)


@role_required(*PROCESSING_ROLES)
def dossier_form_05(request, dossier_id: int):
    dossier = access_dossier_for_officer(request.user, dossier_id)
    if not dossier.code or not dossier.received_at:
        raise Http404("Hồ sơ chưa được tiếp nhận.")
    on = timezone.localtime(dossier.received_at).date()
    return _pdf(form_pdf("05", on, control_sheet_context(dossier)), f"mau-05-{dossier.code}.pdf")


class BadRange(ValueError):
    pass


def _day(text: str | None, default: date, what: str) -> date:
    if not text:
        return default
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise BadRange(
            f"{what} “{text}” không hợp lệ. Hãy nhập theo dạng năm-tháng-ngày, ví dụ 2024-05-02."
        ) from None


def book_range(params, today: date) -> tuple[date, date]:
    """The ?tu=YYYY-MM-DD&den=YYYY-MM-DD of the book; both default to today."""
    start = _day(params.get("tu"), today, "Ngày bắt đầu")
    end = _day(params.get("den"), today, "Ngày kết thúc")
    if start > end:
        raise BadRange(
            f"Ngày bắt đầu ({start:%d/%m/%Y}) sau ngày kết thúc ({end:%d/%m/%Y}). "
            "Hãy chọn lại khoảng thời gian."
        )
    if (end - start).days + 1 > MAX_BOOK_DAYS:
        raise BadRange(
            f"Mỗi lần in sổ theo dõi tối đa {MAX_BOOK_DAYS} ngày; hãy chia khoảng thời gian nhỏ hơn."
        )
    return start, end


@role_required(*BOOK_ROLES)
def tracking_book(request):
    if request.user.unit_id is None:
        return _bad("Tài khoản của ông/bà chưa thuộc đơn vị nào, nên không có sổ theo dõi hồ sơ.")
    try:
        start, end = book_range(request.GET, timezone.localtime(now()).date())
    except BadRange as exc:
        return _bad(str(exc))
    try:
        pdf = form_pdf("06", end, tracking_book_context(request.user, start, end))
        personal_data_read(request, f"unit:{request.user.unit_id}:{start}:{end}", "tracking_book")
    except UnknownForm as exc:
        return _bad(str(exc))
    return _pdf(pdf, f"so-theo-doi-{start:%Y%m%d}-{end:%Y%m%d}.pdf")


def _bad(message: str) -> HttpResponseBadRequest:
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
