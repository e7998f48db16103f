"""Mẫu 05 (the control sheet of one dossier) and Mẫu 06 (the unit's tracking book) as PDFs; a large
book is built by a worker and downloaded from a page that waits for it (ADR 0026)."""

import os
import tempfile
from datetime import date
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone

from motcua.accounts.permissions import role_required
from motcua.accounts.roles import Role
from motcua.core.audit import personal_data_read
from motcua.core.background import (
    PENDING,
    TooManyTasks,
    background_task_for,
    queued_ahead,
    result_open,
    task_enqueue,
)
from motcua.core.clock import now
from motcua.core.downloads import attachment_response, set_disposition
from motcua.core.joblocks import live_workers
from motcua.core.models import BackgroundTaskStatus
from motcua.core.text import format_number
from motcua.core.worker import STALE_SECONDS
from motcua.dossiers.official_forms import UnknownForm, form_pdf, form_set_in_force
from motcua.dossiers.official_forms.tracking_book import (
    BOOK_FORMATS,
    MAX_BOOK_DAYS,
    control_sheet_context,
    tracking_book_count,
    tracking_book_filename,
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


# A book up to this size is sent from memory as one response (a day's or a week's book); a larger
# one is streamed from its temporary file.
STREAM_ABOVE_BYTES = 8 * 1024 * 1024
# Lines up to which the book is built while the officer waits; a larger book is queued for a
# worker and the officer gets a page that shows the link when it is ready (issue [K] 17). On the
# 2-core machine (docs/BENCHMARKS.md) WeasyPrint lays out 0,3–1 s a page (12–13 lines) as the
# load varies: 100 lines are 8 pages, a few seconds; a spreadsheet of 5.000 lines takes 1–3 s.
INLINE_MAX_LINES = {"pdf": 100, "xlsx": 5_000}
# A printed book beyond this many lines (about 750 pages) is not a book anyone prints: the PDF is
# refused with a way out (a shorter period, or the spreadsheet, which has no such limit). A month of
# a busy desk is 5.000 lines; the worker lays that out in 2–3 minutes at about 220 MB, where a
# 50.000-line PDF took over an hour with its memory still rising (docs/BENCHMARKS.md, [K] 17).
MAX_PDF_LINES = 10_000
TASK_KIND = "tracking-book"
# The waiting page reloads itself this often (a meta refresh: no script, the CSP allows none).
REFRESH_SECONDS = 3


@role_required(*BOOK_ROLES)
def tracking_book(request):
    """Mẫu 06 as a PDF to print (?dinh-dang=pdf, the default) or a spreadsheet (?dinh-dang=xlsx).
    A book of up to INLINE_MAX_LINES lines is written to a temporary file (the PDF in pieces, the
    XLSX row by row) and sent at once; a larger one is queued for a worker (issue [K] 17)."""
    if request.user.unit_id is None:
        return _bad("Tài khoản của ông/bà chưa thuộc đơn vị nào, nên không có sổ theo dõi hồ sơ.")
    kind = (request.GET.get("dinh-dang") or "pdf").strip().lower()
    if kind not in BOOK_FORMATS:
        return _bad(f"Định dạng “{kind}” không có; hãy chọn pdf hoặc xlsx.")
    try:
        start, end = book_range(request.GET, timezone.localtime(now()).date())
        if kind == "pdf":
            form_set_in_force(end)  # the refusal comes before anything is built or queued
    except (BadRange, UnknownForm) as exc:
        return _bad(str(exc))
    lines = tracking_book_count(request.user, start, end)
    if kind == "pdf" and lines > MAX_PDF_LINES:
        return _bad(
            f"Sổ theo dõi từ {start:%d/%m/%Y} đến {end:%d/%m/%Y} có {format_number(lines)} hồ sơ: "
            f"bản PDF để in tối đa {format_number(MAX_PDF_LINES)} dòng. Hãy chia khoảng thời gian "
            "nhỏ hơn, hoặc tải bản bảng tính (XLSX)."
        )
    if lines > INLINE_MAX_LINES[kind]:
        return _book_queue(request, kind, start, end)
    return _book_inline(request, kind, start, end)


def _book_inline(request, kind: str, start: date, end: date):
    build, content_type = BOOK_FORMATS[kind]
    with tempfile.TemporaryDirectory(prefix="so-theo-doi-") as folder:
        path = Path(folder) / f"book.{kind}"
        try:
            build(request.user, start, end, path)
        except UnknownForm as exc:
            return _bad(str(exc))
        book = path.open("rb")  # still readable once the folder is gone (POSIX)
    _book_read(request, request.user.unit_id, start, end)
    filename = tracking_book_filename(start, end, kind)
    if _small(book):
        with book:
            return attachment_response(book.read(), filename, content_type, inline=kind == "pdf")
    return set_disposition(FileResponse(book, content_type=content_type), filename, kind == "pdf")


def _book_queue(request, kind: str, start: date, end: date):
    arguments = {
        "format": kind,
        "from": start.isoformat(),
        "to": end.isoformat(),
        "unit": request.user.unit_id,
    }
    try:
        task = task_enqueue(TASK_KIND, request.user, arguments)
    except TooManyTasks as exc:
        return HttpResponse(str(exc), status=429, content_type="text/plain; charset=utf-8")
    return redirect("backoffice:tracking_book_task", task_id=task.pk)


def _book_read(request, unit_id: int, start: date, end: date) -> None:
    """The book lists applicants' names, addresses and phones: a personal-data read."""
    personal_data_read(request, f"unit:{unit_id}:{start}:{end}", "tracking_book")


@role_required(*BOOK_ROLES)
def tracking_book_waiting(request, task_id: int):
    """ "Đang lập sổ theo dõi hồ sơ…": reloads itself until the worker is done, then the link (or
    the reason it failed). Only the officer who asked sees it."""
    task = background_task_for(request.user, task_id, TASK_KIND)
    pending = task.status in PENDING
    # ?tu-dong=0: the officer stopped the reloading (WCAG 2.2.1: a timed reload must be stoppable).
    auto = pending and request.GET.get("tu-dong") != "0"
    return render(
        request,
        "backoffice/dossiers/tracking_book_task.html",
        {
            "task": task,
            "book": _book_arguments(task),
            "pending": pending,
            "auto_refresh": auto,
            "refresh_seconds": REFRESH_SECONDS,
            "ahead": queued_ahead(task),
            "no_worker": pending and not live_workers(STALE_SECONDS).exists(),
            "other_unit": task.arguments.get("unit") != request.user.unit_id,
        },
    )


@role_required(*BOOK_ROLES)
def tracking_book_download(request, task_id: int):
    """The finished book, to the officer who asked, while they still belong to the unit it was
    built for (the book was read through their visibility then); recorded as a personal-data read
    like the book built while waiting."""
    task = background_task_for(request.user, task_id, TASK_KIND)
    book = _book_arguments(task)
    if task.arguments.get("unit") != request.user.unit_id:
        raise PermissionDenied(
            "Sổ này được lập cho đơn vị cũ của ông/bà; hãy lập lại sổ cho đơn vị hiện tại."
        )
    if task.status != BackgroundTaskStatus.DONE or not task.result:
        raise Http404("Sổ chưa lập xong hoặc đã hết hạn lưu; hãy mở lại trang chờ hoặc lập lại sổ.")
    _book_read(request, request.user.unit_id, book["from"], book["to"])
    response = FileResponse(result_open(task), content_type=task.result_type)
    return set_disposition(response, task.result_filename, inline=book["format"] == "pdf")


def _book_arguments(task) -> dict:
    arguments = task.arguments
    return {
        "format": arguments["format"],
        "from": date.fromisoformat(arguments["from"]),
        "to": date.fromisoformat(arguments["to"]),
    }


def _small(book) -> bool:
    return os.fstat(book.fileno()).st_size <= STREAM_ABOVE_BYTES


def _bad(message: str) -> HttpResponseBadRequest:
    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
