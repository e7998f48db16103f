"""Import of historical dossiers from the system a unit used before (`motcua dossiers import FILE`).

The file is a UTF-8 CSV with exactly the header of `HEADER`; one row is one dossier:

- datetimes in ISO 8601 with an offset (2024-04-26T16:00:00+07:00), empty when absent;
- channel in desk | online | post | lienthong (received from another agency, ADR 0044);
  return_channel in desk | online | post, or empty (a liên thông dossier's result goes back to
  the sending agency);
- status is the national code 1–10 (TrangThaiHoSo), mapped to the internal status of workflow.py
  by `workflow.NATIONAL_TO_STATUS`: 1 submitted_online, 2 received, 3 refused (after appraisal), 4 in_progress,
  5 supplement_requested, 6 awaiting_payment, 7 withdrawn, 8 stopped, 9 finished, 10 returned;
- procedure_code is a national code of the catalogue, with a version in force on the reception day;
- unit_code is a unit of `motcua org units` (inactive units too: history predates reorganisations);
- applicant_id is a 12-digit citizen ID, a tax code of an organisation (10 or 13 digits) or empty.

Rules between columns: the code is `<unit_code>-YYMMDD-NNNN`; received_at is required and not in the
future; due ≥ received; finished and returned not before received, returned not before finished;
an ended dossier (3, 7, 8, 9, 10) has finished_at, a returned one (10) has returned_at, an open one
(2, 4, 5, 6) has neither; status 1 (not yet received) has no appointment and no end — its received_at
is the instant of submission and is stored as `submitted_at`.

All or nothing: the whole file is checked first and every problem is reported (up to
`MAX_ERRORS`) as "Dòng N, cột «col»: …" (line 1 is the header); only a clean file is written, in one
transaction. Idempotent by code: a code already in the database with the same data is skipped, with
different data it is an error naming the column that differs.
"""

from __future__ import annotations

import csv
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from motcua.accounts.roles import Role
from motcua.catalog.models import ENDING_CHANGES, ProcedureVersion
from motcua.catalog.selectors import day_of
from motcua.core.bulk import objects_insert
from motcua.core.clock import now
from motcua.core.identity import citizen_id_validate
from motcua.core.text import format_number
from motcua.org.models import Unit

from .changes import dossiers_changed
from .models import (
    RETURN_CHANNELS,
    Applicant,
    ApplicantKind,
    ChannelKind,
    DailySequence,
    Dossier,
    DossierEvent,
    DossierPause,
    PauseKind,
)
from .workflow import (
    CLOCK_PAUSED,
    NATIONAL_ENDED_CODES,
    NATIONAL_OPEN_CODES,
    NATIONAL_TO_STATUS,
    STATUS_LABELS,
    Status,
    national_status,
)

HEADER = [
    "code",
    "procedure_code",
    "unit_code",
    "channel",
    "received_at",
    "due_at",
    "finished_at",
    "returned_at",
    "return_channel",
    "status",
    "supplement_requests",
    "applicant_name",
    "applicant_id",
]
MAX_ERRORS = 200
BATCH_SIZE = 2000
QUERY_CHUNK = 5000  # codes per IN (...) query, well under SQLite's variable limit
EVENT_ACTION = "imported"

PAUSE_KIND = {
    Status.SUPPLEMENT_REQUESTED: PauseKind.SUPPLEMENT,
    Status.AWAITING_PAYMENT: PauseKind.PAYMENT,
}

CODE_PATTERN = re.compile(
    r"^(?P<unit>\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2})-(?P<day>\d{6})-(?P<number>\d{4,5})$"
)
TAX_CODE_PATTERN = re.compile(r"^\d{10}(\d{3}|-\d{3})?$")
MAX_SUPPLEMENT_REQUESTS = 32767  # PositiveSmallIntegerField


