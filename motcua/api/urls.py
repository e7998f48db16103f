"""URL patterns of the API, every one public: the citizens' portal has no sign-in.

LoginRequiredMiddleware lets a view through only when it is marked `login_not_required`; ninja
builds its views itself, so they are marked here, pattern by pattern. Ninja's root pattern (only
used to reverse the API's prefix) answers with a redirect to the documentation instead of a 404.
"""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect
from django.urls import URLPattern, path

from .api import api


@login_not_required
def api_root(request):
    return redirect("api:openapi-view")


def _public(patterns):
    result = []
    for pattern in patterns:
        if isinstance(pattern, URLPattern) and pattern.name == "api-root":
            pattern = path("", api_root, name="api-root")
        login_not_required(pattern.callback)
        result.append(pattern)
    return result


_patterns, _app_name, _namespace = api.urls
app_name = "api"
urlpatterns = _public(_patterns)
