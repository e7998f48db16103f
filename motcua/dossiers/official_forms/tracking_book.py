"""Mẫu 05 (Phiếu kiểm soát quá trình giải quyết hồ sơ) and Mẫu 06 (Sổ theo dõi hồ sơ) of Circular
01/2018/TT-VPCP, filled from the dossier's history, its steps and the timeliness rule. Render them
with `motcua.dossiers.official_forms.form_pdf("05" | "06", on, context)`."""

import itertools
import tempfile
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

from django.db.models import Min, Q
from django.utils import timezone

from motcua.accounts.roles import Role
from motcua.core.clock import now
from motcua.core.text import format_date_long, format_number

from ..models import Dossier
from ..selectors import dossiers_visible_to
from ..timeliness import LABELS, DossierFacts, dossier_timeliness, period_bounds, step_timeliness
from ..workflow import STATUS_LABELS, Status
from . import form_header

APPLICANT = "Tổ chức, cá nhân nộp hồ sơ"
# History actions that move the dossier from one pair of hands to another, and who receives it:
# "step" = whoever holds the step that is current after the action.
HANDOFFS = {
    "assign": "step",
    "complete_step": "step",
    "submit_for_signature": "step",
    "approve": "step",
    "send_back": "assignee",
    "request_supplement": "applicant",
    "supplement_received": "assignee",
    "request_payment": "applicant",
    "payment_received": "assignee",
    "consult": "consulted",
    "consultation_answered": "assignee",
    "route_inter_agency": "inter_agency",
    "inter_agency_returned": "assignee",
    "refuse": "desk",
    "stop": "desk",
    "return_result": "applicant",
}


def when_long(value: datetime | None) -> str:
    """'08 giờ 00 phút, ngày 02 tháng 5 năm 2024', the wording of the forms."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    return f"{local:%H} giờ {local:%M} phút, {format_date_long(local.date())}"


def _short(value: datetime | None) -> str:
    return timezone.localtime(value).strftime("%H:%M %d/%m/%Y") if value else ""


def _header(unit) -> dict:
    return form_header(unit, timezone.localtime(now()).date())


# --- Mẫu 05 --------------------------------------------------------------------------------------


def control_sheet_context(dossier: Dossier) -> dict:
    """Mẫu 05: one row per hand-off ("Giao: … / Nhận: …"), with its time and, where the hand-off
    ends a step of the internal process, that step's grade (trước hạn / đúng hạn / quá hạn)."""
    from motcua.calendars.selectors import working_calendar_for

    steps = {s.name: s for s in dossier.steps.select_related("unit", "assignee")}
    pauses = list(dossier.pauses.all())
    calendar = working_calendar_for(dossier.receiving_unit)
    events = list(dossier.events.select_related("actor", "unit"))
    version = dossier.procedure_version
    rows, holder = [], events[0].step_name if events else ""
    for event in events:
        receiver = HANDOFFS.get(event.action)
        if receiver is None:
            holder = event.step_name or holder
            continue
        given = steps.get(holder)
        grade = None
        if given is not None and given.finished_at == event.at:
            grade = step_timeliness(given, pauses, calendar)
        rows.append(
            {
                "giver": _giver(event, given),
                "receiver": _receiver(receiver, event, steps, dossier),
                "at_text": when_long(event.at),
                "result": LABELS[grade] if grade else "",
                "note": event.note if event.action not in ("assign",) else "",
            }
        )
        holder = event.step_name or holder
    return {
        **_header(dossier.receiving_unit),
        "code": dossier.code,
        "applicant_name": dossier.applicant_name,
        "procedure_name": version.name,
        "competent_agency": version.competent_agency.name,
        "coordinating": "; ".join(
            e.note for e in events if e.action in ("consult", "route_inter_agency") and e.note
        ),
        "received_at_text": when_long(dossier.received_at),
        "due_at_text": when_long(dossier.due_at),
        "rows": rows,
    }


