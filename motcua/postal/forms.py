"""Forms of the postal pages. The intake form IS the desk's intake form (same fields, same checks)
with the envelope's facts added."""

from django import forms
from django.conf import settings

from motcua.core.clock import now
from motcua.core.form_fields import DayMonthYearField, PhoneInput
from motcua.core.places import HOME_PROVINCE_CODE, provinces, wards_of
from motcua.dossiers.intake_forms import IntakeForm

from .models import EventKind
from .services import Address, PostalFacts


def _operator_choices():
    return [(code, config["label"]) for code, config in settings.POSTAL_OPERATORS.items()]


class PostalIntakeForm(IntakeForm):
    operator = forms.ChoiceField(label="Doanh nghiệp bưu chính")
    number = forms.CharField(
        label="Số hiệu bưu gửi",
        max_length=20,
        help_text="13 ký tự in trên phong bì, ví dụ EE123456785VN.",
    )
    posted_on = DayMonthYearField(label="Ngày gửi (dấu bưu điện)", help_text="dd/mm/yyyy")
    arrived_at = forms.DateTimeField(
        label="Hồ sơ đến Bộ phận Một cửa lúc",
        help_text="Thời hạn giải quyết tính từ thời điểm này, không từ ngày gửi.",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )

    POSTAL_FIELDS = ("operator", "number", "posted_on", "arrived_at")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["operator"].choices = _operator_choices()
        self.fields["arrived_at"].initial = now().replace(second=0, microsecond=0)
        self.fields["number"].widget.attrs.update({"autocomplete": "off", "autofocus": True})
        self.fields["citizen_id"].widget.attrs.pop("autofocus", None)
        self.fields["return_channel"].initial = "post"

    def postal_fields(self):
        return [self[name] for name in self.POSTAL_FIELDS]

    def applicant_fields(self):
        return [
            field
            for field in self
            if field.name not in self.POSTAL_FIELDS and not field.name.startswith("component_")
        ]

    def postal_facts(self) -> PostalFacts:
        data = self.cleaned_data
        return PostalFacts(
            number=data["number"],
            posted_on=data["posted_on"],
            arrived_at=data["arrived_at"],
            operator=data["operator"],
        )


class ReturnByPostForm(forms.Form):
    receiver_name = forms.CharField(label="Người nhận", max_length=255)
    phone = forms.CharField(
        label="Số điện thoại người nhận", max_length=20, required=False, widget=PhoneInput
    )
    province_code = forms.ChoiceField(label="Tỉnh, thành phố")
    ward_code = forms.ChoiceField(label="Xã, phường")
    address_line = forms.CharField(label="Số nhà, đường, thôn, xóm", max_length=255)
    weight_grams = forms.IntegerField(
        label="Khối lượng (gam)", min_value=1, max_value=30000, initial=100
    )
    operator = forms.ChoiceField(label="Doanh nghiệp bưu chính")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        province = (
            (self.data.get("province_code") if self.is_bound else None)
            or self.initial.get("province_code")
            or HOME_PROVINCE_CODE
        )
        self.fields["province_code"].choices = provinces()
        self.fields["ward_code"].choices = [("", "— Chọn xã, phường —"), *wards_of(province)]
        self.fields["operator"].choices = _operator_choices()
        self.fields["ward_code"].error_messages["invalid_choice"] = (
            "Hãy chọn xã, phường thuộc tỉnh, thành phố đã chọn."
        )
        self.fields["province_code"].error_messages["invalid_choice"] = (
            "Hãy chọn tỉnh, thành phố trong danh mục."
        )

    def address(self) -> Address:
        data = self.cleaned_data
        return Address(
            receiver_name=data["receiver_name"],
            province_code=data["province_code"],
            ward_code=data["ward_code"],
            address_line=data["address_line"],
            phone=data["phone"],
        )


class DeskEventForm(forms.Form):
    """What the desk itself learns of a consignment (the envelope came back to the desk, the
    operator telephoned a delivery)."""

    kind = forms.ChoiceField(label="Sự kiện", choices=EventKind.choices)
    at = forms.DateTimeField(
        label="Lúc",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    signed_by = forms.CharField(label="Người ký nhận (khi đã phát)", max_length=255, required=False)
    note = forms.CharField(
        label="Ghi chú (ví dụ lý do chuyển hoàn)", max_length=500, required=False
    )


class EventsImportForm(forms.Form):
    file = forms.FileField(label="Tệp CSV sự kiện bưu gửi (UTF-8)")
    operator = forms.ChoiceField(label="Doanh nghiệp bưu chính")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["operator"].choices = _operator_choices()
