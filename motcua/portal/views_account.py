"""The citizen's account pages under /cong-dan/tai-khoan/: sign-in with a one-time code (or OIDC),
the online application with uploads and drafts, the citizen's dossiers, the supplement answer,
withdrawal, return by post, result download and the rating.

Every page works without JavaScript. Views only translate requests: the rules are in
motcua.accounts.one_time_codes and motcua.portal.services, and every dossier is reached through
motcua.dossiers.online.access_dossier_for_citizen (another citizen's dossier answers 403).
"""

from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST

from motcua.accounts.national_signon import national_signon_active, national_signon_enabled
from motcua.accounts.one_time_codes import one_time_code_send, one_time_code_verify
from motcua.accounts.roles import Role
from motcua.catalog.selectors import version_in_force
from motcua.core.client_address import UNKNOWN, client_ip
from motcua.core.downloads import attachment_response
from motcua.core.pdf import render_pdf
from motcua.core.text import format_money
from motcua.documents.responses import RESULT_CSP, stored_file_response
from motcua.dossiers.codes import short_reference_display
from motcua.dossiers.online import access_dossier_for_citizen, online_reference
from motcua.dossiers.workflow import (
    OPEN_FOR_WITHDRAWAL,
    STATUS_LABELS,
    Status,
)
from motcua.payments.selectors import applicant_payment, applicant_qr_png

from . import selectors, services
from .forms import (
    RATING_QUESTIONS,
    ApplicationForm,
    CodeForm,
    DestinationForm,
    PostalAddressForm,
    ProfileForm,
    RatingForm,
    SupplementForm,
    WithdrawForm,
)
from .models import DossierRating

SESSION_DESTINATION = "portal_signin_destination"
SESSION_NEXT = "portal_signin_next"
PAGE_SIZE = 20


def _client_ip(request) -> str | None:
    """The client's address as the trusted proxy chain reports it (one-time code limits)."""
    address = client_ip(request)
    return None if address == UNKNOWN else address


def _is_safe_next(request, target: str) -> bool:
    return bool(target) and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )


def _safe_next(request, target: str) -> str:
    return target if _is_safe_next(request, target) else reverse("portal:account_home")


def _next_of(request) -> str:
    """The page the citizen was going to, from the form (POST) or the address (GET); a page of
    another site is dropped here, so it is never carried through the steps of signing in."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    return target if _is_safe_next(request, target) else ""


def _with_next(url: str, target: str) -> str:
    """`url` carrying `next`, so a wrong code, a resend or an expired step keeps the destination."""
    return f"{url}?{urlencode({'next': target})}" if target else url


def _sign_in_page(request, form=None, status=200):
    next_url = _next_of(request) or (request.get_full_path() if status == 401 else "")
    if request.GET.get("loi") == "oidc" and form is None:
        form = DestinationForm()
        form.add_error(
            None,
            "Không đăng nhập được qua tài khoản định danh điện tử. Ông/bà có thể đăng nhập bằng "
            "mã xác thực gửi qua số điện thoại hoặc thư điện tử.",
        )
    return render(
        request,
        "portal/account/signin.html",
        {
            "form": form or DestinationForm(),
            "next": next_url,
            "oidc_enabled": settings.OIDC_ENABLED,
            "national_signon_enabled": national_signon_enabled(),
            "needs_sign_in": status == 401,
        },
        status=status,
    )


def _roles_required(*roles):
    """Citizen pages: an anonymous visitor gets the sign-in form (401), staff get 403 — except the
    roles named, e.g. a desk officer filling an application for a citizen who came in person."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            user = request.user
            if not user.is_authenticated:
                return _sign_in_page(request, status=401)
            if not (user.is_active and user.role in roles):
                raise PermissionDenied("Trang này dành cho tài khoản công dân.")
            return view(request, *args, **kwargs)

        return login_not_required(wrapped)

    return decorator


citizen_required = _roles_required(Role.CITIZEN)
applicant_required = _roles_required(Role.CITIZEN, Role.DESK_OFFICER)


def _errors_to_form(form, exc: ValidationError) -> dict[str, str]:
    """Put a service's errors beside their fields; those of no form field (a component's file)
    go to the top of the form and are returned, to be shown beside their component too."""
    extra = {}
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            name = field.removeprefix("applicant.")
            target = name if name in form.fields else None
            if target is None:
                extra[name] = errors[0].messages[0]
            for error in errors:
                form.add_error(target, error.messages[0])
    else:
        for message in exc.messages:
            form.add_error(None, message)
    return extra