def _person(user) -> str:
    return (user.get_full_name() or user.username) if user else ""


def _holder_text(unit_name: str, person: str) -> str:
    return " — ".join(p for p in (unit_name, person) if p)


def _giver(event, step) -> str:
    """The holder of the step being handed on; whoever took the action when the step had none."""
    unit = (step.unit if step and step.unit_id else None) or event.unit
    person = (step.assignee if step and step.assignee_id else None) or event.actor
    return _holder_text(unit.name if unit else "", _person(person))


def _receiver(kind: str, event, steps: dict, dossier: Dossier) -> str:
    if kind == "applicant":
        return f"{APPLICANT}: {dossier.applicant_name}"
    if kind == "consulted":
        return "Cơ quan phối hợp giải quyết"
    if kind == "inter_agency":
        return "Cơ quan giải quyết liên thông"
    if kind == "desk":
        return f"Bộ phận tiếp nhận và trả kết quả: {dossier.receiving_unit.name}"
    if kind == "assignee":
        return _holder_text("", _person(dossier.assignee)) or "Chuyên viên xử lý"
    step = steps.get(event.step_name)
    if step is None:
        return ""
    unit = step.unit.name if step.unit_id else dossier.receiving_unit.name
    who = _person(step.assignee) or (Role(step.role).label if step.role in Role.values else "")
    return _holder_text(unit, who)


# --- Mẫu 06 --------------------------------------------------------------------------------------

MAX_BOOK_DAYS = 31


BOOK_FIELDS = (
    "code",
    "status",
    "received_at",
    "due_at",
    "due_at_original",
    "rescheduled_at",
    "finished_at",
    "returned_at",
    "supplement_requests",
    "dossier_sets",
    "applicant_name",
    "applicant_address",
    "contact_phone",
    "procedure_version__name",
    "procedure_version__competent_agency__name",
    "transferred_at",
)
# Rows read from the database at a time: the book of a busy month (50.000 dossiers) is never held
# whole as model instances — one query, a server-side cursor on PostgreSQL (ADR in the report).
READ_CHUNK = 2000


def _received_in(user, date_from: date, date_to: date):
    """The dossiers its reader may see (the one visibility rule, ADR 0017 — the desk's book holds
    what the desk received, a department's what its agency decides), received in the period."""
    start, end = period_bounds(date_from, date_to)
    return dossiers_visible_to(user).filter(received_at__gte=start, received_at__lte=end)


def tracking_book_count(user, date_from: date, date_to: date) -> int:
    """How many lines the book will have: one COUNT, to choose between building it while the
    officer waits and queueing it for a worker."""
    return _received_in(user, date_from, date_to).count()


def tracking_book_dossiers(user, date_from: date, date_to: date):
    """The dossiers a book lists (`_received_in`) — one query, as plain values (no model instance
    per line)."""
    return (
        _received_in(user, date_from, date_to)
        .annotate(transferred_at=Min("steps__finished_at", filter=Q(steps__order=1)))
        .order_by("received_at", "code")
        .values(*BOOK_FIELDS)
    )


def tracking_book_rows(user, date_from: date, date_to: date) -> Iterator[dict]:
    """The book's lines one by one, numbered, read in one query (streamed in chunks)."""
    at = now()
    dossiers = tracking_book_dossiers(user, date_from, date_to).iterator(chunk_size=READ_CHUNK)
    for number, dossier in enumerate(dossiers, 1):
        yield _book_row(number, dossier, at)


def tracking_book_header(user, date_from: date, date_to: date) -> dict:
    """What the book prints above and around its lines (Decree 30 header, unit, period)."""
    unit = user.unit
    return {
        **_header(unit),
        "unit_name": unit.name,
        "period_text": f"Từ ngày {date_from:%d/%m/%Y} đến ngày {date_to:%d/%m/%Y}",
    }


