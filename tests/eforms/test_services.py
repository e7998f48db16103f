"""The judicial-record online form end to end through the services: a draft pre-filled from the
account, saved half-filled, submitted through the online-submission service with the filled
official form (PDF) attached to the declaration component, the answers kept for the desk; and
submissions that fail change nothing."""

import subprocess

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from motcua.catalog.selectors import version_in_force
from motcua.documents.models import ComponentFile, StoredFile
from motcua.documents.services import stored_file_bytes
from motcua.dossiers.models import Dossier
from motcua.eforms import services
from motcua.eforms.models import EformDraft, EformSubmission
from motcua.eforms.panels import dossier_panel
from motcua.eforms.selectors import schema_for_version
from tests.dossiers.test_services import at
from tests.portal.factories import citizen, png_upload

from .factories import CODE, answers, lltp_2023_load
from .test_schema import BAD_ANSWERS

NOW = "2024-05-06T10:00"


@pytest.fixture
def hương(desk):
    lltp_2023_load()
    with time_machine.travel(at(NOW), tick=False):
        yield citizen()


def _ready_draft(user, **overrides):
    draft = services.eform_start(user, version_in_force(CODE))
    services.eform_draft_save(
        user, draft.pk, answers(**overrides), return_channel="desk", uploads={2: [png_upload()]}
    )
    return draft


def test_the_2023_lltp_version_has_its_form(hương):
    schema = schema_for_version(version_in_force(CODE))
    assert schema is not None and schema.key == "LOCAL-STP-001@DLM-01/2022"
    assert schema.form_code == "Mẫu số 03/2013/TT-LLTP"
    assert "16/2013/TT-BTP" in schema.source and "13/2011/TT-BTP" in schema.source
    declaration = services.declaration_component(schema, version_in_force(CODE))
    assert declaration.order == 1 and declaration.mandatory


def test_a_draft_is_prefilled_kept_and_found_again(hương):
    version = version_in_force(CODE)
    draft = services.eform_start(hương, version)
    assert draft.answers["full_name"] == "Nguyễn Thị Hương"
    assert draft.answers["id_number"] == "042190001234" and draft.answers["phone"] == "0912345678"
    # Half-filled, with a wrong date: a draft keeps what was typed.
    services.eform_draft_save(
        hương, draft.pk, {"full_name": "NGUYỄN THỊ HƯƠNG", "date_of_birth": "31/02"}
    )
    again = services.eform_start(hương, version)  # a lost connection, a second visit
    assert again.pk == draft.pk and again.answers["date_of_birth"] == "31/02"
    assert EformDraft.objects.count() == 1


def test_submit_goes_through_the_online_service_with_the_filled_form(hương, tmp_path):
    draft = _ready_draft(hương)
    dossier = services.eform_submit(hương, draft.pk)
    assert (dossier.status, dossier.channel, dossier.submitted_by) == (
        "submitted_online",
        "online",
        hương,
    )
    assert dossier.applicant_name == "NGUYỄN THỊ HƯƠNG" and dossier.return_channel == "desk"
    assert dossier.contact_phone == "0912345678"
    names = [c.name for c in dossier.components.order_by("order")]
    assert names[0].startswith("Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp") and len(names) == 2
    declaration = ComponentFile.objects.get(component__dossier=dossier, component__order=1)
    assert declaration.stored_file.kind == "pdf" and declaration.source == "citizen_upload"
    pdf = tmp_path / "to-khai.pdf"
    pdf.write_bytes(stored_file_bytes(declaration.stored_file))
    text = " ".join(
        subprocess.run(
            ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
        ).stdout.split()
    )
    for expected in (
        "Mẫu số 03/2013/TT-LLTP",
        "TỜ KHAI YÊU CẦU CẤP PHIẾU LÝ LỊCH TƯ PHÁP",
        "NGUYỄN THỊ HƯƠNG",
        "042190001234",
        "NGUYỄN VĂN AN",
        "Phường Bến Thủy",
        "Bổ sung hồ sơ xin việc",
        "Phiếu lý lịch tư pháp số 1",
    ):
        assert expected in text, expected
    assert "0912345678" not in text  # asked online for notices, not a field of the paper form
    submission = EformSubmission.objects.get(dossier=dossier)
    assert submission.declaration == declaration and submission.answers["copies"] == "2"
    assert submission.answers["residence"][1]["place"] == "Phường Bến Thủy, TP Vinh, Nghệ An"
    # A double click submits once.
    assert services.eform_submit(hương, draft.pk) == dossier and Dossier.objects.count() == 1


