import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from motcua.accounts.roles import Role
from motcua.org.models import UnitKind
from motcua.org.permissions import can_manage_org
from motcua.org.selectors import unit_subtree_ids, units_in_tree_order

from .factories import AdminFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "active", "allowed"),
    [
        (Role.ADMINISTRATOR, True, True),
        (Role.ADMINISTRATOR, False, False),
        (Role.DEPARTMENT_LEADER, True, False),
        (Role.DIVISION_HEAD, True, False),
        (Role.SPECIALIST, True, False),
        (Role.DESK_OFFICER, True, False),
        (Role.CITIZEN, True, False),
    ],
)
def test_can_manage_org(role, active, allowed):
    assert can_manage_org(UserFactory(role=role, is_active=active)) is allowed


def test_anonymous_and_none_cannot_manage_org():
    assert can_manage_org(AnonymousUser()) is False
    assert can_manage_org(None) is False
    assert can_manage_org(AdminFactory()) is True


@pytest.fixture
def tree():
    # Created out of order on purpose: the tree order must not depend on insertion order.
    province = UnitFactory(code="000.00.00.H27", name="UBND tỉnh", kind=UnitKind.PROVINCE)
    centre = UnitFactory(code="000.00.40.H27", name="TTPVHCC", parent=province, sort_order=20)
    department = UnitFactory(
        code="000.00.12.H27", name="Sở Tư pháp", parent=province, sort_order=10
    )
    office = UnitFactory(code="000.02.12.H27", name="Thanh tra", parent=department, sort_order=2)
    division = UnitFactory(code="000.01.12.H27", name="Văn phòng", parent=department, sort_order=1)
    other = UnitFactory(
        code="000.00.00.H30", name="Hậu Giang", kind=UnitKind.PROVINCE, sort_order=2
    )
    return province, department, division, office, centre, other


def test_tree_order_depth_and_one_query(tree):
    with CaptureQueriesContext(connection) as ctx:
        units = units_in_tree_order()
        listing = [(u.code, u.depth) for u in units]
    assert len(ctx.captured_queries) == 1
    assert listing == [
        ("000.00.00.H27", 0),
        ("000.00.12.H27", 1),
        ("000.01.12.H27", 2),
        ("000.02.12.H27", 2),
        ("000.00.40.H27", 1),
        ("000.00.00.H30", 0),
    ]


def test_subtree_ids(tree):
    province, department, division, office, centre, other = tree
    assert unit_subtree_ids(department) == {department.pk, division.pk, office.pk}
    assert unit_subtree_ids(division) == {division.pk}
    assert unit_subtree_ids(province) == {u.pk for u in tree if u != other}


def test_cli_prints_code_tab_name_in_tree_order(tree):
    out = io.StringIO()
    call_command("org", "units", stdout=out)
    assert out.getvalue() == (
        "000.00.00.H27\tUBND tỉnh\n"
        "000.00.12.H27\tSở Tư pháp\n"
        "000.01.12.H27\tVăn phòng\n"
        "000.02.12.H27\tThanh tra\n"
        "000.00.40.H27\tTTPVHCC\n"
        "000.00.00.H30\tHậu Giang\n"
    )
