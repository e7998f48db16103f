"""The report's appendices as a workbook (openpyxl): one sheet per table — the dossier figures and
rates, the dossiers by month, by field and by procedure, the catalogue, the scored indicators, and
every other section as key/value rows."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from . import official_forms
from .selectors import DOSSIER_KEYS, dossier_counts_by

DOSSIER_LABELS = {
    "received": "Tiếp nhận",
    "received_online": "Trực tuyến",
    "received_desk": "Trực tiếp",
    "received_post": "Qua bưu chính",
    "received_lienthong": "Nhận liên thông từ cơ quan khác",
    "resolved": "Đã giải quyết",
    "in_progress": "Đang giải quyết",
    "resolved_early": "Trước hạn",
    "resolved_on_time": "Đúng hạn",
    "resolved_late": "Quá hạn",
    "resolved_ungraded": "Không có hẹn trả",
    "returned_post": "Trả qua bưu chính",
}
RATE_LABELS = {
    "online_pct": "Tỷ lệ hồ sơ trực tuyến (%)",
    "on_time_pct": "Tỷ lệ giải quyết trước hạn, đúng hạn (%)",
    "post_intake_pct": "Tỷ lệ tiếp nhận qua bưu chính, trừ trực tuyến (%)",
    "post_return_pct": "Tỷ lệ trả kết quả qua bưu chính (%)",
    "digitised_pct": "Tỷ lệ hồ sơ được số hóa (%)",
    "paid_online_pct": "Tỷ lệ thanh toán trực tuyến (%)",
    "electronic_results_pct": "Tỷ lệ kết quả điện tử (%)",
    "reuse_pct": "Tỷ lệ hồ sơ tái sử dụng dữ liệu (%)",
}
BOLD = Font(bold=True)


def _shown(counts: dict) -> list[str]:
    """The figures of a row each: liên thông received (ADR 0044) only when there are some (and a
    report frozen before it has none)."""
    return [k for k in DOSSIER_KEYS if k != "received_lienthong" or counts.get(k)]


def appendices_xlsx(scope, data: dict) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "PL1 Hồ sơ"
    _title(sheet, f"Phụ lục 1. Số liệu hồ sơ TTHC từ {_d(scope.date_from)} đến {_d(scope.date_to)}")
    _rows(sheet, ["Chỉ tiêu", "Số lượng"],
          [[DOSSIER_LABELS[k], data["dossiers"][k]] for k in _shown(data["dossiers"])])  # fmt: skip
    sheet.append([])
    _rows(sheet, ["Tỷ lệ", "Giá trị", "Ghi chú"], [
        [label, data["rates"].get(key), data["rates"]["notes"].get(key, "")]
        for key, label in RATE_LABELS.items()
    ])  # fmt: skip
    _grouped(book, "PL2 Theo tháng", "Phụ lục 2. Hồ sơ theo tháng tiếp nhận", scope, ["month"],
             ["Tháng"])  # fmt: skip
    _grouped(book, "PL3 Theo lĩnh vực", "Phụ lục 3. Hồ sơ theo lĩnh vực", scope, ["field"],
             ["Mã lĩnh vực", "Lĩnh vực"])  # fmt: skip
    _grouped(book, "PL4 Theo thủ tục", "Phụ lục 4. Hồ sơ theo thủ tục", scope, ["procedure"],
             ["Mã TTHC", "Tên thủ tục"])  # fmt: skip
    _catalogue(book, data["catalogue"])
    _scores(book, data)
    other = book.create_sheet("PL7 Các phần khác")
    _title(other, "Phụ lục 7. Nhiệm vụ, văn bản, tổ chức, hài lòng, phản ánh kiến nghị và khác")
    other.append(["Phần", "Chỉ tiêu", "Giá trị"])
    for cell in other[other.max_row]:
        cell.font = BOLD
    skip = {"schema_version", "generated_at", "period", "scope", "unit", "dossiers", "rates",
            "catalogue", "decision_766", "circular_01_2018"}  # fmt: skip
    for section, values in data.items():
        if section in skip or not isinstance(values, dict):
            continue
        for key, value in _flat(values):
            other.append([section, key, value])
    for ws in book.worksheets:
        ws.column_dimensions["A"].width = 48
        ws.column_dimensions["B"].width = 40
    # The official forms first (ADR 0041), then the working tables above.
    reporter = reporting_unit(scope, data)
    official_forms.form_06_sheet(book, scope, reporter)
    official_forms.form_07b_sheet(book, scope, data, reporter)
    official_forms.sources_sheet(book)
    for position, name in enumerate(
        (official_forms.FORM_06["sheet"], official_forms.FORM_07B["sheet"])
    ):
        book.move_sheet(name, offset=position - book.sheetnames.index(name))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def reporting_unit(scope, data: dict) -> str:
    """The unit the forms report for: the scope's unit, else the issuing department's profile."""
    if data.get("unit"):
        return data["unit"]["name"]
    from .services import profile_for

    profile = profile_for(scope)
    return profile.unit.name if profile is not None else "Sở Tư pháp"


def _d(day) -> str:
    return f"{day:%d/%m/%Y}"


def _title(sheet, text: str) -> None:
    sheet.append([text])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([])


def _rows(sheet, header: list[str], rows) -> None:
    sheet.append(header)
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD
        cell.alignment = Alignment(wrap_text=True)
    for row in rows:
        sheet.append(row)


def _grouped(book, name, title, scope, dimensions, labels) -> None:
    sheet = book.create_sheet(name)
    _title(sheet, title)
    rows = []
    items = dossier_counts_by(scope, *dimensions)
    shown = _shown({"received_lienthong": sum(i["received_lienthong"] for i in items)})
    for item in items:
        keys = [item[d] for d in dimensions]
        if len(labels) == 2:
            keys.append(item[f"{dimensions[0]}_name"])
        if dimensions == ["month"]:
            keys = [f"{item['month']:%m/%Y}"]
        rows.append(keys + [item[k] for k in shown])
    _rows(sheet, labels + [DOSSIER_LABELS[k] for k in shown], rows)


def _catalogue(book, catalogue: dict) -> None:
    sheet = book.create_sheet("PL5 Danh mục TTHC")
    _title(sheet, f"Phụ lục 5. Danh mục TTHC có hiệu lực ngày {catalogue['at']}")
    _rows(sheet, ["Chỉ tiêu", "Số lượng"], [
        ["TTHC công khai", catalogue["procedures_public"]],
        ["TTHC nội bộ", catalogue["procedures_internal"]],
        ["Toàn trình", catalogue["by_level"].get("toan_trinh")],
        ["Một phần", catalogue["by_level"].get("mot_phan")],
        ["Không trực tuyến", catalogue["by_level"].get("none")],
        ["Nhận hồ sơ qua bưu chính", catalogue["procedures_postal_intake"]],
        ["Có phát sinh hồ sơ qua bưu chính", catalogue["procedures_with_postal_dossiers"]],
    ])  # fmt: skip
    sheet.append([])
    _rows(sheet, ["Nơi tiếp nhận", "Số TTHC"],
          [[f"{u['name']} ({u['code']})", u["procedures"]] for u in catalogue["by_receiving_unit"]])  # fmt: skip


def _scores(book, data: dict) -> None:
    sheet = book.create_sheet("PL6 Chỉ số")
    _title(sheet, "Phụ lục 6. Chỉ số Thông tư 01/2018/TT-VPCP và Quyết định 766/QĐ-TTg")
    tt = data["circular_01_2018"]
    _rows(sheet, ["Chỉ số TT 01/2018", "Điểm (0–2)", "Cách tính / dữ liệu còn thiếu"], [
        [f"{i['number']}. {i['label']}", i["score"], i.get("missing") or i["formula"]]
        for i in tt["indicators"]
    ])  # fmt: skip
    sheet.append(["Tổng điểm đơn vị (các chỉ số có dữ liệu)", tt["unit"]["score"],
                  tt["unit"]["rating"] or tt["unit"]["note"]])  # fmt: skip
    sheet.append([])
    rows = []
    for code, group in data["decision_766"].items():
        if not isinstance(group, dict) or "indicators" not in group:
            continue
        for item in group["indicators"]:
            rows.append([f"{code} {group['label']} — {item['code']} {item['label']}", item["value"],
                         item.get("missing") or item["formula"]])  # fmt: skip
        rows.append([f"{code}: điểm ước tính / tối đa {group['max_points']}",
                     group["points_estimate"], ""])  # fmt: skip
    _rows(sheet, ["Chỉ số QĐ 766", "Giá trị", "Cách tính / dữ liệu còn thiếu"], rows)


def _flat(values: dict, prefix: str = ""):
    for key, value in values.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            yield from _flat(value, f"{name}.")
        elif isinstance(value, list):
            yield name, ", ".join(str(v) for v in value)
        else:
            yield name, value
