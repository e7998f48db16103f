"""What an uploaded PDF may carry (docs/adr/0022): no active content, no polyglot, no bomb.

- Polyglots are refused: a file that is a PDF to one reader and a web page (or an image) to
  another — HTML or script markers in its first kilobyte or after its last %%EOF, or an image
  signature in front of the PDF header.
- Bombs are refused before anything reads the pages: at most MOTCUA_PDF_MAX_PAGES pages,
  MOTCUA_PDF_MAX_OBJECTS objects and MOTCUA_PDF_MAX_DECOMPRESSED_BYTES of decompressed streams,
  counted by inflating each stream in bounded steps (never the whole stream in memory).
- Active content is stripped with pikepdf: JavaScript, launch and other actions that run or open
  something, automatic actions, embedded files, rich media, XFA forms. The sanitised copy is what
  is stored and served; the original is kept aside for the record only (services).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError

MSG_POLYGLOT = (
    "Tệp vừa là PDF vừa chứa mã trang web hoặc một loại tệp khác (tệp “đa định dạng”): không "
    "nhận tệp loại này. Vui lòng xuất lại tệp PDF từ phần mềm soạn thảo hoặc máy quét."
)
MSG_TOO_MANY_PAGES = (
    "Tệp PDF có {count} trang, vượt quá {limit} trang cho một thành phần hồ sơ. "
    "Vui lòng tách tệp hoặc chỉ gửi các trang cần thiết."
)
MSG_TOO_MANY_OBJECTS = (
    "Tệp PDF có cấu trúc bất thường (quá {limit} đối tượng) nên không được nhận. "
    "Vui lòng xuất lại tệp PDF hoặc quét lại giấy tờ."
)
MSG_BOMB = (
    "Tệp PDF khi giải nén lớn quá {limit} MB (có thể là tệp độc hại kiểu “bom giải nén”) "
    "nên không được nhận. Vui lòng xuất lại tệp PDF hoặc quét lại giấy tờ."
)

HTML_MARKERS = (
    b"<html", b"<!doctype", b"<head", b"<body", b"<script", b"<iframe", b"<svg", b"<object",
    b"<embed", b"<meta", b"<img", b"<form", b"<style",
)  # fmt: skip
IMAGE_SIGNATURES = (b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF8", b"BM")

# Keys whose value runs or carries something: removed wherever they appear.
ACTIVE_KEYS = (
    "/JS", "/JavaScript", "/AA", "/OpenAction", "/EmbeddedFiles", "/EF", "/XFA",
    "/RichMediaContent", "/RichMediaSettings",
)  # fmt: skip
# Actions (/S) that run script, start a program, send data or open another file.
ACTIVE_ACTIONS = {
    "/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/RichMediaExecute", "/Rendition",
    "/GoToE", "/GoToR", "/Sound", "/Movie",
}  # fmt: skip
ACTIVE_ANNOTATIONS = {"/RichMedia", "/Screen", "/Movie", "/Sound", "/FileAttachment", "/3D"}
FLATE = {"/FlateDecode", "/Fl"}
EXPANDING = {"/LZWDecode", "/LZW", "/RunLengthDecode", "/RL"}
GENERAL = FLATE | EXPANDING | {"/ASCIIHexDecode", "/AHx", "/ASCII85Decode", "/A85"}
STEP = 1 << 20  # inflate at most 1 MB at a time
MAX_EXPANDING_RAW = 1 << 20  # an LZW/RunLength stream is decoded whole: keep it small


def max_pages() -> int:
    return getattr(settings, "MOTCUA_PDF_MAX_PAGES", 1000)


def max_objects() -> int:
    return getattr(settings, "MOTCUA_PDF_MAX_OBJECTS", 250_000)


def max_decompressed() -> int:
    return getattr(settings, "MOTCUA_PDF_MAX_DECOMPRESSED_BYTES", 100 * 1024 * 1024)


SCAN = 1024 * 1024  # the file is searched a megabyte at a time, never read whole
OVERLAP = max(len(marker) for marker in (*HTML_MARKERS, b"%%EOF"))


def _last_eof(handle, size: int) -> int:
    """Where the last %%EOF starts, searching backwards a block at a time; -1 when there is none."""
    end = size
    while end > 0:
        start = max(0, end - SCAN)
        handle.seek(start)
        block = handle.read(min(size, end + OVERLAP) - start)
        found = block.rfind(b"%%EOF")
        if found >= 0:
            return start + found
        end = start
    return -1


def _has_marker(handle, start: int) -> bool:
    """Whether an HTML or script marker appears anywhere from `start` to the end of the file."""
    handle.seek(start)
    carry = b""
    while chunk := handle.read(SCAN):
        window = (carry + chunk).lower()
        if any(marker in window for marker in HTML_MARKERS):
            return True
        carry = window[-OVERLAP:]
    return False


def polyglot_check(handle) -> None:
    """Refuse a file two readers would take for two different things (`handle`: the file, opened
    for reading in binary)."""
    handle.seek(0, 2)
    size = handle.tell()
    handle.seek(0)
    first = handle.read(1024)
    head = first.lower()
    tail_at = _last_eof(handle, size)
    in_tail = tail_at >= 0 and _has_marker(handle, tail_at + 5)
    if (
        any(marker in head for marker in HTML_MARKERS)
        or in_tail
        or first.startswith(IMAGE_SIGNATURES)
    ):
        raise ValidationError(MSG_POLYGLOT, code="file_polyglot")


class _Bomb(Exception):
    pass


def _names(value) -> list[str]:
    import pikepdf

    if value is None:
        return []
    return [str(item) for item in value] if isinstance(value, pikepdf.Array) else [str(value)]


def _inflate(chunks, budget: int):
    """Inflate a stream of chunks in bounded steps, stopping past `budget` bytes."""
    decoder = zlib.decompressobj()
    produced = 0
    for chunk in chunks:
        data = chunk
        while data and not decoder.eof:
            out = decoder.decompress(data, STEP)
            produced += len(out)
            if produced > budget:
                raise _Bomb
            if out:
                yield out
            data = decoder.unconsumed_tail
        if decoder.eof:
            return


def _stream_size(stream, budget: int) -> int:
    """How large a stream becomes once decoded, without holding it decoded."""
    filters = _names(stream.get("/Filter"))
    raw = stream.read_raw_bytes()
    if not filters or not all(name in GENERAL for name in filters):
        return len(raw)  # image codecs (DCT, JPX, CCITT, JBIG2) are not decoded here
    if all(name in FLATE for name in filters):
        chunks = iter([raw])
        for _ in filters:
            chunks = _inflate(chunks, budget)
        size = 0
        try:
            for out in chunks:
                size += len(out)
        except zlib.error:  # damaged data: what a reader gets is what it inflated so far
            pass
        return size
    if any(name in EXPANDING for name in filters) and len(raw) > MAX_EXPANDING_RAW:
        raise _Bomb
    try:
        return len(stream.read_bytes())
    except Exception:  # undecodable: readers skip it
        return len(raw)


def limits_check(pdf) -> None:
    """Refuse a PDF with too many pages or objects, or streams that inflate beyond the cap."""
    import pikepdf

    objects = pdf.objects
    if len(objects) > max_objects():
        raise ValidationError(
            MSG_TOO_MANY_OBJECTS.format(limit=f"{max_objects():,}".replace(",", ".")),
            code="pdf_too_many_objects",
        )
    count = len(pdf.pages)
    if count > max_pages():
        raise ValidationError(
            MSG_TOO_MANY_PAGES.format(count=f"{count:,}".replace(",", "."), limit=max_pages()),
            code="pdf_too_many_pages",
        )
    budget = max_decompressed()
    total = 0
    try:
        for obj in objects:
            if isinstance(obj, pikepdf.Stream):
                total += _stream_size(obj, budget - total)
                if total > budget:
                    raise _Bomb
    except _Bomb:
        raise ValidationError(
            MSG_BOMB.format(limit=budget // (1024 * 1024)), code="pdf_bomb"
        ) from None


UNSAFE_SCHEMES = ("javascript:", "vbscript:", "data:", "file:")


def _is_active_action(value) -> bool:
    """An action that runs something: by its type, or a link whose address is a script."""
    import pikepdf

    if not isinstance(value, pikepdf.Dictionary):
        return False
    kind = str(value.get("/S", ""))
    if kind == "/URI":
        address = "".join(str(value.get("/URI", "")).split()).lower()
        return address.startswith(UNSAFE_SCHEMES)
    return kind in ACTIVE_ACTIONS


def _clean(obj, removed: set[str], depth: int = 0) -> None:
    """Strip active keys and actions from one dictionary and its direct (not indirect) parts;
    indirect objects are each visited from `pdf.objects`."""
    import pikepdf

    if depth > 64:
        return
    if isinstance(obj, pikepdf.Array):
        for item in obj:
            if isinstance(item, (pikepdf.Dictionary, pikepdf.Array)) and not item.is_indirect:
                _clean(item, removed, depth + 1)
        return
    for key in ACTIVE_KEYS:
        if key in obj:
            del obj[key]
            removed.add(key)
    for key in ("/A", "/Next"):
        if key in obj and _is_active_action(obj[key]):
            removed.add(str(obj[key].get("/S")))
            del obj[key]
    if _is_active_action(obj):  # an action dictionary reached another way
        removed.add(str(obj.get("/S")))
        for key in list(obj.keys()):
            if key != "/Type":
                del obj[key]
    for key in list(obj.keys()):
        value = obj.get(key)
        if isinstance(value, (pikepdf.Dictionary, pikepdf.Array)) and not value.is_indirect:
            _clean(value, removed, depth + 1)


def _drop_active_annotations(pdf, removed: set[str]) -> None:
    import pikepdf

    for page in pdf.pages:
        annots = page.obj.get("/Annots")
        if not isinstance(annots, pikepdf.Array):
            continue
        subtypes = [str(a.get("/Subtype", "")) for a in annots]
        if any(subtype in ACTIVE_ANNOTATIONS for subtype in subtypes):
            removed.update(s for s in subtypes if s in ACTIVE_ANNOTATIONS)
            page.obj["/Annots"] = pikepdf.Array(
                [a for a, s in zip(annots, subtypes, strict=True) if s not in ACTIVE_ANNOTATIONS]
            )


def active_content_strip(pdf) -> set[str]:
    """Remove active content from an open PDF in place; the names of what was removed."""
    import pikepdf

    removed: set[str] = set()
    _drop_active_annotations(pdf, removed)
    _clean(pdf.Root, removed)
    _clean(pdf.trailer, removed)
    for obj in pdf.objects:
        if isinstance(obj, (pikepdf.Dictionary, pikepdf.Stream)):
            _clean(obj if isinstance(obj, pikepdf.Dictionary) else obj.stream_dict, removed)
    return removed


@dataclass(frozen=True)
class SafePdf:
    path: Path  # what is stored and served
    page_count: int
    removed: tuple[str, ...]  # active content stripped ("" when the file was kept as it came)


def pdf_make_safe(path: Path, folder: Path) -> SafePdf:
    """Check limits and strip active content. A clean PDF is kept byte for byte (its signatures
    stay valid); one with active content, or with junk before its header, is rewritten to a new
    file in `folder`. pikepdf reads the file from disk object by object."""
    import pikepdf

    from .content import MSG_BROKEN_PDF, MSG_ENCRYPTED_PDF

    with open(path, "rb") as handle:
        polyglot_check(handle)
        starts_clean = handle.seek(0) == 0 and handle.read(5) == b"%PDF-"
    cleaned = folder / f"{path.name}.safe.pdf"
    try:
        with pikepdf.open(path) as pdf:
            limits_check(pdf)
            count = len(pdf.pages)
            if count == 0:
                raise ValidationError(MSG_BROKEN_PDF, code="pdf_broken")
            removed = active_content_strip(pdf)
            if not removed and starts_clean:
                return SafePdf(path, count, ())
            pdf.save(cleaned, deterministic_id=True)
    except ValidationError:
        raise
    except pikepdf.PasswordError as error:
        raise ValidationError(MSG_ENCRYPTED_PDF, code="pdf_encrypted") from error
    except Exception as error:  # pikepdf raises PdfError and friends for every kind of damage
        raise ValidationError(MSG_BROKEN_PDF, code="pdf_broken") from error
    return SafePdf(cleaned, count, tuple(sorted(removed)))