# --- sign-in ------------------------------------------------------------------------------------


@login_not_required
@require_http_methods(["GET", "POST"])
def signin(request):
    """Step 1: a phone number or an e-mail address; a code is sent to it."""
    if request.method == "GET":
        return _sign_in_page(request)
    form = DestinationForm(request.POST)
    if form.is_valid():
        try:
            destination = one_time_code_send(
                form.cleaned_data["destination"], ip=_client_ip(request)
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            request.session[SESSION_DESTINATION] = destination.shown
            request.session[SESSION_NEXT] = _next_of(request)
            return redirect("portal:signin_code")
    return _sign_in_page(request, form, status=400)


@login_not_required
@require_http_methods(["GET", "POST"])
def signin_code(request):
    """Step 2: the six-digit code; the right one signs in (and opens the account the first time)."""
    destination = request.session.get(SESSION_DESTINATION)
    target = request.session.get(SESSION_NEXT, "")
    if not destination:
        return redirect(_with_next(reverse("portal:signin"), _next_of(request) or target))
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                user = one_time_code_verify(destination, form.cleaned_data["code"])
            except ValidationError as exc:
                _errors_to_form(form, exc)
            else:
                login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                if not user.full_name:
                    return redirect(_with_next(reverse("portal:profile"), target))
                return redirect(_safe_next(request, target))
    return render(
        request,
        "portal/account/signin_code.html",
        {"form": form, "destination": destination, "next": target},
        status=status,
    )


@login_not_required
@require_POST
def signout(request):
    logout(request)
    return redirect("portal:home")


@citizen_required
@require_http_methods(["GET", "POST"])
def profile(request):
    user = request.user
    initial = {
        "full_name": user.full_name,
        "citizen_id": user.citizen_id,
        "phone_channel": user.phone_channel,
    }
    form = ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        from django.db import transaction

        from motcua.accounts.services import citizen_profile_update
        from motcua.notifications.routing import phone_channel_choose

        data = dict(form.cleaned_data)
        channel = data.pop("phone_channel", "")
        try:
            with transaction.atomic():  # both choices are saved, or neither
                citizen_profile_update(user, **data)
                if channel:
                    phone_channel_choose(user, channel)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, "Đã lưu thông tin cá nhân.")
            return redirect(_safe_next(request, request.GET.get("next", "")))
    return render(request, "portal/account/profile.html", {"form": form})


# --- OIDC (optional) ----------------------------------------------------------------------------


@login_not_required
def oidc_start(request):
    if not settings.OIDC_ENABLED:
        raise Http404("Chưa cấu hình đăng nhập qua nhà cung cấp định danh.")
    from mozilla_django_oidc.views import OIDCAuthenticationRequestView

    return OIDCAuthenticationRequestView.as_view()(request)


@login_not_required
def oidc_callback(request):
    if not settings.OIDC_ENABLED:
        raise Http404("Chưa cấu hình đăng nhập qua nhà cung cấp định danh.")
    from mozilla_django_oidc.views import OIDCAuthenticationCallbackView

    class Callback(OIDCAuthenticationCallbackView):
        @property
        def success_url(self):
            return _safe_next(self.request, self.request.session.get("oidc_login_next") or "")

        @property
        def failure_url(self):
            target = self.request.session.get("oidc_login_next") or ""
            url = reverse("portal:signin") + "?loi=oidc"
            if _is_safe_next(self.request, target):
                url += "&" + urlencode({"next": target})
            return url

    return Callback.as_view()(request)


# --- the citizen's dossiers ---------------------------------------------------------------------


@citizen_required
def account_home(request):
    dossiers = Paginator(selectors.citizen_dossiers(request.user), PAGE_SIZE).get_page(
        request.GET.get("trang")
    )
    drafts = list(selectors.citizen_drafts(request.user)[:20])
    return render(request, "portal/account/home.html", {"page": dossiers, "drafts": drafts})


def _dossier_key(dossier) -> str:
    return dossier.code or online_reference(dossier)


