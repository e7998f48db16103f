from django.conf import settings
from django.db import models

from motcua.core.append_only import AppendOnlyModel


class Direction(models.TextChoices):
    INBOUND = "inbound", "Chiều đến (hồ sơ gửi qua bưu chính)"
    OUTBOUND = "outbound", "Chiều đi (trả kết quả qua bưu chính)"


class ConsignmentStatus(models.TextChoices):
    REQUESTED = "requested", "Công dân đã đăng ký nhận qua bưu chính"
    CREATED = "created", "Đã lập bưu gửi, chờ bàn giao"
    ACCEPTED = "accepted", "Bưu chính đã nhận"
    IN_TRANSIT = "in_transit", "Đang vận chuyển"
    DELIVERED = "delivered", "Đã phát thành công"
    RETURNED_TO_SENDER = "returned_to_sender", "Chuyển hoàn về người gửi"
    RECEIVED_AT_DESK = "received_at_desk", "Đã đến Bộ phận Một cửa"


class Consignment(models.Model):
    """One item of mail carrying a dossier: inbound (the citizen posted the dossier to the desk) or
    outbound (the desk posts the result to the citizen). The number is the operator's UPU S10
    number; the receiver's address uses the official province and ward codes."""

    direction = models.CharField("chiều", max_length=8, choices=Direction.choices)
    operator = models.CharField("doanh nghiệp bưu chính", max_length=16)
    number = models.CharField("số hiệu bưu gửi", max_length=13, blank=True)
    dossier = models.ForeignKey(
        "dossiers.Dossier", on_delete=models.PROTECT, related_name="consignments"
    )
    status = models.CharField("trạng thái", max_length=20, choices=ConsignmentStatus.choices)
    posted_on = models.DateField("ngày gửi", null=True, blank=True)
    arrived_at = models.DateTimeField("đến Bộ phận Một cửa lúc", null=True, blank=True)
    created_at = models.DateTimeField("lập lúc")
    sender_name = models.CharField("người gửi", max_length=255)
    sender_address = models.CharField("địa chỉ người gửi", max_length=500, blank=True)
    receiver_name = models.CharField("người nhận", max_length=255)
    receiver_phone = models.CharField("điện thoại người nhận", max_length=20, blank=True)
    province_code = models.CharField("tỉnh, thành phố", max_length=8, blank=True)
    ward_code = models.CharField("xã, phường", max_length=8, blank=True)
    address_line = models.CharField("số nhà, đường, thôn", max_length=255, blank=True)
    weight_grams = models.PositiveIntegerField("khối lượng (gam)", default=0)
    fee = models.PositiveIntegerField("cước (đồng)", default=0)
    delivered_at = models.DateTimeField("phát lúc", null=True, blank=True)
    delivered_to = models.CharField("người ký nhận", max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "bưu gửi"
        verbose_name_plural = "bưu gửi"
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["dossier", "direction"], name="consignment_dossier_idx"),
            models.Index(fields=["direction", "created_at"], name="consignment_day_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["operator", "number"],
                condition=~models.Q(number=""),
                name="consignment_operator_number_unique",
            ),
            models.CheckConstraint(
                condition=models.Q(direction__in=[d.value for d in Direction]),
                name="consignment_direction_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=[s.value for s in ConsignmentStatus]),
                name="consignment_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.number or f"Bưu gửi #{self.pk}"

    @property
    def address(self) -> str:
        from motcua.core.places import place_name

        return ", ".join(
            p for p in (self.address_line, place_name(self.province_code, self.ward_code)) if p
        )


class EventKind(models.TextChoices):
    ACCEPTED = "accepted", "Bưu chính đã nhận"
    IN_TRANSIT = "in_transit", "Đang vận chuyển"
    DELIVERED = "delivered", "Đã phát thành công"
    RETURNED_TO_SENDER = "returned_to_sender", "Chuyển hoàn về người gửi"


class EventSource(models.TextChoices):
    WEBHOOK = "webhook", "Webhook của doanh nghiệp bưu chính"
    CSV = "csv", "Nhập tệp CSV"
    DESK = "desk", "Bộ phận Một cửa ghi nhận"


class TrackingEvent(AppendOnlyModel):
    """What the postal operator reported about a consignment. Append-only evidence; one row per
    (consignment, operator event id), so a webhook retried or a CSV imported twice adds nothing."""

    consignment = models.ForeignKey(Consignment, on_delete=models.PROTECT, related_name="events")
    operator_event_id = models.CharField("mã sự kiện của bưu chính", max_length=64)
    kind = models.CharField("loại", max_length=20, choices=EventKind.choices)
    at = models.DateTimeField("lúc")
    place = models.CharField("nơi", max_length=255, blank=True)
    note = models.CharField("ghi chú", max_length=500, blank=True)
    signed_by = models.CharField("người ký nhận", max_length=255, blank=True)
    proof_url = models.URLField("ảnh, tệp chứng từ phát", max_length=500, blank=True)
    source = models.CharField("nguồn", max_length=8, choices=EventSource.choices)
    recorded_at = models.DateTimeField("ghi nhận lúc")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    append_only_subject = "Sự kiện bưu gửi"

    class Meta:
        verbose_name = "sự kiện bưu gửi"
        verbose_name_plural = "sự kiện bưu gửi"
        ordering = ["at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["consignment", "operator_event_id"], name="trackingevent_unique_event"
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=[k.value for k in EventKind]),
                name="trackingevent_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.consignment} {self.get_kind_display()} {self.at:%d/%m/%Y %H:%M}"


class WebhookDelivery(models.Model):
    """Each signed webhook request accepted, by its signature: the same request sent again (a
    replay) is refused. Rows older than the timestamp window may be purged: such a request fails
    the window check anyway."""

    operator = models.CharField(max_length=16)
    signature = models.CharField(max_length=64)
    received_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["operator", "signature"], name="webhookdelivery_unique_signature"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.operator} {self.received_at:%d/%m/%Y %H:%M:%S}"
