"""core's pages: home, sign-out, health, and the spreadsheet import of every register.

Sign-in and the own password change are the accounts app's (`tianping.accounts.urls.sign_in_urlpatterns`);
tianping/urls.py mounts them in this namespace ("core:login"), so core itself names no domain app."""

from django.contrib.auth import views as auth_views
from django.urls import path

from tianping.core import importexport_views, views
from tianping.core.policy import permission_required

app_name = "core"

urlpatterns = [
    path("", permission_required("core.signed_in")(views.HomeView.as_view()), name="home"),
    path("accounts/logout/", permission_required("core.signed_in")(auth_views.LogoutView.as_view()), name="logout"),
    path("healthz", views.healthz, name="healthz"),
    # spreadsheet import of every register (issue 4)
    path("import/<slug:kind>/", importexport_views.import_start, name="import_start"),
    path("import/<slug:kind>/template/", importexport_views.import_template, name="import_template"),
    path("import/<slug:kind>/<str:job_id>/", importexport_views.import_job, name="import_job"),
    path("import/<slug:kind>/<str:job_id>/progress/", importexport_views.import_progress, name="import_progress"),
    path("import/<slug:kind>/<str:job_id>/commit/", importexport_views.import_commit, name="import_commit"),
    path("import/<slug:kind>/<str:job_id>/report/", importexport_views.import_report, name="import_report"),
]
