"""The work-file archive (hồ sơ công việc, lưu trữ điện tử — issue [J] 6, ADR 0039).

Metadata field names follow the "hồ sơ" block of Circular 02/2019/TT-BNV as far as it could be found
(docs/ARCHIVES.md lists each field, its source, and what was not verified)."""

from django.conf import settings
from django.db import models


class SourceKind(models.TextChoices):
    DOSSIERS = "dossiers", "Hồ sơ thủ tục hành chính đã giải quyết"
    OUTGOING = "outgoing", "Văn bản đi"
    INCOMING = "incoming", "Văn bản đến"


class AccessLevel(models.TextChoices):
    # "Chế độ sử dụng" (TT 02/2019): the value list was not found in the sources at hand; these
    # two are the project's own choice (docs/ARCHIVES.md).
    PUBLIC = "public", "Công khai"
    RESTRICTED = "restricted", "Hạn chế"


class Reliability(models.TextChoices):
    # "Mức độ tin cậy" (TT 02/2019): value list not verified (docs/ARCHIVES.md).
    BORN_DIGITAL = "born_digital", "Gốc điện tử"
    DIGITISED = "digitised", "Số hóa"
    MIXED = "mixed", "Hỗn hợp"


class RetentionRule(models.Model):
    """How long the work files of one procedure are kept (years; empty = vĩnh viễn). A procedure
    without a rule gets DEFAULT_RETENTION_YEARS (motcua.archives.services)."""

    procedure = models.OneToOneField(
        "catalog.Procedure",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="thủ tục",
    )
    retention_years = models.PositiveSmallIntegerField(
        "thời hạn bảo quản (năm)", null=True, blank=True, help_text="Để trống: vĩnh viễn."
    )
    access_level = models.CharField(
        "chế độ sử dụng", max_length=10, choices=AccessLevel.choices, default=AccessLevel.RESTRICTED
    )
    basis = models.CharField("căn cứ", max_length=255, blank=True)

    class Meta:
        verbose_name = "thời hạn bảo quản theo thủ tục"
        verbose_name_plural = "bảng thời hạn bảo quản"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(retention_years__isnull=True) | models.Q(retention_years__gte=1),
                name="archives_retention_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.procedure_id}: {self.retention_years or 'vĩnh viễn'}"


