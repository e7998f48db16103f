import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from motcua.org.models import Unit, UnitKind
from motcua.org.services import unit_create, unit_update

from .factories import AdminFactory, UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def snapshot():
    return list(Unit.objects.order_by("pk").values())


@pytest.fixture
def admin():
    return AdminFactory()


@pytest.fixture
def tree():
    province = UnitFactory(code="000.00.00.H27", name="UBND tỉnh Hà Tĩnh", kind=UnitKind.PROVINCE)
    department = UnitFactory(
        code="000.00.12.H27", name="Sở Tư pháp", kind=UnitKind.DEPARTMENT, parent=province
    )
    division = UnitFactory(
        code="000.05.12.H27", name="Phòng HC&BTTP", kind=UnitKind.DIVISION, parent=department
    )
    other = UnitFactory(code="000.00.00.H30", name="UBND tỉnh Hậu Giang", kind=UnitKind.PROVINCE)
    return province, department, division, other


def test_create_and_update(admin, tree):
    province, department, _, _ = tree
    unit = unit_create(
        admin, code=" 000.06.12.H27 ", name="Trung tâm TGPL", kind="centre", parent=department
    )
    assert (unit.code, unit.parent, unit.sort_order) == ("000.06.12.H27", department, 0)
    updated = unit_update(admin, unit.pk, name="Trung tâm Trợ giúp pháp lý", sort_order=6)
    assert Unit.objects.get(pk=unit.pk).name == "Trung tâm Trợ giúp pháp lý"
    assert updated.sort_order == 6
    moved = unit_update(admin, unit.pk, parent=province.pk)
    assert moved.parent_id == province.pk


@pytest.mark.parametrize(
    ("values", "field", "words"),
    [
        ({"code": "00.00.12.H27"}, "code", "QCVN 102:2016"),
        ({"code": "000.00.12.h27"}, "code", "không đúng dạng"),
        ({"code": "000.05.12.H27"}, "code", "đã được dùng"),
        ({"kind": "ministry"}, "kind", "Loại đơn vị “ministry”"),
        ({"name": "  "}, "name", "Hãy nhập tên đơn vị"),
        ({"sort_order": -1}, "sort_order", "không âm"),
        ({"code": "000.01.12.H30"}, "parent", "cùng một tỉnh"),
        ({"parent": 999999}, "parent", "Không tìm thấy đơn vị cấp trên"),
    ],
)
def test_create_rejects_bad_input_and_changes_nothing(admin, tree, values, field, words):
    _, department, _, _ = tree
    before = snapshot()
    data = {"code": "000.06.12.H27", "name": "Trung tâm TGPL", "kind": "centre"}
    data["parent"] = department
    data.update(values)
    with pytest.raises(ValidationError) as exc:
        unit_create(admin, **data)
    assert field in exc.value.error_dict
    assert words in " ".join(exc.value.message_dict[field])
    assert snapshot() == before


@pytest.mark.parametrize("target", ["self", "child", "grandchild"])
def test_update_rejects_a_cycle(admin, tree, target):
    province, department, division, _ = tree
    parent = {"self": province, "child": department, "grandchild": division}[target]
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        unit_update(admin, province.pk, parent=parent)
    assert "không thể nằm dưới chính nó" in exc.value.message_dict["parent"][0]
    assert snapshot() == before


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"code": "000.00.00.H27"}, "code", "đã được dùng cho đơn vị “UBND tỉnh Hà Tĩnh”"),
        ({"code": "000.05.12.H30"}, "parent", "thuộc tỉnh mã H27"),
        ({"parent": "other"}, "parent", "cùng một tỉnh"),
        ({"kind": ""}, "kind", "không có trong danh mục"),
        ({"pk": 1}, "pk", "Không thể sửa"),
    ],
)
def test_update_rejects_bad_input_and_changes_nothing(admin, tree, changes, field, words):
    _, _, division, other = tree
    if changes.get("parent") == "other":
        changes = {"parent": other}
    before = snapshot()
    with pytest.raises(ValidationError) as exc:
        unit_update(admin, division.pk, **changes)
    assert words in " ".join(exc.value.message_dict[field])
    assert snapshot() == before


def test_update_unknown_unit(admin):
    with pytest.raises(ValidationError, match="Không tìm thấy đơn vị cần sửa"):
        unit_update(admin, 424242, name="X")


@pytest.mark.parametrize("who", ["specialist", "leader", "inactive_admin", "anonymous"])
def test_only_an_active_administrator_may_write(tree, who):
    from django.contrib.auth.models import AnonymousUser

    _, department, division, _ = tree
    actor = {
        "specialist": lambda: UserFactory(),
        "leader": lambda: UserFactory(role="department_leader"),
        "inactive_admin": lambda: AdminFactory(is_active=False),
        "anonymous": AnonymousUser,
    }[who]()
    before = snapshot()
    with pytest.raises(PermissionDenied, match="Chỉ quản trị hệ thống"):
        unit_create(actor, code="000.06.12.H27", name="TT", kind="centre", parent=department)
    with pytest.raises(PermissionDenied):
        unit_update(actor, division.pk, name="Đổi tên")
    assert snapshot() == before
