"""Who may read and keep the HR records.

Roles: the administrator and the department leader (lãnh đạo Sở) read and keep everything; an
organisation officer (cán bộ làm công tác tổ chức, usually in the Văn phòng Sở) is a staff account
granted the `staffing.manage_records` permission (through a group in Django's admin or by the
administrator). Nobody else — division heads, specialists, desk officers, citizens — opens these
pages: records hold personal data.
"""

from motcua.accounts.permissions import has_role, is_staff_member, require
from motcua.accounts.roles import Role

MANAGER_ROLES = (Role.ADMINISTRATOR, Role.DEPARTMENT_LEADER)
MANAGE_PERMISSION = "staffing.manage_records"


def can_manage_staff_records(user) -> bool:
    if has_role(user, *MANAGER_ROLES):
        return True
    return is_staff_member(user) and hasattr(user, "has_perm") and user.has_perm(MANAGE_PERMISSION)


def require_staff_records(user) -> None:
    require(
        can_manage_staff_records(user),
        "Chỉ quản trị, lãnh đạo Sở hoặc cán bộ tổ chức được xem và cập nhật hồ sơ cán bộ.",
    )
