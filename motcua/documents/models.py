"""Files addressed by SHA-256, the files of a dossier's components, and the electronic results the
department issues and signs.

A `StoredFile` is content: the same bytes are stored once and never overwritten (the storage name is
derived from the hash). A `ComponentFile` says which dossier component a file belongs to and how it
got there — scanned at the desk, uploaded by the citizen, or reused from the person's earlier
dossier or result (the "kho dữ liệu" of Decree 45/2020). An `IssuedDocument` is the registry of
signed results: the public verification page looks a PDF up here by its hash.
"""

from django.conf import settings
from django.db import models


class FileKind(models.TextChoices):
    PDF = "pdf", "PDF"
    JPEG = "jpeg", "Ảnh JPEG"
    PNG = "png", "Ảnh PNG"


class SignatureStatus(models.TextChoices):
    """What the validation of the signatures carried by an uploaded PDF found."""

    NONE = "", "Không có chữ ký số"
    VALID = "valid", "Chữ ký hợp lệ"
    UNTRUSTED = "untrusted", "Chữ ký không thuộc tổ chức chứng thực tin cậy"
    INVALID = "invalid", "Chữ ký không hợp lệ hoặc tệp đã bị sửa"


class OcrStatus(models.TextChoices):
    NOT_NEEDED = "", "Không cần nhận dạng"
    PENDING = "pending", "Chờ nhận dạng chữ"
    DONE = "done", "Đã nhận dạng chữ"
    FAILED = "failed", "Nhận dạng chữ lỗi"


class StoredFile(models.Model):
    """One file's content, stored once under a name derived from its SHA-256 and never rewritten."""

    sha256 = models.CharField("mã băm SHA-256", max_length=64, unique=True)
    size = models.PositiveBigIntegerField("dung lượng (byte)")
    content_type = models.CharField("kiểu nội dung", max_length=64)
    kind = models.CharField("loại tệp", max_length=8, choices=FileKind.choices)
    page_count = models.PositiveIntegerField("số trang", null=True, blank=True)
    storage_name = models.CharField("tên lưu trữ", max_length=255, unique=True)
    created_at = models.DateTimeField("lưu lúc", auto_now_add=True)
    # Signatures found in an uploaded PDF, validated when it was stored (issue requirement 6).
    signature_status = models.CharField(
        "chữ ký số", max_length=12, choices=SignatureStatus.choices, blank=True, default=""
    )
    signatures = models.JSONField("các chữ ký", default=list, blank=True)
    # Text of the document (its own text layer, or OCR), accent-folded for search.
    text = models.TextField("nội dung chữ", blank=True)
    text_folded = models.TextField("nội dung chữ (không dấu)", blank=True)
    ocr_status = models.CharField(
        "nhận dạng chữ", max_length=8, choices=OcrStatus.choices, blank=True, default=""
    )
    # The searchable copy OCR made of this scan (a new file: the original is never rewritten).
    ocr_file = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "tệp lưu trữ"
        verbose_name_plural = "tệp lưu trữ"
        indexes = [models.Index(fields=["ocr_status"], name="storedfile_ocr_status_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=[k.value for k in FileKind]),
                name="storedfile_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.sha256[:12]}… ({self.size} byte)"


class ComponentSource(models.TextChoices):
    DESK_SCAN = "desk_scan", "Số hoá tại Bộ phận Một cửa"
    CITIZEN_UPLOAD = "citizen_upload", "Công dân tải lên"
    REUSE = "reuse", "Tái sử dụng dữ liệu đã số hoá"


class ComponentFile(models.Model):
    """A file of one dossier component, with where it came from and who vouched for it."""

    component = models.ForeignKey(
        "dossiers.DossierComponent", on_delete=models.CASCADE, related_name="files"
    )
    stored_file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="uses")
    source = models.CharField("nguồn", max_length=16, choices=ComponentSource.choices)
    # Reuse (TT 01/2023; 766 indicator 4.3): the earlier component file, or the issued result.
    reused_from = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="reuses"
    )
    reused_from_result = models.ForeignKey(
        "IssuedDocument", on_delete=models.PROTECT, null=True, blank=True, related_name="reuses"
    )
    digitised_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    digitised_confirmed_at = models.DateTimeField("đối chiếu bản gốc lúc", null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField("đính kèm lúc", auto_now_add=True)

    class Meta:
        verbose_name = "tệp thành phần hồ sơ"
        verbose_name_plural = "tệp thành phần hồ sơ"
        ordering = ["created_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(source__in=[s.value for s in ComponentSource]),
                name="componentfile_source_valid",
            ),
            # A double click attaches a file once.
            models.UniqueConstraint(
                fields=["component", "stored_file"], name="componentfile_component_file_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(source="reuse")
                | models.Q(reused_from__isnull=False)
                | models.Q(reused_from_result__isnull=False),
                name="componentfile_reuse_has_source",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.component_id}: {self.stored_file_id} ({self.source})"

    @property
    def is_digitised(self) -> bool:
        """A desk scan counts once an officer confirmed it matches the original; an electronic
        upload or a reused file is digitised by nature."""
        return self.source != ComponentSource.DESK_SCAN or self.digitised_confirmed_at is not None


class IssuedDocument(models.Model):
    """The registry of electronic results this installation signed. The public verification page
    finds a document by the token printed in its QR code, or a PDF by its SHA-256."""

    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.PROTECT, related_name="issued_documents"
    )
    number = models.CharField("số", max_length=40, unique=True)
    title = models.CharField("tên giấy tờ", max_length=255)
    token = models.CharField("mã xác thực", max_length=32, unique=True)
    stored_file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    sha256 = models.CharField("mã băm SHA-256", max_length=64, unique=True)
    issuing_unit = models.CharField("cơ quan cấp", max_length=255)
    signer = models.CharField("người ký", max_length=255)
    signed_at = models.DateTimeField("ký lúc")
    holder_name = models.CharField("người được cấp", max_length=255)
    citizen_id = models.CharField("số định danh người được cấp", max_length=12, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "kết quả điện tử đã cấp"
        verbose_name_plural = "kết quả điện tử đã cấp"
        ordering = ["-signed_at", "-pk"]
        indexes = [
            models.Index(fields=["citizen_id"], name="issueddoc_citizen_id_idx"),
            models.Index(fields=["signed_at"], name="issueddoc_signed_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"