@citizen_required
def dossier_detail(request, dossier_id):
    dossier = access_dossier_for_citizen(request.user, dossier_id)
    status = Status(dossier.status)
    todo, note = selectors.dossier_todo(dossier)
    rating = DossierRating.objects.filter(dossier=dossier).first()
    context = {
        "d": dossier,
        "status_label": STATUS_LABELS[status],
        "todo": todo,
        "note": note,
        "tracking_key": _dossier_key(dossier),
        "events": dossier.events.order_by("at", "pk"),
        "components": dossier.components.all(),
        "files": selectors.dossier_files(dossier),
        "notices": selectors.dossier_messages(dossier),
        "results": selectors.dossier_results(dossier),
        "may_supplement": status in (Status.INTAKE_SUPPLEMENT, Status.SUPPLEMENT_REQUESTED),
        "supplement": _supplement_asked(dossier, status),
        "may_withdraw": status in OPEN_FOR_WITHDRAWAL,
        "may_choose_post": "post" in dossier.procedure_version.return_channels
        and dossier.return_channel != "post"
        and status not in (Status.RETURNED, Status.WITHDRAWN, Status.STOPPED),
        "may_rate": rating is None and status in (Status.RETURNED, Status.FINISHED, Status.REFUSED),
        "rating": rating,
        "feedback_url": _feedback_url(dossier),
        # The fee's VietQR while it is owed, the receipt of an online submission (issue 15, 8–9).
        **_fee_context(dossier),
        "online_receipt": dossier.channel == "online" and dossier.submitted_at is not None,
    }
    return render(request, "portal/account/dossier.html", context)


def _supplement_asked(dossier, status):
    """The open supplement request's list (papers, then words) on the citizen's own page: all of
    it, free text included — the page is theirs alone."""
    if status not in (Status.INTAKE_SUPPLEMENT, Status.SUPPLEMENT_REQUESTED):
        return None
    return dossier.supplement_lists.order_by("-requested_at", "-pk").first()


def _feedback_url(dossier=None) -> str:
    from django.urls import NoReverseMatch

    try:
        url = reverse("feedback_public:feedback_new")
    except NoReverseMatch:
        return ""
    return f"{url}?ho_so={dossier.code}" if dossier is not None and dossier.code else url


def _uploads(request, keys) -> dict[int, list]:
    found = {}
    for key in keys:
        files = request.FILES.getlist(f"file_{key}")
        if files:
            found[key] = files
    return found


@citizen_required
@require_http_methods(["GET", "POST"])
def dossier_supplement(request, dossier_id):
    dossier = access_dossier_for_citizen(request.user, dossier_id)
    form = SupplementForm(request.POST or None)
    components = list(dossier.components.all())
    todo, note = selectors.dossier_todo(dossier)
    supplement = _supplement_asked(dossier, Status(dossier.status))
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.supplement_answer(
                request.user,
                dossier.pk,
                uploads=_uploads(request, [c.pk for c in components]),
                note=form.cleaned_data["note"],
            )
        except ValidationError as exc:
            status = 400
            _errors_to_form(form, exc)
        else:
            messages.success(request, "Đã gửi hồ sơ bổ sung. Bộ phận Một cửa sẽ kiểm tra.")
            return redirect("portal:dossier_detail", dossier_id=dossier.pk)
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "portal/account/supplement.html",
        {
            "d": dossier,
            "form": form,
            "components": components,
            "note": note,
            "supplement": supplement,
        },
        status=status,
    )


@citizen_required
@require_http_methods(["GET", "POST"])
def dossier_withdraw(request, dossier_id):
    dossier = access_dossier_for_citizen(request.user, dossier_id)
    form = WithdrawForm(request.POST or None, initial={"revision": dossier.revision})
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.dossier_withdraw_by_citizen(
                    request.user,
                    dossier.pk,
                    reason=form.cleaned_data["reason"],
                    expected_revision=form.cleaned_data["revision"],
                )
            except (ValidationError, PermissionDenied) as exc:
                form.add_error(None, exc.messages[0] if hasattr(exc, "messages") else str(exc))
            else:
                messages.success(request, "Đã rút hồ sơ.")
                return redirect("portal:dossier_detail", dossier_id=dossier.pk)
    return render(
        request, "portal/account/withdraw.html", {"d": dossier, "form": form}, status=status
    )


