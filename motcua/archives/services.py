"""Writes of the work-file archive (ADR 0039): filing a year's finished dossiers and registered
documents into work files, the yearly hand-over package, and the fixity check.

Files are read only through the project's file store (motcua.documents.services.stored_file_open,
ADR 0027), the exchange registers' attachments included (ADR 0042). The package holds every file
exactly as stored and, beside each PDF, a PDF/A-2b copy made by Ghostscript (archives.pdfa, ADR
0042): the original keeps its digital signature, the copy is the preservation rendition."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Min, Sum
from django.utils import timezone

from motcua.core.clock import now
from motcua.core.text import fold
from motcua.documents.storage import CHUNK, file_hash, work_folder

from .models import (
    AccessLevel,
    FixityCheck,
    HandOver,
    HandOverStatus,
    ItemKind,
    Reliability,
    RetentionRule,
    SourceKind,
    WorkFile,
    WorkFileItem,
)
from .pdfa import PdfaFailed, pdfa_convert

# A procedure without a RetentionRule: the project's own default, NOT taken from a regulation
# (the retention schedule of TTHC dossiers was not found in the sources at hand; docs/ARCHIVES.md).
DEFAULT_RETENTION_YEARS = 10
FIRST_YEAR = 2000
BATCH = 500

MSG_YEAR_FUTURE = "Năm {year} chưa đến: chỉ lập hồ sơ cho năm đã qua hoặc năm nay."
MSG_YEAR_FUTURE_HANDOVER = "Năm {year} chưa kết thúc: chỉ giao nộp lưu trữ hồ sơ của năm đã qua."
MSG_YEAR_TOO_OLD = "Năm {year} không hợp lệ (từ {first} trở đi)."
MSG_EMPTY_YEAR = (
    "Năm {year} chưa có hồ sơ công việc nào để giao nộp "
    "(hãy lập hồ sơ trước: motcua archives file --year {year})."
)
MSG_CONCURRENT = (
    "Một lần lập hồ sơ khác vừa lập cùng các văn bản này; lần này không ghi gì. Hãy chạy lại."
)
MSG_OUTPUT_NOT_EMPTY = "Thư mục {path} đã có tệp: hãy chọn một thư mục mới hoặc thư mục trống."
MSG_OUTPUT_NOT_DIR = "{path} không phải là thư mục."
MSG_CHANGED = "Tệp “{title}” ({code}) đã bị thay đổi so với khi lập hồ sơ: không lập gói giao nộp."
MSG_MISSING = "Không đọc được tệp “{title}” ({code}) trong kho lưu trữ: không lập gói giao nộp."


def _year_check(year: int, *, allow_current: bool = True) -> None:
    current = timezone.localtime(now()).year
    if year < FIRST_YEAR:
        raise ValidationError(MSG_YEAR_TOO_OLD.format(year=year, first=FIRST_YEAR), code="year")
    if year > current or (not allow_current and year == current):
        message = MSG_YEAR_FUTURE if allow_current else MSG_YEAR_FUTURE_HANDOVER
        raise ValidationError(message.format(year=year), code="year_future")


def _year_bounds(year: int) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.combine(date(year, 1, 1), time()), tz)
    end = timezone.make_aware(datetime.combine(date(year + 1, 1, 1), time()), tz)
    return start, end


def _local_date(moment: datetime | None) -> date | None:
    return timezone.localtime(moment).date() if moment else None


def retention_for(procedure) -> tuple[int | None, str]:
    """(years or None = vĩnh viễn, access level) of a procedure's work files."""
    rule = RetentionRule.objects.filter(procedure=procedure).first() if procedure else None
    if rule is None:
        return DEFAULT_RETENTION_YEARS, AccessLevel.RESTRICTED
    return rule.retention_years, rule.access_level


MSG_NO_PROCEDURE = "Không có thủ tục mã {code} trong danh mục."
MSG_BAD_YEARS = "Thời hạn bảo quản phải là số năm từ 1 đến 100, hoặc “vĩnh viễn”."


