"""Staff sign-in in two steps (password, then the authenticator's code when the account uses one or
must), the enrolment of an authenticator app, and the administrators' page of refused sign-ins
with unlocking. The rules live in motcua.accounts.signin and motcua.accounts.totp."""

import time

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from motcua.accounts import signin, totp
from motcua.accounts.forms import StaffAuthenticationForm
from motcua.accounts.models import SignInFailureReason, User
from motcua.accounts.permissions import is_staff_member, role_required
from motcua.accounts.roles import Role
from motcua.core.client_address import client_ip
from motcua.core.symbols import qr_svg_data_uri

PENDING = "staff_signin_pending"
PENDING_SECONDS = 300


class LoginView(auth_views.LoginView):
    """Step 1: username and password. An account with an authenticator (or one that must have one)
    is not signed in yet: it goes on to the code, or to enrolment."""

    template_name = "backoffice/login.html"
    authentication_form = StaffAuthenticationForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        has_device = totp.totp_device(user) is not None
        if not has_device and not totp.totp_required(user):
            signin.signin_succeeded(user)
            return super().form_valid(form)
        self.request.session[PENDING] = {
            "user_id": user.pk,
            "backend": user.backend,
            "at": time.time(),
            "next": self.get_success_url(),
        }
        return redirect("backoffice:login_code" if has_device else "backoffice:totp_enrol")


def _pending_user(request) -> tuple[User | None, dict]:
    if request.user.is_authenticated and not is_staff_member(request.user):
        raise PermissionDenied("Trang này chỉ dành cho cán bộ, công chức.")
    pending = request.session.get(PENDING) or {}
    if not pending or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        request.session.pop(PENDING, None)
        return None, {}
    user = User.objects.filter(pk=pending["user_id"], is_active=True).first()
    return user, pending


def _finish_sign_in(request, user: User, pending: dict):
    request.session.pop(PENDING, None)
    login(request, user, backend=pending["backend"])
    signin.signin_succeeded(user)
    target = pending.get("next") or reverse("backoffice:home")
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        target = reverse("backoffice:home")
    return redirect(target)


def _code_refused(request, user: User, error: ValidationError) -> str:
    """Log a wrong or replayed code (it counts towards the lock) and return the message to show."""
    reason = (
        SignInFailureReason.REPLAYED_CODE
        if error.code == "replayed"
        else SignInFailureReason.WRONG_CODE
    )
    locked_until = signin.signin_failure_record(user.username, client_ip(request), reason)
    if locked_until is not None:
        request.session.pop(PENDING, None)
        return signin.locked_error(locked_until).messages[0]
    return error.messages[0]


@login_not_required
def login_code(request):
    """Step 2: the six-digit code of the authenticator app."""
    user, pending = _pending_user(request)
    if user is None:
        return redirect("backoffice:login")
    error = ""
    if request.method == "POST":
        try:
            signin.signin_allowed_check(user.username, client_ip(request))
            totp.totp_check(user, request.POST.get("code", ""))
        except ValidationError as exc:
            if exc.code in ("locked", "address_throttled"):
                request.session.pop(PENDING, None)
                error = exc.messages[0]
            else:
                error = _code_refused(request, user, exc)
        else:
            return _finish_sign_in(request, user, pending)
    return render(request, "backoffice/signin/code.html", {"error": error}, status=200)


@login_not_required
def totp_enrol(request):
    """Turn on the authenticator: a QR code to scan, then a code to prove it works. For a signed-in
    staff member (optional), or between the two steps of a sign-in that requires it."""
    user, pending = _pending_user(request)
    if user is None:
        if not is_staff_member(request.user):
            return redirect("backoffice:login")
        user = request.user
    if totp.totp_device(user) is not None and not pending:
        return render(request, "backoffice/signin/enrol.html", {"enabled": True})
    device = totp.totp_enrol_start(user)
    error = ""
    if request.method == "POST":
        try:
            totp.totp_check(user, request.POST.get("code", ""), confirming=True)
        except ValidationError as exc:
            error = _code_refused(request, user, exc)
        else:
            if pending:
                return _finish_sign_in(request, user, pending)
            messages.success(request, "Đã bật xác thực hai bước cho tài khoản của ông/bà.")
            return redirect("backoffice:home")
    uri = totp.provisioning_uri(device)
    context = {
        "qr": qr_svg_data_uri(uri),
        "secret": " ".join(device.secret[i : i + 4] for i in range(0, len(device.secret), 4)),
        "required": totp.totp_required(user),
        "error": error,
    }
    return render(request, "backoffice/signin/enrol.html", context)


@role_required(Role.ADMINISTRATOR)
def signin_failures(request):
    context = {
        "locked": signin.accounts_locked(),
        "failures": signin.signin_failures_recent(),
    }
    return render(request, "backoffice/signin/failures.html", context)


@role_required(Role.ADMINISTRATOR)
@require_POST
def account_unlock(request, user_id):
    user = get_object_or_404(User, pk=user_id)
    signin.account_unlock(request.user, user.pk)
    messages.success(request, f"Đã mở khóa đăng nhập cho tài khoản {user.username}.")
    return redirect("backoffice:signin_failures")
