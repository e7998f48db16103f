"""The five procedures with the most dossiers in the demo data set, computed, and each either has
its online form or says why not (motcua/eforms/schemas/_top_procedures.json)."""

import json

from motcua.demo import catalogue_rules
from motcua.eforms.schema import SCHEMA_DIR, schemas_load
from tests.catalog.factories import DEMO_DATA


def test_the_top_five_are_those_the_note_lists_and_each_has_a_form_or_a_reason():
    doc = json.loads((DEMO_DATA / "catalogue.json").read_text(encoding="utf-8"))
    counts = catalogue_rules.h1_2023_dossier_counts(doc)
    top = sorted(counts, key=lambda code: -counts[code])[:5]
    note = json.loads((SCHEMA_DIR / "_top_procedures.json").read_text(encoding="utf-8"))
    listed = note["procedures"]
    assert [p["code"] for p in listed] == top
    assert [p["dossiers"] for p in listed] == [counts[c] for c in top]
    assert counts["LOCAL-STP-001"] / sum(counts.values()) > 0.75  # lý lịch tư pháp dominates
    shipped = schemas_load(SCHEMA_DIR)
    versions = {p["code"]: {v["decision"] for v in p["versions"]} for p in doc["procedures"]}
    for item in listed:
        if item["eform"]:
            schema = next(s for s in shipped.values() if s.file == item["eform"])
            assert schema.procedure_code == item["code"]
            assert schema.decision in versions[item["code"]]
            version = next(
                v
                for p in doc["procedures"]
                if p["code"] == item["code"]
                for v in p["versions"]
                if v["decision"] == schema.decision
            )
            templates = [c.get("template", "") for c in version["components"]]
            assert any(schema.form_code in t.split("; ") for t in templates), item["code"]
        else:
            assert item["status"].startswith("chưa có dữ liệu")
