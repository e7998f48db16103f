"""The PAR self-assessment as the workbook a department sends the Department of Home Affairs: one row
per field, criterion and sub-criterion with its maximum, self-assessed and appraised points and its
evidence, field totals on the field rows, the grand total last.

The province's own collection form (mẫu biểu tự đánh giá) was not found; the columns follow the
table of the provincial criteria sets that were found (e.g. Quyết định số 1880/QĐ-UBND năm 2013 của
UBND tỉnh Cà Mau: STT | Lĩnh vực/Tiêu chí/Tiêu chí thành phần | Điểm tối đa | Điểm đánh giá: tự
đánh giá, Sở Nội vụ đánh giá | Ghi chú) with the evidence column the self-assessment report needs
(Công văn số 383/BNV-CCHC ngày 28/01/2021: tài liệu kiểm chứng cho từng tiêu chí). ADR 0040.
"""

from __future__ import annotations

from decimal import Decimal
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side

from .models import ParAssessment
from .selectors import par_auto_rows, par_period, par_rows, par_totals, par_tree

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADERS = (
    "STT",
    "Lĩnh vực/Tiêu chí/Tiêu chí thành phần",
    "Điểm tối đa",
    "Điểm tự đánh giá",
    "Điểm thẩm định",
    "Tài liệu kiểm chứng",
    "Ghi chú",
)
NOT_FOUND = "Chưa có dữ liệu chính thức"
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def _number(value: Decimal | None):
    return None if value is None else float(value)


def _note(node, auto) -> str:
    notes = []
    if not node.criterion.official:
        notes.append(NOT_FOUND)
    if auto is not None:
        notes.append(f"Số liệu hệ thống: {auto.label} {auto.figure}")
        if auto.proposed is not None:
            notes.append(f"Điểm đề xuất theo số liệu: {float(auto.proposed):g}".replace(".", ","))
    if node.criterion.score_basis == "auto":
        notes.append("Điểm tự đánh giá nhận theo số liệu")
    return "; ".join(notes)


def par_xlsx(assessment: ParAssessment) -> bytes:
    tree = par_tree(assessment)
    rows = par_rows(tree)
    auto = par_auto_rows(assessment, tree)
    totals = par_totals(assessment, tree)
    first, last = par_period(assessment)

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"Tự đánh giá {assessment.year}"
    sheet.append([f"BẢNG TỰ ĐÁNH GIÁ, CHẤM ĐIỂM CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {assessment.year}"])
    sheet.append([assessment.unit.name])
    sheet.append([f"Bộ tiêu chí: {assessment.source or 'do đơn vị nhập'}"])
    sheet.append([f"Kỳ số liệu: {first:%d/%m/%Y} – {last:%d/%m/%Y}"])
    sheet.append(list(HEADERS))
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        cell.border = BOX
    sheet["A1"].font = Font(bold=True, size=13)
    for node in rows:
        criterion = node.criterion
        evidence = criterion.evidence or criterion.evidence_required
        sheet.append(
            [
                criterion.code,
                criterion.title,
                _number(node.max_points),
                _number(node.self_score),
                _number(node.final_score),
                evidence,
                _note(node, auto.get(criterion.pk)),
            ]
        )
        for cell in sheet[sheet.max_row]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.border = BOX
            if node.children:
                cell.font = Font(bold=node.depth == 0, italic=node.depth > 0)
        sheet.cell(sheet.max_row, 2).alignment = Alignment(
            wrap_text=True, vertical="top", indent=node.depth * 2
        )
    sheet.append(
        [
            "",
            "TỔNG CỘNG",
            _number(totals["max_points"]),
            _number(totals["self_score"]),
            _number(totals["final_score"]),
            "",
            f"Đã chấm {totals['self_scored']}/{totals['criteria']} tiêu chí thành phần",
        ]
    )
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
        cell.border = BOX
    for column, width in zip("ABCDEFG", (9, 60, 10, 11, 11, 50, 40), strict=True):
        sheet.column_dimensions[column].width = width
    for column in "CDE":
        for cell in sheet[column][header_row:]:
            cell.number_format = "0.##"
    sheet.freeze_panes = sheet.cell(header_row + 1, 1)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
