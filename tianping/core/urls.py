from django.contrib.auth import views as auth_views
from django.urls import path

from tianping.accounts import views as account_views
from tianping.core import views
from tianping.core.middleware import public

app_name = "core"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    # sign-in, lockout, password rules and the second factor live in tianping.accounts (issue 3)
    path("accounts/login/", public(account_views.LoginView.as_view()), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", account_views.password_change, name="password_change"),
    path("healthz", views.healthz, name="healthz"),
]
