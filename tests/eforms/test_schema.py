"""Schema files: the shipped ones load; a bad one is refused when loaded with a message naming the
file and the field. Answers: each rule refuses with a clear message, and a refused submission
writes nothing."""

import copy
import json
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from motcua.eforms import schema as schemas
from motcua.eforms.schema import SCHEMA_DIR, SchemaError, schema_load, schemas_load

from .factories import answers

TODAY = date(2024, 5, 6)
LLTP = json.loads((SCHEMA_DIR / "LOCAL-STP-001.json").read_text(encoding="utf-8"))


def write(tmp_path, doc, name="LOCAL-STP-001.json"):
    path = tmp_path / name
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def lltp(change) -> dict:
    doc = copy.deepcopy(LLTP)
    change(doc)
    return doc


def test_the_shipped_schemas_load():
    loaded = schemas_load(SCHEMA_DIR)
    assert "LOCAL-STP-001@DLM-01/2022" in loaded
    schema = loaded["LOCAL-STP-001@DLM-01/2022"]
    keys = [f.key for f in schema.fields]
    assert len(keys) == len(set(keys))
    for key in (
        "full_name",
        "date_of_birth",
        "id_number",
        "father_name",
        "mother_name",
        "spouse_name",
        "residence",
        "purpose",
        "copies",
        "card_kind",
    ):
        assert key in keys  # fmt: skip


def _field(doc, key):
    return next(f for s in doc["sections"] for f in s["fields"] if f["key"] == key)


BAD_SCHEMAS = [
    (lambda d: _field(d, "purpose").pop("type"), "trường “purpose” (mục 4): thiếu kiểu (type)"),
    (
        lambda d: d["sections"][3]["fields"].append({"key": "purpose", "label": "Lặp", "type": "text"}),
        "trường “purpose” (mục 4): khóa trùng với một trường khác",
    ),
    (
        lambda d: d["sections"][1]["fields"].append({"key": "full_name", "label": "Lặp", "type": "text"}),
        "trường “full_name” (mục 2): khóa trùng",
    ),
    (lambda d: _field(d, "gender").update(type="tickbox"), "trường “gender” (mục 1): kiểu “tickbox” không có"),
    (lambda d: _field(d, "gender").update(options=["Nam"]), "trường “gender” (mục 1): trường chọn cần ít nhất hai"),
    (lambda d: _field(d, "copies").pop("max"), "trường “copies” (mục 4): số nguyên cần giới hạn"),
    (lambda d: _field(d, "phone").update(prefill="account.password"), "nguồn điền sẵn “account.password” không có"),
    (lambda d: _field(d, "residence")["columns"].pop(0), "trường “residence” (mục 3): hai cột đầu phải là"),
    (lambda d: _field(d, "nationality").pop("key"), "mục 1: trường “Quốc tịch” thiếu khóa (key)"),
    (lambda d: d["applicant"].update(citizen_id="cccd"), "“applicant.citizen_id” trỏ đến trường “cccd” không có"),
    (lambda d: d.pop("source"), "thiếu “source”"),
    (lambda d: d.update(format="motcua.eform/9"), "“format” phải là “motcua.eform/1”"),
]  # fmt: skip


@pytest.mark.parametrize(("change", "message"), BAD_SCHEMAS)
def test_a_bad_schema_is_refused_naming_the_file_and_field(tmp_path, change, message):
    path = write(tmp_path, lltp(change))
    with pytest.raises(SchemaError) as error:
        schema_load(path)
    assert str(error.value).startswith("LOCAL-STP-001.json: ")
    assert message in str(error.value)


def test_not_json_and_two_files_for_one_version_are_refused(tmp_path):
    (tmp_path / "hong.json").write_text("{", encoding="utf-8")
    with pytest.raises(SchemaError, match="hong.json: không đọc được tệp JSON"):
        schemas_load(tmp_path)
    (tmp_path / "hong.json").unlink()
    write(tmp_path, LLTP)
    write(tmp_path, LLTP, "LOCAL-STP-001-ban-2.json")
    with pytest.raises(
        SchemaError,
        match="LOCAL-STP-001.json: thủ tục LOCAL-STP-001, quyết định DLM-01/2022 đã có biểu mẫu trong LOCAL-STP-001-ban-2.json",
    ):
        schemas_load(tmp_path)


def test_a_bad_shipped_schema_stops_motcua_check(tmp_path, monkeypatch):
    write(tmp_path, lltp(lambda d: _field(d, "purpose").pop("type")))
    monkeypatch.setattr("motcua.eforms.checks.SCHEMA_DIR", tmp_path)
    with pytest.raises(SystemCheckError, match="eforms.E001.*thiếu kiểu"):
        call_command("check")


