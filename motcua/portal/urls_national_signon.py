"""Sign-on with the national account (Cổng DVCQG / VNeID) under /cong-dan/tai-khoan/dvcqg/
(namespace `portal`; ADR 0035). Public pages: they are the way in."""

from django.urls import path

from . import views_national_signon as v

urlpatterns = [
    path("dang-nhap/", v.national_signon_start, name="national_signon_start"),
    path("callback/", v.national_signon_callback, name="national_signon_callback"),
    path("lien-ket/", v.national_signon_link, name="national_signon_link"),
]
