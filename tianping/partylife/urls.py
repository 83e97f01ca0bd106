from django.urls import path

from tianping.partylife import views

app_name = "partylife"

urlpatterns = [
    path("", views.meeting_list, name="meeting_list"),
    path("meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/delete/", views.meeting_delete, name="meeting_delete"),
    path("meetings/<int:pk>/attendance/", views.attendance_save, name="attendance_save"),
    path("meetings/<int:pk>/refresh/", views.meeting_refresh, name="meeting_refresh"),
    path("meetings/<int:pk>/tasks/", views.task_add, name="task_add"),
    path("meetings/<int:pk>/tasks/<int:task_id>/toggle/", views.task_toggle, name="task_toggle"),
    path("meetings/<int:pk>/attachments/", views.attachment_add, name="attachment_add"),
    path("meetings/<int:pk>/attachments/<int:att_id>/", views.attachment_download, name="attachment_download"),
    path("meetings/<int:pk>/attachments/<int:att_id>/delete/", views.attachment_delete, name="attachment_delete"),
    path("meetings/<int:pk>/qr/", views.meeting_qr, name="meeting_qr"),
    path("signin/<str:token>/", views.signin, name="signin"),
    path("compliance/", views.compliance_matrix, name="compliance"),
    path("compliance/cell/", views.compliance_cell, name="compliance_cell"),
    path("lectures/", views.lecture_hall, name="lecture_hall"),
    path("study/", views.study, name="study"),
    path("study/<int:person_id>/", views.person_attendance, name="person_attendance"),
    path("settings/", views.campaigns, name="campaigns"),
    path("settings/duties/<int:pk>/", views.duty_edit, name="duty_edit"),
    path("settings/types/new/", views.type_edit, name="type_create"),
    path("settings/types/<int:pk>/", views.type_edit, name="type_edit"),
    path("calendar/", views.calendar_month, name="calendar"),
    path("calendar/week/", views.calendar_week, name="calendar_week"),
    path("calendar/feed/", views.calendar_feed_settings, name="calendar_feed"),
    path("feed/<str:token>.ics", views.ics_feed, name="ics_feed"),
]
