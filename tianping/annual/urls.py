from django.urls import path

from tianping.annual import views

app_name = "annual"
urlpatterns = [
    path("", views.report, name="report"),
    path("report.<str:fmt>", views.download, name="download"),
    path("template/", views.template_edit, name="template"),
]