def retention_rule_set(
    actor, procedure_code: str, years: int | None, access_level: str, basis: str = ""
) -> RetentionRule:
    """Set the retention of one procedure's work files (years, or None = vĩnh viễn). Work files
    already filed keep theirs; the next filing of a new year uses the rule."""
    from motcua.catalog.models import Procedure

    procedure = Procedure.objects.filter(code=procedure_code).first()
    if procedure is None:
        raise ValidationError(MSG_NO_PROCEDURE.format(code=procedure_code), code="procedure")
    if years is not None and not 1 <= years <= 100:
        raise ValidationError(MSG_BAD_YEARS, code="years")
    if access_level not in AccessLevel.values:
        raise ValidationError("Chế độ sử dụng không hợp lệ.", code="access")
    rule, _ = RetentionRule.objects.update_or_create(
        procedure=procedure,
        defaults={"retention_years": years, "access_level": access_level, "basis": basis[:255]},
    )
    return rule


# --- filing -------------------------------------------------------------------------------------


@dataclass
class FilingResult:
    year: int
    work_files_created: int = 0
    items_added: int = 0
    items_already_filed: int = 0
    work_files: set[int] = field(default_factory=set)


@dataclass
class _Candidate:
    key: str
    kind: str
    title: str
    reference: str
    document_date: date | None
    file_name: str
    content_type: str
    size: int
    sha256: str
    page_count: int | None
    dossier_id: int | None = None
    stored_file_id: int | None = None
    outgoing_file_id: int | None = None
    incoming_file_id: int | None = None


class _Filer:
    def __init__(self, year: int, result: FilingResult):
        self.year = year
        self.result = result
        self.files: dict[tuple, WorkFile] = {}
        self.next_order: dict[int, int] = {}
        self.at = now()

    def work_file(self, unit, source: str, procedure=None, procedure_name: str = "") -> WorkFile:
        key = (unit.pk, source, procedure.pk if procedure else None)
        if key in self.files:
            return self.files[key]
        suffixes: dict[str, str] = {SourceKind.OUTGOING: "VBDI", SourceKind.INCOMING: "VBDEN"}
        suffix = suffixes.get(source)
        code = f"{self.year}.{unit.code or unit.pk}.{suffix or procedure.code}"
        if procedure is not None:
            years, access = retention_for(procedure)
            title = f"Hồ sơ giải quyết thủ tục “{procedure_name}” năm {self.year}"[:500]
            keywords = f"{procedure.code} {procedure_name}"[:500]
        else:
            years, access = None, AccessLevel.RESTRICTED
            register = "văn bản đi" if source == SourceKind.OUTGOING else "văn bản đến"
            title = f"Tập {register} năm {self.year} của {unit.name}"[:500]
            keywords = register
        work_file, created = WorkFile.objects.select_for_update().get_or_create(
            code=code,
            defaults={
                "title": title,
                "year": self.year,
                "unit": unit,
                "source": source,
                "procedure": procedure,
                "retention_years": years,
                "access_level": access,
                "keywords": keywords,
                "reliability": Reliability.BORN_DIGITAL,
                "created_at": self.at,
                "updated_at": self.at,
            },
        )
        self.result.work_files_created += int(created)
        self.files[key] = work_file
        self.next_order[work_file.pk] = (work_file.items.aggregate(m=Max("order"))["m"] or 0) + 1
        return work_file

    def add(self, work_file: WorkFile, candidates: list[_Candidate]) -> list[WorkFileItem]:
        rows = []
        for c in candidates:
            order = self.next_order[work_file.pk]
            self.next_order[work_file.pk] = order + 1
            rows.append(
                WorkFileItem(
                    work_file=work_file,
                    source_key=c.key,
                    kind=c.kind,
                    order=order,
                    title=c.title[:500],
                    reference=c.reference[:128],
                    document_date=c.document_date,
                    dossier_id=c.dossier_id,
                    stored_file_id=c.stored_file_id,
                    outgoing_file_id=c.outgoing_file_id,
                    incoming_file_id=c.incoming_file_id,
                    file_name=c.file_name[:255],
                    content_type=c.content_type[:128],
                    size=c.size,
                    sha256=c.sha256,
                    page_count=c.page_count,
                    filed_at=self.at,
                )
            )
        self.result.work_files.add(work_file.pk)
        return rows


