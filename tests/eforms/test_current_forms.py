"""The forms added after the first two: the judicial-record request in force today (3.000333,
announced by DLM-02/2025 when lý lịch tư pháp moved to Công an tỉnh; Mẫu số 01/2025/LLTP) and the
civil-status confirmation (2.002516, Tờ khai đề nghị xác nhận thông tin hộ tịch). Each: the
demo's version has its form, the citizen fills it and the dossier carries the answers and a PDF
that contains them, and a bad answer is refused in Vietnamese with nothing saved.

And the reason for the first: on today's demo site (the demo's whole catalogue, a day after
01/07/2025) the procedure with most dossiers is offered its online form."""

import json
import subprocess

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from motcua.catalog.selectors import version_in_force
from motcua.catalog.services import catalog_import
from motcua.demo import catalogue_rules
from motcua.documents.models import ComponentFile, StoredFile
from motcua.documents.services import stored_file_bytes
from motcua.dossiers.models import Dossier
from motcua.eforms import services
from motcua.eforms.checks import eform_schemas_check
from motcua.eforms.models import EformSubmission
from motcua.eforms.panels import dossier_panel
from motcua.eforms.schema import SCHEMA_DIR, schemas_load
from motcua.eforms.selectors import schema_for_version
from tests.catalog.factories import DEMO_DATA, make_demo_units
from tests.dossiers.test_services import at
from tests.portal.factories import citizen, png_upload

from .factories import (
    CIVIL_STATUS_CONFIRMATION,
    LLTP_TODAY,
    confirmation_answers,
    demo_version_document,
    lltp_today_answers,
)

TODAY = "2026-12-07T10:00"  # a day on today's demo site, after the 2025 catalogue change

# code, decision, complete answers, an upload for each other mandatory paper (by order), what the
# PDF must contain, a mandatory field, a date field, a text field
FORMS = {
    "lltp-2025": (
        *LLTP_TODAY,
        lltp_today_answers,
        {2: [png_upload]},
        ("Mẫu số 01/2025/LLTP", "Công an tỉnh Hà Tĩnh", "NGUYỄN THỊ HƯƠNG", "042190001234",
         "Kinh", "NGUYỄN VĂN AN", "Phường Bến Thủy", "Bổ sung hồ sơ xin việc"),
        "ethnicity",
        "id_issued_on",
        "place_of_birth",
    ),
    "xac-nhan-ho-tich": (
        *CIVIL_STATUS_CONFIRMATION,
        confirmation_answers,
        {2: [png_upload], 3: [png_upload]},
        ("TỜ KHAI ĐỀ NGHỊ XÁC NHẬN THÔNG TIN HỘ TỊCH", "NGUYỄN THỊ HƯƠNG", "042190001234",
         "Con đẻ", "NGUYỄN VĂN AN", "01/01/1960", "đăng ký khai sinh tại UBND xã Cẩm Xuyên",
         "Bổ sung hồ sơ hưởng chế độ người có công"),
        "content",
        "subject_birth_date",
        "reason",
    ),
}  # fmt: skip


@pytest.fixture(params=sorted(FORMS))
def form(request, desk):
    code, decision, fill, uploads, printed, mandatory, a_date, a_text = FORMS[request.param]
    catalog_import(None, demo_version_document(code, decision))
    with time_machine.travel(at(TODAY), tick=False):
        yield {
            "code": code,
            "decision": decision,
            "fill": fill,
            "uploads": uploads,
            "printed": printed,
            "mandatory": mandatory,
            "date": a_date,
            "text": a_text,
            "user": citizen(),
        }


def _draft(form, **overrides):
    user = form["user"]
    draft = services.eform_start(user, version_in_force(form["code"]))
    uploads = {order: [make() for make in makers] for order, makers in form["uploads"].items()}
    services.eform_draft_save(
        user, draft.pk, form["fill"](**overrides), return_channel="desk", uploads=uploads
    )
    draft.refresh_from_db()
    return draft


def _pdf_text(stored_file, tmp_path) -> str:
    pdf = tmp_path / "to-khai.pdf"
    pdf.write_bytes(stored_file_bytes(stored_file))
    out = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True)
    return " ".join(out.stdout.split())


def test_the_new_schema_files_pass_the_system_check():
    assert eform_schemas_check() == []  # eforms.E001 loads every shipped file
    loaded = schemas_load(SCHEMA_DIR)
    for code, decision, *_ in FORMS.values():
        assert f"{code}@{decision}" in loaded


def test_the_version_has_its_form_bound_to_its_declaration(form):
    version = version_in_force(form["code"])
    schema = schema_for_version(version)
    assert schema is not None and schema.key == f"{form['code']}@{form['decision']}"
    declaration = services.declaration_component(schema, version)
    assert declaration is not None and declaration.order == 1 and declaration.mandatory
    assert schema.notes  # what was not confirmed from the source is said


