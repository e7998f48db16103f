"""Who may do what in the reform area. Every staff member reads; the department's leaders, the
administrators and the staff of the units that keep the reform work (the Office keeps plans and
tasks; the Office and the legal division keep the legal-document register) edit. A task's owner and
the head of its unit may report its progress."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from motcua.accounts.permissions import has_role, is_staff_member
from motcua.accounts.roles import Role

# Unit codes (QCVN 102:2016) of the Office (Văn phòng Sở: CCHC focal point) and the legal division
# (Phòng Xây dựng, kiểm tra và theo dõi thi hành pháp luật). A deployment sets its own.
REFORM_UNIT_CODES = tuple(getattr(settings, "MOTCUA_REFORM_UNIT_CODES", ("000.01.12.H27",)))
LEGAL_UNIT_CODES = tuple(
    getattr(settings, "MOTCUA_LEGAL_UNIT_CODES", ("000.01.12.H27", "000.03.12.H27"))
)
MSG_READ_FORBIDDEN = "Trang cải cách hành chính chỉ dành cho cán bộ, công chức."
MSG_EDIT_FORBIDDEN = "Bạn không có quyền cập nhật dữ liệu cải cách hành chính."


def _in_units(user, codes) -> bool:
    unit = getattr(user, "unit", None)
    return is_staff_member(user) and unit is not None and unit.code in codes


def can_read_reform(user) -> bool:
    return is_staff_member(user)


def can_edit_reform(user) -> bool:
    """Plans, tasks, inspections, the ISO register and the PAR index."""
    return has_role(user, Role.DEPARTMENT_LEADER, Role.ADMINISTRATOR) or _in_units(
        user, REFORM_UNIT_CODES
    )


def can_edit_legal(user) -> bool:
    """The register of legal documents, drafts and the activities on them."""
    return has_role(user, Role.DEPARTMENT_LEADER, Role.ADMINISTRATOR) or _in_units(
        user, LEGAL_UNIT_CODES
    )


def can_report_progress(user, task) -> bool:
    if can_edit_reform(user):
        return True
    if not is_staff_member(user):
        return False
    if task.owner_id is not None and task.owner_id == user.pk:
        return True
    return has_role(user, Role.DIVISION_HEAD) and user.unit_id == task.unit_id


def require_read(user) -> None:
    if not can_read_reform(user):
        raise PermissionDenied(MSG_READ_FORBIDDEN)


def require_edit(user) -> None:
    if not can_edit_reform(user):
        raise PermissionDenied(MSG_EDIT_FORBIDDEN)


def require_legal_edit(user) -> None:
    if not can_edit_legal(user):
        raise PermissionDenied(MSG_EDIT_FORBIDDEN)


def reform_visible_to(user, model) -> QuerySet:
    """THE rule of which reform objects (plans, tasks, inspections, legal documents, drafts, ISO
    processes, PAR assessments…) a person may see (ADR 0017): the reform register is the whole
    department's, so every staff member sees all of each kind and nobody else sees any. The rule
    is all or nothing per person: the lists' gate (require_read) and this queryset agree."""
    return model.objects.all() if can_read_reform(user) else model.objects.none()


def access_object(user, model, pk):
    """The one door to a reform object by id: staff only, checked before the look-up so that a
    citizen gets 403 even for an id that does not exist."""
    require_read(user)
    return get_object_or_404(reform_visible_to(user, model), pk=pk)
