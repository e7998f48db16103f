"""Public pages of the citizen portal: procedure search, a procedure's page, dossier tracking.

No sign-in, reads only, and every page works without JavaScript (plain GET forms and links).
"""

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST, require_safe

from motcua.catalog.blank_forms import BY_SLUG, blank_form_docx, blank_form_pdf, forms_for
from motcua.catalog.models import Channel
from motcua.catalog.selectors import procedures_search, version_in_force
from motcua.core.downloads import attachment_response
from motcua.core.pagecache import page_cached
from motcua.core.text import format_money
from motcua.dossiers.codes import dossier_code_parse

from .selectors import (
    MAX_CODE_LENGTH,
    UNLOCK_DIGITS,
    fee_due_text,
    tracking_key,
    tracking_owned_by,
    tracking_page,
    tracking_unlock_check,
)
from .services import TRACKING_PAGE
from .tracking_limits import (
    tracking_rate_exceeded,
    tracking_unlock_blocked,
    tracking_unlock_failed,
)

UNLOCKED = "tracking_unlocked"  # session: the keys of dossiers this visitor proved to know
MSG_DIGITS = f"Hãy nhập đúng {UNLOCK_DIGITS} chữ số cuối của số điện thoại hoặc số định danh."
MSG_DIGITS_WRONG = (
    "Các chữ số không khớp với số điện thoại hoặc số định danh của người nộp hồ sơ này."
)
MSG_DIGITS_BLOCKED = (
    "Hồ sơ này đã bị nhập sai nhiều lần; vui lòng thử lại sau một giờ hoặc đăng nhập "
    "tài khoản đã nộp hồ sơ."
)

PAGE_SIZE = 20
MAX_QUERY_LENGTH = 200


@login_not_required
@require_safe
def home(request):
    """Home page: search the procedures in force today by name (accents and case ignored) or code."""
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    page = None
    if query:
        versions = procedures_search(query).filter(procedure__is_internal=False)
        versions = versions.select_related(None).select_related("procedure", "field")
        page = Paginator(versions, PAGE_SIZE).get_page(request.GET.get("trang"))
    return render(request, "portal/home.html", {"query": query, "page": page})


def _time_text(version) -> str:
    value = version.processing_time_value.normalize()
    number = f"{value:f}".replace(".", ",")
    return f"{number} {version.get_processing_time_unit_display()}"


@login_not_required
@require_safe
def procedure_detail(request, code):
    """A procedure as in force today: papers, fees, time, where and how to apply, legal basis."""
    version = version_in_force(code)
    if version is None or version.procedure.is_internal:
        return render(request, "portal/procedure_not_found.html", {"code": code[:40]}, status=404)
    receiving = version.receiving_unit.name
    intake = {
        Channel.DESK: f"Trực tiếp tại {receiving}",
        Channel.ONLINE: "Trực tuyến trên Cổng dịch vụ công",
        Channel.POST: f"Qua dịch vụ bưu chính công ích, gửi đến {receiving}",
    }
    results = {
        Channel.DESK: f"Nhận trực tiếp tại {receiving}",
        Channel.ONLINE: "Nhận trực tuyến",
        Channel.POST: "Nhận qua dịch vụ bưu chính công ích",
    }
    fees = [(fee.name, format_money(fee.amount)) for fee in version.fees.all()]
    components = [(c, forms_for(c.template)) for c in version.components.all()]
    context = {
        "version": version,
        "time_text": _time_text(version),
        "fees": fees,
        "fee_due": fee_due_text(version),
        "components": components,
        "intake": [intake[c] for c in version.intake_channels],
        "returns": [results[c] for c in version.return_channels],
    }
    return render(request, "portal/procedure.html", context)


BLANK_FORM_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@login_not_required
@require_safe
def procedure_blank_form(request, code, slug, ext):
    """A blank official form of a procedure in force today, as PDF or DOCX (only forms its own
    components name: a form of another procedure is not served under this one's address)."""
    version = version_in_force(code)
    form = BY_SLUG.get(slug)
    named = (
        version is not None
        and not version.procedure.is_internal
        and form is not None
        and any(form in forms_for(c.template) for c in version.components.all())
    )
    if not named or ext not in BLANK_FORM_TYPES:
        return render(request, "portal/procedure_not_found.html", {"code": code[:40]}, status=404)
    assert form is not None
    content = blank_form_pdf(form) if ext == "pdf" else blank_form_docx(form)
    return attachment_response(content, f"{form.slug}.{ext}", BLANK_FORM_TYPES[ext])


