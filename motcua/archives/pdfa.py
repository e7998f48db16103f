"""PDF/A-2b copies of the PDF documents of a hand-over (ADR 0042; issue [J] item 6).

The hand-over keeps every file exactly as stored (a signed result keeps its PAdES signature, which
any rewriting breaks) and adds, for each PDF, a preservation copy converted by Ghostscript
(`gs -dPDFA=2`, PDF/A-2 with conformance B, an sRGB output intent from Ghostscript's own ICC
profile). A copy is kept only when it opens (pikepdf), has pages, declares PDF/A-2B in its XMP
metadata (pdfaid:part 2, pdfaid:conformance B) and carries an output intent; otherwise the reason
is recorded and the original alone goes. This is a declaration check, not a full validation
(veraPDF is not packaged for Debian): recorded in ADR 0042.
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
