"""Fees by bank transfer: the accounts that collect them, what each dossier owes (a charge with a
short reference printed in its VietQR), every incoming credit as the bank reported it, every
decision the matcher or a person took about a credit, and the electronic receipts.

Credits, decisions and receipts are evidence: append-only (saving an existing row or deleting any
raises). A charge's running state (status, received total) is kept by services only and can always
be recomputed from its decisions.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from motcua.catalog.models import FeeDue
from motcua.core.append_only import AppendOnlyModel


class PaymentEvidence(AppendOnlyModel):
    """Credits, decisions and receipts: append-only (core/append_only.py)."""

    append_only_subject = "Dữ liệu đối soát"

    class Meta:
        abstract = True


class CollectingAccount(models.Model):
    """A bank account into which a unit's fees are paid (tài khoản chuyên thu)."""

    bank_bin = models.CharField("mã BIN ngân hàng", max_length=6)
    bank_name = models.CharField("ngân hàng", max_length=255)
    account_number = models.CharField("số tài khoản", max_length=19)
    account_name = models.CharField("tên tài khoản", max_length=255)
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name="đơn vị thu",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    is_default = models.BooleanField("tài khoản mặc định của Sở", default=False)
    is_active = models.BooleanField("đang sử dụng", default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "tài khoản thu"
        verbose_name_plural = "tài khoản thu"
        ordering = ["-is_default", "bank_name", "account_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["bank_bin", "account_number"], name="collectingaccount_unique"
            ),
            models.UniqueConstraint(
                fields=["is_default"],
                condition=Q(is_default=True),
                name="collectingaccount_one_default",
            ),
            models.CheckConstraint(
                condition=Q(bank_bin__regex=r"^\d{6}$"), name="collectingaccount_bin_format"
            ),
        ]
        indexes = [models.Index(fields=["account_number"], name="collectingaccount_number_idx")]

    def __str__(self) -> str:
        return f"{self.account_number} — {self.bank_name}"


class ChargeStatus(models.TextChoices):
    OPEN = "open", "Chờ nộp"
    PARTIAL = "partial", "Nộp thiếu"
    PAID = "paid", "Đã nộp đủ"
    OVERPAID = "overpaid", "Nộp thừa"


SETTLED_STATUSES = (ChargeStatus.PAID, ChargeStatus.OVERPAID)


class PaymentChannel(models.TextChoices):
    ONLINE = "online", "Trực tuyến (chuyển khoản, VietQR)"
    DESK = "desk", "Tại Bộ phận Một cửa (tiền mặt, POS)"


