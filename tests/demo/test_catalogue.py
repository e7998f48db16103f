"""The demo catalogue (motcua/demo/data/catalogue.json) against docs/catalogue-format.md and the
seed's figures. The checks here are written independently of the generator where they can be."""

import csv
import json
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from motcua.demo import build_catalogue, catalogue_rules

DATA = Path(build_catalogue.__file__).resolve().parent / "data"
SHARED = Path(__file__).resolve().parents[3] / "shared"
CATALOGUE = json.loads((DATA / "catalogue.json").read_text(encoding="utf-8"))
UNITS = json.loads((DATA / "org_units.json").read_text(encoding="utf-8"))["units"]
UNIT_CODES = {u["code"] for u in UNITS}
BY_NAME = {u["name"]: u["code"] for u in UNITS}
SERVICE_CENTRE = BY_NAME["Trung tâm Phục vụ hành chính công tỉnh Hà Tĩnh"]
LEGAL_AID = BY_NAME["Trung tâm Trợ giúp pháp lý nhà nước tỉnh Hà Tĩnh"]
SO = BY_NAME["Sở Tư pháp tỉnh Hà Tĩnh"]
POLICE = BY_NAME["Công an tỉnh Hà Tĩnh"]


def sở_subtree() -> set[str]:
    codes = {SO}
    changed = True
    while changed:
        changed = False
        for u in UNITS:
            if u["parent"] in codes and u["code"] not in codes:
                codes.add(u["code"])
                changed = True
    return codes


def in_force(on: date):
    """Independent of catalogue_rules.in_force: latest version on or before `on`, if not ended."""
    for proc in CATALOGUE["procedures"]:
        started = [v for v in proc["versions"] if v["effective_from"] <= on.isoformat()]
        if started:
            current = max(started, key=lambda v: v["effective_from"])
            if current["change"] not in ("replaced", "repealed"):
                yield proc, current


def test_format_rules_hold():
    assert catalogue_rules.validate(CATALOGUE, UNIT_CODES) == []


def test_the_checker_catches_a_broken_budget_and_an_unknown_unit():
    broken = json.loads(json.dumps(CATALOGUE))
    version = next(v for p in broken["procedures"] for v in p["versions"] if v["steps"])
    version["steps"][0]["budget_hours"] = str(Decimal(version["steps"][0]["budget_hours"]) + 1)
    version["receiving_unit"] = "000.99.99.H27"
    errors = catalogue_rules.validate(broken, UNIT_CODES)
    assert any("tổng" in e for e in errors)
    assert any("000.99.99.H27" in e for e in errors)


def test_every_unit_code_referenced_exists_in_org_units():
    referenced = set()
    for proc in CATALOGUE["procedures"]:
        for v in proc["versions"]:
            referenced |= {v["competent_agency"], v["receiving_unit"]}
            referenced |= {s["unit"] for s in v["steps"] if s["unit"]}
    assert referenced <= UNIT_CODES


def test_budgets_sum_to_processing_time_in_working_hours():
    checked = 0
    for proc in CATALOGUE["procedures"]:
        for v in proc["versions"]:
            if not v["steps"]:
                continue
            per_unit = {"working_days": 8, "working_hours": 1}[v["processing_time"]["unit"]]
            expected = Decimal(v["processing_time"]["value"]) * per_unit
            assert sum(Decimal(s["budget_hours"]) for s in v["steps"]) == expected, proc["code"]
            checked += 1
    assert checked >= 15


def test_codes_are_national_or_clearly_local():
    for proc in CATALOGUE["procedures"]:
        assert re.fullmatch(r"\d\.\d{6}|LOCAL-STP-\d{3}", proc["code"]), proc["code"]


@pytest.mark.skipif(not (SHARED / "data").is_dir(), reason="../shared is not beside the checkout")
def test_no_invented_national_code():
    with open(SHARED / "data" / "doj_catalogue.csv", encoding="utf-8") as fh:
        known = {row["national_code"] for row in csv.DictReader(fh)}
    known.add("1.012019")  # the pre-2025 code of 3.000444 (doj_catalogue.md, caveat 3)
    national = {p["code"] for p in CATALOGUE["procedures"] if not p["code"].startswith("LOCAL")}
    assert national <= known


