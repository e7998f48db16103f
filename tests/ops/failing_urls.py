"""The site's URLconf plus one view that fails, for the 5xx counters (tests/ops/test_metrics.py)."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns


@login_not_required
def broken(request):
    raise RuntimeError("lỗi thử nghiệm với số điện thoại 0912345678")


urlpatterns = [path("thu-nghiem/loi/", broken, name="ops_broken"), *site_urlpatterns]
