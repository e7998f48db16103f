"""Administration of the working calendar: each year's notice days, and a deadline calculator.

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

from motcua.accounts.permissions import administrator_required
from motcua.calendars import selectors, services
from motcua.calendars.models import CalendarEntry, EntryKind
from motcua.calendars.statutory import FIRST_YEAR, LAST_YEAR, statutory_holidays
from motcua.core.clock import now
from motcua.core.workingtime import HOURS_PER_WORKING_DAY, VN_TZ, CalendarError

from .views_org import _add_errors


class EntryForm(forms.Form):
    day = forms.DateField(label="Ngày", widget=forms.DateInput(attrs={"type": "date"}))
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

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        self.fields["received"].error_messages = {
            "required": "Hãy nhập thời điểm.",
            "invalid": "Thời điểm không hợp lệ.",
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
            _add_errors(form, exc)
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
    form = DueForm(request.GET or None)
    due = None
    if request.GET and form.is_valid():
        received: datetime = form.cleaned_data["received"].astimezone(VN_TZ)
        hours = float(form.cleaned_data["working_days"] * HOURS_PER_WORKING_DAY)
        try:
            due = selectors.working_calendar_for().due(received, hours)
        except CalendarError as exc:
            form.add_error(None, str(exc))
    return render(request, "backoffice/calendar/due.html", {"form": form, "due": due})
