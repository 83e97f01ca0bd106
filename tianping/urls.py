"""URL map: each app mounts under its own prefix."""

from django.conf import settings
from django.conf.urls.static import static
from django.urls import include, path

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("tianping.core.urls")),
    path("org/", include("tianping.org.urls")),
    path("security/", include("tianping.accounts.urls")),
    path("party/", include("tianping.party.urls")),
    path("life/", include("tianping.partylife.urls")),
    path("trials/", include("tianping.trials.urls")),
    path("mediation/", include("tianping.mediation.urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
