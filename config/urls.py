from django.urls import include, path

urlpatterns = [
    path("", include("motcua.backoffice.urls")),
]
