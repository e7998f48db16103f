"""Every area of the site and the prefix it lives under (ADR 0025).

Public: `/` the citizens' portal home (the same page as `/cong-dan/`), `/cong-dan/` the portal,
`/xac-thuc/` the verification of signed results, `/hoi-dap/` feedback answers, `/api/` the public API,
`/dvcqg/tep/…` a dossier's file behind a signed, expiring link (fetched by the national portal),
and the providers' webhooks at `/thanh-toan/webhook/…` and `/buu-chinh/webhook/…` (banks and postal
operators do not follow redirects, so those two paths stay where they were).
Staff (sign-in required): everything under `/can-bo/` — the desk, dossiers, catalogue, calendar,
organisation (`/can-bo/…`), `/can-bo/thanh-toan/`, `/can-bo/buu-chinh/`, `/can-bo/tai-lieu/`,
`/can-bo/cai-cach/`, `/can-bo/nhan-su/`, `/can-bo/phan-anh/`, `/can-bo/chi-so/`.
Each staff area's old address at the root answers with a redirect to the same path under
`/can-bo/` (301 for GET/HEAD, 308 otherwise).
"""

from django.urls import include, path, re_path

from motcua.backoffice.moved import STAFF_PREFIX, moved_to_staff_prefix
from motcua.core.favicon import favicon
from motcua.ops import views as ops_views
from motcua.payments import views as payment_views
from motcua.portal import views_public as portal_public
from motcua.postal import views as postal_views

staff_urlpatterns = [
    path("", include("motcua.backoffice.urls")),
    path("thanh-toan/", include("motcua.payments.urls")),
    path("buu-chinh/", include("motcua.postal.urls")),
    path("tai-lieu/", include("motcua.documents.urls")),
    path("cai-cach/", include("motcua.reform.urls")),
    path("nhan-su/", include("motcua.staffing.urls")),
    path("phan-anh/", include("motcua.feedback.urls")),
    path("chi-so/", include("motcua.indicators.urls")),
]

# The first path segment of every staff page before the move to /can-bo/; one redirect each.
OLD_STAFF_PREFIXES = [
    "dang-nhap",
    "dang-xuat",
    "xac-thuc-hai-buoc",
    "thong-bao",
    "to-chuc",
    "danh-muc",
    "lich-lam-viec",
    "ho-so",
    "tac-vu",
    "quan-tri",
    "thanh-toan",
    "buu-chinh",
    "tai-lieu",
    "cai-cach",
    "nhan-su",
    "phan-anh",
    "chi-so",
    # Not an old address but the one issue [I] names for the sync's page: it lands under /can-bo/.
    "lien-thong",
    # Added after the move; a staff address typed without the prefix still lands on its page.
    "van-thu",
    "luu-tru",
]

# Webhooks at their old public paths, answered in place (before the redirects below).
webhook_urlpatterns = [
    path("thanh-toan/webhook/<slug:provider>/", payment_views.webhook, name="payments_webhook"),
    path("buu-chinh/webhook/<str:operator>/", postal_views.webhook, name="postal_webhook"),
]

moved_urlpatterns = [
    re_path(rf"^(?P<old_path>{prefix}/.*)$", moved_to_staff_prefix, name=f"moved_{prefix}")
    for prefix in OLD_STAFF_PREFIXES
]

urlpatterns = [
    path("favicon.ico", favicon, name="favicon"),
    # Operations (ADR 0028): liveness, readiness, Prometheus.
    path("healthz", ops_views.healthz, name="healthz"),
    path("readyz", ops_views.readyz, name="readyz"),
    path("metrics", ops_views.metrics, name="metrics"),
    path("", portal_public.home, name="site_home"),
    path(STAFF_PREFIX, include(staff_urlpatterns)),
    path("api/", include("motcua.api.urls")),
    path("cong-dan/", include("motcua.portal.urls")),
    path("xac-thuc/", include("motcua.documents.urls_public")),
    path("hoi-dap/", include("motcua.feedback.urls_public")),
    # Files the national portal fetches through signed links (motcua.dvcqg, ADR 0030).
    path("dvcqg/", include("motcua.dvcqg.urls")),
    *webhook_urlpatterns,
    *moved_urlpatterns,
]
