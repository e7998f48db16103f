"""What the national portal integration keeps: which national procedure each of ours is, every call
made to the portal with its outcome, and every fetch of a signed file link.

Nothing here holds personal data, a password or a session token: a call is recorded by its service
name, the dossier codes it carried, and what the portal answered (ADR 0030)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

NATIONAL_CODE_PATTERN = r"^\d\.\d{6}$"


class ProcedureMapping(models.Model):
    """Our procedure → the national procedure (MaTTHC of the CSDL quốc gia về TTHC).

    Needed for a procedure whose code is local (LOCAL-…); a procedure keyed by its national code
    needs none. The name, field and results are copied from the portal's LayThuTuc when an
    administrator refreshes the mapping (`motcua dvcqg map CODE MATTHC`), so that building a
    record never calls the portal."""

    procedure = models.OneToOneField(
        "catalog.Procedure",
        on_delete=models.CASCADE,
        related_name="dvcqg_mapping",
        verbose_name="thủ tục",
    )
    national_code = models.CharField("mã TTHC quốc gia", max_length=16)
    national_name = models.TextField("tên TTHC trên Cổng DVCQG", blank=True)
    national_field_code = models.CharField("mã lĩnh vực trên Cổng DVCQG", max_length=32, blank=True)
    national_field_name = models.CharField(
        "tên lĩnh vực trên Cổng DVCQG", max_length=255, blank=True
    )
    # KETQUATHUCHIEN of LayThuTuc: [{"MAKETQUA": …, "TENKETQUA": …}]
    national_results = models.JSONField("kết quả thực hiện (Cổng DVCQG)", default=list, blank=True)
    fetched_at = models.DateTimeField("lấy từ Cổng DVCQG lúc", null=True, blank=True)
    updated_at = models.DateTimeField("cập nhật lúc", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "ánh xạ thủ tục với Cổng DVCQG"
        verbose_name_plural = "ánh xạ thủ tục với Cổng DVCQG"
        constraints = [
            models.CheckConstraint(
                condition=Q(national_code__regex=NATIONAL_CODE_PATTERN),
                name="dvcqg_mapping_code_format",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.procedure_id} → {self.national_code}"


class CallOutcome(models.TextChoices):
    OK = "ok", "Thành công"
    REFUSED = "refused", "Cổng DVCQG từ chối"
    AUTH = "auth", "Lỗi xác thực phiên"
    TRANSPORT = "transport", "Lỗi kết nối, hết thời gian hoặc trả lời hỏng"
    BAD_REPLY = "bad_reply", "Trả lời không đúng cấu trúc"


class DvcqgCall(models.Model):
    """One HTTP call to the portal (a login included) and what came of it."""

    service = models.CharField("dịch vụ", max_length=64)
    started_at = models.DateTimeField("bắt đầu lúc")
    duration_ms = models.PositiveIntegerField("thời gian (ms)")
    http_status = models.PositiveSmallIntegerField("mã HTTP", null=True, blank=True)
    error_code = models.CharField("error_code", max_length=32, blank=True)
    message = models.CharField("thông báo", max_length=300, blank=True)
    ok = models.BooleanField("thành công")
    outcome = models.CharField("kết quả", max_length=12, choices=CallOutcome.choices)
    # The dossier codes the call carried (public keys, no personal data), comma-separated.
    dossier_codes = models.CharField("mã hồ sơ", max_length=500, blank=True)
    record_count = models.PositiveIntegerField("số bản ghi", default=0)

    class Meta:
        verbose_name = "lần gọi Cổng DVCQG"
        verbose_name_plural = "các lần gọi Cổng DVCQG"
        ordering = ["-started_at", "-pk"]
        indexes = [
            models.Index(fields=["-started_at"], name="dvcqgcall_started_idx"),
            models.Index(fields=["service", "-started_at"], name="dvcqgcall_service_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome__in=CallOutcome.values), name="dvcqgcall_outcome_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service} {self.started_at:%d/%m/%Y %H:%M:%S} {self.outcome}"


class FileKind(models.TextChoices):
    COMPONENT = "component", "Thành phần hồ sơ"
    RESULT = "result", "Kết quả giải quyết"


class FileFetch(models.Model):
    """A file of a dossier fetched through a signed link (who read a person's papers, and when:
    the link carries no user, so the address and the file are what can be kept)."""

    dossier = models.ForeignKey("dossiers.Dossier", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField("loại", max_length=12, choices=FileKind.choices)
    object_id = models.PositiveBigIntegerField("mã tệp")
    at = models.DateTimeField("lúc")
    client_ip = models.GenericIPAddressField("địa chỉ IP", null=True, blank=True)

    class Meta:
        verbose_name = "lần tải tệp qua liên kết ký số"
        verbose_name_plural = "các lần tải tệp qua liên kết ký số"
        indexes = [models.Index(fields=["dossier", "at"], name="dvcqg_filefetch_dossier_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} {self.at:%d/%m/%Y %H:%M}"


class DossierSync(models.Model):
    """What the portal has been sent of one dossier (motcua.dvcqg.sync): whether it knows the
    dossier (then DongBoHoSoMC is an update) and up to which history event its progress log goes."""

    dossier = models.OneToOneField(
        "dossiers.Dossier", on_delete=models.CASCADE, related_name="dvcqg_sync"
    )
    first_sent_at = models.DateTimeField("gửi lần đầu lúc")
    last_sent_at = models.DateTimeField("gửi lần cuối lúc")
    last_event_id = models.BigIntegerField("bước lịch sử đã gửi đến", default=0)
    sends = models.PositiveIntegerField("số lần gửi", default=0)

    class Meta:
        verbose_name = "hồ sơ đã đồng bộ lên Cổng DVCQG"
        verbose_name_plural = "hồ sơ đã đồng bộ lên Cổng DVCQG"

    def __str__(self) -> str:
        return f"{self.dossier_id} → {self.last_event_id}"


# The catalogue pull, the ratings summary and the Q&A exchange (issue [I] 5, 7; ADR 0037).
from .models_exchange import (  # noqa: E402
    CatalogDifference,
    CatalogPull,
    FaqSent,
    PortalQuestion,
    RatingSummarySent,
)

__all__ = [
    "CatalogDifference",
    "CatalogPull",
    "DossierSync",
    "DvcqgCall",
    "FaqSent",
    "FileFetch",
    "PortalQuestion",
    "ProcedureMapping",
    "RatingSummarySent",
]