def archives_file_year(actor, year: int) -> FilingResult:
    """File the year's finished dossiers (their signed results and papers) and the registered
    documents (outgoing, incoming) into work files. Idempotent: what is filed is filed once; run
    again, it adds only what is new. The actor may be None (the command line)."""
    _year_check(year)
    result = FilingResult(year)
    try:
        with transaction.atomic():
            filer = _Filer(year, result)
            _file_dossiers(filer)
            _file_register(filer, SourceKind.OUTGOING)
            _file_register(filer, SourceKind.INCOMING)
            for pk in result.work_files:
                _work_file_totals(pk, filer.at)
    except IntegrityError:
        # Another filing of the same files committed first: this one is rolled back whole.
        raise ValidationError(MSG_CONCURRENT, code="concurrent") from None
    return result


def _file_dossiers(filer: _Filer) -> None:
    from motcua.documents.models import ComponentFile, ComponentSource, IssuedDocument
    from motcua.dossiers.models import Dossier
    from motcua.dossiers.workflow import PROCESSING_ENDED

    start, end = _year_bounds(filer.year)
    dossiers = (
        Dossier.objects.filter(
            finished_at__gte=start,
            finished_at__lt=end,
            status__in=[s.value for s in PROCESSING_ENDED],
            code__isnull=False,
        )
        .select_related("receiving_unit", "procedure_version__procedure")
        .only(
            "pk",
            "code",
            "received_at",
            "finished_at",
            "receiving_unit",
            "procedure_version__name",
            "procedure_version__procedure",
        )
        .order_by("finished_at", "pk")
    )
    batch: list = []
    for dossier in dossiers.iterator(chunk_size=BATCH):
        batch.append(dossier)
        if len(batch) == BATCH:
            _file_dossier_batch(filer, batch, IssuedDocument, ComponentFile, ComponentSource)
            batch = []
    if batch:
        _file_dossier_batch(filer, batch, IssuedDocument, ComponentFile, ComponentSource)


def _file_dossier_batch(filer, batch, IssuedDocument, ComponentFile, ComponentSource) -> None:
    by_dossier: dict[int, list[_Candidate]] = {d.pk: [] for d in batch}
    codes = {d.pk: d.code for d in batch}
    for issued in (
        IssuedDocument.objects.filter(dossier_id__in=by_dossier)
        .select_related("stored_file")
        .order_by("signed_at", "pk")
    ):
        stored = issued.stored_file
        by_dossier[issued.dossier_id].append(
            _Candidate(
                key=f"result:{issued.pk}",
                kind=ItemKind.RESULT,
                title=f"{issued.title} số {issued.number}",
                reference=codes[issued.dossier_id],
                document_date=_local_date(issued.signed_at),
                file_name=f"ket-qua-{issued.number}.{_extension(stored.content_type)}",
                content_type=stored.content_type,
                size=stored.size,
                sha256=stored.sha256,
                page_count=stored.page_count,
                dossier_id=issued.dossier_id,
                stored_file_id=stored.pk,
            )
        )
    received = {d.pk: _local_date(d.received_at) for d in batch}
    digitised: set[int] = set()
    for cf in (
        ComponentFile.objects.filter(component__dossier_id__in=by_dossier)
        .select_related("stored_file", "component")
        .order_by("component__order", "created_at", "pk")
    ):
        stored = cf.stored_file
        dossier_id = cf.component.dossier_id
        if cf.source == ComponentSource.DESK_SCAN:
            digitised.add(dossier_id)
        by_dossier[dossier_id].append(
            _Candidate(
                key=f"component:{cf.pk}",
                kind=ItemKind.COMPONENT,
                title=cf.component.name,
                reference=codes[dossier_id],
                document_date=received[dossier_id],
                file_name=f"{_slug(cf.component.name)}.{_extension(stored.content_type)}",
                content_type=stored.content_type,
                size=stored.size,
                sha256=stored.sha256,
                page_count=stored.page_count,
                dossier_id=dossier_id,
                stored_file_id=stored.pk,
            )
        )
    keys = [c.key for cs in by_dossier.values() for c in cs]
    filed = set(
        WorkFileItem.objects.filter(source_key__in=keys).values_list("source_key", flat=True)
    )
    rows: list[WorkFileItem] = []
    for dossier in batch:
        fresh = [c for c in by_dossier[dossier.pk] if c.key not in filed]
        filer.result.items_already_filed += len(by_dossier[dossier.pk]) - len(fresh)
        if not fresh:
            continue
        version = dossier.procedure_version
        work_file = filer.work_file(
            dossier.receiving_unit, SourceKind.DOSSIERS, version.procedure, version.name
        )
        if dossier.pk in digitised and work_file.reliability != Reliability.MIXED:
            work_file.reliability = Reliability.MIXED
            work_file.save(update_fields=["reliability"])
        rows.extend(filer.add(work_file, fresh))
    WorkFileItem.objects.bulk_create(rows, batch_size=BATCH)
    filer.result.items_added += len(rows)


