"""Administration of the working calendar: each year's notice days, each unit's office hours, and a
deadline calculator.

Administrator only. Writes go through motcua.calendars.services; their Vietnamese ValidationErrors
are shown on the form and nothing is saved.
"""

from datetime import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from motcua.accounts.forms import unit_choices
from motcua.accounts.permissions import administrator_required
from motcua.calendars import selectors, services
from motcua.calendars.models import CalendarEntry, EntryKind
from motcua.calendars.statutory import FIRST_YEAR, LAST_YEAR, statutory_holidays
from motcua.core.clock import now
from motcua.core.form_fields import DayMonthYearField
from motcua.core.forms import add_service_errors
from motcua.core.workingtime import DEFAULT_SESSIONS, HOURS_PER_WORKING_DAY, VN_TZ, CalendarError
from motcua.org.models import Unit
from motcua.org.selectors import units_in_tree_order


class EntryForm(forms.Form):
    day = DayMonthYearField(label="Ngày", help_text="")
    kind = forms.ChoiceField(label="Loại", choices=EntryKind.choices)
    reason = forms.CharField(label="Lý do", max_length=255)
    notice = forms.CharField(label="Căn cứ (số, ngày thông báo)", max_length=255, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["day"].error_messages = {
            "required": "Hãy chọn ngày.",
            "invalid": "Ngày không hợp lệ.",
        }
        self.fields["reason"].error_messages = {"required": "Hãy ghi lý do."}


class DueForm(forms.Form):
    received = forms.DateTimeField(
        label="Thời điểm tiếp nhận", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    working_days = forms.DecimalField(
        label="Số ngày làm việc", min_value=0, max_value=365, initial=5
    )
    working_hours = forms.DecimalField(
        label="Số giờ làm việc (cộng thêm)", min_value=0, max_value=2920, required=False
    )
    unit = forms.ChoiceField(label="Đơn vị (giờ làm việc riêng)", required=False)

    def __init__(self, *args, units=(), **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", "— Giờ làm việc mặc định —"), *unit_choices(units)]
        self.fields["unit"].error_messages["invalid_choice"] = "Đơn vị không hợp lệ."
        self.fields["received"].error_messages = {
            "required": "Hãy nhập thời điểm.",
            "invalid": "Thời điểm không hợp lệ.",
        }
        for name in ("working_days", "working_hours"):
            self.fields[name].error_messages |= {
                "required": "Hãy nhập số ngày làm việc.",
                "invalid": "Hãy nhập một số.",
                "min_value": "Không được âm.",
                "max_value": "Lớn quá mức cho phép.",
            }

    def hours(self) -> float:
        data = self.cleaned_data
        return float(data["working_days"] * HOURS_PER_WORKING_DAY + (data["working_hours"] or 0))


def _time_field(label: str) -> forms.TimeField:
    return forms.TimeField(
        label=label, widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )


class OfficeHoursForm(forms.Form):
    morning_start = _time_field("Buổi sáng từ")
    morning_end = _time_field("Buổi sáng đến")
    afternoon_start = _time_field("Buổi chiều từ")
    afternoon_end = _time_field("Buổi chiều đến")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.error_messages = {
                "required": f"Hãy nhập giờ ({field.label.lower()}).",
                "invalid": "Giờ không hợp lệ; hãy nhập dạng 07:30.",
            }


def _back_to_year(year: int):
    return redirect(f"{reverse('backoffice:calendar_list')}?nam={year}")


def _year(request) -> int:
    try:
        year = int(request.GET.get("nam", now().year))
    except ValueError:
        year = now().year
    return min(max(year, FIRST_YEAR), LAST_YEAR)


@administrator_required
def calendar_list(request):
    year = _year(request)
    holidays = sorted((d, name) for d, name in statutory_holidays().items() if d.year == year)
    return render(
        request,
        "backoffice/calendar/list.html",
        {
            "year": year,
            "entries": selectors.calendar_entries_for_year(year),
            "holidays": holidays,
            "previous_year": year - 1 if year > FIRST_YEAR else None,
            "next_year": year + 1 if year < LAST_YEAR else None,
        },
    )


def _save_entry(request, entry=None):
    initial = None
    if entry:
        initial = {
            "day": entry.day,
            "kind": entry.kind,
            "reason": entry.reason,
            "notice": entry.notice,
        }
    form = EntryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if entry:
                saved = services.calendar_entry_update(request.user, entry.pk, **form.cleaned_data)
            else:
                saved = services.calendar_entry_create(request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Đã lưu ngày {saved.day:%d/%m/%Y}.")
            return _back_to_year(saved.day.year)
    return render(request, "backoffice/calendar/entry_form.html", {"form": form, "entry": entry})


@administrator_required
def calendar_entry_add(request):
    return _save_entry(request)


@administrator_required
def calendar_entry_edit(request, entry_id: int):
    return _save_entry(request, get_object_or_404(CalendarEntry, pk=entry_id))


@administrator_required
@require_POST
def calendar_entry_delete(request, entry_id: int):
    entry = get_object_or_404(CalendarEntry, pk=entry_id)
    services.calendar_entry_delete(request.user, entry.pk)
    messages.success(request, f"Đã xóa ngày {entry.day:%d/%m/%Y} khỏi lịch.")
    return _back_to_year(entry.day.year)


@administrator_required
def calendar_due(request):
    units = units_in_tree_order()
    form = DueForm(request.GET or None, units=units)
    due = None
    if request.GET and form.is_valid():
        received: datetime = form.cleaned_data["received"].astimezone(VN_TZ)
        unit_id = form.cleaned_data["unit"]
        unit = next((u for u in units if str(u.pk) == unit_id), None)
        try:
            due = selectors.working_calendar_for(unit).due(received, form.hours())
        except CalendarError as exc:
            form.add_error(None, str(exc))
    return render(request, "backoffice/calendar/due.html", {"form": form, "due": due})


# --- Office hours per unit -------------------------------------------------------------------------


@administrator_required
def office_hours_list(request):
    custom = selectors.office_hours_by_unit()
    rows = [(unit, custom.get(unit.pk)) for unit in units_in_tree_order()]
    return render(
        request,
        "backoffice/calendar/office_hours_list.html",
        {"rows": rows, "default": DEFAULT_SESSIONS},
    )


@administrator_required
def office_hours_edit(request, unit_id: int):
    unit = get_object_or_404(Unit, pk=unit_id)
    hours = selectors.office_hours_by_unit().get(unit.pk)
    sessions = hours.sessions() if hours else DEFAULT_SESSIONS
    initial = dict(zip(OfficeHoursForm.base_fields, (t for s in sessions for t in s), strict=True))
    form = OfficeHoursForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.office_hours_set(request.user, unit.pk, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Đã lưu giờ làm việc của {unit.name}.")
            return redirect("backoffice:office_hours_list")
    return render(
        request,
        "backoffice/calendar/office_hours_form.html",
        {"form": form, "unit": unit, "custom": hours is not None},
    )


@administrator_required
@require_POST
def office_hours_reset(request, unit_id: int):
    unit = get_object_or_404(Unit, pk=unit_id)
    services.office_hours_reset(request.user, unit.pk)
    messages.success(request, f"{unit.name} dùng lại giờ làm việc mặc định.")
    return redirect("backoffice:office_hours_list")
