from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from tianping.core import registry
from tianping.core.policy import allowed


@registry.home_panels.register(order=35)
def home_panels(user: Any) -> list[dict[str, Any]]:
    """Honours of the last three years and the posts held today, each linking to its list."""
    if not getattr(user, "is_authenticated", False) or not allowed(user, "honours.view_figures") \
            or not getattr(user, "court_id", None):
        return []
    from django.urls import reverse

    from tianping.honours.models import Honour
    from tianping.honours.selectors import honour_figures, posts_with_holders

    today = timezone.localdate()
    fig = honour_figures(user.court_id, list(range(today.year - 2, today.year + 1)))
    posts = [p for p in posts_with_holders(user.court_id, today) if getattr(p, "current", [])]
    this_year = Honour.objects.filter(court_id=user.court_id, awarded_on__year=today.year).count()
    return [{"title": _("先锋岗与表彰"), "figures": [
        {"label": _("近三年表彰（人次）"), "value": fig["three_years"]["person_times"],
         "url": reverse("honours:figures")},
        {"label": _("今年表彰（项）"), "value": this_year, "url": f"{reverse('honours:honour_list')}?year={today.year}"},
        {"label": _("在岗先锋岗"), "value": len(posts), "url": reverse("honours:post_list")},
    ]}]
