from django.urls import include, path

urlpatterns = [
    path("", include("motcua.backoffice.urls")),
    path("api/", include("motcua.api.urls")),
    path("cong-dan/", include("motcua.portal.urls")),
]
