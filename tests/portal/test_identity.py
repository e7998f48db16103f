"""One person's identity and contacts in the portal ([K] 2, [O] 1–2; ADR 0020): a citizen's
online submission neither rewrites nor reads the person an ID number is recorded for, and no page
shows one citizen's phone to another."""

import pytest
import time_machine
from django.urls import reverse

from motcua.catalog.selectors import version_in_force
from motcua.dossiers.models import Applicant, ApplicantChange, Dossier
from motcua.notifications.models import Notification
from motcua.portal import services
from motcua.portal.models import Application
from tests.dossiers.test_services import at, receive

from .factories import CODE, applicant_input, citizen, online_dossier, pdf_upload

NOW = "2024-05-06T10:00"
HER_PHONE = "0912345678"


@pytest.fixture
def hương_known(desk):
    """Hương came to the desk: the person with her ID number has her phone."""
    receive(desk, when="2024-05-02T09:00")
    assert Applicant.objects.get().phone == HER_PHONE
    with time_machine.travel(at(NOW), tick=False):
        yield desk


def test_return_by_post_is_prefilled_from_the_citizens_own_data_only(client, hương_known):
    """Someone else signs in by e-mail and applies with Hương's name and ID number: the
    return-by-post form of their dossier must not hand them Hương's phone."""
    other = citizen("ke@vi-du.vn")
    dossier = online_dossier(other)
    assert dossier.applicant == Applicant.objects.get()  # the same ID links the same person
    client.force_login(other)
    page = client.get(reverse("portal:dossier_return_post", args=[dossier.pk])).content.decode()
    assert HER_PHONE not in page and "912345678" not in page
    assert "Thôn 3, xã Cẩm Xuyên, Hà Tĩnh" in page  # the address this citizen gave the dossier


def test_return_by_post_prefills_the_signed_in_citizens_phone(client, hương_known):
    own = citizen("0977123456")
    dossier = online_dossier(own)
    client.force_login(own)
    page = client.get(reverse("portal:dossier_return_post", args=[dossier.pk])).content.decode()
    assert 'value="0977123456"' in page and HER_PHONE not in page


def test_an_account_submission_never_rewrites_the_person_nor_tells_her_phone(hương_known):
    other = citizen("0988000111")
    Notification.objects.all().delete()
    dossier = online_dossier(other)
    person = Applicant.objects.get()
    assert (person.full_name, person.phone) == ("Nguyễn Thị Hương", HER_PHONE)
    assert dossier.contact_phone == "0988000111"
    assert [n.to for n in Notification.objects.all()] == ["0988000111"]
    assert not ApplicantChange.objects.exists()


def test_a_known_id_with_another_name_is_refused_beside_the_id_field(client, hương_known):
    other = citizen("0988000111", full_name="Trần Văn Nam")
    client.force_login(other)
    draft = services.application_start(other, version_in_force(CODE))
    services.application_save(other, draft.pk, applicant_input(other, uploads={1: [pdf_upload()]}))
    form = {
        "full_name": "Trần Văn Nam",
        "citizen_id": "042190001234",
        "phone": "0988000111",
        "return_channel": "desk",
        "notify_channel": "sms",
        "action": "submit",
    }
    response = client.post(reverse("portal:application_edit", args=[draft.pk]), form)
    page = response.content.decode()
    assert response.status_code == 400
    assert "Họ tên hoặc ngày sinh không khớp" in page
    assert "Nguyễn Thị Hương" not in page  # the person on record is not read back
    assert Dossier.objects.count() == 1  # the desk's dossier only
    assert not Application.objects.get(pk=draft.pk).submitted
    assert Applicant.objects.get().full_name == "Nguyễn Thị Hương"
