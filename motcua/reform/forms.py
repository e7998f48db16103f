"""Forms of the reform pages: they only parse input (with Vietnamese messages); the rules are in the
services, whose ValidationErrors are put back on the form."""

from django import forms

from motcua.accounts.models import User
from motcua.accounts.roles import STAFF_ROLES
from motcua.core.form_fields import DayMonthYearField
from motcua.org.selectors import units_in_tree_order

from .models import (
    ActivityKind,
    Area,
    DocType,
    Draft,
    Issuer,
    LegalDocument,
    Plan,
    ReviewOutcome,
    SystematisationPeriod,
    TaskSource,
    TaskStatus,
)


def _date(label: str, required: bool = True) -> forms.DateField:
    return DayMonthYearField(label=label, required=required, help_text="")


class VietnameseForm(forms.Form):
    """Every field's standard messages in Vietnamese."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages.update(
                {
                    "required": "Thông tin này là bắt buộc.",
                    "invalid_choice": "Lựa chọn không hợp lệ.",
                    "max_length": "Nội dung quá dài.",
                }
            )
            if isinstance(field, forms.DateField):
                field.error_messages["invalid"] = "Ngày không hợp lệ (ví dụ 30/06/2023)."
            elif isinstance(field, forms.IntegerField):
                field.error_messages["invalid"] = "Hãy nhập một số nguyên."
            elif isinstance(field, forms.FileField):
                field.error_messages["invalid"] = "Tệp tải lên không hợp lệ."
                field.error_messages["empty"] = "Tệp minh chứng rỗng."


def unit_choices(blank: str = "— Chọn đơn vị —"):
    return [("", blank)] + [(str(u.pk), u.name) for u in units_in_tree_order(active_only=True)]


def _blank(choices, label: str = "— Chọn —"):
    return [("", label), *choices]


class PlanForm(VietnameseForm):
    number = forms.CharField(label="Số, ký hiệu", max_length=40, help_text="Ví dụ 08/KH-STP.")
    issued_on = _date("Ngày ban hành")
    title = forms.CharField(label="Trích yếu", max_length=500)
    unit = forms.ChoiceField(label="Cơ quan ban hành")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = unit_choices()


def staff_choices():
    people = User.objects.filter(role__in=STAFF_ROLES, is_active=True).select_related("unit")
    return [("", "— Chưa phân công —")] + [
        (str(u.pk), f"{u.full_name or u.username} ({u.unit.name if u.unit else 'chưa có đơn vị'})")
        for u in people.order_by("unit__sort_order", "full_name")
    ]


class TaskForm(VietnameseForm):
    source = forms.ChoiceField(label="Nguồn nhiệm vụ", choices=TaskSource.choices)
    plan = forms.ChoiceField(label="Thuộc kế hoạch", required=False)
    source_document = forms.CharField(
        label="Văn bản giao",
        max_length=300,
        required=False,
        help_text="Bắt buộc với nhiệm vụ UBND tỉnh giao, ví dụ Công văn số 754/UBND-NC3 ngày 24/02/2023.",
    )
    title = forms.CharField(
        label="Nội dung nhiệm vụ", max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
    area = forms.ChoiceField(label="Lĩnh vực CCHC", choices=_blank(Area.choices))
    unit = forms.ChoiceField(label="Đơn vị chủ trì")
    owner = forms.ChoiceField(label="Người phụ trách", required=False)
    assigned_on = _date("Ngày giao")
    deadline = _date("Thời hạn hoàn thành")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        plans = Plan.objects.order_by("-year", "-issued_on")
        self.fields["plan"].choices = _blank(
            [(str(p.pk), f"{p.number} — {p.title}") for p in plans]
        )
        self.fields["unit"].choices = unit_choices()
        self.fields["owner"].choices = staff_choices()


class ProgressForm(VietnameseForm):
    status = forms.ChoiceField(label="Trạng thái sau cập nhật", choices=TaskStatus.choices)
    on = _date("Ngày thực hiện")
    note = forms.CharField(
        label="Nội dung tiến độ", max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    evidence = forms.FileField(
        label="Tệp minh chứng",
        required=False,
        help_text="PDF, JPEG, PNG, DOCX hoặc XLSX, tối đa 10 MB.",
    )


class InspectionForm(VietnameseForm):
    title = forms.CharField(label="Tên đợt kiểm tra", max_length=300)
    reference = forms.CharField(label="Kế hoạch kiểm tra", max_length=200, required=False)
    started_on = _date("Từ ngày")
    ended_on = _date("Đến ngày")


class FindingForm(VietnameseForm):
    unit = forms.ChoiceField(label="Đơn vị được kiểm tra")
    findings = forms.CharField(
        label="Kết quả, tồn tại", max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    follow_up = forms.CharField(
        label="Yêu cầu khắc phục",
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = unit_choices()


class FollowUpForm(VietnameseForm):
    on = _date("Ngày đã khắc phục")


class LegalDocumentForm(VietnameseForm):
    issuer = forms.ChoiceField(label="Cơ quan ban hành", choices=_blank(Issuer.choices))
    doc_type = forms.ChoiceField(label="Loại văn bản", choices=_blank(DocType.choices))
    number = forms.CharField(label="Số, ký hiệu", max_length=40, help_text="Ví dụ 12/2023/QĐ-UBND.")
    issued_on = _date("Ngày ban hành")
    title = forms.CharField(label="Trích yếu", max_length=500)
    effective_from = _date("Ngày có hiệu lực")
    effective_to = _date("Ngày hết hiệu lực (nếu có)", required=False)


class DraftForm(VietnameseForm):
    title = forms.CharField(label="Tên dự thảo", max_length=500)
    issuer = forms.ChoiceField(label="Cơ quan sẽ ban hành", choices=_blank(Issuer.choices))
    doc_type = forms.ChoiceField(label="Loại văn bản", choices=_blank(DocType.choices))
    drafting_agency = forms.CharField(label="Cơ quan chủ trì soạn thảo", max_length=255)
    request_reference = forms.CharField(label="Văn bản đề nghị", max_length=200, required=False)
    received_on = _date("Ngày nhận")


class ActivityForm(VietnameseForm):
    kind = forms.ChoiceField(label="Hoạt động", choices=_blank(ActivityKind.choices))
    done_on = _date("Ngày thực hiện")
    unit = forms.ChoiceField(label="Đơn vị thực hiện")
    draft = forms.ChoiceField(label="Dự thảo (thẩm định, góp ý)", required=False)
    document = forms.ChoiceField(label="Văn bản (kiểm tra, rà soát, hệ thống hóa)", required=False)
    period = forms.ChoiceField(label="Kỳ hệ thống hóa", required=False)
    reference = forms.CharField(label="Văn bản kết quả", max_length=200, required=False)
    result = forms.CharField(
        label="Kết quả", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    findings = forms.CharField(
        label="Phát hiện (kiểm tra)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    handling = forms.CharField(
        label="Xử lý (kiểm tra)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    outcome = forms.ChoiceField(
        label="Kết quả rà soát", required=False, choices=_blank(ReviewOutcome.choices)
    )
    expired_on = _date("Ngày hết hiệu lực (rà soát)", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = unit_choices()
        drafts = Draft.objects.order_by("-received_on", "-pk")[:500]
        self.fields["draft"].choices = _blank([(str(d.pk), d.title[:120]) for d in drafts])
        documents = LegalDocument.objects.order_by("-issued_on", "-pk")
        self.fields["document"].choices = _blank(
            [(str(d.pk), f"{d.number} — {d.title[:90]}") for d in documents]
        )
        periods = SystematisationPeriod.objects.all()
        self.fields["period"].choices = _blank([(str(p.pk), str(p)) for p in periods])


class PeriodForm(VietnameseForm):
    date_from = _date("Từ ngày")
    date_to = _date("Đến ngày")

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", "Ngày cuối kỳ không được trước ngày đầu kỳ.")
        return data


class ScoreForm(VietnameseForm):
    self_score = forms.CharField(label="Điểm tự đánh giá", max_length=12, required=False)
    evidence = forms.CharField(
        label="Tài liệu kiểm chứng (đường dẫn, số văn bản — mỗi dòng một tài liệu)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    final_score = forms.CharField(label="Điểm thẩm định", max_length=12, required=False)


class SystematisationPeriodForm(VietnameseForm):
    start_year = forms.IntegerField(label="Từ năm", min_value=2000, max_value=2060)
    end_year = forms.IntegerField(label="Đến năm", min_value=2000, max_value=2060)
    cutoff_on = _date("Thời điểm chốt")
    note = forms.CharField(
        label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("start_year", "end_year"):
            self.fields[name].error_messages["min_value"] = "Năm phải từ 2000 đến 2060."
            self.fields[name].error_messages["max_value"] = "Năm phải từ 2000 đến 2060."


class ParAssessmentForm(VietnameseForm):
    year = forms.IntegerField(label="Năm đánh giá", min_value=2000, max_value=2060)
    unit = forms.ChoiceField(label="Đơn vị")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = unit_choices()
        self.fields["year"].error_messages["min_value"] = "Năm phải từ 2000 đến 2060."
        self.fields["year"].error_messages["max_value"] = "Năm phải từ 2000 đến 2060."


class ParCriterionForm(VietnameseForm):
    code = forms.CharField(label="Mã tiêu chí", max_length=16, help_text="Ví dụ 1, 1.1, 2.3.")
    title = forms.CharField(label="Tên tiêu chí", max_length=500)
    max_points = forms.CharField(label="Điểm tối đa", max_length=12)
    parent = forms.ChoiceField(label="Thuộc tiêu chí", required=False)

    def __init__(self, *args, criteria=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = [("", "— Tiêu chí cấp 1 —")] + [
            (str(c.pk), f"{c.code}. {c.title[:80]}") for c in criteria
        ]


class ReviewedForm(VietnameseForm):
    on = _date("Ngày rà soát")


class TaskEditForm(VietnameseForm):
    title = forms.CharField(
        label="Nội dung nhiệm vụ", max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )
    source_document = forms.CharField(label="Văn bản giao", max_length=300, required=False)
    area = forms.ChoiceField(label="Lĩnh vực CCHC", choices=_blank(Area.choices))
    unit = forms.ChoiceField(label="Đơn vị chủ trì")
    owner = forms.ChoiceField(label="Người phụ trách", required=False)
    deadline = _date("Thời hạn hoàn thành")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = unit_choices()
        self.fields["owner"].choices = staff_choices()
