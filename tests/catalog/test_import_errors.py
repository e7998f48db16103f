"""Every kind of bad catalogue file is rejected whole: a Vietnamese message naming where (sheet,
row and column for XLSX; procedure, decision and field for JSON), and the database unchanged."""

import io
import json

import pytest
from openpyxl import load_workbook

from motcua.catalog.exporting import to_xlsx
from motcua.catalog.importing import CatalogImportError
from motcua.catalog.services import catalog_import

from .conftest import snapshot
from .factories import decision, history_document, version

pytestmark = pytest.mark.django_db


@pytest.fixture
def before(units):
    """A catalogue already holding a history, so that 'unchanged' means something."""
    catalog_import(None, history_document())
    return snapshot()


def bad_document() -> dict:
    """A good file adding one new procedure (2.000001) and one new decision; tests break it."""
    doc = history_document()
    doc["decisions"].append(decision("9/QĐ-UBND", "2024-03-01"))
    doc["procedures"].append(
        {
            "code": "2.000001",
            "is_internal": False,
            "versions": [version("9/QĐ-UBND", "2024-03-01", name="Thủ tục mới")],
        }
    )
    return doc


def new_version(doc) -> dict:
    return doc["procedures"][-1]["versions"][0]


def reject(source, before) -> list[str]:
    with pytest.raises(CatalogImportError) as exc:
        catalog_import(None, source)
    assert snapshot() == before
    return exc.value.errors


def test_the_unbroken_file_is_accepted(before):
    summary = catalog_import(None, bad_document())
    assert (summary.procedures_created, summary.versions_created) == (1, 1)


NEW = "Thủ tục “2.000001”, quyết định “9/QĐ-UBND”"


def _set(path, value):
    def mutate(doc):
        target = new_version(doc)
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return mutate


JSON_CASES = [
    (
        "missing field (column)",
        lambda d: new_version(d).pop("level"),
        f"{NEW}, trường “level” (procedures[4].versions[0].level): thiếu mức độ (bắt buộc).",
    ),
    (
        "wrong type",
        _set(("fees", 0, "amount"), "hai trăm nghìn"),
        f"{NEW}, trường “amount” (procedures[4].versions[0].fees[0].amount): số tiền (đồng) phải "
        "là số nguyên, không phải “hai trăm nghìn”.",
    ),
    (
        "unknown field",
        _set(("field",), "XYZ"),
        f"{NEW}, trường “field” (procedures[4].versions[0].field): lĩnh vực “XYZ” không có trong "
        "danh sách lĩnh vực của tệp hay của hệ thống.",
    ),
    (
        "unknown agency",
        _set(("competent_agency",), "000.99.99.H27"),
        f"{NEW}, trường “competent_agency” (procedures[4].versions[0].competent_agency): cơ quan có "
        "thẩm quyền: không có đơn vị mã “000.99.99.H27” trong cơ cấu tổ chức (xem `motcua org units`).",
    ),
    (
        "unknown step unit",
        _set(("steps", 1, "unit"), "000.99.99.H27"),
        f"{NEW}, trường “unit” (procedures[4].versions[0].steps[1].unit): không có đơn vị mã "
        "“000.99.99.H27” trong cơ cấu tổ chức (xem `motcua org units`).",
    ),
    (
        "budgets do not add up",
        _set(("steps", 1, "budget_hours"), "61"),
        f"{NEW}, trường “value” (procedures[4].versions[0].processing_time.value): tổng số giờ của "
        "các bước quy trình nội bộ là 81 giờ, không bằng thời hạn giải quyết 80 giờ làm việc "
        "(10 ngày làm việc; 1 ngày làm việc = 8 giờ).",
    ),
    (
        "bad channel",
        _set(("intake_channels",), ["desk", "fax"]),
        f"{NEW}, trường “intake_channels” (procedures[4].versions[0].intake_channels): kênh nộp "
        "“fax” không hợp lệ; giá trị được phép: desk, online, post.",
    ),
    (
        "no channel",
        _set(("return_channels",), []),
        f"{NEW}, trường “return_channels” (procedures[4].versions[0].return_channels): phải có ít "
        "nhất một giá trị.",
    ),
    (
        "negative fee",
        _set(("fees", 1, "amount"), -5000),
        f"{NEW}, trường “amount” (procedures[4].versions[0].fees[1].amount): số tiền (đồng) không "
        "được âm (đang là -5000).",
    ),
    (
        "zero count",
        _set(("components", 0, "count"), 0),
        f"{NEW}, trường “count” (procedures[4].versions[0].components[0].count): số lượng phải từ 1 "
        "trở lên (đang là 0).",
    ),
    (
        "bad date",
        _set(("effective_from",), "31/02/2024"),
        f"{NEW}, trường “effective_from” (procedures[4].versions[0].effective_from): “31/02/2024” "
        "không phải là ngày hợp lệ (dạng YYYY-MM-DD).",
    ),
    (
        "zero processing time",
        _set(("processing_time", "value"), "0"),
        f"{NEW}, trường “value” (procedures[4].versions[0].processing_time.value): thời hạn phải "
        "lớn hơn 0 (đang là 0).",
    ),
    (
        "citizen as a step role",
        _set(("steps", 0, "role"), "citizen"),
        f"{NEW}, trường “role” (procedures[4].versions[0].steps[0].role): vai trò “citizen” không "
        "hợp lệ; giá trị được phép: desk_officer, specialist, division_head, department_leader, "
        "administrator.",
    ),
    (
        "unknown decision",
        _set(("decision",), "77/QĐ-UBND"),
        "Thủ tục “2.000001”, quyết định “77/QĐ-UBND”, trường “decision” "
        "(procedures[4].versions[0].decision): quyết định “77/QĐ-UBND” không có trong danh sách "
        "quyết định của tệp hay của hệ thống.",
    ),
    (
        "replaced_by unknown",
        lambda d: new_version(d).update(change="replaced", replaced_by="9.999999"),
        f"{NEW}, trường “replaced_by” (procedures[4].versions[0].replaced_by): thủ tục thay thế "
        "“9.999999” không có trong tệp hay trong hệ thống.",
    ),
    (
        "first version not announced",
        _set(("change",), "amended"),
        f"{NEW}, trường “change” (procedures[4].versions[0].change): phiên bản đầu tiên của thủ tục "
        "“2.000001” phải là “announced” (công bố mới), không phải “amended”.",
    ),
]


