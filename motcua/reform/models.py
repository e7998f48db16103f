"""The department's administrative-reform (CCHC) work as data: plans and their tasks, the register of
legal normative documents (văn bản QPPL) and the activities done on them, the ISO 9001 register and
the PAR-index self-assessment.

Nothing here is computed and stored: a task's "overdue" is derived from its deadline and the working
calendar (selectors.py), so it is always true at the moment it is asked.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q

from motcua.org.models import Unit


# --- Plans and tasks -----------------------------------------------------------------------------
class Area(models.TextChoices):
    """The seven areas of the reform programme (Nghị quyết 76/NQ-CP 2021–2030)."""

    DIRECTION = "direction", "Chỉ đạo, điều hành"
    INSTITUTIONS = "institutions", "Cải cách thể chế"
    PROCEDURES = "procedures", "Cải cách thủ tục hành chính"
    ORGANISATION = "organisation", "Cải cách tổ chức bộ máy"
    CIVIL_SERVICE = "civil_service", "Cải cách chế độ công vụ"
    PUBLIC_FINANCE = "public_finance", "Cải cách tài chính công"
    DIGITAL_GOVERNMENT = "digital_government", "Xây dựng chính quyền điện tử, chính quyền số"


class TaskSource(models.TextChoices):
    PLAN = "plan", "Nhiệm vụ trong Kế hoạch của Sở"
    PROVINCE = "province", "Nhiệm vụ UBND tỉnh giao"


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Chưa thực hiện"
    IN_PROGRESS = "in_progress", "Đang thực hiện"
    DONE = "done", "Đã hoàn thành"


class Plan(models.Model):
    """A reform plan as issued, e.g. Kế hoạch số 08/KH-STP ngày 16/01/2023 về công tác CCHC năm 2023."""

    number = models.CharField("số, ký hiệu", max_length=40)
    issued_on = models.DateField("ngày ban hành")
    year = models.PositiveSmallIntegerField("năm kế hoạch")
    title = models.CharField("trích yếu", max_length=500)
    unit = models.ForeignKey(
        Unit, verbose_name="cơ quan ban hành", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)

    class Meta:
        verbose_name = "kế hoạch CCHC"
        verbose_name_plural = "kế hoạch CCHC"
        ordering = ["-year", "-issued_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["number", "year"], name="reform_plan_number_year_uniq")
        ]

    def __str__(self) -> str:
        return f"Kế hoạch số {self.number} ngày {self.issued_on:%d/%m/%Y}"


class Task(models.Model):
    """One task: in a plan of the department, or assigned by the provincial People's Committee.

    `started_on` and `completed_on` are kept (not only the status) so that the status on any past
    date can be answered — a report for H1/2023 counts what was done by 30/06/2023."""

    source = models.CharField("nguồn", max_length=16, choices=TaskSource.choices)
    plan = models.ForeignKey(
        Plan,
        verbose_name="kế hoạch",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="tasks",
    )
    source_document = models.CharField("văn bản giao", max_length=300, blank=True)
    title = models.CharField("nội dung nhiệm vụ", max_length=500)
    area = models.CharField("lĩnh vực CCHC", max_length=24, choices=Area.choices)
    unit = models.ForeignKey(
        Unit, verbose_name="đơn vị chủ trì", on_delete=models.PROTECT, related_name="+"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người phụ trách",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    assigned_on = models.DateField("ngày giao")
    deadline = models.DateField("thời hạn")
    status = models.CharField(
        "trạng thái", max_length=16, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED
    )
    started_on = models.DateField("ngày bắt đầu", null=True, blank=True)
    completed_on = models.DateField("ngày hoàn thành", null=True, blank=True)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)

    class Meta:
        verbose_name = "nhiệm vụ CCHC"
        verbose_name_plural = "nhiệm vụ CCHC"
        ordering = ["deadline", "pk"]
        indexes = [
            models.Index(fields=["source", "assigned_on"], name="reform_task_source_idx"),
            models.Index(fields=["status", "deadline"], name="reform_task_status_idx"),
            models.Index(fields=["plan", "deadline"], name="reform_task_plan_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in TaskStatus]),
                name="reform_task_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(source=TaskSource.PROVINCE) | Q(plan__isnull=False),
                name="reform_task_plan_required",
            ),
            models.CheckConstraint(
                condition=~Q(status=TaskStatus.DONE) | Q(completed_on__isnull=False),
                name="reform_task_done_has_date",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class TaskProgress(models.Model):
    """A progress note, with an optional evidence file, and the status it left the task in."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="progress")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("lúc")
    on = models.DateField("ngày thực hiện")
    status = models.CharField("trạng thái sau cập nhật", max_length=16, choices=TaskStatus.choices)
    note = models.TextField("nội dung")
    evidence = models.FileField(
        "tệp minh chứng", upload_to="reform/evidence/%Y/%m/%d/", blank=True, max_length=255
    )
    evidence_name = models.CharField("tên tệp", max_length=255, blank=True)

    class Meta:
        verbose_name = "tiến độ nhiệm vụ"
        verbose_name_plural = "tiến độ nhiệm vụ"
        ordering = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.on:%d/%m/%Y} {self.get_status_display()}"


