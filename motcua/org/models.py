from django.core.validators import RegexValidator
from django.db import models

# QCVN 102:2016/BTTTT identifier: V1V2V3.Z1Z2.Y1Y2.MX1X2, zeros where a level is unused,
# e.g. 000.00.00.H27 (a province: Hà Tĩnh), 000.00.12.H27 (a department), 000.01.12.H27 (its division).
# The last group (MX1X2) names the level-1 unit, i.e. the province a unit belongs to.
UNIT_CODE_PATTERN = r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}$"
unit_code_validator = RegexValidator(
    UNIT_CODE_PATTERN,
    "Mã định danh đơn vị phải có dạng 000.00.00.H00 theo QCVN 102:2016/BTTTT.",
)


class UnitKind(models.TextChoices):
    PROVINCE = "province", "UBND tỉnh"
    DEPARTMENT = "department", "Sở, ngành"
    DIVISION = "division", "Phòng, ban thuộc Sở"
    CENTRE = "centre", "Đơn vị sự nghiệp, trung tâm"
    SERVICE_CENTRE = "service_centre", "Trung tâm Phục vụ hành chính công"
    DISTRICT = "district", "UBND cấp huyện (đến 30/6/2025)"
    COMMUNE = "commune", "UBND cấp xã"
    OTHER_AGENCY = "other_agency", "Cơ quan khác"


class Unit(models.Model):
    """An agency or a unit inside one, in a tree: UBND tỉnh → Sở Tư pháp → its divisions, centres."""

    code = models.CharField(
        "mã định danh", max_length=20, unique=True, validators=[unit_code_validator]
    )
    name = models.CharField("tên đơn vị", max_length=255)
    short_name = models.CharField("tên viết tắt", max_length=64, blank=True)
    kind = models.CharField("loại đơn vị", max_length=32, choices=UnitKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name="đơn vị cấp trên",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    sort_order = models.PositiveIntegerField("thứ tự", default=0)
    is_active = models.BooleanField("đang hoạt động", default=True)

    class Meta:
        verbose_name = "đơn vị"
        verbose_name_plural = "đơn vị"
        ordering = ["sort_order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=[k.value for k in UnitKind]), name="unit_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def province_code(self) -> str:
        """The level-1 part of the code (MX1X2, e.g. "H27"): the province the unit belongs to."""
        return self.code.rsplit(".", 1)[-1]