@pytest.mark.parametrize(
    "mutate, message", [c[1:] for c in JSON_CASES], ids=[c[0] for c in JSON_CASES]
)
def test_bad_json_is_rejected_with_a_precise_message(before, mutate, message):
    doc = bad_document()
    mutate(doc)
    assert reject(doc, before) == [message]


def test_bad_code_format(before):
    doc = bad_document()
    doc["procedures"][-1]["code"] = "1.5129"
    assert reject(doc, before) == [
        "Thủ tục “1.5129”, trường “code” (procedures[4].code): mã TTHC “1.5129” không đúng dạng: "
        "mã quốc gia d.dddddd (ví dụ 1.005129) hoặc mã địa phương LOCAL-<CƠ QUAN>-NNN "
        "(ví dụ LOCAL-STP-001)."
    ]


def test_duplicate_version_in_the_file(before):
    doc = bad_document()
    doc["procedures"][-1]["versions"].append(version("9/QĐ-UBND", "2024-04-01", change="amended"))
    assert reject(doc, before) == [
        "Thủ tục “2.000001”, quyết định “9/QĐ-UBND”, trường “decision” "
        "(procedures[4].versions[1].decision): thủ tục “2.000001” có hai phiên bản theo cùng quyết "
        "định “9/QĐ-UBND” (trùng phiên bản)."
    ]


def test_new_version_on_the_day_of_a_recorded_one(before):
    doc = bad_document()
    doc["procedures"][0]["versions"].append(
        version("9/QĐ-UBND", "2024-01-01", change="amended", name="Trùng ngày")
    )
    errors = reject(doc, before)
    assert errors == [
        "Thủ tục “2.001417”, quyết định “9/QĐ-UBND”, trường “effective_from” "
        "(procedures[0].versions[3].effective_from): thủ tục “2.001417” đã có phiên bản theo quyết "
        "định “2/QĐ-UBND” cùng ngày hiệu lực 01/01/2024."
    ]


def test_conflicting_decision_and_field(before):
    doc = bad_document()
    doc["decisions"][0]["title"] = "Trích yếu khác"
    doc["fields"][0]["name"] = "Lý lịch"
    errors = reject(doc, before)
    assert errors == [
        "Lĩnh vực “LLTP”, trường “name” (fields[0].name): lĩnh vực “LLTP” đã có trong hệ thống với "
        "tên “Lý lịch tư pháp”, khác với tên trong tệp “Lý lịch”.",
        "Quyết định “1/QĐ-UBND”, trường “title” (decisions[0].title): quyết định “1/QĐ-UBND” đã có "
        "trong hệ thống với trích yếu “Quyết định 1/QĐ-UBND công bố TTHC ngành Tư pháp (thử "
        "nghiệm)”, khác với tệp “Trích yếu khác”.",
    ]


