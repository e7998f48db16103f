"""When a procedure's fees are due is part of its catalogue version: imported and exported in JSON and
XLSX (docs/catalogue-format.md), validated, defaulting to "intake" for files written before."""

import io
import json

import pytest
from openpyxl import load_workbook

from motcua.catalog.importing import CatalogImportError
from motcua.catalog.models import ProcedureVersion
from motcua.catalog.services import catalog_export, catalog_import
from tests.catalog.factories import document, make_units, version


@pytest.fixture
def units(db):
    return make_units()


def _doc(fee_due):
    extra = {} if fee_due is None else {"fee_due": fee_due}
    return document(
        procedures=[{"code": "2.001417", "is_internal": False, "versions": [version(**extra)]}]
    )


def test_json_round_trip_keeps_fee_due(units, tmp_path):
    path = tmp_path / "c.json"
    path.write_text(json.dumps(_doc("result")), encoding="utf-8")
    catalog_import(None, path)
    assert ProcedureVersion.objects.get().fee_due == "result"
    exported = json.loads(catalog_export("json"))
    assert exported["procedures"][0]["versions"][0]["fee_due"] == "result"


def test_default_is_intake_and_is_not_written(units, tmp_path):
    path = tmp_path / "c.json"
    path.write_text(json.dumps(_doc(None)), encoding="utf-8")
    catalog_import(None, path)
    assert ProcedureVersion.objects.get().fee_due == "intake"
    assert "fee_due" not in json.loads(catalog_export("json"))["procedures"][0]["versions"][0]


def test_invalid_fee_due_is_refused_with_its_place(units, tmp_path):
    path = tmp_path / "c.json"
    path.write_text(json.dumps(_doc("later")), encoding="utf-8")
    with pytest.raises(CatalogImportError) as error:
        catalog_import(None, path)
    assert any("fee_due" in e and "thời điểm nộp phí" in e for e in error.value.errors)
    assert ProcedureVersion.objects.count() == 0


def test_changing_fee_due_of_a_recorded_version_is_refused(units, tmp_path):
    path = tmp_path / "c.json"
    path.write_text(json.dumps(_doc("intake")), encoding="utf-8")
    catalog_import(None, path)
    path.write_text(json.dumps(_doc("result")), encoding="utf-8")
    with pytest.raises(CatalogImportError) as error:
        catalog_import(None, path)
    assert any("thời điểm nộp phí" in e for e in error.value.errors)


def _fee_due_column(sheet) -> int:
    """The column of the fee's moment, found by its header (other columns may follow it)."""
    header = [c.value for c in sheet[1]]
    return header.index("Thời điểm nộp phí") + 1


def test_xlsx_column_round_trip_and_old_files_without_it(units, tmp_path):
    path = tmp_path / "c.json"
    path.write_text(json.dumps(_doc("supplement")), encoding="utf-8")
    catalog_import(None, path)
    content = catalog_export("xlsx")
    sheet = load_workbook(io.BytesIO(content))["Thủ tục"]
    assert sheet.cell(2, _fee_due_column(sheet)).value == "supplement"


def test_an_older_xlsx_without_the_column_imports_with_the_default(units, tmp_path):
    from motcua.catalog.exporting import to_xlsx

    book = load_workbook(io.BytesIO(to_xlsx(_doc(None))))
    sheet = book["Thủ tục"]
    sheet.delete_cols(_fee_due_column(sheet))
    buffer = io.BytesIO()
    book.save(buffer)
    old = tmp_path / "old.xlsx"
    old.write_bytes(buffer.getvalue())
    catalog_import(None, old)
    assert ProcedureVersion.objects.get().fee_due == "intake"


def test_a_bad_xlsx_value_names_sheet_row_and_column(units, tmp_path):
    from motcua.catalog.exporting import to_xlsx

    book = load_workbook(io.BytesIO(to_xlsx(_doc("result"))))
    sheet = book["Thủ tục"]
    sheet.cell(2, _fee_due_column(sheet)).value = "sau"
    buffer = io.BytesIO()
    book.save(buffer)
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(buffer.getvalue())
    with pytest.raises(CatalogImportError) as error:
        catalog_import(None, bad)
    assert any("Thời điểm nộp phí" in e and "dòng 2" in e for e in error.value.errors), (
        error.value.errors
    )
    assert ProcedureVersion.objects.count() == 0