@login_not_required
@require_safe
def tracking_form(request):
    """Tracking form (GET ?ma=…): with a code it goes to the dossier's tracking page."""
    code = request.GET.get("ma", "").strip()
    if code:
        if len(code) > MAX_CODE_LENGTH:
            return _not_found(request, code[:MAX_CODE_LENGTH])
        try:
            return redirect(reverse("portal:tracking_detail", args=[code]))
        except NoReverseMatch:  # a "/" cannot be part of any code or reference
            return _not_found(request, code)
    return render(request, "portal/tracking_form.html", {})


def _not_found(request, code):
    return render(request, "portal/tracking_not_found.html", {"code": code}, status=404)


def _rate_limited(request):
    response = render(request, "portal/tracking_rate_limited.html", {}, status=429)
    response["Retry-After"] = "60"
    return response


def _detail_allowed(request, code) -> bool:
    """The full page (the officer's note): for the signed-in owner, or a visitor whose session
    holds this dossier's key after typing the last digits."""
    if code in request.session.get(UNLOCKED, ()):
        return True
    return tracking_owned_by(code, request.user)


@login_not_required
@require_safe
def tracking_detail(request, code):
    """A dossier's status, step, appointment and what the applicant must do; the name masked, no
    free text of an officer (the full page needs the last digits of the phone or ID number, or the
    owner's account). The receipt's QR code points here (portal:tracking_detail).

    Each client gets MOTCUA_TRACKING_PER_MINUTE pages a minute, counted before the cache is read.
    A code typed in another form (lower case, spaces) or a reference of a dossier that has a code
    is sent on to the page under its code. A request without any cookie (a QR code scanned, a link
    followed) shares one cached page per code — the public one — built anew after every change it
    shows (portal.services.tracking_pages_forget). With a cookie the frame may show who is signed
    in, flash messages and a sign-out form with its CSRF token: such a page is rendered for that
    request alone."""
    if tracking_rate_exceeded(request):
        return _rate_limited(request)
    if dossier_code_parse(code) != code:  # not an official code as printed: find its key
        key = tracking_key(code)
        if key is None:
            return _not_found(request, code[:MAX_CODE_LENGTH])
        if key != code:
            return redirect(reverse("portal:tracking_detail", args=[key]))
    if request.COOKIES:
        detail = _detail_allowed(request, code)
        return _tracking_response(request, code, tracking_page(code, detail=detail))
    built = []

    def build() -> bytes | None:
        page = tracking_page(code)
        built.append(_tracking_response(request, code, page))
        # Not found, or found by an online reference (forgotten by code only), or a page carrying
        # a CSRF token (one visitor's): never shared.
        shared = (
            page is not None
            and page[0].code == code
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        )
        return built[0].content if shared else None

    body = page_cached(TRACKING_PAGE, code, build)
    if built:
        return built[0]
    response = HttpResponse(body)
    patch_vary_headers(response, ("Cookie",))  # as the rendered page, which reads the session
    return response


def _tracking_response(request, code, page, *, unlock_error: str = "", status: int = 200):
    if page is None:
        return _not_found(request, code[:MAX_CODE_LENGTH])
    tracking, payment = page
    context = {"t": tracking, "key": code, "unlock_error": unlock_error, **payment}
    return render(request, "portal/tracking.html", context, status=status)


# No CSRF token: the tracking page that carries this form is cached and shared by every visitor
# without cookies, so it cannot hold one. A forged post can only open, in the victim's own
# browser, a dossier whose digits the forger already knows.
@csrf_exempt
@login_not_required
@require_POST
def tracking_unlock(request, code):
    """The small form on the tracking page: the last digits of the applicant's phone or ID number
    open the full page for this browser's session."""
    if tracking_rate_exceeded(request):
        return _rate_limited(request)
    key = tracking_key(code)
    if key is None:
        return _not_found(request, code[:MAX_CODE_LENGTH])
    digits = "".join(request.POST.get("so_cuoi", "").split())
    error = ""
    if tracking_unlock_blocked(key):
        error = MSG_DIGITS_BLOCKED
    elif len(digits) != UNLOCK_DIGITS or not digits.isdigit():
        error = MSG_DIGITS
    elif tracking_unlock_check(key, digits) is None:
        tracking_unlock_failed(key)
        error = MSG_DIGITS_WRONG
    if error:
        return _tracking_response(request, key, tracking_page(key), unlock_error=error, status=400)
    request.session.cycle_key()
    request.session[UNLOCKED] = [*request.session.get(UNLOCKED, [])[-19:], key]
    return redirect(reverse("portal:tracking_detail", args=[key]))
