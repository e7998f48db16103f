"""The catalogue of administrative procedures in the back office. Reads go through
motcua.catalog.selectors, the import through motcua.catalog.services.catalog_import; who may do what
is decided in motcua.catalog.permissions."""

from functools import wraps

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render

from motcua.accounts.permissions import require
from motcua.catalog import selectors
from motcua.catalog.importing import CatalogImportError
from motcua.catalog.models import Field, Level
from motcua.catalog.permissions import can_import_catalog, can_read_catalog
from motcua.catalog.services import catalog_import as import_catalogue
from motcua.core import clock
from motcua.core.form_fields import DayMonthYearField

PAGE_SIZE = 50


def _reader_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        require(can_read_catalog(request.user), "Trang này chỉ dành cho cán bộ, công chức.")
        return view(request, *args, **kwargs)

    return wrapped


def _importer_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        require(
            can_import_catalog(request.user), "Chỉ quản trị hệ thống mới được nhập danh mục TTHC."
        )
        return view(request, *args, **kwargs)

    return wrapped


class CatalogFilterForm(forms.Form):
    q = forms.CharField(label="Tìm theo tên hoặc mã", required=False, max_length=200)
    linh_vuc = forms.ChoiceField(label="Lĩnh vực", required=False)
    muc_do = forms.ChoiceField(
        label="Mức độ", required=False, choices=[("", "Tất cả mức độ"), *Level.choices]
    )
    ngay = DayMonthYearField(
        label="Có hiệu lực ngày",
        required=False,
        help_text="",
        error_messages={"invalid": "Ngày không hợp lệ: hãy nhập dạng ngày/tháng/năm."},
    )

    def __init__(self, *args, fields=(), **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["linh_vuc"].choices = [("", "Tất cả lĩnh vực")] + [
            (f.code, f.name) for f in fields
        ]
        for field in self.fields.values():
            field.error_messages["invalid_choice"] = "Lựa chọn không hợp lệ."


@_reader_required
def catalog_list(request):
    fields = list(Field.objects.order_by("name"))
    form = CatalogFilterForm(request.GET or None, fields=fields)
    day = clock.now().date()
    versions = selectors.versions_in_force(day).none()
    if not request.GET or form.is_valid():
        data = form.cleaned_data if request.GET else {}
        day = data.get("ngay") or day
        versions = selectors.procedures_search(data.get("q", ""), day)
        if data.get("linh_vuc"):
            versions = versions.filter(field__code=data["linh_vuc"])
        if data.get("muc_do"):
            versions = versions.filter(level=data["muc_do"])
    page = Paginator(versions, PAGE_SIZE).get_page(request.GET.get("trang"))
    return render(
        request,
        "backoffice/catalog/list.html",
        {
            "form": form,
            "page": page,
            "day": day,
            "can_import": can_import_catalog(request.user),
        },
    )


@_reader_required
def catalog_detail(request, code: str):
    versions = list(selectors.procedure_versions(code))
    if not versions:
        raise Http404("Không có thủ tục này trong danh mục.")
    today = clock.now().date()
    current = selectors.version_in_force(code, today)
    for version in versions:
        version.is_current = current is not None and version.pk == current.pk
        version.total_budget = sum(step.budget_hours for step in version.steps.all())
    return render(
        request,
        "backoffice/catalog/detail.html",
        {
            "procedure": versions[0].procedure,
            "versions": list(reversed(versions)),
            "current": current,
            "today": today,
        },
    )


class CatalogImportForm(forms.Form):
    tep = forms.FileField(
        label="Tệp danh mục (.json hoặc .xlsx)",
        help_text="Theo định dạng trao đổi danh mục TTHC. Tệp có lỗi sẽ bị từ chối toàn bộ.",
        error_messages={
            "required": "Hãy chọn tệp danh mục.",
            "empty": "Tệp đã chọn không có nội dung.",
            "invalid": "Tệp tải lên không hợp lệ.",
        },
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["tep"].widget.attrs["accept"] = ".json,.xlsx"


@_importer_required
def catalog_import(request):
    bound = request.method == "POST"
    form = CatalogImportForm(request.POST if bound else None, request.FILES if bound else None)
    errors: list[str] = []
    if bound and form.is_valid():
        try:
            summary = import_catalogue(request.user, form.cleaned_data["tep"])
        except CatalogImportError as exc:
            errors = exc.errors
        else:
            messages.success(request, str(summary))
            return redirect("backoffice:catalog_list")
    return render(request, "backoffice/catalog/import.html", {"form": form, "errors": errors})
