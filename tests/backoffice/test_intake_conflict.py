"""The desk's intake when an ID number is on record with another name or birth date ([K] 2): both
records side by side, and the officer chooses — correct the typo, or update the person with a
recorded reason. Nothing is overwritten silently."""

import pytest
import time_machine
from django.urls import reverse

from motcua.core.models import PersonalDataRead
from motcua.dossiers.models import Applicant, ApplicantChange, Dossier
from tests.dossiers.test_services import at, receive

from .test_dossier_views import FORM

URL = reverse("backoffice:dossier_intake", args=["2.001417"])
NAM = FORM | {"full_name": "Trần Văn Nam", "phone": "0987000111"}


@pytest.fixture
def at_the_desk(client, desk):
    receive(desk, when="2024-04-26T09:00")  # Nguyễn Thị Hương, 042190001234, 0912345678
    client.force_login(desk["desk"])
    with time_machine.travel(at("2024-04-29T09:00"), tick=False):
        yield client


def person() -> tuple:
    stored = Applicant.objects.get()
    return stored.full_name, stored.phone


def test_the_conflict_page_shows_both_records_and_changes_nothing(at_the_desk, desk):
    response = at_the_desk.post(URL, NAM)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Số định danh đã có với thông tin khác" in page
    stored_cells = page.split('data-side="stored">')[1:]
    typed_cells = page.split('data-side="typed">')[1:]
    assert stored_cells[0].startswith("Nguyễn Thị Hương") and typed_cells[0].startswith(
        "Trần Văn Nam"
    )
    assert stored_cells[2].startswith("0912345678") and typed_cells[2].startswith("0987000111")
    assert "Sửa lỗi nhập: dùng thông tin đã lưu" in page and "Lý do cập nhật" in page
    assert Dossier.objects.count() == 1 and person() == ("Nguyễn Thị Hương", "0912345678")
    assert not ApplicantChange.objects.exists()
    assert PersonalDataRead.objects.filter(purpose="intake_conflict").count() == 1


def test_choosing_the_stored_record_receives_under_it(at_the_desk, desk):
    response = at_the_desk.post(
        URL, FORM | {"full_name": "Nguyễn Thị Hường", "applicant_resolution": "stored"}
    )
    dossier = Dossier.objects.latest("pk")
    assert response.status_code == 302 and dossier.applicant_name == "Nguyễn Thị Hương"
    assert person() == ("Nguyễn Thị Hương", "0912345678")
    # only the province the form adds to the record (it had none), recorded as such
    assert list(ApplicantChange.objects.values_list("field", "old_value", "new_value")) == [
        ("province_code", "", "42")
    ]


def test_choosing_to_update_records_who_and_why(at_the_desk, desk):
    reason = "Đổi họ tên theo Quyết định số 7/QĐ-UBND"
    response = at_the_desk.post(
        URL, NAM | {"applicant_resolution": "update", "applicant_change_reason": reason}
    )
    assert response.status_code == 302
    assert person() == ("Trần Văn Nam", "0987000111")
    changes = {c.field: c for c in ApplicantChange.objects.all()}
    assert set(changes) == {"full_name", "phone", "province_code"}
    assert (changes["full_name"].old_value, changes["full_name"].new_value) == (
        "Nguyễn Thị Hương",
        "Trần Văn Nam",
    )
    assert all(c.reason == reason and c.changed_by == desk["desk"] for c in changes.values())
    assert Dossier.objects.latest("pk").contact_phone == "0987000111"


def test_an_update_without_a_reason_is_refused_with_both_records_shown(at_the_desk, desk):
    response = at_the_desk.post(URL, NAM | {"applicant_resolution": "update"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Hãy ghi rõ lý do cập nhật" in page and 'data-side="stored">Nguyễn Thị Hương' in page
    assert Dossier.objects.count() == 1 and person() == ("Nguyễn Thị Hương", "0912345678")
    assert not ApplicantChange.objects.exists()