class Charge(models.Model):
    """What one dossier owes: the procedure's fee, the reference the payer writes in the transfer
    (derived from the dossier code, with check digits), the account it is to be paid into."""

    dossier = models.OneToOneField(
        "dossiers.Dossier", on_delete=models.PROTECT, related_name="charge"
    )
    reference = models.CharField("mã thanh toán", max_length=25, unique=True)
    account = models.ForeignKey(CollectingAccount, on_delete=models.PROTECT, related_name="charges")
    amount = models.PositiveBigIntegerField("số tiền phải nộp (đồng)")
    fee_name = models.TextField("khoản phí, lệ phí")
    due_moment = models.CharField("thời điểm nộp", max_length=12, choices=FeeDue.choices)
    opened_at = models.DateTimeField("phát sinh lúc")
    status = models.CharField(
        "tình trạng", max_length=10, choices=ChargeStatus.choices, default=ChargeStatus.OPEN
    )
    received_total = models.PositiveBigIntegerField("đã nhận (đồng)", default=0)
    settled_at = models.DateTimeField("nộp đủ lúc", null=True, blank=True)
    settled_channel = models.CharField(
        "kênh nộp", max_length=8, choices=PaymentChannel.choices, blank=True
    )

    class Meta:
        verbose_name = "khoản phải nộp"
        verbose_name_plural = "khoản phải nộp"
        ordering = ["-opened_at"]
        indexes = [
            models.Index(fields=["account", "opened_at"], name="charge_account_opened_idx"),
            models.Index(fields=["settled_channel", "settled_at"], name="charge_channel_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ChargeStatus.values), name="charge_status_valid"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="charge_amount_positive"),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def outstanding(self) -> int:
        return max(self.amount - self.received_total, 0)

    @property
    def is_settled(self) -> bool:
        return self.status in SETTLED_STATUSES


class CreditSource(models.TextChoices):
    WEBHOOK = "webhook", "Thông báo của ngân hàng / trung gian"
    STATEMENT = "statement", "Sao kê tài khoản"
    DESK = "desk", "Thu tại Bộ phận Một cửa"


class Credit(PaymentEvidence):
    """One incoming credit exactly as it was reported (append-only). `provider` + `provider_txn_id`
    is unique, so a webhook retried or replayed is stored once; `fingerprint` catches the same bank
    transfer arriving once by webhook and again in a statement."""

    provider = models.CharField("nguồn", max_length=40)
    provider_txn_id = models.CharField("mã giao dịch của nguồn", max_length=100)
    source = models.CharField("loại nguồn", max_length=10, choices=CreditSource.choices)
    channel = models.CharField(
        "kênh", max_length=8, choices=PaymentChannel.choices, default=PaymentChannel.ONLINE
    )
    account_number = models.CharField("tài khoản nhận", max_length=40, blank=True)
    amount = models.PositiveBigIntegerField("số tiền (đồng)")
    booked_at = models.DateTimeField("thời điểm giao dịch")
    narrative = models.TextField("nội dung chuyển khoản", blank=True)
    bank_reference = models.CharField("số tham chiếu ngân hàng", max_length=100, blank=True)
    counterparty_name = models.CharField("người chuyển", max_length=255, blank=True)
    counterparty_account = models.CharField("tài khoản chuyển", max_length=40, blank=True)
    fingerprint = models.CharField(max_length=64, blank=True)
    raw_payload = models.TextField("dữ liệu gốc", blank=True)
    received_at = models.DateTimeField("ghi nhận lúc")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "khoản tiền về"
        verbose_name_plural = "khoản tiền về"
        ordering = ["-booked_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "provider_txn_id"], name="credit_provider_txn_unique"
            ),
            models.UniqueConstraint(
                fields=["fingerprint"], condition=~Q(fingerprint=""), name="credit_fingerprint"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="credit_amount_positive"),
        ]
        indexes = [
            models.Index(fields=["account_number", "booked_at"], name="credit_account_booked_idx"),
            models.Index(fields=["booked_at"], name="credit_booked_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.provider}:{self.provider_txn_id} {self.amount}"

    @property
    def provider_label(self) -> str:
        from motcua.payments.labels import provider_label

        return provider_label(self.provider)


class Outcome(models.TextChoices):
    PAID = "paid", "Khớp, nộp đủ"
    PARTIAL = "partial", "Khớp, nộp thiếu"
    OVERPAID = "overpaid", "Khớp, nộp thừa"
    REVIEW = "review", "Chờ đối soát thủ công"
    LINKED = "linked", "Đối soát thủ công: gắn với hồ sơ"
    REFUND = "refund", "Đối soát thủ công: hoàn trả"


MATCHED_OUTCOMES = (Outcome.PAID, Outcome.PARTIAL, Outcome.OVERPAID, Outcome.LINKED)
CLOSING_OUTCOMES = (*MATCHED_OUTCOMES, Outcome.REFUND)


class MatchDecision(PaymentEvidence):
    """One decision about a credit: the matcher's, or a person's settling a credit in review.
    The latest decision of a credit is its state; earlier ones stay as the trail."""

    credit = models.ForeignKey(Credit, on_delete=models.PROTECT, related_name="decisions")
    charge = models.ForeignKey(
        Charge, on_delete=models.PROTECT, null=True, blank=True, related_name="decisions"
    )
    outcome = models.CharField("kết quả", max_length=10, choices=Outcome.choices)
    reference_found = models.CharField("mã tìm thấy", max_length=25, blank=True)
    reason = models.TextField("lý do")
    at = models.DateTimeField("lúc")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "quyết định đối soát"
        verbose_name_plural = "quyết định đối soát"
        ordering = ["at", "pk"]
        indexes = [
            models.Index(fields=["credit", "at"], name="decision_credit_at_idx"),
            models.Index(fields=["outcome", "at"], name="decision_outcome_at_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=Outcome.values), name="decision_outcome_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.credit_id} {self.outcome}"


class Receipt(PaymentEvidence):
    """The electronic receipt (biên lai điện tử) of one payment applied to a charge."""

    number = models.CharField("số biên lai", max_length=20, unique=True)
    charge = models.ForeignKey(Charge, on_delete=models.PROTECT, related_name="receipts")
    credit = models.OneToOneField(Credit, on_delete=models.PROTECT, related_name="receipt")
    amount = models.PositiveBigIntegerField("số tiền (đồng)")
    issued_at = models.DateTimeField("lập lúc")

    class Meta:
        verbose_name = "biên lai"
        verbose_name_plural = "biên lai"
        ordering = ["issued_at", "pk"]

    def __str__(self) -> str:
        return self.number


class ReceiptSequence(models.Model):
    """The last receipt number of a year, locked by the transaction that issues the next one."""

    year = models.PositiveIntegerField(unique=True)
    last_value = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last_value}"


class ReportKind(models.TextChoices):
    DUPLICATE = "duplicate", "Cùng giao dịch đã ghi nhận qua nguồn khác"
    FAILED = "failed", "Giao dịch không thành công (không có tiền về)"


class ProviderReport(AppendOnlyModel):
    """A signed report of a provider that is not a new credit (append-only, docs/adr/0022): the
    same bank transfer already recorded through another provider or a statement — recognised on
    the facts every provider reports alike (receiving account, amount, time, the payment reference
    in the narrative) and linked to that credit, never counted twice — or a payment the provider
    says failed. A report delivered again is stored once (`provider` + `provider_txn_id`)."""

    provider = models.CharField("nguồn", max_length=40)
    provider_txn_id = models.CharField("mã giao dịch của nguồn", max_length=100)
    kind = models.CharField("loại", max_length=10, choices=ReportKind.choices)
    credit = models.ForeignKey(
        Credit,
        verbose_name="khoản tiền đã ghi nhận",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reports",
    )
    account_number = models.CharField("tài khoản nhận", max_length=40, blank=True)
    amount = models.PositiveBigIntegerField("số tiền (đồng)")
    booked_at = models.DateTimeField("thời điểm giao dịch", null=True, blank=True)
    narrative = models.TextField("nội dung chuyển khoản", blank=True)
    bank_reference = models.CharField("số tham chiếu ngân hàng", max_length=100, blank=True)
    raw_payload = models.TextField("dữ liệu gốc", blank=True)
    reason = models.TextField("lý do")
    received_at = models.DateTimeField("ghi nhận lúc")

    class Meta:
        verbose_name = "thông báo không ghi thành khoản tiền"
        verbose_name_plural = "thông báo không ghi thành khoản tiền"
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "provider_txn_id"], name="providerreport_txn_unique"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ReportKind.values), name="providerreport_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.provider}:{self.provider_txn_id} {self.kind}"
