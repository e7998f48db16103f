"""The catalogue of administrative procedures (TTHC), kept as versions announced by decisions.

A procedure (`Procedure`, keyed by its national code) has one `ProcedureVersion` per decision that
announced, amended, replaced or repealed it. A version's content never changes once created (a
version in force is immutable: amend by a new decision); only `effective_until`, the day the next
version of the same procedure takes effect, is maintained by the import service. "The version in
force at day d" is therefore one indexed range query:
    effective_from <= d < effective_until (or effective_until is null), change not in {replaced, repealed}
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from motcua.accounts.roles import Role

PROCEDURE_CODE_PATTERN = r"^(\d\.\d{6}|LOCAL-[A-Z0-9]+-\d{3})$"
HOURS_PER_WORKING_DAY = 8


class ChangeKind(models.TextChoices):
    ANNOUNCED = "announced", "Công bố mới"
    AMENDED = "amended", "Sửa đổi, bổ sung"
    REPLACED = "replaced", "Thay thế"
    REPEALED = "repealed", "Bãi bỏ"


ENDING_CHANGES = (ChangeKind.REPLACED, ChangeKind.REPEALED)


class Level(models.TextChoices):
    TOAN_TRINH = "toan_trinh", "Toàn trình"
    MOT_PHAN = "mot_phan", "Một phần"
    NONE = "none", "Không"


class TimeUnit(models.TextChoices):
    WORKING_DAYS = "working_days", "ngày làm việc"
    WORKING_HOURS = "working_hours", "giờ làm việc"


class Channel(models.TextChoices):
    DESK = "desk", "Trực tiếp"
    ONLINE = "online", "Trực tuyến"
    POST = "post", "Bưu chính"


class FeeDue(models.TextChoices):
    """When the applicant pays the procedure's fees: with the application, with a supplement, or
    before the result is handed over (the dossier then waits in status 6, financial obligation)."""

    INTAKE = "intake", "Khi nộp hồ sơ"
    SUPPLEMENT = "supplement", "Khi bổ sung hồ sơ"
    RESULT = "result", "Trước khi nhận kết quả"


class PaperForm(models.TextChoices):
    """How a paper is handed in: the original or a copy (the catalogue asks, the dossier records)."""

    ORIGINAL = "original", "Bản chính"
    COPY = "copy", "Bản sao"


# The catalogue file also says when a copy must be certified (bản sao có chứng thực); the dossier
# still records original / copy, so the component keeps `form` = copy and `certified` = True.
CERTIFIED_COPY = "certified_copy"
FILE_PAPER_FORMS = [
    (PaperForm.ORIGINAL.value, "Bản chính"),
    (CERTIFIED_COPY, "Bản sao có chứng thực"),
    (PaperForm.COPY.value, "Bản sao"),
]


STEP_ROLES = [(r.value, r.label) for r in Role if r != Role.CITIZEN]


class ImmutableError(ValidationError):
    """Raised when code tries to change a recorded catalogue version."""


class Field(models.Model):
    """A field of procedures (lĩnh vực), e.g. LLTP = Lý lịch tư pháp."""

    code = models.CharField("mã lĩnh vực", max_length=32, unique=True)
    name = models.CharField("tên lĩnh vực", max_length=255)

    class Meta:
        verbose_name = "lĩnh vực"
        verbose_name_plural = "lĩnh vực"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Decision(models.Model):
    """A decision (quyết định công bố) that announces, amends, replaces or repeals procedures."""

    number = models.CharField("số quyết định", max_length=64, unique=True)
    signed_on = models.DateField("ngày ký")
    effective_from = models.DateField("ngày có hiệu lực")
    issuer = models.CharField("cơ quan, người ban hành", max_length=255)
    title = models.TextField("trích yếu")

    class Meta:
        verbose_name = "quyết định công bố"
        verbose_name_plural = "quyết định công bố"
        ordering = ["effective_from", "number"]

    def __str__(self) -> str:
        return self.number


class Procedure(models.Model):
    """An administrative procedure, identified by its national code (or a clearly local one)."""

    code = models.CharField("mã TTHC", max_length=32, unique=True)
    is_internal = models.BooleanField("TTHC nội bộ", default=False)

    class Meta:
        verbose_name = "thủ tục hành chính"
        verbose_name_plural = "thủ tục hành chính"
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=PROCEDURE_CODE_PATTERN), name="procedure_code_format"
            ),
        ]

    def __str__(self) -> str:
        return self.code


def _channel_constraint(prefix: str) -> Q:
    return (
        Q(**{f"{prefix}_desk": True})
        | Q(**{f"{prefix}_online": True})
        | Q(**{f"{prefix}_post": True})
    )


class ImmutableModel(models.Model):
    """save() of an existing row refuses any change of content; delete() is refused."""

    MUTABLE_FIELDS: frozenset[str] = frozenset()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            stored = type(self)._default_manager.filter(pk=self.pk).first()
            if stored is not None and stored.content() != self.content():
                changed = sorted(k for k, v in self.content().items() if stored.content()[k] != v)
                raise ImmutableError(
                    "Phiên bản thủ tục đã công bố không được sửa (trường: "
                    + ", ".join(changed)
                    + "). Hãy ban hành quyết định sửa đổi, bổ sung."
                )
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableError("Phiên bản thủ tục đã công bố không được xóa.")

    def content(self) -> dict:
        return {
            f.attname: getattr(self, f.attname)
            for f in self._meta.concrete_fields
            if not f.primary_key and f.name not in self.MUTABLE_FIELDS
        }


class ProcedureVersion(ImmutableModel):
    """The content of a procedure as announced, amended, replaced or repealed by one decision."""

    MUTABLE_FIELDS = frozenset({"effective_until"})

    procedure = models.ForeignKey(
        Procedure, verbose_name="thủ tục", on_delete=models.PROTECT, related_name="versions"
    )
    decision = models.ForeignKey(
        Decision, verbose_name="quyết định", on_delete=models.PROTECT, related_name="versions"
    )
    change = models.CharField("loại thay đổi", max_length=16, choices=ChangeKind.choices)
    effective_from = models.DateField("ngày có hiệu lực")
    # The day the next version of the same procedure takes effect (exclusive); null = open-ended.
    effective_until = models.DateField("hết hiệu lực từ ngày", null=True, blank=True)
    replaced_by = models.ForeignKey(
        Procedure,
        verbose_name="được thay thế bởi",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaces",
    )
    name = models.TextField("tên thủ tục")
    name_folded = models.TextField("tên không dấu (tìm kiếm)", editable=False)
    field = models.ForeignKey(
        Field, verbose_name="lĩnh vực", on_delete=models.PROTECT, related_name="versions"
    )
    competent_agency = models.ForeignKey(
        "org.Unit",
        verbose_name="cơ quan có thẩm quyền",
        on_delete=models.PROTECT,
        related_name="competent_for",
    )
    receiving_unit = models.ForeignKey(
        "org.Unit",
        verbose_name="nơi tiếp nhận",
        on_delete=models.PROTECT,
        related_name="receiving_for",
    )
    level = models.CharField("mức độ", max_length=16, choices=Level.choices)
    processing_time_value = models.DecimalField(
        "thời hạn giải quyết", max_digits=8, decimal_places=2
    )
    processing_time_unit = models.CharField(
        "đơn vị thời hạn", max_length=16, choices=TimeUnit.choices
    )
    intake_desk = models.BooleanField("nộp trực tiếp", default=False)
    intake_online = models.BooleanField("nộp trực tuyến", default=False)
    intake_post = models.BooleanField("nộp qua bưu chính", default=False)
    return_desk = models.BooleanField("trả trực tiếp", default=False)
    return_online = models.BooleanField("trả trực tuyến", default=False)
    return_post = models.BooleanField("trả qua bưu chính", default=False)
    results = models.JSONField("kết quả giải quyết", default=list)
    fee_due = models.CharField(
        "thời điểm nộp phí, lệ phí", max_length=12, choices=FeeDue.choices, default=FeeDue.INTAKE
    )
    legal_basis = models.TextField("căn cứ pháp lý", blank=True)
    conditions = models.TextField("yêu cầu, điều kiện", blank=True)
    # Where the components, results, conditions and fees were taken from (an official source: the
    # national database's page, an announcing decision and its article). Empty: no official content
    # was found, and the back office shows the version as "chưa có dữ liệu chính thức" (ADR 0033).
    content_source = models.TextField("nguồn nội dung", blank=True)
    # Where the internal process comes from; `process_derived` when it was derived by the written
    # rule (motcua/demo/README.md) rather than taken from a published internal-process decision.
    process_source = models.TextField("nguồn quy trình nội bộ", blank=True)
    process_derived = models.BooleanField("quy trình suy ra theo quy tắc", default=False)

    class Meta:
        verbose_name = "phiên bản thủ tục"
        verbose_name_plural = "phiên bản thủ tục"
        ordering = ["procedure__code", "effective_from"]
        indexes = [
            models.Index(fields=["procedure", "effective_from"], name="version_proc_from_idx"),
            models.Index(fields=["effective_from", "effective_until"], name="version_in_force_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "decision"], name="version_unique_decision"
            ),
            models.UniqueConstraint(
                fields=["procedure", "effective_from"], name="version_unique_effective_from"
            ),
            models.CheckConstraint(
                condition=Q(change__in=ChangeKind.values), name="version_change_valid"
            ),
            models.CheckConstraint(condition=Q(level__in=Level.values), name="version_level_valid"),
            models.CheckConstraint(
                condition=Q(fee_due__in=FeeDue.values), name="version_fee_due_valid"
            ),
            models.CheckConstraint(
                condition=Q(processing_time_unit__in=TimeUnit.values),
                name="version_time_unit_valid",
            ),
            models.CheckConstraint(
                condition=Q(processing_time_value__gt=0), name="version_time_positive"
            ),
            models.CheckConstraint(
                condition=Q(effective_until__isnull=True)
                | Q(effective_until__gt=models.F("effective_from")),
                name="version_until_after_from",
            ),
            models.CheckConstraint(
                condition=Q(replaced_by__isnull=True) | Q(change=ChangeKind.REPLACED),
                name="version_replaced_by_only_when_replaced",
            ),
            models.CheckConstraint(
                condition=_channel_constraint("intake"), name="version_intake_any"
            ),
            models.CheckConstraint(
                condition=_channel_constraint("return"), name="version_return_any"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.procedure.code} ({self.decision.number})"

    def save(self, *args, **kwargs):
        from motcua.core.text import fold

        self.name_folded = fold(self.name)
        super().save(*args, **kwargs)

    @property
    def has_official_content(self) -> bool:
        return bool(self.content_source)

    @property
    def is_ending(self) -> bool:
        return self.change in ENDING_CHANGES

    @property
    def processing_hours(self) -> Decimal:
        factor = HOURS_PER_WORKING_DAY if self.processing_time_unit == TimeUnit.WORKING_DAYS else 1
        return self.processing_time_value * factor

    def channels(self, direction: str) -> list[str]:
        return [c.value for c in Channel if getattr(self, f"{direction}_{c.value}")]

    @property
    def intake_channels(self) -> list[str]:
        return self.channels("intake")

    @property
    def return_channels(self) -> list[str]:
        return self.channels("return")


class ProcedureFee(ImmutableModel):
    version = models.ForeignKey(
        ProcedureVersion, verbose_name="phiên bản", on_delete=models.CASCADE, related_name="fees"
    )
    order = models.PositiveIntegerField("thứ tự")
    name = models.TextField("tên khoản phí, lệ phí")
    amount = models.PositiveBigIntegerField("số tiền (đồng)")
    legal_basis = models.TextField("căn cứ thu", blank=True)

    class Meta:
        verbose_name = "phí, lệ phí"
        verbose_name_plural = "phí, lệ phí"
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "order"], name="fee_unique_order"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="fee_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return self.name


class ProcedureComponent(ImmutableModel):
    version = models.ForeignKey(
        ProcedureVersion,
        verbose_name="phiên bản",
        on_delete=models.CASCADE,
        related_name="components",
    )
    order = models.PositiveIntegerField("số thứ tự")
    name = models.TextField("tên giấy tờ")
    form = models.CharField("bản chính/bản sao", max_length=16, choices=PaperForm.choices)
    count = models.PositiveIntegerField("số lượng")
    mandatory = models.BooleanField("bắt buộc", default=True)
    certified = models.BooleanField("bản sao phải có chứng thực", default=False)
    condition = models.TextField("trường hợp phải nộp", blank=True)
    template = models.TextField("mẫu đơn, tờ khai", blank=True)
    legal_basis = models.TextField("căn cứ pháp lý", blank=True)
    source = models.TextField("nguồn", blank=True)

    class Meta:
        verbose_name = "thành phần hồ sơ"
        verbose_name_plural = "thành phần hồ sơ"
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "order"], name="component_unique_order"),
            models.CheckConstraint(
                condition=Q(form__in=PaperForm.values), name="component_form_valid"
            ),
            models.CheckConstraint(condition=Q(count__gte=1), name="component_count_positive"),
            models.CheckConstraint(
                condition=Q(certified=False) | Q(form=PaperForm.COPY),
                name="component_certified_is_copy",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def file_form(self) -> str:
        """The form as the catalogue file spells it: original, certified_copy or copy."""
        return CERTIFIED_COPY if self.certified else self.form

    @property
    def form_label(self) -> str:
        return dict(FILE_PAPER_FORMS)[self.file_form]


class ProcessStep(ImmutableModel):
    version = models.ForeignKey(
        ProcedureVersion, verbose_name="phiên bản", on_delete=models.CASCADE, related_name="steps"
    )
    order = models.PositiveIntegerField("bước")
    name = models.TextField("tên bước")
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name="đơn vị thực hiện",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="process_steps",
    )
    role = models.CharField("vai trò", max_length=32, choices=STEP_ROLES)
    budget_hours = models.DecimalField("thời gian (giờ làm việc)", max_digits=8, decimal_places=2)

    class Meta:
        verbose_name = "bước quy trình nội bộ"
        verbose_name_plural = "bước quy trình nội bộ"
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "order"], name="step_unique_order"),
            models.CheckConstraint(
                condition=Q(role__in=[value for value, _ in STEP_ROLES]), name="step_role_valid"
            ),
            models.CheckConstraint(condition=Q(budget_hours__gt=0), name="step_budget_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class CatalogRevision(models.Model):
    """One row whose value changes with every write to the catalogue or the units (database
    triggers, catalog/revision.py), so each app process can keep the versions in force in memory."""

    value = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return str(self.value)
