from django.conf import settings
from django.db import models

from motcua.catalog.models import PaperForm
from motcua.core.append_only import AppendOnlyModel


class DailySequence(models.Model):
    """The last dossier number a receiving unit gave on one day (the XXXX of Circular 01/2018 art. 19).

    One row per (unit, day), locked with SELECT ... FOR UPDATE by the transaction that creates the
    dossier, so numbers are unique and gapless across app servers: a creation that rolls back gives
    its number back.
    """

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    day = models.DateField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit", "day"], name="dailysequence_unit_day_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.day}: {self.last_value}"


class ChannelKind(models.TextChoices):
    """How the dossier reached this agency. The first three are the national portal's
    KenhThucHien (1 desk, 2 online, 3 public postal service); LIENTHONG is a dossier another agency
    sent over by the document exchange (ADR 0042), which the citizen submitted there, not here
    (ADR 0044: not counted online, not a KenhThucHien of its own)."""

    DESK = "desk", "Trực tiếp"
    ONLINE = "online", "Trực tuyến"
    POST = "post", "Bưu chính công ích"
    LIENTHONG = "lienthong", "Liên thông"


# The ways a result is handed to the applicant. A liên thông dossier's result goes back to the
# sending agency by the exchange, not to the applicant, so it is not one of them (its
# return_channel stays empty; ADR 0044).
RETURN_CHANNELS = (ChannelKind.DESK, ChannelKind.ONLINE, ChannelKind.POST)
RETURN_CHANNEL_CHOICES = [(c.value, c.label) for c in RETURN_CHANNELS]


class ApplicantKind(models.TextChoices):
    PERSON = "person", "Cá nhân"
    ORGANISATION = "organisation", "Tổ chức"


