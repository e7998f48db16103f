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
    # Came with a dossier another agency sent over (ADR 0042, 0044): nobody uploaded it here.
    LIENTHONG = "lienthong", "Nhận qua liên thông"


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


class SignedReport(models.Model):
    """An issued periodic report as the leader signed it (PDF, PAdES): the registry the
    verification page also looks a file up in. (Kept apart from IssuedDocument, a dossier's
    result, whose table carries the rollup triggers of ADR 0015.)"""

    report = models.OneToOneField(
        "indicators.ReportIssue", on_delete=models.PROTECT, related_name="signed_document"
    )
    stored_file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    sha256 = models.CharField("mã băm SHA-256", max_length=64, unique=True)
    signer = models.ForeignKey(
        "Signer", verbose_name="người ký", on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField("ký lúc")
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "báo cáo đã ký số"
        verbose_name_plural = "báo cáo đã ký số"

    def __str__(self) -> str:
        return f"{self.report} ({self.sha256[:12]}…)"


# --- signers (ADR 0032) ---------------------------------------------------------------------------


class SignerBackend(models.TextChoices):
    PKCS11 = "pkcs11", "USB token / HSM (PKCS#11)"
    CSC = "csc", "Ký số từ xa (CSC API v2)"
    PKCS12 = "pkcs12", "Tệp khoá PKCS#12 (chỉ dùng cho bản trình diễn)"


class Signer(models.Model):
    """A person who signs, and where their key is: a token's PKCS#11 module and labels, a remote
    signing credential, or (demo only) a PKCS#12 file. No secret is kept: the PIN and the
    one-time code are asked at each signature. The name, title and organisation are printed on
    the visible signature (Decree 30/2020, Appendix I); the seal is the organisation's."""

    name = models.CharField("tên cấu hình", max_length=64, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="cán bộ ký",
        on_delete=models.PROTECT,
        related_name="signers",
        null=True,
        blank=True,
    )
    full_name = models.CharField("họ và tên người ký", max_length=255)
    title = models.CharField("chức vụ", max_length=128)
    authority = models.CharField("thẩm quyền ký (KT., TL., TM.)", max_length=128, blank=True)
    organisation = models.CharField("cơ quan, tổ chức", max_length=255)
    parent_organisation = models.CharField("cơ quan chủ quản", max_length=255, blank=True)
    seal = models.ForeignKey(
        StoredFile,
        verbose_name="hình ảnh con dấu (PNG nền trong suốt)",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    backend = models.CharField("loại khoá ký", max_length=8, choices=SignerBackend.choices)
    pkcs11_module = models.CharField("thư viện PKCS#11", max_length=255, blank=True)
    token_label = models.CharField("nhãn thiết bị (token)", max_length=64, blank=True)
    key_label = models.CharField("nhãn khoá ký", max_length=64, blank=True)
    cert_label = models.CharField("nhãn chứng thư (nếu khác nhãn khoá)", max_length=64, blank=True)
    csc_base_url = models.URLField("địa chỉ dịch vụ ký số từ xa", blank=True)
    csc_credential_id = models.CharField("mã chứng thư (credentialID)", max_length=255, blank=True)
    pkcs12_path = models.CharField("đường dẫn tệp PKCS#12", max_length=255, blank=True)
    is_active = models.BooleanField("đang dùng", default=True)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)

    class Meta:
        verbose_name = "người ký số"
        verbose_name_plural = "người ký số"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(backend__in=[b.value for b in SignerBackend]),
                name="signer_backend_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(backend="pkcs11")
                | (
                    ~models.Q(pkcs11_module="")
                    & ~models.Q(token_label="")
                    & ~models.Q(key_label="")
                ),
                name="signer_pkcs11_complete",
            ),
            models.CheckConstraint(
                condition=~models.Q(backend="csc")
                | (~models.Q(csc_base_url="") & ~models.Q(csc_credential_id="")),
                name="signer_csc_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} — {self.title} ({self.name})"

    def key_spec(self):
        from .keys import KeySpec

        return KeySpec(
            kind=self.backend,
            pkcs11_module=self.pkcs11_module,
            token_label=self.token_label,
            key_label=self.key_label,
            cert_label=self.cert_label,
            csc_base_url=self.csc_base_url,
            csc_credential_id=self.csc_credential_id,
            pkcs12_path=self.pkcs12_path,
        )


# --- result documents -----------------------------------------------------------------------------


class ResultLayout(models.TextChoices):
    DECISION = "decision", "Quyết định"
    CERTIFICATE = "certificate", "Chứng chỉ, giấy chứng nhận"
    LETTER = "letter", "Công văn, thông báo"


class ResultOutcome(models.TextChoices):
    APPROVE = "approve", "Giải quyết (ký duyệt)"
    REFUSE = "refuse", "Từ chối giải quyết"


class ResultTemplate(models.Model):
    """The result document of a procedure version, in Decree 30/2020 layout: title, excerpt,
    body with {placeholders} filled from the dossier, and the fields the specialist types.
    Versioned with the catalogue: it belongs to one ProcedureVersion and is never edited; a new
    version of the procedure takes the last earlier version's templates until it has its own."""

    procedure_version = models.ForeignKey(
        "catalog.ProcedureVersion",
        verbose_name="phiên bản thủ tục",
        on_delete=models.PROTECT,
        related_name="result_templates",
    )
    code = models.SlugField("mã mẫu", max_length=64)
    name = models.CharField("tên mẫu", max_length=255)
    layout = models.CharField("thể thức", max_length=12, choices=ResultLayout.choices)
    outcome = models.CharField(
        "kết quả", max_length=8, choices=ResultOutcome.choices, default=ResultOutcome.APPROVE
    )
    title = models.CharField("tên loại văn bản", max_length=255)
    excerpt = models.CharField("trích yếu", max_length=500, blank=True)
    symbol = models.CharField("ký hiệu (vd. QĐ-STP)", max_length=32)
    body = models.TextField("nội dung (mỗi đoạn một dòng; {trường} lấy từ hồ sơ)")
    fields = models.JSONField("trường cán bộ nhập", default=list, blank=True)
    recipients = models.TextField("nơi nhận (mỗi nơi một dòng)", blank=True)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)

    class Meta:
        verbose_name = "mẫu kết quả"
        verbose_name_plural = "mẫu kết quả"
        ordering = ["procedure_version_id", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["procedure_version", "code"], name="resulttemplate_version_code_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(layout__in=[v.value for v in ResultLayout]),
                name="resulttemplate_layout_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(outcome__in=[v.value for v in ResultOutcome]),
                name="resulttemplate_outcome_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.procedure_version})"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            from motcua.catalog.models import ImmutableError

            raise ImmutableError(
                "Mẫu kết quả của một phiên bản thủ tục không được sửa; khi thủ tục được sửa "
                "đổi, thêm mẫu cho phiên bản mới."
            )
        super().save(*args, **kwargs)


class DraftSource(models.TextChoices):
    TEMPLATE = "template", "Soạn từ mẫu"
    UPLOAD = "upload", "Tải lên bản dự thảo"


class DraftStatus(models.TextChoices):
    PREPARED = "prepared", "Chờ lãnh đạo phòng xem xét"
    REVIEWED = "reviewed", "Đã xem xét, chờ lãnh đạo ký"
    SENT_BACK = "sent_back", "Trả lại để soạn lại"
    SIGNED = "signed", "Đã ký số, đã phát hành"
    SUPERSEDED = "superseded", "Đã thay bằng bản khác"


OPEN_DRAFT_STATUSES = (DraftStatus.PREPARED, DraftStatus.REVIEWED, DraftStatus.SENT_BACK)


class ResultDraft(models.Model):
    """One version of a dossier's result document: prepared by the specialist (from the template
    or uploaded), reviewed by the head, signed by the leader — exactly these bytes (the PDF's
    SHA-256 is what the leader's page shows and what the signing checks). The document numbers
    and the verification token are reserved by the first version and kept by the later ones."""

    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.PROTECT, related_name="result_drafts"
    )
    version = models.PositiveIntegerField("lần soạn")
    source = models.CharField("cách soạn", max_length=8, choices=DraftSource.choices)
    template = models.ForeignKey(
        ResultTemplate, on_delete=models.PROTECT, null=True, blank=True, related_name="drafts"
    )
    values = models.JSONField("nội dung cán bộ nhập", default=dict, blank=True)
    outcome = models.CharField("kết quả", max_length=8, choices=ResultOutcome.choices)
    title = models.CharField("tên giấy tờ", max_length=255)
    official_number = models.CharField("số, ký hiệu", max_length=64, blank=True)
    number_year = models.PositiveSmallIntegerField("năm của số")
    registry_number = models.CharField("số đăng ký kết quả", max_length=40)
    token = models.CharField("mã xác thực", max_length=32)
    signer = models.ForeignKey(
        Signer, verbose_name="người ký", on_delete=models.PROTECT, related_name="drafts"
    )
    stored_file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    sha256 = models.CharField("mã băm SHA-256 bản trình ký", max_length=64)
    # Where the visible signature goes: [x0, y0, x1, y1] in PDF points, on page `signature_page`.
    signature_box = models.JSONField("vị trí chữ ký")
    signature_page = models.PositiveIntegerField("trang ký")
    status = models.CharField("trạng thái", max_length=12, choices=DraftStatus.choices)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    prepared_at = models.DateTimeField("soạn lúc")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField("xem xét lúc", null=True, blank=True)
    review_note = models.TextField("ý kiến xem xét", blank=True)
    issued = models.OneToOneField(
        IssuedDocument,
        verbose_name="kết quả đã phát hành",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="draft",
    )

    class Meta:
        verbose_name = "dự thảo kết quả"
        verbose_name_plural = "dự thảo kết quả"
        ordering = ["dossier_id", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "version"], name="resultdraft_dossier_version_unique"
            ),
            # Two dossiers never get the same numbers (the first version reserves them).
            models.UniqueConstraint(
                fields=["registry_number"],
                condition=models.Q(version=1),
                name="resultdraft_registry_number_unique",
            ),
            models.UniqueConstraint(
                fields=["number_year", "official_number"],
                condition=models.Q(version=1) & ~models.Q(official_number=""),
                name="resultdraft_official_number_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=[v.value for v in DraftStatus]),
                name="resultdraft_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(source="upload") | models.Q(template__isnull=False),
                name="resultdraft_template_source",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dossier_id} v{self.version} ({self.status})"
