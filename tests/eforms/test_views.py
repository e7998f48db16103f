"""The portal's online-form pages without a browser: start, save, add a row, submit with a wrong
field (400, the message beside the field, nothing submitted), submit, and the desk's page."""

import pytest
import time_machine
from django.urls import reverse

from motcua.dossiers.models import Dossier
from motcua.eforms.models import EformDraft, EformSubmission
from tests.dossiers.test_services import at
from tests.portal.factories import citizen, png_bytes

from .factories import CODE, answers, lltp_2023_load


@pytest.fixture
def hương(desk, client):
    lltp_2023_load()
    with time_machine.travel(at("2024-05-06T10:00"), tick=False):
        user = citizen()
        client.force_login(user)
        yield user


def post_data(values: dict, action="save") -> dict:
    data = {"action": action, "return_channel": "desk"}
    for key, value in values.items():
        if isinstance(value, list):
            data[f"rows_{key}"] = str(len(value))
            for n, row in enumerate(value, start=1):
                for column, cell in row.items():
                    data[f"f_{key}__{n}__{column}"] = cell
        else:
            data[f"f_{key}"] = value
    return data


def start(client) -> str:
    response = client.post(reverse("portal:eform_start", args=[CODE]))
    assert response.status_code == 302
    return response["Location"]


def test_the_procedure_page_offers_the_online_form(hương, client):
    page = client.get(reverse("portal:procedure_detail", args=[CODE])).content.decode()
    assert "Khai tờ khai trực tuyến (Mẫu số 03/2013/TT-LLTP)" in page


def test_fill_save_add_a_row_and_submit(hương, client):
    url = start(client)
    page = client.get(url).content.decode()
    assert 'value="Nguyễn Thị Hương"' in page and 'value="042190001234"' in page
    assert page.count("<legend>Quá trình cư trú: giai đoạn") == 3
    values = answers()
    response = client.post(url, post_data(values, "add_row:residence"))
    assert (
        response.status_code == 200
        and response.content.decode().count("<legend>Quá trình cư trú: giai đoạn") == 4
    )
    draft = EformDraft.objects.get()
    assert draft.answers["residence"][2]["place"].startswith("Thôn 3")
    # A wrong date: 400, the message beside the field, the draft kept, nothing submitted.
    bad = post_data(answers(date_of_birth="1990-03-05"), "submit")
    bad["file_2"] = _png()
    response = client.post(url, bad)
    page = response.content.decode()
    assert response.status_code == 400 and "ghi ngày theo dạng ngày/tháng/năm" in page
    assert (
        'aria-describedby="f_date_of_birth-hint f_date_of_birth-error" aria-invalid="true"'
        in " ".join(page.split())
    )
    assert not Dossier.objects.exists() and not EformSubmission.objects.exists()
    draft.refresh_from_db()
    assert draft.answers["date_of_birth"] == "1990-03-05" and draft.files.count() == 1
    response = client.post(url, post_data(values, "submit"))
    dossier = Dossier.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "portal:dossier_submitted", args=[dossier.pk]
    )
    assert dossier.eform.answers["purpose"] == "Bổ sung hồ sơ xin việc"
    # The submitted draft's page now leads to the dossier.
    assert client.get(url)["Location"] == response["Location"]


def test_the_desk_sees_the_fields_and_the_pdf(hương, client, desk):
    url = start(client)
    data = post_data(answers(), "submit")
    data["file_2"] = _png()
    client.post(url, data)
    dossier = Dossier.objects.get()
    client.force_login(desk["desk"])
    page = client.get(reverse("backoffice:dossier_detail", args=[dossier.pk])).content.decode()
    assert "Tờ khai trực tuyến" in page and "NGUYỄN VĂN AN" in page and "Phường Bến Thủy" in page
    link = reverse("documents:file_download", args=[dossier.eform.declaration.pk])
    assert link in page
    pdf = client.get(link)
    assert (
        pdf.status_code == 200
        and b"".join(pdf.streaming_content if pdf.streaming else [pdf.content])[:5] == b"%PDF-"
    )


def test_another_citizen_gets_403(hương, client):
    url = start(client)
    client.force_login(citizen("0987654321", full_name="Lê Văn Nam", citizen_id="042090001235"))
    assert client.get(url).status_code == 403
    assert client.post(url, post_data(answers(), "submit")).status_code == 403
    assert not Dossier.objects.exists()


def _png():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("cccd.png", png_bytes(), content_type="image/png")


def test_a_saved_draft_flags_what_is_malformed_not_what_is_empty(hương, client):
    url = start(client)
    response = client.post(url, post_data({"date_of_birth": "5/3/1990", "copies": "50"}))
    assert response.status_code == 302  # saved
    page = client.get(url).content.decode()
    assert "có 2 mục ghi chưa đúng" in page
    assert "“Ngày, tháng, năm sinh”: ghi ngày theo dạng ngày/tháng/năm" in page
    assert "“Số lượng Phiếu yêu cầu cấp”: từ 1 đến 10." in page
    assert "Hãy nhập “Mục đích sử dụng Phiếu”" not in page  # empty: waits for the submission
    assert EformDraft.objects.get().answers["copies"] == "50"


def test_a_bad_upload_refuses_the_save_and_keeps_nothing(hương, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    url = start(client)
    draft = EformDraft.objects.get()
    before = draft.answers
    data = post_data(answers(purpose="Đi làm"))
    data["file_2"] = SimpleUploadedFile("cccd.png", b"not an image", content_type="image/png")
    response = client.post(url, data)
    assert response.status_code == 400 and "cccd.png:" in response.content.decode()
    draft.refresh_from_db()
    assert draft.answers == before and draft.files.count() == 0


def test_a_procedure_without_a_form_says_so(hương, client):
    from tests.portal.factories import CODE as NO_FORM

    response = client.get(reverse("portal:eform_start", args=[NO_FORM]))
    assert response.status_code == 400 and "chưa có tờ khai trực tuyến" in response.content.decode()
    assert client.post(reverse("portal:eform_start", args=[NO_FORM])).status_code == 400
    assert not EformDraft.objects.exists()
