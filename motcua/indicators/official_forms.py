"""The appendices in the official statistical forms of the one-stop report (ADR 0041).

Thông tư 01/2018/TT-VPCP, Điều 11, puts the one-stop report's content into Phụ lục XII of Thông tư
02/2017/TT-VPCP and leaves its form to that circular. In 2023 the forms in use are those of Thông
tư 01/2020/TT-VPCP ngày 21/10/2020 (chế độ báo cáo định kỳ của Văn phòng Chính phủ), which took over
TT 02/2017's reporting forms. The circular's text was not at hand; the layouts below are taken
from two provincial one-stop systems that print them (public code, search index ids 37953076697
and 38404980185, read 12/2026):

* Biểu số 06/VPCP/KSTT "Tình hình, kết quả giải quyết TTHC tại cơ quan, đơn vị trực tiếp giải
  quyết TTHC" — printed with "Ban hành theo Thông tư số 01/2020/TT-VPCP ngày 21/10/2020"; 13
  numbered columns, one row per field.
* Biểu số II.07b/VPCP/KSTT "Tổng hợp số lượng thủ tục hành chính" — its source does not print the
  circular; the code is as that source writes it (marked on the sheet).

The other forms of the circular's appendix (control of new regulations, announcement, review and
simplification of procedures, feedback on regulations) were not found: they are listed on the
last sheet as "chưa tìm được mẫu chính thức", not invented.
"""

from __future__ import annotations

from datetime import date

from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from .selectors import FORM_06_KEYS, form_06_rows

BOLD = Font(bold=True)
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)

FORM_06 = {
    "code": "Biểu số 06/VPCP/KSTT",
    "sheet": "Biểu 06.VPCP.KSTT",
    "basis": "Ban hành theo Thông tư số 01/2020/TT-VPCP ngày 21/10/2020",
    "title": "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT TTHC TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT TTHC",
}
FORM_07B = {
    "code": "Biểu số II.07b/VPCP/KSTT",
    "sheet": "Biểu II.07b.VPCP.KSTT",
    "basis": "Mã biểu theo hệ thống một cửa tham khảo; chưa đối chiếu văn bản gốc",
    "title": "TỔNG HỢP SỐ LƯỢNG THỦ TỤC HÀNH CHÍNH",
}
NOT_FOUND = [
    ("Biểu về kiểm soát quy định TTHC trong dự thảo văn bản QPPL", "chưa tìm được mẫu chính thức"),
    ("Biểu về công bố, công khai TTHC", "chưa tìm được mẫu chính thức"),
    ("Biểu về rà soát, đơn giản hóa TTHC", "chưa tìm được mẫu chính thức"),
    (
        "Biểu về tiếp nhận, xử lý phản ánh, kiến nghị về quy định hành chính",
        "chưa tìm được mẫu chính thức",
    ),  # fmt: skip
    (
        "Biểu số II.06a/VPCP/KSTT (tại Trung tâm Phục vụ hành chính công)",
        "cùng bố cục với Biểu số 06; Trung tâm lập, Sở không lập",
    ),  # fmt: skip
]


def _d(day) -> str:
    return f"{day:%d/%m/%Y}"


def _header(sheet, form: dict, scope, reporter: str, width: int) -> None:
    """The form's top block: code and basis on the left, title and period in the middle, the
    reporting unit on the right, as the sources print it; then the unit of count."""
    sheet.append([form["code"]])
    sheet.cell(1, 1).font = BOLD
    sheet.cell(2, 1, form["basis"]).font = Font(italic=True, size=9)
    title = sheet.cell(1, 3, form["title"])
    title.font, title.alignment = BOLD, CENTRE
    sheet.merge_cells(start_row=1, start_column=3, end_row=1, end_column=width - 2)
    period = sheet.cell(2, 3, f"(Từ ngày {_d(scope.date_from)} đến ngày {_d(scope.date_to)})")
    period.alignment = CENTRE
    sheet.merge_cells(start_row=2, start_column=3, end_row=2, end_column=width - 2)
    sheet.cell(1, width - 1, f"Đơn vị báo cáo: {reporter}").alignment = CENTRE
    sheet.cell(2, width - 1, "Đơn vị nhận báo cáo: Văn phòng UBND tỉnh").alignment = CENTRE
    sheet.cell(3, width, "Đơn vị tính: " + form.get("count", "Số hồ sơ TTHC")).font = Font(
        italic=True
    )


