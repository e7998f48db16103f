"""Posts and quotas per unit, staff (HR) records and their history: qualifications, political
theory, courses, appointments, early salary raises, rotations. Head counts and vacancies at any
date are selectors over `Placement` (who filled which post from when to when).

An HR record is not a login account: many staff never sign in. `StaffMember.account` links the two
when the person has one.
"""

from django.conf import settings
from django.db import models


class Category(models.TextChoices):
    CIVIL_SERVANT = "civil_servant", "Công chức"
    PUBLIC_EMPLOYEE = "public_employee", "Viên chức"
    WORKER = "worker", "Người lao động (Nghị định 68)"


class Gender(models.TextChoices):
    MALE = "male", "Nam"
    FEMALE = "female", "Nữ"


class DegreeLevel(models.TextChoices):
    # Ordered from highest to lowest: RANK gives the order for "highest qualification".
    DOCTOR = "doctor", "Tiến sĩ"
    MASTER = "master", "Thạc sĩ"
    BACHELOR = "bachelor", "Đại học"
    COLLEGE = "college", "Cao đẳng"
    INTERMEDIATE = "intermediate", "Trung cấp"
    VOCATIONAL = "vocational", "Sơ cấp, chứng chỉ nghề"


DEGREE_RANK = {level.value: rank for rank, level in enumerate(DegreeLevel)}


class PoliticalTheory(models.TextChoices):
    NONE = "", "Chưa qua đào tạo"
    ADVANCED = "advanced", "Cao cấp"
    INTERMEDIATE = "intermediate", "Trung cấp"
    ELEMENTARY = "elementary", "Sơ cấp"


class StateManagement(models.TextChoices):
    NONE = "", "Chưa qua bồi dưỡng"
    SENIOR = "senior", "Chuyên viên cao cấp"
    PRINCIPAL = "principal", "Chuyên viên chính"
    SPECIALIST = "specialist", "Chuyên viên"


