"""The periodic report's own records: who issues it (profile), the drafts with their kept versions,
and the issued reports numbered per year (Decree 30/2020 art. 15), and the dossier rollup — derived
counts, rebuilt from the dossiers for every reception day a database trigger marks dirty (ADR 0015).
Domain figures are never stored here otherwise, except as the frozen copy of an issued report."""

from django.conf import settings
from django.db import models


class ReportProfile(models.Model):
    """The issuing department as its documents' header and signature show it (Decree 30/2020 art. 8).
    One per unit; the one with `is_default` is used when a report names no unit."""

    unit = models.OneToOneField(
        "org.Unit", on_delete=models.PROTECT, related_name="+", verbose_name="đơn vị"
    )
    is_default = models.BooleanField("mặc định", default=False)
    parent_agency = models.CharField("cơ quan chủ quản", max_length=255)
    agency = models.CharField("cơ quan ban hành", max_length=255)
    symbol = models.CharField("ký hiệu", max_length=32, default="BC-STP")
    place = models.CharField("địa danh", max_length=64)
    addressee = models.CharField("kính gửi", max_length=255, blank=True)
    signer_authority = models.CharField("thẩm quyền ký", max_length=64, blank=True)
    signer_title = models.CharField("chức vụ người ký", max_length=64)
    signer_name = models.CharField("người ký", max_length=128)
    recipients = models.TextField("nơi nhận (mỗi dòng một nơi)")

    class Meta:
        verbose_name = "thông tin cơ quan ban hành báo cáo"
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=models.Q(is_default=True),
                name="reportprofile_one_default",
            )
        ]

    def __str__(self) -> str:
        return self.agency


class ReportDraft(models.Model):
    """A periodic report being written: its period, unit and narrative. Each save of the narrative
    is a new ReportDraftVersion (kept); issuing freezes the figures and the text."""

    date_from = models.DateField("từ ngày")
    date_to = models.DateField("đến ngày")
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    title = models.CharField("trích yếu", max_length=255)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("tạo lúc")

    class Meta:
        verbose_name = "dự thảo báo cáo"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["date_from", "date_to"], name="reportdraft_period_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def latest(self) -> "ReportDraftVersion | None":
        return self.versions.order_by("-number").first()