class DossierImportError(Exception):
    """A dossier file was rejected whole; `.errors` lists the problems in Vietnamese (capped at
    MAX_ERRORS, the last line then says how many more there were)."""

    def __init__(self, errors: list[str], total: int | None = None):
        self.errors = list(errors)
        self.total = len(self.errors) if total is None else total
        super().__init__("\n".join(self.errors))


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    skipped: int = 0

    def __str__(self) -> str:
        return (
            f"Đã đọc {format_number(self.rows)} dòng: nhập mới {format_number(self.created)} hồ sơ, "
            f"bỏ qua {format_number(self.skipped)} hồ sơ đã có (trùng khớp dữ liệu)."
        )


@dataclass
class _Row:
    """One checked row, ready to become a Dossier."""

    line: int
    code: str
    code_day: date
    code_number: int
    unit_id: int
    version: ProcedureVersion
    channel: str
    received_at: datetime
    due_at: datetime | None
    finished_at: datetime | None
    returned_at: datetime | None
    return_channel: str
    national_status: int
    supplement_requests: int
    applicant_name: str
    applicant_id: str
    applicant_kind: str

    @property
    def status(self) -> Status:
        return NATIONAL_TO_STATUS[self.national_status]

    def compared(self) -> dict[str, str]:
        """The row as the canonical texts `_existing_values` produces for a stored dossier."""
        return {
            "procedure_code": self.version.procedure.code,
            "unit_id": str(self.unit_id),
            "channel": self.channel,
            "received_at": _instant_text(self.received_at),
            "due_at": _instant_text(self.due_at),
            "finished_at": _instant_text(self.finished_at),
            "returned_at": _instant_text(self.returned_at),
            "return_channel": self.return_channel,
            "status": str(self.national_status),
            "supplement_requests": str(self.supplement_requests),
            "applicant_name": self.applicant_name,
            "applicant_id": self.applicant_id,
        }


@dataclass
class _Errors:
    messages: list[str] = field(default_factory=list)
    count: int = 0

    def add(self, line: int, column: str | None, text: str) -> None:
        self.count += 1
        if len(self.messages) < MAX_ERRORS:
            where = f"Dòng {line}, cột «{column}»" if column else f"Dòng {line}"
            self.messages.append(f"{where}: {text}")

    def raise_if_any(self) -> None:
        if not self.count:
            return
        messages = list(self.messages)
        if self.count > len(messages):
            messages.append(f"… và {format_number(self.count - len(messages))} lỗi khác.")
        raise DossierImportError(messages, total=self.count)


# --- the service ---------------------------------------------------------------------------------


def dossiers_import(actor, source) -> ImportResult:
    """Import historical dossiers from a CSV file (a path, or a file object of bytes or text).

    `actor` is the signed-in administrator for an import from the back office, None for the command
    line. Raises DossierImportError (nothing written) or PermissionDenied. Imported dossiers are
    ordinary dossiers marked `imported`, with one history event "imported"; the daily sequences of
    their units move past the imported numbers so that later desk codes never collide.
    """
    if actor is not None and not (actor.is_active and actor.role == Role.ADMINISTRATOR):
        raise PermissionDenied("Chỉ quản trị hệ thống mới được nhập hồ sơ từ hệ thống cũ.")
    records = _read(source)
    try:
        with transaction.atomic():
            # Checked inside the transaction: on SQLite the IMMEDIATE transaction serialises
            # writers; on PostgreSQL the unique code still guards a concurrent import.
            rows, skipped = _check(records)
            _write(rows, actor)
    except IntegrityError as exc:
        raise DossierImportError(
            ["Một mã hồ sơ vừa được ghi bởi thao tác khác cùng lúc; chưa ghi gì. Hãy nhập lại tệp."]
        ) from exc
    return ImportResult(rows=len(rows) + skipped, created=len(rows), skipped=skipped)


# --- reading -------------------------------------------------------------------------------------


def _read(source) -> list[tuple[int, list[str]]]:
    """The CSV as (line number, cells), header first; blank lines are left out."""
    text = _text_of(source)
    records = []
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                records.append((reader.line_num, cells))
    except csv.Error as exc:
        raise DossierImportError(
            [f"Dòng {reader.line_num}: tệp CSV không hợp lệ ({exc})."]
        ) from exc
    if not records or records[0][0] != 1:
        raise DossierImportError([f"Dòng 1: thiếu dòng tiêu đề «{','.join(HEADER)}»."])
    return records


