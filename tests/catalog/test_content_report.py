"""The content report `motcua catalog export` writes on stderr (ADR 0033): official vs "chưa có dữ
liệu chính thức", the rules each procedure misses, and the share of the dossiers."""

import copy
import json

import pytest

from motcua.catalog.content_report import content_report, missing_rules, report_lines

from .factories import document, version
from .test_cli import run

COMPLETE = version()  # two sourced papers, 80 h of steps for 10 days, Mẫu số 03/2013/TT-LLTP


def _without(**changes) -> dict:
    v = copy.deepcopy(COMPLETE)
    v.update(changes)
    return v


def test_a_version_with_sourced_papers_a_process_and_a_form_is_complete():
    assert missing_rules(COMPLETE) == []


@pytest.mark.parametrize(
    ("changes", "missing"),
    [
        ({"content_source": "", "components": []}, ["chưa có dữ liệu chính thức"]),
        ({"components": COMPLETE["components"][:1]}, ["chỉ 1 giấy tờ (cần ít nhất 2)"]),
        ({"steps": []}, ["chưa có quy trình nội bộ"]),
        (
            {"processing_time": {"value": "11", "unit": "working_days"}},
            ["tổng thời gian các bước khác thời hạn giải quyết"],
        ),
        (
            {"components": [dict(c, template="") for c in COMPLETE["components"]]},
            ["không có mẫu đơn, tờ khai tải về"],
        ),
        (
            {
                "components": [
                    dict(c, template="Mẫu không có trong Một Cửa") for c in COMPLETE["components"]
                ]
            },
            ["không có mẫu đơn, tờ khai tải về"],
        ),
    ],
)
def test_each_missing_rule_is_named(changes, missing):
    assert missing_rules(_without(**changes)) == missing


def test_report_counts_official_and_not_found_and_the_share_of_dossiers():
    doc = document(
        procedures=[
            {"code": "2.000001", "is_internal": False, "versions": [COMPLETE]},
            {"code": "2.000002", "is_internal": False, "versions": [_without(steps=[])]},
            {
                "code": "2.000003",
                "is_internal": False,
                "versions": [_without(content_source="", components=[])],
            },
            {"code": "2.000004", "is_internal": True, "versions": [COMPLETE]},
        ]
    )
    report = content_report(doc, {"2.000001": 843, "2.000002": 100, "2.000003": 57})
    assert [r.code for r in report.official] == ["2.000001", "2.000002"]
    assert [r.code for r in report.complete] == ["2.000001"]
    lines = report_lines(report)
    assert "  Thủ tục công khai: 3" in lines
    assert "  Có nội dung chính thức (ghi nguồn): 2" in lines
    assert "  Đánh dấu “chưa có dữ liệu chính thức”: 1" in lines
    assert "    thuộc thủ tục có nội dung chính thức: 94,30 %" in lines
    assert "    thuộc thủ tục có nội dung đầy đủ: 84,30 %" in lines
    assert any(
        line.startswith("  2.000002\t100 hồ sơ") and "thiếu: chưa có quy trình nội bộ" in line
        for line in lines
    )


@pytest.mark.django_db
def test_export_writes_the_report_on_stderr_and_an_importable_file_on_stdout(units, tmp_path):
    path = tmp_path / "danh-muc.json"
    doc = document(
        procedures=[
            {"code": "2.001417", "is_internal": False, "versions": [COMPLETE]},
            {
                "code": "2.000003",
                "is_internal": False,
                "versions": [_without(content_source="", components=[])],
            },
        ]
    )
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    assert run("import", str(path))[0] == 0
    code, out, err = run("export", "--format", "json", "--at", "2023-06-30")
    assert code == 0
    assert json.loads(out)["format"] == "motcua.catalogue/1"  # stdout: the file only
    assert "Đánh dấu “chưa có dữ liệu chính thức”: 1" in err
    assert "Đầy đủ (≥ 2 giấy tờ có nguồn, quy trình khớp thời hạn, mẫu tải về): 1" in err
    assert "2.001417\t0 hồ sơ\t2 giấy tờ có nguồn\tquy trình\tMẫu số 03/2013/TT-LLTP\tđầy đủ" in err
