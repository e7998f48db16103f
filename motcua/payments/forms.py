"""Forms of the payments pages: they read and type the input; the services decide."""

from django import forms

from motcua.org.models import Unit

from .banks import bank_choices
from .models import CollectingAccount
from .services import AccountData
from .statements import PROFILES


class SettleForm(forms.Form):
    action = forms.ChoiceField(
        label="Quyết định",
        choices=[("link", "Gắn với hồ sơ"), ("refund", "Hoàn trả người nộp")],
        widget=forms.RadioSelect,
        initial="link",
    )
    dossier_code = forms.CharField(
        label="Mã hồ sơ hoặc mã thanh toán", max_length=60, required=False
    )
    reason = forms.CharField(
        label="Lý do", widget=forms.Textarea(attrs={"rows": 2}), max_length=1000
    )


class StatementForm(forms.Form):
    account = forms.ModelChoiceField(
        label="Tài khoản thu",
        queryset=CollectingAccount.objects.filter(is_active=True),
        empty_label=None,
    )
    profile = forms.ChoiceField(
        label="Mẫu sao kê", choices=[(key, p.label) for key, p in PROFILES.items()]
    )
    file = forms.FileField(label="Tệp sao kê (.csv hoặc .xlsx)")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError("Chỉ nhận tệp .csv hoặc .xlsx.")
        if upload.size > 20 * 1024 * 1024:
            raise forms.ValidationError("Tệp quá lớn (tối đa 20 MB).")
        return upload


class DeskPaymentForm(forms.Form):
    amount = forms.IntegerField(label="Số tiền (đồng)", min_value=1, max_value=10**12)
    method = forms.ChoiceField(
        label="Hình thức", choices=[("cash", "Tiền mặt"), ("pos", "Thẻ (POS)")]
    )
    token = forms.UUIDField(widget=forms.HiddenInput)
    note = forms.CharField(label="Ghi chú", max_length=255, required=False)

    def clean_token(self):
        return str(self.cleaned_data["token"])


class AccountForm(forms.Form):
    bank_bin = forms.ChoiceField(label="Ngân hàng")
    account_number = forms.CharField(label="Số tài khoản", max_length=19)
    account_name = forms.CharField(label="Tên chủ tài khoản", max_length=255)
    unit = forms.ModelChoiceField(
        label="Đơn vị thu (để trống: toàn Sở)",
        queryset=Unit.objects.filter(is_active=True),
        required=False,
    )
    is_default = forms.BooleanField(label="Tài khoản mặc định của Sở", required=False)
    is_active = forms.BooleanField(label="Đang sử dụng", required=False, initial=True)

    def __init__(self, *args, account=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bank_bin"].choices = [("", "— Chọn ngân hàng —"), *bank_choices()]
        if account is not None and not self.is_bound:
            self.initial.update(
                bank_bin=account.bank_bin,
                account_number=account.account_number,
                account_name=account.account_name,
                unit=account.unit_id,
                is_default=account.is_default,
                is_active=account.is_active,
            )

    def account_data(self) -> AccountData:
        data = self.cleaned_data
        return AccountData(
            bank_bin=data["bank_bin"],
            account_number=data["account_number"],
            account_name=data["account_name"],
            unit_id=data["unit"].pk if data["unit"] else None,
            is_default=data["is_default"],
            is_active=data["is_active"],
        )
