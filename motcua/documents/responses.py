"""A stored file as an HTTP response, streamed from the store in chunks (ADR 0027) under the
headers that keep it from ever acting as a page of this site (ADR 0022). Every view that serves a
stored file — dossier components, electronic results, feedback attachments, the citizen's own
result — answers through `stored_file_response`, after its own access check."""

import logging

from django.http import FileResponse, HttpResponseNotFound
from django.http.response import HttpResponseBase
from django.template.loader import render_to_string

from motcua.core.downloads import set_disposition

from .models import StoredFile
from .services import stored_file_open
from .storage import CHUNK

logger = logging.getLogger(__name__)
# A stored file is never a page of this site: no script, no plugin, no form, its own origin.
DOWNLOAD_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
# Our own signed results open in the browser's PDF viewer, which a sandbox would block.
RESULT_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'"
# Known safe to show in the browser: images, which are decoded and re-encoded on upload.
INLINE_KINDS = {"jpeg", "png"}


def stored_file_response(
    stored: StoredFile, filename: str, *, inline: bool, csp: str = DOWNLOAD_CSP
) -> HttpResponseBase:
    """The file streamed a chunk at a time (never read whole), shown in the browser only when
    `inline`, never sniffed as anything else, under a policy that lets nothing in it run. A file the store lost is a 404 page that says
    so (and an error in the log), never a 500."""
    try:
        stream = stored_file_open(stored)
    except FileNotFoundError:
        # The database names a file the store no longer has (a restore without its files, a
        # bucket emptied by hand): the reader is told plainly, the operator by the log.
        logger.error("documents: %s is missing from the store", stored.storage_name)
        return HttpResponseNotFound(render_to_string("documents/file_missing.html"))
    response = FileResponse(stream, content_type=stored.content_type)
    response.block_size = CHUNK
    response["Content-Length"] = str(stored.size)
    set_disposition(response, filename, inline=inline)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = csp
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