class Post(models.Model):
    """A post in a unit (Trưởng phòng, Chuyên viên…) with how many people it is for."""

    unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="posts")
    title = models.CharField("vị trí việc làm", max_length=150)
    category = models.CharField("loại", max_length=16, choices=Category.choices)
    quota = models.PositiveSmallIntegerField("chỉ tiêu")
    valid_from = models.DateField("có từ ngày")
    valid_to = models.DateField("đến ngày", null=True, blank=True)

    class Meta:
        verbose_name = "vị trí, chỉ tiêu"
        verbose_name_plural = "vị trí, chỉ tiêu"
        ordering = ["unit__sort_order", "unit__code", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(category__in=[c.value for c in Category]),
                name="post_category_valid",
            ),
            models.CheckConstraint(condition=models.Q(quota__gte=1), name="post_quota_positive"),
            models.UniqueConstraint(fields=["unit", "title", "category"], name="post_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.title} — {self.unit}"


class StaffMember(models.Model):
    full_name = models.CharField("họ và tên", max_length=150)
    name_folded = models.CharField(max_length=150, db_index=True)
    birth_date = models.DateField("ngày sinh")
    gender = models.CharField("giới tính", max_length=8, choices=Gender.choices)
    category = models.CharField("loại", max_length=16, choices=Category.choices)
    rank = models.CharField("ngạch, chức danh nghề nghiệp", max_length=150, blank=True)
    political_theory = models.CharField(
        "lý luận chính trị", max_length=16, choices=PoliticalTheory.choices, blank=True
    )
    state_management = models.CharField(
        "quản lý nhà nước", max_length=16, choices=StateManagement.choices, blank=True
    )
    start_date = models.DateField("ngày vào làm việc")
    end_date = models.DateField("ngày thôi việc", null=True, blank=True)
    account = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="tài khoản đăng nhập",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff_record",
    )

    class Meta:
        verbose_name = "hồ sơ cán bộ"
        verbose_name_plural = "hồ sơ cán bộ"
        ordering = ["name_folded", "pk"]
        # Organisation officers (cán bộ tổ chức) get this through a group; administrators and
        # department leaders have it by role.
        permissions = [("manage_records", "Quản lý hồ sơ cán bộ, vị trí và chỉ tiêu")]
        indexes = [models.Index(fields=["start_date", "end_date"], name="staff_period_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(category__in=[c.value for c in Category]),
                name="staff_category_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gt=models.F("start_date")),
                name="staff_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name


class Placement(models.Model):
    """A staff member in a post from `start_date` to the day before `end_date` (open if null)."""

    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="placements")
    post = models.ForeignKey(Post, on_delete=models.PROTECT, related_name="placements")
    position = models.CharField("chức vụ", max_length=150, blank=True)
    start_date = models.DateField("từ ngày")
    end_date = models.DateField("đến ngày", null=True, blank=True)

    class Meta:
        verbose_name = "bố trí công tác"
        verbose_name_plural = "bố trí công tác"
        ordering = ["start_date", "pk"]
        indexes = [
            models.Index(fields=["post", "start_date", "end_date"], name="placement_post_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.staff_id} → {self.post_id} từ {self.start_date:%d/%m/%Y}"


class Qualification(models.Model):
    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="qualifications")
    level = models.CharField("trình độ", max_length=16, choices=DegreeLevel.choices)
    field = models.CharField("chuyên ngành", max_length=150)
    is_law = models.BooleanField("chuyên ngành Luật", default=False)
    awarded_on = models.DateField("ngày cấp", null=True, blank=True)

    class Meta:
        verbose_name = "trình độ chuyên môn"
        verbose_name_plural = "trình độ chuyên môn"
        ordering = ["staff", "pk"]

    def __str__(self) -> str:
        return f"{self.get_level_display()} {self.field}"


class Course(models.Model):
    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="courses")
    name = models.CharField("lớp, khóa học", max_length=255)
    starts_on = models.DateField("từ ngày")
    ends_on = models.DateField("đến ngày", null=True, blank=True)

    class Meta:
        verbose_name = "lớp bồi dưỡng"
        verbose_name_plural = "lớp bồi dưỡng"
        ordering = ["staff", "starts_on"]

    def __str__(self) -> str:
        return self.name


class AppointmentKind(models.TextChoices):
    APPOINTMENT = "appointment", "Bổ nhiệm"
    REAPPOINTMENT = "reappointment", "Bổ nhiệm lại"


class Appointment(models.Model):
    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="appointments")
    kind = models.CharField("loại", max_length=16, choices=AppointmentKind.choices)
    position = models.CharField("chức vụ", max_length=150)
    decided_on = models.DateField("ngày quyết định")
    decision_number = models.CharField("số quyết định", max_length=64)

    class Meta:
        verbose_name = "bổ nhiệm"
        verbose_name_plural = "bổ nhiệm"
        ordering = ["staff", "decided_on"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.position} ({self.decision_number})"


class SalaryRaiseStatus(models.TextChoices):
    PROPOSED = "proposed", "Đề nghị"
    GRANTED = "granted", "Đã nâng"


class SalaryRaise(models.Model):
    """An early salary raise (nâng bậc lương trước thời hạn), proposed or granted."""

    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="salary_raises")
    status = models.CharField("tình trạng", max_length=12, choices=SalaryRaiseStatus.choices)
    decided_on = models.DateField("ngày")
    decision_number = models.CharField("số văn bản", max_length=64, blank=True)

    class Meta:
        verbose_name = "nâng lương trước thời hạn"
        verbose_name_plural = "nâng lương trước thời hạn"
        ordering = ["staff", "decided_on"]

    def __str__(self) -> str:
        return f"{self.get_status_display()} {self.decided_on:%d/%m/%Y}"


class Rotation(models.Model):
    """A move to another unit (luân chuyển, chuyển đổi vị trí): closes one placement, opens one."""

    staff = models.ForeignKey(StaffMember, on_delete=models.CASCADE, related_name="rotations")
    from_unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    to_unit = models.ForeignKey("org.Unit", on_delete=models.PROTECT, related_name="+")
    moved_on = models.DateField("ngày chuyển")
    decision_number = models.CharField("số quyết định", max_length=64, blank=True)

    class Meta:
        verbose_name = "luân chuyển, chuyển đổi vị trí"
        verbose_name_plural = "luân chuyển, chuyển đổi vị trí"
        ordering = ["staff", "moved_on"]

    def __str__(self) -> str:
        return f"{self.from_unit_id} → {self.to_unit_id} {self.moved_on:%d/%m/%Y}"
