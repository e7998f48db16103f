"""/favicon.ico: browsers, bookmarks and crawlers ask for it at the site's root whatever the page
links to. It answers with a redirect to the static file (served with the other static files);
a temporary redirect, so a changed icon is not stuck behind a cached permanent one."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseRedirect
from django.templatetags.static import static
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe


@login_not_required
@require_safe
def favicon(request):
    response = HttpResponseRedirect(static("favicon.ico"))
    patch_cache_control(response, public=True, max_age=86400)
    return response
