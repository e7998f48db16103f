"""The files of the two registers in the one file store (motcua.documents.storage, ADR 0027; S3
when configured): stored under a name derived from their SHA-256 (`exchange/ab/cd/<sha256>`),
written once and never rewritten, streamed in and out (ADR 0042).

A register entry and its files are still all-or-nothing: the files are written to the store
before the rows that name them; a transaction that rolls back leaves at most a content-addressed
file no row names (the same content sent again finds it there), never a row without its file.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import IO

from motcua.documents.storage import storage_chunks, storage_open, storage_write_once, work_folder


def exchange_file_name(sha256: str) -> str:
    return f"exchange/{sha256[:2]}/{sha256[2:4]}/{sha256}"


def exchange_file_put(data: bytes, content_type: str = "") -> tuple[str, str]:
    """Store these bytes (once); their storage name and SHA-256."""
    sha256 = hashlib.sha256(data).hexdigest()
    name = exchange_file_name(sha256)
    with work_folder() as folder:
        path = folder / "file"
        path.write_bytes(data)
        storage_write_once(name, path, content_type)
    return name, sha256


def exchange_file_open(file) -> IO[bytes]:
    """An attachment of a register entry (IncomingFile / OutgoingFile) as a stream."""
    return storage_open(file.storage_name)


def exchange_file_chunks(file) -> Iterator[bytes]:
    return storage_chunks(file.storage_name)


def exchange_file_bytes(file) -> bytes:
    """The whole attachment: what a package carries in base64 (limited per file by
    MOTCUA_EXCHANGE_MAX_ATTACHMENT_BYTES)."""
    with exchange_file_open(file) as handle:
        return handle.read()