def test_every_error_is_listed_at_once(before):
    doc = bad_document()
    new_version(doc)["level"] = "cao"
    new_version(doc)["fees"][0]["amount"] = -1
    new_version(doc)["components"][1]["form"] = "photo"
    doc["procedures"][1]["code"] = "3.33"
    assert len(reject(doc, before)) == 4


def test_missing_top_level_key_and_wrong_format(before):
    assert reject({"format": "khác", "fields": [], "decisions": []}, before) == [
        "trường “procedures” (procedures): thiếu khóa bắt buộc của tệp danh mục."
    ]
    doc = bad_document()
    doc["format"] = "motcua.catalogue/2"
    assert reject(doc, before) == [
        "trường “format” (format): phải là “motcua.catalogue/1”, không phải “motcua.catalogue/2”."
    ]


def test_broken_json_file(before, tmp_path):
    path = tmp_path / "hong.json"
    path.write_text('{"format": "motcua.catalogue/1",\n "fields": [}', encoding="utf-8")
    errors = reject(path, before)
    assert errors == ["Tệp JSON không hợp lệ ở dòng 2, cột 13: Expecting value."]


def test_unsupported_extension(before, tmp_path):
    path = tmp_path / "danh-muc.csv"
    path.write_text("a,b", encoding="utf-8")
    assert reject(path, before) == [
        "Tệp “danh-muc.csv” không được hỗ trợ: chỉ nhận tệp .json hoặc .xlsx theo định dạng danh mục."
    ]


# --- XLSX --------------------------------------------------------------------------------------


def xlsx_file(tmp_path, doc, edit) -> str:
    workbook = load_workbook(io.BytesIO(to_xlsx(doc)))
    edit(workbook)
    path = tmp_path / "danh-muc.xlsx"
    workbook.save(path)
    return path


def _column(sheet, header) -> int:
    return [c.value for c in sheet[1]].index(header) + 1


def _set_cell(title, header, value, row=None):
    """Set the cell of the new procedure's row (the last row) in `title`, or `row`."""

    def edit(workbook):
        sheet = workbook[title]
        target = row
        if target is None:
            code = _column(sheet, "Mã TTHC") if "Mã TTHC" in [c.value for c in sheet[1]] else 1
            target = max(
                r for r in range(2, sheet.max_row + 1) if sheet.cell(r, code).value == "2.000001"
            )
        sheet.cell(target, _column(sheet, header)).value = value

    return edit


def _last_row(title, code="2.000001"):
    return lambda wb: max(
        r for r in range(2, wb[title].max_row + 1) if wb[title].cell(r, 1).value == code
    )


XLSX_CASES = [
    (
        "wrong type in a cell",
        _set_cell("Phí, lệ phí", "Số tiền", "hai trăm"),
        "Trang “Phí, lệ phí”, dòng {row}, cột “Số tiền” (D): số tiền (đồng) phải là số nguyên, "
        "không phải “hai trăm”.",
        "Phí, lệ phí",
    ),
    (
        "negative fee",
        _set_cell("Phí, lệ phí", "Số tiền", -100),
        "Trang “Phí, lệ phí”, dòng {row}, cột “Số tiền” (D): số tiền (đồng) không được âm "
        "(đang là -100).",
        "Phí, lệ phí",
    ),
    (
        "unknown field",
        _set_cell("Thủ tục", "Lĩnh vực", "XYZ"),
        "Trang “Thủ tục”, dòng {row}, cột “Lĩnh vực” (H): lĩnh vực “XYZ” không có trong danh sách "
        "lĩnh vực của tệp hay của hệ thống.",
        "Thủ tục",
    ),
    (
        "unknown agency",
        _set_cell("Thủ tục", "Nơi tiếp nhận", "000.99.99.H27"),
        "Trang “Thủ tục”, dòng {row}, cột “Nơi tiếp nhận” (J): nơi tiếp nhận: không có đơn vị mã "
        "“000.99.99.H27” trong cơ cấu tổ chức (xem `motcua org units`).",
        "Thủ tục",
    ),
    (
        "bad channel",
        _set_cell("Thủ tục", "Kênh nộp", "desk; bồ câu"),
        "Trang “Thủ tục”, dòng {row}, cột “Kênh nộp” (N): kênh nộp “bồ câu” không hợp lệ; giá trị "
        "được phép: desk, online, post.",
        "Thủ tục",
    ),
    (
        "budgets do not add up",
        _set_cell("Quy trình nội bộ", "Số giờ", 10),
        "Trang “Thủ tục”, dòng {row}, cột “Thời hạn” (L): tổng số giờ của các bước quy trình nội bộ "
        "là 86 giờ, không bằng thời hạn giải quyết 80 giờ làm việc (10 ngày làm việc; 1 ngày làm "
        "việc = 8 giờ).",
        "Thủ tục",
    ),
    (
        "text in a number cell",
        _set_cell("Thủ tục", "Thời hạn", "mười"),
        "Trang “Thủ tục”, dòng {row}, cột “Thời hạn” (L): thời hạn “mười” không phải là số.",
        "Thủ tục",
    ),
]


