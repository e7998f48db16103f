"""What the catalogue pull, the ratings summary and the Q&A exchange with the national portal keep
(issue [I] 5 and 7, ADR 0037). Imported by models.py so that Django finds them.

* `CatalogPull` — one reading of the portal's catalogue (LayDanhSachTTHC, then LayThuTuc of each
  procedure we hold), with the list it read and what was wrong in it; `CatalogDifference` — per
  procedure of ours: the version in force compared, the national record as read, what differs, and
  the administrator's decision (accepted as a new catalogue version, or rejected), never silent.
* `RatingSummarySent` — the month whose satisfaction summary (DongBoDanhGia) the portal accepted.
* `FaqSent` — a published PAKN item the portal accepted (DongBoHoiDap); `PortalQuestion` — a
  question fetched from the portal (LayDanhSachHoiDapGuiTuDVCQG) and the PAKN item it became.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class CatalogPull(models.Model):
    started_at = models.DateTimeField("bắt đầu lúc")
    finished_at = models.DateTimeField("kết thúc lúc")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người thực hiện",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    ok = models.BooleanField("đọc được danh mục")
    message = models.TextField("lỗi", blank=True)
    # LayDanhSachTTHC as read: [{"MATTHC", "TENTTHC"}] (rows with a code only)
    national_list = models.JSONField("danh sách TTHC của Cổng", default=list, blank=True)
    # What was wrong in the list (a row without MATTHC, a code twice…), in Vietnamese
    problems = models.JSONField("dòng không dùng được", default=list, blank=True)

    class Meta:
        verbose_name = "lần đối chiếu danh mục với Cổng DVCQG"
        verbose_name_plural = "các lần đối chiếu danh mục với Cổng DVCQG"
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.started_at:%d/%m/%Y %H:%M} {'ok' if self.ok else 'lỗi'}"


# The aspects compared, in the order they are shown (a jsonb object does not keep its keys' order).
ASPECT_ORDER = ("name", "time", "fees", "channels", "components")


class MatchKind(models.TextChoices):
    SAME = "same", "Giống Cổng DVCQG"
    DIFFERS = "differs", "Khác Cổng DVCQG"
    UNMATCHED = "unmatched", "Chưa ánh xạ mã TTHC quốc gia"
    ABSENT = "absent", "Mã không có trong danh sách của Cổng"
    ERROR = "error", "Không đọc được thủ tục từ Cổng"


class Review(models.TextChoices):
    NONE = "", "Không cần xem xét"
    PENDING = "pending", "Chờ xem xét"
    ACCEPTED = "accepted", "Đã chấp nhận (phiên bản mới)"
    REJECTED = "rejected", "Đã không chấp nhận"


class CatalogDifference(models.Model):
    pull = models.ForeignKey(CatalogPull, on_delete=models.CASCADE, related_name="items")
    procedure = models.ForeignKey(
        "catalog.Procedure", verbose_name="thủ tục", on_delete=models.PROTECT, related_name="+"
    )
    version = models.ForeignKey(
        "catalog.ProcedureVersion",
        verbose_name="phiên bản đang hiệu lực đã so sánh",
        on_delete=models.PROTECT,
        related_name="+",
    )
    national_code = models.CharField("mã TTHC quốc gia", max_length=16, blank=True)
    kind = models.CharField("kết quả đối chiếu", max_length=12, choices=MatchKind.choices)
    national = models.JSONField("bản ghi LayThuTuc", default=dict, blank=True)
    # aspect → {"label", "ours", "national", "applicable", "note"}; only the aspects that differ
    differences = models.JSONField("khác biệt", default=dict, blank=True)
    notes = models.JSONField("điều không so sánh được", default=list, blank=True)
    message = models.TextField("lỗi", blank=True)
    review = models.CharField(
        "xem xét", max_length=10, choices=Review.choices, default=Review.NONE, blank=True
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField("xem xét lúc", null=True, blank=True)
    decision_number = models.CharField("số quyết định", max_length=64, blank=True)
    decision_signed_on = models.DateField("ngày ký quyết định", null=True, blank=True)
    review_note = models.TextField("ghi chú, lý do", blank=True)
    accepted_aspects = models.JSONField("nội dung đã chấp nhận", default=list, blank=True)
    new_version = models.ForeignKey(
        "catalog.ProcedureVersion",
        verbose_name="phiên bản mới",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "khác biệt danh mục với Cổng DVCQG"
        verbose_name_plural = "khác biệt danh mục với Cổng DVCQG"
        ordering = ["pull", "procedure__code"]
        constraints = [
            models.UniqueConstraint(fields=["pull", "procedure"], name="dvcqg_diff_unique"),
            models.CheckConstraint(
                condition=Q(kind__in=MatchKind.values), name="dvcqg_diff_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(review__in=Review.values), name="dvcqg_diff_review_valid"
            ),
            models.CheckConstraint(
                condition=Q(new_version__isnull=True) | Q(review=Review.ACCEPTED),
                name="dvcqg_diff_version_only_accepted",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.procedure_id} {self.kind}"

    @property
    def ordered_differences(self) -> list[tuple[str, dict]]:
        return [(key, self.differences[key]) for key in ASPECT_ORDER if key in self.differences]


class RatingSummarySent(models.Model):
    month = models.DateField("tháng (ngày đầu tháng)", unique=True)
    sent_at = models.DateTimeField("gửi lúc")
    raters = models.PositiveIntegerField("số người đánh giá")
    items = models.JSONField("các mục đã gửi", default=list)

    class Meta:
        verbose_name = "tổng hợp đánh giá đã gửi Cổng DVCQG"
        verbose_name_plural = "tổng hợp đánh giá đã gửi Cổng DVCQG"
        ordering = ["-month"]

    def __str__(self) -> str:
        return f"{self.month:%m/%Y}"


class FaqSent(models.Model):
    feedback = models.OneToOneField(
        "feedback.Feedback", on_delete=models.PROTECT, related_name="dvcqg_faq"
    )
    sent_at = models.DateTimeField("gửi lúc")

    class Meta:
        verbose_name = "hỏi đáp đã gửi Cổng DVCQG"
        verbose_name_plural = "hỏi đáp đã gửi Cổng DVCQG"

    def __str__(self) -> str:
        return str(self.feedback_id)


class PortalQuestion(models.Model):
    portal_id = models.CharField("HOIDAPID trên Cổng", max_length=64, unique=True)
    # Null when the question could not become a PAKN item: it is remembered with the reason, so
    # it is reported once and not on every run after (nobody here can correct the portal's data).
    feedback = models.OneToOneField(
        "feedback.Feedback",
        on_delete=models.PROTECT,
        related_name="dvcqg_question",
        null=True,
        blank=True,
    )
    refused_reason = models.TextField("lý do không nhận vào PAKN", blank=True)
    fetched_at = models.DateTimeField("lấy về lúc")
    # When the answer went back to the portal (DongBoKetQuaHoiDapGuiTuDVCQG); null: not yet
    answer_sent_at = models.DateTimeField("gửi trả lời lúc", null=True, blank=True)

    class Meta:
        verbose_name = "câu hỏi nhận từ Cổng DVCQG"
        verbose_name_plural = "câu hỏi nhận từ Cổng DVCQG"

    def __str__(self) -> str:
        return self.portal_id
