"""Public pages under /hoi-dap/ (no sign-in): the Q&A of published answers, the feedback form
(linked from every citizen page and from a dossier as feedback_public:feedback_new?ho_so=CODE), the
receipt, the sender's own lookup (number + last 4 phone digits), and online survey answering."""

from django.urls import path

from . import views_public

app_name = "feedback_public"

urlpatterns = [
    path("", views_public.qa_list, name="qa_list"),
    path("cau-hoi/<str:code>/", views_public.qa_detail, name="qa_detail"),
    path("gui/", views_public.feedback_new, name="feedback_new"),
    path("gui/da-nhan/<str:code>/", views_public.feedback_sent, name="feedback_sent"),
    path("tra-cuu/", views_public.lookup, name="lookup"),
    path("tra-cuu/<str:code>/", views_public.lookup_result, name="lookup_result"),
    path(
        "tra-cuu/<str:code>/tep/<int:position>/",
        views_public.lookup_attachment,
        name="lookup_attachment",
    ),
    path("khao-sat/<slug:campaign>/", views_public.survey_answer, name="survey_answer"),
    path("khao-sat/<slug:campaign>/cam-on/", views_public.survey_thanks, name="survey_thanks"),
]
