"""A citizen's files for the papers of a procedure before they are a dossier's — the online
application's and the online form's draft: one rule for how many files a paper takes and how large
each may be, each stored through the one checked door (stored_file_put: content, size, a PDF that
opens)."""

from collections.abc import Callable

from django.core.exceptions import ValidationError

from .models import StoredFile
from .services import stored_file_put

MAX_UPLOAD_BYTES = 10 * 1024 * 1024  # a phone photo of a page, or a scanned PDF of a few pages
MAX_FILES_PER_COMPONENT = 10
UNKNOWN_PAPER = "Thành phần hồ sơ không tồn tại."


def paper_uploads_store(
    uploads: dict[int, list],
    *,
    orders: set[int],
    present: Callable[[int], int],
    errors: dict[str, str],
    unknown_key: str,
) -> list[tuple[int, StoredFile, str]]:
    """Store the files given per paper (by component order): (order, stored file, name) of each
    one kept. A paper the procedure does not have, one over its count (`present(order)` files it
    already has) or a file refused by its content is an entry of `errors` — under `unknown_key`,
    or `file_<order>` beside its paper; the caller rolls back when there are any."""
    kept: list[tuple[int, StoredFile, str]] = []
    for order, files in uploads.items():
        if order not in orders:
            errors[unknown_key] = UNKNOWN_PAPER
            continue
        if present(order) + len(files) > MAX_FILES_PER_COMPONENT:
            errors[f"file_{order}"] = (
                f"Mỗi giấy tờ được đính kèm tối đa {MAX_FILES_PER_COMPONENT} tệp."
            )
            continue
        for upload in files:
            name = getattr(upload, "name", "") or "tệp"
            try:
                stored = stored_file_put(upload, max_bytes=MAX_UPLOAD_BYTES)
            except ValidationError as exc:
                errors[f"file_{order}"] = f"{name}: {exc.messages[0]}"
                break
            kept.append((order, stored, name[:255]))
    return kept
