"""The files sent with a feedback item: officers open them from the item's page (the same door
as the item, the read logged), the sender from their lookup page (views_public.lookup_attachment)."""

from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from motcua.accounts.permissions import staff_required
from motcua.core.audit import personal_data_read
from motcua.core.downloads import attachment_response
from motcua.documents.services import stored_file_bytes

from . import selectors

# A stored file is never a page of this site: no script, no plugin, no form (as documents' views).
DOWNLOAD_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
EXTENSIONS = {"pdf": "pdf", "jpeg": "jpg", "png": "png"}
INLINE_KINDS = {"jpeg", "png"}  # decoded and re-encoded on upload: known safe to show


def feedback_file_response(attachment) -> HttpResponse:
    stored = attachment.stored_file
    filename = f"{attachment.feedback.code}-{attachment.position}.{EXTENSIONS[stored.kind]}"
    response = attachment_response(
        stored_file_bytes(stored),
        filename,
        stored.content_type,
        inline=stored.kind in INLINE_KINDS,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = DOWNLOAD_CSP
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Cache-Control"] = "private, no-store"
    return response


@staff_required
@require_GET
def attachment_download(request, feedback_id: int, position: int):
    item = selectors.feedback_for_officer(request.user, feedback_id)
    attachment = (
        item.attachments.select_related("feedback", "stored_file").filter(position=position).first()
    )
    if attachment is None:
        raise Http404("Không có tệp này.")
    personal_data_read(request, f"feedback:{item.pk}", "feedback_attachment")
    return feedback_file_response(attachment)
