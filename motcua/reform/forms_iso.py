"""Forms of the ISO 9001 register pages: they only parse input; the rules are in services/iso*.py,
whose Vietnamese ValidationErrors are put back on the form."""

from typing import cast

from django import forms

from .forms import VietnameseForm, _blank, _date, unit_choices
from .models import IsoDocumentKind, IsoFindingKind, IsoProcessKind


def _choices(form: forms.Form, name: str) -> forms.ChoiceField:
    return cast(forms.ChoiceField, form.fields[name])


def _text(label: str, max_length: int, required: bool = True, rows: int = 0) -> forms.CharField:
    widget = forms.Textarea(attrs={"rows": rows}) if rows else None
    return forms.CharField(label=label, max_length=max_length, required=required, widget=widget)


class IsoFilterForm(VietnameseForm):
    """The register list's filters (GET)."""

    q = forms.CharField(label="Tìm theo mã, tên", max_length=100, required=False)
    loai = forms.ChoiceField(
        label="Loại", required=False, choices=_blank(IsoProcessKind.choices, "— Tất cả —")
    )
    don_vi = forms.ChoiceField(label="Đơn vị chủ trì", required=False)
    pham_vi = forms.ChoiceField(
        label="Phạm vi",
        required=False,
        choices=[("in", "Đang áp dụng"), ("out", "Ngừng áp dụng"), ("all", "Tất cả")],
    )
    qua_han = forms.BooleanField(label="Chỉ quy trình quá hạn rà soát", required=False)
    ngay = _date("Tại ngày", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _choices(self, "don_vi").choices = unit_choices("— Tất cả —")


class IsoProcessForm(VietnameseForm):
    code = _text("Mã quy trình", 40)
    name = _text("Tên quy trình", 500)
    kind = forms.ChoiceField(label="Loại", choices=IsoProcessKind.choices)
    procedure_code = _text("Mã TTHC", 40, required=False)
    unit = forms.ChoiceField(label="Đơn vị chủ trì")
    in_scope_from = _date("Áp dụng từ ngày", required=False)
    source = _text("Nguồn", 1000, required=False, rows=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _choices(self, "unit").choices = unit_choices()


class IsoDocumentForm(VietnameseForm):
    code = _text("Mã tài liệu", 40)
    title = _text("Tên tài liệu", 500)
    kind = forms.ChoiceField(label="Loại tài liệu", choices=IsoDocumentKind.choices)
    source = _text("Nguồn", 1000, required=False, rows=2)


class IsoDocumentVersionForm(VietnameseForm):
    version = _text("Lần ban hành", 16)
    issued_on = _date("Ngày ban hành")
    approver = _text("Người phê duyệt", 200)
    decision = _text("Văn bản ban hành", 200, required=False)
    next_review_on = _date("Hạn rà soát", required=False)


class IsoReviewForm(VietnameseForm):
    on = _date("Ngày rà soát")
    reviewer = _text("Người rà soát", 200)
    next_review_on = _date("Hạn rà soát tiếp theo")
    note = _text("Kết quả rà soát", 2000, required=False, rows=2)


class IsoWithdrawForm(VietnameseForm):
    on = _date("Ngừng áp dụng từ ngày")


class IsoSyncForm(VietnameseForm):
    at = _date("Đồng bộ theo danh mục TTHC có hiệu lực ngày")


class IsoUnitForm(VietnameseForm):
    unit = forms.ChoiceField(label="Đơn vị")
    applies_from = _date("Áp dụng từ ngày")
    decision = _text("Quyết định áp dụng, công bố", 200, required=False)
    source = _text("Nguồn", 1000, required=False, rows=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _choices(self, "unit").choices = unit_choices()


class IsoAuditForm(VietnameseForm):
    year = forms.IntegerField(label="Năm", min_value=2000, max_value=2060)
    title = _text("Tên cuộc đánh giá", 300)
    plan_reference = _text("Kế hoạch đánh giá", 200, required=False)
    held_from = _date("Từ ngày")
    held_to = _date("Đến ngày")
    lead_auditor = _text("Trưởng đoàn đánh giá", 200)
    auditors = _text("Thành viên đoàn đánh giá", 2000, required=False, rows=2)
    processes = forms.MultipleChoiceField(label="Quy trình được đánh giá", required=False)
    units = forms.MultipleChoiceField(label="Đơn vị được đánh giá", required=False)

    def __init__(self, *args, processes=(), **kwargs):
        super().__init__(*args, **kwargs)
        _choices(self, "processes").choices = [
            (str(p.pk), f"{p.code} {p.name[:80]}") for p in processes
        ]
        _choices(self, "units").choices = unit_choices()[1:]
        self.fields["year"].error_messages["min_value"] = "Năm phải từ 2000 đến 2060."
        self.fields["year"].error_messages["max_value"] = "Năm phải từ 2000 đến 2060."


class IsoFindingForm(VietnameseForm):
    kind = forms.ChoiceField(label="Loại phát hiện", choices=IsoFindingKind.choices)
    clause = _text("Điều khoản TCVN ISO 9001:2015", 12)
    description = _text("Mô tả", 5000, rows=3)
    found_on = _date("Ngày phát hiện")
    process = forms.ChoiceField(label="Quy trình", required=False)
    unit = forms.ChoiceField(label="Đơn vị", required=False)

    def __init__(self, *args, processes=(), **kwargs):
        super().__init__(*args, **kwargs)
        _choices(self, "process").choices = [("", "— Không —")] + [
            (str(p.pk), f"{p.code} {p.name[:80]}") for p in processes
        ]
        _choices(self, "unit").choices = unit_choices("— Không —")


class IsoActionForm(VietnameseForm):
    description = _text("Hành động khắc phục", 5000, rows=2)
    owner = _text("Người chịu trách nhiệm", 200)
    due_on = _date("Thời hạn")
    unit = forms.ChoiceField(label="Đơn vị thực hiện", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _choices(self, "unit").choices = unit_choices("— Không —")


class IsoActionDoneForm(VietnameseForm):
    on = _date("Ngày hoàn thành")
    result = _text("Kết quả thực hiện", 2000, required=False, rows=2)


class IsoActionVerifiedForm(VietnameseForm):
    on = _date("Ngày kiểm tra xác nhận")
    by = _text("Người kiểm tra xác nhận", 200)
    note = _text("Nhận xét hiệu lực", 2000, required=False, rows=2)


class IsoManagementReviewForm(VietnameseForm):
    held_on = _date("Ngày họp")
    chair = _text("Chủ trì", 200)
    reference = _text("Biên bản, văn bản", 200, required=False)
    inputs = _text("Nội dung xem xét (đầu vào)", 10000, rows=4)
    decisions = _text("Kết luận, quyết định (đầu ra)", 10000, rows=4)
    audit = forms.ChoiceField(label="Cuộc đánh giá nội bộ được xem xét", required=False)

    def __init__(self, *args, audits=(), **kwargs):
        super().__init__(*args, **kwargs)
        _choices(self, "audit").choices = [("", "— Không —")] + [
            (str(a.pk), str(a)) for a in audits
        ]
