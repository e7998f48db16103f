from dataclasses import dataclass

from django.conf import settings
from django.db import models


@dataclass(frozen=True)
class JobSchedule:
    """A periodic job: what it is called on screen, what runs, and how often it should run. The
    long-lived `motcua worker` runs every job of this table when it falls due (ADR 0026);
    `motcua jobs run NAME` runs one once, by hand."""

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
    "dvcqg-ratings": JobSchedule(
        label="Gửi tổng hợp đánh giá sự hài lòng tháng trước lên Cổng DVCQG",
        function="motcua.dvcqg.ratings_faq.dvcqg_ratings_run",
        interval_minutes=24 * 60,
    ),
    "dvcqg-faq": JobSchedule(
        label="Trao đổi hỏi đáp với Cổng DVCQG (gửi hỏi đáp công khai, nhận câu hỏi vào PAKN)",
        function="motcua.dvcqg.ratings_faq.dvcqg_faq_run",
        interval_minutes=60,
    ),
    "exchange-receive": JobSchedule(
        label="Nhận văn bản, trạng thái từ trục trao đổi văn bản (edXML)",
        function="motcua.exchange.services.exchange_receive_run",
        interval_minutes=5,
    ),
    "iso-register-sync": JobSchedule(
        label="Đồng bộ danh mục quy trình ISO với danh mục TTHC đang có hiệu lực",
        function="motcua.reform.services.iso_register.iso_register_sync_run",
        interval_minutes=24 * 60,
    ),
    "payments-advance": JobSchedule(
        label="Chuyển tiếp hồ sơ đã nộp đủ phí (đối soát thanh toán)",
        function="motcua.payments.jobs.dossiers_advance_run",
        interval_minutes=15,
    ),
    "archives-fixity": JobSchedule(
        label="Kiểm tra toàn vẹn tệp lưu trữ (so SHA-256 khi lập hồ sơ)",
        function="motcua.archives.jobs.archives_fixity_run",
        interval_minutes=24 * 60,
    ),
    "background-purge": JobSchedule(
        label="Xóa tệp kết quả việc chạy nền đã hết hạn (sổ theo dõi hồ sơ…)",
        function="motcua.core.background.background_purge_run",
        interval_minutes=60,
    ),
}


@dataclass(frozen=True)
class TaskKind:
    """A one-off background task an officer asks for (a large file to build): what it is called on
    screen and the function the worker runs — `function(requested_by, arguments, folder)` returns
    a `motcua.core.background.TaskOutput` written into `folder`."""

    label: str
    function: str  # dotted path, imported only when the task runs (core depends on no domain app)


TASK_KINDS: dict[str, TaskKind] = {
    "tracking-book": TaskKind(
        label="Sổ theo dõi hồ sơ (Mẫu 06)",
        function="motcua.dossiers.official_forms.tracking_book.tracking_book_task",
    ),
}


class JobRunStatus(models.TextChoices):
    RUNNING = "running", "Đang chạy"
    OK = "ok", "Thành công"
    FAILED = "failed", "Lỗi"
    # Left "running" by a worker that stopped sending its heartbeat (killed, machine down): the
    # job is due again at once (ADR 0026).
    ABANDONED = "abandoned", "Bị bỏ dở"


class JobRun(models.Model):
    """One run of a periodic job and what it did. A run that never finishes stays "running", so a
    crashed process is as visible as a failed one."""

    job = models.CharField("tác vụ", max_length=64)
    started_at = models.DateTimeField("bắt đầu")
    finished_at = models.DateTimeField("kết thúc", null=True, blank=True)
    status = models.CharField(
        "kết quả", max_length=9, choices=JobRunStatus.choices, default=JobRunStatus.RUNNING
    )
    summary = models.TextField("tóm tắt", blank=True)
    counts = models.JSONField("số liệu", default=dict, blank=True)
    # The worker (host:pid) that ran it. A database default too, so that rows written by an
    # older release during a rolling upgrade (or by raw INSERTs) are accepted.
    worker = models.CharField(
        "tiến trình chạy", max_length=128, blank=True, default="", db_default=""
    )

    class Meta:
        verbose_name = "lần chạy tác vụ"
        verbose_name_plural = "lần chạy tác vụ"
        ordering = ["-started_at", "-pk"]
        indexes = [
            models.Index(fields=["job", "status", "started_at"], name="jobrun_job_idx"),
            # Every worker asks, every few seconds, when each job last started and which runs are
            # still running: one short backward scan per job, and a small partial index.
            models.Index(fields=["job", "-started_at"], name="jobrun_job_started_idx"),
            models.Index(
                fields=["worker"],
                name="jobrun_running_idx",
                condition=models.Q(status="running"),
            ),
        ]
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


