"""The portal's panel on the officer's dossier page: how the dossier came in online — by the
citizen's own account or filled by a desk officer for a citizen who came in person (assisted),
the notification channel chosen, the files the citizen uploaded, and the citizen's rating."""

from motcua.core.panels import Panel
from motcua.dossiers.models import ChannelKind

from .models import DossierRating


def dossier_panel(request, dossier) -> Panel | None:
    if dossier.channel != ChannelKind.ONLINE:
        return None
    from motcua.documents.models import ComponentFile, ComponentSource

    uploads = list(
        ComponentFile.objects.filter(
            component__dossier=dossier, source=ComponentSource.CITIZEN_UPLOAD
        )
        .select_related("component", "stored_file")
        .order_by("component__order", "pk")
    )
    context = {
        "assisted_by": dossier.assisted_by,
        "has_account": dossier.submitted_by_id is not None,
        "notify_channel": {"sms": "tin nhắn SMS", "email": "thư điện tử"}.get(
            dossier.notify_channel, "số điện thoại hoặc thư điện tử đã khai"
        ),
        "uploads": uploads,
        "rating": DossierRating.objects.filter(dossier=dossier).first(),
    }
    return Panel("Nộp trực tuyến", "portal/panel.html", context)
