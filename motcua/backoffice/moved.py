"""The back office moved from the site's root to /can-bo/ (ADR 0025): an old address answers with a
redirect to the same path under the new prefix, query string kept, so bookmarks, e-mailed links and
printed QR codes of staff pages keep working.

GET and HEAD get a permanent 301; every other method gets 308, which keeps the method and the body
(a 301 would turn a POST into a GET). The view only redirects, so it needs neither a session nor a
CSRF token: the form is checked again where it lands."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponsePermanentRedirect
from django.views.decorators.csrf import csrf_exempt

STAFF_PREFIX = "can-bo/"


class HttpResponsePermanentRedirectKeepMethod(HttpResponsePermanentRedirect):
    status_code = 308


@csrf_exempt
@login_not_required
def moved_to_staff_prefix(request, old_path: str):
    target = f"/{STAFF_PREFIX}{old_path}"
    query = request.META.get("QUERY_STRING", "")
    if query:
        target = f"{target}?{query}"
    if request.method in ("GET", "HEAD"):
        return HttpResponsePermanentRedirect(target)
    return HttpResponsePermanentRedirectKeepMethod(target)
