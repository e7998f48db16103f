"""The yearly list of expired legal documents as a spreadsheet, in the columns of the list the
Provincial People's Committee publishes (Nghị định 34/2016/NĐ-CP, art. 157: danh mục văn bản hết
hiệu lực toàn bộ / một phần)."""

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from .models import LegalActivity

HEADERS = (
    "STT",
    "Tên loại văn bản",
    "Số, ký hiệu; ngày, tháng, năm ban hành",
    "Tên gọi của văn bản",
    "Lý do hết hiệu lực",
    "Ngày hết hiệu lực",
)


def _sheet(workbook: Workbook, title: str, heading: str, findings: list[LegalActivity]) -> None:
    sheet = workbook.create_sheet(title)
    sheet.append([heading])
    sheet["A1"].font = Font(bold=True)
    sheet.append(list(HEADERS))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for number, finding in enumerate(findings, start=1):
        document = finding.document
        sheet.append(
            [
                number,
                document.get_doc_type_display(),
                f"{document.number} ngày {document.issued_on:%d/%m/%Y}",
                document.title,
                finding.result or finding.get_outcome_display(),
                f"{finding.expired_on:%d/%m/%Y}",
            ]
        )
    for column, width in zip("ABCDEF", (6, 14, 30, 60, 40, 14), strict=True):
        sheet.column_dimensions[column].width = width


def expired_list_xlsx(year: int, listed: dict[str, list[LegalActivity]]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    _sheet(
        workbook,
        "Hết hiệu lực toàn bộ",
        f"DANH MỤC VĂN BẢN QUY PHẠM PHÁP LUẬT HẾT HIỆU LỰC TOÀN BỘ NĂM {year}",
        listed["fully"],
    )
    _sheet(
        workbook,
        "Hết hiệu lực một phần",
        f"DANH MỤC VĂN BẢN QUY PHẠM PHÁP LUẬT HẾT HIỆU LỰC MỘT PHẦN NĂM {year}",
        listed["partly"],
    )
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