def _file_register(filer: _Filer, source: str) -> None:
    from motcua.exchange.models import IncomingFile, OutgoingFile

    model = OutgoingFile if source == SourceKind.OUTGOING else IncomingFile
    kind = ItemKind.OUTGOING if source == SourceKind.OUTGOING else ItemKind.INCOMING
    files = (
        model.objects.filter(document__year=filer.year)
        .select_related("document__unit")
        .order_by("document_id", "pk")
    )
    filed = set(
        WorkFileItem.objects.filter(source_key__startswith=f"{kind}:").values_list(
            "source_key", flat=True
        )
    )  # the register's files already filed, read once (not one query per file)
    for f in files.iterator(chunk_size=BATCH):
        key = f"{kind}:{f.pk}"
        if key in filed:
            filer.result.items_already_filed += 1
            continue
        document: Any = f.document  # an OutgoingDocument or an IncomingDocument
        if source == SourceKind.OUTGOING:
            reference = f"{document.number}/{document.symbol}"
        else:
            reference = f"{document.code_number}/{document.code_notation}"
        candidate = _Candidate(
            key=key,
            kind=kind,
            title=f"{document.type_name} {reference}: {document.subject}".strip(),
            reference=reference,
            document_date=document.issued_on,
            file_name=f.name,
            content_type=f.content_type,
            size=f.size,
            sha256=f.sha256,
            page_count=None,
            outgoing_file_id=f.pk if source == SourceKind.OUTGOING else None,
            incoming_file_id=f.pk if source == SourceKind.INCOMING else None,
        )
        work_file = filer.work_file(document.unit, source)
        WorkFileItem.objects.bulk_create(filer.add(work_file, [candidate]))
        filer.result.items_added += 1


def _work_file_totals(pk: int, at: datetime) -> None:
    totals = WorkFileItem.objects.filter(work_file_id=pk).aggregate(
        count=Count("pk"),
        pages=Sum("page_count"),
        first=Min("document_date"),
        last=Max("document_date"),
    )
    WorkFile.objects.filter(pk=pk).update(
        item_count=totals["count"],
        page_count=totals["pages"] or 0,
        start_date=totals["first"],
        end_date=totals["last"],
        updated_at=at,
    )


def _extension(content_type: str) -> str:
    return {
        "application/pdf": "pdf",
        "image/jpeg": "jpg",
        "image/png": "png",
        "application/xml": "xml",
    }.get(content_type, "bin")


