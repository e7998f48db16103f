"""The two registers of the records office (văn thư) and what the document exchange keeps.

* OutgoingDocument — sổ văn bản đi (Decree 30/2020 Điều 15–16): number and symbol in a yearly
  series of the issuing unit, date, signer, recipients by their QCVN 102:2016 organ code; one
  Delivery per recipient carries what that recipient has reported (status packages 01…16).
* IncomingDocument — sổ văn bản đến: an arrival number in a yearly series of the receiving unit,
  who sent it, the deadline, the officer it is assigned to.
* ExchangeMessage — every package sent or received and its outcome, without its content.

Attachments are kept in the one file store (motcua.exchange.files, ADR 0042; they were in the
database until then, ADR 0034), named by their SHA-256; their size is limited by settings.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from .edxml import STATUS_CODES


class RegisterKind(models.TextChoices):
    OUTGOING = "out", "Sổ văn bản đi"
    INCOMING = "in", "Sổ văn bản đến"


class RegisterCounter(models.Model):
    """The last number given in one register of one unit in one year (Decree 30 Điều 15: numbers
    run from 01 on 1 January to 31 December). Locked while a number is taken."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("sổ", max_length=3, choices=RegisterKind.choices)
    year = models.PositiveSmallIntegerField("năm")
    last_number = models.PositiveIntegerField("số cuối đã cấp", default=0)

    class Meta:
        verbose_name = "bộ đếm sổ văn bản"
        verbose_name_plural = "bộ đếm sổ văn bản"
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "kind", "year"], name="exchange_counter_unique"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=RegisterKind.values), name="exchange_counter_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.kind} {self.year}: {self.last_number}"


class OutgoingState(models.TextChoices):
    REGISTERED = "registered", "Đã vào sổ, chưa gửi"
    SENT = "sent", "Đã gửi"


class OutgoingDocument(models.Model):
    """One entry of the outgoing register (văn bản đi)."""

    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="đơn vị ban hành"
    )
    year = models.PositiveSmallIntegerField("năm")
    number = models.PositiveIntegerField("số")
    symbol = models.CharField("ký hiệu", max_length=64)
    document_type = models.CharField("mã loại văn bản (edXML Type)", max_length=8)
    type_name = models.CharField("tên loại văn bản", max_length=64)
    subject = models.TextField("trích yếu")
    content = models.TextField("nội dung tóm tắt", blank=True)
    place = models.CharField("địa danh", max_length=128)
    issued_on = models.DateField("ngày ban hành")
    signer_name = models.CharField("người ký", max_length=128)
    signer_position = models.CharField("chức vụ người ký", max_length=128, blank=True)
    signer_competence = models.CharField("thẩm quyền ký (KT., TM., TL.)", max_length=16, blank=True)
    steering_type = models.CharField("loại chỉ đạo (SteeringType)", max_length=1, default="0")
    due_date = models.DateField("hạn trả lời", null=True, blank=True)
    # [{"organ_id", "code", "promulgation_date" (ISO), "document_id"}]: the documents this answers.
    response_for = models.JSONField("trả lời văn bản", default=list, blank=True)
    state = models.CharField(
        "tình trạng",
        max_length=12,
        choices=OutgoingState.choices,
        default=OutgoingState.REGISTERED,
    )
    registered_at = models.DateTimeField("vào sổ lúc")
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    sent_at = models.DateTimeField("gửi lúc", null=True, blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Status 13 sent to every recipient: we ask for the document back (they answer 15 or 16).
    recall_requested_at = models.DateTimeField("đề nghị lấy lại lúc", null=True, blank=True)

    class Meta:
        verbose_name = "văn bản đi"
        verbose_name_plural = "sổ văn bản đi"
        ordering = ["-year", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "number"], name="exchange_outgoing_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(state__in=OutgoingState.values), name="exchange_outgoing_state_valid"
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="exchange_outgoing_number_pos"),
        ]
        indexes = [models.Index(fields=["unit", "-registered_at"], name="exchange_out_unit_idx")]

    def __str__(self) -> str:
        return self.number_symbol

    @property
    def number_symbol(self) -> str:
        """ "Số: 05/BC-STP" — numbers under 10 padded with 0 (Decree 30 Phụ lục I)."""
        return f"{self.number:02d}/{self.symbol}"

    @property
    def edxml_document_id(self) -> str:
        """The DocumentId the package carries: organ,yyyy/MM/dd,number/symbol (as in the sources)."""
        return f"{self.unit.code},{self.issued_on:%Y/%m/%d},{self.number_symbol}"


class DocumentFile(models.Model):
    """A file of a register entry (the document itself, appendices)."""

    name = models.CharField("tên tệp", max_length=255)
    content_type = models.CharField("kiểu nội dung", max_length=128)
    description = models.CharField("mô tả", max_length=255, blank=True)
    content_id = models.CharField("ContentId", max_length=255)
    # In the file store (motcua.exchange.files): exchange/ab/cd/<sha256>.
    storage_name = models.CharField("tên lưu trữ", max_length=255)
    size = models.PositiveBigIntegerField("kích thước (byte)")
    sha256 = models.CharField("SHA-256", max_length=64)
    # A PDF whose last signature is intact and covers the whole file (trusted or not: the report
    # counts documents carrying a digital signature, seed II.6.1), checked once when registered.
    signed = models.BooleanField("có chữ ký số", default=False)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name


