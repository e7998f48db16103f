"""Mẫu 05 (the control sheet of one dossier) and Mẫu 06 (the unit's tracking book) as PDFs."""

import os
import tempfile
from datetime import date
from pathlib import Path

from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest
from django.utils import timezone

from motcua.accounts.permissions import role_required
from motcua.accounts.roles import Role
from motcua.core.audit import personal_data_read
from motcua.core.clock import now
from motcua.core.downloads import attachment_response, set_disposition
from motcua.dossiers.official_forms import UnknownForm, form_pdf
from motcua.dossiers.official_forms.tracking_book import (
    MAX_BOOK_DAYS,
    control_sheet_context,
    tracking_book_pdf,
    tracking_book_xlsx,
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


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A book up to this size is sent from memory as one response (a day's or a week's book); a larger
# one is streamed from its temporary file.
STREAM_ABOVE_BYTES = 8 * 1024 * 1024
BOOK_FORMATS = {"pdf": (tracking_book_pdf, "application/pdf"), "xlsx": (tracking_book_xlsx, XLSX)}


@role_required(*BOOK_ROLES)
def tracking_book(request):
    """Mẫu 06 as a PDF to print (?dinh-dang=pdf, the default) or a spreadsheet (?dinh-dang=xlsx).
    The book is written to a temporary file (the PDF in pieces, the XLSX row by row) and a large
    one is streamed from it, so a month of a busy desk never sits whole in the server's memory
    (issue [K] 17)."""
    if request.user.unit_id is None:
        return _bad("Tài khoản của ông/bà chưa thuộc đơn vị nào, nên không có sổ theo dõi hồ sơ.")
    kind = (request.GET.get("dinh-dang") or "pdf").strip().lower()
    if kind not in BOOK_FORMATS:
        return _bad(f"Định dạng “{kind}” không có; hãy chọn pdf hoặc xlsx.")
    try:
        start, end = book_range(request.GET, timezone.localtime(now()).date())
    except BadRange as exc:
        return _bad(str(exc))
    build, content_type = BOOK_FORMATS[kind]
    with tempfile.TemporaryDirectory(prefix="so-theo-doi-") as folder:
        path = Path(folder) / f"book.{kind}"
        try:
            build(request.user, start, end, path)
        except UnknownForm as exc:
            return _bad(str(exc))
        book = path.open("rb")  # still readable once the folder is gone (POSIX)
    personal_data_read(request, f"unit:{request.user.unit_id}:{start}:{end}", "tracking_book")
    filename = f"so-theo-doi-{start:%Y%m%d}-{end:%Y%m%d}.{kind}"
    if _small(book):
        with book:
            return attachment_response(book.read(), filename, content_type, inline=kind == "pdf")
    return set_disposition(FileResponse(book, content_type=content_type), filename, kind == "pdf")


def _small(book) -> bool:
    return os.fstat(book.fileno()).st_size <= STREAM_ABOVE_BYTES


def _bad(message: str) -> HttpResponseBadRequest:
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