def _slug(text: str, limit: int = 80) -> str:
    return (re.sub(r"[^a-z0-9]+", "-", fold(text)).strip("-") or "tep")[:limit]


# --- reading a filed file -------------------------------------------------------------------------


def item_chunks(item: WorkFileItem) -> Iterator[bytes]:
    """The bytes of a filed file, in chunks, from the file store (ADR 0027): a dossier's stored
    file or a register document's attachment (ADR 0042). FileNotFoundError when it is gone."""
    stored = item.stored_file if item.stored_file_id is not None else None
    if stored is not None:
        from motcua.documents.services import stored_file_open

        with stored_file_open(stored) as handle:
            while chunk := handle.read(CHUNK):
                yield chunk
        return
    from motcua.exchange.files import exchange_file_chunks
    from motcua.exchange.models import IncomingFile, OutgoingFile

    file: OutgoingFile | IncomingFile | None = None
    if item.outgoing_file_id is not None:
        file = OutgoingFile.objects.filter(pk=item.outgoing_file_id).first()
    elif item.incoming_file_id is not None:
        file = IncomingFile.objects.filter(pk=item.incoming_file_id).first()
    if file is None:
        raise FileNotFoundError(item.source_key)
    yield from exchange_file_chunks(file)


def _items_of(work_files) -> Iterator[WorkFileItem]:
    return (
        WorkFileItem.objects.filter(work_file__in=work_files)
        .select_related("work_file", "stored_file")
        .only(
            "pk",
            "order",
            "title",
            "reference",
            "document_date",
            "kind",
            "file_name",
            "content_type",
            "size",
            "sha256",
            "page_count",
            "source_key",
            "outgoing_file_id",
            "incoming_file_id",
            "work_file__code",
            "stored_file__storage_name",
        )
        .order_by("work_file__code", "order")
        .iterator(chunk_size=BATCH)
    )


# --- the yearly hand-over package -----------------------------------------------------------------

XLSX_WORK_FILE_COLUMNS = [
    "STT",
    "Mã hồ sơ",
    "Tiêu đề hồ sơ",
    "Đơn vị",
    "Thời gian bắt đầu",
    "Thời gian kết thúc",
    "Thời hạn bảo quản",
    "Chế độ sử dụng",
    "Ngôn ngữ",
    "Tổng số văn bản",
    "Số lượng trang",
    "Từ khóa",
    "Tình trạng vật lý",
    "Mức độ tin cậy",
    "Định dạng",
]
XLSX_ITEM_COLUMNS = [
    "Mã hồ sơ",
    "STT trong hồ sơ",
    "Tên văn bản",
    "Số, ký hiệu / mã hồ sơ TTHC",
    "Ngày",
    "Loại",
    "Tệp trong gói",
    "Kiểu nội dung",
    "Dung lượng (byte)",
    "Số trang",
    "SHA-256",
]
PDFA_NOTE = (
    "Các tệp được đưa vào gói nguyên như khi lưu (kết quả đã ký số PAdES, thành phần hồ sơ) trong "
    "tep/; mỗi tệp PDF có thêm bản chuyển đổi PDF/A-2b trong pdfa/ (bản chuyển đổi không còn chữ "
    "ký số: chữ ký nằm ở bản gốc). Bản PDF/A được kiểm tra mở được và khai báo PDF/A-2B trong XMP "
    "(pdfaid), chưa kiểm định đầy đủ bằng veraPDF."
)


class HandOverError(ValidationError):
    pass


def _output_prepare(output: Path) -> bool:
    """Check the output folder; True when it had to be created (and is removed on failure)."""
    if output.exists():
        if not output.is_dir():
            raise HandOverError(MSG_OUTPUT_NOT_DIR.format(path=output), code="output")
        if any(output.iterdir()):
            raise HandOverError(MSG_OUTPUT_NOT_EMPTY.format(path=output), code="output")
        return False
    return True