@citizen_required
@require_http_methods(["GET", "POST"])
def dossier_return_post(request, dossier_id):
    """Return by post: the receiver and an address from the official list. Without JavaScript the
    commune list follows the province through the "Chọn tỉnh" button (the form comes back)."""
    from motcua.core.places import HOME_PROVINCE_CODE

    dossier = access_dossier_for_citizen(request.user, dossier_id)
    # Pre-filled only from what this citizen gave: their account and this dossier of theirs —
    # never the person record the ID number links to, which another citizen may have written
    # (issue [O] 2, ADR 0020).
    initial = {
        "receiver_name": dossier.applicant_name,
        "phone": request.user.phone,
        "province_code": HOME_PROVINCE_CODE,
        "ward_code": "",
        "address_line": dossier.applicant_address,
    }
    province = request.POST.get("province_code") or initial["province_code"]
    form = PostalAddressForm(request.POST or None, initial=initial, province_code=province)
    status = 200
    if request.method == "POST" and request.POST.get("action") != "province":
        status = 400
        if form.is_valid():
            try:
                _return_by_post(request.user, dossier, form.cleaned_data)
            except (ValidationError, PermissionDenied) as exc:
                if isinstance(exc, ValidationError):
                    _errors_to_form(form, exc)
                else:
                    form.add_error(None, str(exc))
            else:
                messages.success(request, "Kết quả sẽ được gửi qua dịch vụ bưu chính công ích.")
                return redirect("portal:dossier_detail", dossier_id=dossier.pk)
    return render(
        request, "portal/account/return_post.html", {"d": dossier, "form": form}, status=status
    )


def _return_by_post(user, dossier, address: dict):
    """The postal app's service (a consignment request to the address); the portal's own small
    service records the choice where that app is not installed."""
    try:
        from motcua.postal.services import Address, postal_return_choose
    except ImportError:
        return services.dossier_return_by_post_choose(user, dossier.pk)
    return postal_return_choose(user, dossier, Address(**address))


@citizen_required
@require_http_methods(["GET", "POST"])
def dossier_rate(request, dossier_id):
    dossier = access_dossier_for_citizen(request.user, dossier_id)
    form = RatingForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            scores = {name: form.cleaned_data[name] for name, _, _ in RATING_QUESTIONS}
            try:
                services.dossier_rate(
                    request.user, dossier.pk, scores=scores, comment=form.cleaned_data["comment"]
                )
            except ValidationError as exc:
                _errors_to_form(form, exc)
            else:
                messages.success(request, "Cảm ơn ông/bà đã đánh giá.")
                return redirect("portal:dossier_detail", dossier_id=dossier.pk)
    return render(request, "portal/account/rate.html", {"d": dossier, "form": form}, status=status)


@citizen_required
def result_download(request, dossier_id, document_id):
    dossier = access_dossier_for_citizen(request.user, dossier_id)
    issued = next((r for r in selectors.dossier_results(dossier) if r.pk == document_id), None)
    if issued is None:
        raise Http404("Không tìm thấy kết quả.")
    # Streamed from the store (ADR 0027), saved by the browser as the signed file it is.
    return stored_file_response(
        issued.stored_file, f"Kết quả {issued.number}.pdf", inline=False, csp=RESULT_CSP
    )


# --- the online application ---------------------------------------------------------------------


@applicant_required
@require_http_methods(["GET", "POST"])
def apply_start(request, code):
    """GET: what the procedure needs and a button; POST: open a draft and go to it."""
    version = version_in_force(code)
    if version is None or version.procedure.is_internal:
        raise Http404("Không tìm thấy thủ tục.")
    error = ""
    if request.method == "POST":
        try:
            application = services.application_start(request.user, version)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            return redirect("portal:application_edit", application_id=application.pk)
    return render(
        request,
        "portal/account/apply_start.html",
        {"version": version, "error": error, "components": version.components.all()},
        status=400 if error else 200,
    )


def _application_initial(application) -> dict:
    data = dict(application.data)
    return {k: v for k, v in data.items() if v not in (None, "")}


