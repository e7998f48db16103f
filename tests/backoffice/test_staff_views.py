"""Administration of staff accounts through the back office (administrator only)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from motcua.accounts.models import User
from motcua.accounts.roles import Role
from tests.accounts.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

STAFF = reverse("backoffice:staff")
ADD = reverse("backoffice:staff_add")
PASSWORD = "Thu-ly-Ho-so-2024"


@pytest.fixture
def admin(client):
    user = UserFactory(role=Role.ADMINISTRATOR, username="quantri")
    client.force_login(user)
    return user


def _snapshot():
    return sorted(
        User.objects.values_list(
            "username", "full_name", "role", "unit_id", "is_active", "password"
        )
    )


def test_list_shows_unit_and_role_but_not_citizens(client, admin):
    UserFactory(role=Role.SPECIALIST, full_name="Lê Văn Chiến", unit__name="Phòng Bổ trợ tư pháp")
    UserFactory(citizen=True, full_name="Phạm Thị Dân")
    body = client.get(STAFF).content.decode()
    assert "Lê Văn Chiến" in body and "Phòng Bổ trợ tư pháp" in body and "Chuyên viên xử lý" in body
    assert "Phạm Thị Dân" not in body


def test_list_is_paginated(client, admin):
    unit = UnitFactory()
    UserFactory.create_batch(55, role=Role.SPECIALIST, unit=unit)
    first = client.get(STAFF).content.decode()
    assert "Trang 1/2" in first
    second = client.get(STAFF, {"trang": 2}).content.decode()
    assert first.count("<tr>") - 1 + second.count("<tr>") - 1 == 56


def _post(client, **overrides):
    data = {
        "username": "binh.tv",
        "full_name": "Trần Văn Bình",
        "role": Role.DESK_OFFICER,
        "unit_id": UnitFactory().pk,
        "password": PASSWORD,
    }
    data.update(overrides)
    return client.post(ADD, data)


def test_administrator_adds_a_staff_member(client, admin):
    response = _post(client)
    assert response.status_code == 302 and response["Location"] == STAFF
    member = User.objects.get(username="binh.tv")
    assert member.role == Role.DESK_OFFICER and member.unit is not None
    assert member.check_password(PASSWORD)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"role": Role.CITIZEN}, "Vai trò không hợp lệ."),
        ({"unit_id": ""}, "Hãy chọn đơn vị."),
        ({"username": "quantri"}, "đã được sử dụng"),
        ({"username": "QuanTri"}, "đã được sử dụng"),
        ({"password": "123"}, "Mật khẩu"),
        ({"full_name": ""}, "Hãy nhập họ và tên."),
    ],
)
def test_bad_staff_member_is_refused_and_nothing_changes(client, admin, overrides, message):
    unit = UnitFactory()
    overrides.setdefault("unit_id", unit.pk)
    before = _snapshot()
    response = _post(client, **overrides)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert _snapshot() == before


def test_administrator_edits_a_staff_member(client, admin):
    member = UserFactory(role=Role.SPECIALIST)
    new_unit = UnitFactory()
    url = reverse("backoffice:staff_edit", args=[member.pk])
    assert member.full_name in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "full_name": "Đỗ Thị Én",
            "role": Role.DIVISION_HEAD,
            "unit_id": new_unit.pk,
            "is_active": "on",
            "password": "",
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.full_name, member.role, member.unit, member.is_active) == (
        "Đỗ Thị Én",
        Role.DIVISION_HEAD,
        new_unit,
        True,
    )


def test_administrator_cannot_lock_themself_through_the_form(client, admin):
    before = _snapshot()
    response = client.post(
        reverse("backoffice:staff_edit", args=[admin.pk]),
        {
            "full_name": "Quản trị",
            "role": Role.ADMINISTRATOR,
            "unit_id": admin.unit_id,
            "password": "",
        },
    )
    assert response.status_code == 200
    assert "Bạn không thể tự khóa tài khoản của chính mình." in response.content.decode()
    assert _snapshot() == before


def test_citizen_accounts_are_not_editable_here(client, admin):
    citizen = UserFactory(citizen=True)
    assert client.get(reverse("backoffice:staff_edit", args=[citizen.pk])).status_code == 404


@pytest.mark.parametrize(
    "role", [Role.DESK_OFFICER, Role.SPECIALIST, Role.DIVISION_HEAD, Role.DEPARTMENT_LEADER]
)
def test_non_administrators_cannot_add_staff(client, role):
    client.force_login(UserFactory(role=role))
    before = _snapshot()
    response = _post(client, role=Role.ADMINISTRATOR)
    assert response.status_code == 403
    # _post created a unit; users are what matter.
    assert _snapshot() == before


def test_list_query_count_does_not_grow_with_staff(client, admin):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(STAFF).status_code == 200
        return len(queries)

    UserFactory.create_batch(3, role=Role.SPECIALIST)
    few = count()
    UserFactory.create_batch(20, role=Role.DESK_OFFICER)
    assert count() == few
