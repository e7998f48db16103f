"""What the citizen portal keeps of its own: online applications not yet submitted (drafts, with
their uploaded files) and the citizens' ratings of dossiers (Circular 01/2018 art. 13, 31).

A draft is not a dossier: it has no status in the workflow and the desk never sees it. Submitting it
creates the dossier through motcua.dossiers.online and attaches the files to its components.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models


class Application(models.Model):
    """An online application being filled in: the applicant's data, the choices, the files."""

    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name="tài khoản công dân",
    )
    # The desk officer filling the form for a citizen who came in person (assisted submission).
    assisted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="cán bộ nộp hộ",
    )
    procedure_version = models.ForeignKey(
        "catalog.ProcedureVersion", on_delete=models.PROTECT, related_name="+"
    )
    data = models.JSONField("thông tin đã khai", default=dict, blank=True)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    updated_at = models.DateTimeField("sửa lúc", auto_now=True)
    dossier = models.OneToOneField(
        "dossiers.Dossier",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="application",
    )

    class Meta:
        verbose_name = "hồ sơ đang soạn"
        verbose_name_plural = "hồ sơ đang soạn"
        indexes = [
            models.Index(fields=["citizen", "updated_at"], name="application_citizen_idx"),
            models.Index(fields=["assisted_by", "updated_at"], name="application_assisted_idx"),
        ]

    def __str__(self) -> str:
        return f"Hồ sơ đang soạn #{self.pk}"

    @property
    def submitted(self) -> bool:
        return self.dossier_id is not None


class ApplicationFile(models.Model):
    """A file uploaded for one component of a draft (the component's order in the version)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="files")
    component_order = models.PositiveIntegerField("thành phần số")
    stored_file = models.ForeignKey(
        "documents.StoredFile", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField("tên tệp", max_length=255)
    created_at = models.DateTimeField("tải lên lúc", auto_now_add=True)

    class Meta:
        verbose_name = "tệp của hồ sơ đang soạn"
        verbose_name_plural = "tệp của hồ sơ đang soạn"
        ordering = ["component_order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "component_order", "stored_file"],
                name="applicationfile_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.name


SCORE = [MaxValueValidator(2)]


class ScoreChoice(models.IntegerChoices):
    GOOD = 2, "Tốt (2 điểm)"
    FAIR = 1, "Đạt (1 điểm)"
    POOR = 0, "Không đạt (0 điểm)"


class DossierRating(models.Model):
    """One citizen's rating of one dossier after its result, on the indicators Circular 01/2018
    art. 13–14 collects from citizens (1, 3, 4, 7) plus online service quality (art. 31), each
    0–2 points as the Circular scores them:

    * time: 2 result earlier than the appointment, 1 on the day, 0 later;
    * contacts with the desk to complete the dossier: 2 none, 1 one, 0 more;
    * bodies contacted: 2 none, 1 only the one-stop desk, 0 more;
    * staff attitude: 2 helpful, 1 correct, 0 harassment or misconduct;
    * online service: 2 easy, 1 usable with difficulty, 0 not usable.
    """

    dossier = models.OneToOneField(
        "dossiers.Dossier", on_delete=models.PROTECT, related_name="citizen_rating"
    )
    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    time_score = models.PositiveSmallIntegerField("thời gian so với giấy hẹn", validators=SCORE)
    contacts_score = models.PositiveSmallIntegerField(
        "số lần liên hệ để hoàn thiện hồ sơ", validators=SCORE
    )
    bodies_score = models.PositiveSmallIntegerField("số cơ quan phải liên hệ", validators=SCORE)
    attitude_score = models.PositiveSmallIntegerField("thái độ của cán bộ", validators=SCORE)
    online_score = models.PositiveSmallIntegerField(
        "chất lượng dịch vụ trực tuyến", validators=SCORE
    )
    comment = models.TextField("góp ý", blank=True)
    created_at = models.DateTimeField("đánh giá lúc")

    class Meta:
        verbose_name = "đánh giá của công dân"
        verbose_name_plural = "đánh giá của công dân"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(time_score__lte=2)
                & models.Q(contacts_score__lte=2)
                & models.Q(bodies_score__lte=2)
                & models.Q(attitude_score__lte=2)
                & models.Q(online_score__lte=2),
                name="dossierrating_scores_0_2",
            ),
        ]

    def __str__(self) -> str:
        return f"Đánh giá hồ sơ {self.dossier_id}"

    @property
    def total(self) -> int:
        return (
            self.time_score
            + self.contacts_score
            + self.bodies_score
            + self.attitude_score
            + self.online_score
        )
