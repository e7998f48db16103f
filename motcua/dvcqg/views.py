"""The one page of the national portal integration: a dossier's file behind a signed link.

The portal fetches the files named in TaiLieuNop and DanhSachGiayToKetQua without signing in to
this site, so the page needs no session: the signature of the link is the permission, its age the
expiry (links.py). Every fetch is recorded (FileFetch)."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.views.decorators.http import require_GET

from motcua.core.client_address import client_ip
from motcua.core.downloads import attachment_response
from motcua.documents.models import ComponentFile, IssuedDocument
from motcua.documents.results import issued_document_bytes
from motcua.documents.services import EXTENSIONS, stored_file_bytes

from .links import MSG_INVALID, FileRef, LinkRefused, file_link_read
from .models import FileKind
from .services import file_fetch_record

# A stored file is never a page of this site: nothing in it may run (as documents.views).
DOWNLOAD_CSP = "default-src 'none'; sandbox"


def _refused(message: str, status: int = 404) -> HttpResponse:
    """A link that names nothing is "not found" (whether it was forged or the file is not that
    dossier's is not told); an expired one is "gone" (410): the portal should ask for a new one."""
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def _content(ref: FileRef) -> tuple[bytes, str, str] | None:
    """(bytes, content type, file name) of the file the link names, if it belongs to that dossier."""
    if ref.kind == FileKind.COMPONENT:
        attached = (
            ComponentFile.objects.select_related("component", "stored_file")
            .filter(pk=ref.object_id, component__dossier_id=ref.dossier_id)
            .first()
        )
        if attached is None:
            return None
        stored = attached.stored_file
        name = f"{attached.component.name}.{EXTENSIONS.get(stored.kind, 'bin')}"
        return stored_file_bytes(stored), stored.content_type, name
    issued = IssuedDocument.objects.filter(pk=ref.object_id, dossier_id=ref.dossier_id).first()
    if issued is None:
        return None
    name = "ket-qua-" + issued.number.replace("/", "-") + ".pdf"
    return issued_document_bytes(issued), "application/pdf", name


@login_not_required
@require_GET
def file_download(request, token: str):
    try:
        ref = file_link_read(token)
    except LinkRefused as refused:
        return _refused(refused.message, 410 if refused.expired else 404)
    content = _content(ref)
    if content is None:
        return _refused(MSG_INVALID)
    data, content_type, name = content
    file_fetch_record(ref, client_ip(request))
    response = attachment_response(data, name, content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = DOWNLOAD_CSP
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
