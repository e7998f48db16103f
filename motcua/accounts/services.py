"""Writes on accounts. Every service takes the acting user, checks access, validates and writes in one
transaction; on any error it raises and nothing changes.

Errors are django.core.exceptions.ValidationError with Vietnamese messages keyed by field, so a form
can show each one beside its field.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from motcua.org.models import Unit

from . import permissions
from .roles import STAFF_ROLES, Role

User = get_user_model()

_UNSET = object()


def _check_role(role: str) -> dict:
    if role == Role.CITIZEN:
        return {"role": "Tài khoản cán bộ không thể mang vai trò công dân, tổ chức."}
    if role not in STAFF_ROLES:
        return {"role": "Vai trò không hợp lệ."}
    return {}


def _resolve_unit(unit_id) -> tuple[Unit | None, dict]:
    if unit_id in (None, ""):
        return None, {"unit": "Cán bộ phải thuộc một đơn vị: hãy chọn đơn vị."}
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None:
        return None, {"unit": "Đơn vị không tồn tại."}
    if not unit.is_active:
        return None, {"unit": "Đơn vị này đã ngừng hoạt động."}
    return unit, {}


@transaction.atomic
def _staff_contact(phone: str, email: str) -> tuple[str, str, dict]:
    """The officer's own phone and e-mail, where due-soon and overdue reminders go ([K] 19):
    optional, but a number that is not a Vietnamese mobile or a malformed address is refused."""
    from django.core.validators import validate_email

    from motcua.notifications.sms import normalise_phone

    phone = "".join((phone or "").split())
    email = (email or "").strip()
    errors = {}
    if phone:
        try:
            normalise_phone(phone)
        except ValueError:
            errors["phone"] = "Số điện thoại di động không hợp lệ (ví dụ 0912 345 678)."
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = "Địa chỉ thư điện tử không hợp lệ."
    return phone, email, errors


def staff_create(
    actor,
    *,
    username: str,
    full_name: str,
    role: str,
    unit_id,
    password: str,
    phone: str = "",
    email: str = "",
):
    """Open a staff account: a staff role (never citizen), in an existing active unit.

    Only an administrator may do it. Usernames are unique regardless of letter case, so
    "hoa.nt" and "Hoa.NT" cannot both exist.
    """
    permissions.require(permissions.can_administer_staff(actor))
    username = (username or "").strip()
    full_name = (full_name or "").strip()
    errors: dict[str, list[str]] = {}

    def add(found: dict) -> None:
        for field, message in found.items():
            errors.setdefault(field, []).append(message)

    if not username:
        add({"username": "Hãy nhập tên đăng nhập."})
    else:
        try:
            User.username_validator(username)
        except ValidationError:
            add(
                {
                    "username": "Tên đăng nhập chỉ gồm chữ cái không dấu, chữ số và các ký tự @ . + - _."
                }
            )
        if User.objects.filter(username__iexact=username).exists():
            add({"username": f"Tên đăng nhập “{username}” đã được sử dụng."})
    if not full_name:
        add({"full_name": "Hãy nhập họ và tên."})
    add(_check_role(role))
    unit, unit_errors = _resolve_unit(unit_id)
    add(unit_errors)

    phone, email, contact_errors = _staff_contact(phone, email)
    add(contact_errors)
    user = User(
        username=username,
        full_name=full_name,
        role=role,
        unit=unit,
        is_active=True,
        phone=phone,
        email=email,
    )
    if not password:
        add({"password": "Hãy đặt mật khẩu."})
    else:
        try:
            validate_password(password, user=user)
        except ValidationError as exc:
            errors.setdefault("password", []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)

    user.set_password(password)
    user.save()
    return user


@transaction.atomic
def staff_update(
    actor,
    user_id: int,
    *,
    full_name=_UNSET,
    role=_UNSET,
    unit_id=_UNSET,
    is_active=_UNSET,
    password=_UNSET,
    phone=_UNSET,
    email=_UNSET,
):
    """Change a staff member's name, role, unit or active flag, or set a new password.

    Only an administrator may do it; citizens' accounts are not staff and cannot be edited here.
    An administrator cannot demote or lock themself out (the installation would be left without
    anyone able to repair it).
    """
    permissions.require(permissions.can_administer_staff(actor))
    user = User.objects.select_for_update().filter(pk=user_id).first()
    if user is None or user.role not in STAFF_ROLES:
        raise ValidationError("Không tìm thấy cán bộ này.")

    errors: dict[str, list[str]] = {}

    def add(found: dict) -> None:
        for field, message in found.items():
            errors.setdefault(field, []).append(message)

    if full_name is not _UNSET:
        full_name = (full_name or "").strip()
        if not full_name:
            add({"full_name": "Hãy nhập họ và tên."})
        user.full_name = full_name
    if role is not _UNSET:
        add(_check_role(role))
        if user.pk == actor.pk and role != Role.ADMINISTRATOR:
            add({"role": "Bạn không thể tự bỏ vai trò quản trị của chính mình."})
        user.role = role
    if unit_id is not _UNSET and not (unit_id and str(unit_id) == str(user.unit_id)):
        # Keeping the current unit is always allowed, even if it has since been closed.
        unit, unit_errors = _resolve_unit(unit_id)
        add(unit_errors)
        if unit is not None:
            user.unit = unit
    if phone is not _UNSET or email is not _UNSET:
        new_phone, new_email, contact_errors = _staff_contact(
            user.phone if phone is _UNSET else phone, user.email if email is _UNSET else email
        )
        add(contact_errors)
        user.phone, user.email = new_phone, new_email
    if is_active is not _UNSET:
        if user.pk == actor.pk and not is_active:
            add({"is_active": "Bạn không thể tự khóa tài khoản của chính mình."})
        user.is_active = bool(is_active)
    if password is not _UNSET and password:
        try:
            validate_password(password, user=user)
        except ValidationError as exc:
            errors.setdefault("password", []).extend(exc.messages)
    if errors:
        raise ValidationError(errors)

    if password is not _UNSET and password:
        user.set_password(password)
    user.save()
    return user


@transaction.atomic
def citizen_profile_update(actor, *, full_name: str, citizen_id: str = ""):
    """A citizen names themself and may give their citizen ID (to prefill applications)."""
    from motcua.core.identity import citizen_id_validate

    if not (actor and actor.is_authenticated and actor.role == Role.CITIZEN):
        raise permissions.PermissionDenied("Chỉ tài khoản công dân.")
    errors = {}
    full_name = (full_name or "").strip()
    if not full_name:
        errors["full_name"] = "Hãy nhập họ và tên."
    number = "".join((citizen_id or "").split())
    if number:
        try:
            number = citizen_id_validate(number)
        except ValidationError as exc:
            errors["citizen_id"] = exc.messages[0]
    if errors:
        raise ValidationError(errors)
    actor.full_name = full_name[:150]
    actor.citizen_id = number
    actor.save(update_fields=["full_name", "citizen_id"])
    return actor