def _text_of(source) -> str:
    if hasattr(source, "read"):
        content = source.read()
        name = str(getattr(source, "name", "") or "tệp tải lên")
    else:
        name = str(source)
        try:
            content = Path(source).read_bytes()
        except OSError as exc:
            raise DossierImportError([f"Không đọc được tệp «{name}»: {exc.strerror}."]) from exc
    if isinstance(content, str):
        return content.removeprefix("\ufeff")
    try:
        return content.decode("utf-8-sig")  # a BOM is what spreadsheets add when saving CSV
    except UnicodeDecodeError as exc:
        raise DossierImportError([f"Tệp «{name}» phải được mã hóa UTF-8."]) from exc


# --- checking ------------------------------------------------------------------------------------


class _Context:
    """What every row is checked against, loaded once: units, procedure versions, stored codes."""

    def __init__(self, records):
        self.units = dict(Unit.objects.values_list("code", "pk"))
        codes = {cells[1].strip() for _, cells in records if len(cells) > 1}
        self.versions: dict[str, list[ProcedureVersion]] = defaultdict(list)
        for version in (
            ProcedureVersion.objects.filter(procedure__code__in=codes)
            .select_related("procedure")
            .order_by("effective_from")
        ):
            self.versions[version.procedure.code].append(version)
        self._in_force: dict[tuple[str, date], ProcedureVersion | None] = {}
        self.now = now()

    def version_on(self, code: str, day: date) -> ProcedureVersion | None:
        """The same rule as catalog.selectors.in_force_q, on versions loaded once (one query per
        row would make a 100.000-row file take minutes)."""
        key = (code, day)
        if key not in self._in_force:
            self._in_force[key] = next(
                (
                    v
                    for v in reversed(self.versions.get(code, []))
                    if v.effective_from <= day
                    and (v.effective_until is None or v.effective_until > day)
                    and v.change not in ENDING_CHANGES
                ),
                None,
            )
        return self._in_force[key]


def _check(records) -> tuple[list[_Row], int]:
    """The rows to create and how many are skipped as already imported; raises on any error."""
    errors = _Errors()
    header = [cell.strip() for cell in records[0][1]]
    if header != HEADER:
        errors.add(
            1,
            None,
            f"tiêu đề phải đúng là «{','.join(HEADER)}», tệp ghi «{','.join(header)}».",
        )
        errors.raise_if_any()
    context = _Context(records[1:])
    rows: list[_Row] = []
    first_line: dict[str, int] = {}
    for line, cells in records[1:]:
        code = cells[0].strip()
        if code in first_line:
            errors.add(line, "code", f"mã hồ sơ «{code}» đã có ở dòng {first_line[code]}.")
            continue
        first_line[code] = line
        row = _RowChecker(line, cells, context, errors).row()
        if row is not None:
            rows.append(row)
    new_rows = _without_stored(rows, errors)
    errors.raise_if_any()
    return new_rows, len(rows) - len(new_rows)