def _cell(sheet, row, column, value, *, bold=False, span=(1, 1)):
    cell = sheet.cell(row, column, value)
    cell.alignment, cell.border = CENTRE, BOX
    if bold:
        cell.font = BOLD
    if span != (1, 1):
        sheet.merge_cells(
            start_row=row, start_column=column,
            end_row=row + span[0] - 1, end_column=column + span[1] - 1,
        )  # fmt: skip
        for r in range(row, row + span[0]):
            for c in range(column, column + span[1]):
                sheet.cell(r, c).border = BOX
    return cell


def form_06_sheet(book, scope, reporter: str) -> None:
    sheet = book.create_sheet(FORM_06["sheet"])
    _header(sheet, FORM_06, scope, reporter, 13)
    top = 5
    _cell(sheet, top, 1, "STT", bold=True, span=(3, 1))
    _cell(sheet, top, 2, "Lĩnh vực, công việc giải quyết theo cấp", bold=True, span=(3, 1))
    _cell(sheet, top, 3, "Số hồ sơ nhận giải quyết", bold=True, span=(1, 4))
    _cell(sheet, top, 7, "Số hồ sơ đã giải quyết", bold=True, span=(1, 4))
    _cell(sheet, top, 11, "Số lượng hồ sơ đang giải quyết", bold=True, span=(1, 3))
    _cell(sheet, top + 1, 3, "Tổng số", bold=True, span=(2, 1))
    _cell(sheet, top + 1, 4, "Trong đó", bold=True, span=(1, 2))
    _cell(sheet, top + 2, 4, "Trực tuyến", bold=True)
    _cell(sheet, top + 2, 5, "Trực tiếp, dịch vụ bưu chính", bold=True)
    for column, label in ((6, "Từ kỳ trước"), (7, "Tổng số"), (8, "Trước hạn"), (9, "Đúng hạn"),
                          (10, "Quá hạn"), (11, "Tổng số"), (12, "Trong hạn"), (13, "Quá hạn")):  # fmt: skip
        _cell(sheet, top + 1, column, label, bold=True, span=(2, 1))
    for column in range(1, 14):
        _cell(sheet, top + 3, column, f"({column})")
    row = top + 4
    _cell(sheet, row, 1, "I", bold=True)
    _cell(sheet, row, 2, "Cấp tỉnh", bold=True)
    rows = form_06_rows(scope)
    totals = dict.fromkeys(FORM_06_KEYS, 0)
    for number, item in enumerate(rows, start=1):
        row += 1
        _cell(sheet, row, 1, number)
        _cell(sheet, row, 2, item["field_name"] or item["field"]).alignment = Alignment(
            wrap_text=True, vertical="center"
        )
        for offset, key in enumerate(FORM_06_KEYS, start=3):
            _cell(sheet, row, offset, item[key])
            totals[key] += item[key]
    row += 1
    _cell(sheet, row, 2, "Tổng cộng", bold=True)
    _cell(sheet, row, 1, "")
    for offset, key in enumerate(FORM_06_KEYS, start=3):
        _cell(sheet, row, offset, totals[key], bold=True)
    sheet.cell(row + 2, 2, "Ghi chú: (3) = (4) + (5) + (6); (7) = (8) + (9) + (10); "
               "(11) = (3) − (7) = (12) + (13). Hồ sơ không có ngày hẹn trả tính vào cột (9). "
               "Số liệu lấy từ hồ sơ của hệ thống một cửa.")  # fmt: skip
    _widths(sheet, {1: 6, 2: 40}, 11)


