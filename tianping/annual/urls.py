from django.urls import path

from tianping.annual import views

app_name = "annual"
urlpatterns = [
    path("", views.report, name="report"),
    path("report.<str:fmt>", views.download, name="download"),
    path("template/", views.template_edit, name="template"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/todos/", views.dashboard_todos, name="dashboard_todos"),
    path("dashboard/todo/", views.dashboard_todo, name="dashboard_todo"),
    path("scorecards/", views.scorecards, name="scorecards"),
    path("screen/", views.big_screen, name="big_screen"),
]
