"""Forms of the HR pages: shapes only; the rules are in services.py."""

from django import forms

from motcua.core.form_fields import DayMonthYearField

from .models import (
    AppointmentKind,
    Category,
    DegreeLevel,
    Gender,
    PoliticalTheory,
    SalaryRaiseStatus,
    StateManagement,
)

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]


def _date(label: str, required=True) -> forms.DateField:
    field = DayMonthYearField(label=label, required=required, help_text="")
    field.error_messages["invalid"] = "Ngày phải có dạng dd/mm/yyyy, ví dụ 30/06/2023."
    return field


class _Form(forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages["required"] = "Vui lòng nhập thông tin này."
            field.error_messages["invalid_choice"] = "Lựa chọn không hợp lệ."
            if isinstance(field, forms.CharField):
                field.error_messages["max_length"] = "Tối đa %(limit_value)d ký tự."
            if isinstance(field, forms.IntegerField):
                field.error_messages["invalid"] = "Hãy nhập một số nguyên."
                field.error_messages["min_value"] = "Không nhỏ hơn %(limit_value)s."
                field.error_messages["max_value"] = "Không lớn hơn %(limit_value)s."


def post_choices(posts) -> list:
    return [("", "— Chọn vị trí —")] + [
        (p.pk, f"{p.unit.short_name or p.unit.name} — {p.title} ({p.get_category_display()})")
        for p in posts
    ]


class PostForm(_Form):
    unit = forms.TypedChoiceField(label="Đơn vị", coerce=int)
    title = forms.CharField(label="Vị trí việc làm", max_length=150)
    category = forms.ChoiceField(label="Loại", choices=Category.choices)
    quota = forms.IntegerField(label="Chỉ tiêu (số người)", min_value=1, max_value=999)
    valid_from = _date("Có từ ngày")

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", "— Chọn đơn vị —")] + [
            (u.pk, "— " * getattr(u, "depth", 0) + u.name) for u in units
        ]


class StaffForm(_Form):
    full_name = forms.CharField(label="Họ và tên", max_length=150)
    birth_date = _date("Ngày sinh")
    gender = forms.ChoiceField(label="Giới tính", choices=Gender.choices)
    category = forms.ChoiceField(label="Loại", choices=Category.choices)
    post = forms.TypedChoiceField(label="Vị trí việc làm", coerce=int)
    position = forms.CharField(
        label="Chức vụ (nếu khác tên vị trí)", max_length=150, required=False
    )
    rank = forms.CharField(label="Ngạch, chức danh nghề nghiệp", max_length=150, required=False)
    start_date = _date("Ngày vào làm việc")
    placed_on = _date("Ngày nhận vị trí (nếu sau ngày vào làm việc)", required=False)
    political_theory = forms.ChoiceField(
        label="Lý luận chính trị", choices=PoliticalTheory.choices, required=False
    )
    state_management = forms.ChoiceField(
        label="Quản lý nhà nước", choices=StateManagement.choices, required=False
    )
    account = forms.TypedChoiceField(
        label="Tài khoản đăng nhập (nếu có)", coerce=int, required=False, empty_value=None
    )

    def __init__(self, *args, posts=(), accounts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["post"].choices = post_choices(posts)
        self.fields["account"].choices = [("", "— Không có —")] + [
            (a.pk, f"{a} ({a.username})") for a in accounts
        ]


class QualificationForm(_Form):
    level = forms.ChoiceField(label="Trình độ", choices=DegreeLevel.choices)
    field = forms.CharField(label="Chuyên ngành", max_length=150)
    awarded_on = _date("Ngày cấp", required=False)


class CourseForm(_Form):
    name = forms.CharField(label="Lớp, khóa học", max_length=255)
    starts_on = _date("Từ ngày")
    ends_on = _date("Đến ngày", required=False)


class AppointmentForm(_Form):
    kind = forms.ChoiceField(label="Loại", choices=AppointmentKind.choices)
    position = forms.CharField(label="Chức vụ", max_length=150)
    decided_on = _date("Ngày quyết định")
    decision_number = forms.CharField(label="Số quyết định", max_length=64)


class SalaryRaiseForm(_Form):
    status = forms.ChoiceField(label="Tình trạng", choices=SalaryRaiseStatus.choices)
    decided_on = _date("Ngày")
    decision_number = forms.CharField(label="Số văn bản", max_length=64, required=False)


class RotationForm(_Form):
    to_post = forms.TypedChoiceField(label="Vị trí mới", coerce=int)
    moved_on = _date("Ngày chuyển")
    position = forms.CharField(label="Chức vụ mới (nếu khác)", max_length=150, required=False)
    decision_number = forms.CharField(label="Số quyết định", max_length=64, required=False)

    def __init__(self, *args, posts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_post"].choices = post_choices(posts)


class LeaveForm(_Form):
    end_date = _date("Ngày thôi việc")
