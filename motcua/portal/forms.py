"""Forms of the citizen's account pages. They only translate input: the rules live in
motcua.accounts.one_time_codes and motcua.portal.services."""

from django import forms

from motcua.core.form_fields import (
    DayMonthYearField,
    DayMonthYearInput,
    IdNumberInput,
    OneTimeCodeInput,
    PhoneInput,
)
from motcua.dossiers.models import ChannelKind

from .models import ScoreChoice


class PortalForm(forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if field.label:
                field.error_messages["required"] = f"Hãy nhập {field.label.lower()}."


class DestinationForm(PortalForm):
    destination = forms.CharField(
        label="Số điện thoại hoặc thư điện tử",
        max_length=254,
        help_text="Ví dụ 0912 345 678 hoặc ten@vi-du.vn. Chúng tôi gửi mã xác thực 6 chữ số.",
        widget=forms.TextInput(attrs={"autocomplete": "username", "inputmode": "email"}),
    )


class CodeForm(PortalForm):
    code = forms.CharField(
        label="Mã xác thực",
        max_length=12,
        help_text="6 chữ số trong tin nhắn hoặc thư vừa gửi; mã có hiệu lực 5 phút.",
        widget=OneTimeCodeInput(attrs={"pattern": "[0-9 ]*"}),
    )


class ProfileForm(PortalForm):
    full_name = forms.CharField(label="Họ và tên", max_length=150)
    citizen_id = forms.CharField(
        label="Số định danh cá nhân (CCCD)",
        max_length=14,
        required=False,
        help_text="12 chữ số; dùng để điền sẵn khi nộp hồ sơ.",
        widget=IdNumberInput,
    )
    phone_channel = forms.ChoiceField(
        label="Nhận tin nhắn qua",
        choices=[("sms", "Tin nhắn SMS"), ("zalo", "Zalo (nếu không gửi được sẽ gửi SMS)")],
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Hãy chọn nhận tin qua SMS hoặc Zalo."},
    )


NOTIFY_CHOICES = [("sms", "Tin nhắn SMS"), ("email", "Thư điện tử")]
RETURN_LABELS = {
    ChannelKind.ONLINE: "Nhận trực tuyến (tải về trên trang này)",
    ChannelKind.DESK: "Nhận trực tiếp tại Bộ phận Một cửa",
    ChannelKind.POST: "Nhận qua dịch vụ bưu chính công ích",
}


class ApplicationForm(PortalForm):
    full_name = forms.CharField(label="Họ và tên người nộp", max_length=255)
    citizen_id = forms.CharField(
        label="Số định danh cá nhân (CCCD)",
        max_length=14,
        help_text="12 chữ số.",
        widget=IdNumberInput,
    )
    date_of_birth = DayMonthYearField(
        label="Ngày sinh",
        required=False,
        help_text="Viết dạng dd/mm/yyyy, ví dụ 25/12/1990.",
        widget=DayMonthYearInput(attrs={"autocomplete": "bday"}),
    )
    phone = forms.CharField(label="Số điện thoại", max_length=20, required=False, widget=PhoneInput)
    email = forms.EmailField(label="Thư điện tử", required=False)
    address_line = forms.CharField(
        label="Địa chỉ",
        max_length=255,
        required=False,
        help_text="Số nhà, thôn/xóm, xã/phường, tỉnh — cần khi nhận kết quả qua bưu chính.",
    )
    return_channel = forms.ChoiceField(label="Hình thức nhận kết quả", widget=forms.RadioSelect)
    notify_channel = forms.ChoiceField(
        label="Nhận thông báo qua", choices=NOTIFY_CHOICES, widget=forms.RadioSelect
    )

    def __init__(self, *args, version=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].error_messages["invalid"] = "Địa chỉ thư điện tử không hợp lệ."
        self.fields["return_channel"].choices = [
            (c, RETURN_LABELS[c])
            for c in (version.return_channels if version else [])
            if c in RETURN_LABELS
        ]
        self.fields["return_channel"].error_messages["required"] = (
            "Hãy chọn hình thức nhận kết quả."
        )
        self.fields["notify_channel"].error_messages["required"] = "Hãy chọn cách nhận thông báo."


class WithdrawForm(PortalForm):
    reason = forms.CharField(
        label="Lý do rút hồ sơ", max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class SupplementForm(PortalForm):
    note = forms.CharField(
        label="Ghi chú cho Bộ phận Một cửa",
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


RATING_QUESTIONS = (
    (
        "time_score",
        "Thời gian trả kết quả so với giấy hẹn",
        ("Sớm hơn hẹn", "Đúng hẹn", "Muộn hơn hẹn"),
    ),
    (
        "contacts_score",
        "Số lần ông/bà phải liên hệ để hoàn thiện hồ sơ",
        ("Không lần nào", "Một lần", "Nhiều hơn một lần"),
    ),
    (
        "bodies_score",
        "Số cơ quan ông/bà phải liên hệ",
        ("Không phải đến cơ quan nào", "Chỉ Bộ phận Một cửa", "Nhiều cơ quan"),
    ),
    (
        "attitude_score",
        "Thái độ của cán bộ",
        ("Nhiệt tình, chu đáo", "Đúng mực", "Gây phiền hà, sách nhiễu"),
    ),
    (
        "online_score",
        "Dịch vụ công trực tuyến",
        ("Dễ sử dụng", "Dùng được nhưng còn khó", "Không dùng được"),
    ),
)


class RatingForm(PortalForm):
    comment = forms.CharField(
        label="Góp ý thêm (không bắt buộc)",
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        scores = (ScoreChoice.GOOD, ScoreChoice.FAIR, ScoreChoice.POOR)
        for name, label, answers in RATING_QUESTIONS:
            self.fields[name] = forms.TypedChoiceField(
                label=label,
                choices=[(int(s), answer) for s, answer in zip(scores, answers, strict=True)],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": "Hãy chọn một mức đánh giá.",
                    "invalid_choice": "Hãy chọn một mức đánh giá.",
                },
            )
        self.order_fields([name for name, _, _ in RATING_QUESTIONS] + ["comment"])


class PostalAddressForm(PortalForm):
    receiver_name = forms.CharField(label="Người nhận", max_length=255)
    phone = forms.CharField(
        label="Số điện thoại người nhận", max_length=20, required=False, widget=PhoneInput
    )
    province_code = forms.ChoiceField(label="Tỉnh, thành phố")
    ward_code = forms.ChoiceField(label="Xã, phường")
    address_line = forms.CharField(label="Số nhà, đường, thôn, xóm", max_length=255)

    def __init__(self, *args, province_code="", **kwargs):
        from motcua.core.places import provinces, wards_of

        super().__init__(*args, **kwargs)
        self.fields["province_code"].choices = provinces()
        self.fields["ward_code"].choices = [("", "— Chọn xã, phường —"), *wards_of(province_code)]
        self.fields["province_code"].error_messages["required"] = "Hãy chọn tỉnh, thành phố."
        self.fields["ward_code"].error_messages["required"] = "Hãy chọn xã, phường."
        for name in ("province_code", "ward_code"):
            self.fields[name].error_messages["invalid_choice"] = (
                "Hãy chọn xã, phường thuộc tỉnh, thành phố đã chọn."
            )
