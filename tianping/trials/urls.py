from django.urls import path

from tianping.trials import views

app_name = "trials"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("cases/", views.case_list, name="case_list"),
    path("cases/<int:pk>/", views.case_detail, name="case_detail"),
    path("courts/", views.courts, name="courts"),
    path("courts/<int:court_id>/", views.court_figures, name="court_figures"),
    path("settings/", views.settings_edit, name="settings"),
    path("types/", views.case_types, name="case_types"),
    path("file/", views.case_file, name="case_file"),
]