def test_the_desk_panel_shows_the_fields(hương, rf):
    dossier = services.eform_submit(hương, _ready_draft(hương).pk)
    panel = dossier_panel(rf.get("/"), dossier)
    assert panel.title == "Tờ khai trực tuyến"
    first = panel.context["sections"][0]["items"]
    assert {"label": "Họ và tên", "value": "NGUYỄN THỊ HƯƠNG", "printed": True} in first
    residence = panel.context["sections"][2]["items"][0]
    assert residence["columns"][:2] == ["Từ ngày", "Đến ngày"] and len(residence["rows"]) == 3


def _nothing_written(draft, before):
    draft.refresh_from_db()
    assert draft.answers == before and draft.dossier is None
    assert not Dossier.objects.exists() and not EformSubmission.objects.exists()
    assert not ComponentFile.objects.exists()


def test_a_missing_mandatory_paper_refuses_and_writes_nothing(hương):
    draft = services.eform_start(hương, version_in_force(CODE))
    services.eform_draft_save(hương, draft.pk, answers())
    draft.refresh_from_db()
    before = draft.answers
    with pytest.raises(ValidationError) as error:
        services.eform_submit(hương, draft.pk)
    assert error.value.message_dict == {"file_2": ["Giấy tờ bắt buộc: hãy tải lên tệp."]}
    _nothing_written(draft, before)


def test_the_online_service_rules_still_apply(hương):
    """A return channel the version does not offer: refused by dossier_submit_online's own rule,
    reported on the page, nothing written (the PDF is not even made)."""
    draft = _ready_draft(hương)
    EformDraft.objects.filter(pk=draft.pk).update(return_channel="carrier-pigeon")
    draft.refresh_from_db()
    stored = StoredFile.objects.count()
    with pytest.raises(ValidationError) as error:
        services.eform_submit(hương, draft.pk)
    assert "hình thức đã chọn" in error.value.message_dict["__all__"][0]
    _nothing_written(draft, draft.answers)
    assert StoredFile.objects.count() == stored


def test_another_citizen_cannot_open_the_draft(hương):
    draft = services.eform_start(hương, version_in_force(CODE))
    other = citizen("0987654321", full_name="Lê Văn Nam", citizen_id="042090001235")
    with pytest.raises(PermissionDenied):
        services.eform_draft_save(other, draft.pk, answers())
    with pytest.raises(PermissionDenied):
        services.eform_submit(other, draft.pk)
    draft.refresh_from_db()
    assert draft.answers["full_name"] == "Nguyễn Thị Hương"


@pytest.mark.parametrize(("change", "key", "message"), BAD_ANSWERS, ids=lambda v: str(v)[:40])
def test_a_bad_answer_submits_nothing(hương, change, key, message):
    draft = _ready_draft(hương, **change)
    draft.refresh_from_db()
    before, stored = draft.answers, StoredFile.objects.count()
    with pytest.raises(ValidationError) as error:
        services.eform_submit(hương, draft.pk)
    assert message in error.value.message_dict[key][0]
    _nothing_written(draft, before)
    assert StoredFile.objects.count() == stored  # no PDF was made


def test_a_second_procedure_is_a_data_change(desk):
    """Cấp bản sao trích lục hộ tịch (2.000635, the second by dossiers) runs on the same code,
    from its own schema file."""
    from motcua.catalog.services import catalog_import

    from .factories import demo_version_document

    catalog_import(None, demo_version_document("2.000635"))
    with time_machine.travel(at(NOW), tick=False):
        user = citizen()
        version = version_in_force("2.000635")
        draft = services.eform_start(user, version)
        assert draft.schema_key == "2.000635@DLM-01/2022"
        values = {
            "full_name": "Nguyễn Thị Hương", "residence": "Thôn 3, xã Cẩm Xuyên, Hà Tĩnh",
            "id_kind": "Căn cước công dân", "id_number": "042190001234",
            "id_issued_on": "10/05/2021", "id_issued_by": "Cục Cảnh sát QLHC về TTXH",
            "relationship": "Bản thân", "phone": "0912345678", "event_kind": "Khai sinh",
            "subject_name": "Nguyễn Thị Hương", "subject_birth_date": "05/03/1990",
            "registered_at": "Ủy ban nhân dân xã Cẩm Xuyên", "copies": "3",
        }  # fmt: skip
        services.eform_draft_save(user, draft.pk, values, uploads={2: [png_upload()]})
        dossier = services.eform_submit(user, draft.pk)
    assert dossier.eform.form_code == "Tờ khai cấp bản sao trích lục hộ tịch (TT 04/2020/TT-BTP)"
    assert dossier.eform.answers["subject_name"] == "NGUYỄN THỊ HƯƠNG"
    assert dossier.components.get(order=1).files.get().stored_file.kind == "pdf"
