"""Back-office pages of the documents app. Every view opens the dossier through
access_dossier_for_officer first (403 for anyone who may not see it, whether or not it exists), then
calls a service; bad input gives a Vietnamese message and changes nothing."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from motcua.accounts.permissions import role_required
from motcua.accounts.roles import Role
from motcua.core.audit import personal_data_read
from motcua.core.identity import citizen_id_masked
from motcua.dossiers.permissions import MSG_NOT_FOUND, access_dossier_for_officer
from motcua.dossiers.selectors import dossiers_visible_to

from .models import ComponentFile, IssuedDocument
from .responses import INLINE_KINDS, RESULT_CSP, stored_file_response
from .results import result_issue
from .selectors import (
    components_with_files,
    dossiers_by_document_text,
    results_for_dossier,
    reuse_offers_for,
)
from .services import (
    component_file_attach,
    component_file_confirm,
    component_reuse,
    stored_file_put_pages,
)

PROCESSING_ROLES = (Role.DESK_OFFICER, Role.SPECIALIST, Role.DIVISION_HEAD, Role.DEPARTMENT_LEADER)
processing_staff_required = role_required(*PROCESSING_ROLES)
MAX_PAGES = 50
MSG_NO_FILE = "Vui lòng chọn tệp (ảnh chụp, bản quét hoặc PDF) của giấy tờ."
MSG_TOO_MANY_PAGES = f"Mỗi lần tải lên tối đa {MAX_PAGES} trang."
MSG_BAD_REUSE = "Giấy tờ được chọn để tái sử dụng không còn, hoặc không thuộc người nộp hồ sơ này."
PAGE_SIZE = 50


def _dossier_page(dossier_id: int) -> str:
    return reverse("documents:dossier", args=[dossier_id])


def _component_of(dossier, component_id: int):
    component = dossier.components.filter(pk=component_id).first()
    if component is None:
        raise PermissionDenied(MSG_NOT_FOUND)
    return component


@processing_staff_required
@require_GET
def dossier_documents(request, dossier_id: int):
    """The digitisation page: each component with its files, upload/scan, confirmation against the
    original, and the applicant's earlier files and results offered for reuse."""
    dossier = access_dossier_for_officer(request.user, dossier_id)
    components = components_with_files(dossier)
    offers = reuse_offers_for(dossier, components)
    for component in components:
        component.offers = offers.get(component.pk, [])
    context = {
        "dossier": dossier,
        "components": components,
        "citizen_id": citizen_id_masked(dossier.applicant.citizen_id),
        "results": list(results_for_dossier(dossier)),
        "digitised_count": sum(1 for c in components if c.digitised),
    }
    return render(request, "documents/dossier.html", context)


@processing_staff_required
@require_POST
def component_upload(request, dossier_id: int, component_id: int):
    dossier = access_dossier_for_officer(request.user, dossier_id)
    component = _component_of(dossier, component_id)
    uploads = request.FILES.getlist("files")
    if not uploads:
        messages.error(request, MSG_NO_FILE)
    elif len(uploads) > MAX_PAGES:
        messages.error(request, MSG_TOO_MANY_PAGES)
    else:
        try:
            stored = stored_file_put_pages(uploads)
            component_file_attach(
                request.user,
                component,
                stored,
                source="desk_scan",
                confirmed=request.POST.get("confirmed") == "on",
            )
        except ValidationError as error:
            messages.error(request, f"{component.name}: {' '.join(error.messages)}")
        else:
            messages.success(request, f"Đã số hoá “{component.name}” ({stored.page_count} trang).")
    return redirect(_dossier_page(dossier.pk))


@processing_staff_required
@require_POST
def component_reuse_view(request, dossier_id: int, component_id: int):
    dossier = access_dossier_for_officer(request.user, dossier_id)
    component = _component_of(dossier, component_id)
    kind, _, raw_id = request.POST.get("source", "").partition(":")
    model = {"file": ComponentFile, "result": IssuedDocument}.get(kind)
    source = (
        model.objects.select_related("stored_file").filter(pk=raw_id).first()
        if model and raw_id.isdigit()
        else None
    )
    if source is None:
        messages.error(request, MSG_BAD_REUSE)
        return redirect(_dossier_page(dossier.pk))
    try:
        component_reuse(request.user, component, source)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Đã tái sử dụng giấy tờ đã số hoá cho “{component.name}”.")
    return redirect(_dossier_page(dossier.pk))


@processing_staff_required
@require_POST
def component_file_confirm_view(request, file_id: int):
    attached = ComponentFile.objects.select_related("component").filter(pk=file_id).first()
    if attached is None:
        raise PermissionDenied(MSG_NOT_FOUND)
    dossier = access_dossier_for_officer(request.user, attached.component.dossier_id)
    try:
        component_file_confirm(request.user, attached.pk)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Đã xác nhận bản số hoá khớp với bản gốc.")
    return redirect(_dossier_page(dossier.pk))


@processing_staff_required
@require_POST
def result_issue_view(request, dossier_id: int):
    dossier = access_dossier_for_officer(request.user, dossier_id)
    try:
        issued = result_issue(request.user, dossier)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Đã phát hành kết quả điện tử số {issued.number}, đã ký số.")
    return redirect(reverse("backoffice:dossier_detail", args=[dossier.pk]))


@processing_staff_required
@require_GET
def component_file_download(request, file_id: int):
    attached = (
        ComponentFile.objects.select_related("component", "stored_file").filter(pk=file_id).first()
    )
    if attached is None:
        raise PermissionDenied(MSG_NOT_FOUND)
    dossier = access_dossier_for_officer(request.user, attached.component.dossier_id)
    # A component is the person's own paper (ID card, birth certificate): reading it is logged.
    personal_data_read(request, f"dossier:{dossier.pk}", "component_file")
    stored = attached.stored_file
    extension = {"pdf": "pdf", "jpeg": "jpg", "png": "png"}[stored.kind]
    return stored_file_response(
        stored, f"{stored.sha256[:16]}.{extension}", inline=stored.kind in INLINE_KINDS
    )


@processing_staff_required
@require_GET
def result_download(request, issued_id: int):
    issued = IssuedDocument.objects.select_related("stored_file").filter(pk=issued_id).first()
    if issued is None:
        raise PermissionDenied(MSG_NOT_FOUND)
    dossier = access_dossier_for_officer(request.user, issued.dossier_id)
    personal_data_read(request, f"dossier:{dossier.pk}", "electronic_result")
    filename = "ket-qua-" + issued.number.replace("/", "-") + ".pdf"
    return stored_file_response(issued.stored_file, filename, inline=True, csp=RESULT_CSP)


@processing_staff_required
@require_GET
def search(request):
    """Tìm hồ sơ theo nội dung giấy tờ: every word, accents optional, among the dossiers the officer
    may see."""
    query = request.GET.get("q", "").strip()[:200]
    page = None
    if query:
        found = (
            dossiers_by_document_text(query, dossiers_visible_to(request.user))
            .select_related("procedure_version")
            .order_by("-received_at", "-pk")
        )
        page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("trang"))
    return render(request, "documents/search.html", {"query": query, "page": page})
