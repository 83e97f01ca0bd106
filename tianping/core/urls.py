from django.contrib.auth import views as auth_views
from django.urls import path

from tianping.accounts import views as account_views
from tianping.core import importexport_views, views
from tianping.core.middleware import public

app_name = "core"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    # sign-in, lockout, password rules and the second factor live in tianping.accounts (issue 3)
    path("accounts/login/", public(account_views.LoginView.as_view()), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", account_views.password_change, name="password_change"),
    path("healthz", views.healthz, name="healthz"),
    # spreadsheet import of every register (issue 4)
    path("import/<slug:kind>/", importexport_views.import_start, name="import_start"),
    path("import/<slug:kind>/template/", importexport_views.import_template, name="import_template"),
    path("import/<slug:kind>/<str:job_id>/", importexport_views.import_job, name="import_job"),
    path("import/<slug:kind>/<str:job_id>/progress/", importexport_views.import_progress, name="import_progress"),
    path("import/<slug:kind>/<str:job_id>/commit/", importexport_views.import_commit, name="import_commit"),
    path("import/<slug:kind>/<str:job_id>/report/", importexport_views.import_report, name="import_report"),
]
