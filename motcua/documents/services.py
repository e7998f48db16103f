"""Every write of the documents app: storing a file, attaching it to a dossier component, confirming
a desk scan against the original, reusing an earlier file, issuing a signed electronic result.

Storage is content-addressed: a file's name is derived from its SHA-256, so the same bytes are stored
once, and a stored name is never written twice (nothing is ever overwritten).
"""

import hashlib
import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import IntegrityError, transaction

from motcua.accounts.permissions import is_staff_member
from motcua.core.clock import now
from motcua.dossiers.models import DossierComponent
from motcua.dossiers.permissions import can_see_dossier

from .antivirus import antivirus_check
from .content import CONTENT_TYPES, content_inspect, images_to_pdf
from .models import (
    ComponentFile,
    ComponentSource,
    FileKind,
    IssuedDocument,
    OcrStatus,
    StoredFile,
)

logger = logging.getLogger(__name__)

MSG_TOO_LARGE = "Tệp quá lớn ({size} MB); dung lượng tối đa là {limit} MB."
MSG_EMPTY = "Tệp rỗng. Vui lòng chọn tệp giấy tờ."
MSG_NOT_ALLOWED_HERE = "Ông/bà không có quyền đính kèm tệp vào hồ sơ này."
MSG_REUSE_NEEDS_SOURCE = "Tệp tái sử dụng phải cho biết lấy từ giấy tờ nào."
MSG_REUSE_OTHER_PERSON = "Chỉ được tái sử dụng giấy tờ của chính người nộp hồ sơ này."
MSG_SOURCE_UNKNOWN = "Nguồn tệp không hợp lệ."
MSG_CONFIRM_ONLY_SCANS = "Chỉ bản quét tại Bộ phận Một cửa mới cần đối chiếu với bản gốc."
MSG_NO_PAGES = "Chưa có trang nào được quét hoặc tải lên."

DEFAULT_KINDS = (FileKind.PDF, FileKind.JPEG, FileKind.PNG)
EXTENSIONS: dict[str, str] = {FileKind.PDF: "pdf", FileKind.JPEG: "jpg", FileKind.PNG: "png"}


def documents_storage():
    """The storage alias "documents" (a folder under the data folder, or S3), or the default storage
    where settings define no such alias (the test settings keep files in memory)."""
    return storages["documents"] if "documents" in settings.STORAGES else storages["default"]


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",")


def _read_bounded(upload, max_bytes: int) -> bytes:
    """The upload's bytes, refusing before reading it all when it is too large."""
    if isinstance(upload, bytes | bytearray):
        data = bytes(upload)
    else:
        declared = getattr(upload, "size", None)
        if declared is not None and declared > max_bytes:
            raise ValidationError(
                MSG_TOO_LARGE.format(size=_megabytes(declared), limit=_megabytes(max_bytes)),
                code="file_too_large",
            )
        if hasattr(upload, "seek"):
            upload.seek(0)
        data = upload.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise ValidationError(
            MSG_TOO_LARGE.format(size=_megabytes(len(data)), limit=_megabytes(max_bytes)),
            code="file_too_large",
        )
    if not data:
        raise ValidationError(MSG_EMPTY, code="file_empty")
    return data


def stored_file_put(upload, *, kinds=DEFAULT_KINDS, max_bytes: int | None = None) -> StoredFile:
    """Store an uploaded file (a Django UploadedFile, any file object, or bytes) once.

    The type is judged from the content (magic bytes, then a full open), never from the name; images
    are normalised first; clamd scans the file when configured. The same content twice gives the
    same StoredFile, and a stored name is never overwritten. Bad files raise ValidationError with a
    Vietnamese message and store nothing.
    """
    limit = settings.MOTCUA_UPLOAD_MAX_BYTES if max_bytes is None else max_bytes
    data = _read_bounded(upload, limit)
    inspected = content_inspect(data, kinds)
    sha256 = hashlib.sha256(inspected.data).hexdigest()
    existing = StoredFile.objects.filter(sha256=sha256).first()
    if existing is not None:
        return existing
    antivirus_check(data)
    if inspected.removed:
        _original_keep(sha256, data, inspected.removed)
    return _stored_file_create(sha256, inspected.kind, inspected.data, inspected.page_count)


