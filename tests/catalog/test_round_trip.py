"""Export → import → export is identical (JSON bytes, XLSX cells); importing twice changes nothing."""

import io
import json
from datetime import date

import pytest
from django.db import connection
from openpyxl import load_workbook

from motcua.catalog.models import (
    Decision,
    Field,
    Procedure,
    ProcedureComponent,
    ProcedureFee,
    ProcedureVersion,
    ProcessStep,
)
from motcua.catalog.selectors import catalog_summary
from motcua.catalog.services import catalog_export, catalog_import

from .conftest import snapshot
from .factories import DEMO_DATA, SO, history_document, make_demo_units

pytestmark = pytest.mark.django_db
MODELS = (
    Field,
    Decision,
    Procedure,
    ProcedureVersion,
    ProcedureFee,
    ProcedureComponent,
    ProcessStep,
)


def _wipe():
    with connection.cursor() as cursor:
        for model in reversed(MODELS):
            cursor.execute(f"DELETE FROM {model._meta.db_table}")


def _cells(data: bytes) -> dict:
    workbook = load_workbook(io.BytesIO(data))
    return {
        sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)]
        for sheet in workbook.worksheets
    }


def test_json_round_trip_is_byte_identical(units, tmp_path):
    catalog_import(None, history_document())
    first = catalog_export("json")
    _wipe()
    assert Procedure.objects.count() == 0
    path = tmp_path / "danh-muc.json"
    path.write_bytes(first)
    catalog_import(None, path)
    assert catalog_export("json") == first
    assert json.loads(first)["procedures"][0]["code"] == "2.000977"  # ordered by code


def test_xlsx_round_trip_has_identical_cells(units, tmp_path):
    catalog_import(None, history_document())
    json_before = catalog_export("json")
    first = catalog_export("xlsx")
    _wipe()
    path = tmp_path / "danh-muc.xlsx"
    path.write_bytes(first)
    catalog_import(None, path)
    second = catalog_export("xlsx")
    assert _cells(second) == _cells(first)
    assert catalog_export("json") == json_before
    cells = _cells(first)
    assert cells["Thủ tục"][0][:3] == ["Mã TTHC", "Nội bộ", "Quyết định"]
    # Decimals survive as numbers: the 35.5-hour step of the amended version.
    assert any(row[-1] == 35.5 for row in cells["Quy trình nội bộ"][1:])


def test_importing_the_same_file_twice_changes_nothing(units):
    first = catalog_import(None, history_document())
    assert first.versions_created == 7 and first.changed
    before = snapshot()
    again = catalog_import(None, history_document())
    assert not again.changed
    assert again.versions_unchanged == 7
    assert snapshot() == before


def test_export_at_a_date_keeps_only_the_versions_in_force(units):
    catalog_import(None, history_document())
    doc = json.loads(catalog_export("json", at=date(2025, 8, 1)))
    assert [(p["code"], [v["decision"] for v in p["versions"]]) for p in doc["procedures"]] == [
        ("2.000977", ["1/QĐ-UBND"]),
        ("3.000333", ["3/QĐ-UBND"]),
        ("LOCAL-STP-091", ["1106/QĐ-UBND"]),
    ]
    assert {d["number"] for d in doc["decisions"]} == {"1/QĐ-UBND", "3/QĐ-UBND", "1106/QĐ-UBND"}


def test_export_for_an_agency_follows_replacements(units):
    catalog_import(None, history_document())
    doc = json.loads(catalog_export("json", agency=SO))
    # 3.000333 belongs to the police but replaces the Sở's 2.001417: it comes along.
    assert [p["code"] for p in doc["procedures"]] == [
        "2.000977",
        "2.001417",
        "3.000333",
        "LOCAL-STP-091",
    ]


def test_demo_catalogue_round_trip_and_seed_counts(db, tmp_path):
    make_demo_units()
    source = json.loads((DEMO_DATA / "catalogue.json").read_text(encoding="utf-8"))
    catalog_import(None, DEMO_DATA / "catalogue.json")
    first = catalog_export("json")
    assert json.loads(first)["procedures"] == sorted(source["procedures"], key=lambda p: p["code"])
    xlsx = catalog_export("xlsx")
    _wipe()
    (tmp_path / "demo.xlsx").write_bytes(xlsx)
    catalog_import(None, tmp_path / "demo.xlsx")
    assert catalog_export("json") == first
    assert not catalog_import(None, DEMO_DATA / "catalogue.json").changed

    h1 = catalog_summary(date(2023, 3, 1), agency=SO)
    assert (h1.public, h1.postal_intake, h1.internal) == (122, 14, 0)
    assert [(code, n) for code, _, n in h1.by_receiving_unit] == [
        ("000.00.40.H27", 110),
        ("000.06.12.H27", 12),
    ]
    assert h1.by_level == {"toan_trinh": 20, "mot_phan": 90, "none": 12}
    assert catalog_summary(date(2023, 6, 30), agency=SO).internal == 2
    assert catalog_summary(date(2026, 11, 1), agency=SO).public == 152
