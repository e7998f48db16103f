"""The one store of files (ADR 0027) and the streaming primitives every app uses to reach it.

Every file the installation keeps — scans, citizens' uploads, feedback attachments, signed results,
OCR copies, the originals of sanitised PDFs, reform evidence — lives in the storage alias
"documents": a folder under the data folder, or an S3-compatible bucket when MOTCUA_S3_BUCKET is
set. A file never passes through memory whole: an upload is copied chunk by chunk to a temporary
file while its SHA-256 is computed, written to the store from that file, and read back as a stream
of chunks. Image decoding (bounded by MAX_SOURCE_PIXELS) is the one step that holds a file.
"""

from __future__ import annotations

import hashlib
import posixpath
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import Storage, storages

CHUNK = 1024 * 1024  # what is read, hashed and copied at a time
MSG_TOO_LARGE = "Tệp quá lớn ({size} MB); dung lượng tối đa là {limit} MB."
MSG_EMPTY = "Tệp rỗng. Vui lòng chọn tệp giấy tờ."


def documents_storage() -> Storage:
    """The storage alias "documents" (a folder under the data folder, or S3), or the default storage
    where settings define no such alias (the test settings keep files in memory)."""
    return storages["documents"] if "documents" in settings.STORAGES else storages["default"]


def _is_s3(storage: Storage) -> bool:
    return hasattr(storage, "bucket_name") and hasattr(storage, "connection")


def _s3_key(storage: Any, name: str) -> str:
    from storages.utils import clean_name

    return storage._normalize_name(clean_name(name))


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f}".replace(".", ",")


def too_large(size: int, limit: int) -> ValidationError:
    return ValidationError(
        MSG_TOO_LARGE.format(size=megabytes(size), limit=megabytes(limit)), code="file_too_large"
    )


# --- writing: upload → temporary file (hashed on the way) → store ----------------------------------


@dataclass(frozen=True)
class Spooled:
    """An upload copied to a temporary file, with what was learnt while copying it."""

    path: Path
    sha256: str
    size: int


def _chunks(upload) -> Iterator[bytes]:
    """The upload's bytes in pieces: a Django File by its chunks(), any file object by read(),
    bytes as they are (results and OCR copies made in memory are small)."""
    if isinstance(upload, bytes | bytearray | memoryview):
        yield bytes(upload)
        return
    if hasattr(upload, "seek"):
        # A pipe or a network stream cannot rewind: it is read from where it is.
        with suppress(OSError, ValueError):
            upload.seek(0)
    if hasattr(upload, "chunks"):
        yield from upload.chunks(CHUNK)
        return
    while chunk := upload.read(CHUNK):
        yield chunk


def file_hash(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def spool(upload, folder: Path, *, max_bytes: int) -> Spooled:
    """Copy an upload to a file in `folder`, hashing it, refusing it as soon as it passes
    `max_bytes` (a declared size beyond it is refused before a byte is read) and refusing an
    empty one. Bad input raises ValidationError with a Vietnamese message."""
    declared = getattr(upload, "size", None)
    if isinstance(declared, int) and declared > max_bytes:
        raise too_large(declared, max_bytes)
    digest, size = hashlib.sha256(), 0
    target = Path(tempfile.mkstemp(dir=folder, suffix=".upload")[1])
    with open(target, "wb") as out:
        for chunk in _chunks(upload):
            size += len(chunk)
            if size > max_bytes:
                raise too_large(size, max_bytes)
            digest.update(chunk)
            out.write(chunk)
    if size == 0:
        raise ValidationError(MSG_EMPTY, code="file_empty")
    return Spooled(target, digest.hexdigest(), size)


@contextmanager
def work_folder() -> Iterator[Path]:
    """A private temporary folder for one file's journey, removed whatever happens."""
    folder = Path(tempfile.mkdtemp(prefix="motcua-file-", dir=settings.FILE_UPLOAD_TEMP_DIR))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def storage_write_once(name: str, path: Path, content_type: str = "") -> None:
    """Put the file at `path` into the store under `name`, streamed, unless the name exists
    (content-addressed names: what is there is these very bytes; nothing is ever overwritten)."""
    storage = documents_storage()
    if storage.exists(name):
        return
    if _is_s3(storage):
        _s3_upload(storage, name, path, content_type)
        return
    with open(path, "rb") as handle:
        saved = storage.save(name, File(handle, name=posixpath.basename(name)))
    if saved != name:
        # A concurrent writer won the name and the storage picked another: drop our copy.
        storage.delete(saved)


def storage_save(name: str, upload, *, max_bytes: int, content_type: str = "") -> str:
    """Store a file that is not content-addressed (reform evidence) under `name`, or a free name
    the store picks beside it; the name it was stored under. Streamed like every other write."""
    storage = documents_storage()
    with work_folder() as folder:
        spooled = spool(upload, folder, max_bytes=max_bytes)
        name = storage.get_available_name(name)
        if _is_s3(storage):
            _s3_upload(storage, name, spooled.path, content_type)
            return name
        with open(spooled.path, "rb") as handle:
            return storage.save(name, File(handle, name=posixpath.basename(name)))


def _s3_upload(storage: Any, name: str, path: Path, content_type: str) -> None:
    """Upload from the file's path: boto3 then reads each part from disk as it sends it, where
    upload_fileobj (what Storage.save uses) would hold up to ten 8 MB parts in memory."""
    extra = {"ContentType": content_type} if content_type else {}
    storage.bucket.upload_file(
        str(path), _s3_key(storage, name), ExtraArgs=extra, Config=storage.transfer_config
    )


# --- reading: the store → a stream of chunks -------------------------------------------------------


def storage_open(name: str) -> IO[bytes]:
    """A stored file opened for reading as a stream. On S3 the object's body is read straight from
    the connection (django-storages' own file would first download it whole)."""
    storage = documents_storage()
    if _is_s3(storage):
        from botocore.exceptions import ClientError

        s3: Any = storage
        try:
            answer = s3.connection.meta.client.get_object(
                Bucket=s3.bucket_name, Key=_s3_key(s3, name)
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in {"NoSuchKey", "404"}:
                raise FileNotFoundError(name) from error
            raise
        return answer["Body"]
    return storage.open(name, "rb")


def storage_chunks(name: str) -> Iterator[bytes]:
    with storage_open(name) as handle:
        while chunk := handle.read(CHUNK):
            yield chunk


def storage_copy_to(name: str, target: Path) -> str:
    """Copy a stored file to a local path, streamed; its SHA-256."""
    digest = hashlib.sha256()
    with open(target, "wb") as out:
        for chunk in storage_chunks(name):
            digest.update(chunk)
            out.write(chunk)
    return digest.hexdigest()


def storage_names() -> Iterator[str]:
    """Every name in the store, in a stable order (for backups): S3 listed by pages of keys, a
    folder walked directory by directory."""
    storage = documents_storage()
    if _is_s3(storage):
        s3: Any = storage
        paginator = s3.connection.meta.client.get_paginator("list_objects_v2")
        for page in paginator.paginate(Bucket=s3.bucket_name):
            for entry in page.get("Contents", ()):
                yield entry["Key"]
        return
    yield from _walk(storage, "")


def _walk(storage: Storage, folder: str) -> Iterator[str]:
    try:
        directories, files = storage.listdir(folder)
    except FileNotFoundError:
        return
    for filename in sorted(files):
        yield posixpath.join(folder, filename) if folder else filename
    for directory in sorted(directories):
        yield from _walk(storage, posixpath.join(folder, directory) if folder else directory)