def _original_keep(sha256: str, original: bytes, removed) -> None:
    """A PDF that came with active content is stored and served sanitised; the bytes as they
    came are kept beside it for the record only (no view serves them), named after the
    sanitised file they belong to."""
    original_sha = hashlib.sha256(original).hexdigest()
    _storage_write_once(f"originals/{sha256}/{original_sha}.pdf", original)
    logger.warning(
        "documents: active content removed from %s (original %s): %s",
        sha256[:16],
        original_sha[:16],
        ", ".join(removed),
    )


def _stored_file_create(sha256: str, kind: str, data: bytes, page_count: int) -> StoredFile:
    name = f"{sha256[:2]}/{sha256[2:4]}/{sha256}.{EXTENSIONS[kind]}"
    _storage_write_once(name, data)
    attributes = {
        "size": len(data),
        "content_type": CONTENT_TYPES[kind],
        "kind": kind,
        "page_count": page_count,
        "storage_name": name,
        **_pdf_facts(kind, data),
    }
    try:
        with transaction.atomic():
            return StoredFile.objects.create(sha256=sha256, **attributes)
    except IntegrityError:
        # Another request stored the same bytes a moment ago: same content, same file.
        return StoredFile.objects.get(sha256=sha256)


def _storage_write_once(name: str, data: bytes) -> None:
    storage = documents_storage()
    if storage.exists(name):
        return  # content-addressed: what is there is these very bytes
    saved = storage.save(name, ContentFile(data))
    if saved != name:
        # A concurrent writer won the name and the storage picked another: drop our copy.
        storage.delete(saved)


def _pdf_facts(kind: str, data: bytes) -> dict:
    """For a PDF: the validation of any signatures it carries. Its text is read later by the
    job `documents-ocr` (its text layer, or OCR for a scan): never inside the request, where a
    hostile file would hold a worker (ADR 0022). Images wait for OCR too."""
    if kind != FileKind.PDF:
        return {"ocr_status": OcrStatus.PENDING}
    from .signing import pdf_signatures_validate

    status, signatures = pdf_signatures_validate(data)
    return {
        "signature_status": status,
        "signatures": signatures,
        "ocr_status": OcrStatus.PENDING,
    }


def stored_file_bytes(stored_file: StoredFile) -> bytes:
    with documents_storage().open(stored_file.storage_name, "rb") as handle:
        return handle.read()


def stored_file_put_pages(uploads, *, max_bytes: int | None = None) -> StoredFile:
    """Several scanned pages (images, or PDFs of one page or more) as one PDF: a component is one file.

    One upload is stored as it is; several are each checked like `stored_file_put`, then images
    become PDF pages and the pages are concatenated in the order given."""
    uploads = list(uploads)
    if not uploads:
        raise ValidationError(MSG_NO_PAGES, code="no_pages")
    if len(uploads) == 1:
        return stored_file_put(uploads[0], max_bytes=max_bytes)
    limit = settings.MOTCUA_UPLOAD_MAX_BYTES if max_bytes is None else max_bytes
    parts = []
    for upload in uploads:
        data = _read_bounded(upload, limit)
        inspected = content_inspect(data, DEFAULT_KINDS)
        antivirus_check(data)
        parts.append(inspected)
    combined = _pages_combine(parts)
    return stored_file_put(combined, kinds=(FileKind.PDF,), max_bytes=max(limit, len(combined)))


def _pages_combine(parts) -> bytes:
    import io

    import pikepdf

    result = pikepdf.new()
    for part in parts:
        data = part.data if part.kind == FileKind.PDF else images_to_pdf([part.data])
        with pikepdf.open(io.BytesIO(data)) as source:
            result.pages.extend(source.pages)
    out = io.BytesIO()
    result.save(out, deterministic_id=True)
    return out.getvalue()


# --- component files -----------------------------------------------------------------------------