class ReportDraftVersion(models.Model):
    """One saved state of a draft's narrative: paragraph key → text with {placeholders}."""

    draft = models.ForeignKey(ReportDraft, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("phiên bản")
    paragraphs = models.JSONField("nội dung")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField("lưu lúc")

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["draft", "number"], name="reportdraftversion_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.draft_id} v{self.number}"


class ReportIssue(models.Model):
    """An issued report: number NN/BC-STP, sequential per year from 01 (Decree 30/2020 art. 15),
    with the figures and text as issued (frozen: later data never changes an issued report)."""

    draft = models.OneToOneField(ReportDraft, on_delete=models.PROTECT, related_name="issue")
    year = models.PositiveSmallIntegerField("năm")
    number = models.PositiveIntegerField("số")
    symbol = models.CharField("ký hiệu", max_length=32)
    issued_on = models.DateField("ngày ban hành")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    version = models.ForeignKey(ReportDraftVersion, on_delete=models.PROTECT, related_name="+")
    figures = models.JSONField("số liệu khi ban hành")

    class Meta:
        verbose_name = "báo cáo đã ban hành"
        constraints = [
            models.UniqueConstraint(
                fields=["year", "number"], name="reportissue_year_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number:02d}/{self.symbol}"


class RollupGrain(models.TextChoices):
    """Rows are kept at three grains, each reader taking the coarsest that has its dimensions: the
    province's figures need no unit or procedure, and dropping them divides the rows to sum by ten
    or more (ADR 0015)."""

    DETAIL = "detail", "mọi chiều"  # every column of the key
    OUTCOME = "outcome", "kết quả"  # no unit, no procedure version
    RECEPTION = "reception", "tiếp nhận"  # day, unit, procedure version, channel only
    # The outcome grain by field (lĩnh vực) instead of procedure version, without the due day and
    # supplements (no field figure reads them): the dashboard's months × fields (issue [P] 3).
    FIELD = "field", "lĩnh vực"


class DossierRollup(models.Model):
    """Derived data: how many dossiers received on `day` share every attribute a report figure
    depends on (rollup.py builds the rows; selectors.py reads them). A column outside the row's
    grain is empty; so is one that cannot matter: the due day of an ended dossier (its grade is
    fixed), the grade and return channel of an open one. Ids are plain integers, not foreign keys:
    the rows are thrown away and rebuilt, never joined."""

    grain = models.CharField(max_length=9, choices=RollupGrain.choices)
    day = models.DateField("ngày tiếp nhận")  # local day (Asia/Ho_Chi_Minh)
    receiving_unit_id = models.BigIntegerField(null=True)
    procedure_version_id = models.BigIntegerField(null=True)
    field_id = models.BigIntegerField(null=True)  # the version's field: RollupGrain.FIELD only
    channel = models.CharField(max_length=12)
    return_post = models.BooleanField(default=False)
    end_day = models.DateField(null=True)  # local day of finished_at, else returned_at
    due_day = models.DateField(null=True)
    grade = models.CharField(max_length=8, blank=True)  # Grade below; "" while not ended
    supplements = models.PositiveSmallIntegerField(default=0)  # requests, 2 meaning "2 or more"
    dossiers = models.PositiveIntegerField()
    digitised = models.PositiveIntegerField(default=0)
    with_reuse = models.PositiveIntegerField(default=0)
    electronic = models.PositiveIntegerField(default=0)
    components_reused = models.PositiveIntegerField(default=0)
    seconds_to_end = models.FloatField(default=0)  # Σ (end − reception) of the ended dossiers

    class Meta:
        indexes = [models.Index(fields=["grain", "day"], name="dossierrollup_grain_day_idx")]

    def __str__(self) -> str:
        return f"{self.day} ({self.grain}): {self.dossiers} hồ sơ"


class Grade(models.TextChoices):
    """Circular 01/2018 art. 13 for an ended dossier (selectors.grade_filters is the rule)."""

    EARLY = "early", "trước hạn"
    ON_TIME = "on_time", "đúng hạn"
    LATE = "late", "quá hạn"
    UNGRADED = "ungraded", "không có hẹn trả"


class RollupDirtyDay(models.Model):
    """A reception day whose dossiers changed since its rollup rows were built. Written by database
    triggers on every path (services, bulk_create, QuerySet.update, COPY, raw SQL), appended and
    never updated, so writers never wait on one another; the refresh job deletes the marks it
    consumed. Until then the reports count that day from the dossiers themselves."""

    day = models.DateField()

    class Meta:
        indexes = [models.Index(fields=["day"], name="rollupdirtyday_day_idx")]

    def __str__(self) -> str:
        return str(self.day)


class StepRollup(models.Model):
    """Derived data: internal process steps finished on `day` (local) with a due instant, by officer,
    the dossier's receiving unit, procedure version and channel, and grade (early / on time /
    late) — what Circular 01's per-step timeliness and the officer ratings count (scoring.py).
    Rebuilt for every finish day a trigger marks in StepRollupDirtyDay (ADR 0015)."""

    # RollupGrain.DETAIL: every column; RollupGrain.OUTCOME: no unit or procedure version (what
    # the province's report and the officer ratings need, far fewer rows).
    grain = models.CharField(max_length=9, choices=RollupGrain.choices)
    day = models.DateField("ngày xong bước")
    assignee_id = models.BigIntegerField(null=True)
    receiving_unit_id = models.BigIntegerField(null=True)
    procedure_version_id = models.BigIntegerField(null=True)
    channel = models.CharField(max_length=12)
    grade = models.CharField(max_length=8)  # Grade.EARLY, ON_TIME or LATE
    steps = models.PositiveIntegerField()

    class Meta:
        indexes = [models.Index(fields=["grain", "day"], name="steprollup_grain_day_idx")]

    def __str__(self) -> str:
        return f"{self.day}: {self.steps} bước"


class StepRollupDirtyDay(models.Model):
    """A finish day whose steps (or their dossiers' unit, procedure or channel) changed since its
    StepRollup rows were built; as RollupDirtyDay, written by triggers, consumed by the refresh."""

    day = models.DateField()

    class Meta:
        indexes = [models.Index(fields=["day"], name="steprollupdirtyday_day_idx")]

    def __str__(self) -> str:
        return str(self.day)
