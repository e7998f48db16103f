"""Administrative document types (Decree 30/2020/NĐ-CP Điều 7, verified) with their abbreviations
for the symbol (Phụ lục III — marked UNVERIFIED in the reference, vn-regulations.md §6.2).

The edXML DocumentType/Type code of each is NOT in the sources at hand: one gateway and OpenCPS send
Type=1 with TypeName "Công văn", another implementation sends 18 for "Công văn" following a C# SDK
(docs/exchange.md). The register therefore keeps the Type the clerk enters (default 1)."""

DOCUMENT_TYPES: tuple[tuple[str, str], ...] = (
    ("Công văn", ""),
    ("Quyết định", "QĐ"),
    ("Báo cáo", "BC"),
    ("Tờ trình", "TTr"),
    ("Thông báo", "TB"),
    ("Kế hoạch", "KH"),
    ("Hướng dẫn", "HD"),
    ("Giấy mời", "GM"),
    ("Biên bản", "BB"),
    ("Chỉ thị", "CT"),
    ("Quy chế", "QC"),
    ("Quy định", "QyĐ"),
    ("Chương trình", "CTr"),
    ("Phương án", "PA"),
    ("Đề án", "ĐA"),
    ("Công điện", "CĐ"),
    ("Giấy giới thiệu", "GGT"),
    ("Giấy ủy quyền", "GUQ"),
    ("Phiếu gửi", "PG"),
    ("Phiếu chuyển", "PC"),
    ("Phiếu báo", "PB"),
)
# SteeringType: OpenCPS sends 1, another implementation 0; the meaning of each value is not in the
# sources at hand (docs/exchange.md).
STEERING_TYPES = (
    ("0", "0"),
    ("1", "1"),
    ("2", "2"),
    ("3", "3"),
    ("4", "4"),
)
