"""`motcua catalog import | export | summary`: output, Vietnamese errors on stderr, exit status 1."""

import io
import json

import pytest
from django.core.management import call_command

from motcua.catalog.models import ProcedureVersion
from motcua.catalog.services import catalog_export

from .conftest import snapshot
from .factories import SO, history_document

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("catalog", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def catalogue_file(units, tmp_path):
    path = tmp_path / "danh-muc.json"
    path.write_text(json.dumps(history_document(), ensure_ascii=False), encoding="utf-8")
    return path


def test_import_then_import_again(catalogue_file):
    code, out, _ = run("import", str(catalogue_file))
    assert code == 0
    assert out.strip() == (
        "Đã nhập: 2 lĩnh vực, 5 quyết định, 4 thủ tục mới, 7 phiên bản mới; "
        "0 phiên bản đã có, giữ nguyên."
    )
    code, out, _ = run("import", str(catalogue_file))
    assert "0 phiên bản mới; 7 phiên bản đã có" in out


def test_bad_file_exits_1_with_vietnamese_errors_and_no_change(catalogue_file):
    run("import", str(catalogue_file))
    before = snapshot()
    doc = history_document()
    doc["procedures"][0]["versions"][0]["steps"][0]["budget_hours"] = "5"
    doc["procedures"][1]["versions"][0]["field"] = "KHONGCO"
    catalogue_file.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    code, out, err = run("import", str(catalogue_file))
    assert code == 1 and out == ""
    lines = err.strip().splitlines()
    assert lines[0] == "Tệp danh mục bị từ chối, chưa ghi gì (2 lỗi):"
    assert "procedures[0].versions[0].processing_time.value" in lines[1]
    assert "tổng số giờ của các bước quy trình nội bộ là 81 giờ" in lines[1]
    assert "lĩnh vực “KHONGCO” không có" in lines[2]
    assert snapshot() == before


def test_missing_file(units):
    code, _, err = run("import", "/khong/co/tep.json")
    assert code == 1
    assert "Không đọc được tệp “/khong/co/tep.json”" in err


def test_export_json_to_stdout_and_file(catalogue_file, tmp_path):
    run("import", str(catalogue_file))
    code, out, _ = run("export", "--format", "json")
    assert code == 0 and out.encode() == catalog_export("json")
    target = tmp_path / "ra.xlsx"
    code, _, _ = run("export", "--format", "xlsx", "--output", str(target))
    assert code == 0 and target.read_bytes()[:2] == b"PK"
    code, out, _ = run("export", "--format", "json", "--at", "2026-02-01", "--agency", SO)
    assert [p["code"] for p in json.loads(out)["procedures"]] == ["2.000977", "LOCAL-STP-091"]


def test_export_errors(catalogue_file):
    assert run("export", "--at", "01/02/2026")[0:3:2] == (
        1,
        "Lỗi: Ngày “01/02/2026” không hợp lệ: hãy viết dạng YYYY-MM-DD.\n",
    )
    code, _, err = run("export", "--agency", "000.99.99.H27")
    assert code == 1 and "Không có đơn vị mã “000.99.99.H27”" in err


def test_summary(catalogue_file):
    run("import", str(catalogue_file))
    code, out, _ = run("summary", "--at", "2023-06-01", "--agency", SO)
    assert code == 0
    assert out.splitlines() == [
        "Danh mục TTHC có hiệu lực ngày 01/06/2023 — đơn vị 000.00.12.H27 và các đơn vị trực thuộc",
        "Thủ tục công khai: 2",
        "Theo nơi tiếp nhận:",
        "  000.00.40.H27\tTrung tâm Phục vụ hành chính công tỉnh Hà Tĩnh\t1",
        "  000.06.12.H27\tTrung tâm Trợ giúp pháp lý nhà nước tỉnh Hà Tĩnh\t1",
        "Theo mức độ:",
        "  Toàn trình: 0",
        "  Một phần: 1",
        "  Không: 1",
        "Nhận hồ sơ qua bưu chính: 1",
        "TTHC nội bộ: 1",
    ]
    assert ProcedureVersion.objects.count() == 7