@applicant_required
@require_http_methods(["GET", "POST"])
def application_edit(request, application_id):
    """The draft: save (no checks but the files') or submit (everything checked)."""
    application = services.access_application(request.user, application_id)
    if application.submitted:
        return _after_submit(request, application.dossier)
    version = application.procedure_version
    components = list(version.components.all())
    form = ApplicationForm(
        request.POST or None, version=version, initial=_application_initial(application)
    )
    status = 200
    file_errors = {}
    if request.method == "POST":
        status = 400
        submitting = request.POST.get("action") == "submit"
        valid = form.is_valid()
        # A submission with errors still keeps what was typed and uploaded, as a draft.
        if valid or _draft_ok(form):
            values = services.ApplicationInput(
                **{k: form.cleaned_data.get(k) or "" for k in services.APPLICANT_FIELDS},
                return_channel=form.cleaned_data.get("return_channel") or "",
                notify_channel=form.cleaned_data.get("notify_channel") or "",
                uploads=_uploads(request, [c.order for c in components]),
            )
            values.date_of_birth = form.cleaned_data.get("date_of_birth") or None
            try:
                services.application_save(request.user, application.pk, values)
                if submitting and valid:
                    dossier = services.application_submit(
                        request.user,
                        application.pk,
                        national_account=national_signon_active(request.session, request.user),
                    )
                    return _after_submit(request, dossier)
            except ValidationError as exc:
                file_errors = _errors_to_form(form, exc)
            else:
                if not submitting:
                    messages.success(request, "Đã lưu hồ sơ nháp.")
                    return redirect("portal:application_edit", application_id=application.pk)
    files = {}
    for upload in application.files.all():
        files.setdefault(upload.component_order, []).append(upload)
    component_rows = [
        {
            "c": c,
            "files": files.get(c.order, []),
            "error": file_errors.get(f"file_{c.order}", ""),
        }
        for c in components
    ]
    return render(
        request,
        "portal/account/application.html",
        {
            "application": application,
            "version": version,
            "form": form,
            "components": component_rows,
            "assisted": request.user.role == Role.DESK_OFFICER,
            "fees": [(f.name, format_money(f.amount)) for f in version.fees.all() if f.amount],
            "fee_due": selectors.fee_due_text(version),
        },
        status=status,
    )


def _draft_ok(form) -> bool:
    """A draft may be saved half-filled: only the fields typed must be well formed."""
    bad = {"date_of_birth", "email"} & set(form.errors)
    return not bad


def _after_submit(request, dossier):
    if request.user.role == Role.DESK_OFFICER:
        key = dossier.code or online_reference(dossier)
        messages.success(request, f"Đã nộp hồ sơ trực tuyến hộ công dân. Mã tra cứu: {key}")
        return redirect("portal:tracking_detail", code=key)
    return redirect("portal:dossier_submitted", dossier_id=dossier.pk)


# --- after submitting: confirmation, fee, receipt (issue 15 items 8–9) -------------------------


def _fee_context(dossier) -> dict:
    """The applicant's fee block: the VietQR while the fee is owed (its charge is opened when the
    submission commits: payments.services.FEE_DUE_AFTER), or the fee once paid."""
    context = applicant_payment(dossier)
    context["qr_png_url"] = reverse("portal:dossier_qr_png", args=[dossier.pk])
    return context


@citizen_required
def dossier_submitted(request, dossier_id):
    """The confirmation after an online submission: the short reference, the fee's VietQR when it
    is due at submission, and the receipt (Giấy xác nhận nộp hồ sơ trực tuyến) to download."""
    dossier = access_dossier_for_citizen(request.user, dossier_id)
    context = {
        "d": dossier,
        "reference": short_reference_display(dossier.short_reference)
        if dossier.short_reference
        else online_reference(dossier),
        **_fee_context(dossier),
    }
    return render(request, "portal/account/submitted.html", context)


@citizen_required
def dossier_receipt_pdf(request, dossier_id):
    """The receipt of an online submission as a PDF, for the citizen who submitted it."""
    dossier = access_dossier_for_citizen(request.user, dossier_id)
    if dossier.channel != "online" or dossier.submitted_at is None:
        raise Http404("Hồ sơ này không nộp trực tuyến.")
    pdf = render_pdf("portal/pdf/online_receipt.html", {"form": selectors.online_receipt(dossier)})
    key = dossier.short_reference or dossier.code or str(dossier.pk)
    return attachment_response(pdf, f"Giấy xác nhận nộp hồ sơ {key}.pdf", "application/pdf")


@citizen_required
def dossier_qr_png(request, dossier_id):
    """The fee's VietQR as a PNG to save ("Lưu ảnh mã QR"); 404 when nothing is owed."""
    dossier = access_dossier_for_citizen(request.user, dossier_id)
    png = applicant_qr_png(dossier)
    if png is None:
        raise Http404("Hồ sơ không còn khoản phí, lệ phí phải nộp.")
    key = dossier.short_reference or dossier.code or str(dossier.pk)
    response = attachment_response(png, f"Mã VietQR nộp phí {key}.png", "image/png")
    response["Cache-Control"] = "private, no-store"
    return response


@applicant_required
@require_POST
def application_file_delete(request, application_id, file_id):
    try:
        services.application_file_remove(request.user, application_id, file_id)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect("portal:application_edit", application_id=application_id)
