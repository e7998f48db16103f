"""The files sent with a feedback item: officers open them from the item's page (the same door
as the item, the read logged), the sender from their lookup page (views_public.lookup_attachment)."""

from django.http import Http404
from django.http.response import HttpResponseBase
from django.views.decorators.http import require_GET

from motcua.accounts.permissions import staff_required
from motcua.core.audit import personal_data_read
from motcua.documents.responses import INLINE_KINDS, stored_file_response

from . import selectors

EXTENSIONS = {"pdf": "pdf", "jpeg": "jpg", "png": "png"}


def feedback_file_response(attachment) -> HttpResponseBase:
    """Streamed from the store, under the documents' download headers (nothing in it runs)."""
    stored = attachment.stored_file
    filename = f"{attachment.feedback.code}-{attachment.position}.{EXTENSIONS[stored.kind]}"
    response = stored_file_response(stored, filename, inline=stored.kind in INLINE_KINDS)
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
