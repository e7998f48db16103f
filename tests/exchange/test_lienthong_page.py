"""The dossier page's liên thông form names an agency outside this installation by its code, and
the page then says where the dossier went (issue [J] item 5 from the officer's side)."""

import pytest
import time_machine

from motcua.exchange.models import OutgoingDocument
from tests.dossiers.test_services import at

from .lienthong_helpers import OTHER, OTHER_NAME, dossier_in_progress

pytestmark = pytest.mark.django_db


@pytest.fixture
def exchange_dir(settings, tmp_path):
    settings.MOTCUA_EXCHANGE_TRANSPORT = "directory"
    settings.MOTCUA_EXCHANGE_DIRECTORY = str(tmp_path / "truc")
    return tmp_path / "truc"


def _post(client, desk, dossier, **fields):
    client.force_login(desk["specialist"])
    data = {
        "revision": dossier.revision,
        "reason": "Đề nghị xác minh thông tin lý lịch tư pháp",
        "unit_id": "",
        "working_hours": "16",
        **fields,
    }
    url = f"/can-bo/ho-so/{dossier.pk}/thao-tac/route_inter_agency/"
    with time_machine.travel(at("2024-05-06T09:00"), tick=False):
        return client.post(url, data, follow=True)


def test_the_form_offers_an_outside_agency_by_code(client, desk):
    dossier = dossier_in_progress(desk)
    client.force_login(desk["specialist"])
    page = client.get(f"/can-bo/ho-so/{dossier.pk}/").content.decode()
    assert 'name="organ_id"' in page and "Cơ quan ngoài hệ thống" in page


def test_an_outside_agency_named_on_the_page_receives_the_dossier(
    client, desk, exchange_dir, django_capture_on_commit_callbacks
):
    dossier = dossier_in_progress(desk)
    with django_capture_on_commit_callbacks(execute=True):
        page = _post(client, desk, dossier, organ_id=OTHER, organ_name=OTHER_NAME)
    dossier.refresh_from_db()
    consultation = dossier.consultations.get()
    assert (consultation.unit, consultation.organ_id) == (None, OTHER)
    assert OutgoingDocument.objects.get().state == "sent"
    assert len(list((exchange_dir / OTHER / "inbox").glob("*.edxml"))) == 1
    text = page.content.decode()
    assert f"{OTHER_NAME} (ngoài hệ thống, {OTHER})" in text and "None" not in text


def test_a_malformed_code_is_refused_on_the_page_and_nothing_changes(client, desk, exchange_dir):
    dossier = dossier_in_progress(desk)
    status, revision = dossier.status, dossier.revision
    page = _post(client, desk, dossier, organ_id="khong-phai-ma")
    dossier.refresh_from_db()
    assert (dossier.status, dossier.revision) == (status, revision)
    assert not dossier.consultations.exists() and not OutgoingDocument.objects.exists()
    assert "QCVN 102:2016" in page.content.decode()
