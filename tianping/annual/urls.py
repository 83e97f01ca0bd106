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
    path("leadership/", views.leadership_list, name="leadership_list"),
    path("leadership/<int:year>/mine/", views.assessment_form, name="assessment_form"),
    path("leadership/assessments/<int:pk>/", views.assessment_detail, name="assessment_detail"),
    path("leadership/assessments/<int:pk>/review/", views.assessment_review, name="assessment_review"),
    path("leadership/study/", views.study_list, name="study_list"),
    path("leadership/study/<int:year>/edit/", views.study_edit, name="study_edit"),
    path("leadership/study/<int:pk>/", views.study_detail, name="study_detail"),
    path("leadership/study/<int:pk>/files/<int:study_file_id>/", views.study_file, name="study_file"),
    path("placement/", views.placement, name="placement"),
]
