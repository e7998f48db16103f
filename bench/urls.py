"""The application's URLs plus the ceiling: a minimal page behind the same middleware."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.urls import include, path
from django.views.decorators.http import require_GET


@login_not_required
@require_GET
def ceiling(request):
    """No query, one ~2 KB template: what the framework and server can do at best."""
    return render(request, "bench/ceiling.html", {"code": request.GET.get("ma", "")})


urlpatterns = [
    path("bench/ceiling/", ceiling),
    path("", include("config.urls")),
]