@pytest.mark.parametrize(
    "edit, message, sheet", [c[1:] for c in XLSX_CASES], ids=[c[0] for c in XLSX_CASES]
)
def test_bad_xlsx_names_sheet_row_and_column(before, tmp_path, edit, message, sheet):
    doc = bad_document()
    row = _last_row(sheet)(load_workbook(io.BytesIO(to_xlsx(doc))))
    assert reject(xlsx_file(tmp_path, doc, edit), before) == [message.format(row=row)]


def test_bad_code_format_in_xlsx(before, tmp_path):
    doc = bad_document()
    doc["procedures"][-1]["versions"][0].update(fees=[], components=[], steps=[])
    wb = load_workbook(io.BytesIO(to_xlsx(doc)))
    row = _last_row("Thủ tục")(wb)
    errors = reject(
        xlsx_file(tmp_path, doc, _set_cell("Thủ tục", "Mã TTHC", "1.5129", row)), before
    )
    assert errors == [
        f"Trang “Thủ tục”, dòng {row}, cột “Mã TTHC” (A): mã TTHC “1.5129” không đúng dạng: mã quốc "
        "gia d.dddddd (ví dụ 1.005129) hoặc mã địa phương LOCAL-<CƠ QUAN>-NNN (ví dụ LOCAL-STP-001)."
    ]


def test_missing_column(before, tmp_path):
    def drop(workbook):
        workbook["Thủ tục"].delete_cols(_column(workbook["Thủ tục"], "Mức độ"))

    assert reject(xlsx_file(tmp_path, bad_document(), drop), before) == [
        "Trang “Thủ tục”, dòng 1: thiếu cột “Mức độ”."
    ]


def test_missing_sheet(before, tmp_path):
    def drop(workbook):
        del workbook["Quy trình nội bộ"]

    assert reject(xlsx_file(tmp_path, bad_document(), drop), before) == [
        "Thiếu trang “Quy trình nội bộ” (cần các cột: Mã TTHC, Quyết định, STT, Tên bước, Đơn vị, "
        "Vai trò, Số giờ)."
    ]


def test_duplicate_version_rows(before, tmp_path):
    doc = bad_document()

    def duplicate(workbook):
        sheet = workbook["Thủ tục"]
        sheet.append([c.value for c in sheet[sheet.max_row]])

    wb = load_workbook(io.BytesIO(to_xlsx(doc)))
    last = wb["Thủ tục"].max_row + 1
    assert reject(xlsx_file(tmp_path, doc, duplicate), before) == [
        f"Trang “Thủ tục”, dòng {last}, cột “Quyết định” (C): thủ tục “2.000001” đã có một dòng "
        "theo quyết định “9/QĐ-UBND” (trùng phiên bản)."
    ]


def test_row_for_a_version_not_in_the_procedures_sheet(before, tmp_path):
    def orphan(workbook):
        workbook["Phí, lệ phí"].append(["2.000001", "8/QĐ-UBND", "Lệ phí", 1000])

    wb = load_workbook(io.BytesIO(to_xlsx(bad_document())))
    row = wb["Phí, lệ phí"].max_row + 1
    assert reject(xlsx_file(tmp_path, bad_document(), orphan), before) == [
        f"Trang “Phí, lệ phí”, dòng {row}, cột “Mã TTHC” (A): không có dòng nào trong trang "
        "“Thủ tục” cho thủ tục “2.000001” theo quyết định “8/QĐ-UBND”."
    ]


def test_not_a_spreadsheet(before, tmp_path):
    path = tmp_path / "gia.xlsx"
    path.write_bytes(b"khong phai zip")
    assert reject(path, before) == [
        "Không đọc được tệp XLSX: tệp hỏng hoặc không phải bảng tính Excel (.xlsx)."
    ]


def test_json_file_with_errors_from_a_path(before, tmp_path):
    doc = bad_document()
    new_version(doc)["level"] = "cao"
    path = tmp_path / "danh-muc.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert reject(path, before) == [
        f"{NEW}, trường “level” (procedures[4].versions[0].level): mức độ “cao” không hợp lệ; giá "
        "trị được phép: toan_trinh, mot_phan, none."
    ]
