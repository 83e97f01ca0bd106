from django.urls import path

from tianping.accounts import views
from tianping.core.middleware import public

app_name = "accounts"

# mounted by tianping/urls.py in core's namespace ("core:login", "core:password_change"): every page links them
sign_in_urlpatterns = [
    path("accounts/login/", public(views.LoginView.as_view()), name="login"),
    path("accounts/password/", views.password_change, name="password_change"),
]

urlpatterns = [
    path("mfa/setup/", views.mfa_setup, name="mfa_setup"),
    path("mfa/verify/", views.mfa_verify, name="mfa_verify"),
    path("accounts/", views.account_list, name="account_list"),
    path("accounts/new/", views.account_create, name="account_create"),
    path("accounts/<int:pk>/", views.account_edit, name="account_edit"),
    path("accounts/<int:pk>/disable/", views.account_disable, name="account_disable"),
    path("accounts/<int:pk>/enable/", views.account_enable, name="account_enable"),
    path("accounts/<int:pk>/unlock/", views.account_unlock, name="account_unlock"),
    path("accounts/<int:pk>/reset_password/", views.account_reset_password, name="account_reset_password"),
    path("accounts/<int:pk>/mfa_reset/", views.account_mfa_reset, name="account_mfa_reset"),
    path("accounts/<int:pk>/enrolment_code/", views.account_enrolment_code, name="account_enrolment_code"),
    path("policy/", views.policy_edit, name="policy"),
    path("audit/", views.audit_list, name="audit_list"),
    path("audit/<int:pk>/", views.audit_detail, name="audit_detail"),
    path("reveal/person/<int:pk>/", views.person_reveal, name="person_reveal"),
]
