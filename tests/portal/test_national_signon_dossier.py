"""A dossier submitted online by a citizen signed in with the national account (issue [I] item 6):
the dossier records it, and the record sent over HTTP to the stand-in national portal carries
MaDoiTuong (the TechID) and TaiKhoanDuocXacThucVoiVNeID=1 — 0 after a one-time-code sign-in of
the same citizen, and for a dossier a desk officer submitted for them."""

import pytest
import time_machine
from django.urls import reverse

from motcua.accounts.national_signon_standin import IDENTITIES
from motcua.dossiers.models import Dossier
from motcua.dvcqg.client import DvcqgClient, sessions_forget_all
from motcua.dvcqg.records import hoso_record
from motcua.dvcqg.standin import DEFAULT_PATHS, StandInDvcqg
from motcua.portal.models import Application
from tests.accounts.national_signon_flow import idp_started, sign_on
from tests.dossiers.test_services import act, at

from .factories import CODE, pdf_upload

pytestmark = pytest.mark.django_db

BINH = IDENTITIES["cong-dan-binh"]


@pytest.fixture
def today():
    with time_machine.travel(at("2024-05-06T10:00"), tick=False):
        yield


@pytest.fixture
def idp(settings):
    server = idp_started(settings)
    yield server
    server.close()


@pytest.fixture
def national_portal(settings):
    sessions_forget_all()
    server = StandInDvcqg(username="motcua", password="mat-khau-thu-9921", madonvi="000.00.12.H27")
    server.start()
    settings.DVCQG_ADAPTER_URL = server.url
    settings.DVCQG_AUTH_ENDPOINT = DEFAULT_PATHS["auth"]
    settings.DVCQG_INTEGRATION_ENDPOINT = DEFAULT_PATHS["integration"]
    settings.DVCQG_SHARE_ENDPOINT = DEFAULT_PATHS["share"]
    settings.DVCQG_USERNAME = "motcua"
    settings.DVCQG_PASSWORD = "mat-khau-thu-9921"
    settings.DVCQG_MADONVI = "000.00.12.H27"
    settings.DVCQG_TIMEOUT_SECONDS = 5
    yield server
    server.close()
    sessions_forget_all()


def submit_online(client) -> Dossier:
    """Apply for the judicial record through the portal's pages, as the signed-in citizen."""
    response = client.post(reverse("portal:apply_start", args=[CODE]))
    draft = Application.objects.order_by("-pk").first()
    assert response["Location"] == reverse("portal:application_edit", args=[draft.pk])
    form = {
        "full_name": BINH["HoVaTen"],
        "citizen_id": BINH["SoDinhDanh"],
        "phone": BINH["SoDienThoai"],
        "return_channel": "desk",
        "notify_channel": "sms",
        "action": "submit",
        "file_1": pdf_upload(),
    }
    response = client.post(reverse("portal:application_edit", args=[draft.pk]), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    return Dossier.objects.get(pk=Application.objects.get(pk=draft.pk).dossier_id)


def sent(desk, national_portal, dossier) -> dict:
    accepted = act(desk["desk"], dossier, "accept", "2024-05-06T11:00")
    reply = DvcqgClient().dong_bo_ho_so([hoso_record(accepted)], is_updating=False)
    assert reply.error_code == 0
    return national_portal.dossiers[accepted.code]


def test_a_dossier_of_a_national_sign_on_carries_the_flag_and_tech_id(
    client, desk, today, idp, national_portal
):
    assert sign_on(client, idp, "cong-dan-binh").status_code == 302
    dossier = submit_online(client)
    assert dossier.national_account_verified is True
    record = sent(desk, national_portal, dossier)
    assert record["MaDoiTuong"] == BINH["TechID"]
    assert record["TaiKhoanDuocXacThucVoiVNeID"] == "1"
    assert record["KenhThucHien"] == "2"


def test_the_same_citizen_signed_in_with_a_code_is_not_flagged(
    client, desk, today, idp, national_portal
):
    sign_on(client, idp, "cong-dan-binh")
    user = Dossier._meta.get_field("submitted_by").related_model.objects.get(
        citizen_id=BINH["SoDinhDanh"]
    )
    client.logout()
    client.force_login(user)  # as a one-time-code sign-in does
    dossier = submit_online(client)
    assert dossier.national_account_verified is False
    record = sent(desk, national_portal, dossier)
    # The person is still known to the national portal by the number: MaDoiTuong stays.
    assert (record["MaDoiTuong"], record["TaiKhoanDuocXacThucVoiVNeID"]) == (BINH["TechID"], "0")


def test_a_desk_dossier_of_a_person_without_national_account(desk, today, national_portal):
    from tests.dossiers.test_services import receive

    dossier = receive(desk)
    record = DvcqgClient().dong_bo_ho_so([hoso_record(dossier)], is_updating=False)
    assert record.error_code == 0
    stored = national_portal.dossiers[dossier.code]
    assert (stored["MaDoiTuong"], stored["TaiKhoanDuocXacThucVoiVNeID"]) == ("", "0")