class BookTotals:
    """The closing line "Tổng số: N hồ sơ (trước hạn: …, đúng hạn: …, quá hạn: …)", counted while
    the lines go by so that they need not be kept."""

    def __init__(self):
        self.count = 0
        self.grades = dict.fromkeys(LABELS.values(), 0)

    def add(self, row: dict) -> dict:
        self.count += 1
        if row["grade"]:
            self.grades[row["grade"]] += 1
        return row

    def context(self) -> dict:
        return {
            "total_text": format_number(self.count),
            "summary": ", ".join(
                f"{label.lower()}: {format_number(n)}" for label, n in self.grades.items()
            ),
        }


def tracking_book_context(user, date_from: date, date_to: date) -> dict:
    """Mẫu 06: one line per dossier received in the period, with the columns of Circular 01/2018
    (STT, Mã hồ sơ, Tên TTHC, Số lượng hồ sơ, Tên cá nhân/tổ chức, Địa chỉ/số điện thoại, Cơ quan
    chủ trì, Ngày nhận, Ngày hẹn trả, Ngày chuyển, Ngày nhận kết quả, Ngày trả kết quả, Ký nhận,
    Ghi chú). Ghi chú carries the timeliness grade of a finished dossier, else its status.
    Every line in one list: for a large book use `tracking_book_pdf` / `tracking_book_xlsx`."""
    totals = BookTotals()
    rows = [totals.add(row) for row in tracking_book_rows(user, date_from, date_to)]
    return {**tracking_book_header(user, date_from, date_to), "rows": rows, **totals.context()}


def _book_row(number: int, dossier: dict, at: datetime) -> dict:
    note = []
    grade = None
    status = Status(dossier["status"])
    if dossier["finished_at"] or dossier["returned_at"]:
        facts = DossierFacts(
            dossier["status"],
            dossier["received_at"],
            dossier["due_at"],
            dossier["finished_at"],
            dossier["returned_at"],
            dossier["supplement_requests"],
        )
        graded = dossier_timeliness(facts, at)
        grade = LABELS[graded] if graded else None
    if grade:
        note.append(grade)
    if status not in (Status.FINISHED, Status.RETURNED):
        note.append(STATUS_LABELS[status])
    if dossier["rescheduled_at"]:
        note.append(f"Hẹn lại (ban đầu {_short(dossier['due_at_original'])})")
    if dossier["supplement_requests"]:
        note.append(f"Yêu cầu bổ sung {dossier['supplement_requests']} lần")
    return {
        "number": format_number(number),
        "code": dossier["code"],
        "procedure_name": dossier["procedure_version__name"],
        "sets": dossier["dossier_sets"],
        "applicant_name": dossier["applicant_name"],
        "address_phone": "; ".join(
            p for p in (dossier["applicant_address"], dossier["contact_phone"]) if p
        ),
        "competent_agency": dossier["procedure_version__competent_agency__name"],
        "received": _short(dossier["received_at"]),
        "due": _short(dossier["due_at"]),
        "transferred": _short(dossier["transferred_at"]),
        "result_received": _short(dossier["finished_at"]),
        "returned": _short(dossier["returned_at"]),
        "grade": grade,
        "note": "; ".join(note),
    }


# --- Mẫu 06 as a file: PDF in bounded pieces, or a spreadsheet --------------------------------

# Lines per WeasyPrint document. WeasyPrint lays a whole document out in memory (boxes for every
# cell of every page) before writing it, so one document of 5.000 lines grew the process past 1 GB;
# pieces of this many lines are laid out one at a time and joined with pikepdf, which keeps only
# the finished pages. Chosen by bench/bench_tracking_book.py (docs/BENCHMARKS.md): at 5.000 lines,
# pieces of 500 peaked at 284 MB, of 250 at 214 MB, in the same time as one document.
PDF_CHUNK_ROWS = 250


