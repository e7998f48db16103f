"""Who may see and act on a dossier. Every object access goes through `access_dossier_for_officer`,
built on the one visibility rule (selectors.dossiers_visible_to, ADR 0017); who may be given a
dossier is `assignable_officers`, used both by the pages that offer people and by the service."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from motcua.accounts.roles import Role
from motcua.org.selectors import unit_subtree_ids

from .models import Dossier
from .selectors import dossiers_visible_to

MSG_NOT_FOUND = "Không tìm thấy hồ sơ, hoặc ông/bà không có quyền xem hồ sơ này."
MSG_NOT_ASSIGNABLE = (
    "Không thể giao hồ sơ cho người này: chỉ giao được cho chuyên viên, trưởng phòng đang làm việc"
    " trong đơn vị của ông/bà."
)
ASSIGNABLE_ROLES = (Role.SPECIALIST, Role.DIVISION_HEAD)


def can_see_dossier(user, dossier: Dossier) -> bool:
    """Whether the staff member may see this dossier: the visibility rule asked about one row."""
    return dossiers_visible_to(user).filter(pk=dossier.pk).exists()


def access_dossier_for_officer(user, dossier_id, *, for_update: bool = False) -> Dossier:
    """The one door to a dossier for staff: the dossier, or PermissionDenied with the same message
    whether it does not exist or is not theirs (so ids cannot be probed)."""
    queryset = dossiers_visible_to(user).select_related(
        "procedure_version", "receiving_unit", "applicant"
    )
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    dossier = queryset.filter(pk=dossier_id).first()
    if dossier is None:
        raise PermissionDenied(MSG_NOT_FOUND)
    return dossier


def assignable_officers(actor) -> QuerySet:
    """The people a head may give a dossier to: active specialists and division heads of the
    actor's unit or a unit below it — never another agency's. The pages offer exactly these and
    the assignment service refuses anyone else, so a posted id cannot reach across agencies."""
    from motcua.accounts.models import User

    if not (actor and actor.is_authenticated and actor.unit_id):
        return User.objects.none()
    return User.objects.filter(
        is_active=True, role__in=ASSIGNABLE_ROLES, unit_id__in=unit_subtree_ids(actor.unit_id)
    ).order_by("full_name")