class _RowChecker:
    """Checks one row cell by cell; every problem goes to `errors`, `row()` is None if any."""

    def __init__(self, line: int, cells: list[str], context: _Context, errors: _Errors):
        self.line = line
        self.cells = dict(zip(HEADER, (cell.strip() for cell in cells), strict=False))
        self.width = len(cells)
        self.context = context
        self.errors = errors
        self.failed = False

    def error(self, column: str | None, text: str) -> None:
        self.failed = True
        self.errors.add(self.line, column, text)

    def row(self) -> _Row | None:
        if self.width != len(HEADER):
            self.error(None, f"có {self.width} ô, cần đúng {len(HEADER)} ô như dòng tiêu đề.")
            return None
        unit_id = self.unit()
        code = self.code()
        received = self.instant("received_at", required=True, past=True)
        status = self.status()
        values = {
            "channel": self.channel("channel", required=True),
            "return_channel": self.channel(
                "return_channel", required=False, allowed=RETURN_CHANNELS
            ),
            "due_at": self.instant("due_at"),
            "finished_at": self.instant("finished_at", past=True),
            "returned_at": self.instant("returned_at", past=True),
            "supplement_requests": self.count(),
            "applicant_name": self.name(),
        }
        applicant_id, applicant_kind = self.applicant()
        version = self.version(received)
        if received is not None and status is not None:
            self.order(received, status, values)
        if self.failed:
            return None
        return _Row(
            line=self.line,
            code=code[0],
            code_day=code[1],
            code_number=code[2],
            unit_id=unit_id,
            version=version,
            received_at=received,
            national_status=status,
            applicant_id=applicant_id,
            applicant_kind=applicant_kind,
            **values,
        )

    # --- one column each ---

    def unit(self) -> int | None:
        code = self.cells["unit_code"]
        if not code:
            return self.error("unit_code", "ô này không được để trống.")
        if code not in self.context.units:
            return self.error(
                "unit_code",
                f"không có đơn vị mã «{code}» trong cơ cấu tổ chức (xem `motcua org units`).",
            )
        return self.context.units[code]

    def code(self) -> tuple[str, date, int] | None:
        text = self.cells["code"]
        match = CODE_PATTERN.match(text)
        if match is None:
            return self.error(
                "code",
                f"mã hồ sơ «{text}» không đúng dạng <mã đơn vị>-YYMMDD-NNNN "
                "(ví dụ 000.00.40.H27-240426-0001).",
            )
        unit = self.cells["unit_code"]
        if match["unit"] != unit:
            self.error(
                "code",
                f"phần mã đơn vị «{match['unit']}» của mã hồ sơ khác mã đơn vị «{unit}» ở cột «unit_code».",
            )
        try:
            day = datetime.strptime(match["day"], "%y%m%d").date()
        except ValueError:
            return self.error(
                "code", f"phần ngày «{match['day']}» của mã hồ sơ không phải ngày có thật."
            )
        number = int(match["number"])
        if number < 1:
            return self.error("code", "số thứ tự trong ngày của mã hồ sơ phải từ 0001.")
        return text, day, number

    def instant(self, column: str, *, required=False, past=False) -> datetime | None:
        text = self.cells[column]
        if not text:
            if required:
                self.error(column, "ô này không được để trống.")
            return None
        try:
            value = datetime.fromisoformat(text)
        except ValueError:
            return self.error(
                column,
                f"«{text}» không phải ngày giờ ISO 8601 (ví dụ 2024-04-26T16:00:00+07:00).",
            )
        if value.tzinfo is None:
            return self.error(column, f"ngày giờ «{text}» thiếu múi giờ (ví dụ +07:00).")
        if past and value > self.context.now:
            return self.error(column, f"thời điểm «{text}» ở tương lai.")
        return value

    def channel(self, column: str, *, required: bool, allowed=tuple(ChannelKind)) -> str:
        text = self.cells[column]
        if not text and not required:
            return ""
        if text not in allowed:
            self.error(
                column,
                f"kênh «{text}» không hợp lệ; giá trị được phép: {', '.join(allowed)}."
                if text
                else "ô này không được để trống.",
            )
        return text

    def status(self) -> int | None:
        text = self.cells["status"]
        if not text.isdigit() or int(text) not in NATIONAL_TO_STATUS:
            return self.error(
                "status", f"trạng thái «{text}» phải là mã trạng thái quốc gia từ 1 đến 10."
            )
        return int(text)

    def count(self) -> int:
        text = self.cells["supplement_requests"]
        if not text.isdigit() or int(text) > MAX_SUPPLEMENT_REQUESTS:
            self.error(
                "supplement_requests",
                f"số lần yêu cầu bổ sung phải là số nguyên không âm, không phải «{text}».",
            )
            return 0
        return int(text)

    def name(self) -> str:
        text = self.cells["applicant_name"]
        if not text:
            self.error("applicant_name", "ô này không được để trống.")
        elif len(text) > 255:
            self.error("applicant_name", "tên người nộp dài quá 255 ký tự.")
        return text

    def applicant(self) -> tuple[str, str]:
        text = self.cells["applicant_id"]
        if not text:
            return "", ApplicantKind.PERSON
        if len(text) == 12 and text.isdigit():
            try:
                return citizen_id_validate(text), ApplicantKind.PERSON
            except ValidationError as exc:
                self.error("applicant_id", f"số định danh cá nhân «{text}»: {exc.messages[0]}")
                return "", ApplicantKind.PERSON
        if TAX_CODE_PATTERN.match(text):
            return text, ApplicantKind.ORGANISATION
        self.error(
            "applicant_id",
            f"«{text}» không phải số định danh cá nhân (12 chữ số) hay mã số thuế của tổ chức "
            "(10 hoặc 13 chữ số); để trống nếu không có.",
        )
        return "", ApplicantKind.PERSON

    def version(self, received: datetime | None) -> ProcedureVersion | None:
        code = self.cells["procedure_code"]
        if not code:
            return self.error("procedure_code", "ô này không được để trống.")
        if code not in self.context.versions:
            return self.error(
                "procedure_code", f"mã thủ tục «{code}» không có trong danh mục TTHC."
            )
        if received is None:
            return None
        day = day_of(received)
        version = self.context.version_on(code, day)
        if version is None:
            self.error(
                "procedure_code",
                f"thủ tục «{code}» không có phiên bản có hiệu lực ngày {day:%d/%m/%Y} "
                "(ngày tiếp nhận).",
            )
        return version

    # --- between columns ---

    def order(self, received: datetime, status: int, values: dict) -> None:
        """Instants in the order a dossier lives them, and the ones its status requires."""
        label = f"{status} ({STATUS_LABELS[NATIONAL_TO_STATUS[status]]})"
        due, finished, returned = values["due_at"], values["finished_at"], values["returned_at"]
        if due is not None and due < received:
            self.error("due_at", "hẹn trả trước thời điểm tiếp nhận.")
        for column, value in (("finished_at", finished), ("returned_at", returned)):
            if value is not None and value < received:
                self.error(column, "thời điểm này trước thời điểm tiếp nhận.")
        if finished is not None and returned is not None and returned < finished:
            self.error("returned_at", "trả kết quả trước thời điểm xử lý xong.")
        if status == 1:
            for column in ("due_at", "finished_at", "returned_at"):
                if values[column] is not None:
                    self.error(
                        column,
                        f"hồ sơ ở trạng thái {label} chưa được tiếp nhận nên ô này phải để trống.",
                    )
        if status in NATIONAL_OPEN_CODES:
            for column in ("finished_at", "returned_at"):
                if values[column] is not None:
                    self.error(
                        column, f"hồ sơ ở trạng thái {label} chưa kết thúc nên ô này phải để trống."
                    )
        if status in NATIONAL_ENDED_CODES and finished is None:
            self.error(
                "finished_at", f"hồ sơ ở trạng thái {label} phải có thời điểm kết thúc xử lý."
            )
        if status == 10 and returned is None:
            self.error("returned_at", f"hồ sơ ở trạng thái {label} phải có thời điểm trả kết quả.")
        if status in NATIONAL_ENDED_CODES - {10} and returned is not None:
            self.error(
                "returned_at",
                f"hồ sơ ở trạng thái {label} chưa trả kết quả nên ô này phải để trống.",
            )


