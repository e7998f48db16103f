"""Tracking events from a CSV file the postal operator sends (or a clerk types): all-or-nothing.

UTF-8 (a BOM is accepted), comma-separated, a header row with these columns (any order):
  so_hieu        consignment number, UPU S10 (EE123456785VN)            required
  ma_su_kien     the operator's id of the event (unique per consignment)  required
  loai           accepted | in_transit | delivered | returned_to_sender   required
  thoi_diem      ISO 8601 with offset (2024-05-10T09:30+07:00) or "dd/mm/yyyy HH:MM" (Vietnam time)
  noi            where (post office)                                      optional
  ghi_chu        note (e.g. why the mail came back)                       optional
  nguoi_ky_nhan  who signed for it — required for delivered
  chung_tu       URL of the proof of delivery (photo, scan)               optional
Every error is reported as "Dòng N, cột «…»: …"; nothing is recorded unless every row is correct.
Rows already recorded (same consignment and event id) are skipped, so a file may be imported twice.
"""

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from .models import EventSource
from .services import EventData, consignment_by_number, event_errors, tracking_event_record

VN = ZoneInfo("Asia/Ho_Chi_Minh")
REQUIRED = ("so_hieu", "ma_su_kien", "loai", "thoi_diem")
OPTIONAL = ("noi", "ghi_chu", "nguoi_ky_nhan", "chung_tu")
HEADER = REQUIRED + OPTIONAL
FIELD_COLUMN = {
    "consignment_number": "so_hieu",
    "operator_event_id": "ma_su_kien",
    "kind": "loai",
    "at": "thoi_diem",
    "place": "noi",
    "note": "ghi_chu",
    "signed_by": "nguoi_ky_nhan",
    "proof_url": "chung_tu",
}
MAX_ROWS = 10_000
MAX_ERRORS_SHOWN = 50


class EventImportError(Exception):
    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.total = len(errors)
        self.errors = errors[:MAX_ERRORS_SHOWN]


@dataclass
class ImportResult:
    recorded: int
    skipped: int

    def __str__(self) -> str:
        return f"Đã ghi nhận {self.recorded} sự kiện; bỏ qua {self.skipped} sự kiện đã có."


def parse_instant(text: str) -> datetime | None:
    text = text.strip()
    for parse in (
        lambda t: datetime.fromisoformat(t),
        lambda t: datetime.strptime(t, "%d/%m/%Y %H:%M").replace(tzinfo=VN),
    ):
        try:
            value = parse(text)
        except ValueError:
            continue
        return value if value.tzinfo else None
    return None


def _rows(content: bytes) -> tuple[list[str], list[dict]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise EventImportError(["Tệp không phải văn bản UTF-8."]) from exc
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise EventImportError(
            [
                f"Dòng 1: thiếu cột {', '.join('«' + c + '»' for c in missing)} (cần: {','.join(HEADER)})."
            ]
        )
    unknown = [c for c in header if c not in HEADER]
    if unknown:
        raise EventImportError(
            [f"Dòng 1: cột không dùng được {', '.join('«' + c + '»' for c in unknown)}."]
        )
    rows = []
    for row in reader:
        if None in row:
            raise EventImportError(
                [f"Dòng {reader.line_num}: nhiều ô hơn số cột của dòng tiêu đề."]
            )
        rows.append({k.strip(): (v or "").strip() for k, v in row.items()})
        if len(rows) > MAX_ROWS:
            raise EventImportError([f"Tệp có quá {MAX_ROWS} dòng; hãy chia nhỏ."])
    if not rows:
        raise EventImportError(["Tệp không có dòng sự kiện nào."])
    return header, rows


def _row_errors(line: int, row: dict, operator: str) -> tuple[list[str], tuple | None]:
    errors = []
    at = parse_instant(row["thoi_diem"])
    event = EventData(
        operator_event_id=row["ma_su_kien"],
        kind=row["loai"],
        at=at,
        place=row.get("noi", ""),
        note=row.get("ghi_chu", ""),
        signed_by=row.get("nguoi_ky_nhan", ""),
        proof_url=row.get("chung_tu", ""),
    )
    problems = event_errors(event)
    if at is None:
        problems["at"] = (
            "Thời điểm không đọc được; dùng 2024-05-10T09:30+07:00 hoặc 10/05/2024 09:30."
        )
    consignment = None
    try:
        consignment = consignment_by_number(operator, row["so_hieu"])
    except ValidationError as exc:
        problems.update(exc.message_dict)
    for field, message in problems.items():
        text = message if isinstance(message, str) else " ".join(message)
        errors.append(f"Dòng {line}, cột «{FIELD_COLUMN.get(field, field)}»: {text}")
    return errors, (consignment, event) if not errors else None


def tracking_events_import(actor, content: bytes, *, operator: str = "") -> ImportResult:
    """Check every row, then record them all in one transaction, or none. `actor` is None for an
    operator's command run on the server."""
    operator = operator or settings.POSTAL_DEFAULT_OPERATOR
    if operator not in settings.POSTAL_OPERATORS:
        raise EventImportError([f"Doanh nghiệp bưu chính «{operator}» không có trong danh sách."])
    _, rows = _rows(content)
    errors, checked = [], []
    seen = set()
    for line, row in enumerate(rows, start=2):
        row_errors, item = _row_errors(line, row, operator)
        key = (row["so_hieu"].upper(), row["ma_su_kien"])
        if key in seen:
            row_errors.append(f"Dòng {line}, cột «ma_su_kien»: trùng với một dòng phía trên.")
        seen.add(key)
        errors += row_errors
        if item:
            checked.append((line, item))
    if errors:
        raise EventImportError(errors)
    recorded = skipped = 0
    try:
        with transaction.atomic():
            for line, (consignment, event) in sorted(checked, key=lambda item: item[1][1].at):
                try:
                    _, created = tracking_event_record(
                        actor, consignment.pk, event, source=EventSource.CSV
                    )
                except ValidationError as exc:
                    raise EventImportError(
                        [f"Dòng {line}, cột «loai»: {' '.join(exc.messages)}"]
                    ) from exc
                recorded += created
                skipped += not created
    except EventImportError:
        raise
    return ImportResult(recorded, skipped)
