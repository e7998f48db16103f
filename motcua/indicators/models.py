"""The periodic report's own records: who issues it (profile), the drafts with their kept versions,
and the issued reports numbered per year (Decree 30/2020 art. 15). Domain figures are never stored
here except as the frozen copy of an issued report."""

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
