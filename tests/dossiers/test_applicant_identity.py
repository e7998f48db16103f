"""One ID number, one person (issue [K] 2, [O] 1; ADR 0020): a reception never overwrites the
person on record silently, an online submission never writes or reads their contact, and every
notice goes to the contact given for the dossier it is about."""

from datetime import date

import pytest
import time_machine
from django.core.exceptions import ValidationError

from motcua.dossiers.models import Applicant, ApplicantChange, Dossier, DossierEvent
from motcua.dossiers.online import (
    SUBMISSIONS_PER_ID,
    SUBMISSIONS_PER_PHONE,
    SubmissionsLimited,
    dossier_submit_online,
)
from motcua.dossiers.services import ApplicantConflict, ApplicantData, Resolution
from motcua.notifications.models import Notification
from tests.dossiers.test_services import act, at, intake, receive

HƯƠNG_BORN = date(1990, 5, 12)


def hương(**changes) -> ApplicantData:
    data = ApplicantData(
        full_name="Nguyễn Thị Hương",
        citizen_id="042190001234",
        date_of_birth=HƯƠNG_BORN,
        phone="0912345678",
        address_line="Phường Thành Sen, Hà Tĩnh",
    )
    for key, value in changes.items():
        setattr(data, key, value)
    return data


def nam_with_her_id() -> ApplicantData:
    """Another person typed with Hương's ID number (or Hương's ID typed by mistake)."""
    return hương(full_name="Trần Văn Nam", date_of_birth=date(1990, 8, 1), phone="0987000111")


def stored() -> tuple:
    person = Applicant.objects.get()
    return person.full_name, person.date_of_birth, person.phone, person.address_line


def snapshot() -> tuple:
    return (
        stored(),
        Dossier.objects.count(),
        DossierEvent.objects.count(),
        Notification.objects.count(),
        ApplicantChange.objects.count(),
    )


@pytest.fixture
def known(desk):
    """Hương was received once at the desk."""
    receive(desk, when="2024-04-26T09:00", applicant=hương())
    return desk


# --- the desk ----------------------------------------------------------------------------------


def test_an_id_number_with_another_name_is_a_conflict_and_overwrites_nothing(known):
    before = snapshot()
    with pytest.raises(ApplicantConflict) as caught:
        receive(known, when="2024-04-29T09:00", applicant=nam_with_her_id())
    assert caught.value.stored.full_name == "Nguyễn Thị Hương"
    assert caught.value.typed.full_name == "Trần Văn Nam"
    assert caught.value.fields == ["full_name", "date_of_birth"]
    assert "họ tên hoặc ngày sinh khác" in caught.value.messages[0]
    assert snapshot() == before
    assert stored() == ("Nguyễn Thị Hương", HƯƠNG_BORN, "0912345678", "Phường Thành Sen, Hà Tĩnh")


def test_another_birth_date_alone_is_a_conflict(known):
    before = snapshot()
    with pytest.raises(ApplicantConflict) as caught:
        receive(known, when="2024-04-29T09:00", applicant=hương(date_of_birth=date(1990, 5, 21)))
    assert caught.value.fields == ["date_of_birth"]
    assert snapshot() == before


def test_the_same_name_in_other_case_and_spacing_is_no_conflict(known):
    dossier = receive(
        known, when="2024-04-29T09:00", applicant=hương(full_name="NGUYỄN  THỊ hương")
    )
    assert dossier.applicant_name == "Nguyễn Thị Hương"  # the person as on record
    assert ApplicantChange.objects.count() == 0


def test_correcting_the_typo_takes_the_person_on_record(known):
    dossier = receive(
        known,
        when="2024-04-29T09:00",
        applicant=hương(full_name="Nguyễn Thị Hường"),  # a slip of the keyboard
        applicant_resolution=Resolution.STORED,
    )
    assert dossier.applicant_name == "Nguyễn Thị Hương"
    assert dossier.applicant_id == Applicant.objects.get().pk
    assert stored()[:2] == ("Nguyễn Thị Hương", HƯƠNG_BORN)
    assert ApplicantChange.objects.count() == 0


def test_an_update_with_a_reason_leaves_a_history_row_per_field(known):
    dossier = receive(
        known,
        when="2024-04-29T09:00",
        applicant=hương(full_name="Nguyễn Thị Thu Hương", date_of_birth=date(1990, 5, 21)),
        applicant_resolution=Resolution.UPDATE,
        applicant_change_reason="Cải chính hộ tịch theo Quyết định số 12/QĐ-UBND",
    )
    assert stored()[:2] == ("Nguyễn Thị Thu Hương", date(1990, 5, 21))
    assert dossier.applicant_name == "Nguyễn Thị Thu Hương"
    rows = list(
        ApplicantChange.objects.order_by("field").values_list(
            "field", "old_value", "new_value", "reason", "changed_by", "dossier", "changed_at"
        )
    )
    reason = "Cải chính hộ tịch theo Quyết định số 12/QĐ-UBND"
    who, when = known["desk"].pk, at("2024-04-29T09:00")
    assert rows == [
        ("date_of_birth", "12/05/1990", "21/05/1990", reason, who, dossier.pk, when),
        ("full_name", "Nguyễn Thị Hương", "Nguyễn Thị Thu Hương", reason, who, dossier.pk, when),
    ]
    with pytest.raises(PermissionError):  # history is evidence: appended, never changed
        ApplicantChange.objects.all().update(reason="")


