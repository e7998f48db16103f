"""How much of the demo's H1/2023 volume belongs to procedures with real, sourced content (ADR 0033),
computed from the data files the demo loads: motcua/demo/data/catalogue.json and the dossier mix of
motcua/demo/dossiers.py."""

import json
import re
from datetime import date

import pytest

from motcua.catalog.blank_forms import forms_for
from motcua.demo import catalogue_rules
from motcua.demo.dossiers import TOTAL
from tests.catalog.factories import DEMO_DATA

DOC = json.loads((DEMO_DATA / "catalogue.json").read_text(encoding="utf-8"))
COUNTS = catalogue_rules.h1_2023_dossier_counts(DOC)
VERSIONS = {p["code"]: v for p, v in catalogue_rules.in_force(DOC, date(2023, 6, 30))}


def _share(codes) -> float:
    return sum(COUNTS[c] for c in codes) / TOTAL


def _complete() -> set[str]:
    return {
        code
        for code in COUNTS
        if catalogue_rules.content_complete(VERSIONS[code], has_form=lambda t: bool(forms_for(t)))
    }


def test_the_mix_is_the_demo_s_22128_dossiers_over_its_120_public_procedures():
    assert sum(COUNTS.values()) == TOTAL == 22_128
    assert len(COUNTS) == 122  # the seed's 122 public procedures (110 + 12)
    assert COUNTS["LOCAL-STP-001"] == 16_851  # judicial records for citizens: 76,2 %


def test_figures_of_official_content_as_measured():
    """The figures reported: which procedures have official content, and the share of dossiers."""
    official = {c for c in COUNTS if VERSIONS[c]["content_source"]}
    nationality = {"2.002039", "2.002038", "2.002036", "1.005136", "2.001895"}
    assert official == {
        "LOCAL-STP-001", "LOCAL-STP-002", "LOCAL-STP-003",
        "2.000635", "2.002516", "2.000908", "2.000829",
        "2.000596", "1.001233", "2.000954", "2.000840",
        "2.000587", "2.000518", "2.000977", "2.000970",
    } | nationality  # fmt: skip
    assert round(_share(official) * 100, 2) == 93.66
    assert _complete() == {
        "LOCAL-STP-001", "2.000635", "2.002516", "2.000829", "2.000596", "1.001233",
    } | nationality  # fmt: skip
    assert round(_share(_complete()) * 100, 2) == 86.41


def test_the_95_percent_bar_is_out_of_reach_of_the_issue_s_rule_as_announced():
    """Two procedures with 5,84 % of the dossiers cannot meet "≥ 2 papers and a blank form"
    without inventing: the agencies' judicial-record request is one paper by the Ministry's own
    procedure page (Mẫu số 05a/2013/TT-LLTP, 01 bản), and cấp bản sao từ sổ gốc prescribes no
    form. Even with every other procedure complete the share stays below 95 % (ADR 0033)."""
    agencies, from_register = VERSIONS["LOCAL-STP-002"], VERSIONS["2.000908"]
    assert [c["template"] for c in agencies["components"]] == ["Mẫu số 05a/2013/TT-LLTP"]
    assert "dulieuphaply.vn/?p=69736" in agencies["components"][0]["source"]
    assert "không có mẫu đơn, tờ khai" in from_register["content_source"]
    assert not any(c["template"] for c in from_register["components"])
    blocked = {"LOCAL-STP-002", "2.000908"}
    assert not any(_complete() & blocked)
    assert round((1 - _share(blocked)) * 100, 2) == 94.16 < 95


def test_no_procedure_without_sources_carries_papers():
    for code, version in VERSIONS.items():
        if not version["content_source"]:
            assert version["components"] == [], code
        for component in version["components"]:
            assert component["source"], (code, component["name"])


# A text issued after the half-year (2024-…, or Thông tư 10/2023/TT-BTP of 29/12/2023) cannot ground
# the papers of a version in force in H1/2023 (ADR 0033, amendments).
LATER_TEXT = re.compile(r"/202[4-9]/|10/2023/TT-BTP")


def test_papers_of_the_2023_versions_cite_no_text_issued_after_the_half_year():
    for code, version in VERSIONS.items():
        for component in version["components"]:
            for key in ("name", "template", "legal_basis"):
                assert not LATER_TEXT.search(component.get(key, "")), (code, key, component[key])


@pytest.mark.xfail(
    strict=True,
    reason="Not reachable under the issue's rule: 86,41 % of the H1/2023 dossiers belong to "
    "procedures with ≥ 2 sourced papers, a process and a blank form; the agencies' LLTP request "
    "(one paper as announced, 3,19 %) and cấp bản sao từ sổ gốc (no form prescribed, 2,66 %) cap "
    "the share at 94,16 % (test above). Still without content: 3 legal-aid (rút yêu cầu, thay đổi "
    "người thực hiện, khiếu nại), the luật sư and the smaller fields' procedures; the collaborator "
    "card procedures name Mẫu TP-TGPL-10/11, whose blank was not read.",
)
def test_at_least_95_percent_of_the_h1_2023_dossiers_have_complete_real_content():
    assert _share(_complete()) >= 0.95
