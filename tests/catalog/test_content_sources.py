"""Catalogue content with its sources (ADR 0033): a paper without its source, or a conditional
paper without its condition, is refused with its place named and nothing written; a certified copy
survives export → import; the blank forms come as PDF and DOCX from one description; the back office
marks a procedure with no official content."""

import io
import subprocess

import pytest
from django.urls import reverse

from motcua.catalog.blank_forms import FORMS, Choice, Line, blank_form_docx, blank_form_pdf
from motcua.catalog.exporting import to_xlsx
from motcua.catalog.models import ProcedureComponent, ProcedureVersion
from motcua.catalog.services import CatalogImportError, catalog_export, catalog_import

from .factories import document, make_units, version

pytestmark = pytest.mark.django_db


@pytest.fixture
def units():
    return make_units()


def _doc_with(**component_overrides):
    doc = document()
    doc["procedures"][0]["versions"][0]["components"][0].update(component_overrides)
    return doc


def test_json_component_without_source_is_refused_naming_the_place(units):
    doc = _doc_with(source="")
    with pytest.raises(CatalogImportError) as caught:
        catalog_import(None, doc)
    assert any(
        "Thủ tục “2.001417”, quyết định “1/QĐ-UBND”, trường “source” "
        "(procedures[0].versions[0].components[0].source): thiếu giá trị" in e
        for e in caught.value.errors
    )
    assert not ProcedureVersion.objects.exists()


def test_xlsx_component_without_source_is_refused_with_row_and_column(units, tmp_path):
    doc = document()
    doc["procedures"][0]["versions"][0]["components"][1]["source"] = None
    path = tmp_path / "danh-muc.xlsx"
    path.write_bytes(to_xlsx(doc))
    with pytest.raises(CatalogImportError) as caught:
        catalog_import(None, path)
    assert "Trang “Thành phần hồ sơ”, dòng 3, cột “Nguồn” (K): thiếu giá trị (bắt buộc)." in (
        caught.value.errors
    )
    assert not ProcedureComponent.objects.exists()


def test_xlsx_without_the_source_column_is_refused(units, tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "cu.xlsx"
    path.write_bytes(to_xlsx(document()))
    workbook = load_workbook(path)
    workbook["Thành phần hồ sơ"].delete_cols(11)
    workbook.save(path)
    with pytest.raises(CatalogImportError) as caught:
        catalog_import(None, path)
    assert caught.value.errors == ["Trang “Thành phần hồ sơ”, dòng 1: thiếu cột “Nguồn”."]


def test_conditional_paper_without_its_condition_is_refused(units):
    doc = _doc_with(mandatory=False, condition="")
    with pytest.raises(CatalogImportError) as caught:
        catalog_import(None, doc)
    assert any("phải ghi trường hợp phải nộp" in e for e in caught.value.errors)


def test_papers_without_a_content_source_are_refused(units):
    doc = document()
    doc["procedures"][0]["versions"][0]["content_source"] = ""
    with pytest.raises(CatalogImportError) as caught:
        catalog_import(None, doc)
    assert any("trường “content_source”" in e for e in caught.value.errors)


def test_certified_copy_and_sources_round_trip(units, tmp_path):
    doc = document(
        procedures=[
            {
                "code": "2.001417",
                "is_internal": False,
                "versions": [
                    version(
                        components=[
                            {
                                "name": "Bản sao có chứng thực giấy tờ tùy thân",
                                "form": "certified_copy",
                                "count": 1,
                                "mandatory": True,
                                "legal_basis": "Nghị định số 23/2015/NĐ-CP, Điều 17",
                                "source": "CSDL quốc gia về TTHC, thủ tục 2.000908",
                            }
                        ],
                    )
                ],
            }
        ]
    )
    catalog_import(None, doc)
    component = ProcedureComponent.objects.get()
    assert (component.form, component.certified, component.form_label) == (
        "copy",
        True,
        "Bản sao có chứng thực",
    )
    exported = catalog_export("json")
    assert b'"form": "certified_copy"' in exported
    path = tmp_path / "lai.json"
    path.write_bytes(exported)
    assert not catalog_import(None, path).changed
    xlsx = tmp_path / "lai.xlsx"
    xlsx.write_bytes(catalog_export("xlsx"))
    assert not catalog_import(None, xlsx).changed


def _labels(form) -> list[str]:
    return [
        item.label
        for part in form.sections
        for item in part.items
        if isinstance(item, Line | Choice) and item.label
    ]


@pytest.mark.parametrize("form", FORMS, ids=lambda f: f.slug)
def test_blank_form_pdf_and_docx_ask_the_same_things(form, tmp_path):
    from docx import Document

    pdf = tmp_path / "mau.pdf"
    pdf.write_bytes(blank_form_pdf(form))
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    flat = " ".join(text.split())
    docx_text = "\n".join(p.text for p in Document(io.BytesIO(blank_form_docx(form))).paragraphs)
    assert form.title in flat and form.title in docx_text
    for label in _labels(form):
        assert " ".join(label.split()) in flat, label
        assert label in docx_text, label
    assert "chưa đối chiếu" in docx_text and "chưa đối chiếu" in flat


def test_procedure_page_offers_its_forms_and_refuses_others(units, client):
    catalog_import(None, document())
    page = client.get(reverse("portal:procedure_detail", args=["2.001417"]))
    url = reverse("portal:procedure_blank_form", args=["2.001417", "lltp-03-2013", "pdf"])
    assert url in page.content.decode()
    response = client.get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    docx = client.get(
        reverse("portal:procedure_blank_form", args=["2.001417", "lltp-03-2013", "docx"])
    )
    assert docx.status_code == 200 and docx.content.startswith(b"PK")
    for args in (
        ["2.001417", "tgpl-don-yeu-cau", "pdf"],  # a form this procedure does not name
        ["2.001417", "lltp-03-2013", "exe"],
        ["9.999999", "lltp-03-2013", "pdf"],
    ):
        assert client.get(reverse("portal:procedure_blank_form", args=args)).status_code == 404


def test_back_office_marks_a_procedure_without_official_content(units, client, django_user_model):
    doc = document()
    doc["procedures"].append(
        {
            "code": "2.000829",
            "is_internal": False,
            "versions": [
                version(
                    name="Thủ tục chưa đối chiếu nguồn",
                    field="TGPL",
                    components=[],
                    content_source="",
                    steps=[],
                    process_source="",
                )
            ],
        }
    )
    catalog_import(None, doc)
    user = django_user_model.objects.create_user(username="cb", password="x", role="specialist")
    client.force_login(user)
    listing = client.get(reverse("backoffice:catalog_list")).content.decode()
    row = listing[listing.index("Thủ tục chưa đối chiếu nguồn") :][:300]
    assert "chưa có dữ liệu chính thức" in row
    detail = client.get(reverse("backoffice:catalog_detail", args=["2.000829"])).content.decode()
    assert "chưa có dữ liệu chính thức" in detail
    sourced = client.get(reverse("backoffice:catalog_detail", args=["2.001417"])).content.decode()
    assert "chưa có dữ liệu chính thức" not in sourced
    assert "Luật Lý lịch tư pháp 2009, Điều 45 khoản 1 điểm a" in sourced
