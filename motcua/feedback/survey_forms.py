"""The survey form, built from a campaign's questionnaire: radio buttons online, one digit per
question for fast entry of paper forms."""

from django import forms

from motcua.core.form_fields import DayMonthYearField

from .survey_services import NO_ANSWER

SCALE = [
    ("5", "Rất hài lòng"),
    ("4", "Hài lòng"),
    ("3", "Bình thường"),
    ("2", "Không hài lòng"),
    ("1", "Rất không hài lòng"),
    (str(NO_ANSWER), "Không trả lời"),
]
DIGIT_MESSAGE = "Chỉ nhập một chữ số 1–5, hoặc 0 nếu người trả lời bỏ trống câu này."


class SurveyForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, aspects, paper: bool, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["token"].error_messages["required"] = (
            "Biểu mẫu đã hết hạn, vui lòng tải lại trang."
        )
        self.aspect_groups = []
        number = 0
        for aspect in aspects:
            names = []
            for question in aspect.questions.all():
                number += 1
                name = f"q{question.pk}"
                self.fields[name] = self._field(number, question.text, paper)
                names.append(name)
            self.aspect_groups.append((aspect.name, names))
        if paper:
            first = self.aspect_groups[0][1][0] if self.aspect_groups else None
            if first:
                self.fields[first].widget.attrs["autofocus"] = True

    @staticmethod
    def _field(number: int, text: str, paper: bool) -> forms.Field:
        label = f"{number}. {text}"
        if paper:
            field = forms.RegexField(
                label=label,
                regex=r"^[0-5]$",
                max_length=1,
                widget=forms.TextInput(
                    attrs={
                        "inputmode": "numeric",
                        "autocomplete": "off",
                        "class": "score",
                        "size": "2",
                        "data-score": "1",
                    }
                ),
            )
            field.error_messages["invalid"] = DIGIT_MESSAGE
            field.error_messages["required"] = (
                f"Câu {number} chưa nhập: 1–5, hoặc 0 (không trả lời)."
            )
            field.error_messages["max_length"] = DIGIT_MESSAGE
            return field
        field = forms.ChoiceField(label=label, choices=SCALE, widget=forms.RadioSelect)
        field.error_messages["required"] = f"Câu {number}: hãy chọn một mức, hoặc “Không trả lời”."
        field.error_messages["invalid_choice"] = "Lựa chọn không hợp lệ."
        return field

    def answers(self) -> dict[int, int]:
        return {
            int(name[1:]): int(value)
            for name, value in self.cleaned_data.items()
            if name.startswith("q") and name[1:].isdigit()
        }

    def groups(self):
        """(aspect name, [bound fields]) for the template."""
        return [(name, [self[field] for field in names]) for name, names in self.aspect_groups]


class PaperSurveyForm(SurveyForm):
    form_number = forms.CharField(label="Số phiếu (nếu có)", max_length=32, required=False)
    surveyed_on = DayMonthYearField(label="Ngày khảo sát", help_text="")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, paper=True, **kwargs)
        self.fields["surveyed_on"].error_messages["invalid"] = (
            "Ngày khảo sát phải có dạng dd/mm/yyyy."
        )
        self.fields["surveyed_on"].error_messages["required"] = "Hãy nhập ngày khảo sát."
        self.fields["form_number"].error_messages["max_length"] = "Số phiếu không quá 32 ký tự."
        # Questions first, then the form's number and date: the officer types the digits straight away.
        order = [n for n in self.fields if n.startswith("q")] + [
            "form_number",
            "surveyed_on",
            "token",
        ]
        self.order_fields(order)


class CampaignForm(forms.Form):
    year = forms.IntegerField(label="Năm", min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label="Quý", coerce=int, choices=[(q, f"Quý {q}") for q in (1, 2, 3, 4)]
    )
    starts_on = DayMonthYearField(label="Từ ngày", help_text="dd/mm/yyyy")
    ends_on = DayMonthYearField(label="Đến ngày", help_text="dd/mm/yyyy")
    questionnaire = forms.TypedChoiceField(
        label="Bộ câu hỏi", coerce=int, required=False, empty_value=None
    )
    online_open = forms.BooleanField(label="Nhận trả lời trực tuyến", required=False, initial=True)

    def __init__(self, *args, **kwargs):
        from .models import Questionnaire

        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["questionnaire"].choices = [
            ("", "— Tạo bộ câu hỏi mới theo 5 yếu tố SIPAS —"),
            *Questionnaire.objects.order_by("-pk").values_list("pk", "name"),
        ]
        for field in self.fields.values():
            field.error_messages["required"] = "Vui lòng nhập thông tin này."
            field.error_messages["invalid"] = "Giá trị không hợp lệ (ngày dạng dd/mm/yyyy)."
            field.error_messages["invalid_choice"] = "Lựa chọn không hợp lệ."
        self.fields["year"].error_messages["min_value"] = "Năm không hợp lệ."
        self.fields["year"].error_messages["max_value"] = "Năm không hợp lệ."
