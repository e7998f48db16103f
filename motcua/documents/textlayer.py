"""The text of a PDF (poppler's pdftotext) and OCR of scans without one (OCRmyPDF + Tesseract `vie`).

Both work on files on disk: the job copies a stored file to a temporary folder as a stream, and the
tools read it there."""

import subprocess
from pathlib import Path

PDFTOTEXT_TIMEOUT = 60
OCR_TIMEOUT = 600


def pdf_text(source: Path) -> str:
    """The text layer of a PDF, "" when it has none (a scan) or poppler cannot read it."""
    try:
        result = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", "-q", str(source), "-"],
            capture_output=True,
            timeout=PDFTOTEXT_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return result.stdout.decode("utf-8", "replace") if result.returncode == 0 else ""


def pdf_ocr(source: Path, target: Path, *, language: str = "vie") -> Path:
    """A copy of a scanned PDF with a searchable text layer, written to `target`. `--skip-text`
    leaves pages that already have text alone; raises RuntimeError with OCRmyPDF's message when it
    fails."""
    result = subprocess.run(
        [
            "ocrmypdf",
            "-l",
            language,
            "--skip-text",
            "--output-type",
            "pdf",
            "-q",
            str(source),
            str(target),
        ],
        capture_output=True,
        timeout=OCR_TIMEOUT,
        check=False,
    )
    if result.returncode != 0 or not target.exists():
        raise RuntimeError(result.stderr.decode("utf-8", "replace")[-500:] or "ocrmypdf failed")
    return target
