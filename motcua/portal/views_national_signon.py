"""Sign-on with the national account (Cổng Dịch vụ công quốc gia / VNeID) under
/cong-dan/tai-khoan/dvcqg/ (ADR 0035). The protocol and the account rules are in
motcua.accounts.national_signon; these views only carry the browser through them:

  dang-nhap/   start: the browser goes to the national IdP (404 when the sign-on is off)
  callback/    back from the IdP: signed in, or asked to confirm linking an existing account, or
               a page saying in Vietnamese why not (nothing created)
  lien-ket/    the confirmation: masked data of the account holding the same ID number; link
               and sign in, or leave it
"""

import logging
import time
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from motcua.accounts.models import User
from motcua.accounts.national_signon import (
    MSG_LINK_EXPIRED,
    SESSION_SIGNED_IN,
    NationalIdentity,
    NationalSignOnError,
    national_account_create,
    national_account_link,
    national_account_match,
    national_account_signed_in,
    national_signon_enabled,
    signon_begin,
    signon_complete,
)
from motcua.accounts.roles import Role
from motcua.core.identity import citizen_id_masked, name_masked
from motcua.core.rate_limits import client_rate_limit_hit

from .views_account import _next_of, _safe_next

logger = logging.getLogger(__name__)

SESSION_LINK = "national_signon_link"
LINK_SECONDS = 10 * 60


def _per_client_limited(view):
    """DVCQG_SSO_PER_MINUTE pages of the sign-on a minute for each client (its address as the
    trusted proxies report it): each start sends a browser to the national IdP and each callback
    costs two calls to it, so a script must not be able to spend them for us."""

    @wraps(view)
    def limited(request, *args, **kwargs):
        if client_rate_limit_hit(
            request, "national-signon", limit=settings.DVCQG_SSO_PER_MINUTE, window_seconds=60
        ):
            logger.warning("National sign-on: too many pages from one client")
            response = render(request, "portal/national_signon/too_many.html", status=429)
            response["Retry-After"] = "60"
            return response
        return view(request, *args, **kwargs)

    return limited


def _enabled_or_404() -> None:
    if not national_signon_enabled():
        raise Http404("Chưa bật đăng nhập bằng tài khoản Cổng Dịch vụ công quốc gia.")


def _refused(request, error: NationalSignOnError):
    logger.warning("National sign-on refused: %s", error.reason)
    return render(
        request,
        "portal/national_signon/refused.html",
        {"message": error.message},
        status=400,
    )


def _sign_in(request, user: User, identity: NationalIdentity, next_url: str):
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session[SESSION_SIGNED_IN] = identity.tech_id
    messages.success(request, "Đã đăng nhập bằng tài khoản Cổng Dịch vụ công quốc gia.")
    return redirect(_safe_next(request, next_url))


@login_not_required
@require_GET
@_per_client_limited
def national_signon_start(request):
    _enabled_or_404()
    callback = request.build_absolute_uri(reverse("portal:national_signon_callback"))
    try:
        target = signon_begin(request.session, callback_url=callback, next_url=_next_of(request))
    except NationalSignOnError as exc:
        return _refused(request, exc)
    return redirect(target)


@login_not_required
@require_GET
@_per_client_limited
def national_signon_callback(request):
    _enabled_or_404()
    try:
        result = signon_complete(request.session, request.GET.dict())
        identity = result.identity
        match = national_account_match(identity)
        if match.user is not None:
            return _sign_in(
                request, national_account_signed_in(identity), identity, result.next_url
            )
        if match.candidate is not None:
            request.session[SESSION_LINK] = {
                "identity": identity.as_session(),
                "user_id": match.candidate.pk,
                "next": result.next_url,
                "expires": time.time() + LINK_SECONDS,
            }
            return redirect("portal:national_signon_link")
        user = national_account_create(identity)
    except NationalSignOnError as exc:
        return _refused(request, exc)
    messages.success(request, "Đã mở tài khoản từ thông tin của Cổng Dịch vụ công quốc gia.")
    return _sign_in(request, user, identity, result.next_url)


def _masked_phone(phone: str) -> str:
    return phone[:3] + "****" + phone[-3:] if len(phone) >= 7 else ""


def _masked_email(email: str) -> str:
    name, _, domain = email.partition("@")
    return f"{name[:1]}***@{domain}" if name and domain else ""


@login_not_required
@require_http_methods(["GET", "POST"])
@_per_client_limited
def national_signon_link(request):
    """Confirm that the account holding this ID number is the citizen's own, then link it."""
    _enabled_or_404()
    pending = request.session.get(SESSION_LINK)
    if not pending or float(pending.get("expires", 0)) < time.time():
        request.session.pop(SESSION_LINK, None)
        return _refused(request, NationalSignOnError(MSG_LINK_EXPIRED, "link_expired"))
    identity = NationalIdentity.from_session(pending["identity"])
    holder = User.objects.filter(pk=pending["user_id"], role=Role.CITIZEN).first()
    if holder is None:
        request.session.pop(SESSION_LINK, None)
        return _refused(request, NationalSignOnError(MSG_LINK_EXPIRED, "link_gone"))
    if request.method == "POST":
        del request.session[SESSION_LINK]
        if request.POST.get("action") != "link":
            messages.info(
                request,
                "Chưa liên kết tài khoản. Ông/bà có thể đăng nhập bằng mã xác thực gửi qua số "
                "điện thoại hoặc thư điện tử.",
            )
            return redirect("portal:signin")
        try:
            user = national_account_link(holder, identity)
        except NationalSignOnError as exc:
            return _refused(request, exc)
        messages.success(request, "Đã liên kết tài khoản với tài khoản Cổng Dịch vụ công quốc gia.")
        return _sign_in(request, user, identity, pending.get("next", ""))
    context = {
        "national_name": name_masked(identity.full_name),
        "citizen_id": citizen_id_masked(identity.citizen_id),
        "account_name": name_masked(holder.full_name) if holder.full_name else "",
        "account_phone": _masked_phone(holder.phone),
        "account_email": _masked_email(holder.email),
        "account_since": holder.date_joined,
    }
    return render(request, "portal/national_signon/link.html", context)
