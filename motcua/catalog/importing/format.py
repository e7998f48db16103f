"""The catalogue file format (docs/catalogue-format.md): its version tag, the sheets and columns of
the XLSX shape, the canonical spelling of values shared with exporting.py, and the parsed `CatalogueFile`
that the readers produce and the checks consume."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from ..models import Channel

FORMAT = "motcua.catalogue/1"
LIST_SEPARATOR = "; "
MAX_DECIMAL_PLACES = 2
MAX_DECIMAL_DIGITS = 8

Path_ = tuple  # a JSON path: ("procedures", 3, "versions", 0, "level")


class CatalogImportError(Exception):
    """A catalogue file was rejected whole; `.errors` lists every problem in Vietnamese."""

    def __init__(self, errors: list[str]):
        self.errors = list(errors)
        super().__init__("\n".join(self.errors))


# --- Canonical values (shared with exporting.py, so that export → import → export is identical) --


def decimal_text(value: Decimal) -> str:
    """Decimal('10.00') -> '10', Decimal('0.50') -> '0.5'."""
    text = format(value.normalize(), "f")
    return text


def channels_in_order(values) -> list[str]:
    present = set(values)
    return [c.value for c in Channel if c.value in present]


# --- Sources -----------------------------------------------------------------------------------


SHEETS: dict[str, list[str]] = {
    "Lĩnh vực": ["Mã", "Tên"],
    "Quyết định": ["Số", "Ngày ký", "Ngày hiệu lực", "Cơ quan ban hành", "Trích yếu"],
    "Thủ tục": [
        "Mã TTHC",
        "Nội bộ",
        "Quyết định",
        "Loại thay đổi",
        "Ngày hiệu lực",
        "Thay thế bởi",
        "Tên thủ tục",
        "Lĩnh vực",
        "Cơ quan có thẩm quyền",
        "Nơi tiếp nhận",
        "Mức độ",
        "Thời hạn",
        "Đơn vị thời hạn",
        "Kênh nộp",
        "Kênh trả",
        "Kết quả",
        "Căn cứ pháp lý",
        "Thời điểm nộp phí",
        "Yêu cầu, điều kiện",
        "Nguồn nội dung",
        "Nguồn quy trình",
        "Quy trình suy ra",
    ],
    "Phí, lệ phí": ["Mã TTHC", "Quyết định", "Tên khoản", "Số tiền", "Căn cứ thu"],
    "Thành phần hồ sơ": [
        "Mã TTHC",
        "Quyết định",
        "STT",
        "Tên giấy tờ",
        "Bản chính/bản sao",
        "Số lượng",
        "Bắt buộc",
        "Điều kiện",
        "Mẫu đơn, tờ khai",
        "Căn cứ pháp lý",
        "Nguồn",
    ],
    "Quy trình nội bộ": [
        "Mã TTHC",
        "Quyết định",
        "STT",
        "Tên bước",
        "Đơn vị",
        "Vai trò",
        "Số giờ",
    ],
}

# Version keys of the JSON shape ↔ columns of the sheet "Thủ tục".
VERSION_COLUMNS = {
    "decision": "Quyết định",
    "change": "Loại thay đổi",
    "effective_from": "Ngày hiệu lực",
    "replaced_by": "Thay thế bởi",
    "name": "Tên thủ tục",
    "field": "Lĩnh vực",
    "competent_agency": "Cơ quan có thẩm quyền",
    "receiving_unit": "Nơi tiếp nhận",
    "level": "Mức độ",
    "intake_channels": "Kênh nộp",
    "return_channels": "Kênh trả",
    "results": "Kết quả",
    "legal_basis": "Căn cứ pháp lý",
    "fee_due": "Thời điểm nộp phí",
    "conditions": "Yêu cầu, điều kiện",
    "content_source": "Nguồn nội dung",
    "process_source": "Nguồn quy trình",
    "process_derived": "Quy trình suy ra",
}
# Columns a file may omit (added after the first files were written): the default applies. The
# components' "Nguồn" is not among them: a paper without its source is refused (ADR 0033).
OPTIONAL_HEADERS = frozenset(
    {
        "Thời điểm nộp phí",
        "Yêu cầu, điều kiện",
        "Nguồn nội dung",
        "Nguồn quy trình",
        "Quy trình suy ra",
        "Căn cứ thu",
        "Điều kiện",
        "Mẫu đơn, tờ khai",
        "Căn cứ pháp lý",
    }
)


@dataclass
class CatalogueFile:
    data: dict
    locate: Callable[[Path_], str]
