from dataclasses import dataclass

from django.conf import settings
from django.db import models


@dataclass(frozen=True)
class JobSchedule:
    """A periodic job as the operator installs it (cron or a systemd timer calls
    `motcua jobs run NAME`): what it is called on screen, what runs, and how often it should run."""

    label: str
    function: str  # dotted path, imported only when the job runs (core depends on no domain app)
    interval_minutes: int


# The page of job runs warns when a job's last successful run is older than its interval plus this
# grace, so a job that silently stopped running is noticed.
JOB_GRACE_MINUTES = 15
JOBS: dict[str, JobSchedule] = {
    "dossiers-monitor": JobSchedule(
        label="Nhắc hồ sơ sắp đến hạn, quá hạn",
        function="motcua.dossiers.monitoring.dossiers_monitor_run",
        interval_minutes=60,
    ),
    "feedback-monitor": JobSchedule(
        label="Nhắc phản ánh, kiến nghị sắp đến hạn, quá hạn",
        function="motcua.feedback.monitoring.feedback_monitor_run",
        interval_minutes=60,
    ),
    "reform-reminders": JobSchedule(
        label="Nhắc nhiệm vụ cải cách hành chính sắp đến hạn",
        function="motcua.reform.reminders.reform_reminders_run",
        interval_minutes=24 * 60,
    ),
    "indicators-rollup": JobSchedule(
        label="Tổng hợp số liệu hồ sơ cho báo cáo, bảng điều khiển",
        function="motcua.indicators.rollup.rollup_refresh_run",
        interval_minutes=5,
    ),
    "documents-ocr": JobSchedule(
        label="Nhận dạng chữ (OCR) các bản quét giấy tờ",
        function="motcua.documents.ocr.documents_ocr_run",
        interval_minutes=15,
    ),
    "postal-webhook-purge": JobSchedule(
        label="Xóa chữ ký webhook bưu chính quá hạn lưu",
        function="motcua.postal.jobs.webhook_deliveries_purge_run",
        interval_minutes=24 * 60,
    ),
    "accounts-codes-purge": JobSchedule(
        label="Xóa mã xác thực một lần quá hạn lưu",
        function="motcua.accounts.jobs.one_time_codes_purge_run",
        interval_minutes=24 * 60,
    ),
    "notifications-retry": JobSchedule(
        label="Gửi lại thông báo chưa gửi được (SMS, thư điện tử)",
        function="motcua.notifications.jobs.notifications_retry_run",
        interval_minutes=5,
    ),
    "dossiers-feed-prune": JobSchedule(
        label="Xóa thay đổi hồ sơ đã gửi xong, quá hạn lưu",
        function="motcua.dossiers.changes.feed_prune_run",
        interval_minutes=24 * 60,
    ),
    "dvcqg-sync": JobSchedule(
        label="Đồng bộ hồ sơ, tiến độ lên Cổng Dịch vụ công quốc gia",
        function="motcua.dvcqg.sync.dvcqg_sync_run",
        interval_minutes=1,
    ),
    "payments-advance": JobSchedule(
        label="Chuyển tiếp hồ sơ đã nộp đủ phí (đối soát thanh toán)",
        function="motcua.payments.jobs.dossiers_advance_run",
        interval_minutes=15,
    ),
}


class JobRunStatus(models.TextChoices):
    RUNNING = "running", "Đang chạy"
    OK = "ok", "Thành công"
    FAILED = "failed", "Lỗi"


class JobRun(models.Model):
    """One run of a periodic job and what it did. A run that never finishes stays "running", so a
    crashed process is as visible as a failed one."""

    job = models.CharField("tác vụ", max_length=64)
    started_at = models.DateTimeField("bắt đầu")
    finished_at = models.DateTimeField("kết thúc", null=True, blank=True)
    status = models.CharField(
        "kết quả", max_length=8, choices=JobRunStatus.choices, default=JobRunStatus.RUNNING
    )
    summary = models.TextField("tóm tắt", blank=True)
    counts = models.JSONField("số liệu", default=dict, blank=True)

    class Meta:
        verbose_name = "lần chạy tác vụ"
        verbose_name_plural = "lần chạy tác vụ"
        ordering = ["-started_at", "-pk"]
        indexes = [models.Index(fields=["job", "status", "started_at"], name="jobrun_job_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=[s.value for s in JobRunStatus]),
                name="jobrun_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.job} {self.started_at:%d/%m/%Y %H:%M} {self.get_status_display()}"


@dataclass(frozen=True)
class JobHealth:
    name: str
    schedule: JobSchedule
    last_ok: JobRun | None
    last: JobRun | None
    stale: bool  # no successful run within the expected interval (plus grace)


def jobs_health(at) -> list[JobHealth]:
    """For each scheduled job: its last run, its last successful run, and whether that is too old.

    Kept beside the model because core has no selectors module yet; two queries per job, and there
    are only a handful of jobs."""
    from datetime import timedelta

    health = []
    for name, schedule in JOBS.items():
        runs = JobRun.objects.filter(job=name)
        last_ok = runs.filter(status=JobRunStatus.OK).first()
        limit = timedelta(minutes=schedule.interval_minutes + JOB_GRACE_MINUTES)
        stale = last_ok is None or last_ok.started_at < at - limit
        health.append(JobHealth(name, schedule, last_ok, runs.first(), stale))
    return health


class PersonalDataRead(models.Model):
    """Who saw whose personal data (ID number, address, phone), when and where — every read of it,
    as the Personal Data Protection Decree 13/2023 expects a controller to be able to show."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("lúc", auto_now_add=True)
    subject = models.CharField("dữ liệu của", max_length=64)  # e.g. "dossier:123"
    purpose = models.CharField("để", max_length=64)  # e.g. "dossier_detail", "receipt_pdf"
    path = models.CharField("trang", max_length=255, blank=True)

    class Meta:
        verbose_name = "lần xem dữ liệu cá nhân"
        verbose_name_plural = "nhật ký xem dữ liệu cá nhân"
        indexes = [
            models.Index(fields=["subject", "at"], name="personaldataread_subject_idx"),
            # The log page lists newest first, for everyone or for one reader.
            models.Index(fields=["-at"], name="personaldataread_at_idx"),
            models.Index(fields=["actor", "-at"], name="personaldataread_actor_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.actor_id} {self.subject} {self.at:%d/%m/%Y %H:%M}"