class TaskReminder(models.Model):
    """A reminder sent for a task: at most one per task and kind, whatever the number of runs."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField("loại", max_length=16)
    sent_at = models.DateTimeField("gửi lúc")
    recipients = models.PositiveSmallIntegerField("số người nhận", default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["task", "kind"], name="reform_reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.task_id} {self.kind}"


class Inspection(models.Model):
    """A self-inspection round of the reform work at the department's units."""

    title = models.CharField("tên đợt kiểm tra", max_length=300)
    reference = models.CharField("kế hoạch kiểm tra", max_length=200, blank=True)
    plan = models.ForeignKey(
        Plan, verbose_name="thuộc kế hoạch", on_delete=models.PROTECT, null=True, blank=True
    )
    started_on = models.DateField("từ ngày")
    ended_on = models.DateField("đến ngày")

    class Meta:
        verbose_name = "đợt tự kiểm tra CCHC"
        verbose_name_plural = "đợt tự kiểm tra CCHC"
        ordering = ["-started_on", "-pk"]

    def __str__(self) -> str:
        return self.title


class InspectionFinding(models.Model):
    """One unit inspected in a round: what was found and what follows."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="findings")
    unit = models.ForeignKey(
        Unit, verbose_name="đơn vị được kiểm tra", on_delete=models.PROTECT, related_name="+"
    )
    findings = models.TextField("kết quả kiểm tra, tồn tại")
    follow_up = models.TextField("yêu cầu khắc phục", blank=True)
    follow_up_done_on = models.DateField("đã khắc phục ngày", null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["inspection", "unit"], name="reform_inspection_unit_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.inspection_id} {self.unit_id}"


# --- Legal normative documents (Luật Ban hành văn bản QPPL 2015) ---------------------------------
class Issuer(models.TextChoices):
    NATIONAL_ASSEMBLY = "quoc_hoi", "Quốc hội"
    NA_STANDING_COMMITTEE = "ubtvqh", "Ủy ban Thường vụ Quốc hội"
    PRESIDENT = "chu_tich_nuoc", "Chủ tịch nước"
    GOVERNMENT = "chinh_phu", "Chính phủ"
    PRIME_MINISTER = "thu_tuong", "Thủ tướng Chính phủ"
    MINISTER = "bo_truong", "Bộ trưởng, Thủ trưởng cơ quan ngang bộ"
    PROVINCIAL_COUNCIL = "hdnd_tinh", "HĐND tỉnh"
    PROVINCIAL_COMMITTEE = "ubnd_tinh", "UBND tỉnh"
    DISTRICT_COUNCIL = "hdnd_huyen", "HĐND cấp huyện"
    DISTRICT_COMMITTEE = "ubnd_huyen", "UBND cấp huyện"
    COMMUNE_COUNCIL = "hdnd_xa", "HĐND cấp xã"
    COMMUNE_COMMITTEE = "ubnd_xa", "UBND cấp xã"


CENTRAL_ISSUERS = frozenset(
    {
        Issuer.NATIONAL_ASSEMBLY,
        Issuer.NA_STANDING_COMMITTEE,
        Issuer.PRESIDENT,
        Issuer.GOVERNMENT,
        Issuer.PRIME_MINISTER,
        Issuer.MINISTER,
    }
)


class DocType(models.TextChoices):
    LAW = "luat", "Luật"
    ORDINANCE = "phap_lenh", "Pháp lệnh"
    ORDER = "lenh", "Lệnh"
    RESOLUTION = "nghi_quyet", "Nghị quyết"
    DECREE = "nghi_dinh", "Nghị định"
    DECISION = "quyet_dinh", "Quyết định"
    CIRCULAR = "thong_tu", "Thông tư"


# Which issuer may promulgate which type (Law 2015, art. 4), and the type's sign in the number
# ("12/2023/QĐ-UBND"); a law's number has no type sign ("59/2020/QH14").
ISSUER_TYPES: dict[str, tuple[str, ...]] = {
    Issuer.NATIONAL_ASSEMBLY: (DocType.LAW, DocType.RESOLUTION),
    Issuer.NA_STANDING_COMMITTEE: (DocType.ORDINANCE, DocType.RESOLUTION),
    Issuer.PRESIDENT: (DocType.ORDER, DocType.DECISION),
    Issuer.GOVERNMENT: (DocType.DECREE, DocType.RESOLUTION),
    Issuer.PRIME_MINISTER: (DocType.DECISION,),
    Issuer.MINISTER: (DocType.CIRCULAR,),
    Issuer.PROVINCIAL_COUNCIL: (DocType.RESOLUTION,),
    Issuer.PROVINCIAL_COMMITTEE: (DocType.DECISION,),
    Issuer.DISTRICT_COUNCIL: (DocType.RESOLUTION,),
    Issuer.DISTRICT_COMMITTEE: (DocType.DECISION,),
    Issuer.COMMUNE_COUNCIL: (DocType.RESOLUTION,),
    Issuer.COMMUNE_COMMITTEE: (DocType.DECISION,),
}
TYPE_SIGNS: dict[str, str] = {
    DocType.ORDINANCE: "PL",
    DocType.ORDER: "L",
    DocType.RESOLUTION: "NQ",
    DocType.DECREE: "NĐ",
    DocType.DECISION: "QĐ",
    DocType.CIRCULAR: "TT",
}


class DocStatus(models.TextChoices):
    IN_FORCE = "in_force", "Còn hiệu lực"
    PARTLY_EXPIRED = "partly_expired", "Hết hiệu lực một phần"
    EXPIRED = "expired", "Hết hiệu lực toàn bộ"


class LegalDocument(models.Model):
    """A promulgated legal normative document in the register."""

    issuer = models.CharField("cơ quan ban hành", max_length=16, choices=Issuer.choices)
    doc_type = models.CharField("loại văn bản", max_length=16, choices=DocType.choices)
    number = models.CharField("số, ký hiệu", max_length=40)
    issued_on = models.DateField("ngày ban hành")
    title = models.CharField("trích yếu", max_length=500)
    effective_from = models.DateField("ngày có hiệu lực")
    effective_to = models.DateField("ngày hết hiệu lực", null=True, blank=True)
    status = models.CharField(
        "tình trạng hiệu lực", max_length=16, choices=DocStatus.choices, default=DocStatus.IN_FORCE
    )
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)

    class Meta:
        verbose_name = "văn bản QPPL"
        verbose_name_plural = "văn bản QPPL"
        ordering = ["-issued_on", "-pk"]
        indexes = [models.Index(fields=["issuer", "issued_on"], name="reform_doc_issuer_idx")]
        constraints = [
            models.UniqueConstraint(fields=["issuer", "number"], name="reform_doc_number_uniq"),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_to__gte=models.F("effective_from")),
                name="reform_doc_effective_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_doc_type_display()} số {self.number}"


class Draft(models.Model):
    """A draft legal document sent to the department for appraisal or comments."""

    title = models.CharField("tên dự thảo", max_length=500)
    issuer = models.CharField("cơ quan sẽ ban hành", max_length=16, choices=Issuer.choices)
    doc_type = models.CharField("loại văn bản", max_length=16, choices=DocType.choices)
    drafting_agency = models.CharField("cơ quan chủ trì soạn thảo", max_length=255)
    request_reference = models.CharField("văn bản đề nghị", max_length=200, blank=True)
    received_on = models.DateField("ngày nhận")
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)

    class Meta:
        verbose_name = "dự thảo văn bản QPPL"
        verbose_name_plural = "dự thảo văn bản QPPL"
        ordering = ["-received_on", "-pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_central(self) -> bool:
        return self.issuer in CENTRAL_ISSUERS


class ActivityKind(models.TextChoices):
    APPRAISAL = "appraisal", "Thẩm định dự thảo"
    COMMENT = "comment", "Góp ý dự thảo"
    SELF_CHECK = "self_check", "Tự kiểm tra"
    CHECK = "check", "Kiểm tra theo thẩm quyền"
    REVIEW = "review", "Rà soát"
    SYSTEMATISATION = "systematisation", "Hệ thống hóa"


DRAFT_KINDS = frozenset({ActivityKind.APPRAISAL, ActivityKind.COMMENT})


class ReviewOutcome(models.TextChoices):
    KEEP = "keep", "Giữ nguyên"
    AMEND = "amend", "Sửa đổi, bổ sung"
    REPLACE = "replace", "Thay thế"
    REPEAL = "repeal", "Bãi bỏ"
    EXPIRED_FULLY = "expired_fully", "Hết hiệu lực toàn bộ"
    EXPIRED_PARTLY = "expired_partly", "Hết hiệu lực một phần"


EXPIRY_OUTCOMES = frozenset({ReviewOutcome.EXPIRED_FULLY, ReviewOutcome.EXPIRED_PARTLY})


class SystematisationPeriod(models.Model):
    """A systematisation period (kỳ hệ thống hóa), every five years: e.g. kỳ 2019–2023."""

    start_year = models.PositiveSmallIntegerField("từ năm")
    end_year = models.PositiveSmallIntegerField("đến năm")
    cutoff_on = models.DateField("thời điểm chốt")
    note = models.TextField("ghi chú", blank=True)

    class Meta:
        verbose_name = "kỳ hệ thống hóa"
        verbose_name_plural = "kỳ hệ thống hóa"
        ordering = ["-end_year"]
        constraints = [
            models.UniqueConstraint(fields=["start_year", "end_year"], name="reform_period_uniq")
        ]

    def __str__(self) -> str:
        return f"Kỳ {self.start_year}–{self.end_year}"


class LegalActivity(models.Model):
    """One thing the department did on a draft or a document: appraised, commented, (self-)checked,
    reviewed, systematised. Separate records, so any period's counts are a query."""

    kind = models.CharField("hoạt động", max_length=16, choices=ActivityKind.choices)
    done_on = models.DateField("ngày thực hiện")
    unit = models.ForeignKey(
        Unit, verbose_name="đơn vị thực hiện", on_delete=models.PROTECT, related_name="+"
    )
    draft = models.ForeignKey(
        Draft, on_delete=models.PROTECT, null=True, blank=True, related_name="activities"
    )
    document = models.ForeignKey(
        LegalDocument, on_delete=models.PROTECT, null=True, blank=True, related_name="activities"
    )
    period = models.ForeignKey(
        SystematisationPeriod,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
    )
    reference = models.CharField("văn bản kết quả", max_length=200, blank=True)
    result = models.TextField("kết quả", blank=True)
    findings = models.TextField("phát hiện", blank=True)
    handling = models.TextField("xử lý", blank=True)
    outcome = models.CharField(
        "kết quả rà soát", max_length=16, choices=ReviewOutcome.choices, blank=True
    )
    expired_on = models.DateField("ngày hết hiệu lực", null=True, blank=True)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)

    class Meta:
        verbose_name = "hoạt động về văn bản QPPL"
        verbose_name_plural = "hoạt động về văn bản QPPL"
        ordering = ["-done_on", "-pk"]
        indexes = [models.Index(fields=["kind", "done_on"], name="reform_activity_kind_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in ActivityKind]),
                name="reform_activity_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(draft__isnull=False) | Q(document__isnull=False),
                name="reform_activity_has_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.done_on:%d/%m/%Y}"


# --- ISO 9001 -----------------------------------------------------------------------------------
class IsoProcessKind(models.TextChoices):
    PROCEDURE = "procedure", "Quy trình giải quyết TTHC"
    INTERNAL = "internal", "Quy trình nội bộ"


class IsoProcess(models.Model):
    """A procedure or internal process under the quality system (TCVN ISO 9001:2015).

    A process of kind 'procedure' is linked to the catalogue's procedure and kept in step with it
    by `iso_register_sync` (services/iso_register.py); an internal one is entered by hand. Its
    scope is a date range (`in_scope_from` … `in_scope_until`, the end exclusive), so the register
    answers "which processes were under the system on 30/06/2023" after later changes."""

    code = models.CharField("mã quy trình", max_length=40, unique=True)
    name = models.CharField("tên quy trình", max_length=500)
    kind = models.CharField("loại", max_length=16, choices=IsoProcessKind.choices)
    procedure_code = models.CharField("mã TTHC", max_length=40, blank=True)
    procedure = models.ForeignKey(
        "catalog.Procedure",
        verbose_name="thủ tục hành chính",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    unit = models.ForeignKey(
        Unit, verbose_name="đơn vị chủ trì", on_delete=models.PROTECT, related_name="+"
    )
    in_scope_from = models.DateField("áp dụng từ ngày", null=True, blank=True)
    in_scope_until = models.DateField("ngừng áp dụng từ ngày", null=True, blank=True)
    source = models.TextField("nguồn", blank=True)

    class Meta:
        verbose_name = "quy trình ISO"
        verbose_name_plural = "quy trình ISO"
        ordering = ["code"]
        indexes = [models.Index(fields=["kind", "in_scope_from"], name="reform_iso_kind_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(in_scope_until__isnull=True)
                | Q(in_scope_from__isnull=True)
                | Q(in_scope_until__gt=models.F("in_scope_from")),
                name="reform_iso_scope_order",
            ),
            models.UniqueConstraint(
                fields=["procedure"],
                condition=Q(procedure__isnull=False),
                name="reform_iso_procedure_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class IsoDocumentKind(models.TextChoices):
    PROCESS = "process", "Quy trình"
    FORM = "form", "Biểu mẫu"
    POLICY = "policy", "Chính sách, mục tiêu chất lượng"
    PLAN = "plan", "Kế hoạch"
    DECISION = "decision", "Quyết định"
    OTHER = "other", "Tài liệu khác"


# Kinds whose versions must carry a review date (a process and its forms are reviewed yearly).
REVIEWED_KINDS = frozenset({IsoDocumentKind.PROCESS, IsoDocumentKind.FORM})


class IsoDocument(models.Model):
    """A controlled document of the quality system: a process's document or one of its forms, or a
    document of the register itself (quality objectives, the year's ISO plan…)."""

    code = models.CharField("mã tài liệu", max_length=40, unique=True)
    title = models.CharField("tên tài liệu", max_length=500)
    kind = models.CharField("loại tài liệu", max_length=16, choices=IsoDocumentKind.choices)
    process = models.ForeignKey(
        IsoProcess,
        verbose_name="thuộc quy trình",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
    )
    source = models.TextField("nguồn", blank=True)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)

    class Meta:
        verbose_name = "tài liệu ISO"
        verbose_name_plural = "tài liệu ISO"
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in IsoDocumentKind]),
                name="reform_isodoc_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class IsoDocumentVersion(models.Model):
    """One issue of a controlled document. Never edited: a new issue supersedes the one before it
    (`supersedes`), so every issue stays readable as it was approved."""

    document = models.ForeignKey(IsoDocument, on_delete=models.PROTECT, related_name="versions")
    version = models.CharField("lần ban hành", max_length=16)
    issued_on = models.DateField("ngày ban hành")
    approver = models.CharField("người phê duyệt", max_length=200)
    decision = models.CharField("văn bản ban hành", max_length=200, blank=True)
    next_review_on = models.DateField("hạn rà soát", null=True, blank=True)
    supersedes = models.OneToOneField(
        "self",
        verbose_name="thay thế lần ban hành",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
    )
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)

    class Meta:
        verbose_name = "lần ban hành tài liệu ISO"
        verbose_name_plural = "lần ban hành tài liệu ISO"
        ordering = ["-issued_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "version"], name="reform_isodoc_version_uniq"
            ),
            models.CheckConstraint(
                condition=Q(next_review_on__isnull=True)
                | Q(next_review_on__gt=models.F("issued_on")),
                name="reform_isodoc_review_after_issue",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document_id} lần {self.version}"


class IsoDocumentReview(models.Model):
    """A periodic review of an issue that keeps it in force, and the next review it sets."""

    version = models.ForeignKey(
        IsoDocumentVersion, on_delete=models.PROTECT, related_name="reviews"
    )
    reviewed_on = models.DateField("ngày rà soát")
    reviewer = models.CharField("người rà soát", max_length=200)
    note = models.TextField("kết quả rà soát", blank=True)
    next_review_on = models.DateField("hạn rà soát tiếp theo")
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)

    class Meta:
        ordering = ["-reviewed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(next_review_on__gt=models.F("reviewed_on")),
                name="reform_isoreview_next_after",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.version_id} {self.reviewed_on:%d/%m/%Y}"


