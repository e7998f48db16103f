"""Văn thư: the outgoing and incoming document registers and the exchange (issue [J] 4).
Staff of the unit only (motcua.exchange.selectors)."""

from django.urls import path

from . import views_exchange as views

urlpatterns = [
    path("van-ban-di/", views.exchange_outgoing, name="exchange_outgoing"),
    path("van-ban-di/vao-so/", views.exchange_outgoing_new, name="exchange_outgoing_new"),
    path(
        "van-ban-di/<int:document_id>/",
        views.exchange_outgoing_detail,
        name="exchange_outgoing_detail",
    ),
    path(
        "van-ban-di/<int:document_id>/gui/",
        views.exchange_outgoing_send,
        name="exchange_outgoing_send",
    ),
    path(
        "van-ban-di/<int:document_id>/lay-lai/",
        views.exchange_outgoing_recall,
        name="exchange_outgoing_recall",
    ),
    path(
        "van-ban-di/<int:document_id>/tep/<int:file_id>/",
        views.exchange_outgoing_file,
        name="exchange_outgoing_file",
    ),
    path("van-ban-den/", views.exchange_incoming, name="exchange_incoming"),
    path(
        "van-ban-den/<int:document_id>/",
        views.exchange_incoming_detail,
        name="exchange_incoming_detail",
    ),
    path(
        "van-ban-den/<int:document_id>/phan-cong/",
        views.exchange_incoming_assign,
        name="exchange_incoming_assign",
    ),
    path(
        "van-ban-den/<int:document_id>/bao-trang-thai/",
        views.exchange_incoming_reply,
        name="exchange_incoming_reply",
    ),
    path(
        "van-ban-den/<int:document_id>/tep/<int:file_id>/",
        views.exchange_incoming_file,
        name="exchange_incoming_file",
    ),
]
