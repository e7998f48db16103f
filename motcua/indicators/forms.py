"""Forms of the indicator pages: the dashboard filter, a new report draft, the narrative editor."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from motcua.catalog.models import Field
from motcua.org.models import Unit

from .narrative import PARAGRAPH_KEYS, paragraph_title
from .scope import scope_build


def _unit_choices():
    return [("", "Toàn hệ thống")] + [
        (code, f"{name} ({code})")
        for code, name in Unit.objects.filter(is_active=True)
        .order_by("sort_order", "code")
        .values_list("code", "name")
    ]


def _field_choices():
    return [("", "Mọi lĩnh vực")] + list(Field.objects.order_by("name").values_list("code", "name"))


class ScopeForm(forms.Form):
    """Period (local days, inclusive) and unit; `scope` after is_valid()."""

    tu = forms.DateField(label="Từ ngày", widget=forms.DateInput(attrs={"type": "date"}))
    den = forms.DateField(label="Đến ngày", widget=forms.DateInput(attrs={"type": "date"}))
    don_vi = forms.ChoiceField(label="Đơn vị", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["don_vi"].choices = _unit_choices()
        self.fields["don_vi"].error_messages["invalid_choice"] = "Không có đơn vị «%(value)s»."
        self.fields["tu"].error_messages["invalid"] = "Ngày không hợp lệ (ngày/tháng/năm)."
        self.fields["den"].error_messages["invalid"] = "Ngày không hợp lệ (ngày/tháng/năm)."
        self.scope = None

    def scope_kwargs(self) -> dict:
        return {"unit_code": self.cleaned_data.get("don_vi") or None}

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            self.scope = scope_build(data["tu"], data["den"], **self.scope_kwargs())
        except ValidationError as error:
            raise ValidationError(error.messages) from error
        return data


class DashboardForm(ScopeForm):
    linh_vuc = forms.ChoiceField(label="Lĩnh vực", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["linh_vuc"].choices = _field_choices()
        self.fields["linh_vuc"].error_messages["invalid_choice"] = "Không có lĩnh vực «%(value)s»."

    def scope_kwargs(self) -> dict:
        return {**super().scope_kwargs(), "field_code": self.cleaned_data.get("linh_vuc") or None}


class DraftCreateForm(ScopeForm):
    trich_yeu = forms.CharField(
        label="Trích yếu (để trống: tự đặt theo kỳ)", required=False, max_length=255
    )


class DraftEditForm(forms.Form):
    """One textarea per editable paragraph of the narrative (STRUCTURE)."""

    def __init__(self, *args, paragraphs: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for key in PARAGRAPH_KEYS:
            self.fields[key] = forms.CharField(
                label=paragraph_title(key),
                initial=paragraphs.get(key, ""),
                widget=forms.Textarea(attrs={"rows": 5}),
                strip=True,
                required=False,
            )
