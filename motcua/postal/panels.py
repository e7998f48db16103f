"""The postal part of the officer's dossier page: the envelope it came in, the consignments of its
result with their tracking, and — for the desk, when the result waits — posting it."""

import uuid

from motcua.accounts.roles import Role
from motcua.core.panels import Panel
from motcua.dossiers.models import ChannelKind
from motcua.dossiers.workflow import Status

from .forms import DeskEventForm, ReturnByPostForm
from .selectors import dossier_consignments
from .services import FINAL, postal_return_request

WAITING_FOR_RETURN = {Status.FINISHED, Status.REFUSED}


def dossier_panel(request, dossier) -> Panel | None:
    consignments = dossier_consignments(dossier)
    is_desk = request.user.role == Role.DESK_OFFICER
    for consignment in consignments:
        # Ids per consignment: several forms on one page must not share label targets.
        trackable = consignment.direction == "outbound" and consignment.status not in FINAL
        consignment.event_form = (
            DeskEventForm(auto_id=f"ev{consignment.pk}-%s") if is_desk and trackable else None
        )
    can_post = (
        is_desk
        and dossier.status in WAITING_FOR_RETURN
        and ChannelKind.POST in dossier.procedure_version.return_channels
        and not dossier.returns_to_sending_agency
    )
    if not consignments and not can_post and dossier.return_channel != ChannelKind.POST:
        return None
    return Panel(
        title="Bưu chính công ích",
        template="postal/panel.html",
        context={
            "dossier": dossier,
            "consignments": [c for c in consignments if c.status != "requested"],
            "return_form": (
                ReturnByPostForm(initial=_return_initial(dossier), auto_id="postal-%s")
                if can_post
                else None
            ),
            "token": uuid.uuid4().hex,
        },
    )


def _return_initial(dossier) -> dict:
    """The address the citizen chose, else the applicant's own."""
    request = postal_return_request(dossier)
    if request is not None:
        return {
            "receiver_name": request.receiver_name,
            "phone": request.receiver_phone,
            "province_code": request.province_code,
            "ward_code": request.ward_code,
            "address_line": request.address_line,
        }
    applicant = dossier.applicant
    return {
        "receiver_name": dossier.applicant_name,
        "phone": applicant.phone,
        "province_code": applicant.province_code or None,
        "ward_code": applicant.ward_code,
        "address_line": applicant.address_line,
    }
