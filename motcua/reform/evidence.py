"""Evidence files (tệp minh chứng): only PDF, JPEG, PNG, DOCX and XLSX, recognised by their content
(not by the name a browser sends), at most 10 MB."""

import zipfile
from pathlib import PurePosixPath

from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.utils.text import get_valid_filename

from motcua.documents.content import kind_detect

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
MSG_TYPE = "Tệp minh chứng phải là PDF, JPEG, PNG, DOCX hoặc XLSX."
MSG_SIZE = "Tệp minh chứng không được lớn hơn 10 MB."
MSG_EMPTY = "Tệp minh chứng rỗng."


def _office_kind(uploaded) -> str | None:
    try:
        with zipfile.ZipFile(uploaded) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    return None


def evidence_kind(uploaded) -> str:
    """The file's type ("pdf", "jpeg", "png", "docx", "xlsx"), or a ValidationError."""
    size = getattr(uploaded, "size", None) or 0
    if size == 0:
        raise ValidationError(MSG_EMPTY)
    if size > MAX_EVIDENCE_BYTES:
        raise ValidationError(MSG_SIZE)
    uploaded.seek(0)
    head = uploaded.read(1024)
    uploaded.seek(0)
    # PDF and images: the same recognition as every other upload; office files are zip packages.
    kind = kind_detect(head)
    if kind is None and head.startswith(b"PK\x03\x04"):
        kind = _office_kind(uploaded)
        uploaded.seek(0)
    if kind is None:
        raise ValidationError(MSG_TYPE)
    return str(kind)


EXTENSIONS = {"pdf": "pdf", "jpeg": "jpg", "png": "png", "docx": "docx", "xlsx": "xlsx"}


def evidence_file_name(sent_name: str, kind: str) -> str:
    """The name to keep: the sender's stem, with the extension of the type actually found, so a
    download is always served as what it is (a "report.html" that is a PDF becomes "report.pdf")."""
    stem = PurePosixPath(sent_name.replace("\\", "/")).stem[:100].strip(". ")
    try:
        stem = get_valid_filename(stem)
    except SuspiciousFileOperation:  # nothing usable left of the name ("?", "..")
        stem = "minh-chung"
    return f"{stem}.{EXTENSIONS[kind]}"
