"""Staff administration services: who may, what is validated, and that a refusal changes nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from motcua.accounts.models import User
from motcua.accounts.roles import Role
from motcua.accounts.services import staff_create, staff_update
from tests.accounts.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

GOOD_PASSWORD = "Tiep-nhan-Ho-so-2024"


@pytest.fixture
def admin():
    return UserFactory(role=Role.ADMINISTRATOR)


def _snapshot():
    return sorted(User.objects.values_list("username", "full_name", "role", "unit_id", "is_active"))


def _create(actor, **overrides):
    values = {
        "username": "hoa.nt",
        "full_name": "Nguyễn Thị Hoa",
        "role": Role.SPECIALIST,
        "unit_id": UnitFactory().pk,
        "password": GOOD_PASSWORD,
    }
    values.update(overrides)
    return staff_create(actor, **values)


def test_administrator_creates_a_staff_member(admin):
    unit = UnitFactory(name="Phòng Hành chính tư pháp")
    user = _create(admin, unit_id=unit.pk)
    user.refresh_from_db()
    assert (user.username, user.full_name, user.role, user.unit) == (
        "hoa.nt",
        "Nguyễn Thị Hoa",
        Role.SPECIALIST,
        unit,
    )
    assert user.is_active and user.check_password(GOOD_PASSWORD)


def _assert_refused(call, field: str, fragment: str):
    before = _snapshot()
    with pytest.raises(ValidationError) as caught:
        call()
    messages = caught.value.message_dict[field]
    assert any(fragment in m for m in messages), messages
    assert _snapshot() == before


def test_citizen_role_is_refused_for_staff(admin):
    unit = UnitFactory()
    _assert_refused(lambda: _create(admin, role=Role.CITIZEN, unit_id=unit.pk), "role", "công dân")


def test_unknown_role_is_refused(admin):
    unit = UnitFactory()
    _assert_refused(lambda: _create(admin, role="boss", unit_id=unit.pk), "role", "không hợp lệ")


@pytest.mark.parametrize("unit_id", [None, "", 999999])
def test_staff_needs_an_existing_unit(admin, unit_id):
    _assert_refused(
        lambda: _create(admin, unit_id=unit_id), "unit", "Đơn vị" if unit_id else "đơn vị"
    )


def test_inactive_unit_is_refused(admin):
    unit = UnitFactory(is_active=False)
    _assert_refused(lambda: _create(admin, unit_id=unit.pk), "unit", "ngừng hoạt động")


def test_duplicate_username_is_refused_whatever_the_case(admin):
    UserFactory(username="hoa.nt")
    unit = UnitFactory()
    _assert_refused(
        lambda: _create(admin, username="Hoa.NT", unit_id=unit.pk), "username", "đã được sử dụng"
    )


def test_weak_password_is_refused_in_vietnamese(admin):
    unit = UnitFactory()
    _assert_refused(
        lambda: _create(admin, password="12345678", unit_id=unit.pk), "password", "Mật khẩu"
    )


def test_bad_username_characters_are_refused(admin):
    unit = UnitFactory()
    _assert_refused(
        lambda: _create(admin, username="hoà nt", unit_id=unit.pk), "username", "không dấu"
    )


@pytest.mark.parametrize(
    "role", [Role.DESK_OFFICER, Role.SPECIALIST, Role.DIVISION_HEAD, Role.DEPARTMENT_LEADER]
)
def test_only_an_administrator_may_create_staff(role):
    actor = UserFactory(role=role)
    unit = UnitFactory()
    before = _snapshot()
    with pytest.raises(PermissionDenied):
        _create(actor, unit_id=unit.pk)
    assert _snapshot() == before


def test_inactive_administrator_may_not_create_staff():
    actor = UserFactory(role=Role.ADMINISTRATOR, is_active=False)
    unit = UnitFactory()
    with pytest.raises(PermissionDenied):
        _create(actor, unit_id=unit.pk)
    assert not User.objects.filter(username="hoa.nt").exists()


def test_administrator_updates_role_unit_and_password(admin):
    member = UserFactory(role=Role.SPECIALIST)
    new_unit = UnitFactory()
    staff_update(
        admin,
        member.pk,
        full_name="Trần Văn Bình",
        role=Role.DIVISION_HEAD,
        unit_id=new_unit.pk,
        password=GOOD_PASSWORD,
    )
    member.refresh_from_db()
    assert (member.full_name, member.role, member.unit) == (
        "Trần Văn Bình",
        Role.DIVISION_HEAD,
        new_unit,
    )
    assert member.check_password(GOOD_PASSWORD)


def test_administrator_locks_a_staff_member(admin):
    member = UserFactory(role=Role.DESK_OFFICER)
    staff_update(admin, member.pk, is_active=False)
    member.refresh_from_db()
    assert not member.is_active


def test_update_to_citizen_role_changes_nothing(admin):
    member = UserFactory(role=Role.SPECIALIST)
    _assert_refused(lambda: staff_update(admin, member.pk, role=Role.CITIZEN), "role", "công dân")


def test_update_without_unit_changes_nothing(admin):
    member = UserFactory(role=Role.SPECIALIST)
    _assert_refused(
        lambda: staff_update(admin, member.pk, unit_id=None, full_name="Tên mới"), "unit", "đơn vị"
    )


def test_administrator_cannot_demote_or_lock_themself(admin):
    _assert_refused(
        lambda: staff_update(admin, admin.pk, role=Role.SPECIALIST), "role", "chính mình"
    )
    _assert_refused(
        lambda: staff_update(admin, admin.pk, is_active=False), "is_active", "chính mình"
    )


def test_a_citizen_account_is_not_edited_as_staff(admin):
    citizen = UserFactory(citizen=True)
    unit = UnitFactory()
    before = _snapshot()
    with pytest.raises(ValidationError):
        staff_update(admin, citizen.pk, role=Role.SPECIALIST, unit_id=unit.pk)
    assert _snapshot() == before


def test_non_administrator_may_not_update(admin):
    member = UserFactory(role=Role.SPECIALIST)
    actor = UserFactory(role=Role.DIVISION_HEAD, unit=member.unit)
    before = _snapshot()
    with pytest.raises(PermissionDenied):
        staff_update(actor, member.pk, role=Role.DIVISION_HEAD)
    assert _snapshot() == before


def test_staff_in_a_closed_unit_can_still_be_renamed_but_not_moved_into_one(admin):
    closed = UnitFactory(is_active=False)
    member = UserFactory(role=Role.SPECIALIST, unit=closed)
    staff_update(admin, member.pk, full_name="Vũ Thị Giang", unit_id=closed.pk)
    member.refresh_from_db()
    assert member.full_name == "Vũ Thị Giang"
    other = UserFactory(role=Role.SPECIALIST)
    _assert_refused(
        lambda: staff_update(admin, other.pk, unit_id=closed.pk), "unit", "ngừng hoạt động"
    )


def test_an_officers_phone_and_e_mail_are_kept_for_the_reminders(admin, client):
    user = _create(admin, phone="0912 345 678", email="hoa.nt@stp.hatinh.gov.vn")
    user.refresh_from_db()
    assert (user.phone, user.email) == ("0912345678", "hoa.nt@stp.hatinh.gov.vn")
    staff_update(admin, user.pk, phone="", email="hoa@example.vn")
    user.refresh_from_db()
    assert (user.phone, user.email) == ("", "hoa@example.vn")
    client.force_login(admin)
    page = client.get(f"/can-bo/to-chuc/can-bo/{user.pk}/sua/").content.decode()
    assert 'type="tel"' in page and "hoa@example.vn" in page


@pytest.mark.parametrize(
    "field, value, fragment",
    [("phone", "12345", "Số điện thoại di động"), ("email", "hoa@", "thư điện tử")],
)
def test_a_bad_phone_or_e_mail_is_refused_and_nothing_changes(admin, field, value, fragment):
    _assert_refused(lambda: _create(admin, **{field: value}), field, fragment)
    user = _create(admin, username="lan.pt")
    _assert_refused(lambda: staff_update(admin, user.pk, **{field: value}), field, fragment)
    user.refresh_from_db()
    assert (user.phone, user.email) == ("", "")