def form_07b_sheet(book, scope, data: dict, reporter: str) -> None:
    sheet = book.create_sheet(FORM_07B["sheet"])
    form = {**FORM_07B, "count": "Số TTHC"}
    _header(sheet, form, scope, reporter, 14)
    top = 5
    _cell(sheet, top, 1, "STT", bold=True, span=(2, 1))
    _cell(sheet, top, 2, "Đơn vị", bold=True, span=(2, 1))
    groups = (
        (3, "Tổng số TTHC thuộc thẩm quyền giải quyết của địa phương",
         ("Tổng số TTHC", "Cấp tỉnh", "Cấp huyện", "Cấp xã")),
        (7, "TTHC được thực hiện theo CCMC, MCLT",
         ("Tổng số TTHC", "Tại BPMC cấp tỉnh", "Tại BPMC cấp huyện", "Tại BPMC cấp xã")),
        (11, "Quy trình nội bộ giải quyết TTHC theo CCMC, MCLT được ban hành",
         ("Tổng số quy trình", "Cấp tỉnh", "Cấp huyện", "Cấp xã")),
    )  # fmt: skip
    for column, label, subs in groups:
        _cell(sheet, top, column, label, bold=True, span=(1, 4))
        for offset, sub in enumerate(subs):
            _cell(sheet, top + 1, column + offset, sub, bold=True)
    for column in range(1, 15):
        _cell(sheet, top + 2, column, f"({column})")
    catalogue = data["catalogue"]
    public = catalogue["procedures_public"]
    at_centre = sum(
        u["procedures"] for u in catalogue["by_receiving_unit"] if u["code"].endswith(".40.H27")
    )
    processes = catalogue.get("procedures_with_process")
    values = [1, reporter, public, public, 0, 0, at_centre, at_centre, 0, 0,
              processes, processes, 0, 0]  # fmt: skip
    for column, value in enumerate(values, start=1):
        _cell(sheet, top + 3, column, value)
    sheet.cell(top + 5, 2, f"Danh mục TTHC có hiệu lực ngày {_d(date.fromisoformat(catalogue['at']))}: TTHC của Sở là "
               "TTHC cấp tỉnh (cột cấp huyện, cấp xã bằng 0). Cột (7)–(8): TTHC tiếp nhận tại "
               "Trung tâm Phục vụ hành chính công tỉnh; cột (11)–(12): TTHC có quy trình nội bộ "
               "trong danh mục.")  # fmt: skip
    _widths(sheet, {1: 6, 2: 34}, 12)


def sources_sheet(book) -> None:
    sheet = book.create_sheet("Nguồn biểu mẫu")
    sheet.append(["Biểu mẫu", "Tình trạng trong tệp này"])
    for cell in sheet[1]:
        cell.font = BOLD
    sheet.append([f"{FORM_06['code']} — {FORM_06['title']}", f"Đã lập. {FORM_06['basis']}."])
    sheet.append([f"{FORM_07B['code']} — {FORM_07B['title']}", f"Đã lập. {FORM_07B['basis']}."])
    for name, state in NOT_FOUND:
        sheet.append([name, state])
    sheet.append([])
    sheet.append(["Căn cứ: Thông tư 01/2018/TT-VPCP, Điều 11 (nội dung báo cáo một cửa đưa vào "
                  "Phụ lục XII Thông tư 02/2017/TT-VPCP); biểu mẫu báo cáo định kỳ theo Thông tư "
                  "01/2020/TT-VPCP ngày 21/10/2020."])  # fmt: skip
    _widths(sheet, {1: 70, 2: 60}, 10)


def _widths(sheet, fixed: dict[int, int], default: int) -> None:
    for column in range(1, sheet.max_column + 1):
        sheet.column_dimensions[get_column_letter(column)].width = fixed.get(column, default)
