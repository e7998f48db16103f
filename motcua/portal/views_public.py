"""Public pages of the citizen portal: procedure search, a procedure's page, dossier tracking.

No sign-in, reads only, and every page works without JavaScript (plain GET forms and links).
"""

from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_GET

from motcua.catalog.models import Channel
from motcua.catalog.selectors import procedures_search, version_in_force
from motcua.core.pagecache import page_cached
from motcua.core.text import format_number

from .selectors import MAX_CODE_LENGTH, tracking_page
from .services import TRACKING_PAGE

PAGE_SIZE = 20
MAX_QUERY_LENGTH = 200


@login_not_required
@require_GET
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
@require_GET
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
    fees = [(fee.name, f"{format_number(fee.amount)} đồng") for fee in version.fees.all()]
    context = {
        "version": version,
        "time_text": _time_text(version),
        "fees": fees,
        "components": list(version.components.all()),
        "intake": [intake[c] for c in version.intake_channels],
        "returns": [results[c] for c in version.return_channels],
    }
    return render(request, "portal/procedure.html", context)


@login_not_required
@require_GET
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


@login_not_required
@require_GET
def tracking_detail(request, code):
    """A dossier's status, step, appointment and what the applicant must do; the name masked.
    The receipt's QR code points here (portal:tracking_detail).

    A request without any cookie (a QR code scanned, a link followed) shares one cached page per
    code, built anew after every change it shows (portal.services.tracking_pages_forget). With a
    cookie the frame may show who is signed in, flash messages and a sign-out form with its CSRF
    token: such a page is rendered for that request alone."""
    if request.COOKIES:
        return _tracking_response(request, code, tracking_page(code))
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


def _tracking_response(request, code, page):
    if page is None:
        return _not_found(request, code[:MAX_CODE_LENGTH])
    tracking, payment = page
    return render(request, "portal/tracking.html", {"t": tracking, **payment})
