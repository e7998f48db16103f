"""The records office's two registers (issue [J] 4): văn bản đi — register a document, send it,
follow what each recipient reports; văn bản đến — what arrived, its files, assign it to an officer.
Staff of the unit only: every page reads motcua.exchange.selectors' visibility querysets; every
write goes through motcua.exchange.services, whose Vietnamese errors are shown with nothing saved."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from motcua.accounts.permissions import staff_required
from motcua.core.downloads import attachment_response
from motcua.core.forms import add_service_errors
from motcua.documents.responses import DOWNLOAD_CSP
from motcua.exchange import selectors, services
from motcua.exchange.doctypes import DOCUMENT_TYPES, STEERING_TYPES
from motcua.exchange.edxml import STATUS_CODES
from motcua.exchange.files import exchange_file_bytes
from motcua.exchange.transports import TransportError, configured_transport

PAGE_SIZE = 50


def _page(request, items):
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("trang"))


class OutgoingForm(forms.Form):
    type_name = forms.ChoiceField(
        label="Loại văn bản", choices=[(name, name) for name, _ in DOCUMENT_TYPES]
    )
    document_type = forms.CharField(
        label="Mã loại văn bản trên trục (DocumentType/Type)",
        max_length=8,
        initial="1",
        help_text="Mã do trục liên thông quy định; mặc định 1 (công văn).",
    )
    symbol = forms.CharField(
        label="Ký hiệu", max_length=64, help_text="Phần sau số, ví dụ BC-STP hoặc STP-VP."
    )
    issued_on = forms.DateField(
        label="Ngày ban hành", widget=forms.DateInput(attrs={"type": "date"})
    )
    place = forms.CharField(label="Địa danh", max_length=128)
    subject = forms.CharField(label="Trích yếu", widget=forms.Textarea(attrs={"rows": 3}))
    signer_competence = forms.CharField(
        label="Thẩm quyền ký",
        max_length=16,
        required=False,
        help_text="KT., TM., TL. hoặc để trống.",
    )
    signer_position = forms.CharField(label="Chức vụ người ký", max_length=128, required=False)
    signer_name = forms.CharField(label="Người ký", max_length=128)
    recipients = forms.CharField(
        label="Nơi nhận",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Mỗi dòng một cơ quan: mã định danh theo QCVN 102:2016, rồi tên, ví dụ "
        "“000.00.07.H27 Sở Nội vụ”.",
    )
    steering_type = forms.ChoiceField(label="Loại chỉ đạo (SteeringType)", choices=STEERING_TYPES)
    due_date = forms.DateField(
        label="Hạn trả lời", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    attachment = forms.FileField(label="Tệp văn bản", required=False)

    def recipient_list(self) -> list[tuple[str, str]]:
        lines = [line.strip() for line in self.cleaned_data["recipients"].splitlines()]
        pairs = []
        for line in lines:
            if line:
                code, _, name = line.partition(" ")
                pairs.append((code, name.strip()))
        return pairs


class AssignForm(forms.Form):
    assignee = forms.TypedChoiceField(label="Người xử lý", coerce=int)
    due_date = forms.DateField(
        label="Hạn xử lý", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, officers=(), **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "— Chọn cán bộ —")] + [
            (o.pk, o.full_name or o.username) for o in officers
        ]


class ReplyForm(forms.Form):
    code = forms.ChoiceField(
        label="Trạng thái",
        choices=[(c, f"{c} — {STATUS_CODES[c]}") for c in services.REPLY_CODES],
    )
    description = forms.CharField(
        label="Ghi chú cho nơi gửi", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class RecallForm(forms.Form):
    reason = forms.CharField(
        label="Lý do lấy lại", max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


def _download(file) -> HttpResponse:
    """A received or sent attachment: saved, never shown, under the same policy as every stored
    file (documents.responses: nothing in it may run as a page of this site)."""
    response = attachment_response(exchange_file_bytes(file), file.name, "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = DOWNLOAD_CSP
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


# --- Văn bản đi ----------------------------------------------------------------------------------


@staff_required
def exchange_outgoing(request):
    return render(
        request,
        "backoffice/exchange/outgoing_list.html",
        {"page": _page(request, selectors.outgoing_register_list(request.user))},
    )


@staff_required
def exchange_outgoing_new(request):
    form = OutgoingForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data.get("attachment")
        files = []
        if upload:
            files.append(
                services.FileIn(
                    upload.name,
                    upload.content_type or "application/octet-stream",
                    upload.read(),
                    "Văn bản",
                )
            )
        try:
            document = services.outgoing_register(
                request.user,
                symbol=data["symbol"],
                document_type=data["document_type"],
                type_name=data["type_name"],
                subject=data["subject"],
                place=data["place"],
                issued_on=data["issued_on"],
                signer_name=data["signer_name"],
                signer_position=data["signer_position"],
                signer_competence=data["signer_competence"],
                recipients=form.recipient_list(),
                steering_type=data["steering_type"],
                due_date=data["due_date"],
                files=files,
            )
        except ValidationError as exc:
            add_service_errors(form, exc, {"files": "attachment"})
        else:
            messages.success(request, f"Đã vào sổ văn bản đi số {document.number_symbol}.")
            return redirect("backoffice:exchange_outgoing_detail", document_id=document.pk)
    return render(request, "backoffice/exchange/outgoing_form.html", {"form": form})


@staff_required
def exchange_outgoing_detail(request, document_id: int):
    document = selectors.outgoing_for_officer(request.user, document_id)
    return render(
        request,
        "backoffice/exchange/outgoing_detail.html",
        {
            "document": document,
            "deliveries": document.deliveries.prefetch_related("statuses"),
            "files": document.files.all(),
            "status_names": STATUS_CODES,
        },
    )


@staff_required
@require_POST
def exchange_outgoing_send(request, document_id: int):
    document = selectors.outgoing_for_officer(request.user, document_id)
    try:
        services.outgoing_send(request.user, document.pk, configured_transport([]))
    except TransportError as exc:
        messages.error(request, f"Chưa gửi được: {exc}")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"Đã gửi văn bản {document.number_symbol}.")
    return redirect("backoffice:exchange_outgoing_detail", document_id=document.pk)


@staff_required
@require_POST
def exchange_outgoing_recall(request, document_id: int):
    document = selectors.outgoing_for_officer(request.user, document_id)
    form = RecallForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Hãy ghi lý do lấy lại văn bản.")
        return redirect("backoffice:exchange_outgoing_detail", document_id=document.pk)
    try:
        services.outgoing_recall(
            request.user, document.pk, form.cleaned_data["reason"], configured_transport([])
        )
    except TransportError as exc:
        messages.error(request, f"Chưa gửi được đề nghị lấy lại: {exc}")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, f"Đã đề nghị các nơi nhận trả lại văn bản {document.number_symbol}."
        )
    return redirect("backoffice:exchange_outgoing_detail", document_id=document.pk)


@staff_required
def exchange_outgoing_file(request, document_id: int, file_id: int):
    document = selectors.outgoing_for_officer(request.user, document_id)
    file = document.files.filter(pk=file_id).first()
    if file is None:
        raise Http404
    return _download(file)


# --- Văn bản đến ---------------------------------------------------------------------------------


@staff_required
def exchange_incoming(request):
    return render(
        request,
        "backoffice/exchange/incoming_list.html",
        {"page": _page(request, selectors.incoming_register_list(request.user))},
    )


@staff_required
def exchange_incoming_detail(request, document_id: int):
    document = selectors.incoming_for_officer(request.user, document_id)
    form = AssignForm(
        initial={"assignee": document.assignee_id, "due_date": document.due_date},
        officers=selectors.assignable_officers(document.unit_id),
    )
    return _incoming_page(request, document, form)


def _incoming_page(request, document, form, reply_form=None):
    return render(
        request,
        "backoffice/exchange/incoming_detail.html",
        {
            "document": document,
            "files": document.files.all(),
            "form": form,
            "reply_form": reply_form or ReplyForm(),
        },
    )


@staff_required
@require_POST
def exchange_incoming_reply(request, document_id: int):
    document = selectors.incoming_for_officer(request.user, document_id)
    reply_form = ReplyForm(request.POST)
    if reply_form.is_valid():
        try:
            services.incoming_reply(
                request.user,
                document.pk,
                reply_form.cleaned_data["code"],
                reply_form.cleaned_data["description"],
                configured_transport([]),
            )
        except TransportError as exc:
            reply_form.add_error(None, f"Chưa gửi được: {exc}")
        except ValidationError as exc:
            add_service_errors(reply_form, exc)
        else:
            messages.success(request, "Đã báo trạng thái cho nơi gửi.")
            return redirect("backoffice:exchange_incoming_detail", document_id=document.pk)
    form = AssignForm(
        initial={"assignee": document.assignee_id, "due_date": document.due_date},
        officers=selectors.assignable_officers(document.unit_id),
    )
    return _incoming_page(request, document, form, reply_form)


@staff_required
@require_POST
def exchange_incoming_assign(request, document_id: int):
    document = selectors.incoming_for_officer(request.user, document_id)
    form = AssignForm(request.POST, officers=selectors.assignable_officers(document.unit_id))
    if form.is_valid():
        try:
            services.incoming_assign(
                request.user,
                document.pk,
                form.cleaned_data["assignee"],
                form.cleaned_data["due_date"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Đã phân công văn bản đến số {document.arrival_number}.")
            return redirect("backoffice:exchange_incoming_detail", document_id=document.pk)
    return _incoming_page(request, document, form)


@staff_required
def exchange_incoming_file(request, document_id: int, file_id: int):
    document = selectors.incoming_for_officer(request.user, document_id)
    file = document.files.filter(pk=file_id).first()
    if file is None:
        raise Http404
    return _download(file)