class IsoUnit(models.Model):
    """A unit applying the quality system (the department's office, a public-service unit), from a
    date, on a decision; `applies_until` (exclusive) when it stopped."""

    unit = models.ForeignKey(
        Unit, verbose_name="đơn vị", on_delete=models.PROTECT, related_name="+"
    )
    applies_from = models.DateField("áp dụng từ ngày")
    applies_until = models.DateField("ngừng áp dụng từ ngày", null=True, blank=True)
    decision = models.CharField("quyết định áp dụng, công bố", max_length=200, blank=True)
    source = models.TextField("nguồn", blank=True)

    class Meta:
        verbose_name = "đơn vị áp dụng ISO"
        verbose_name_plural = "đơn vị áp dụng ISO"
        ordering = ["unit__sort_order", "applies_from"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "applies_from"], name="reform_isounit_uniq"),
            models.CheckConstraint(
                condition=Q(applies_until__isnull=True)
                | Q(applies_until__gt=models.F("applies_from")),
                name="reform_isounit_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} từ {self.applies_from:%d/%m/%Y}"


class IsoAudit(models.Model):
    """The year's internal audit of the quality system (TCVN ISO 9001:2015, điều 9.2)."""

    year = models.PositiveSmallIntegerField("năm")
    title = models.CharField("tên cuộc đánh giá", max_length=300)
    plan_reference = models.CharField("kế hoạch đánh giá", max_length=200, blank=True)
    held_from = models.DateField("từ ngày")
    held_to = models.DateField("đến ngày")
    lead_auditor = models.CharField("trưởng đoàn đánh giá", max_length=200)
    auditors = models.TextField("thành viên đoàn đánh giá", blank=True)
    processes = models.ManyToManyField(
        IsoProcess, verbose_name="quy trình được đánh giá", blank=True, related_name="audits"
    )
    units = models.ManyToManyField(
        Unit, verbose_name="đơn vị được đánh giá", blank=True, related_name="+"
    )
    summary = models.TextField("kết luận", blank=True)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)

    class Meta:
        verbose_name = "cuộc đánh giá nội bộ"
        verbose_name_plural = "cuộc đánh giá nội bộ"
        ordering = ["-held_from", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(held_to__gte=models.F("held_from")), name="reform_isoaudit_order"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class IsoFindingKind(models.TextChoices):
    NONCONFORMITY = "nonconformity", "Điểm không phù hợp"
    OBSERVATION = "observation", "Điểm lưu ý (quan sát)"
    OPPORTUNITY = "opportunity", "Cơ hội cải tiến"


class IsoFinding(models.Model):
    """What an audit found, against a clause of TCVN ISO 9001:2015."""

    audit = models.ForeignKey(IsoAudit, on_delete=models.PROTECT, related_name="findings")
    kind = models.CharField("loại phát hiện", max_length=16, choices=IsoFindingKind.choices)
    clause = models.CharField("điều khoản", max_length=12)
    description = models.TextField("mô tả")
    found_on = models.DateField("ngày phát hiện")
    process = models.ForeignKey(
        IsoProcess,
        verbose_name="quy trình",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="findings",
    )
    unit = models.ForeignKey(
        Unit, verbose_name="đơn vị", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip

    class Meta:
        verbose_name = "phát hiện đánh giá"
        verbose_name_plural = "phát hiện đánh giá"
        ordering = ["audit", "found_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in IsoFindingKind]),
                name="reform_isofinding_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.clause})"


class IsoAction(models.Model):
    """A corrective action for a finding (điều 10.2): who, by when, done when, verified by whom."""

    finding = models.ForeignKey(IsoFinding, on_delete=models.PROTECT, related_name="actions")
    description = models.TextField("hành động khắc phục")
    owner = models.CharField("người chịu trách nhiệm", max_length=200)
    unit = models.ForeignKey(
        Unit, verbose_name="đơn vị thực hiện", on_delete=models.PROTECT, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    due_on = models.DateField("thời hạn")
    done_on = models.DateField("ngày hoàn thành", null=True, blank=True)
    result = models.TextField("kết quả thực hiện", blank=True)
    verified_on = models.DateField("ngày kiểm tra xác nhận", null=True, blank=True)
    verified_by = models.CharField("người kiểm tra xác nhận", max_length=200, blank=True)
    verification = models.TextField("nhận xét hiệu lực", blank=True)

    class Meta:
        verbose_name = "hành động khắc phục"
        verbose_name_plural = "hành động khắc phục"
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(verified_on__isnull=True)
                | (Q(done_on__isnull=False) & Q(verified_on__gte=models.F("done_on"))),
                name="reform_isoaction_verified_after_done",
            ),
        ]

    def __str__(self) -> str:
        return self.description[:60]


class IsoManagementReview(models.Model):
    """The management review of the quality system (điều 9.3): when, chaired by whom, what was put
    before it and what it decided."""

    held_on = models.DateField("ngày họp")
    chair = models.CharField("chủ trì", max_length=200)
    reference = models.CharField("biên bản, văn bản", max_length=200, blank=True)
    inputs = models.TextField("nội dung xem xét (đầu vào)")
    decisions = models.TextField("kết luận, quyết định (đầu ra)")
    audit = models.ForeignKey(
        IsoAudit,
        verbose_name="cuộc đánh giá nội bộ được xem xét",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviews",
    )
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)

    class Meta:
        verbose_name = "xem xét của lãnh đạo"
        verbose_name_plural = "xem xét của lãnh đạo"
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return f"Xem xét của lãnh đạo ngày {self.held_on:%d/%m/%Y}"


# --- PAR index ----------------------------------------------------------------------------------
class ParAssessment(models.Model):
    """A year's PAR-index self-assessment (Chỉ số CCHC) of one unit."""

    year = models.PositiveSmallIntegerField("năm đánh giá")
    unit = models.ForeignKey(
        Unit, verbose_name="đơn vị", on_delete=models.PROTECT, related_name="+"
    )
    # Where the criteria tree came from (a province's decision) and the period its figures cover;
    # blank for a tree typed in by hand.
    source = models.CharField("văn bản ban hành bộ tiêu chí", max_length=500, blank=True)
    source_url = models.URLField("nguồn", max_length=500, blank=True)
    source_note = models.TextField("ghi chú về nguồn", blank=True)
    period_from = models.DateField("số liệu từ ngày", null=True, blank=True)
    period_to = models.DateField("số liệu đến ngày", null=True, blank=True)

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(fields=["year", "unit"], name="reform_par_year_unit_uniq")
        ]

    def __str__(self) -> str:
        return f"Chỉ số CCHC năm {self.year}"


