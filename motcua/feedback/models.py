"""Satisfaction surveys (SIPAS-style questionnaires, campaigns, responses) and citizens' feedback and
complaints (phản ánh, kiến nghị — PAKN) with their working-day deadlines and append-only history.

The PAKN lifecycle (statuses, actions, roles) is the table in `workflow.py`; writes go through
`services.py`, reads through `selectors.py`.
"""

from django.conf import settings
from django.db import models

from .workflow import Status, action_label

# --- Surveys -----------------------------------------------------------------------------------


class Questionnaire(models.Model):
    """A questionnaire: aspects (yếu tố) → questions, each answered on a 5-point scale."""

    name = models.CharField("tên bộ câu hỏi", max_length=255)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)

    class Meta:
        verbose_name = "bộ câu hỏi khảo sát"
        verbose_name_plural = "bộ câu hỏi khảo sát"

    def __str__(self) -> str:
        return self.name


class Aspect(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="aspects"
    )
    position = models.PositiveSmallIntegerField("thứ tự")
    name = models.CharField("yếu tố", max_length=255)

    class Meta:
        verbose_name = "yếu tố khảo sát"
        verbose_name_plural = "yếu tố khảo sát"
        ordering = ["questionnaire", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "position"], name="aspect_position_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Question(models.Model):
    aspect = models.ForeignKey(Aspect, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField("thứ tự")
    text = models.CharField("câu hỏi", max_length=500)

    class Meta:
        verbose_name = "câu hỏi khảo sát"
        verbose_name_plural = "câu hỏi khảo sát"
        ordering = ["aspect__position", "position"]
        constraints = [
            models.UniqueConstraint(fields=["aspect", "position"], name="question_position_unique"),
        ]

    def __str__(self) -> str:
        return self.text


class Campaign(models.Model):
    """A survey round (the department surveys every quarter), answered on paper or online."""

    slug = models.SlugField("mã đợt", max_length=40, unique=True)
    name = models.CharField("tên đợt khảo sát", max_length=255)
    year = models.PositiveSmallIntegerField("năm")
    quarter = models.PositiveSmallIntegerField("quý")
    starts_on = models.DateField("từ ngày")
    ends_on = models.DateField("đến ngày")
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="campaigns"
    )
    online_open = models.BooleanField("nhận trả lời trực tuyến", default=True)

    class Meta:
        verbose_name = "đợt khảo sát"
        verbose_name_plural = "đợt khảo sát"
        ordering = ["-year", "-quarter", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quarter__gte=1, quarter__lte=4), name="campaign_quarter_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="campaign_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ResponseChannel(models.TextChoices):
    PAPER = "paper", "Phiếu giấy"
    ONLINE = "online", "Trực tuyến"


class Response(models.Model):
    """One filled-in form. `token` is the form token (paper entry) or the browser session's token
    (online): unique, so a double click or a replayed form never makes a second response."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="responses")
    channel = models.CharField("hình thức", max_length=8, choices=ResponseChannel.choices)
    token = models.CharField(max_length=64, unique=True)
    form_number = models.CharField("số phiếu", max_length=32, blank=True)
    surveyed_on = models.DateField("ngày khảo sát")
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("nhập lúc", auto_now_add=True)

    class Meta:
        verbose_name = "phiếu khảo sát"
        verbose_name_plural = "phiếu khảo sát"
        indexes = [
            models.Index(fields=["surveyed_on"], name="response_surveyed_idx"),
            models.Index(fields=["campaign", "surveyed_on"], name="response_campaign_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(channel__in=[c.value for c in ResponseChannel]),
                name="response_channel_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.form_number or self.pk}"


class Answer(models.Model):
    """A question's answer on the 1–5 scale; no score = "không trả lời" (explicitly chosen)."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    score = models.PositiveSmallIntegerField("điểm", null=True, blank=True)

    class Meta:
        verbose_name = "câu trả lời"
        verbose_name_plural = "câu trả lời"
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="answer_unique"),
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__gte=1, score__lte=5),
                name="answer_score_range",
            ),
        ]

    # --- Feedback and complaints (PAKN) ------------------------------------------------------------

    def __str__(self) -> str:
        return f"{self.question_id}: {self.score or '—'}"


class Channel(models.TextChoices):
    PORTAL = "portal", "Cổng thông tin (trực tuyến)"
    DESK = "desk", "Trực tiếp tại Bộ phận Một cửa"
    HOTLINE = "hotline", "Đường dây nóng"
    EMAIL = "email", "Thư điện tử"


