"""Loading a year's PAR criteria tree from its data file: a good file becomes the assessment, every
kind of bad file is refused with a Vietnamese message naming the node, and nothing changes."""

import copy
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError

from motcua.reform import services
from motcua.reform.models import ParAssessment, ParCriterion
from motcua.reform.services.par_load import par_data_file, par_file_parse
from tests.accounts.factories import UnitFactory

pytestmark = pytest.mark.django_db

GOOD = {
    "year": 2023,
    "source": {"decision": "Quyết định số 1/QĐ-UBND (tệp thử)", "url": "https://example.vn/1"},
    "period": {"from": "2023-01-01", "to": "2023-06-30"},
    "total_points": 10,
    "criteria": [
        {
            "code": "1",
            "title": "Cải cách thủ tục hành chính",
            "max_points": 6,
            "sum_children": True,
            "children": [
                {
                    "code": "1.1",
                    "title": "Tỷ lệ hồ sơ giải quyết đúng hạn",
                    "max_points": 4,
                    "evidence": "Báo cáo kết quả giải quyết TTHC",
                    "auto": "dossiers_on_time_pct",
                    "rule": {
                        "kind": "bands",
                        "bands": [
                            {"min": 100, "points": 4},
                            {"min": 95, "points": 2},
                            {"min": 0, "points": 0},
                        ],
                    },
                },
                {
                    "code": "1.2",
                    "title": "Tỷ lệ hồ sơ trực tuyến",
                    "max_points": 2,
                    "auto": "dossiers_online_pct",
                    "rule": {"kind": "proportional"},
                },
            ],
        },
        {
            "code": "2",
            "title": "Công tác chỉ đạo, điều hành",
            "max_points": 4,
            "children": [
                {"code": "2.1", "title": "Kế hoạch CCHC", "max_points": 2},
                {
                    "code": "2.2",
                    "title": "Thực hiện kế hoạch",
                    "max_points": 1,
                    "auto": "plan_tasks_on_time_pct",
                },
                {
                    "code": "2.3",
                    "title": "Rà soát văn bản",
                    "max_points": 1,
                    "auto": "legal_documents_checked",
                    "rule": {"kind": "any"},
                },
            ],
        },
    ],
}


def _bytes(data) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode()


def _load(data, unit, **kwargs):
    return services.par_tree_load(None, _bytes(data), unit=unit, **kwargs)


def _changed(data_change):
    data = copy.deepcopy(GOOD)
    data_change(data)
    return data


def test_a_good_file_becomes_the_assessment_with_its_tree():
    unit = UnitFactory()
    assessment = _load(GOOD, unit, year=2023)
    assert (assessment.year, assessment.unit, assessment.source) == (
        2023, unit, "Quyết định số 1/QĐ-UBND (tệp thử)",
    )  # fmt: skip
    assert str(assessment.period_to) == "2023-06-30"
    leaf = ParCriterion.objects.get(assessment=assessment, code="1.1")
    assert (leaf.parent.code, leaf.max_points, leaf.auto_key) == ("1", 4, "dossiers_on_time_pct")
    assert leaf.rule["bands"][0] == {"min": 100, "points": 4}
    assert leaf.evidence_required == "Báo cáo kết quả giải quyết TTHC"
    assert assessment.criteria.count() == 7


def _point(data, path):
    node = {"children": data["criteria"]}
    for index in path:
        node = node["children"][index]
    return node


BAD = [
    (lambda d: _point(d, [0, 1]).update(code="1.1"), "vị trí 1.2 (mã 1.1): mã tiêu chí trùng"),
    (lambda d: _point(d, [1, 0]).pop("max_points"), "vị trí 2.1 (mã 2.1): thiếu điểm tối đa"),
    (lambda d: _point(d, [0, 0]).update(max_points=3), "tổng điểm tối đa các tiêu chí con là 5"),
    (lambda d: _point(d, [1, 0]).update(max_points="hai"), "điểm tối đa phải là số"),
    (lambda d: _point(d, [1, 0]).update(max_points=1.255), "điểm tối đa phải là số"),
    (lambda d: _point(d, [1, 0]).pop("title"), "vị trí 2.1 (mã 2.1): thiếu tên tiêu chí"),
    (lambda d: _point(d, [1, 0]).pop("code"), "vị trí 2.1: thiếu mã tiêu chí"),
    (lambda d: _point(d, [1, 0]).update(max_point=2), "khoá không dùng được: max_point"),
    (lambda d: _point(d, [1, 1]).update(auto="ty_le_x"), "số liệu tự động «ty_le_x» không có"),
    (lambda d: _point(d, [1, 0]).update(rule={"kind": "any"}), "không có số liệu tự động"),
    (
        lambda d: _point(d, [0, 0])["rule"]["bands"][0].update(points=5),
        "mức 1 cho 5 điểm, vượt điểm tối đa 4",
    ),
    (
        lambda d: _point(d, [0, 0])["rule"]["bands"].reverse(),
        "min giảm dần",
    ),
    (lambda d: _point(d, [0]).update(auto="dossiers_online_pct"), "chỉ tiêu chí thành phần"),
    (lambda d: d.update(total_points=11), "các lĩnh vực cộng lại 10, khác 11"),
    (lambda d: d["source"].pop("decision"), "thiếu văn bản ban hành bộ tiêu chí"),
    (lambda d: d.update(year=1999), "Năm (year): phải là số năm"),
    (lambda d: d.update(criteria=[]), "phải là danh sách không rỗng"),
    (lambda d: d.update(period={"from": "2022-01-01", "to": "2023-01-01"}), "Kỳ số liệu"),
]


