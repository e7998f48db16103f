"""Writes to the organisation: create and change agencies and units.

Every unit carries its identifier code under QCVN 102:2016/BTTTT (Thông tư 10/2016/TT-BTTTT), the
prefix of every dossier code it receives (Thông tư 01/2018/TT-VPCP Điều 19). Only an administrator
may change the tree; every error is a ValidationError with a Vietnamese message and leaves the
database unchanged.
"""

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from .models import UNIT_CODE_PATTERN, Unit, UnitKind
from .permissions import can_manage_org

EDITABLE_FIELDS = frozenset(
    {"code", "name", "short_name", "kind", "parent", "sort_order", "is_active"}
)

MSG_FORBIDDEN = "Chỉ quản trị hệ thống mới được thêm hoặc sửa đơn vị."
MSG_CODE_FORMAT = (
    "Mã định danh “{code}” không đúng dạng 000.00.00.H00 theo QCVN 102:2016/BTTTT "
    "(ví dụ 000.00.12.H27)."
)
MSG_CODE_DUPLICATE = "Mã định danh “{code}” đã được dùng cho đơn vị “{name}”."
MSG_NAME_REQUIRED = "Hãy nhập tên đơn vị."
MSG_NAME_TOO_LONG = "Tên đơn vị không được dài quá 255 ký tự."
MSG_SHORT_NAME_TOO_LONG = "Tên viết tắt không được dài quá 64 ký tự."
MSG_KIND_UNKNOWN = "Loại đơn vị “{kind}” không có trong danh mục loại đơn vị."
MSG_PARENT_MISSING = "Không tìm thấy đơn vị cấp trên đã chọn."
MSG_PARENT_CYCLE = (
    "Không thể đặt “{parent}” làm đơn vị cấp trên của “{name}”: "
    "đơn vị không thể nằm dưới chính nó hoặc dưới đơn vị cấp dưới của nó."
)
MSG_PARENT_PROVINCE = (
    "Đơn vị cấp trên “{parent}” thuộc tỉnh mã {parent_province}, "
    "còn mã định danh “{code}” thuộc tỉnh mã {province}: hai đơn vị phải cùng một tỉnh."
)
MSG_SORT_ORDER = "Thứ tự hiển thị phải là số nguyên không âm."
MSG_UNKNOWN_FIELD = "Không thể sửa thông tin “{field}” của đơn vị."
MSG_UNIT_MISSING = "Không tìm thấy đơn vị cần sửa."


def _province_of(code: str) -> str:
    return code.rsplit(".", 1)[-1]


def _check_actor(actor) -> None:
    if not can_manage_org(actor):
        raise PermissionDenied(MSG_FORBIDDEN)


def _resolve_parent(parent) -> Unit | None:
    if parent is None or parent == "":
        return None
    pk = parent.pk if isinstance(parent, Unit) else parent
    try:
        return Unit.objects.get(pk=pk)
    except (Unit.DoesNotExist, ValueError, TypeError):
        raise ValidationError({"parent": MSG_PARENT_MISSING}) from None


def _would_cycle(unit_pk: int | None, parent: Unit | None) -> bool:
    """True when `parent` is the unit itself or one of its descendants."""
    if unit_pk is None or parent is None:
        return False
    links = dict(Unit.objects.values_list("pk", "parent_id"))
    seen: set[int] = set()
    node: int | None = parent.pk
    while node is not None and node not in seen:
        if node == unit_pk:
            return True
        seen.add(node)
        node = links.get(node)
    return False