class ParCriterion(models.Model):
    """A criterion (no parent) or sub-criterion (scored) with its maximum points."""

    assessment = models.ForeignKey(ParAssessment, on_delete=models.CASCADE, related_name="criteria")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="children"
    )
    code = models.CharField("mã tiêu chí", max_length=16)
    title = models.CharField("tiêu chí", max_length=500)
    # Empty only where the source was read but its points were not found (official=False).
    max_points = models.DecimalField(
        "điểm tối đa", max_digits=6, decimal_places=2, null=True, blank=True
    )
    official = models.BooleanField(
        "có trong văn bản nguồn",
        default=True,
        help_text="Sai khi tên, vị trí hoặc điểm của tiêu chí chưa có dữ liệu chính thức.",
    )
    evidence_required = models.TextField("tài liệu kiểm chứng theo quy định", blank=True)
    guidance = models.TextField("cách chấm theo quy định", blank=True)
    auto_key = models.CharField("số liệu tự động", max_length=40, blank=True)
    rule = models.JSONField("quy tắc chấm điểm theo số liệu", null=True, blank=True)
    score_basis = models.CharField(
        "căn cứ điểm tự đánh giá",
        max_length=8,
        blank=True,
        choices=[("auto", "Nhận điểm đề xuất từ số liệu"), ("manual", "Tự chấm")],
    )
    self_score = models.DecimalField(
        "điểm tự đánh giá", max_digits=6, decimal_places=2, null=True, blank=True
    )
    evidence = models.TextField("tài liệu kiểm chứng", blank=True)
    final_score = models.DecimalField(
        "điểm thẩm định", max_digits=6, decimal_places=2, null=True, blank=True
    )

    class Meta:
        ordering = ["assessment", "code"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "code"], name="reform_par_code_uniq"),
            models.CheckConstraint(
                condition=Q(self_score__isnull=True) | Q(self_score__lte=models.F("max_points")),
                name="reform_par_self_le_max",
            ),
            models.CheckConstraint(
                condition=Q(final_score__isnull=True) | Q(final_score__lte=models.F("max_points")),
                name="reform_par_final_le_max",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"
