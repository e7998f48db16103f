from django.urls import path

from . import views

app_name = "dvcqg"

urlpatterns = [
    path("tep/<str:token>/", views.file_download, name="file"),
]