def test_prefilled_filled_submitted_with_the_pdf_and_the_fields(form, tmp_path, rf):
    user = form["user"]
    started = services.eform_start(user, version_in_force(form["code"]))
    assert started.answers["full_name"] == "Nguyễn Thị Hương"
    assert started.answers["id_number"] == "042190001234"
    dossier = services.eform_submit(user, _draft(form).pk)
    assert (dossier.status, dossier.channel) == ("submitted_online", "online")
    assert dossier.applicant_name == "NGUYỄN THỊ HƯƠNG" and dossier.contact_phone == "0912345678"
    declaration = ComponentFile.objects.get(component__dossier=dossier, component__order=1)
    assert declaration.stored_file.kind == "pdf"
    text = _pdf_text(declaration.stored_file, tmp_path)
    for expected in form["printed"]:
        assert expected in text, expected
    assert "0912345678" not in text  # asked for notices, not printed
    submission = EformSubmission.objects.get(dossier=dossier)
    assert submission.declaration == declaration
    assert submission.schema_key == f"{form['code']}@{form['decision']}"
    # The desk reads the fields, by section, with the form's labels.
    panel = dossier_panel(rf.get("/"), dossier)
    first = panel.context["sections"][0]["items"]
    assert any(i.get("value") == "NGUYỄN THỊ HƯƠNG" for i in first)


def _refused(form, change: dict, key: str, message: str):
    draft = _draft(form, **change)
    before, stored = draft.answers, StoredFile.objects.count()
    with pytest.raises(ValidationError) as error:
        services.eform_submit(form["user"], draft.pk)
    assert message in error.value.message_dict[key][0], error.value.message_dict
    draft.refresh_from_db()
    assert draft.answers == before and draft.dossier is None
    assert not Dossier.objects.exists() and not EformSubmission.objects.exists()
    assert StoredFile.objects.count() == stored  # no PDF was made


def test_a_missing_mandatory_field_is_refused(form):
    _refused(form, {form["mandatory"]: ""}, form["mandatory"], "Hãy nhập")


def test_a_wrong_date_is_refused(form):
    _refused(form, {form["date"]: "31/02/1990"}, form["date"], "không có trên lịch")


def test_a_date_in_another_shape_is_refused(form):
    _refused(form, {form["date"]: "1990-02-01"}, form["date"], "ghi ngày theo dạng ngày/tháng/năm")


def test_a_too_long_text_is_refused(form):
    _refused(form, {form["text"]: "x" * 201}, form["text"], "tối đa 200 ký tự")


# --- today's demo site ---------------------------------------------------------------------------


def _successor_today(doc: dict, code: str, today: str) -> str:
    """The procedure a 2023 procedure became: itself if still in force, else its replacement."""
    procedure = next(p for p in doc["procedures"] if p["code"] == code)
    latest = max(
        (v for v in procedure["versions"] if v["effective_from"] <= today),
        key=lambda v: v["effective_from"],
    )
    return latest["replaced_by"] if latest["change"] == "replaced" else code


def test_todays_demo_site_offers_the_online_form_for_the_top_procedure(db, client):
    """The demo's whole catalogue, as `make demo` loads it, on a day after 01/07/2025: the
    procedure with most dossiers (LOCAL-STP-001, 76 %) was replaced by 3.000333; the citizen finds
    its online form on the procedure page and can start it."""
    make_demo_units()
    catalog_import(None, DEMO_DATA / "catalogue.json")
    doc = json.loads((DEMO_DATA / "catalogue.json").read_text(encoding="utf-8"))
    counts = catalogue_rules.h1_2023_dossier_counts(doc)
    top = max(counts, key=lambda code: counts[code])
    with time_machine.travel(at(TODAY), tick=False):
        assert version_in_force(top) is None  # the 2023 procedure is no longer in force
        today_code = _successor_today(doc, top, TODAY[:10])
        assert (top, today_code) == ("LOCAL-STP-001", "3.000333")
        schema = schema_for_version(version_in_force(today_code))
        assert schema is not None and schema.form_code == "Mẫu số 01/2025/LLTP"
        client.force_login(citizen())
        page = client.get(reverse("portal:procedure_detail", args=[today_code])).content.decode()
        assert "Khai tờ khai trực tuyến (Mẫu số 01/2025/LLTP)" in page
        response = client.post(reverse("portal:eform_start", args=[today_code]))
        assert response.status_code == 302 and "/to-khai/nhap/" in response["Location"]
        form_page = client.get(response["Location"]).content.decode()
        assert 'value="Nguyễn Thị Hương"' in form_page and "Dân tộc" in form_page
