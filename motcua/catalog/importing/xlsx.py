"""The XLSX reader: one sheet per part of the catalogue, turned into the JSON document shape, with
every value located by sheet, row and column for the error messages."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from .format import (
    FORMAT,
    OPTIONAL_HEADERS,
    SHEETS,
    VERSION_COLUMNS,
    CatalogImportError,
    CatalogueFile,
    Path_,
    decimal_text,
)

# --- XLSX --------------------------------------------------------------------------------------


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _cell_text(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def _cell_date(value):
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = _cell_text(value)
    if text is None:
        return None
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        return f"{year:04d}-{month:02d}-{day:02d}"
    return text


def _cell_decimal(value):
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return decimal_text(Decimal(repr(value)))
    text = _cell_text(value)
    if text is None:
        return None
    return text.replace(",", ".") if re.fullmatch(r"-?\d+,\d+", text) else text


def _cell_int(value):
    if isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int | float):
        return value
    text = _cell_text(value)
    if text is None:
        return None
    compact = text.replace(".", "") if re.fullmatch(r"\d{1,3}(\.\d{3})+", text) else text
    return int(compact) if re.fullmatch(r"-?\d+", compact) else text


def _cell_bool(value):
    text = _cell_text(value)
    if text is None:
        return False
    return True if text.lower() == "x" else text


def _cell_list(value) -> list[str]:
    text = _cell_text(value)
    if text is None:
        return []
    return [part.strip() for part in text.split(";") if part.strip()]


@dataclass
class _Sheet:
    title: str
    columns: dict[str, int]  # header -> 0-based column index
    rows: list[tuple[int, tuple]]  # (row number, values)

    def where(self, row: int, header: str | None = None) -> tuple:
        return (self.title, row, header, self.columns.get(header) if header else None)


def load_xlsx(content: bytes) -> CatalogueFile:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged or foreign file
        raise CatalogImportError(
            ["Không đọc được tệp XLSX: tệp hỏng hoặc không phải bảng tính Excel (.xlsx)."]
        ) from exc
    errors: list[str] = []
    sheets: dict[str, _Sheet] = {}
    for title, headers in SHEETS.items():
        if title not in workbook.sheetnames:
            errors.append(f"Thiếu trang “{title}” (cần các cột: {', '.join(headers)}).")
            continue
        rows = list(workbook[title].iter_rows(values_only=True))
        header_row = [(_cell_text(v) or "") for v in (rows[0] if rows else ())]
        columns = {h: i for i, h in enumerate(header_row) if h}
        missing = [h for h in headers if h not in columns and h not in OPTIONAL_HEADERS]
        for header in missing:
            errors.append(f"Trang “{title}”, dòng 1: thiếu cột “{header}”.")
        data_rows = [
            (number, row)
            for number, row in enumerate(rows[1:], start=2)
            if any(_cell_text(v) is not None for v in row)
        ]
        sheets[title] = _Sheet(title, columns, data_rows)
    workbook.close()
    if errors:
        raise CatalogImportError(errors)
    return _xlsx_catalogue_file(sheets)


def _xlsx_catalogue_file(sheets: dict[str, _Sheet]) -> CatalogueFile:
    locs: dict[Path_, tuple] = {}
    doc: dict = {"format": FORMAT, "fields": [], "decisions": [], "procedures": []}
    structural: list[str] = []

    def get(sheet: _Sheet, row: tuple, header: str):
        if header not in sheet.columns:  # an optional column the file does not have
            return None
        index = sheet.columns[header]
        return row[index] if index < len(row) else None

    def place(path: Path_, sheet: _Sheet, number: int, headers: dict[str, str]):
        locs[path] = sheet.where(number)
        for key, header in headers.items():
            locs[(*path, key)] = sheet.where(number, header)

    sheet = sheets["Lĩnh vực"]
    for number, row in sheet.rows:
        path: Path_ = ("fields", len(doc["fields"]))
        doc["fields"].append(
            {"code": _cell_text(get(sheet, row, "Mã")), "name": _cell_text(get(sheet, row, "Tên"))}
        )
        place(path, sheet, number, {"code": "Mã", "name": "Tên"})

    sheet = sheets["Quyết định"]
    columns = {
        "number": "Số",
        "signed_on": "Ngày ký",
        "effective_from": "Ngày hiệu lực",
        "issuer": "Cơ quan ban hành",
        "title": "Trích yếu",
    }
    for number, row in sheet.rows:
        path = ("decisions", len(doc["decisions"]))
        item = {key: _cell_text(get(sheet, row, header)) for key, header in columns.items()}
        item["signed_on"] = _cell_date(get(sheet, row, "Ngày ký"))
        item["effective_from"] = _cell_date(get(sheet, row, "Ngày hiệu lực"))
        doc["decisions"].append(item)
        place(path, sheet, number, columns)

    sheet = sheets["Thủ tục"]
    procedures: dict[str | None, int] = {}  # a missing code is reported by the checks
    versions: dict[tuple, Path_] = {}
    for number, row in sheet.rows:
        code = _cell_text(get(sheet, row, "Mã TTHC"))
        is_internal = _cell_bool(get(sheet, row, "Nội bộ"))
        if code not in procedures:
            procedures[code] = len(doc["procedures"])
            doc["procedures"].append({"code": code, "is_internal": is_internal, "versions": []})
            place(
                ("procedures", procedures[code]),
                sheet,
                number,
                {"code": "Mã TTHC", "is_internal": "Nội bộ"},
            )
        pi = procedures[code]
        proc = doc["procedures"][pi]
        if proc["is_internal"] != is_internal:
            structural.append(
                f"{_xlsx_where(sheet.where(number, 'Nội bộ'))}: các dòng của thủ tục “{code}” "
                "phải cùng đánh dấu (hoặc cùng không đánh dấu) là TTHC nội bộ."
            )
        version: dict[str, Any] = {
            key: _cell_text(get(sheet, row, header)) for key, header in VERSION_COLUMNS.items()
        }
        version["effective_from"] = _cell_date(get(sheet, row, "Ngày hiệu lực"))
        for key in ("legal_basis", "conditions", "content_source", "process_source"):
            version[key] = version[key] or ""
        version["process_derived"] = _cell_bool(get(sheet, row, "Quy trình suy ra"))
        for key in ("intake_channels", "return_channels", "results"):
            version[key] = _cell_list(get(sheet, row, VERSION_COLUMNS[key]))
        version["processing_time"] = {
            "value": _cell_decimal(get(sheet, row, "Thời hạn")),
            "unit": _cell_text(get(sheet, row, "Đơn vị thời hạn")),
        }
        version.update(fees=[], components=[], steps=[])
        path = ("procedures", pi, "versions", len(proc["versions"]))
        proc["versions"].append(version)
        place(path, sheet, number, VERSION_COLUMNS)
        locs[(*path, "processing_time")] = sheet.where(number, "Thời hạn")
        locs[(*path, "processing_time", "value")] = sheet.where(number, "Thời hạn")
        locs[(*path, "processing_time", "unit")] = sheet.where(number, "Đơn vị thời hạn")
        version_key = (code, version["decision"])
        if version_key in versions:
            structural.append(
                f"{_xlsx_where(sheet.where(number, 'Quyết định'))}: thủ tục “{code}” đã có một dòng "
                f"theo quyết định “{version['decision']}” (trùng phiên bản)."
            )
        versions.setdefault(version_key, path)

    def version_of(sheet: _Sheet, number: int, row: tuple):
        key = (_cell_text(get(sheet, row, "Mã TTHC")), _cell_text(get(sheet, row, "Quyết định")))
        if key not in versions:
            structural.append(
                f"{_xlsx_where(sheet.where(number, 'Mã TTHC'))}: không có dòng nào trong trang "
                f"“Thủ tục” cho thủ tục “{key[0]}” theo quyết định “{key[1]}”."
            )
            return None
        pi, vi = versions[key][1], versions[key][3]
        return versions[key], doc["procedures"][pi]["versions"][vi]

    sheet = sheets["Phí, lệ phí"]
    for number, row in sheet.rows:
        found = version_of(sheet, number, row)
        if found:
            vpath, version = found
            path = (*vpath, "fees", len(version["fees"]))
            version["fees"].append(
                {
                    "name": _cell_text(get(sheet, row, "Tên khoản")),
                    "amount": _cell_int(get(sheet, row, "Số tiền")),
                    "legal_basis": _cell_text(get(sheet, row, "Căn cứ thu")) or "",
                }
            )
            place(
                path,
                sheet,
                number,
                {"name": "Tên khoản", "amount": "Số tiền", "legal_basis": "Căn cứ thu"},
            )

    ordered_sheets = {
        "components": (
            sheets["Thành phần hồ sơ"],
            {
                "name": "Tên giấy tờ",
                "form": "Bản chính/bản sao",
                "count": "Số lượng",
                "condition": "Điều kiện",
                "template": "Mẫu đơn, tờ khai",
                "legal_basis": "Căn cứ pháp lý",
                "source": "Nguồn",
            },
        ),
        "steps": (
            sheets["Quy trình nội bộ"],
            {"name": "Tên bước", "unit": "Đơn vị", "role": "Vai trò", "budget_hours": "Số giờ"},
        ),
    }
    for key, (sheet, headers) in ordered_sheets.items():
        pending: dict[Path_, list] = {}
        for number, row in sheet.rows:
            found = version_of(sheet, number, row)
            if not found:
                continue
            vpath, _version = found
            order = _cell_int(get(sheet, row, "STT"))
            if not isinstance(order, int) or isinstance(order, bool) or order < 1:
                structural.append(
                    f"{_xlsx_where(sheet.where(number, 'STT'))}: số thứ tự phải là số nguyên dương."
                )
                continue
            item = {name: _cell_text(get(sheet, row, header)) for name, header in headers.items()}
            if key == "components":
                item["count"] = _cell_int(get(sheet, row, "Số lượng"))
                item["mandatory"] = _cell_bool(get(sheet, row, "Bắt buộc"))
                for optional in ("condition", "template", "legal_basis"):
                    item[optional] = item[optional] or ""
            else:
                item["budget_hours"] = _cell_decimal(get(sheet, row, "Số giờ"))
            pending.setdefault(vpath, []).append((order, number, item))
        for vpath, items in pending.items():
            version = doc["procedures"][vpath[1]]["versions"][vpath[3]]
            seen: dict[int, int] = {}
            for order, number, item in sorted(items, key=lambda t: (t[0], t[1])):
                if order in seen:
                    structural.append(
                        f"{_xlsx_where(sheet.where(number, 'STT'))}: số thứ tự {order} trùng với "
                        f"dòng {seen[order]} của cùng phiên bản."
                    )
                    continue
                seen[order] = number
                path = (*vpath, key, len(version[key]))
                version[key].append(item)
                extra = {"mandatory": "Bắt buộc"} if key == "components" else {}
                place(path, sheet, number, headers | extra)

    if structural:
        raise CatalogImportError(structural)

    def locate(path: Path_) -> str:
        probe = tuple(path)
        while probe and probe not in locs:
            probe = probe[:-1]
        if not probe:
            return "Tệp XLSX"
        return _xlsx_where(locs[probe])

    return CatalogueFile(doc, locate)


def _xlsx_where(loc: tuple) -> str:
    title, row, header, index = loc
    text = f"Trang “{title}”, dòng {row}"
    if header:
        letter = f" ({_column_letter(index)})" if index is not None else ""
        text += f", cột “{header}”{letter}"
    return text