def _check_actor_may_attach(actor, component: DossierComponent) -> None:
    """Staff attach only to dossiers they can see. Citizens' uploads come through the portal, whose
    own checked view has already tied the dossier to the person (or it is a new online dossier)."""
    if (
        actor is not None
        and is_staff_member(actor)
        and not can_see_dossier(actor, component.dossier)
    ):
        raise PermissionDenied(MSG_NOT_ALLOWED_HERE)


def _reuse_source(component: DossierComponent, reused_from) -> dict:
    """The reuse link, refusing a file that belongs to another person."""
    if reused_from is None:
        raise ValidationError(MSG_REUSE_NEEDS_SOURCE, code="reuse_without_source")
    citizen_id = component.dossier.applicant.citizen_id
    if isinstance(reused_from, IssuedDocument):
        owner = reused_from.dossier.applicant.citizen_id
        link: dict[str, IssuedDocument | ComponentFile] = {"reused_from_result": reused_from}
    elif isinstance(reused_from, ComponentFile):
        owner = reused_from.component.dossier.applicant.citizen_id
        link = {"reused_from": reused_from}
    else:
        raise ValidationError(MSG_REUSE_NEEDS_SOURCE, code="reuse_without_source")
    if not citizen_id or owner != citizen_id:
        raise ValidationError(MSG_REUSE_OTHER_PERSON, code="reuse_other_person")
    return link


def component_file_attach(
    actor,
    component: DossierComponent,
    stored_file: StoredFile,
    *,
    source: str,
    reused_from: "ComponentFile | IssuedDocument | None" = None,
    confirmed: bool = False,
) -> ComponentFile:
    """Attach a stored file to a dossier component (idempotent: attaching it again returns the same
    link). `source` is "desk_scan", "citizen_upload" or "reuse"; a reuse names the earlier
    ComponentFile or IssuedDocument of the same person (766 indicator 4.3, TT 01/2023). A desk scan
    with `confirmed` records the officer's confirmation that it matches the original."""
    if source not in ComponentSource.values:
        raise ValidationError(MSG_SOURCE_UNKNOWN, code="source_unknown")
    component = DossierComponent.objects.select_related(
        "dossier__applicant", "dossier__procedure_version"
    ).get(pk=component.pk)
    _check_actor_may_attach(actor, component)
    link = _reuse_source(component, reused_from) if source == ComponentSource.REUSE else {}
    with transaction.atomic():
        existing = ComponentFile.objects.filter(
            component=component, stored_file=stored_file
        ).first()
        if existing is not None:
            return existing
        attached = ComponentFile.objects.create(
            component=component,
            stored_file=stored_file,
            source=source,
            uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
            **link,
        )
        if confirmed and source == ComponentSource.DESK_SCAN:
            attached.digitised_confirmed_by = actor
            attached.digitised_confirmed_at = now()
            attached.save(update_fields=["digitised_confirmed_by", "digitised_confirmed_at"])
    return attached


def component_file_confirm(actor, component_file_id: int) -> ComponentFile:
    """The desk officer confirms that a scan matches the paper original ("đã đối chiếu với bản
    gốc"): only then does the component count as digitised (TT 01/2023)."""
    with transaction.atomic():
        attached = (
            ComponentFile.objects.select_for_update(of=("self",))
            .select_related("component__dossier__procedure_version")
            .filter(pk=component_file_id)
            .first()
        )
        if attached is None or not can_see_dossier(actor, attached.component.dossier):
            raise PermissionDenied(MSG_NOT_ALLOWED_HERE)
        if attached.source != ComponentSource.DESK_SCAN:
            raise ValidationError(MSG_CONFIRM_ONLY_SCANS, code="confirm_not_scan")
        if attached.digitised_confirmed_at is None:
            attached.digitised_confirmed_by = actor
            attached.digitised_confirmed_at = now()
            attached.save(update_fields=["digitised_confirmed_by", "digitised_confirmed_at"])
    return attached


def component_reuse(actor, component: DossierComponent, reused_from) -> ComponentFile:
    """Link an earlier file or result of the same person to this component instead of asking for the
    paper again: the same stored content, flagged reused, with its source."""
    stored = reused_from.stored_file
    return component_file_attach(
        actor, component, stored, source=ComponentSource.REUSE, reused_from=reused_from
    )
