"""The one door to a consignment for staff: through its dossier's door."""

from django.core.exceptions import PermissionDenied

from motcua.dossiers.permissions import MSG_NOT_FOUND, can_see_dossier

from .models import Consignment


def access_consignment_for_officer(user, consignment_id) -> Consignment:
    """The consignment, or PermissionDenied with the same message whether it does not exist or its
    dossier is not the officer's (so ids cannot be probed)."""
    consignment = (
        Consignment.objects.select_related(
            "dossier", "dossier__procedure_version", "dossier__receiving_unit"
        )
        .filter(pk=consignment_id)
        .first()
    )
    if consignment is None or not can_see_dossier(user, consignment.dossier):
        raise PermissionDenied(MSG_NOT_FOUND)
    return consignment
