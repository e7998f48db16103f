"""The citizen portal, mounted at /cong-dan/: public pages (no sign-in) and the citizen's account."""

from django.urls import include, path

app_name = "portal"

urlpatterns = [
    path("", include("motcua.portal.urls_public")),
    path("tai-khoan/", include("motcua.portal.urls_account")),
]
