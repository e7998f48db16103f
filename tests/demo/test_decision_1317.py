"""QĐ 1317/QĐ-UBND of 08/6/2023 (the seed's footnote 10: 17 procedures and their internal processes)
was searched for and not found (ADR 0033, amendment of 8 December 2026). These tests keep the demo
catalogue honest about it until the decision's list is read from a source: no procedure is
attributed to it, and every internal process stays marked as derived by the written rule."""

import json
from pathlib import Path

from motcua.demo import build_catalogue

CATALOGUE = json.loads(
    (Path(build_catalogue.__file__).resolve().parent / "data" / "catalogue.json").read_text(
        encoding="utf-8"
    )
)


def all_versions():
    for procedure in CATALOGUE["procedures"]:
        for version in procedure["versions"]:
            yield procedure["code"], version


def test_no_procedure_is_attributed_to_1317_without_its_published_list():
    # Attributing procedures to it would need the decision's annex (which 17, new / amended /
    # repealed); picking them from the four fields it names would be inventing the list.
    numbers = {d["number"] for d in CATALOGUE["decisions"]}
    assert "1317/QĐ-UBND" not in numbers
    assert [code for code, v in all_versions() if v["decision"] == "1317/QĐ-UBND"] == []


def test_every_internal_process_is_marked_derived_and_says_how():
    # No Hà Tĩnh quy trình nội bộ decision was found, so no process may pass for a published one.
    with_steps = [(code, v) for code, v in all_versions() if v.get("steps")]
    assert with_steps
    not_marked = [
        code for code, v in with_steps if not (v["process_derived"] and v["process_source"])
    ]
    assert not_marked == []
