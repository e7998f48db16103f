"""PDF/A-2b copies of the PDF documents of a hand-over (ADR 0042; issue [J] item 6).

The hand-over keeps every file exactly as stored (a signed result keeps its PAdES signature, which
any rewriting breaks) and adds, for each PDF, a preservation copy converted by Ghostscript
(`gs -dPDFA=2`, PDF/A-2 with conformance B, an sRGB output intent from Ghostscript's own ICC
profile). A copy is kept only when it opens (pikepdf), has as many pages as the original, declares
PDF/A-2B in its XMP metadata (pdfaid:part 2, pdfaid:conformance B) and passes the rules of
ISO 19005-2 that `pdfa_rules_broken` checks (the structural ones: no encryption, an output intent
with its ICC profile, XMP metadata in the catalogue, every font embedded, no JavaScript nor
forbidden actions, no LZW or external streams, no embedded files, no image alternates or
interpolation); otherwise the reason is recorded and the original alone goes. This is not a full
validation — veraPDF, which checks every clause (colour spaces, fonts' glyph widths, XMP
schemas…), is packaged neither for Debian nor for PyPI or npm: recorded in ADR 0042.
"""

from __future__ import annotations

import glob
import shutil
import subprocess
from pathlib import Path

GS_TIMEOUT_SECONDS = 120
ICC_CANDIDATES = (
    "/usr/share/ghostscript/*/iccprofiles/srgb.icc",
    "/usr/share/color/icc/ghostscript/srgb.icc",
)
MSG_NO_GS = "Chưa cài Ghostscript (gói Debian ghostscript): không tạo được bản PDF/A."
MSG_FAILED = "Ghostscript không chuyển được sang PDF/A: {why}"
MSG_NOT_PDFA = "Bản chuyển đổi không đạt: {why}"

# The output intent PDF/A needs (after Ghostscript's lib/PDFA_def.ps, without its placeholder
# document title).
DEFINITION = """/ICCProfile ({icc}) def
[/_objdef {{icc_PDFA}} /type /stream /OBJ pdfmark
[{{icc_PDFA}} << /N 3 >> /PUT pdfmark
[{{icc_PDFA}} ICCProfile (r) file /PUT pdfmark
[/_objdef {{OutputIntent_PDFA}} /type /dict /OBJ pdfmark
[{{OutputIntent_PDFA}} << /Type /OutputIntent /S /GTS_PDFA1 /DestOutputProfile {{icc_PDFA}}
  /OutputConditionIdentifier (sRGB) >> /PUT pdfmark
[{{Catalog}} << /OutputIntents [ {{OutputIntent_PDFA}} ] >> /PUT pdfmark
"""


class PdfaFailed(Exception):
    """A copy that could not be made or checked; the message is for the manifest (Vietnamese)."""


def _icc_profile() -> str | None:
    for pattern in ICC_CANDIDATES:
        found = sorted(glob.glob(pattern))
        if found:
            return found[-1]
    return None


def pdfa_available() -> bool:
    return shutil.which("gs") is not None and _icc_profile() is not None


def pdfa_convert(source: Path, target: Path) -> None:
    """Write the PDF/A-2b copy of `source` to `target` and check it; PdfaFailed otherwise (then
    `target` is removed)."""
    gs, icc = shutil.which("gs"), _icc_profile()
    if gs is None or icc is None:
        raise PdfaFailed(MSG_NO_GS)
    pages = _pages(source)
    definition = target.with_suffix(".pdfa-def.ps")
    definition.write_text(DEFINITION.format(icc=icc), encoding="ascii")
    command = [
        gs, "-q", "-dPDFA=2", "-dBATCH", "-dNOPAUSE", "-dSAFER", f"--permit-file-read={icc}",
        "-sColorConversionStrategy=RGB", "-sDEVICE=pdfwrite", "-dPDFACompatibilityPolicy=1",
        f"-sOutputFile={target}", str(definition), str(source),
    ]  # fmt: skip
    try:
        done = subprocess.run(
            command, capture_output=True, timeout=GS_TIMEOUT_SECONDS, check=False, text=True
        )
        if done.returncode != 0 or not target.exists():
            why = (done.stderr or done.stdout or f"mã lỗi {done.returncode}").strip()[-300:]
            raise PdfaFailed(MSG_FAILED.format(why=why))
        pdfa_check(target, pages=pages)
    except subprocess.TimeoutExpired:
        target.unlink(missing_ok=True)
        raise PdfaFailed(MSG_FAILED.format(why=f"quá {GS_TIMEOUT_SECONDS} giây")) from None
    except PdfaFailed:
        target.unlink(missing_ok=True)
        raise
    finally:
        definition.unlink(missing_ok=True)


def _pages(source: Path) -> int:
    """The original's page count (Ghostscript turns a file it cannot read into a blank page and
    says nothing in its exit code: the copy must have as many pages as the original)."""
    import pikepdf

    try:
        with pikepdf.open(source) as pdf:
            return len(pdf.pages)
    except pikepdf.PdfError as exc:
        raise PdfaFailed(MSG_FAILED.format(why=f"bản gốc không mở được ({exc})")) from None


