"""Back-office pages of the result document (issue [J] 1): prepare it (template or upload),
review it, sign it — and the administrators' list of signers. Each view goes through the dossier's
door first, then calls one service of drafts.py; a refusal is a Vietnamese message and nothing
changes."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from motcua.accounts.permissions import role_required
from motcua.accounts.roles import Role
from motcua.core.audit import personal_data_read
from motcua.dossiers.permissions import MSG_NOT_FOUND, access_dossier_for_officer
from motcua.dossiers.workflow import Status

from .drafts import (
    PREPARABLE_STATUSES,
    PREPARING_ROLES,
    REVIEWING_ROLES,
    _draft_for,
    result_prepare_from_template,
    result_review,
    result_sign,
    result_upload_draft,
    signers_active,
    templates_for,
)
from .keys import Activation
from .models import DraftStatus, ResultOutcome, Signer, SignerBackend
from .responses import RESULT_CSP, stored_file_response
from .services import stored_file_put

PROCESSING_ROLES = (Role.SPECIALIST, Role.DIVISION_HEAD, Role.DEPARTMENT_LEADER, Role.DESK_OFFICER)
processing_staff_required = role_required(*PROCESSING_ROLES)


def _page(dossier_id: int) -> str:
    return reverse("documents:result", args=[dossier_id])


def _messages_of(error: ValidationError) -> str:
    return " ".join(error.messages)


@processing_staff_required
@require_GET
def result_page(request, dossier_id: int):
    """The dossier's result: the current draft shown as a PDF, its versions, and the one action
    the officer may take now (prepare, review, sign)."""
    dossier = access_dossier_for_officer(request.user, dossier_id)
    drafts = list(dossier.result_drafts.select_related("signer", "prepared_by", "reviewed_by"))
    current = next((d for d in drafts if d.status != DraftStatus.SUPERSEDED), None)
    user = request.user
    can_prepare = user.role in PREPARING_ROLES and dossier.status in PREPARABLE_STATUSES
    signing = (
        current is not None
        and current.status == DraftStatus.REVIEWED
        and dossier.status == Status.AWAITING_SIGNATURE
        and current.signer.user_id == user.pk
        and current.signer.is_active
    )
    context = {
        "dossier": dossier,
        "drafts": drafts,
        "current": current,
        "can_prepare": can_prepare,
        "templates": templates_for(dossier.procedure_version) if can_prepare else [],
        "signers": list(signers_active()) if can_prepare else [],
        "outcomes": ResultOutcome.choices,
        "can_review": current is not None
        and current.status == DraftStatus.PREPARED
        and user.role in REVIEWING_ROLES,
        "signing": signing,
        "backend": current.signer.backend if current else "",
    }
    return render(request, "documents/result.html", context)


@role_required(*PREPARING_ROLES)
@require_POST
def result_prepare_view(request, dossier_id: int):
    dossier = access_dossier_for_officer(request.user, dossier_id)
    values = {
        k.removeprefix("field_"): v for k, v in request.POST.items() if k.startswith("field_")
    }
    try:
        draft = result_prepare_from_template(
            request.user,
            dossier.pk,
            template_id=request.POST.get("template", ""),
            signer_id=request.POST.get("signer", ""),
            values=values,
        )
    except ValidationError as error:
        messages.error(request, _messages_of(error))
    else:
        messages.success(
            request, f"Đã soạn dự thảo lần {draft.version}, chờ lãnh đạo phòng xem xét."
        )
    return redirect(_page(dossier.pk))


@role_required(*PREPARING_ROLES)
@require_POST
def result_upload_view(request, dossier_id: int):
    dossier = access_dossier_for_officer(request.user, dossier_id)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "Vui lòng chọn tệp dự thảo (PDF hoặc DOCX).")
        return redirect(_page(dossier.pk))
    try:
        draft = result_upload_draft(
            request.user,
            dossier.pk,
            upload,
            signer_id=request.POST.get("signer", ""),
            title=request.POST.get("title", ""),
            outcome=request.POST.get("outcome", ""),
        )
    except ValidationError as error:
        messages.error(request, _messages_of(error))
    else:
        messages.success(
            request, f"Đã tải lên dự thảo lần {draft.version}, chờ lãnh đạo phòng xem xét."
        )
    return redirect(_page(dossier.pk))


@role_required(*REVIEWING_ROLES)
@require_POST
def draft_review_view(request, draft_id: int):
    draft = _draft_for(request.user, draft_id)
    accept = request.POST.get("decision") == "accept"
    try:
        result_review(request.user, draft.pk, accept=accept, note=request.POST.get("note", ""))
    except ValidationError as error:
        messages.error(request, _messages_of(error))
    else:
        messages.success(
            request,
            "Đã chuyển dự thảo để lãnh đạo ký." if accept else "Đã trả dự thảo để soạn lại.",
        )
    return redirect(_page(draft.dossier_id))


@sensitive_post_parameters("pin", "otp")  # never in an error report
@role_required(Role.DIVISION_HEAD, Role.DEPARTMENT_LEADER)
@require_POST
def draft_sign_view(request, draft_id: int):
    draft = _draft_for(request.user, draft_id)
    try:
        issued = result_sign(
            request.user,
            draft.pk,
            expected_sha256=request.POST.get("sha256", ""),
            expected_revision=int(request.POST.get("revision", "-1") or -1),
            activation=Activation(pin=request.POST.get("pin", ""), otp=request.POST.get("otp", "")),
        )
    except (ValidationError, PermissionDenied) as error:
        text = _messages_of(error) if isinstance(error, ValidationError) else str(error)
        messages.error(request, text)
        return redirect(_page(draft.dossier_id))
    messages.success(request, f"Đã ký số và ban hành {issued.title} (mã kết quả {issued.number}).")
    return redirect(reverse("backoffice:dossier_detail", args=[draft.dossier_id]))


@processing_staff_required
@require_GET
def draft_file(request, draft_id: int):
    """The draft PDF as the reviewer and the signer see it (inline, in the page's frame)."""
    draft = _draft_for(request.user, draft_id)
    personal_data_read(request, f"dossier:{draft.dossier_id}", "result_draft")
    return stored_file_response(
        draft.stored_file,
        f"du-thao-{draft.dossier_id}-{draft.version}.pdf",
        inline=True,
        csp=RESULT_CSP,
    )


# --- signers (administrators) ------------------------------------------------------------------


class SignerForm(forms.ModelForm):
    csc_base_url = forms.URLField(
        label="Địa chỉ dịch vụ ký số từ xa", required=False, assume_scheme="https"
    )
    seal_upload = forms.FileField(label="Hình ảnh con dấu (PNG nền trong suốt)", required=False)

    class Meta:
        model = Signer
        fields = [
            "name", "user", "full_name", "title", "authority", "organisation",
            "parent_organisation", "backend", "pkcs11_module", "token_label", "key_label",
            "cert_label", "csc_base_url", "csc_credential_id", "pkcs12_path", "is_active",
        ]  # fmt: skip

    def clean(self):
        data = super().clean() or {}
        needed: dict[str, tuple[str, ...]] = {
            SignerBackend.PKCS11: ("pkcs11_module", "token_label", "key_label"),
            SignerBackend.CSC: ("csc_base_url", "csc_credential_id"),
        }
        for name in needed.get(str(data.get("backend")), ()):
            if not data.get(name):
                self.add_error(name, "Cần điền với loại khoá ký đã chọn.")
        return data


@role_required(Role.ADMINISTRATOR)
@require_GET
def signers_list(request):
    signers = Signer.objects.select_related("user").order_by("name")
    return render(request, "documents/signers.html", {"signers": signers})


@role_required(Role.ADMINISTRATOR)
@require_http_methods(["GET", "POST"])
def signer_edit(request, signer_id: int | None = None):
    """Create or change a signer: where the key is, never a secret (no PIN is stored)."""
    signer = Signer.objects.filter(pk=signer_id).first() if signer_id else None
    if signer_id and signer is None:
        raise PermissionDenied(MSG_NOT_FOUND)
    form = SignerForm(request.POST or None, request.FILES or None, instance=signer)
    if request.method == "POST" and form.is_valid():
        try:
            saved = form.save(commit=False)
            seal = form.cleaned_data.get("seal_upload")
            if seal:
                saved.seal = stored_file_put(seal, kinds=("png",))
            saved.save()
        except ValidationError as error:
            form.add_error("seal_upload", _messages_of(error))
        else:
            messages.success(request, f"Đã lưu người ký “{saved.name}”.")
            return redirect(reverse("documents:signers"))
    status = 400 if request.method == "POST" else 200
    return render(
        request, "documents/signer_edit.html", {"form": form, "signer": signer}, status=status
    )
