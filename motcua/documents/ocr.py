"""The "documents-ocr" job: the text of every component file, read outside the request.

Every new file waits with ocr_status "pending". A PDF with a text layer has it read here
(pdftotext, with a timeout) and needs nothing more. Scans (images, PDFs without text): the job runs OCRmyPDF with
Tesseract's Vietnamese data (`-l vie --skip-text`) on each, stores the result as a new StoredFile
(the scan itself is never rewritten), and keeps the text, accent-folded, for the back office's
search by document content. A file that fails is marked failed and named in the run's summary; the
others are still done.
"""

from django.db import transaction

from motcua.core.jobs import job_run
from motcua.core.models import JobRun
from motcua.core.text import fold

from .content import images_to_pdf
from .models import FileKind, OcrStatus, StoredFile

JOB_NAME = "documents-ocr"
BATCH = 50


def documents_ocr_run(limit: int = BATCH) -> JobRun:
    counts = {"pending": 0, "done": 0, "failed": 0}
    with job_run(JOB_NAME, _summary, counts) as book:
        pending = list(
            StoredFile.objects.filter(ocr_status=OcrStatus.PENDING, uses__isnull=False)
            .distinct()
            .order_by("pk")[:limit]
        )
        for stored in pending:
            book.counts["pending"] += 1
            try:
                stored_file_ocr(stored)
                book.counts["done"] += 1
            except Exception as exc:  # one unreadable scan must not stop the others
                StoredFile.objects.filter(pk=stored.pk).update(ocr_status=OcrStatus.FAILED)
                book.counts["failed"] += 1
                book.fail(stored.sha256[:12], str(exc)[:200])
    return book.run


def _summary(counts: dict) -> str:
    return f"Nhận dạng chữ {counts['done']}/{counts['pending']} bản quét."


def stored_file_ocr(stored: StoredFile) -> StoredFile:
    """Read one file's text: its own text layer when it has one (the file itself is returned),
    else OCR of the scan (the new, searchable StoredFile is returned). The file is copied from the
    store to a temporary folder as a stream; the tools read it there."""
    from .services import stored_file_put
    from .storage import storage_copy_to, work_folder
    from .textlayer import pdf_ocr, pdf_text

    with work_folder() as folder:
        source = folder / "ban-quet"
        storage_copy_to(stored.storage_name, source)
        if stored.kind == FileKind.PDF and not stored.text:
            text = pdf_text(source)
            if text.strip():
                stored.text, stored.text_folded = text, fold(text)
                stored.ocr_status = OcrStatus.NOT_NEEDED
                stored.save(update_fields=["text", "text_folded", "ocr_status"])
                return stored
        if stored.kind != FileKind.PDF:
            source.with_suffix(".pdf").write_bytes(images_to_pdf([source.read_bytes()]))
            source = source.with_suffix(".pdf")
        target = pdf_ocr(source, folder / "tim-kiem.pdf")
        with open(target, "rb") as handle:
            searchable = stored_file_put(
                handle, kinds=(FileKind.PDF,), max_bytes=target.stat().st_size
            )
        text = searchable.text or pdf_text(target)
    with transaction.atomic():
        if not searchable.text:
            searchable.text, searchable.text_folded = text, fold(text)
            searchable.ocr_status = OcrStatus.NOT_NEEDED
            searchable.save(update_fields=["text", "text_folded", "ocr_status"])
        stored.ocr_file = searchable
        stored.ocr_status = OcrStatus.DONE
        stored.save(update_fields=["ocr_file", "ocr_status"])
    return searchable
