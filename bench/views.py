"""A prototype of the cached public tracking page, mounted only by bench/urls.py.

It renders exactly what motcua.portal.views_public.tracking_detail renders, through
motcua.core.pagecache, for requests that carry no cookie (a QR code scanned, a link followed);
anything else is rendered live. The forget is hooked here on Dossier's post_save so that the
prototype is correct on its own; the change proposed for the application calls `page_forget` on
commit in motcua.dossiers.services instead (docs/BENCHMARKS.md, change C1).
"""

from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from motcua.core.pagecache import page_cached, page_forget
from motcua.dossiers.models import Dossier
from motcua.portal import views_public
from motcua.portal.selectors import MAX_CODE_LENGTH, dossier_tracking

TRACKING = "tracking"


@login_not_required
@require_GET
def tracking_cached(request, code):
    # The page's frame shows who is signed in, flash messages and a sign-out form with its CSRF
    # token: only a request with no cookie at all (no session, no messages) gets the shared page.
    if request.COOKIES or len(code) > MAX_CODE_LENGTH:
        return views_public.tracking_detail(request, code)
    html = page_cached(TRACKING, code, lambda: _tracking_html(request, code))
    if html is None:  # not found (or an online reference): never cached
        return views_public.tracking_detail(request, code)
    return HttpResponse(html)


def _tracking_html(request, code) -> str | None:
    tracking = dossier_tracking(code)
    if tracking is None or tracking.code != code:
        return None
    return render_to_string("portal/tracking.html", {"t": tracking}, request=request)


@receiver(post_save, sender=Dossier, dispatch_uid="bench-tracking-forget")
def _forget_on_commit(sender, instance, **kwargs):
    if instance.code:
        code = instance.code
        transaction.on_commit(lambda: page_forget(TRACKING, code))
