"""Administration of organisation units through the back office (administrator only)."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from motcua.accounts.roles import Role
from motcua.org.models import Unit, UnitKind
from tests.accounts.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db

UNITS = reverse("backoffice:org_units")
ADD = reverse("backoffice:org_unit_add")


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(role=Role.ADMINISTRATOR, unit=_tree()["so"]))
    return client


def _tree():
    province = UnitFactory(code="000.00.00.H26", name="UBND tỉnh Hà Tĩnh", kind=UnitKind.PROVINCE)
    so = UnitFactory(
        code="000.00.12.H26", name="Sở Tư pháp", kind=UnitKind.DEPARTMENT, parent=province
    )
    UnitFactory(
        code="000.01.12.H26", name="Phòng Hành chính tư pháp", kind=UnitKind.DIVISION, parent=so
    )
    return {"province": province, "so": so}


def _snapshot():
    return sorted(
        Unit.objects.values_list(
            "code", "name", "short_name", "kind", "parent_id", "sort_order", "is_active"
        )
    )


def test_tree_is_listed_in_order_and_indented(admin_client):
    body = admin_client.get(UNITS).content.decode()
    names = ["UBND tỉnh Hà Tĩnh", "Sở Tư pháp", "Phòng Hành chính tư pháp"]
    positions = [body.index(n) for n in names]
    assert positions == sorted(positions)
    depths = re.findall(r"tree__item--d(\d)", body)
    assert depths[:3] == ["0", "1", "2"]
    assert "000.01.12.H26" in body


def test_tree_is_paginated(admin_client):
    parent = Unit.objects.get(code="000.00.12.H26")
    for n in range(60):
        UnitFactory(code=f"{n + 100:03d}.02.12.H26", name=f"Đơn vị {n:02d}", parent=parent)
    first = admin_client.get(UNITS).content.decode()
    assert "Trang 1/2" in first and "?trang=2" in first
    second = admin_client.get(UNITS, {"trang": 2}).content.decode()
    assert "Trang 2/2" in second
    assert first.count("tree__item--") + second.count("tree__item--") == Unit.objects.count()


def test_administrator_adds_a_unit(admin_client):
    so = Unit.objects.get(code="000.00.12.H26")
    response = admin_client.post(
        ADD,
        {
            "code": "000.05.12.H26",
            "name": "Trung tâm Trợ giúp pháp lý nhà nước",
            "short_name": "TTTGPL",
            "kind": UnitKind.CENTRE,
            "parent": so.pk,
            "sort_order": 5,
        },
        follow=True,
    )
    unit = Unit.objects.get(code="000.05.12.H26")
    assert (unit.parent, unit.kind, unit.short_name, unit.sort_order) == (
        so,
        UnitKind.CENTRE,
        "TTTGPL",
        5,
    )
    body = response.content.decode()
    assert "Đã thêm đơn vị" in body and "Trung tâm Trợ giúp pháp lý nhà nước" in body


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"code": "12.H26"}, "không đúng dạng 000.00.00.H00"),
        ({"code": "000.00.12.H26"}, "đã được dùng"),
        ({"name": ""}, "Hãy nhập tên đơn vị."),
        ({"kind": "bogus"}, "Lựa chọn không hợp lệ."),
    ],
)
def test_bad_unit_is_refused_with_a_message_and_nothing_saved(admin_client, data, message):
    before = _snapshot()
    post = {
        "code": "000.06.12.H26",
        "name": "Phòng mới",
        "kind": UnitKind.DIVISION,
        "sort_order": 0,
    }
    post.update(data)
    response = admin_client.post(ADD, post)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert _snapshot() == before


def test_unit_in_another_province_is_refused(admin_client):
    so = Unit.objects.get(code="000.00.12.H26")
    before = _snapshot()
    response = admin_client.post(
        ADD,
        {
            "code": "000.06.12.H27",
            "name": "Phòng lạc tỉnh",
            "kind": UnitKind.DIVISION,
            "parent": so.pk,
            "sort_order": 0,
        },
    )
    assert "hai đơn vị phải cùng một tỉnh" in response.content.decode()
    assert _snapshot() == before


def test_administrator_edits_a_unit(admin_client):
    unit = Unit.objects.get(code="000.01.12.H26")
    form = admin_client.get(reverse("backoffice:org_unit_edit", args=[unit.pk])).content.decode()
    assert 'value="Phòng Hành chính tư pháp"' in form
    response = admin_client.post(
        reverse("backoffice:org_unit_edit", args=[unit.pk]),
        {
            "code": unit.code,
            "name": "Phòng Hành chính tư pháp và Bổ trợ tư pháp",
            "kind": unit.kind,
            "parent": unit.parent_id,
            "sort_order": 3,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    unit.refresh_from_db()
    assert (unit.name, unit.sort_order, unit.is_active) == (
        "Phòng Hành chính tư pháp và Bổ trợ tư pháp",
        3,
        True,
    )


def test_moving_a_unit_under_its_own_child_is_refused(admin_client):
    so = Unit.objects.get(code="000.00.12.H26")
    child = Unit.objects.get(code="000.01.12.H26")
    before = _snapshot()
    response = admin_client.post(
        reverse("backoffice:org_unit_edit", args=[so.pk]),
        {
            "code": so.code,
            "name": so.name,
            "kind": so.kind,
            "parent": child.pk,
            "sort_order": 0,
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "không thể nằm dưới chính nó" in response.content.decode()
    assert _snapshot() == before


def test_a_unit_is_not_offered_as_its_own_parent(admin_client):
    so = Unit.objects.get(code="000.00.12.H26")
    body = admin_client.get(reverse("backoffice:org_unit_edit", args=[so.pk])).content.decode()
    select = body[body.index('name="parent"') :]
    select = select[: select.index("</select>")]
    assert f'value="{so.pk}"' not in select


def test_edit_of_a_missing_unit_is_404(admin_client):
    assert admin_client.get(reverse("backoffice:org_unit_edit", args=[999999])).status_code == 404


@pytest.mark.parametrize(
    "role", [Role.DESK_OFFICER, Role.SPECIALIST, Role.DIVISION_HEAD, Role.DEPARTMENT_LEADER]
)
def test_non_administrators_cannot_add_units(client, role):
    client.force_login(UserFactory(role=role))
    before = _snapshot()
    response = client.post(
        ADD,
        {"code": "000.07.12.H26", "name": "Phòng lén", "kind": UnitKind.DIVISION, "sort_order": 0},
    )
    assert response.status_code == 403
    assert _snapshot() == before


def test_tree_query_count_does_not_grow_with_units(admin_client):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(UNITS).status_code == 200
        return len(queries)

    few = count()
    parent = Unit.objects.get(code="000.00.12.H26")
    for n in range(20):
        UnitFactory(code=f"{n + 100:03d}.03.12.H26", parent=parent)
    assert count() == few