# --- codes already stored ------------------------------------------------------------------------

STORED_FIELDS = (
    "code",
    "procedure_version__procedure__code",
    "receiving_unit_id",
    "channel",
    "submitted_at",
    "received_at",
    "due_at_original",
    "finished_at",
    "returned_at",
    "return_channel",
    "status",
    "supplement_requests",
    "applicant_name",
    "applicant__citizen_id",
    "applicant__tax_code",
)


def _without_stored(rows: list[_Row], errors: _Errors) -> list[_Row]:
    """Rows whose code is new. A stored code with the same data is skipped (a second import of a
    file changes nothing); with different data it is an error for each column that differs."""
    stored = _existing_values([row.code for row in rows])
    new_rows = []
    for row in rows:
        existing = stored.get(row.code)
        if existing is None:
            new_rows.append(row)
            continue
        for key, value in row.compared().items():
            if existing[key] != value:
                column = "unit_code" if key == "unit_id" else key
                errors.add(
                    row.line,
                    column,
                    f"hồ sơ «{row.code}» đã có trong hệ thống với dữ liệu khác "
                    f"(hệ thống: «{_shown(key, existing[key])}»; tệp: «{_shown(key, value)}»).",
                )
    return new_rows


def _existing_values(codes: list[str]) -> dict[str, dict[str, str]]:
    stored = {}
    for start in range(0, len(codes), QUERY_CHUNK):
        chunk = codes[start : start + QUERY_CHUNK]
        for item in Dossier.objects.filter(code__in=chunk).values(*STORED_FIELDS):
            status = Status(item["status"])
            # A dossier not yet received keeps the file's received_at as its submission instant.
            received = (
                item["submitted_at"] if status == Status.SUBMITTED_ONLINE else item["received_at"]
            )
            stored[item["code"]] = {
                "procedure_code": item["procedure_version__procedure__code"],
                "unit_id": str(item["receiving_unit_id"]),
                "channel": item["channel"],
                "received_at": _instant_text(received),
                "due_at": _instant_text(item["due_at_original"]),
                "finished_at": _instant_text(item["finished_at"]),
                "returned_at": _instant_text(item["returned_at"]),
                "return_channel": item["return_channel"],
                "status": str(national_status(status)),
                "supplement_requests": str(item["supplement_requests"]),
                "applicant_name": item["applicant_name"],
                "applicant_id": item["applicant__citizen_id"] or item["applicant__tax_code"],
            }
    return stored