class OutgoingFile(DocumentFile):
    document = models.ForeignKey(OutgoingDocument, on_delete=models.CASCADE, related_name="files")

    class Meta:
        verbose_name = "tệp văn bản đi"
        verbose_name_plural = "tệp văn bản đi"
        ordering = ["pk"]


STATUS_CHOICES = list(STATUS_CODES.items())


class Delivery(models.Model):
    """A sent document as one recipient has it: the last status it reported."""

    document = models.ForeignKey(
        OutgoingDocument, on_delete=models.CASCADE, related_name="deliveries"
    )
    organ_id = models.CharField("mã định danh nơi nhận", max_length=64)
    organ_name = models.CharField("tên nơi nhận", max_length=255, blank=True)
    status_code = models.CharField(
        "trạng thái nơi nhận báo", max_length=2, choices=STATUS_CHOICES, blank=True
    )
    status_description = models.TextField("lời nơi nhận", blank=True)
    status_at = models.DateTimeField("báo lúc", null=True, blank=True)

    class Meta:
        verbose_name = "nơi nhận văn bản đi"
        verbose_name_plural = "nơi nhận văn bản đi"
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "organ_id"], name="exchange_delivery_unique"
            ),
            models.CheckConstraint(
                condition=Q(status_code__in=["", *STATUS_CODES]),
                name="exchange_delivery_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document_id} → {self.organ_id} {self.status_code}"


class DeliveryStatus(models.Model):
    """Every status package received for a delivery, in order (the register's history)."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="statuses")
    code = models.CharField("mã trạng thái", max_length=2, choices=STATUS_CHOICES)
    description = models.TextField("lời nơi nhận", blank=True)
    staff = models.CharField("cán bộ", max_length=255, blank=True)
    reported_at = models.DateTimeField("nơi nhận báo lúc")
    received_at = models.DateTimeField("nhận lúc")

    class Meta:
        verbose_name = "trạng thái nơi nhận báo"
        verbose_name_plural = "trạng thái nơi nhận báo"
        ordering = ["received_at", "pk"]

    def __str__(self) -> str:
        return f"{self.delivery_id} {self.code}"


class IncomingDocument(models.Model):
    """One entry of the incoming register (văn bản đến)."""

    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="đơn vị nhận"
    )
    year = models.PositiveSmallIntegerField("năm")
    arrival_number = models.PositiveIntegerField("số đến")
    received_at = models.DateTimeField("đến lúc")
    from_organ_id = models.CharField("mã định danh nơi gửi", max_length=64)
    from_organ_name = models.CharField("nơi gửi", max_length=255, blank=True)
    code_number = models.CharField("số", max_length=32)
    code_notation = models.CharField("ký hiệu", max_length=64)
    document_id = models.CharField("DocumentId", max_length=255, blank=True)
    document_type = models.CharField("mã loại văn bản", max_length=8)
    type_name = models.CharField("tên loại văn bản", max_length=255, blank=True)
    subject = models.TextField("trích yếu")
    place = models.CharField("địa danh", max_length=255, blank=True)
    issued_on = models.DateField("ngày ban hành")
    signer_name = models.CharField("người ký", max_length=255, blank=True)
    steering_type = models.CharField("loại chỉ đạo", max_length=1, default="0")
    due_date = models.DateField("hạn xử lý", null=True, blank=True)
    # The whole header as read (JSON of edxml.package_as_json without the files): nothing is lost.
    header = models.JSONField("phần đầu gói tin", default=dict)
    package_sha256 = models.CharField("SHA-256 gói tin", max_length=64)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="người xử lý",
    )
    assigned_at = models.DateTimeField("phân công lúc", null=True, blank=True)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The last status we reported to the sender (01 on arrival, then 02…06, 15, 16).
    reply_code = models.CharField(
        "trạng thái đã báo nơi gửi", max_length=2, choices=STATUS_CHOICES, blank=True
    )
    # A status the sender reported on its own document: 13 = it asks for the document back.
    sender_status_code = models.CharField(
        "nơi gửi báo", max_length=2, choices=STATUS_CHOICES, blank=True
    )
    sender_status_at = models.DateTimeField("nơi gửi báo lúc", null=True, blank=True)

    class Meta:
        verbose_name = "văn bản đến"
        verbose_name_plural = "sổ văn bản đến"
        ordering = ["-year", "-arrival_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year", "arrival_number"], name="exchange_incoming_number_unique"
            ),
            # The same package delivered twice is registered once.
            models.UniqueConstraint(
                fields=["unit", "package_sha256"], name="exchange_incoming_package_unique"
            ),
        ]
        indexes = [models.Index(fields=["unit", "-received_at"], name="exchange_in_unit_idx")]

    def __str__(self) -> str:
        return f"{self.arrival_number} ({self.code_number}/{self.code_notation})"


class IncomingFile(DocumentFile):
    document = models.ForeignKey(IncomingDocument, on_delete=models.CASCADE, related_name="files")

    class Meta:
        verbose_name = "tệp văn bản đến"
        verbose_name_plural = "tệp văn bản đến"
        ordering = ["pk"]


class Direction(models.TextChoices):
    OUT = "out", "Gửi đi"
    IN = "in", "Nhận về"


class MessageOutcome(models.TextChoices):
    OK = "ok", "Thành công"
    REFUSED = "refused", "Gói tin bị từ chối"
    TRANSPORT = "transport", "Lỗi đường truyền"
    DUPLICATE = "duplicate", "Gói tin đã nhận trước đó"


class ExchangeMessage(models.Model):
    """One package sent or received and what came of it (no content, no personal data)."""

    direction = models.CharField("chiều", max_length=3, choices=Direction.choices)
    kind = models.CharField("loại gói tin", max_length=8)  # "document" | "status" | "" (unreadable)
    transport = models.CharField("đường truyền", max_length=16)
    message_id = models.CharField("mã gói tin trên đường truyền", max_length=255, blank=True)
    organ_ids = models.CharField("cơ quan", max_length=500, blank=True)
    outcome = models.CharField("kết quả", max_length=12, choices=MessageOutcome.choices)
    message = models.CharField("thông báo", max_length=500, blank=True)
    size = models.PositiveBigIntegerField("kích thước (byte)", default=0)
    at = models.DateTimeField("lúc")

    class Meta:
        verbose_name = "gói tin trao đổi"
        verbose_name_plural = "gói tin trao đổi"
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=MessageOutcome.values),
                name="exchange_message_outcome_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.direction} {self.kind} {self.outcome}"


class IntakeOutcome(models.TextChoices):
    OPENED = "opened", "Đã mở hồ sơ"
    LETTER = "letter", "Chỉ vào sổ văn bản đến"


class LienthongIntake(models.Model):
    """A liên thông package another agency sent us (ADR 0042): the incoming letter it was
    registered as, what the package said of the sender's dossier, and what we did with it — the
    dossier we opened, or why none was opened (then the letter is handled as a document). Once our
    dossier is resolved or refused, the answer that went back (06 / 02) and when."""

    incoming = models.OneToOneField(
        IncomingDocument, on_delete=models.CASCADE, related_name="lienthong"
    )
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="đơn vị nhận"
    )
    from_organ_id = models.CharField("mã định danh nơi gửi", max_length=64)
    from_dossier_code = models.CharField("mã hồ sơ của nơi gửi", max_length=64, blank=True)
    procedure_code = models.CharField("mã thủ tục", max_length=64, blank=True)
    outcome = models.CharField("kết quả", max_length=8, choices=IntakeOutcome.choices)
    reason = models.TextField("lý do không mở hồ sơ", blank=True)
    dossier = models.OneToOneField(
        "dossiers.Dossier",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lienthong_intake",
        verbose_name="hồ sơ đã mở",
    )
    answer_code = models.CharField("trạng thái đã trả lời", max_length=2, blank=True)
    answered_at = models.DateTimeField("trả lời lúc", null=True, blank=True)
    answer_document = models.ForeignKey(
        OutgoingDocument, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # An answer the transport could not take is tried again by the job, later each time.
    answer_attempts = models.PositiveSmallIntegerField("số lần thử trả lời", default=0)
    answer_error = models.TextField("lỗi lần trả lời gần nhất", blank=True)
    next_answer_at = models.DateTimeField("thử trả lời lại lúc", null=True, blank=True)

    class Meta:
        verbose_name = "hồ sơ liên thông đến"
        verbose_name_plural = "hồ sơ liên thông đến"
        ordering = ["-pk"]
        constraints = [
            # One open dossier of ours per dossier of the sender: a replayed or resent package
            # never opens a second one (a new round after our answer may).
            models.UniqueConstraint(
                fields=["unit", "from_organ_id", "from_dossier_code"],
                condition=Q(dossier__isnull=False, answered_at__isnull=True),
                name="exchange_lienthong_open_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_organ_id} {self.from_dossier_code} → {self.dossier_id or '-'}"


class LienthongResultSent(models.Model):
    """A result of a liên thông dossier we opened that went back to the sender, and in which
    document: a result issued after the answer (06) goes in a document of its own, once."""

    intake = models.ForeignKey(
        LienthongIntake, on_delete=models.CASCADE, related_name="results_sent"
    )
    result = models.OneToOneField(
        "documents.IssuedDocument",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="kết quả",
    )
    document = models.ForeignKey(
        OutgoingDocument, on_delete=models.PROTECT, related_name="+", verbose_name="văn bản đi"
    )

    class Meta:
        verbose_name = "kết quả liên thông đã gửi"
        verbose_name_plural = "kết quả liên thông đã gửi"

    def __str__(self) -> str:
        return f"{self.result_id} → {self.document_id}"
