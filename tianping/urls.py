"""URL map: each app mounts under its own prefix.

No route serves MEDIA_ROOT, in any mode (not even DEBUG): uploads are served only by the app views that ask
the policy (meeting attachments, dispute materials, pictures …)."""

from django.urls import include, path

from tianping.accounts.urls import sign_in_urlpatterns
from tianping.core import urls as core_urls

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    # core's pages and the accounts app's sign-in pages, in one namespace ("core:home", "core:login")
    path("", include((core_urls.urlpatterns + sign_in_urlpatterns, "core"))),
    path("org/", include("tianping.org.urls")),
    path("security/", include("tianping.accounts.urls")),
    path("party/", include("tianping.party.urls")),
    path("life/", include("tianping.partylife.urls")),
    path("trials/", include("tianping.trials.urls")),
    path("mediation/", include("tianping.mediation.urls")),
    path("integrity/", include("tianping.integrity.urls")),
    path("service/", include("tianping.service.urls")),
    path("honours/", include("tianping.honours.urls")),
    path("api/", include("tianping.api.urls")),
    path("annual/", include("tianping.annual.urls")),
]

# Chinese error pages with a way back (the menu when signed in); FriendlyErrorsMiddleware uses the same pages
# with DEBUG=1.
handler403 = "tianping.core.middleware.handler403"
handler404 = "tianping.core.middleware.handler404"
handler500 = "tianping.core.middleware.handler500"