class Classification(models.TextChoices):
    REGULATION = "regulation", "Quy định hành chính"
    BEHAVIOUR = "behaviour", "Hành vi hành chính"


class ReceiptSequence(models.Model):
    """The yearly counter of receipt numbers (PAKN-2023-0001), locked row by row."""

    year = models.PositiveSmallIntegerField(unique=True)
    last_value = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last_value}"


class Feedback(models.Model):
    code = models.CharField("số tiếp nhận", max_length=20, unique=True)
    channel = models.CharField("kênh tiếp nhận", max_length=8, choices=Channel.choices)
    sender_name = models.CharField("người gửi", max_length=150)
    sender_contact = models.CharField("điện thoại hoặc thư điện tử", max_length=150)
    dossier_code = models.CharField("mã hồ sơ liên quan", max_length=64, blank=True)
    title = models.CharField("tiêu đề", max_length=200)
    content = models.TextField("nội dung")
    classification = models.CharField(
        "phân loại", max_length=12, choices=Classification.choices, blank=True
    )
    status = models.CharField(
        "trạng thái",
        max_length=12,
        default=Status.RECEIVED.value,
        choices=[(s.value, s.label) for s in Status],
    )
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name="đơn vị xử lý",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người xử lý",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="feedback_assigned",
    )
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    submission_token = models.CharField(max_length=64, unique=True)
    received_at = models.DateTimeField("tiếp nhận lúc")
    refuse_due = models.DateTimeField("hạn từ chối")
    supplement_due = models.DateTimeField("hạn yêu cầu bổ sung")
    settle_due = models.DateTimeField("hạn giải quyết", null=True, blank=True)
    answered_at = models.DateTimeField("trả lời lúc", null=True, blank=True)
    publish_due = models.DateTimeField("hạn công khai", null=True, blank=True)
    published_at = models.DateTimeField("công khai lúc", null=True, blank=True)
    closed_at = models.DateTimeField("kết thúc lúc", null=True, blank=True)
    answer = models.TextField("nội dung trả lời", blank=True)
    # What the Q&A page shows as the question: the content with personal details taken out by the
    # officer who publishes it (the original stays in `content`).
    public_question = models.TextField("câu hỏi công khai", blank=True)
    note = models.TextField("lý do từ chối / nội dung cần bổ sung", blank=True)
    # Accent-folded title, content and answer: the public Q&A is searched without diacritics.
    search_text = models.TextField(blank=True)

    class Meta:
        verbose_name = "phản ánh, kiến nghị"
        verbose_name_plural = "phản ánh, kiến nghị"
        indexes = [
            models.Index(fields=["status", "settle_due"], name="feedback_status_due_idx"),
            models.Index(fields=["received_at"], name="feedback_received_idx"),
            models.Index(fields=["status", "-published_at"], name="feedback_published_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=[s.value for s in Status]),
                name="feedback_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(channel__in=[c.value for c in Channel]),
                name="feedback_channel_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(classification__in=["", *[c.value for c in Classification]]),
                name="feedback_classification_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def status_label(self) -> str:
        return Status(self.status).label


class FeedbackEvent(models.Model):
    """One step of a feedback item's history; rows are only ever added."""

    feedback = models.ForeignKey(Feedback, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField("lúc")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    action = models.CharField("thao tác", max_length=32)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12)
    note = models.TextField(blank=True)

    class Meta:
        verbose_name = "lịch sử phản ánh"
        verbose_name_plural = "lịch sử phản ánh"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.feedback_id} {self.action} {self.at:%d/%m/%Y %H:%M}"

    @property
    def action_label(self) -> str:
        return action_label(self.action)


class FeedbackAttachment(models.Model):
    """A photo or PDF the sender sent with the item. The file itself is a documents.StoredFile:
    checked by its content, stored once by its SHA-256, images re-encoded without EXIF, PDFs
    stripped of active content."""

    feedback = models.ForeignKey(Feedback, on_delete=models.PROTECT, related_name="attachments")
    stored_file = models.ForeignKey(
        "documents.StoredFile", on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveSmallIntegerField("thứ tự")
    name = models.CharField("tên tệp", max_length=255)

    class Meta:
        verbose_name = "tệp đính kèm phản ánh"
        verbose_name_plural = "tệp đính kèm phản ánh"
        ordering = ["feedback", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["feedback", "position"], name="feedback_attachment_position_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.feedback_id}/{self.position}: {self.name}"
