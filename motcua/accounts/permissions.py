"""Who may do what, for the accounts app and the general checks every back-office area uses.

One place for the rules: views, templates (through the `permissions` template library) and services
all ask these functions, so a rule changes in one place. Deny by default: an anonymous, inactive or
unknown-role user passes no check.
"""

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied

from .roles import STAFF_ROLES, Role


def is_staff_member(user) -> bool:
    """A signed-in, active person holding one of the staff roles (never a citizen)."""
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and user.role in STAFF_ROLES
    )


def has_role(user, *roles: str) -> bool:
    """The user is signed in, active and holds one of `roles`."""
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and user.role in roles
    )


def is_administrator(user) -> bool:
    return has_role(user, Role.ADMINISTRATOR)


def can_enter_backoffice(user) -> bool:
    """The back office is for staff only: citizens use the portal."""
    return is_staff_member(user)


def can_administer_staff(user) -> bool:
    """Creating staff accounts and changing their role or unit is the administrator's job."""
    return is_administrator(user)


def can_administer_org(user) -> bool:
    """Organisation units (the tree and their QCVN 102:2016 codes) are kept by the administrator."""
    return is_administrator(user)


def require(allowed: bool, message: str = "Bạn không có quyền thực hiện thao tác này.") -> None:
    """Raise PermissionDenied (→ 403) unless `allowed`; for services and views alike."""
    if not allowed:
        raise PermissionDenied(message)


def role_required(*roles: str) -> Callable:
    """View decorator: only active users holding one of `roles` get through; others get 403.

    Anonymous users never reach the view: LoginRequiredMiddleware sends them to the sign-in page
    first. Should the middleware be removed, they get 403 here too (deny by default).
    """
    if not roles:
        raise ValueError("role_required() needs at least one role")
    unknown = set(roles) - set(Role.values)
    if unknown:
        raise ValueError(f"unknown roles: {sorted(unknown)}")

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            require(has_role(request.user, *roles))
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def staff_required(view: Callable) -> Callable:
    """View decorator: any staff role; citizens and inactive users get 403."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        require(is_staff_member(request.user), "Trang này chỉ dành cho cán bộ, công chức.")
        return view(request, *args, **kwargs)

    return wrapped


administrator_required = role_required(Role.ADMINISTRATOR)