def tracking_book_pdf(user, date_from: date, date_to: date, target: Path) -> int:
    """Write the Mẫu 06 PDF of the period to `target`; returns its number of pages. Up to
    PDF_CHUNK_ROWS lines it is one WeasyPrint document, exactly as before; beyond, one document
    per piece (the title on the first, the total on the last) joined and numbered "Trang x/y"."""
    header = tracking_book_header(user, date_from, date_to)
    totals = BookTotals()
    rows = (totals.add(row) for row in tracking_book_rows(user, date_from, date_to))
    pieces = _pieces(rows, PDF_CHUNK_ROWS)
    first, last = next(pieces)
    if last:
        target.write_bytes(_piece_pdf(date_to, {**header, "rows": first, **totals.context()}))
        return _page_count(target)
    with tempfile.TemporaryDirectory(prefix="so-theo-doi-") as folder:
        paths = [Path(folder) / "0.pdf"]
        paths[0].write_bytes(_piece_pdf(date_to, {**header, "rows": first, "more_follow": True}))
        for index, (chunk, last) in enumerate(pieces, 1):
            context = {**header, "rows": chunk, "continued": True, "more_follow": not last}
            if last:
                context |= totals.context()
            paths.append(Path(folder) / f"{index}.pdf")
            paths[-1].write_bytes(_piece_pdf(date_to, {**context, "pages_stamped": True}))
        return _join_and_number(paths, target)


def _pieces(rows: Iterator[dict], size: int) -> Iterator[tuple[list[dict], bool]]:
    """(lines, is_last) in pieces of `size`; an empty book is one empty, last piece."""
    pending = list(itertools.islice(rows, size))
    while True:
        following = list(itertools.islice(rows, size))
        yield pending, not following
        if not following:
            return
        pending = following


def _piece_pdf(on: date, context: dict) -> bytes:
    from . import form_pdf

    context.setdefault("pages_stamped", context.get("more_follow", False))
    return form_pdf("06", on, context)


def _page_count(path: Path) -> int:
    import pikepdf

    with pikepdf.open(path) as pdf:
        return len(pdf.pages)


# Times-Roman advance widths (per 1.000 units of the font size) of the characters "Trang 12/345"
# uses: the stamped page number is right-aligned as the template's @bottom-right box was.
_TIMES_WIDTHS = {"T": 611, "r": 333, "a": 444, "n": 500, "g": 500, " ": 250, "/": 278}
_STAMP_SIZE = 8  # pt, as the template's footer
_STAMP_RIGHT = 8 * 72 / 25.4  # the page's right margin (8 mm)
_STAMP_BASELINE = 11.5  # pt from the bottom edge: the middle of the 10 mm bottom margin


def _join_and_number(paths: list[Path], target: Path) -> int:
    """Concatenate the pieces and print "Trang x/y" at the foot of each page (a piece cannot know
    the book's page count while WeasyPrint lays it out)."""
    import pikepdf

    with pikepdf.new() as book:
        sources = [pikepdf.open(path) for path in paths]
        try:
            for source in sources:
                book.pages.extend(source.pages)
            font = book.make_indirect(
                pikepdf.Dictionary(
                    Type=pikepdf.Name.Font,
                    Subtype=pikepdf.Name.Type1,
                    BaseFont=pikepdf.Name("/Times-Roman"),
                    Encoding=pikepdf.Name.WinAnsiEncoding,
                )
            )
            total = len(book.pages)
            for number, page in enumerate(book.pages, 1):
                _stamp(book, page, font, f"Trang {number}/{total}")
            book.save(target)
        finally:
            for source in sources:
                source.close()
    return total


def _stamp(book, page, font, text: str) -> None:
    import pikepdf

    name = page.add_resource(font, pikepdf.Name.Font, prefix="Stamp")
    width = sum(_TIMES_WIDTHS.get(c, 500) for c in text) * _STAMP_SIZE / 1000
    x = float(page.mediabox[2]) - _STAMP_RIGHT - width
    page.contents_add(pikepdf.Stream(book, b"q\n"), prepend=True)
    page.contents_add(
        pikepdf.Stream(
            book,
            f"\nQ\nq BT {name} {_STAMP_SIZE} Tf {x:.2f} {_STAMP_BASELINE} Td ({text}) Tj ET Q\n".encode(),
        )
    )


