from django.urls import path, re_path

from tianping.service import views

app_name = "service"

urlpatterns = [
    path("", views.home, name="home"),
    path("settings/", views.settings_view, name="settings"),
    path("revisits/", views.revisit_list, name="revisit_list"),
    path("revisits/<int:pk>/", views.revisit_detail, name="revisit_detail"),
    path("samples/", views.sample_list, name="sample_list"),
    path("samples/new/", views.sample_create, name="sample_create"),
    path("samples/<int:pk>/", views.sample_detail, name="sample_detail"),
    path("assignments/<int:pk>/record/", views.revisit_create, name="revisit_create"),
    path("assignments/<int:pk>/assign/", views.assignment_assign, name="assignment_assign"),
    path("follow-ups/", views.follow_up_list, name="follow_up_list"),
    path("follow-ups/<int:pk>/close/", views.follow_up_close, name="follow_up_close"),
    path("circuit/", views.circuit_list, name="circuit_list"),
    path("circuit/new/", views.circuit_create, name="circuit_create"),
    path("circuit/places/", views.places, name="places"),
    path("outreach/", views.outreach_list, name="outreach_list"),
    path("outreach/new/", views.outreach_create, name="outreach_create"),
    path("visits/", views.visit_list, name="visit_list"),
    path("visits/new/", views.visit_create, name="visit_create"),
    path("partnerships/", views.partnership_list, name="partnership_list"),
    path("complaints/", views.complaint_list, name="complaint_list"),
    path("complaints/new/", views.complaint_create, name="complaint_create"),
    path("complaints/<int:pk>/", views.complaint_detail, name="complaint_detail"),
] + [
    re_path(rf"^complaints/(?P<pk>[0-9]+)/(?P<action>{name})/$", view, name="complaint_action")
    for name, view in views.COMPLAINT_ACTION_VIEWS.items()
]