@pytest.mark.skipif(not (SHARED / "data").is_dir(), reason="../shared is not beside the checkout")
def test_generator_reproduces_the_committed_json(tmp_path):
    out = tmp_path / "catalogue.json"
    assert build_catalogue.main(["--shared", str(SHARED), "--output", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8")) == CATALOGUE


def test_h1_2023_shape_on_2023_03_01():
    public = [(p, v) for p, v in in_force(date(2023, 3, 1)) if not p["is_internal"]]
    at_centre = [v for _, v in public if v["receiving_unit"] == SERVICE_CENTRE]
    at_legal_aid = [v for _, v in public if v["receiving_unit"] == LEGAL_AID]
    assert (len(at_centre), len(at_legal_aid)) == (110, 12)
    assert {v["field"] for v in at_legal_aid} == {"TGPL"}
    assert sum(v["level"] == "toan_trinh" for v in at_centre) == 20
    assert sum(v["level"] == "mot_phan" for v in at_centre) == 90
    assert sum("post" in v["intake_channels"] for v in at_centre + at_legal_aid) == 14
    sở = [v for v in at_centre + at_legal_aid if v["competent_agency"] in sở_subtree()]
    assert len(sở) == 122
    lltp = [v for v in at_centre if v["field"] == "LLTP"]
    assert len(lltp) == 3 and all(v["competent_agency"] == SO for v in lltp)
    citizen = next(
        v for v in lltp if v["name"].startswith("Cấp Phiếu lý lịch tư pháp cho công dân")
    )
    assert citizen["processing_time"] == {"value": "10", "unit": "working_days"}
    fields = {v["field"] for v in at_centre}
    assert {"HT", "CT", "LS", "CC", "DGTS", "GDTP", "TPL", "TTTM", "HGTM", "QTV", "BTNN"} <= fields


def test_two_internal_procedures_by_decision_1106_of_17_may_2023():
    assert [p for p, _ in in_force(date(2023, 3, 1)) if p["is_internal"]] == []
    internal = [p for p, _ in in_force(date(2023, 6, 30)) if p["is_internal"]]
    assert len(internal) == 2
    assert all(p["versions"][0]["decision"] == "1106/QĐ-UBND" for p in internal)
    public = [p for p, _ in in_force(date(2023, 6, 30)) if not p["is_internal"]]
    assert (
        len(
            [p for p in public if p["versions"][0]["receiving_unit"] in (SERVICE_CENTRE, LEGAL_AID)]
        )
        == 122
    )


def test_internal_processes_for_the_main_procedures():
    with_steps = {p["code"] for p, v in in_force(date(2023, 3, 1)) if v["steps"]}
    assert {"LOCAL-STP-001", "LOCAL-STP-002", "LOCAL-STP-003"} <= with_steps
    assert len(with_steps) >= 15


def test_on_2026_11_01_judicial_records_are_with_the_police():
    current = list(in_force(date(2026, 11, 1)))
    sở = sở_subtree()
    assert [
        p["code"] for p, v in current if v["field"] == "LLTP" and v["competent_agency"] in sở
    ] == []
    police = {p["code"]: v for p, v in current if v["competent_agency"] == POLICE}
    assert set(police) == {"3.000333", "3.000334", "3.000335"}
    assert all(v["field"] == "LLTP" for v in police.values())
    assert not any(p["code"].startswith("LOCAL-STP-00") for p, _ in current)


def test_notary_procedures_renumbered_and_district_civil_status_at_communes():
    procs = {p["code"]: p for p in CATALOGUE["procedures"]}
    old = procs["1.012019"]["versions"][-1]
    assert (old["change"], old["replaced_by"], old["effective_from"]) == (
        "replaced", "3.000444", "2025-07-01",
    )  # fmt: skip
    replaced = [p for p in procs.values() if p["versions"][-1]["change"] == "replaced"]
    assert all(procs[p["versions"][-1]["replaced_by"]] for p in replaced)
    before = {p["code"] for p, v in in_force(date(2023, 3, 1)) if v["field"] == "CC"}
    after = {p["code"] for p, v in in_force(date(2026, 11, 1)) if v["field"] == "CC"}
    assert before and after and not (before & after)
    kinds = {u["code"]: u["kind"] for u in UNITS}
    ht_2023 = [
        v for _, v in in_force(date(2023, 3, 1)) if kinds[v["competent_agency"]] == "district"
    ]
    ht_2026 = [
        v for _, v in in_force(date(2026, 11, 1)) if kinds[v["competent_agency"]] == "district"
    ]
    assert ht_2023 and not ht_2026
    assert all(v["field"] == "HT" for v in ht_2023)


def test_decisions_without_a_known_number_say_they_are_demo_data():
    for decision in CATALOGUE["decisions"]:
        if decision["number"].startswith("DLM"):
            assert "(dữ liệu mẫu)" in decision["title"]


def test_a_paper_naming_an_unknown_source_is_refused_with_its_procedure():
    content = {
        "sources": {"KNOWN": "Nghị định số 144/2017/NĐ-CP, Điều 19"},
        "procedures": {
            "2.000518": {
                "content_source": "Nghị định số 144/2017/NĐ-CP",
                "components": [{"name": "Ảnh màu", "form": "original", "count": 2,
                                "mandatory": True, "source": "MISSING"}],
                "results": ["Quyết định"],
            }
        },
    }  # fmt: skip
    with pytest.raises(SystemExit, match="2.000518: giấy tờ “Ảnh màu” ghi nguồn không có"):
        build_catalogue.official("2.000518", content)
