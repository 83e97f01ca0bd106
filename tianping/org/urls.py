from django.urls import path

from tianping.org import views

app_name = "org"

urlpatterns = [
    path("", views.OrgTreeView.as_view(), name="tree"),
    path("people/", views.PersonListView.as_view(), name="person_list"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
    path("departments/", views.DepartmentListView.as_view(), name="department_list"),
    path("departments/new/", views.department_form, name="department_create"),
    path("departments/<int:pk>/edit/", views.department_form, name="department_edit"),
    path("courts/", views.CourtListView.as_view(), name="court_list"),
]
