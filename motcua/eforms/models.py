"""Online forms (tờ khai trực tuyến): a citizen's draft, kept on the server at every save, and the
answers as submitted with the dossier. The form itself is data (motcua/eforms/schemas/*.json)."""

from django.conf import settings
from django.db import models


class EformDraft(models.Model):
    """A form being filled on the phone: the answers as typed (checked at submission), the files of
    the procedure's other papers, the return channel. Lost connection, closed tab: it is here."""

    citizen = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="eform_drafts",
        verbose_name="tài khoản công dân",
    )
    procedure_version = models.ForeignKey(
        "catalog.ProcedureVersion", on_delete=models.PROTECT, related_name="+"
    )
    schema_key = models.CharField("biểu mẫu", max_length=120)
    answers = models.JSONField("nội dung đã khai", default=dict, blank=True)
    return_channel = models.CharField("nhận kết quả", max_length=16, blank=True)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    updated_at = models.DateTimeField("sửa lúc", auto_now=True)
    dossier = models.OneToOneField(
        "dossiers.Dossier",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="eform_draft",
    )

    class Meta:
        verbose_name = "tờ khai trực tuyến đang soạn"
        verbose_name_plural = "tờ khai trực tuyến đang soạn"
        indexes = [models.Index(fields=["citizen", "updated_at"], name="eform_draft_citizen_idx")]

    def __str__(self) -> str:
        return f"Tờ khai nháp {self.schema_key} ({self.pk})"

    @property
    def submitted(self) -> bool:
        return self.dossier_id is not None


class EformDraftFile(models.Model):
    """A file for one of the procedure's other papers (the ID card's photo…), by component order."""

    draft = models.ForeignKey(EformDraft, on_delete=models.CASCADE, related_name="files")
    component_order = models.PositiveSmallIntegerField("thành phần số")
    stored_file = models.ForeignKey(
        "documents.StoredFile", on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField("tên tệp", max_length=255)

    class Meta:
        verbose_name = "tệp của tờ khai đang soạn"
        verbose_name_plural = "tệp của tờ khai đang soạn"
        constraints = [
            models.UniqueConstraint(
                fields=["draft", "component_order", "stored_file"], name="eform_draft_file_once"
            )
        ]

    def __str__(self) -> str:
        return self.name


class EformSubmission(models.Model):
    """The answers submitted with a dossier, as the desk reads them: the checked values and, frozen
    beside them, the sections and labels of the schema at that moment (a later edit of the schema
    file does not change what the citizen declared). `declaration` is the filled official form (PDF)
    attached to the dossier's declaration component."""

    dossier = models.OneToOneField(
        "dossiers.Dossier", on_delete=models.PROTECT, related_name="eform"
    )
    schema_key = models.CharField("biểu mẫu", max_length=120)
    form_code = models.CharField("mẫu số", max_length=200)
    answers = models.JSONField("nội dung đã khai")
    layout = models.JSONField("các mục và nhãn của biểu mẫu khi nộp")
    declaration = models.ForeignKey(
        "documents.ComponentFile", on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField("nộp lúc")

    class Meta:
        verbose_name = "tờ khai trực tuyến đã nộp"
        verbose_name_plural = "tờ khai trực tuyến đã nộp"

    def __str__(self) -> str:
        return f"{self.form_code} — hồ sơ {self.dossier_id}"
