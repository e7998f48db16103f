"""Public pages of the citizen portal (no sign-in), under /cong-dan/ in the `portal` namespace."""

from django.urls import path

from . import views_public

urlpatterns = [
    path("", views_public.home, name="home"),
    path("thu-tuc/<str:code>/", views_public.procedure_detail, name="procedure_detail"),
    path(
        "thu-tuc/<str:code>/mau/<slug:slug>.<str:ext>",
        views_public.procedure_blank_form,
        name="procedure_blank_form",
    ),
    path("tra-cuu/", views_public.tracking_form, name="tracking_form"),
    path("tra-cuu/<str:code>/", views_public.tracking_detail, name="tracking_detail"),
    path("tra-cuu/<str:code>/chi-tiet/", views_public.tracking_unlock, name="tracking_unlock"),
]
