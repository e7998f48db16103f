"""The five procedures with the most dossiers in the demo data set, computed, and each either has
its online form or says why not (motcua/eforms/schemas/_top_procedures.json) — for the 2023
catalogue the dossiers were counted on, and for the procedure in force on today's demo site (the
judicial-record procedures were replaced on 01/07/2025: their successor's form counts)."""

import json

from motcua.demo import catalogue_rules
from motcua.eforms.schema import SCHEMA_DIR, schemas_load
from tests.catalog.factories import DEMO_DATA

TODAY = "2026-12-07"  # a day on today's demo site


def _catalogue() -> dict:
    return json.loads((DEMO_DATA / "catalogue.json").read_text(encoding="utf-8"))


def _version(doc: dict, code: str, decision: str) -> dict:
    procedure = next(p for p in doc["procedures"] if p["code"] == code)
    return next(v for v in procedure["versions"] if v["decision"] == decision)


def _today(doc: dict, code: str) -> tuple[str, str]:
    """(code, decision) in force today for a 2023 procedure: its latest version, or the one of the
    procedure that replaced it."""
    procedure = next(p for p in doc["procedures"] if p["code"] == code)
    latest = max(
        (v for v in procedure["versions"] if v["effective_from"] <= TODAY),
        key=lambda v: v["effective_from"],
    )
    if latest["change"] == "replaced":
        return _today(doc, latest["replaced_by"])
    assert latest["change"] != "repealed", code
    return code, latest["decision"]


def _form_matches(doc, shipped, eform: str, code: str, decision: str) -> None:
    schema = next(s for s in shipped.values() if s.file == eform)
    assert (schema.procedure_code, schema.decision) == (code, decision), eform
    templates = [c.get("template", "") for c in _version(doc, code, decision)["components"]]
    assert any(schema.form_code in t.split("; ") for t in templates), code


def test_the_top_five_are_those_the_note_lists_and_each_has_a_form_or_a_reason():
    doc = _catalogue()
    counts = catalogue_rules.h1_2023_dossier_counts(doc)
    top = sorted(counts, key=lambda code: -counts[code])[:5]
    note = json.loads((SCHEMA_DIR / "_top_procedures.json").read_text(encoding="utf-8"))
    listed = note["procedures"]
    assert [p["code"] for p in listed] == top
    assert [p["dossiers"] for p in listed] == [counts[c] for c in top]
    assert counts["LOCAL-STP-001"] / sum(counts.values()) > 0.75  # lý lịch tư pháp dominates
    shipped = schemas_load(SCHEMA_DIR)
    for item in listed:
        if item["eform"]:
            schema = next(s for s in shipped.values() if s.file == item["eform"])
            _form_matches(doc, shipped, item["eform"], item["code"], schema.decision)
        else:
            assert item["status"].startswith("chưa có dữ liệu")


def test_on_todays_site_each_of_the_five_has_its_successors_form_or_a_reason():
    doc = _catalogue()
    note = json.loads((SCHEMA_DIR / "_top_procedures.json").read_text(encoding="utf-8"))
    shipped = schemas_load(SCHEMA_DIR)
    for item in note["procedures"]:
        today = item["today"]
        assert (today["code"], today["decision"]) == _today(doc, item["code"]), item["code"]
        if today["eform"]:
            _form_matches(doc, shipped, today["eform"], today["code"], today["decision"])
        else:
            assert today["status"].startswith("chưa có dữ liệu")
    # The judicial-record request, 76 % of the dossiers, has its form on today's site too.
    assert note["procedures"][0]["today"]["eform"] == "3.000333.json"