def pdfa_check(path: Path, *, pages: int | None = None) -> None:
    """The file opens, has pages (as many as the original when given), declares PDF/A-2B (XMP
    pdfaid) and has an output intent."""
    import pikepdf

    try:
        with pikepdf.open(path) as pdf:
            metadata = pdf.open_metadata()
            part, conformance = metadata.get("pdfaid:part"), metadata.get("pdfaid:conformance")
            found = len(pdf.pages)
            intents = "/OutputIntents" in pdf.Root
    except pikepdf.PdfError as exc:
        raise PdfaFailed(MSG_NOT_PDFA.format(why=f"không mở được ({exc})")) from None
    if found < 1 or (pages is not None and found != pages):
        raise PdfaFailed(MSG_NOT_PDFA.format(why=f"{found} trang, bản gốc {pages} trang"))
    if (str(part), str(conformance).upper()) != ("2", "B"):
        raise PdfaFailed(
            MSG_NOT_PDFA.format(why=f"XMP khai pdfaid {part or '-'}{conformance or ''}, cần 2B")
        )
    if not intents:
        raise PdfaFailed(MSG_NOT_PDFA.format(why="thiếu OutputIntent"))
    broken = pdfa_rules_broken(path)
    if broken:
        raise PdfaFailed(MSG_NOT_PDFA.format(why="; ".join(broken[:5])))


# ISO 19005-2 (PDF/A-2) 6.6.1: actions a conforming file may not contain.
FORBIDDEN_ACTIONS = {
    "/Launch", "/Sound", "/Movie", "/ResetForm", "/ImportData", "/JavaScript", "/Hide",
    "/SetOCGState", "/Rendition", "/Trans", "/GoTo3DView",
}  # fmt: skip
FONT_FILES = ("/FontFile", "/FontFile2", "/FontFile3")
# A simple font with no descriptor at all (a "standard 14" reference) is not embedded; a Type 3
# font draws its glyphs with the page's own operators, and a Type 0 font's descendant is checked
# through its descriptor.
SIMPLE_FONTS = {"/Type1", "/TrueType", "/MMType1"}


def pdfa_rules_broken(path: Path) -> list[str]:
    """The structural rules of PDF/A-2 (ISO 19005-2) this file breaks, each named with its clause,
    in Vietnamese; empty when none. Walks every object once."""
    import pikepdf

    broken: set[str] = set()
    with pikepdf.open(path) as pdf:
        if pdf.is_encrypted:
            broken.add("6.1.3: tệp được mã hoá")
        root = pdf.Root
        if "/Metadata" not in root:
            broken.add("6.6.2.1: danh mục không có siêu dữ liệu XMP")
        if "/AA" in root:
            broken.add("6.6.2: danh mục có hành động tự động (AA)")
        names = root.get("/Names")
        if names is not None and "/JavaScript" in names:
            broken.add("6.6.1: có JavaScript")
        if names is not None and "/EmbeddedFiles" in names:
            broken.add("6.8: có tệp đính kèm nhúng")
        for intent in root.get("/OutputIntents", []):
            if "/DestOutputProfile" not in intent:
                broken.add("6.2.3: OutputIntent không có hồ sơ màu ICC")
        for page in pdf.pages:
            if "/AA" in page.obj:
                broken.add("6.6.2: trang có hành động tự động (AA)")
        for obj in pdf.objects:
            for inner in _direct_parts(obj):
                broken.update(_object_rules_broken(inner))
    return sorted(broken)


def _direct_parts(obj):
    """The object and the dictionaries and arrays written inside it (an action is often a direct
    dictionary of the catalogue or of an annotation); indirect references are visited as objects
    of their own."""
    import pikepdf

    yield obj
    if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
        values = [value for _key, value in obj.items()]
    elif isinstance(obj, pikepdf.Array):
        values = list(obj)
    else:
        return
    for value in values:
        if isinstance(value, pikepdf.Dictionary | pikepdf.Array) and not value.is_indirect:
            yield from _direct_parts(value)


def _object_rules_broken(obj) -> set[str]:
    import pikepdf

    broken: set[str] = set()
    if isinstance(obj, pikepdf.Stream):
        filters = obj.get("/Filter")
        names = (
            [str(filters)]
            if filters is not None and not isinstance(filters, pikepdf.Array)
            else [str(f) for f in filters or []]
        )
        if "/LZWDecode" in names:
            broken.add("6.1.7.2: luồng nén LZW")
        if "/F" in obj:
            broken.add("6.1.7.1: luồng dữ liệu nằm ngoài tệp")
        if obj.get("/Subtype") == "/Image":
            if "/Alternates" in obj:
                broken.add("6.2.8: ảnh có bản thay thế (Alternates)")
            if obj.get("/Interpolate") is True:
                broken.add("6.2.8: ảnh đặt Interpolate")
        return broken
    if not isinstance(obj, pikepdf.Dictionary):
        return broken
    kind = obj.get("/Type")
    if kind == "/FontDescriptor" and not any(key in obj for key in FONT_FILES):
        broken.add(f"6.2.11.4.1: phông {obj.get('/FontName', '?')} không được nhúng")
    if kind == "/Font" and obj.get("/Subtype") in SIMPLE_FONTS and "/FontDescriptor" not in obj:
        broken.add(f"6.2.11.4.1: phông {obj.get('/BaseFont', '?')} không được nhúng")
    if obj.get("/S") in FORBIDDEN_ACTIONS:
        broken.add(f"6.6.1: hành động {str(obj.get('/S'))[1:]} không được phép")
    if kind == "/Annot" and "/AA" in obj:
        broken.add("6.6.2: chú thích có hành động tự động (AA)")
    return broken