class Applicant(models.Model):
    """A person or an organisation that applies; the desk recalls a returning one by citizen ID."""

    kind = models.CharField(
        "loại", max_length=16, choices=ApplicantKind.choices, default=ApplicantKind.PERSON
    )
    full_name = models.CharField("họ và tên / tên tổ chức", max_length=255)
    citizen_id = models.CharField("số định danh cá nhân", max_length=12, blank=True)
    tax_code = models.CharField("mã số doanh nghiệp / mã số thuế", max_length=14, blank=True)
    date_of_birth = models.DateField("ngày sinh", null=True, blank=True)
    province_code = models.CharField("tỉnh, thành phố", max_length=8, blank=True)
    ward_code = models.CharField("xã, phường", max_length=8, blank=True)
    address_line = models.CharField("số nhà, đường, thôn", max_length=255, blank=True)
    phone = models.CharField("số điện thoại", max_length=20, blank=True)
    email = models.EmailField("thư điện tử", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "người nộp hồ sơ"
        verbose_name_plural = "người nộp hồ sơ"
        indexes = [
            models.Index(fields=["citizen_id"], name="applicant_citizen_id_idx"),
            models.Index(fields=["tax_code"], name="applicant_tax_code_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=[k.value for k in ApplicantKind]),
                name="applicant_kind_valid",
            ),
            # One person, one record: two desks receiving the same person at once must not make two.
            models.UniqueConstraint(
                fields=["citizen_id"],
                condition=~models.Q(citizen_id=""),
                name="applicant_citizen_id_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name


class ApplicantChange(AppendOnlyModel):
    """One field of a person's record changed: who, when, from what to what, and why.

    A person's record is shared by all their dossiers (the desk recalls it by citizen ID), so it is
    never overwritten silently: every change the desk makes to it leaves one row here, in the same
    transaction (ADR 0020). Append-only, like the dossier history."""

    append_only_subject = "Lịch sử thay đổi thông tin người nộp"

    applicant = models.ForeignKey(Applicant, on_delete=models.PROTECT, related_name="changes")
    changed_at = models.DateTimeField("thay đổi lúc")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="người thay đổi",
    )
    field = models.CharField("thông tin", max_length=32)
    old_value = models.CharField("giá trị cũ", max_length=255, blank=True)
    new_value = models.CharField("giá trị mới", max_length=255, blank=True)
    reason = models.CharField("lý do", max_length=500)
    # The reception during which the change was made, when there was one.
    dossier = models.ForeignKey(
        "Dossier", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "thay đổi thông tin người nộp"
        verbose_name_plural = "thay đổi thông tin người nộp"
        indexes = [
            models.Index(fields=["applicant", "changed_at"], name="applicantchange_applicant_idx")
        ]

    def __str__(self) -> str:
        return f"{self.applicant_id} {self.field}: {self.old_value} → {self.new_value}"


def _status_choices():
    from .workflow import STATUS_LABELS

    return [(status.value, label) for status, label in STATUS_LABELS.items()]


def worklist_statuses() -> list[str]:
    """The statuses that are still someone's work (the worklist's rows), in the workflow's order.

    Processing is over in PROCESSING_ENDED, except a finished dossier: its result still waits at the
    desk to be returned. Read from the workflow table so a new status cannot be forgotten here; the
    partial indexes below hold these rows only (about one dossier in seven)."""
    from .workflow import PROCESSING_ENDED, Status

    return [s.value for s in Status if s not in PROCESSING_ENDED or s == Status.FINISHED]


class Dossier(models.Model):
    """One application (hồ sơ) for one procedure, from submission or reception to return.

    The procedure version is the one in force at reception and never changes afterwards. `status` is
    the internal status of workflow.py; the national code 1–10 is derived from it. `revision` grows
    with every action, so an action taken on a page that is out of date is refused, not lost.
    """

    code = models.CharField("mã hồ sơ", max_length=40, unique=True, null=True, blank=True)
    # The short reference of an online submission (codes.short_reference_new): read over the
    # phone, typed from an SMS; kept after the code is given so old messages still resolve.
    short_reference = models.CharField(
        "mã tra cứu ngắn", max_length=12, unique=True, null=True, blank=True
    )
    procedure_version = models.ForeignKey(
        "catalog.ProcedureVersion",
        on_delete=models.PROTECT,
        related_name="dossiers",
        verbose_name="thủ tục",
    )
    receiving_unit = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        related_name="received_dossiers",
        verbose_name="nơi tiếp nhận",
    )
    applicant = models.ForeignKey(Applicant, on_delete=models.PROTECT, related_name="dossiers")
    # As received: forms print what the applicant declared that day, whatever changes later.
    applicant_name = models.CharField("người nộp", max_length=255)
    applicant_address = models.CharField("địa chỉ", max_length=500, blank=True)
    # The contact given for this dossier: its notices go here and nowhere else — not to the phone
    # of the person record, which another submission with the same ID must never reach (ADR 0020).
    contact_phone = models.CharField("số điện thoại liên hệ", max_length=20, blank=True)
    contact_email = models.EmailField("thư điện tử liên hệ", blank=True)
    channel = models.CharField("kênh nộp", max_length=12, choices=ChannelKind.choices)
    status = models.CharField("trạng thái", max_length=24, choices=_status_choices)
    dossier_sets = models.PositiveSmallIntegerField("số bộ hồ sơ", default=1)
    submitted_at = models.DateTimeField("nộp lúc", null=True, blank=True)
    received_at = models.DateTimeField("tiếp nhận lúc", null=True, blank=True)
    due_at_original = models.DateTimeField("hẹn trả (ban đầu)", null=True, blank=True)
    due_at = models.DateTimeField("hẹn trả", null=True, blank=True)
    rescheduled_at = models.DateTimeField("hẹn lại lúc", null=True, blank=True)
    finished_at = models.DateTimeField("xử lý xong lúc", null=True, blank=True)
    returned_at = models.DateTimeField("trả kết quả lúc", null=True, blank=True)
    return_channel = models.CharField(
        "hình thức nhận kết quả", max_length=8, choices=RETURN_CHANNEL_CHOICES, blank=True
    )
    supplement_requests = models.PositiveSmallIntegerField("số lần yêu cầu bổ sung", default=0)
    current_step = models.ForeignKey(
        "DossierStep", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_dossiers",
        verbose_name="người xử lý",
    )
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    imported = models.BooleanField("nhập từ hệ thống cũ", default=False)
    revision = models.PositiveIntegerField(default=0)
    # Online submission (motcua.portal): the citizen account that owns the dossier, and the desk
    # officer who filled the online form for a citizen who came in person (still counted online).
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="citizen_dossiers",
        verbose_name="tài khoản công dân",
    )
    assisted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="cán bộ nộp hộ",
    )
    # How the applicant wants to be told of each status change: "sms", "email" ("" = what they gave).
    notify_channel = models.CharField("nhận thông báo qua", max_length=8, blank=True)
    # Submitted online by a citizen signed in with the national account (Cổng DVCQG / VNeID) in
    # that session: TaiKhoanDuocXacThucVoiVNeID of the national record (ADR 0035).
    national_account_verified = models.BooleanField(
        "nộp bằng tài khoản Cổng DVCQG/VNeID", default=False
    )

    class Meta:
        verbose_name = "hồ sơ"
        verbose_name_plural = "hồ sơ"
        indexes = [
            models.Index(fields=["status", "due_at"], name="dossier_status_due_idx"),
            models.Index(fields=["assignee", "status", "due_at"], name="dossier_assignee_due_idx"),
            models.Index(
                fields=["receiving_unit", "received_at"], name="dossier_unit_received_idx"
            ),
            # The reports: the reception days the rollup has not rebuilt yet (usually today) are
            # counted from their dossiers, a range of reception instants (indicators.rollup).
            models.Index(fields=["received_at"], name="dossier_received_idx"),
            # The dossiers finished today, read at every Prometheus scrape (motcua.ops.gauges).
            models.Index(
                fields=["finished_at"],
                condition=models.Q(finished_at__isnull=False),
                name="dossier_finished_idx",
            ),
            # Decision 766's 2.1 for a period still running: the open dossiers due later today.
            models.Index(
                fields=["due_at"],
                condition=models.Q(finished_at__isnull=True, returned_at__isnull=True),
                name="dossier_unended_due_idx",
            ),
            # The worklist (selectors.Worklist): one ordered range per term of the visibility
            # rule, over open dossiers only, in the page's order (due, received, id), so a page and
            # its capped count read about a thousand index entries whatever the table's size.
            models.Index(
                fields=["receiving_unit", "due_at", "received_at", "id"],
                condition=models.Q(status__in=worklist_statuses()),
                name="dossier_open_unit_due_idx",
            ),
            models.Index(
                fields=["assignee", "due_at", "received_at", "id"],
                condition=models.Q(status__in=worklist_statuses()),
                name="dossier_open_assignee_due_idx",
            ),
            # The competent agency's term (a list of procedure versions): a department holding most
            # open dossiers is read in due order, the version carried in the index to filter on;
            # an agency with few is read by version and sorted. PostgreSQL picks from its stats.
            models.Index(
                fields=["due_at", "received_at", "id", "procedure_version"],
                condition=models.Q(status__in=worklist_statuses()),
                name="dossier_open_due_idx",
            ),
            models.Index(
                fields=["procedure_version", "due_at", "received_at", "id"],
                condition=models.Q(status__in=worklist_statuses()),
                name="dossier_open_version_due_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(channel__in=[c.value for c in ChannelKind]),
                name="dossier_channel_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(return_channel__in=["", *(c.value for c in RETURN_CHANNELS)]),
                name="dossier_return_channel_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=[value for value, _ in _status_choices()]),
                name="dossier_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.code or f"Hồ sơ trực tuyến #{self.pk}"

    @property
    def returns_to_sending_agency(self) -> bool:
        """Sent over by another agency (liên thông, ADR 0044): its result goes back to that agency
        by the exchange, never across our desk, by post or to the national portal from here."""
        return self.channel == ChannelKind.LIENTHONG

    @property
    def national_status(self) -> int:
        from .workflow import national_status

        return national_status(self.status)


class DossierComponent(models.Model):
    """A paper (or file) received with the dossier, ticked by the desk against the catalogue."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="components")
    order = models.PositiveSmallIntegerField("thứ tự")
    name = models.CharField("tên giấy tờ", max_length=500)
    form = models.CharField("hình thức", max_length=8, choices=PaperForm.choices)
    count = models.PositiveSmallIntegerField("số lượng", default=1)

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier", "order"], name="dossiercomponent_order_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class DossierStep(models.Model):
    """One step of the procedure's internal process as this dossier lives it: who, when, due when."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField("thứ tự")
    name = models.CharField("tên bước", max_length=255)
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    role = models.CharField("vai trò", max_length=32)
    budget_hours = models.DecimalField("số giờ", max_digits=7, decimal_places=2)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["order"]
        constraints = [
            models.UniqueConstraint(fields=["dossier", "order"], name="dossierstep_order_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


class PauseKind(models.TextChoices):
    SUPPLEMENT = "supplement", "Chờ bổ sung hồ sơ"
    PAYMENT = "payment", "Chờ thực hiện nghĩa vụ tài chính"


class DossierPause(models.Model):
    """An interval in which the statutory clock stood still (the applicant owed papers or money)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="pauses")
    kind = models.CharField("loại", max_length=12, choices=PauseKind.choices)
    reason = models.TextField("lý do")
    started_at = models.DateTimeField("từ")
    ended_at = models.DateTimeField("đến", null=True, blank=True)
    # Decree 61/2018 art. 19.4: after an ineligible dossier is completed, the time restarts from zero.
    restarted = models.BooleanField("tính lại thời hạn từ đầu", default=False)

    class Meta:
        ordering = ["started_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.started_at:%d/%m/%Y})"


class DossierEvent(AppendOnlyModel):
    """One entry of a dossier's history. Append-only: saving an existing event, or deleting any,
    raises — the tracking page, the forms and the timeliness figures are built from these."""

    dossier = models.ForeignKey(Dossier, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField("lúc")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_role = models.CharField("vai trò", max_length=32, blank=True)
    action = models.CharField("thao tác", max_length=40)
    from_status = models.CharField("từ trạng thái", max_length=24, blank=True)
    to_status = models.CharField("sang trạng thái", max_length=24, blank=True)
    step_name = models.CharField("bước", max_length=255, blank=True)
    unit = models.ForeignKey(
        "org.Unit", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField("ghi chú", blank=True)
    due_before = models.DateTimeField("hạn trước", null=True, blank=True)
    due_after = models.DateTimeField("hạn sau", null=True, blank=True)

    append_only_subject = "Lịch sử hồ sơ"

    class Meta:
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["dossier", "at"], name="dossierevent_dossier_at_idx")]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.action}"

    @property
    def action_label(self) -> str:
        from .workflow import EVENT_LABELS

        return EVENT_LABELS.get(self.action, self.action)

    @property
    def from_label(self) -> str:
        from .workflow import status_label

        return status_label(self.from_status)

    @property
    def to_label(self) -> str:
        from .workflow import status_label

        return status_label(self.to_status)


class ConsultationKind(models.TextChoices):
    CONSULT = "consult", "Lấy ý kiến phối hợp"
    INTER_AGENCY = "inter_agency", "Liên thông"


class DossierConsultation(models.Model):
    """A request to another unit or agency — for its opinion, or for its part of an inter-agency
    (liên thông) procedure — with the deadline it was given (Decree 61/2018 art. 19.5–19.7)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="consultations")
    kind = models.CharField("loại", max_length=16, choices=ConsultationKind.choices)
    # A unit of this installation (internal), or — liên thông over the document exchange (ADR
    # 0034 "Liên thông") — an agency of another system named by its QCVN 102:2016 organ code, with
    # the official letter registered and sent to it.
    unit = models.ForeignKey(
        "org.Unit",
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="đơn vị được hỏi",
        null=True,
        blank=True,
    )
    organ_id = models.CharField("mã định danh cơ quan ngoài", max_length=64, blank=True)
    organ_name = models.CharField("tên cơ quan ngoài", max_length=255, blank=True)
    outgoing_document = models.ForeignKey(
        "exchange.OutgoingDocument",
        on_delete=models.PROTECT,
        related_name="consultations",
        verbose_name="công văn gửi qua trục liên thông",
        null=True,
        blank=True,
    )
    request = models.TextField("nội dung")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField("gửi lúc")
    due_at = models.DateTimeField("hạn trả lời")
    answered_at = models.DateTimeField("trả lời lúc", null=True, blank=True)
    answer = models.TextField("trả lời", blank=True)

    class Meta:
        ordering = ["requested_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=[k.value for k in ConsultationKind]),
                name="consultation_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.unit or self.organ_name or self.organ_id}"

    @property
    def answered_late(self) -> bool:
        return bool(self.answered_at and self.answered_at > self.due_at)


class SupplementRequest(models.Model):
    """What a supplement request asks for, once and completely (Decree 61/2018 art. 15, 17, 19.4):
    the papers of the procedure found missing or wrong, and in words what to complete. Written with
    the history event of the request (request_intake_supplement or request_supplement); Mẫu 02, the
    message to the applicant and their dossier page read it from here."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="supplement_lists")
    event = models.OneToOneField(
        DossierEvent,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="supplement_list",
    )
    papers = models.JSONField("giấy tờ cần bổ sung, hoàn thiện", default=list, blank=True)
    details = models.TextField("nội dung cần bổ sung, hoàn thiện", blank=True)
    requested_at = models.DateTimeField("yêu cầu lúc")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "nội dung yêu cầu bổ sung"
        verbose_name_plural = "nội dung yêu cầu bổ sung"
        ordering = ["requested_at", "pk"]
        get_latest_by = ["requested_at", "pk"]

    def __str__(self) -> str:
        return f"Yêu cầu bổ sung {self.requested_at:%d/%m/%Y}"

    def lines(self) -> list[str]:
        """Every item the applicant must bring or fix, papers first, then the words."""
        words = [line.strip() for line in self.details.splitlines() if line.strip()]
        return [*self.papers, *words]


class DossierChangeRecord(models.Model):
    """One row of the change feed (the outbox, ADR 0031): a committed change of a dossier, written
    in the transaction that made it (motcua.dossiers.changes), so a change rolled back leaves no
    row and a change committed always has one. Subscribers that must not miss a change (the
    national portal's sync) get a delivery row each; rows are pruned once every delivery is done
    and the row is older than MOTCUA_CHANGE_FEED_RETENTION_DAYS."""

    dossier = models.ForeignKey(
        Dossier, on_delete=models.CASCADE, related_name="change_records", db_index=False
    )
    code = models.CharField("mã hồ sơ", max_length=32, blank=True)
    kind = models.CharField("loại thay đổi", max_length=40)
    status = models.CharField("trạng thái mới", max_length=24)
    at = models.DateTimeField("lúc")

    class Meta:
        verbose_name = "thay đổi hồ sơ (nguồn thay đổi)"
        verbose_name_plural = "thay đổi hồ sơ (nguồn thay đổi)"
        ordering = ["pk"]
        indexes = [
            models.Index(fields=["dossier", "id"], name="changerecord_dossier_idx"),
            models.Index(fields=["at"], name="changerecord_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.code or self.dossier_id} {self.kind} → {self.status}"


class DeliveryState(models.TextChoices):
    WAITING = "waiting", "Chờ gửi"
    SENT = "sent", "Đã gửi"
    FAILED = "failed", "Gửi lỗi, sẽ gửi lại"
    DEAD = "dead", "Ngừng gửi (cần xử lý)"
    SKIPPED = "skipped", "Không gửi"


class DossierChangeDelivery(models.Model):
    """A change on its way to one durable subscriber: delivered in order per dossier, retried
    with back-off, set aside as dead after too many attempts (motcua.dossiers.changes)."""

    change = models.ForeignKey(
        DossierChangeRecord, on_delete=models.CASCADE, related_name="deliveries"
    )
    subscriber = models.CharField("nơi nhận", max_length=40)
    # Copied from the change so that "the oldest undelivered change of this dossier" is one index.
    dossier_id_copy = models.BigIntegerField("hồ sơ")
    state = models.CharField(
        "tình trạng", max_length=10, choices=DeliveryState.choices, default=DeliveryState.WAITING
    )
    attempts = models.PositiveIntegerField("số lần gửi", default=0)
    next_attempt_at = models.DateTimeField("gửi lần tới lúc")
    delivered_at = models.DateTimeField("đã gửi lúc", null=True, blank=True)
    last_error = models.TextField("lỗi lần gửi cuối", blank=True)

    class Meta:
        verbose_name = "lượt gửi thay đổi hồ sơ"
        verbose_name_plural = "lượt gửi thay đổi hồ sơ"
        indexes = [
            models.Index(
                fields=["subscriber", "state", "next_attempt_at"], name="changedelivery_due_idx"
            ),
            models.Index(
                fields=["subscriber", "dossier_id_copy", "change"], name="changedelivery_order_idx"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["change", "subscriber"], name="changedelivery_one_per_subscriber"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subscriber}: {self.change_id} {self.state}"
