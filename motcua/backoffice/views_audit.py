"""The log of personal-data reads, for administrators: who saw whose ID number or address, when,
on which page (Decree 13/2023 asks a controller to be able to show this)."""

from django import forms
from django.core.paginator import Paginator
from django.shortcuts import render

from motcua.accounts.permissions import role_required
from motcua.accounts.roles import Role
from motcua.core.audit import personal_data_reads
from motcua.core.form_fields import DayMonthYearField
from motcua.dossiers.models import Dossier

PAGE_SIZE = 50


class ReadLogFilter(forms.Form):
    ho_so = forms.CharField(label="Mã hồ sơ", required=False, max_length=40)
    nguoi_xem = forms.CharField(label="Tên đăng nhập người xem", required=False, max_length=150)
    tu = DayMonthYearField(label="Từ ngày", required=False, help_text="")
    den = DayMonthYearField(label="Đến ngày", required=False, help_text="")

    def clean(self):
        data = super().clean()
        if data.get("tu") and data.get("den") and data["tu"] > data["den"]:
            raise forms.ValidationError("“Từ ngày” phải trước hoặc bằng “Đến ngày”.")
        code = (data.get("ho_so") or "").strip()
        if code:
            dossier = Dossier.objects.filter(code=code).only("pk").first()
            if dossier is None:
                self.add_error("ho_so", f"Không có hồ sơ mã {code}.")
            else:
                data["subject"] = f"dossier:{dossier.pk}"
        return data


@role_required(Role.ADMINISTRATOR)
def personal_data_read_log(request):
    form = ReadLogFilter(request.GET or None)
    reads = personal_data_reads()
    if form.is_bound and form.is_valid():
        reads = personal_data_reads(
            subject=form.cleaned_data.get("subject", ""),
            username=form.cleaned_data["nguoi_xem"].strip(),
            date_from=form.cleaned_data["tu"],
            date_to=form.cleaned_data["den"],
        )
    elif form.is_bound:
        reads = reads.none()
    page = Paginator(reads, PAGE_SIZE).get_page(request.GET.get("trang"))
    return render(request, "backoffice/audit/reads.html", {"form": form, "page": page})