def archives_handover(actor, year: int, output: Path) -> HandOver:
    """Build the hand-over of a past year into the folder `output` (new, or empty):
    `muc-luc-ho-so-YEAR.xlsx` (the list: one sheet of work files, one of their documents) and
    `goi-nop-luu-YEAR.zip` (the same list, every file under tep/<work file code>/, and
    manifest.json with the SHA-256 and size of every file). Streamed to disk, file by file. Every
    file is re-hashed while copied: one that differs from its filing refuses the package. On any
    refusal nothing is left in `output`."""
    output = Path(output)
    _year_check(year, allow_current=False)
    work_files = WorkFile.objects.filter(year=year).select_related("unit").order_by("code")
    if not WorkFileItem.objects.filter(work_file__year=year).exists():
        raise HandOverError(MSG_EMPTY_YEAR.format(year=year), code="empty")
    created = _output_prepare(output)
    handover = HandOver.objects.create(
        year=year, output=str(output), started_at=now(), requested_by=actor
    )
    written: list[Path] = []
    try:
        output.mkdir(parents=True, exist_ok=True)
        xlsx = output / f"muc-luc-ho-so-{year}.xlsx"
        package = output / f"goi-nop-luu-{year}.zip"
        partial = output / f".goi-nop-luu-{year}.zip.tam"
        written += [xlsx, partial, package]
        counts = _package_write(year, work_files, xlsx, partial)
        os.replace(partial, package)
        handover.package_sha256 = file_hash(package)
    except Exception as exc:
        for path in written:
            path.unlink(missing_ok=True)
        if created:
            shutil.rmtree(output, ignore_errors=True)
        handover.status = HandOverStatus.FAILED
        handover.message = "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        handover.finished_at = now()
        handover.save()
        raise
    handover.status = HandOverStatus.DONE
    handover.work_files, handover.files, handover.bytes = counts
    handover.finished_at = now()
    handover.save()
    return handover


def _package_write(year: int, work_files, xlsx: Path, package: Path) -> tuple[int, int, int]:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Mục lục hồ sơ")
    sheet.append(XLSX_WORK_FILE_COLUMNS)
    described = []
    for number, wf in enumerate(work_files, start=1):
        sheet.append(
            [
                number,
                wf.code,
                wf.title,
                wf.unit.name,
                wf.start_date,
                wf.end_date,
                wf.retention_label,
                wf.get_access_level_display(),
                wf.language,
                wf.item_count,
                wf.page_count,
                wf.keywords,
                wf.physical_state,
                wf.get_reliability_display(),
                wf.file_format,
            ]
        )
        described.append(
            {
                "code": wf.code,
                "title": wf.title,
                "unit": wf.unit.name,
                "retention": wf.retention_label,
                "access_level": wf.get_access_level_display(),
                "items": wf.item_count,
                "pages": wf.page_count,
            }
        )
    items_sheet = book.create_sheet("Văn bản")
    items_sheet.append(XLSX_ITEM_COLUMNS)
    try:
        return _package_fill(year, book, items_sheet, described, xlsx, package)
    except BaseException:
        # Close the write-only sheets (their writers are generators) before the caller removes
        # the partial files.
        with contextlib.suppress(Exception):
            book.save(xlsx)
        raise