def _instant_text(value: datetime | None) -> str:
    return timezone.localtime(value).isoformat() if value is not None else ""


def _shown(key: str, value: str) -> str:
    if key == "unit_id" and value.isdigit():
        return Unit.objects.filter(pk=int(value)).values_list("code", flat=True).first() or value
    return value


# --- writing -------------------------------------------------------------------------------------


def _write(rows: list[_Row], actor) -> None:
    at = now()
    applicants = _applicants_for(rows)
    dossiers = [_dossier(row, applicants[row.line]) for row in rows]
    objects_insert(Dossier, dossiers, ids_needed=True)
    objects_insert(DossierEvent, [_event(dossier, actor, at) for dossier in dossiers])
    dossiers_changed(((d.pk, d.code, d.status) for d in dossiers), kind=EVENT_ACTION, at=at)
    objects_insert(
        DossierPause,
        [
            _open_pause(dossier, at)
            for dossier in dossiers
            if Status(dossier.status) in CLOCK_PAUSED
        ],
    )
    _sequences_advance(rows)


def _dossier(row: _Row, applicant_id: int) -> Dossier:
    status = row.status
    received = row.received_at if status != Status.SUBMITTED_ONLINE else None
    return Dossier(
        code=row.code,
        procedure_version=row.version,
        receiving_unit_id=row.unit_id,
        applicant_id=applicant_id,
        applicant_name=row.applicant_name,
        channel=row.channel,
        status=status,
        submitted_at=row.received_at,
        received_at=received,
        due_at_original=row.due_at,
        # The live system keeps no due instant while the clock stands still (services.py).
        due_at=None if status in CLOCK_PAUSED else row.due_at,
        finished_at=row.finished_at,
        returned_at=row.returned_at,
        return_channel=row.return_channel,
        supplement_requests=row.supplement_requests,
        imported=True,
    )


def _event(dossier: Dossier, actor, at: datetime) -> DossierEvent:
    return DossierEvent(
        dossier=dossier,
        at=at,
        actor=actor,
        actor_role=getattr(actor, "role", ""),
        action=EVENT_ACTION,
        to_status=dossier.status,
        unit_id=getattr(actor, "unit_id", None),
        note="Nhập từ hệ thống cũ.",
        due_after=dossier.due_at_original,
    )


