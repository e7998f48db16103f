"""Every write of the documents app: storing a file, attaching it to a dossier component, confirming
a desk scan against the original, reusing an earlier file, issuing a signed electronic result.

Storage is content-addressed: a file's name is derived from its SHA-256, so the same bytes are stored
once, and a stored name is never written twice (nothing is ever overwritten).
"""

import logging
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
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
from .storage import (
    Spooled,
    file_hash,
    spool,
    storage_open,
    storage_write_once,
    work_folder,
)
from .storage import (
    documents_storage as documents_storage,
)

logger = logging.getLogger(__name__)

MSG_NOT_ALLOWED_HERE = "Ông/bà không có quyền đính kèm tệp vào hồ sơ này."
MSG_REUSE_NEEDS_SOURCE = "Tệp tái sử dụng phải cho biết lấy từ giấy tờ nào."
MSG_REUSE_OTHER_PERSON = "Chỉ được tái sử dụng giấy tờ của chính người nộp hồ sơ này."
MSG_SOURCE_UNKNOWN = "Nguồn tệp không hợp lệ."
MSG_LIENTHONG_ONLY = (
    "Chỉ tệp đến cùng hồ sơ nhận liên thông từ cơ quan khác mới có nguồn “Nhận qua liên thông”."
)
MSG_CONFIRM_ONLY_SCANS = "Chỉ bản quét tại Bộ phận Một cửa mới cần đối chiếu với bản gốc."
MSG_NO_PAGES = "Chưa có trang nào được quét hoặc tải lên."

DEFAULT_KINDS = (FileKind.PDF, FileKind.JPEG, FileKind.PNG)
EXTENSIONS: dict[str, str] = {FileKind.PDF: "pdf", FileKind.JPEG: "jpg", FileKind.PNG: "png"}


@dataclass(frozen=True)
class Prepared:
    """An upload on local disk, judged and ready to store: `path` is what will be stored (the
    upload itself, or its sanitised or normalised copy), `original` the upload as it came."""

    kind: str
    path: Path
    sha256: str
    size: int
    page_count: int
    removed: tuple[str, ...]
    original: Spooled


@contextmanager
def file_prepared(upload, *, kinds=DEFAULT_KINDS, max_bytes: int | None = None):
    """Copy an upload (a Django UploadedFile, any file object, or bytes) to a private temporary
    folder chunk by chunk, hashing it, and judge it by its content. Yields a Prepared file; bad
    input raises ValidationError with a Vietnamese message. The folder is removed on leaving."""
    limit = settings.MOTCUA_UPLOAD_MAX_BYTES if max_bytes is None else max_bytes
    with work_folder() as folder:
        raw = spool(upload, folder, max_bytes=limit)
        inspected = content_inspect(raw.path, kinds, folder)
        if inspected.path == raw.path:
            sha256, size = raw.sha256, raw.size
        else:
            sha256, size = file_hash(inspected.path), inspected.path.stat().st_size
        yield Prepared(
            inspected.kind,
            inspected.path,
            sha256,
            size,
            inspected.page_count,
            inspected.removed,
            raw,
        )


def prepared_store(prepared: Prepared) -> StoredFile:
    """Store a prepared file once: the same content gives the same StoredFile; clamd scans what
    is new when configured."""
    existing = StoredFile.objects.filter(sha256=prepared.sha256).first()
    if existing is not None:
        return existing
    antivirus_check(prepared.original.path)
    if prepared.removed:
        _original_keep(prepared)
    return _stored_file_create(prepared)


def stored_file_put(upload, *, kinds=DEFAULT_KINDS, max_bytes: int | None = None) -> StoredFile:
    """Store an uploaded file (a Django UploadedFile, any file object, or bytes) once.

    The type is judged from the content (magic bytes, then a full open), never from the name; images
    are normalised first; clamd scans the file when configured. The same content twice gives the
    same StoredFile, and a stored name is never overwritten. The file is streamed to the store from
    a temporary copy, never held whole in memory. Bad files raise ValidationError with a
    Vietnamese message and store nothing.
    """
    with file_prepared(upload, kinds=kinds, max_bytes=max_bytes) as prepared:
        return prepared_store(prepared)


