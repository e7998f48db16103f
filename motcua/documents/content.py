"""What a file really is, judged from its content, never from its name or the browser's word.

`content_inspect` recognises PDF, JPEG and PNG by their magic bytes, then opens the whole file
(pikepdf for PDFs, Pillow for images) so a truncated or forged file is refused. Images are
normalised: turned upright from their EXIF orientation, stripped of EXIF (GPS, camera), bounded in
size and re-encoded — the normalised bytes are what is stored.
"""

import io
import warnings
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError

from .models import FileKind

CONTENT_TYPES: dict[str, str] = {
    FileKind.PDF: "application/pdf",
    FileKind.JPEG: "image/jpeg",
    FileKind.PNG: "image/png",
}
KIND_LABELS: dict[str, str] = {
    FileKind.PDF: "PDF",
    FileKind.JPEG: "ảnh JPEG",
    FileKind.PNG: "ảnh PNG",
}

MSG_UNKNOWN = (
    "Tệp không phải PDF, JPEG hay PNG (nội dung tệp không khớp với phần mở rộng của tên tệp). "
    "Vui lòng chọn đúng tệp giấy tờ."
)
MSG_NOT_ALLOWED = "Loại tệp {kind} không được nhận ở đây; chỉ nhận: {allowed}."
MSG_BROKEN_PDF = "Tệp PDF bị hỏng hoặc không mở được. Vui lòng quét hoặc xuất lại tệp."
MSG_ENCRYPTED_PDF = "Tệp PDF có mật khẩu. Vui lòng gửi tệp không đặt mật khẩu."
MSG_BROKEN_IMAGE = "Tệp ảnh bị hỏng hoặc không mở được. Vui lòng chụp hoặc quét lại."
MSG_IMAGE_TOO_LARGE = "Ảnh có kích thước quá lớn (quá {pixels} triệu điểm ảnh)."
# A phone photo is ~12–50 Mpx; beyond this decoding alone would exhaust a small server.
MAX_SOURCE_PIXELS = 60_000_000


@dataclass(frozen=True)
class Inspected:
    kind: str
    path: Path  # what to store: the PDF as received or sanitised, an image normalised
    page_count: int
    removed: tuple[str, ...] = ()  # active content stripped from a PDF (pdfsafety)


def kind_detect(data: bytes) -> str | None:
    """The file kind from its first bytes. A PDF may carry junk before its header (the PDF spec
    tolerates it within the first 1024 bytes); images must start with their signature."""
    if b"%PDF-" in data[:1024]:
        return FileKind.PDF
    if data.startswith(b"\xff\xd8\xff"):
        return FileKind.JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return FileKind.PNG
    return None


def content_inspect(path: Path, kinds, folder: Path) -> Inspected:
    """What the file at `path` really is, refused unless one of `kinds`; a sanitised PDF or a
    normalised image is written beside it in `folder` (a clean PDF stays the file it was)."""
    with open(path, "rb") as handle:
        head = handle.read(1024)
    kind = kind_detect(head)
    if kind is None:
        raise ValidationError(MSG_UNKNOWN, code="file_type_unknown")
    if kind not in kinds:
        allowed = ", ".join(KIND_LABELS[FileKind(k)] for k in kinds)
        raise ValidationError(
            MSG_NOT_ALLOWED.format(kind=KIND_LABELS[kind], allowed=allowed),
            code="file_type_not_allowed",
        )
    if kind == FileKind.PDF:
        from .pdfsafety import pdf_make_safe

        safe = pdf_make_safe(path, folder)  # polyglots and bombs refused, active content stripped
        return Inspected(kind, safe.path, safe.page_count, safe.removed)
    # An image is decoded whole anyway (at most MAX_SOURCE_PIXELS); its normalised copy is small.
    normalised = folder / f"{path.name}.normalised"
    normalised.write_bytes(image_normalise(path.read_bytes(), kind))
    return Inspected(kind, normalised, 1)


def pdf_checked_bytes(data: bytes) -> bytes:
    """content_inspect for a PDF already in memory (a generated or converted draft, small): the
    bytes that storing would keep — active content stripped, a polyglot or bomb refused."""
    import tempfile

    with tempfile.TemporaryDirectory(prefix="motcua-kiem-tra-") as folder:
        source = Path(folder) / "draft.pdf"
        source.write_bytes(data)
        return content_inspect(source, (FileKind.PDF,), Path(folder)).path.read_bytes()


def image_normalise(data: bytes, kind: str) -> bytes:
    """Upright, EXIF-free, at most MOTCUA_IMAGE_MAX_SIDE pixels on its longer side, re-encoded."""
    from PIL import Image, ImageOps

    max_pixels = MAX_SOURCE_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                if probe.width * probe.height > max_pixels:
                    raise ValidationError(
                        MSG_IMAGE_TOO_LARGE.format(pixels=max_pixels // 1_000_000),
                        code="image_too_large",
                    )
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                upright = ImageOps.exif_transpose(image)
    except ValidationError:
        raise
    except Exception as error:
        raise ValidationError(MSG_BROKEN_IMAGE, code="image_broken") from error
    side = settings.MOTCUA_IMAGE_MAX_SIDE
    if max(upright.size) > side:
        upright.thumbnail((side, side))
    out = io.BytesIO()
    if kind == FileKind.JPEG:
        upright.convert("RGB").save(out, format="JPEG", quality=88, optimize=True)
    else:
        mode = upright.mode if upright.mode in ("1", "L", "LA", "RGB", "RGBA", "P") else "RGBA"
        upright.convert(mode).save(out, format="PNG", optimize=True)
    return out.getvalue()


def images_to_pdf(images: list[bytes]) -> bytes:
    """Several page images (already normalised) as one PDF, one page each, at 300 dpi — what the
    desk scanner gives page by page becomes one component file."""
    from PIL import Image

    pages = []
    for data in images:
        with Image.open(io.BytesIO(data)) as image:
            pages.append(image.convert("RGB"))
    out = io.BytesIO()
    pages[0].save(out, format="PDF", save_all=True, append_images=pages[1:], resolution=300.0)
    return out.getvalue()
