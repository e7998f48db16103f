"""Forms of the feedback pages. They only check shapes; the rules are in the services."""

import secrets

from django import forms

from .models import Channel, Classification

REQUIRED = "Vui lòng nhập thông tin này."


def new_token() -> str:
    return secrets.token_hex(16)


class _VietnameseForm(forms.Form):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages.setdefault("required", REQUIRED)
            field.error_messages["required"] = field.error_messages.get("required") or REQUIRED
            field.error_messages["invalid_choice"] = "Lựa chọn không hợp lệ."
            field.error_messages["max_length"] = "Nội dung quá dài (tối đa %(limit_value)d ký tự)."


class FeedbackForm(_VietnameseForm):
    """What a citizen (or an officer at the desk) fills in; `token` guards against replays."""

    sender_name = forms.CharField(label="Họ và tên", max_length=150)
    sender_contact = forms.CharField(
        label="Điện thoại hoặc thư điện tử",
        max_length=150,
        help_text="Để chúng tôi gửi câu trả lời; không công khai.",
    )
    dossier_code = forms.CharField(
        label="Mã hồ sơ liên quan (nếu có)", max_length=64, required=False
    )
    title = forms.CharField(label="Tiêu đề", max_length=200)
    content = forms.CharField(
        label="Nội dung phản ánh, kiến nghị",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 7}),
        help_text="Nêu rõ sự việc, thủ tục hoặc quy định liên quan và điều ông/bà đề nghị.",
    )
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sender_name"].error_messages["required"] = "Hãy nhập họ và tên."
        self.fields["sender_contact"].error_messages["required"] = (
            "Hãy nhập số điện thoại hoặc thư điện tử để nhận trả lời."
        )
        self.fields["title"].error_messages["required"] = "Hãy nhập tiêu đề."
        self.fields["content"].error_messages["required"] = "Hãy nhập nội dung."
        self.fields["token"].error_messages["required"] = (
            "Biểu mẫu đã hết hạn, vui lòng tải lại trang và gửi lại."
        )


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field; the list may be empty. Their content is checked by the service."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"})
        )
        super().__init__(*args, **kwargs)
        self.error_messages.update(
            {
                "invalid": "Tệp gửi lên không hợp lệ. Vui lòng chọn lại.",
                "missing": "Không nhận được tệp. Vui lòng chọn lại.",
                "empty": "Tệp rỗng. Vui lòng chọn tệp khác.",
                "contradiction": "Tệp gửi lên không hợp lệ. Vui lòng chọn lại.",
            }
        )

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(one, initial) for one in files if one]


class PublicFeedbackForm(FeedbackForm):
    """The portal's form: the citizen may add photos or PDFs (checked and stored by the service)."""

    attachments = MultipleFileField(
        label="Ảnh hoặc tệp PDF kèm theo (nếu có)",
        required=False,
        help_text="Tối đa 3 tệp ảnh (JPEG, PNG) hoặc PDF, mỗi tệp không quá 10 MB.",
    )
    field_order = ["sender_name", "sender_contact", "dossier_code", "title", "content"]


class LookupForm(_VietnameseForm):
    """Find one's own feedback item: the receipt number and the proof (checked by sender_lookup)."""

    so = forms.CharField(
        label="Số tiếp nhận",
        max_length=40,
        help_text="Ví dụ PAKN-2026-0001 (chữ hoa hay thường, có dấu cách đều được).",
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off"}),
    )
    xac_nhan = forms.CharField(
        label="4 số cuối điện thoại, hoặc thư điện tử đã ghi khi gửi",
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["so"].error_messages["required"] = "Hãy nhập số tiếp nhận (PAKN-…)."
        self.fields["xac_nhan"].error_messages["required"] = (
            "Hãy nhập 4 chữ số cuối của số điện thoại, hoặc địa chỉ thư điện tử đã ghi khi gửi."
        )


class StaffFeedbackForm(FeedbackForm):
    channel = forms.ChoiceField(
        label="Kênh tiếp nhận",
        choices=[(c.value, c.label) for c in Channel if c != Channel.PORTAL],
    )
    field_order = ["channel"]


class AssignForm(_VietnameseForm):
    classification = forms.ChoiceField(
        label="Phân loại", choices=[("", "— Chọn —"), *Classification.choices]
    )
    assignee = forms.TypedChoiceField(label="Cán bộ xử lý", coerce=int)

    def __init__(self, *args, officers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = [("", "— Chọn —")] + [
            (u.pk, f"{u} — {u.unit}" if u.unit_id else str(u)) for u in officers
        ]
        self.fields["classification"].error_messages["required"] = (
            "Hãy phân loại: về quy định hành chính hay hành vi hành chính."
        )
        self.fields["assignee"].error_messages["required"] = "Hãy chọn cán bộ xử lý."


ACTION_TEXT_LABELS = {
    "refuse": ("reason", "Lý do từ chối tiếp nhận"),
    "request_supplement": ("request_text", "Thông tin cần bổ sung (một lần, đầy đủ)"),
    "supplement_received": ("note", "Nội dung đã bổ sung"),
    "answer": ("answer", "Nội dung trả lời"),
    "publish": ("public_question", "Câu hỏi công khai (đã bỏ thông tin cá nhân)"),
    "close": ("reason", "Lý do không công khai"),
}


class ActionTextForm(_VietnameseForm):
    text = forms.CharField(max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, action: str, **kwargs):
        # Several action forms share one page: each gets its own element ids.
        kwargs.setdefault("auto_id", f"{action}_%s")
        super().__init__(*args, **kwargs)
        self.fields["text"].label = ACTION_TEXT_LABELS[action][1]
