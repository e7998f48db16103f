"""Mẫu 02, 03 and 04 of a dossier as PDFs, shown inline for printing.

Each view opens the dossier through access_dossier_for_officer (403 for anyone who may not see it,
whether or not it exists), then renders the notice from the dossier's history; a dossier without
the event a notice records gets a 404 page saying so in Vietnamese, and no PDF.
`?su_kien=<id>` picks one event when there are several (a second supplement request).
"""

from functools import cache

from django.http import HttpResponse, HttpResponseNotFound
from django.template import Context, Engine

from motcua.accounts.permissions import role_required
from motcua.core.audit import personal_data_read
from motcua.core.downloads import attachment_response
from motcua.dossiers.official_forms.notices import NoticeNotFound, notice_pdf
from motcua.dossiers.permissions import access_dossier_for_officer

from .views_dossiers import PROCESSING_ROLES


@cache
def _not_found_page():
    """The site's error layout (templates/_error.html) with the reason the notice is missing."""
    return Engine.get_default().from_string(
        '{% extends "_error.html" %}'
        "{% block title %}Không có phiếu{% endblock %}"
        "{% block code %}404{% endblock %}"
        "{% block heading %}Không có phiếu này{% endblock %}"
        "{% block body %}<p>{{ message }}</p>{% endblock %}"
    )


def _not_found(message: str) -> HttpResponseNotFound:
    return HttpResponseNotFound(_not_found_page().render(Context({"message": message})))


def _notice_response(request, dossier_id: int, number: str) -> HttpResponse:
    dossier = access_dossier_for_officer(request.user, dossier_id)
    try:
        pdf = notice_pdf(number, dossier, event_id=request.GET.get("su_kien") or None)
    except NoticeNotFound as exc:
        return _not_found(str(exc))
    personal_data_read(request, f"dossier:{dossier.pk}", f"form_{number}")
    name = dossier.code or f"truc-tuyen-{dossier.pk}"
    return attachment_response(pdf, f"mau-{number}-{name}.pdf", "application/pdf", inline=True)


@role_required(*PROCESSING_ROLES)
def dossier_form_02(request, dossier_id: int):
    """Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ."""
    return _notice_response(request, dossier_id, "02")


@role_required(*PROCESSING_ROLES)
def dossier_form_03(request, dossier_id: int):
    """Phiếu từ chối tiếp nhận giải quyết hồ sơ."""
    return _notice_response(request, dossier_id, "03")


@role_required(*PROCESSING_ROLES)
def dossier_form_04(request, dossier_id: int):
    """Phiếu xin lỗi và hẹn lại ngày trả kết quả."""
    return _notice_response(request, dossier_id, "04")
