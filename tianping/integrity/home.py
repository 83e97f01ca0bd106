from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tianping.core import registry
from tianping.core.policy import allowed


@registry.home_panels.register(order=70)
def home_panels(user: Any) -> list[dict[str, Any]]:
    """This year's letters and their share of filed cases, for those who read the letter figures."""
    if not getattr(user, "is_authenticated", False) or not allowed(user, "integrity.view_letter_figures"):
        return []
    from tianping.integrity.selectors import letter_share

    year = timezone.localdate().year
    fig = letter_share(user.court_id, year)
    url = reverse("integrity:letter_list") + f"?year={year}"
    return [{"title": _("法官寄语（%(y)d 年）") % {"y": year}, "figures": [
        {"label": _("已发放"), "value": fig.with_letter, "url": url},
        {"label": _("立案数"), "value": fig.filed, "url": None},
        {"label": _("随案发放率"), "value": f"{fig.share}%" if fig.share is not None else "—",
         "url": reverse("integrity:desk")},
    ]}]