def unit_validate(
    *,
    code: str,
    name: str,
    kind: str,
    parent: Unit | None,
    short_name: str = "",
    sort_order=0,
    unit_pk: int | None = None,
    unit_name: str | None = None,
) -> None:
    """Check one unit's values against the rules; raise ValidationError naming each bad field."""
    errors: dict[str, str] = {}
    if not isinstance(code, str) or not re.match(UNIT_CODE_PATTERN, code):
        errors["code"] = MSG_CODE_FORMAT.format(code=code)
    else:
        other = Unit.objects.filter(code=code).exclude(pk=unit_pk).first()
        if other is not None:
            errors["code"] = MSG_CODE_DUPLICATE.format(code=code, name=other.name)
    if not isinstance(name, str) or not name.strip():
        errors["name"] = MSG_NAME_REQUIRED
    elif len(name) > 255:
        errors["name"] = MSG_NAME_TOO_LONG
    if not isinstance(short_name, str) or len(short_name) > 64:
        errors["short_name"] = MSG_SHORT_NAME_TOO_LONG
    if kind not in UnitKind.values:
        errors["kind"] = MSG_KIND_UNKNOWN.format(kind=kind)
    if isinstance(sort_order, bool) or not isinstance(sort_order, int) or sort_order < 0:
        errors["sort_order"] = MSG_SORT_ORDER
    if parent is not None:
        if _would_cycle(unit_pk, parent):
            errors["parent"] = MSG_PARENT_CYCLE.format(parent=parent.name, name=unit_name or name)
        elif "code" not in errors and _province_of(parent.code) != _province_of(code):
            errors["parent"] = MSG_PARENT_PROVINCE.format(
                parent=parent.name,
                parent_province=_province_of(parent.code),
                code=code,
                province=_province_of(code),
            )
    if errors:
        raise ValidationError(errors)


def unit_create(
    actor,
    *,
    code: str,
    name: str,
    kind: str,
    parent: Unit | int | None = None,
    short_name: str = "",
    sort_order: int = 0,
) -> Unit:
    """Add an agency or a unit to the tree (administrator only).

    The code follows QCVN 102:2016/BTTTT, is unique in the installation, and a unit sits in the
    same province (last group of the code, e.g. H27) as its parent.
    """
    _check_actor(actor)
    code = code.strip() if isinstance(code, str) else code
    name = name.strip() if isinstance(name, str) else name
    short_name = short_name.strip() if isinstance(short_name, str) else short_name
    with transaction.atomic():
        parent_unit = _resolve_parent(parent)
        unit_validate(
            code=code,
            name=name,
            kind=kind,
            parent=parent_unit,
            short_name=short_name,
            sort_order=sort_order,
        )
        return Unit.objects.create(
            code=code,
            name=name,
            kind=kind,
            parent=parent_unit,
            short_name=short_name,
            sort_order=sort_order,
        )


def unit_update(actor, unit_id: int, **changes) -> Unit:
    """Change a unit's code, name, short name, kind, parent, order or active flag (administrator only).

    The same rules as unit_create hold, and a unit may not be moved under itself or under one of
    its own descendants.
    """
    _check_actor(actor)
    unknown = sorted(set(changes) - EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({field: MSG_UNKNOWN_FIELD.format(field=field) for field in unknown})
    with transaction.atomic():
        try:
            unit = Unit.objects.select_for_update().get(pk=unit_id)
        except (Unit.DoesNotExist, ValueError, TypeError):
            raise ValidationError(MSG_UNIT_MISSING) from None
        values = {
            "code": unit.code,
            "name": unit.name,
            "short_name": unit.short_name,
            "kind": unit.kind,
            "parent": unit.parent,
            "sort_order": unit.sort_order,
        }
        for field in ("code", "name", "short_name"):
            if field in changes and isinstance(changes[field], str):
                changes[field] = changes[field].strip()
        if "parent" in changes:
            changes["parent"] = _resolve_parent(changes["parent"])
        values.update({k: v for k, v in changes.items() if k != "is_active"})
        unit_validate(**values, unit_pk=unit.pk, unit_name=unit.name)
        if "is_active" in changes and not isinstance(changes["is_active"], bool):
            raise ValidationError({"is_active": "Trạng thái hoạt động phải là có hoặc không."})
        for field, value in changes.items():
            setattr(unit, field, value)
        unit.save()
        return unit