def test_an_update_without_a_reason_is_refused_and_changes_nothing(known):
    before = snapshot()
    with pytest.raises(ApplicantConflict) as caught:
        receive(
            known,
            when="2024-04-29T09:00",
            applicant=nam_with_her_id(),
            applicant_resolution=Resolution.UPDATE,
            applicant_change_reason="   ",
        )
    assert list(caught.value.error_dict) == ["applicant_change_reason"]
    assert "Hãy ghi rõ lý do" in caught.value.messages[0]
    assert snapshot() == before


def test_a_new_phone_at_the_desk_is_recorded_with_who_and_why(known):
    dossier = receive(known, when="2024-04-29T09:00", applicant=hương(phone="0977123456"))
    assert stored()[2] == "0977123456"
    change = ApplicantChange.objects.get()
    assert (change.field, change.old_value, change.new_value) == (
        "phone",
        "0912345678",
        "0977123456",
    )
    assert change.changed_by == known["desk"] and change.dossier == dossier
    assert change.reason.startswith("Người nộp khai khi tiếp nhận")


def test_an_empty_field_at_the_desk_erases_nothing(known):
    receive(known, when="2024-04-29T09:00", applicant=hương(phone="", address_line=""))
    assert stored()[2:] == ("0912345678", "Phường Thành Sen, Hà Tĩnh")
    assert ApplicantChange.objects.count() == 0


def test_each_dossier_keeps_and_is_told_through_its_own_contact(known):
    first = Dossier.objects.get()
    assert (first.contact_phone, first.contact_email) == ("0912345678", "")
    second = receive(
        known, when="2024-04-29T09:00", applicant=hương(phone="", email="huong@example.vn")
    )
    assert (second.contact_phone, second.contact_email) == ("", "huong@example.vn")
    Notification.objects.all().delete()
    specialist = known["specialist"].pk
    act(known["head"], second, "assign", "2024-04-29T10:00", assignee_id=specialist)
    act(known["head"], first, "assign", "2024-04-29T10:30", assignee_id=specialist)
    sent = {n.to for n in Notification.objects.all()}
    assert sent == {"huong@example.vn", "0912345678"}
    assert Notification.objects.get(to="huong@example.vn").body.find(second.code) >= 0


# --- online ------------------------------------------------------------------------------------


def online(applicant: ApplicantData, **kwargs):
    data = intake(applicant=applicant)
    data.return_channel = "desk"
    with time_machine.travel(at("2024-04-29T21:00"), tick=False):
        return dossier_submit_online(data, **kwargs)


def test_online_an_id_number_with_another_name_is_refused(known):
    before = snapshot()
    with pytest.raises(ApplicantConflict) as caught:
        online(nam_with_her_id())
    assert caught.value.messages[0].startswith("Họ tên hoặc ngày sinh không khớp")
    assert "Nguyễn Thị Hương" not in caught.value.messages[0]  # the person on record stays unread
    assert snapshot() == before


def test_online_never_writes_the_person_nor_tells_their_phone(known):
    """An anonymous submission that knows Hương's name and ID gives its own phone: the person on
    record keeps hers, and only the phone given for the new dossier hears of it."""
    Notification.objects.all().delete()
    dossier = online(hương(phone="0999999999", address_line="Nơi khác", date_of_birth=None))
    assert dossier.applicant == Applicant.objects.get()
    assert stored() == ("Nguyễn Thị Hương", HƯƠNG_BORN, "0912345678", "Phường Thành Sen, Hà Tĩnh")
    assert dossier.contact_phone == "0999999999"
    assert [n.to for n in Notification.objects.all()] == ["0999999999"]
    assert ApplicantChange.objects.count() == 0


def test_online_without_a_contact_nobody_is_told(known):
    Notification.objects.all().delete()
    online(hương(phone="", email=""))
    assert Notification.objects.count() == 0


def test_online_submissions_are_limited_per_id_number(known):
    for _ in range(SUBMISSIONS_PER_ID):
        online(hương(phone=""))
    before = Dossier.objects.count()
    with pytest.raises(SubmissionsLimited) as caught:
        online(hương(phone=""))
    assert "quá nhiều hồ sơ trực tuyến" in caught.value.messages[0]
    assert Dossier.objects.count() == before
    # the desk filling the form for a person at the counter is not counted
    online(hương(phone=""), assisted_by=known["desk"])
    assert Dossier.objects.count() == before + 1


def test_online_submissions_are_limited_per_phone_number(known):
    numbers = [f"0421900012{n:02d}" for n in range(40, 40 + SUBMISSIONS_PER_PHONE + 1)]
    phones = ["0912 345 678", "+84912345678", "84912345678", "0912345678", "0912345678"]
    for number, phone in zip(numbers, phones, strict=False):
        online(ApplicantData(full_name="Lê Văn Tám", citizen_id=number, phone=phone))
    with pytest.raises(SubmissionsLimited):
        online(ApplicantData(full_name="Lê Văn Tám", citizen_id=numbers[-1], phone="0912345678"))
    assert not Applicant.objects.filter(citizen_id=numbers[-1]).exists()


def test_a_refused_online_conflict_is_a_validation_error_on_the_id_field(known):
    with pytest.raises(ValidationError) as caught:
        online(nam_with_her_id())
    assert list(caught.value.error_dict) == ["citizen_id"]