# --- answers -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def schema():
    return schemas.shipped_schemas()["LOCAL-STP-001@DLM-01/2022"]


def test_complete_answers_pass(schema):
    cleaned, errors = schema.validate(
        answers(full_name="Nguyễn Thị Hương", phone="+84 912 345 678"), TODAY
    )
    assert errors == {}
    assert cleaned["full_name"] == "NGUYỄN THỊ HƯƠNG" and cleaned["phone"] == "0912345678"


def _row(start, end, place="Hà Tĩnh"):
    return {"from": start, "to": end, "place": place, "occupation": ""}


BAD_ANSWERS = [
    ({"purpose": ""}, "purpose", "Hãy nhập “Mục đích sử dụng Phiếu”."),
    ({"gender": ""}, "gender", "Hãy nhập “Giới tính”."),
    ({"date_of_birth": "1990-03-05"}, "date_of_birth", "ghi ngày theo dạng ngày/tháng/năm"),
    ({"date_of_birth": "5/3/1990"}, "date_of_birth", "ghi ngày theo dạng ngày/tháng/năm"),
    ({"date_of_birth": "30/02/1990"}, "date_of_birth", "ngày 30/02/1990 không có trên lịch"),
    ({"id_issued_on": "07/05/2024"}, "id_issued_on", "ngày 07/05/2024 chưa đến"),
    ({"id_number": "04219000123"}, "id_number", "số định danh cá nhân gồm đúng 12 chữ số"),
    ({"id_number": "04219000123a"}, "id_number", "gồm đúng 12 chữ số"),
    ({"id_number": "999190001234"}, "id_number", "không phải mã tỉnh"),
    ({"id_number": "042185001234"}, "id_number", "không khớp với ngày sinh 05/03/1990"),
    ({"phone": "091234567"}, "phone", "số điện thoại gồm 10 chữ số"),
    ({"phone": "abc"}, "phone", "số điện thoại gồm 10 chữ số"),
    ({"email": "huong@"}, "email", "địa chỉ thư điện tử không hợp lệ"),
    ({"gender": "Khác"}, "gender", "hãy chọn một trong các mục đã cho"),
    ({"copies": "0"}, "copies", "từ 1 đến 10"),
    ({"copies": "11"}, "copies", "từ 1 đến 10"),
    ({"copies": "hai"}, "copies", "hãy nhập một số nguyên"),
    ({"purpose": "x" * 201}, "purpose", "tối đa 200 ký tự"),
    ({"residence": []}, "residence", "Hãy khai ít nhất một dòng"),
    ({"residence": [_row("01/01/2010", "")]}, "residence.1.to", "Hãy nhập “Đến ngày” ở dòng 1"),
    ({"residence": [_row("01/01/2010", "31/12/2012", "")]}, "residence.1.place", "Hãy nhập “Nơi thường trú/tạm trú” ở dòng 1"),
    ({"residence": [_row("2010", "31/12/2012")]}, "residence.1.from", "ghi ngày theo dạng ngày/tháng/năm"),
    ({"residence": [_row("01/01/2013", "31/12/2012")]}, "residence.1.to", "Dòng 1: “Đến ngày” phải sau “Từ ngày”"),
    ({"residence": [_row("01/01/2010", "01/06/2024")]}, "residence.1.to", "chưa đến"),
    (
        {"residence": [_row("01/01/2013", "31/12/2015"), _row("01/01/2010", "31/12/2012")]},
        "residence.2.from", "Dòng 2 bắt đầu trước dòng 1",
    ),
    (
        {"residence": [_row("01/01/2010", "31/12/2013"), _row("01/06/2013", "31/12/2015")]},
        "residence.2.from", "Dòng 2 trùng thời gian với dòng 1",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("change", "key", "message"), BAD_ANSWERS)
def test_each_rule_refuses_with_a_clear_message(schema, change, key, message):
    _, errors = schema.validate(answers(**change), TODAY)
    assert set(errors) == {key}, errors
    assert message in errors[key]


def test_blank_residence_rows_are_dropped_and_touching_periods_pass(schema):
    rows = [_row("01/01/2010", "31/12/2012"), _row("", "", ""), _row("31/12/2012", "01/05/2024")]
    cleaned, errors = schema.validate(answers(residence=rows), TODAY)
    assert errors == {} and len(cleaned["residence"]) == 2


def test_a_draft_check_flags_malformed_values_only(schema):
    _, errors = schema.validate(
        {"date_of_birth": "1990", "residence": [_row("01/01/2010", "")]}, TODAY, partial=True
    )
    assert set(errors) == {"date_of_birth"}
