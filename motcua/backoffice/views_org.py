"""Administration of organisation units and staff accounts. Administrator only; every write goes
through motcua.org.services / motcua.accounts.services, whose Vietnamese ValidationErrors are shown
on the form while nothing is saved."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render

from motcua.accounts import selectors as account_selectors
from motcua.accounts import services as account_services
from motcua.accounts.forms import StaffCreateForm, StaffUpdateForm, unit_choices
from motcua.accounts.permissions import administrator_required
from motcua.accounts.roles import STAFF_ROLES
from motcua.core.forms import add_service_errors
from motcua.org import selectors as org_selectors
from motcua.org import services as org_services
from motcua.org.models import Unit, UnitKind

PAGE_SIZE = 50


def _page(request, items):
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("trang"))


# --- Units ---------------------------------------------------------------------------------------


class UnitForm(forms.Form):
    code = forms.CharField(
        label="Mã định danh",
        max_length=20,
        help_text="Theo QCVN 102:2016/BTTTT, dạng 000.00.00.H00, ví dụ 000.00.12.H26.",
    )
    name = forms.CharField(label="Tên đơn vị", max_length=255)
    short_name = forms.CharField(label="Tên viết tắt", max_length=64, required=False)
    kind = forms.ChoiceField(label="Loại đơn vị", choices=UnitKind.choices)
    parent = forms.ChoiceField(label="Đơn vị cấp trên", required=False)
    sort_order = forms.IntegerField(label="Thứ tự hiển thị", min_value=0, initial=0)

    def __init__(self, *args, units=(), **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["parent"].choices = [("", "— Không có (cấp cao nhất) —"), *unit_choices(units)]
        messages_vi = {
            "code": "Hãy nhập mã định danh.",
            "name": "Hãy nhập tên đơn vị.",
            "kind": "Hãy chọn loại đơn vị.",
            "sort_order": "Hãy nhập thứ tự hiển thị.",
        }
        for name, text in messages_vi.items():
            self.fields[name].error_messages["required"] = text
        for field in self.fields.values():
            field.error_messages["invalid_choice"] = "Lựa chọn không hợp lệ."
        self.fields["sort_order"].error_messages["invalid"] = "Thứ tự phải là số nguyên."
        self.fields["sort_order"].error_messages["min_value"] = "Thứ tự không được âm."

    def values(self) -> dict:
        """The cleaned values as the org services take them (parent as a unit id or None)."""
        data = dict(self.cleaned_data)
        data["parent"] = int(data["parent"]) if data["parent"] else None
        return data


class UnitEditForm(UnitForm):
    is_active = forms.BooleanField(label="Đang hoạt động", required=False)


@administrator_required
def org_units(request):
    return render(
        request,
        "backoffice/org/units.html",
        {"page": _page(request, list(org_selectors.units_in_tree_order()))},
    )


@administrator_required
def org_unit_add(request):
    units = list(org_selectors.units_in_tree_order())
    form = UnitForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            unit = org_services.unit_create(request.user, **form.values())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Đã thêm đơn vị “{unit.name}”.")
            return redirect("backoffice:org_units")
    return render(request, "backoffice/org/unit_form.html", {"form": form, "unit": None})


@administrator_required
def org_unit_edit(request, unit_id: int):
    unit = get_object_or_404(Unit, pk=unit_id)
    # A unit cannot sit under itself: leave it out of the parent choices (the service checks too).
    units = [u for u in org_selectors.units_in_tree_order() if u.pk != unit.pk]
    initial = {
        "code": unit.code,
        "name": unit.name,
        "short_name": unit.short_name,
        "kind": unit.kind,
        "parent": str(unit.parent_id or ""),
        "sort_order": unit.sort_order,
        "is_active": unit.is_active,
    }
    form = UnitEditForm(request.POST or None, initial=initial, units=units)
    if request.method == "POST" and form.is_valid():
        current = {name: getattr(unit, name) for name in initial} | {"parent": unit.parent_id}
        # Only what the administrator changed goes to the service.
        changes = {name: value for name, value in form.values().items() if value != current[name]}
        try:
            if changes:
                unit = org_services.unit_update(request.user, unit.pk, **changes)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Đã lưu đơn vị “{unit.name}”.")
            return redirect("backoffice:org_units")
    return render(request, "backoffice/org/unit_form.html", {"form": form, "unit": unit})


# --- Staff ---------------------------------------------------------------------------------------


@administrator_required
def staff_list(request):
    return render(
        request,
        "backoffice/org/staff_list.html",
        {"page": _page(request, account_selectors.staff_members())},
    )


@administrator_required
def staff_add(request):
    units = list(org_selectors.units_in_tree_order())
    form = StaffCreateForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            member = account_services.staff_create(request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc, {"unit": "unit_id"})
        else:
            messages.success(request, f"Đã tạo tài khoản cán bộ “{member.username}”.")
            return redirect("backoffice:staff")
    return render(request, "backoffice/org/staff_form.html", {"form": form, "member": None})


@administrator_required
def staff_edit(request, user_id: int):
    member = get_object_or_404(get_user_model(), pk=user_id, role__in=STAFF_ROLES)
    units = list(org_selectors.units_in_tree_order())
    initial = {
        "full_name": member.full_name,
        "role": member.role,
        "unit_id": str(member.unit_id or ""),
        "phone": member.phone,
        "email": member.email,
        "is_active": member.is_active,
    }
    form = StaffUpdateForm(request.POST or None, initial=initial, units=units)
    if request.method == "POST" and form.is_valid():
        try:
            member = account_services.staff_update(request.user, member.pk, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc, {"unit": "unit_id"})
        else:
            messages.success(request, f"Đã lưu tài khoản cán bộ “{member.username}”.")
            return redirect("backoffice:staff")
    return render(request, "backoffice/org/staff_form.html", {"form": form, "member": member})
