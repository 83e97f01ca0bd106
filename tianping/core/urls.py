from django.contrib.auth import views as auth_views
from django.urls import path

from tianping.core import views
from tianping.core.middleware import public

app_name = "core"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("accounts/login/", public(views.LoginView.as_view()), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(
        template_name="core/password_change.html", success_url="/"), name="password_change"),
    path("healthz", views.healthz, name="healthz"),
]