class WorkFile(models.Model):
    """One work file (hồ sơ công việc) of one unit and one year: a procedure's finished dossiers,
    or a register's documents."""

    # Deterministic (year, unit, procedure or register): filing again finds the same work file.
    code = models.CharField("mã hồ sơ", max_length=64, unique=True)
    title = models.CharField("tiêu đề hồ sơ", max_length=500)
    year = models.PositiveSmallIntegerField("năm")
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="đơn vị"
    )
    source = models.CharField("loại", max_length=10, choices=SourceKind.choices)
    procedure = models.ForeignKey(
        "catalog.Procedure",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="thủ tục",
    )
    retention_years = models.PositiveSmallIntegerField(
        "thời hạn bảo quản (năm)", null=True, blank=True
    )
    access_level = models.CharField("chế độ sử dụng", max_length=10, choices=AccessLevel.choices)
    language = models.CharField("ngôn ngữ", max_length=32, default="Tiếng Việt")
    start_date = models.DateField("thời gian bắt đầu", null=True, blank=True)
    end_date = models.DateField("thời gian kết thúc", null=True, blank=True)
    item_count = models.PositiveIntegerField("tổng số văn bản", default=0)
    page_count = models.PositiveIntegerField("số lượng trang", default=0)
    keywords = models.CharField("từ khóa", max_length=500, blank=True)
    physical_state = models.CharField("tình trạng vật lý", max_length=64, default="Bình thường")
    reliability = models.CharField("mức độ tin cậy", max_length=12, choices=Reliability.choices)
    file_format = models.CharField("định dạng", max_length=32, default="PDF")
    created_at = models.DateTimeField("lập lúc")
    updated_at = models.DateTimeField("cập nhật lúc")

    class Meta:
        verbose_name = "hồ sơ công việc"
        verbose_name_plural = "hồ sơ công việc"
        ordering = ["-year", "code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(source__in=[s.value for s in SourceKind]),
                name="archives_workfile_source_valid",
            ),
        ]
        indexes = [models.Index(fields=["unit", "year"], name="archives_workfile_unit_idx")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def retention_label(self) -> str:
        return "Vĩnh viễn" if self.retention_years is None else f"{self.retention_years} năm"


class ItemKind(models.TextChoices):
    RESULT = "result", "Kết quả giải quyết (đã ký số)"
    COMPONENT = "component", "Thành phần hồ sơ"
    OUTGOING = "outgoing", "Tệp văn bản đi"
    INCOMING = "incoming", "Tệp văn bản đến"


class WorkFileItem(models.Model):
    """One file filed into a work file, with its SHA-256 as filed (the fixity job compares)."""

    work_file = models.ForeignKey(WorkFile, on_delete=models.PROTECT, related_name="items")
    # What it is, as a key unique over the archive: filing twice files it once.
    source_key = models.CharField("khóa nguồn", max_length=64, unique=True)
    kind = models.CharField("loại", max_length=10, choices=ItemKind.choices)
    order = models.PositiveIntegerField("thứ tự")
    title = models.CharField("tên văn bản", max_length=500)
    reference = models.CharField("mã hồ sơ, số ký hiệu", max_length=128, blank=True)
    document_date = models.DateField("ngày", null=True, blank=True)
    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    stored_file = models.ForeignKey(
        "documents.StoredFile", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outgoing_file = models.ForeignKey(
        "exchange.OutgoingFile", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    incoming_file = models.ForeignKey(
        "exchange.IncomingFile", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    file_name = models.CharField("tên tệp", max_length=255)
    content_type = models.CharField("kiểu nội dung", max_length=128)
    size = models.PositiveBigIntegerField("dung lượng (byte)")
    sha256 = models.CharField("SHA-256 khi lập hồ sơ", max_length=64)
    page_count = models.PositiveIntegerField("số trang", null=True, blank=True)
    filed_at = models.DateTimeField("lập lúc")

    class Meta:
        verbose_name = "văn bản trong hồ sơ công việc"
        verbose_name_plural = "văn bản trong hồ sơ công việc"
        ordering = ["work_file", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["work_file", "order"], name="archives_item_order_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(stored_file__isnull=False)
                | models.Q(outgoing_file__isnull=False)
                | models.Q(incoming_file__isnull=False),
                name="archives_item_has_file",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.work_file_id}/{self.order} {self.title}"


class HandOverStatus(models.TextChoices):
    BUILDING = "building", "Đang lập"
    DONE = "done", "Đã lập gói"
    FAILED = "failed", "Lỗi"


class HandOver(models.Model):
    """One yearly hand-over package to the archive (mục lục hồ sơ nộp lưu + the files)."""

    year = models.PositiveSmallIntegerField("năm")
    status = models.CharField(
        "trạng thái", max_length=9, choices=HandOverStatus.choices, default=HandOverStatus.BUILDING
    )
    output = models.CharField("thư mục", max_length=500)
    work_files = models.PositiveIntegerField("số hồ sơ công việc", default=0)
    files = models.PositiveIntegerField("số tệp", default=0)
    bytes = models.PositiveBigIntegerField("dung lượng (byte)", default=0)
    package_sha256 = models.CharField("SHA-256 gói", max_length=64, blank=True)
    message = models.TextField("ghi chú", blank=True)
    started_at = models.DateTimeField("bắt đầu")
    finished_at = models.DateTimeField("kết thúc", null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "lần giao nộp lưu trữ"
        verbose_name_plural = "các lần giao nộp lưu trữ"
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.year} {self.get_status_display()}"


class FixityCheck(models.Model):
    """One pass of the fixity job over every filed file: what was checked and what differed."""

    started_at = models.DateTimeField("bắt đầu")
    finished_at = models.DateTimeField("kết thúc", null=True, blank=True)
    checked = models.PositiveIntegerField("số tệp đã kiểm tra", default=0)
    changed = models.PositiveIntegerField("số tệp bị thay đổi", default=0)
    missing = models.PositiveIntegerField("số tệp bị mất", default=0)
    # [{"item": id, "work_file": code, "title": …, "expected": sha, "found": sha|None}]
    problems = models.JSONField("các tệp có vấn đề", default=list, blank=True)

    class Meta:
        verbose_name = "lần kiểm tra toàn vẹn"
        verbose_name_plural = "các lần kiểm tra toàn vẹn"
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.started_at:%d/%m/%Y %H:%M}: {self.changed} thay đổi, {self.missing} mất"
