"""Signed, expiring links to a dossier's files, sent to the national portal in TaiLieuNop and
DanhSachGiayToKetQua so that it can fetch them (reference §2.2: "DVCQG must be able to fetch them";
§15: signed, expiring URLs).

A link names the dossier, the kind of file and its id, signed with the installation's SECRET_KEY
(django.core.signing, with its own salt) and stamped with the time it was made; it is refused after
DVCQG_FILE_LINK_DAYS days. Nothing personal is in the link: ids only."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

from .models import FileKind

SALT = "motcua.dvcqg.file-link"
MSG_INVALID = "Đường dẫn tải tệp không hợp lệ."
MSG_EXPIRED = "Đường dẫn tải tệp đã hết hạn."


class LinkRefused(Exception):
    def __init__(self, message: str, *, expired: bool = False):
        super().__init__(message)
        self.message = message
        self.expired = expired


@dataclass(frozen=True)
class FileRef:
    dossier_id: int
    kind: str  # FileKind
    object_id: int


def file_link(ref: FileRef, *, base_url: str | None = None) -> str:
    """The absolute URL of the file behind `ref`, valid DVCQG_FILE_LINK_DAYS days from now."""
    token = signing.dumps({"d": ref.dossier_id, "k": ref.kind, "o": ref.object_id}, salt=SALT)
    base = (base_url if base_url is not None else settings.MOTCUA_PUBLIC_BASE_URL).rstrip("/")
    return base + reverse("dvcqg:file", args=[token])


def file_link_read(token: str) -> FileRef:
    """What a link names, or LinkRefused (tampered, made with another key, or too old)."""
    max_age = timedelta(days=settings.DVCQG_FILE_LINK_DAYS)
    try:
        payload = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise LinkRefused(MSG_EXPIRED, expired=True) from None
    except signing.BadSignature:
        raise LinkRefused(MSG_INVALID) from None
    try:
        ref = FileRef(int(payload["d"]), str(payload["k"]), int(payload["o"]))
    except (KeyError, TypeError, ValueError):
        raise LinkRefused(MSG_INVALID) from None
    if ref.kind not in FileKind.values:
        raise LinkRefused(MSG_INVALID)
    return ref
