"""Who may see and act on a dossier. Every object access goes through `access_dossier_for_officer`."""

from django.core.exceptions import PermissionDenied

from motcua.accounts.roles import Role
from motcua.org.selectors import unit_ancestor_ids

from .models import Dossier

MSG_NOT_FOUND = "Không tìm thấy hồ sơ, hoặc ông/bà không có quyền xem hồ sơ này."


def can_see_dossier(user, dossier: Dossier) -> bool:
    """Staff see the dossiers of their unit's tree: the desk those it received, processors those of
    the competent agency they work in, the assignee always. Administrators do not process dossiers."""
    if not (user and user.is_authenticated and user.is_active) or user.role in (
        Role.CITIZEN,
        Role.ADMINISTRATOR,
    ):
        return False
    if dossier.assignee_id == user.pk:
        return True
    if user.unit_id is None:
        return False
    if user.role == Role.DESK_OFFICER:
        return dossier.receiving_unit_id == user.unit_id
    agency_id = dossier.procedure_version.competent_agency_id
    # A division sits under the department (competent agency): its staff work the department's dossiers.
    return agency_id in unit_ancestor_ids(user.unit_id)


def access_dossier_for_officer(user, dossier_id, *, for_update: bool = False) -> Dossier:
    """The one door to a dossier for staff: the dossier, or PermissionDenied with the same message
    whether it does not exist or is not theirs (so ids cannot be probed)."""
    queryset = Dossier.objects.select_related("procedure_version", "receiving_unit", "applicant")
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    dossier = queryset.filter(pk=dossier_id).first()
    if dossier is None or not can_see_dossier(user, dossier):
        raise PermissionDenied(MSG_NOT_FOUND)
    return dossier