def _original_keep(prepared: Prepared) -> None:
    """A PDF that came with active content is stored and served sanitised; the bytes as they
    came are kept beside it for the record only (no view serves them), named after the
    sanitised file they belong to."""
    original = prepared.original
    name = f"originals/{prepared.sha256}/{original.sha256}.pdf"
    storage_write_once(name, original.path, CONTENT_TYPES[FileKind.PDF])
    logger.warning(
        "documents: active content removed from %s (original %s): %s",
        prepared.sha256[:16],
        original.sha256[:16],
        ", ".join(prepared.removed),
    )


def _stored_file_create(prepared: Prepared) -> StoredFile:
    sha256, kind = prepared.sha256, prepared.kind
    name = f"{sha256[:2]}/{sha256[2:4]}/{sha256}.{EXTENSIONS[kind]}"
    storage_write_once(name, prepared.path, CONTENT_TYPES[kind])
    attributes = {
        "size": prepared.size,
        "content_type": CONTENT_TYPES[kind],
        "kind": kind,
        "page_count": prepared.page_count,
        "storage_name": name,
        **_pdf_facts(kind, prepared.path),
    }
    try:
        with transaction.atomic():
            return StoredFile.objects.create(sha256=sha256, **attributes)
    except IntegrityError:
        # Another request stored the same bytes a moment ago: same content, same file.
        return StoredFile.objects.get(sha256=sha256)


def _pdf_facts(kind: str, path: Path) -> dict:
    """For a PDF: the validation of any signatures it carries. Its text is read later by the
    job `documents-ocr` (its text layer, or OCR for a scan): never inside the request, where a
    hostile file would hold a worker (ADR 0022). Images wait for OCR too."""
    if kind != FileKind.PDF:
        return {"ocr_status": OcrStatus.PENDING}
    from .signing import pdf_signatures_validate

    status, signatures = pdf_signatures_validate(path)
    return {
        "signature_status": status,
        "signatures": signatures,
        "ocr_status": OcrStatus.PENDING,
    }


def stored_file_open(stored_file: StoredFile) -> IO[bytes]:
    """The stored file as a stream to read in chunks (a download, a copy): never read it whole."""
    return storage_open(stored_file.storage_name)


def stored_file_bytes(stored_file: StoredFile) -> bytes:
    """The whole content in memory: for small files only (tests, a page image); serve and copy
    files with stored_file_open."""
    with stored_file_open(stored_file) as handle:
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
    with ExitStack() as stack:
        parts = [stack.enter_context(file_prepared(u, max_bytes=limit)) for u in uploads]
        for part in parts:
            antivirus_check(part.original.path)
        folder = stack.enter_context(work_folder())
        combined = _pages_combine(parts, folder / "trang.pdf")
        size = combined.stat().st_size
        with open(combined, "rb") as handle:
            return stored_file_put(handle, kinds=(FileKind.PDF,), max_bytes=max(limit, size))


def _pages_combine(parts: list[Prepared], target: Path) -> Path:
    """The parts' pages, in order, as one PDF written to `target` (pikepdf reads each part
    from disk; the sources stay open until the result is saved, as its pages point into them)."""
    import pikepdf

    result = pikepdf.new()
    with ExitStack() as sources:
        for number, part in enumerate(parts):
            path = part.path
            if part.kind != FileKind.PDF:
                path = target.with_name(f"trang-{number}.pdf")
                path.write_bytes(images_to_pdf([part.path.read_bytes()]))
            source = sources.enter_context(pikepdf.open(path))
            result.pages.extend(source.pages)
        result.save(target, deterministic_id=True)
    return target


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
    link). `source` is "desk_scan", "citizen_upload", "reuse" or "lienthong"; a reuse names the
    earlier ComponentFile or IssuedDocument of the same person (766 indicator 4.3, TT 01/2023); a
    liên thông file is the system's, with a dossier received from another agency (ADR 0044). A desk
    scan with `confirmed` records the officer's confirmation that it matches the original."""
    if source not in ComponentSource.values:
        raise ValidationError(MSG_SOURCE_UNKNOWN, code="source_unknown")
    component = DossierComponent.objects.select_related(
        "dossier__applicant", "dossier__procedure_version"
    ).get(pk=component.pk)
    _check_actor_may_attach(actor, component)
    if source == ComponentSource.LIENTHONG and (
        actor is not None or not component.dossier.returns_to_sending_agency
    ):
        raise ValidationError(MSG_LIENTHONG_ONLY, code="lienthong_only")
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
