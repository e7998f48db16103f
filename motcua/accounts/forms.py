"""Forms for signing in and for the administration of staff. Forms only translate input; the rules
live in motcua.accounts.services and motcua.accounts.permissions."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from motcua.core.client_address import client_ip
from motcua.core.form_fields import PhoneInput

from . import permissions, signin
from .models import SignInFailureReason
from .roles import STAFF_ROLES, Role

STAFF_ROLE_CHOICES = [(value, label) for value, label in Role.choices if value in STAFF_ROLES]


class StaffAuthenticationForm(AuthenticationForm):
    """Back-office sign-in: username and password; only active staff get in."""

    error_messages = {
        "invalid_login": "Tên đăng nhập hoặc mật khẩu không đúng. Vui lòng kiểm tra và thử lại.",
        "inactive": "Tài khoản này đã bị khóa. Vui lòng liên hệ quản trị hệ thống.",
        "not_staff": (
            "Tài khoản này không dùng được cho trang cán bộ. "
            "Công dân, tổ chức vui lòng sử dụng Cổng dịch vụ công."
        ),
    }

    def __init__(self, request=None, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = "Tên đăng nhập"
        self.fields["password"].label = "Mật khẩu"
        self.fields["username"].error_messages["required"] = "Hãy nhập tên đăng nhập."
        self.fields["password"].error_messages["required"] = "Hãy nhập mật khẩu."

    def clean(self):
        """Throttle and lock before the password is checked; log every refusal (signin.py)."""
        username = self.cleaned_data.get("username")
        if username is None or not self.cleaned_data.get("password"):
            return self.cleaned_data
        ip = client_ip(self.request) if self.request is not None else ""
        signin.signin_allowed_check(username, ip)
        try:
            return super().clean()
        except forms.ValidationError as exc:
            reason = (
                SignInFailureReason.NOT_STAFF
                if exc.code == "not_staff"
                else SignInFailureReason.WRONG_PASSWORD
            )
            locked_until = signin.signin_failure_record(username, ip, reason)
            if locked_until is not None:
                raise signin.locked_error(locked_until) from None
            raise

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not permissions.can_enter_backoffice(user):
            raise forms.ValidationError(self.error_messages["not_staff"], code="not_staff")


def unit_choices(units) -> list[tuple[str, str]]:
    """Units in tree order as select options, indented by depth so the hierarchy stays visible."""
    return [
        (str(unit.pk), f"{'— ' * getattr(unit, 'depth', 0)}{unit.name} ({unit.code})")
        for unit in units
    ]


class StaffForm(forms.Form):
    full_name = forms.CharField(label="Họ và tên", max_length=150)
    role = forms.ChoiceField(label="Vai trò", choices=STAFF_ROLE_CHOICES)
    unit_id = forms.ChoiceField(label="Đơn vị")
    # Where the officer's reminders go (SMS, e-mail) besides the in-app list; both optional.
    phone = forms.CharField(
        label="Số điện thoại di động",
        max_length=20,
        required=False,
        widget=PhoneInput(),
        help_text="Nhận nhắc việc hồ sơ sắp đến hạn, quá hạn qua SMS.",
    )
    email = forms.CharField(
        label="Thư điện tử",
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        help_text="Nhận nhắc việc qua thư điện tử.",
    )

    def __init__(self, *args, units=(), **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["unit_id"].choices = [("", "— Chọn đơn vị —"), *unit_choices(units)]
        for field in self.fields.values():
            field.error_messages["required"] = f"Hãy nhập {field.label.lower()}."
        self.fields["unit_id"].error_messages["required"] = "Hãy chọn đơn vị."
        self.fields["role"].error_messages["invalid_choice"] = "Vai trò không hợp lệ."
        self.fields["unit_id"].error_messages["invalid_choice"] = "Đơn vị không hợp lệ."


class StaffCreateForm(StaffForm):
    username = forms.CharField(
        label="Tên đăng nhập",
        max_length=150,
        help_text="Chữ cái không dấu, chữ số và các ký tự @ . + - _",
    )
    password = forms.CharField(
        label="Mật khẩu ban đầu",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="Ít nhất 8 ký tự, không toàn chữ số, không quá phổ biến.",
    )
    field_order = ["username", "full_name", "role", "unit_id", "phone", "email", "password"]


class StaffUpdateForm(StaffForm):
    is_active = forms.BooleanField(label="Đang hoạt động (được phép đăng nhập)", required=False)
    password = forms.CharField(
        label="Mật khẩu mới",
        required=False,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="Để trống nếu không đổi mật khẩu.",
    )
