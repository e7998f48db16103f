"""The public verification page: anyone, signed in or not, checks a result PDF or its QR link.

Only what is needed to trust the document is shown: number, title, issuing unit, date, signer,
whether it is intact — and the holder's name masked. Uploaded files are checked in memory and not
kept.
"""

from datetime import datetime

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from motcua.core.identity import name_masked

from .selectors import issued_document_by_token
from .signing import pdf_verdict

MSG_CHOOSE = "Vui lòng chọn tệp PDF cần xác thực."
MSG_TOO_LARGE = "Tệp quá lớn để xác thực (tối đa {limit} MB)."
MSG_NOT_PDF = "Tệp đã chọn không phải tệp PDF."


class VerifyForm(forms.Form):
    file = forms.FileField(label="Tệp PDF kết quả", error_messages={"required": MSG_CHOOSE})

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.MOTCUA_UPLOAD_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(MSG_TOO_LARGE.format(limit=limit // (1024 * 1024)))
        data = upload.read(limit + 1)
        if b"%PDF-" not in data[:1024]:
            raise forms.ValidationError(MSG_NOT_PDF)
        return data


def _issued_summary(issued) -> dict:
    return {
        "number": issued.number,
        "title": issued.title,
        "issuing_unit": issued.issuing_unit,
        "signed_at": issued.signed_at,
        "signer": issued.signer,
        "holder": name_masked(issued.holder_name),
    }


def _registry_entry(verdict: dict) -> dict | None:
    """The registry's words on the exact file: a dossier's result or an issued report."""
    from .models import IssuedDocument, SignedReport

    if not verdict["issued_by_us"]:
        return None
    issued = IssuedDocument.objects.filter(sha256=verdict["sha256"]).first()
    if issued is not None:
        return _issued_summary(issued)
    report = SignedReport.objects.select_related("report", "signer").get(sha256=verdict["sha256"])
    return {
        "number": str(report.report),
        "title": "Báo cáo định kỳ",
        "issuing_unit": report.signer.organisation,
        "signed_at": report.signed_at,
        "signer": f"{report.signer.full_name} — {report.signer.title}",
        "holder": "",
    }


@login_not_required
@require_http_methods(["GET", "POST"])
def verify_upload(request):
    verdict = issued = None
    form = VerifyForm(request.POST, request.FILES) if request.method == "POST" else VerifyForm()
    if request.method == "POST" and form.is_valid():
        verdict = pdf_verdict(form.cleaned_data["file"])
        for key in ("signed_at", "timestamp"):
            if verdict[key]:
                verdict[f"{key}_display"] = datetime.fromisoformat(verdict[key])
        issued = _registry_entry(verdict)
    status = 400 if request.method == "POST" and not form.is_valid() else 200
    return render(
        request,
        "documents/verify.html",
        {"form": form, "verdict": verdict, "issued": issued},
        status=status,
    )


@login_not_required
@require_http_methods(["GET"])
def verify_token(request, token: str):
    issued = issued_document_by_token(token)
    context = {"form": VerifyForm(), "token_entry": _issued_summary(issued) if issued else None}
    return render(request, "documents/verify_token.html", context, status=200 if issued else 404)
