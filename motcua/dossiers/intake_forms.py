"""The intake form of a dossier handed in on paper: the applicant, the components brought, the return
channel. The desk's intake page (motcua.backoffice) and the postal intake page (motcua.postal, which
adds the envelope's facts) share it, so it lives with the dossiers it builds, not in a view module.
It only collects the input: every rule is checked by motcua.dossiers.services.dossier_receive."""

from django import forms

from motcua.core.form_fields import DayMonthYearField, IdNumberInput, PhoneInput
from motcua.core.places import HOME_PROVINCE_CODE, provinces, wards_of

from .models import ApplicantKind, ChannelKind
from .services import ApplicantData, ComponentData, IntakeData, Resolution


class IntakeForm(forms.Form):
    applicant_kind = forms.ChoiceField(
        label="Người nộp là",
        choices=ApplicantKind.choices,
        initial=ApplicantKind.PERSON,
        widget=forms.RadioSelect,
    )
    citizen_id = forms.CharField(
        label="Số định danh cá nhân (CCCD)",
        max_length=20,
        required=False,
        help_text="Với tổ chức: số định danh của người đến nộp (nếu có).",
        widget=IdNumberInput,
    )
    tax_code = forms.CharField(
        label="Mã số doanh nghiệp / mã số thuế (tổ chức)",
        max_length=14,
        required=False,
        widget=IdNumberInput(attrs={"pattern": "[0-9-]*"}),
    )
    full_name = forms.CharField(label="Họ và tên (hoặc tên tổ chức)", max_length=255)
    date_of_birth = DayMonthYearField(label="Ngày sinh", required=False)
    phone = forms.CharField(label="Số điện thoại", max_length=20, required=False, widget=PhoneInput)
    email = forms.EmailField(label="Thư điện tử", required=False)
    province_code = forms.ChoiceField(label="Tỉnh, thành phố")
    ward_code = forms.ChoiceField(label="Xã, phường", required=False)
    address_line = forms.CharField(label="Số nhà, đường, thôn, xóm", max_length=255, required=False)
    return_channel = forms.ChoiceField(label="Nhận kết quả tại")
    dossier_sets = forms.IntegerField(label="Số bộ hồ sơ", min_value=1, max_value=99, initial=1)
    # Shown only when the ID number is on record with another name or birth date (the conflict).
    applicant_resolution = forms.ChoiceField(
        label="Cách xử lý",
        choices=[
            (Resolution.STORED, "Sửa lỗi nhập: dùng thông tin đã lưu của người nộp"),
            (Resolution.UPDATE, "Cập nhật thông tin người nộp theo thông tin vừa nhập"),
        ],
        required=False,
        widget=forms.RadioSelect,
    )
    applicant_change_reason = forms.CharField(
        label="Lý do cập nhật",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Bắt buộc khi cập nhật, ví dụ: đổi họ tên theo quyết định số …",
    )
    CONFLICT_FIELDS = ("applicant_resolution", "applicant_change_reason")

    def __init__(self, *args, version, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.version = version
        province = (self.data.get("province_code") if self.is_bound else None) or self.initial.get(
            "province_code", HOME_PROVINCE_CODE
        )
        self._choice("province_code").choices = provinces()
        self.fields["province_code"].initial = HOME_PROVINCE_CODE
        self._choice("ward_code").choices = [("", "— Chọn xã, phường —"), *wards_of(province)]
        self._choice("return_channel").choices = [
            (c, ChannelKind(c).label) for c in version.return_channels
        ]
        self.fields["citizen_id"].widget.attrs["autofocus"] = True
        for component in version.components.all():
            self.fields[f"component_{component.order}"] = forms.BooleanField(
                label=f"{component.name} ({component.get_form_display().lower()})",
                required=False,
                initial=component.mandatory,
            )
            self.fields[f"component_{component.order}_count"] = forms.IntegerField(
                label="Số lượng", min_value=1, max_value=99, initial=component.count
            )
        self.fields["full_name"].error_messages["required"] = "Hãy nhập họ và tên người nộp hồ sơ."

    def _choice(self, name: str) -> forms.ChoiceField:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        return field

    def applicant_fields(self):
        return [
            self[name]
            for name in self.fields
            if not name.startswith("component_") and name not in self.CONFLICT_FIELDS
        ]

    def conflict_fields(self):
        return [self[name] for name in self.CONFLICT_FIELDS]

    def component_rows(self):
        return [
            (self[f"component_{c.order}"], self[f"component_{c.order}_count"], c.mandatory)
            for c in self.version.components.all()
        ]

    def intake_data(self) -> IntakeData:
        data = self.cleaned_data
        components = [
            ComponentData(c.name, c.form, data[f"component_{c.order}_count"])
            for c in self.version.components.all()
            if data.get(f"component_{c.order}")
        ]
        return IntakeData(
            procedure_code=self.version.procedure.code,
            applicant=ApplicantData(
                kind=data["applicant_kind"],
                tax_code=data["tax_code"],
                full_name=data["full_name"].strip(),
                citizen_id=data["citizen_id"],
                date_of_birth=data["date_of_birth"],
                phone=data["phone"],
                email=data["email"],
                province_code=data["province_code"],
                ward_code=data["ward_code"],
                address_line=data["address_line"],
            ),
            components=components,
            channel=ChannelKind.DESK,
            return_channel=data["return_channel"],
            dossier_sets=data["dossier_sets"],
            applicant_resolution=data.get("applicant_resolution") or "",
            applicant_change_reason=data.get("applicant_change_reason") or "",
        )
