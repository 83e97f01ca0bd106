"""Home figures of the party side; each links to the list behind it."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from tianping.core import registry
from tianping.core.policy import allowed


@registry.home_panels.register(order=20)
def home_panels(user) -> list[dict]:
    from tianping.party.models import DuesPayment, OrgKind, PartyMember, PartyOrganisation, Stage

    if not allowed(user, "party.view_figures"):
        return []
    today = timezone.localdate()
    members = PartyMember.objects.visible_to(user).on_roster()
    counts = dict.fromkeys(Stage.values, 0)
    for stage in members.values_list("stage", flat=True):
        counts[stage] += 1
    url = reverse("party:member_list")
    paid = (DuesPayment.objects.filter(member__in=PartyMember.objects.visible_to(user), month__year=today.year)
            .aggregate(s=Sum("paid_amount"))["s"] or Decimal("0"))
    branches = PartyOrganisation.objects.visible_to(user).filter(kind=OrgKind.BRANCH, active=True).count()
    return [{"title": _("党组织与党员"), "figures": [
        {"label": _("党支部"), "value": branches, "url": reverse("party:organisation_list") + "?kind=branch"},
        {"label": pgettext("figure", "正式党员"), "value": counts[Stage.FULL],
         "url": f"{url}?stage=full&on_roster=true"},
        {"label": pgettext("figure", "预备党员"), "value": counts[Stage.PROBATIONARY],
         "url": f"{url}?stage=probationary&on_roster=true"},
        {"label": pgettext("figure", "发展对象"), "value": counts[Stage.CANDIDATE],
         "url": f"{url}?stage=candidate&on_roster=true"},
        {"label": pgettext("figure", "入党积极分子"), "value": counts[Stage.ACTIVIST],
         "url": f"{url}?stage=activist&on_roster=true"},
        {"label": _("%(y)d年已收党费（元）") % {"y": today.year}, "value": paid,
         "url": reverse("party:dues_totals") + f"?year={today.year}"},
    ]}]
