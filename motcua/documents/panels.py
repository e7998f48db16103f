"""The documents panel of the officer's dossier page: digitisation progress, signatures found on
uploaded PDFs, the electronic result (or the button that issues it)."""

from motcua.accounts.permissions import has_role
from motcua.core.panels import Panel

from .models import ComponentSource, DraftStatus, SignatureStatus
from .results import ISSUABLE_STATUSES, ISSUING_ROLES
from .selectors import components_with_files, results_for_dossier


def dossier_panel(request, dossier) -> Panel | None:
    if not has_role(request.user, *ISSUING_ROLES):
        return None
    components = components_with_files(dossier)
    files = [f for c in components for f in c.attached]
    context = {
        "dossier_id": dossier.pk,
        "component_count": len(components),
        "digitised_count": sum(1 for c in components if c.digitised),
        "reused_count": sum(
            1 for c in components if any(f.source == ComponentSource.REUSE for f in c.attached)
        ),
        "signed_uploads": [
            f for f in files if f.stored_file.signature_status != SignatureStatus.NONE
        ],
        "results": list(results_for_dossier(dossier)),
        "can_issue": dossier.status in ISSUABLE_STATUSES,
        "draft": dossier.result_drafts.exclude(status=DraftStatus.SUPERSEDED)
        .select_related("signer")
        .first(),
    }
    return Panel("Tài liệu điện tử", "documents/panel.html", context)
