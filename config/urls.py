"""Every area of the site and the prefix it lives under.

Back office (staff sign in): `/` (desk, dossiers, catalogue, calendar, organisation), `/thanh-toan/`,
`/buu-chinh/`, `/tai-lieu/`, `/cai-cach/`, `/nhan-su/`, `/phan-anh/`, `/chi-so/`.
Public (no sign-in where a view says so): `/cong-dan/` the citizens' portal, `/xac-thuc/` the
verification of signed results, `/api/` the public API and the providers' webhooks.
"""

from django.urls import include, path

from motcua.core.favicon import favicon

urlpatterns = [
    path("favicon.ico", favicon, name="favicon"),
    path("", include("motcua.backoffice.urls")),
    path("api/", include("motcua.api.urls")),
    path("cong-dan/", include("motcua.portal.urls")),
    path("thanh-toan/", include("motcua.payments.urls")),
    path("buu-chinh/", include("motcua.postal.urls")),
    path("tai-lieu/", include("motcua.documents.urls")),
    path("xac-thuc/", include("motcua.documents.urls_public")),
    path("cai-cach/", include("motcua.reform.urls")),
    path("nhan-su/", include("motcua.staffing.urls")),
    path("phan-anh/", include("motcua.feedback.urls")),
    path("hoi-dap/", include("motcua.feedback.urls_public")),
    path("chi-so/", include("motcua.indicators.urls")),
]
