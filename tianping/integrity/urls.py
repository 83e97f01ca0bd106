from django.urls import path

from tianping.integrity import views

app_name = "integrity"

urlpatterns = [
    path("", views.desk, name="desk"),
    path("letters/", views.letter_list, name="letter_list"),
    path("letters/missing/", views.letters_missing, name="letters_missing"),
    path("letters/<int:pk>/", views.letter_detail, name="letter_detail"),
    path("letters/<int:pk>/<str:fmt>/", views.letter_print, name="letter_print"),
    path("templates/", views.template_list, name="template_list"),
    path("templates/new/", views.template_create, name="template_create"),
    path("templates/<int:pk>/", views.template_edit, name="template_edit"),
    path("measures/", views.measure_list, name="measure_list"),
    path("measures/new/", views.measure_create, name="measure_create"),
    path("measures/<int:pk>/", views.measure_detail, name="measure_detail"),
    path("measures/<int:pk>/edit/", views.measure_edit, name="measure_edit"),
    path("measures/<int:pk>/files/<int:file_id>/", views.measure_file, name="measure_file"),
    path("family/", views.family, name="family"),
    path("family/contacts/", views.contact_list, name="contact_list"),
    path("family/contacts/new/", views.contact_create, name="contact_create"),
    path("family/pledges/", views.pledge_list, name="pledge_list"),
    path("family/pledges/new/", views.pledge_create, name="pledge_create"),
    path("family/pledges/<int:pk>/scan/", views.pledge_scan, name="pledge_scan"),
    path("family/activities/", views.activity_list, name="activity_list"),
    path("family/activities/new/", views.activity_create, name="activity_create"),
    path("family/awards/", views.award_list, name="award_list"),
    path("family/awards/new/", views.award_create, name="award_create"),
    path("rules/", views.reports, name="reports"),
    path("rules/records/", views.record_list, name="record_list"),
    path("rules/records/new/", views.record_create, name="record_create"),
    path("rules/figures/", views.report_figures, name="report_figures"),
]
