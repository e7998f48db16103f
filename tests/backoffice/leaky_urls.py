"""A deliberately faulty URLconf: test_url_access.py proves its checks catch these faults."""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.urls import include, path

from motcua.accounts.permissions import administrator_required


def _ok(request, **kwargs):
    return HttpResponse("ok")


@login_not_required  # marks the function itself: keep it apart from _ok
def _open(request, **kwargs):
    return HttpResponse("ok")


urlpatterns = [
    path("mo/<int:pk>/", _open, name="public_by_mistake"),
    path("dong/", _ok, name="guarded"),
    path("to-chuc/lo/", _ok, name="admin_without_role_check"),
    path("to-chuc/kin/<slug:code>/", administrator_required(_ok), name="admin_with_role_check"),
    path("", include("motcua.backoffice.urls")),  # for the sign-in page the redirects point to
]