def _open_pause(dossier: Dossier, at: datetime) -> DossierPause:
    """The old system does not say when the pause began; it began no later than the import, and
    an open pause is what lets the desk record the supplement or the payment later."""
    return DossierPause(
        dossier=dossier,
        kind=PAUSE_KIND[Status(dossier.status)],
        reason="Đang tạm dừng khi nhập từ hệ thống cũ (chưa rõ ngày bắt đầu).",
        started_at=at,
    )


def _applicants_for(rows: list[_Row]) -> dict[int, int]:
    """Applicant id per row line. A citizen ID or tax code already known keeps its applicant (the
    stored record may be newer than the history); unknown ones are created once each, in bulk; a
    row without an identifier gets an applicant of its own, as the desk does."""
    keys = {(row.applicant_kind, row.applicant_id) for row in rows if row.applicant_id}
    known = _applicants_known(keys)
    names = {}
    for row in rows:
        names.setdefault((row.applicant_kind, row.applicant_id), row.applicant_name)
    missing = [key for key in keys if key not in known]
    created = [_applicant(kind, number, names[(kind, number)]) for kind, number in missing]
    objects_insert(Applicant, created, ids_needed=True)
    known.update({key: applicant.pk for key, applicant in zip(missing, created, strict=True)})
    anonymous = [row for row in rows if not row.applicant_id]
    created = [_applicant(row.applicant_kind, "", row.applicant_name) for row in anonymous]
    objects_insert(Applicant, created, ids_needed=True)
    result = {row.line: applicant.pk for row, applicant in zip(anonymous, created, strict=True)}
    result.update(
        {
            row.line: known[(row.applicant_kind, row.applicant_id)]
            for row in rows
            if row.applicant_id
        }
    )
    return result


def _applicants_known(keys) -> dict[tuple[str, str], int]:
    known: dict[tuple[str, str], int] = {}
    for kind, column in (
        (ApplicantKind.PERSON, "citizen_id"),
        (ApplicantKind.ORGANISATION, "tax_code"),
    ):
        numbers = sorted(number for k, number in keys if k == kind)
        for start in range(0, len(numbers), QUERY_CHUNK):
            found = (
                Applicant.objects.filter(**{f"{column}__in": numbers[start : start + QUERY_CHUNK]})
                .order_by("pk")
                .values_list(column, "pk")
            )
            for number, pk in found:
                known.setdefault((kind, number), pk)  # the oldest, as the desk's recall would
    return known


def _applicant(kind: str, number: str, name: str) -> Applicant:
    if kind == ApplicantKind.ORGANISATION:
        return Applicant(kind=kind, full_name=name, tax_code=number)
    return Applicant(kind=kind, full_name=name, citizen_id=number)


def _sequences_advance(rows: list[_Row]) -> None:
    """Move each (unit, day) sequence to at least the highest imported number, under the same row
    locks the desk takes (codes.dossier_code_next), so a later reception gets the next free code."""
    highest: dict[tuple[int, date], int] = {}
    for row in rows:
        key = (row.unit_id, row.code_day)
        highest[key] = max(highest.get(key, 0), row.code_number)
    DailySequence.objects.bulk_create(
        (DailySequence(unit_id=unit, day=day, last_value=0) for unit, day in highest),
        ignore_conflicts=True,
        batch_size=BATCH_SIZE,
    )
    days_by_unit: dict[int, list[date]] = defaultdict(list)
    for unit, day in highest:
        days_by_unit[unit].append(day)
    behind = []
    for unit, days in days_by_unit.items():
        for start in range(0, len(days), QUERY_CHUNK):
            for sequence in DailySequence.objects.select_for_update().filter(
                unit_id=unit, day__in=days[start : start + QUERY_CHUNK]
            ):
                wanted = highest[(unit, sequence.day)]
                if sequence.last_value < wanted:
                    sequence.last_value = wanted
                    behind.append(sequence)
    DailySequence.objects.bulk_update(behind, ["last_value"], batch_size=BATCH_SIZE)