def _package_fill(year, book, items_sheet, described, xlsx: Path, package: Path):
    work_files = WorkFile.objects.filter(code__in=[d["code"] for d in described])
    kinds = dict(ItemKind.choices)
    manifest_files = []
    total_bytes = 0
    copies = {"copies": 0, "failed": 0}
    with (
        zipfile.ZipFile(package, "w", allowZip64=True) as archive,
        work_folder() as folder,
    ):
        for item in _items_of(work_files):
            code = item.work_file.code
            name = f"tep/{code}/{item.order:05d}-{item.file_name}"
            digest = hashlib.sha256()
            size = 0
            info = zipfile.ZipInfo(name, date_time=(year, 12, 31, 0, 0, 0))
            info.compress_type = zipfile.ZIP_STORED
            is_pdf = item.content_type == "application/pdf"
            local = folder / "ban-goc.pdf"
            try:
                with (
                    archive.open(info, "w", force_zip64=True) as out,
                    open(local, "wb") if is_pdf else contextlib.nullcontext() as copy,
                ):
                    for chunk in item_chunks(item):
                        digest.update(chunk)
                        size += len(chunk)
                        out.write(chunk)
                        if copy is not None:
                            copy.write(chunk)
            except FileNotFoundError:
                raise HandOverError(
                    MSG_MISSING.format(title=item.title, code=code), code="missing"
                ) from None
            if digest.hexdigest() != item.sha256:
                raise HandOverError(MSG_CHANGED.format(title=item.title, code=code), code="changed")
            total_bytes += size
            entry = {"path": name, "sha256": item.sha256, "size": size, "work_file": code}
            if is_pdf:
                entry.update(_pdfa_add(archive, local, f"pdfa/{code}/{item.order:05d}", year))
                copies["copies" if "pdfa" in entry else "failed"] += 1
            manifest_files.append(entry)
            items_sheet.append(
                [
                    code,
                    item.order,
                    item.title,
                    item.reference,
                    item.document_date,
                    kinds.get(item.kind, item.kind),
                    name,
                    item.content_type,
                    size,
                    item.page_count,
                    item.sha256,
                ]
            )
        book.save(xlsx)
        list_name = xlsx.name
        archive.write(xlsx, list_name, compress_type=zipfile.ZIP_DEFLATED)
        manifest = {
            "year": year,
            "created_at": timezone.localtime(now()).isoformat(),
            "pdfa": {"standard": "PDF/A-2b", **copies},
            "note": PDFA_NOTE,
            "algorithm": "SHA-256",
            "list": {"path": list_name, "sha256": file_hash(xlsx), "size": xlsx.stat().st_size},
            "work_files": described,
            "files": manifest_files,
        }
        archive.writestr(
            "manifest.json",
            json.dumps(manifest, ensure_ascii=False, indent=1, default=str),
            compress_type=zipfile.ZIP_DEFLATED,
        )
    return len(described), len(manifest_files), total_bytes


def _pdfa_add(archive: zipfile.ZipFile, original: Path, stem: str, year: int) -> dict:
    """The PDF/A-2b copy of `original` into the package under `stem`.pdf: its manifest fields, or
    the reason there is none (the original goes alone)."""
    target = original.with_name("pdfa.pdf")
    try:
        pdfa_convert(original, target)
    except PdfaFailed as exc:
        return {"pdfa_error": str(exc)}
    finally:
        original.unlink(missing_ok=True)
    path = f"{stem}.pdf"
    info = zipfile.ZipInfo(path, date_time=(year, 12, 31, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    with archive.open(info, "w", force_zip64=True) as out, open(target, "rb") as handle:
        shutil.copyfileobj(handle, out, CHUNK)
    fields = {"path": path, "sha256": file_hash(target), "size": target.stat().st_size}
    target.unlink()
    return {"pdfa": fields}


# --- fixity ---------------------------------------------------------------------------------------


def archives_fixity_check(actor=None) -> FixityCheck:
    """Re-hash every filed file against the SHA-256 recorded when it was filed; record which
    differ (changed) or cannot be read (missing)."""
    check = FixityCheck.objects.create(started_at=now())
    problems = []
    for item in _items_of(WorkFile.objects.all()):
        check.checked += 1
        digest = hashlib.sha256()
        try:
            for chunk in item_chunks(item):
                digest.update(chunk)
            found: str | None = digest.hexdigest()
        except FileNotFoundError:
            found = None
        if found == item.sha256:
            continue
        if found is None:
            check.missing += 1
        else:
            check.changed += 1
        problems.append(
            {
                "item": item.pk,
                "work_file": item.work_file.code,
                "title": item.title,
                "file": item.file_name,
                "expected": item.sha256,
                "found": found,
            }
        )
    check.problems = problems
    check.finished_at = now()
    check.save()
    return check