XLSX_COLUMNS = (
    ("STT", "number", 6),
    ("Mã hồ sơ", "code", 22),
    ("Tên thủ tục hành chính", "procedure_name", 40),
    ("Số lượng hồ sơ (bộ)", "sets", 8),
    ("Tên cá nhân, tổ chức", "applicant_name", 26),
    ("Địa chỉ, số điện thoại", "address_phone", 30),
    ("Cơ quan chủ trì giải quyết", "competent_agency", 26),
    ("Ngày nhận hồ sơ", "received", 16),
    ("Ngày hẹn trả kết quả", "due", 16),
    ("Ngày chuyển hồ sơ", "transferred", 16),
    ("Ngày nhận kết quả từ cơ quan giải quyết", "result_received", 16),
    ("Ngày trả kết quả", "returned", 16),
    ("Ký nhận", None, 10),
    ("Ghi chú", "note", 30),
)


def tracking_book_xlsx(user, date_from: date, date_to: date, target: Path) -> int:
    """Write Mẫu 06 as a spreadsheet (what desks keep for a large book), streamed row by row with
    openpyxl's write-only mode; returns the number of dossiers."""
    from openpyxl import Workbook

    header = tracking_book_header(user, date_from, date_to)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Sổ theo dõi hồ sơ")
    for index, (_, _, width) in enumerate(XLSX_COLUMNS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    sheet.freeze_panes = "A6"
    sheet.append([header["agency_parent_name"].upper()])
    sheet.append([header["agency_name"].upper()])
    sheet.append(["SỔ THEO DÕI HỒ SƠ — " + header["unit_name"]])
    sheet.append([header["period_text"]])
    sheet.append([title for title, _, _ in XLSX_COLUMNS])
    totals = BookTotals()
    for row in tracking_book_rows(user, date_from, date_to):
        totals.add(row)
        sheet.append([row[key] if key else "" for _, key, _ in XLSX_COLUMNS])
    closing = totals.context()
    summary = f" ({closing['summary']})" if totals.count else ""
    sheet.append([f"Tổng số: {closing['total_text']} hồ sơ{summary}."])
    workbook.save(target)
    return totals.count


# --- Mẫu 06 built by a worker (issue [K] 17, ADR 0026) -----------------------------------------

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOOK_FORMATS = {"pdf": (tracking_book_pdf, "application/pdf"), "xlsx": (tracking_book_xlsx, XLSX)}


def tracking_book_filename(date_from: date, date_to: date, kind: str) -> str:
    return f"so-theo-doi-{date_from:%Y%m%d}-{date_to:%Y%m%d}.{kind}"


def tracking_book_task(user, arguments: dict, folder: Path):
    """The background task "tracking-book" (core.models.TASK_KINDS): the same book the view
    writes while the officer waits, for the officer who asked and as they may see it now. A
    book asked before its reader moved to another unit is refused rather than built for the new
    unit under the old request."""
    from motcua.core.background import TaskOutput, TaskRefused

    from . import UnknownForm

    if user.unit_id is None or user.unit_id != arguments.get("unit"):
        raise TaskRefused(
            "Tài khoản của ông/bà đã chuyển sang đơn vị khác sau khi yêu cầu sổ này; hãy lập lại sổ."
        )
    kind = arguments["format"]
    date_from, date_to = date.fromisoformat(arguments["from"]), date.fromisoformat(arguments["to"])
    build, content_type = BOOK_FORMATS[kind]
    path = folder / f"book.{kind}"
    try:
        made = build(user, date_from, date_to, path)
    except UnknownForm as exc:
        raise TaskRefused(str(exc)) from None
    summary = f"{format_number(made)} trang" if kind == "pdf" else f"{format_number(made)} hồ sơ"
    return TaskOutput(path, tracking_book_filename(date_from, date_to, kind), content_type, summary)
