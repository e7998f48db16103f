from django.conf import settings
from django.db import models


class Channel(models.TextChoices):
    EMAIL = "email", "Thư điện tử"
    SMS = "sms", "Tin nhắn SMS"
    ZALO = "zalo", "Tin nhắn Zalo"
    # A notice kept for an officer and shown on their home page: it needs no gateway to "arrive".
    IN_APP = "in_app", "Thông báo trên trang"


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", "Chờ gửi"
    SENT = "sent", "Đã gửi"
    FAILED = "failed", "Gửi lỗi"


class Notification(models.Model):
    """One message to one address, with its delivery outcome — so a message that never left is seen."""

    channel = models.CharField("kênh", max_length=8, choices=Channel.choices)
    to = models.CharField("người nhận", max_length=254)
    subject = models.CharField("tiêu đề", max_length=255, blank=True)
    body = models.TextField("nội dung")
    reference = models.CharField("liên quan", max_length=64, blank=True, db_index=True)
    # One message per event: a status change queued twice (a retried request, a second code path)
    # finds its key taken and sends nothing more. Empty for messages that are not events.
    event_key = models.CharField("sự kiện", max_length=64, blank=True)
    status = models.CharField(
        "trạng thái", max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.QUEUED
    )
    attempts = models.PositiveSmallIntegerField("số lần gửi", default=0)
    provider_message_id = models.CharField("mã tin của nhà cung cấp", max_length=128, blank=True)
    error = models.TextField("lỗi", blank=True)
    # The channel that actually carried the message: differs from `channel` when a Zalo message
    # could not be sent and went by SMS instead (ADR 0024).
    delivered_via = models.CharField("kênh đã gửi", max_length=8, blank=True)
    # For in-app notices: whose list it appears in, and when they marked it seen.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người nhận (trên trang)",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notices",
    )
    read_at = models.DateTimeField("đã xem lúc", null=True, blank=True)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    sent_at = models.DateTimeField("gửi lúc", null=True, blank=True)

    class Meta:
        verbose_name = "thông báo"
        verbose_name_plural = "thông báo"
        indexes = [
            models.Index(fields=["status", "created_at"], name="notification_status_idx"),
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(channel__in=[c.value for c in Channel]),
                name="notification_channel_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=[s.value for s in DeliveryStatus]),
                name="notification_status_valid",
            ),
            models.UniqueConstraint(
                fields=["event_key"],
                condition=~models.Q(event_key=""),
                name="notification_event_key_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} → {self.to}"