class WorkerBeat(models.Model):
    """The heartbeat of one `motcua worker` process: written when it starts, every few seconds
    while it lives (a thread of its own, so a long job does not silence it) and when it stops
    cleanly. A worker whose last beat is too old has crashed: what it was running is retried."""

    name = models.CharField("tiến trình", max_length=128, unique=True)  # host:pid by default
    host = models.CharField("máy", max_length=128)
    pid = models.PositiveIntegerField("mã tiến trình")
    started_at = models.DateTimeField("khởi động lúc")
    last_seen = models.DateTimeField("tín hiệu gần nhất")
    current = models.CharField("đang làm", max_length=255, blank=True)
    stopped_at = models.DateTimeField("dừng lúc", null=True, blank=True)

    class Meta:
        verbose_name = "tiến trình chạy nền"
        verbose_name_plural = "tiến trình chạy nền"
        ordering = ["-last_seen"]

    def __str__(self) -> str:
        return self.name


class JobLease(models.Model):
    """Who runs a periodic job now, on SQLite (one machine). PostgreSQL uses a session advisory
    lock instead, which the server releases by itself when the worker's connection dies; here a
    lease is taken by a conditional UPDATE and is free again when its holder's heartbeat is stale."""

    job = models.CharField("tác vụ", max_length=64, primary_key=True)
    holder = models.CharField("tiến trình giữ", max_length=128, blank=True)
    taken_at = models.DateTimeField("nhận lúc", null=True, blank=True)

    class Meta:
        verbose_name = "quyền chạy tác vụ"
        verbose_name_plural = "quyền chạy tác vụ"

    def __str__(self) -> str:
        return f"{self.job}: {self.holder or '—'}"


class BackgroundTaskStatus(models.TextChoices):
    QUEUED = "queued", "Đang chờ"
    RUNNING = "running", "Đang lập"
    DONE = "done", "Đã xong"
    FAILED = "failed", "Lỗi"


class BackgroundTask(models.Model):
    """A one-off task an officer asked for (a large book to build), run by a worker; its result
    is a file in the documents storage that only the officer who asked may download, kept for
    RESULT_KEEP_HOURS (motcua.core.background, ADR 0026)."""

    kind = models.CharField("loại việc", max_length=32)
    arguments = models.JSONField("tham số", default=dict)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        "tình trạng",
        max_length=8,
        choices=BackgroundTaskStatus.choices,
        default=BackgroundTaskStatus.QUEUED,
    )
    created_at = models.DateTimeField("yêu cầu lúc")
    started_at = models.DateTimeField("bắt đầu", null=True, blank=True)
    finished_at = models.DateTimeField("kết thúc", null=True, blank=True)
    worker = models.CharField("tiến trình chạy", max_length=128, blank=True)
    attempts = models.PositiveSmallIntegerField("số lần chạy", default=0)
    result = models.CharField("tệp kết quả", max_length=255, blank=True)  # name in the storage
    result_filename = models.CharField("tên tệp tải về", max_length=255, blank=True)
    result_type = models.CharField("kiểu tệp", max_length=100, blank=True)
    result_size = models.PositiveBigIntegerField("dung lượng", default=0)
    summary = models.CharField("tóm tắt", max_length=255, blank=True)
    error = models.TextField("lỗi", blank=True)
    expires_at = models.DateTimeField("hết hạn lưu", null=True, blank=True)

    class Meta:
        verbose_name = "việc chạy nền"
        verbose_name_plural = "việc chạy nền"
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The workers' claim: the oldest queued task first.
            models.Index(
                fields=["created_at", "id"],
                name="backgroundtask_queued_idx",
                condition=models.Q(status="queued"),
            ),
            models.Index(fields=["requested_by", "status"], name="backgroundtask_user_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=[s.value for s in BackgroundTaskStatus]),
                name="backgroundtask_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} {self.get_status_display()}"


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