@pytest.mark.parametrize(("change", "message"), BAD, ids=[m for _, m in BAD])
def test_a_bad_file_is_refused_with_the_node_named_and_nothing_changes(change, message):
    unit = UnitFactory()
    with pytest.raises(ValidationError) as caught:
        _load(_changed(change), unit)
    assert any(message in m for m in caught.value.messages), caught.value.messages
    assert ParAssessment.objects.count() == 0 and ParCriterion.objects.count() == 0


def test_every_problem_of_a_file_is_listed_at_once():
    def two(d):
        _point(d, [1, 0]).pop("max_points")
        _point(d, [0, 1]).update(code="1.1")

    with pytest.raises(ValidationError) as caught:
        _load(_changed(two), UnitFactory())
    assert len(caught.value.messages) >= 2


def test_unofficial_nodes_may_lack_points_but_cannot_be_summed_or_scored():
    def unofficial(d):
        node = _point(d, [1, 0])
        node.pop("max_points")
        node["official"] = False

    assessment = _load(_changed(unofficial), UnitFactory())
    node = assessment.criteria.get(code="2.1")
    assert (node.max_points, node.official) == (None, False)
    with pytest.raises(ValidationError, match="chưa có điểm tối đa chính thức"):
        services.par_self_score(None, node.pk, score="1")

    def summed(d):
        unofficial(d)
        _point(d, [1])["sum_children"] = True

    with pytest.raises(ValidationError, match="2.1 chưa có điểm tối đa"):
        _load(_changed(summed), UnitFactory())


def test_not_json_a_second_load_and_a_wrong_year_are_refused():
    unit = UnitFactory()
    with pytest.raises(ValidationError, match="không đọc được dạng JSON"):
        services.par_tree_load(None, b"{ year: 2023", unit=unit)
    with pytest.raises(ValidationError, match="không phải năm 2022"):
        _load(GOOD, unit, year=2022)
    assert ParAssessment.objects.count() == 0
    _load(GOOD, unit)
    with pytest.raises(ValidationError, match="Đã có bộ chỉ số năm 2023"):
        _load(GOOD, unit)
    assert ParAssessment.objects.count() == 1 and ParCriterion.objects.count() == 7


def test_the_2023_file_names_its_source_and_marks_what_was_not_found():
    tree = par_file_parse(par_data_file(2023).read_bytes())
    assert tree.year == 2023 and "52/2019/QĐ-UBND" in tree.source
    assert "chưa có dữ liệu chính thức" in tree.source_note.lower()
    points = {node.code: node.max_points for node in tree.roots}
    assert points["A"] == 80 and points["B"] == 20  # 80 by criteria + 20 by survey (the source)
    autos = [c.auto for node in tree.roots for c in node.children if c.auto]
    assert sorted(autos) == sorted(
        [
            "dossiers_on_time_pct",
            "dossiers_online_pct",
            "plan_tasks_on_time_pct",
            "legal_documents_checked",
            "satisfaction_pct",
        ]
    )
    # Nothing whose points the source does not give claims to be official.
    for node in tree.roots:
        for child in node.children:
            assert child.official is False and child.max_points is None


def test_the_command_loads_checks_and_refuses_with_every_line(tmp_path, capsys):
    unit = UnitFactory(code="000.00.12.H27")
    bad = tmp_path / "bad.json"
    bad.write_bytes(_bytes(_changed(lambda d: _point(d, [0, 1]).update(code="1.1"))))
    with pytest.raises(CommandError, match="mã tiêu chí trùng"):
        call_command("reform", "par-load", "--year", "2023", "--unit", unit.code, "--file", bad)
    assert ParAssessment.objects.count() == 0
    call_command("reform", "par-load", "--year", "2023", "--unit", unit.code, "--check")
    assert "hợp lệ" in capsys.readouterr().out and ParAssessment.objects.count() == 0
    call_command("reform", "par-load", "--year", "2023", "--unit", unit.code)
    assert "Đã nạp bộ chỉ số năm 2023" in capsys.readouterr().out
    assessment = ParAssessment.objects.get()
    assert assessment.criteria.filter(official=False).count() == 14


def test_the_period_of_the_figures_can_be_narrowed_within_the_year():
    unit = UnitFactory(code="000.00.12.H27")
    args = ("reform", "par-load", "--year", "2023", "--unit", unit.code)
    with pytest.raises(CommandError, match="Kỳ số liệu phải nằm trong năm 2023"):
        call_command(*args, "--from", "2023-01-01", "--to", "2024-06-30")
    with pytest.raises(CommandError, match="Cần cả --from và --to"):
        call_command(*args, "--from", "2023-01-01")
    assert ParAssessment.objects.count() == 0
    call_command(*args, "--from", "2023-01-01", "--to", "2023-06-30")
    assessment = ParAssessment.objects.get()
    assert (str(assessment.period_from), str(assessment.period_to)) == ("2023-01-01", "2023-06-30")


def test_a_file_not_in_utf8_is_refused():
    with pytest.raises(ValidationError, match="không phải UTF-8"):
        services.par_tree_load(None, b'{"year": 2023, "title": "Quy\xe9t"}', unit=UnitFactory())
    assert ParAssessment.objects.count() == 0
