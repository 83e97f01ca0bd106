"""To-do items: probationary members whose conversion is due within 30 days or overdue, committee terms
ending within 90 days, branches below the minimum or needing a committee."""

from __future__ import annotations

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tianping.core import registry
from tianping.core.policy import can


@registry.todo.register(order=20)
def todo_items(user) -> list[dict]:
    from tianping.party.models import (
        CommitteePost,
        MemberStatus,
        OrgKind,
        PartyMember,
        PartyOrganisation,
        Stage,
    )
    from tianping.party.rules import setting
    from tianping.party.selectors import full_member_counts

    if not (can(user, "change", PartyMember) or can(user, "change", PartyOrganisation)):
        return []
    today = timezone.localdate()
    items: list[dict] = []
    members = (PartyMember.objects.visible_to(user, "change").filter(stage=Stage.PROBATIONARY, status__in=[
        MemberStatus.NORMAL, MemberStatus.FLOATING, MemberStatus.RETAINED]).select_related("person"))
    horizon = today + timedelta(days=setting("conversion_warn_days", today))
    for m in members:
        due = m.conversion_due_on
        if due is None or due > horizon:
            continue
        overdue = due < today
        items.append({
            "label": (_("%(n)s 预备期已于 %(d)s 届满，应讨论转正") if overdue
                      else _("%(n)s 预备期将于 %(d)s 届满")) % {"n": m.person.name, "d": due.isoformat()},
            "url": reverse("party:member_detail", args=[m.pk]), "due": due, "kind": _("转正"),
            "level": "danger" if overdue else "warning"})
    orgs = PartyOrganisation.objects.visible_to(user, "change").filter(active=True)
    term_horizon = today + timedelta(days=setting("term_warn_days", today))
    posts = (CommitteePost.objects.current_on(today).filter(organisation__in=orgs, term_end__lte=term_horizon)
             .select_related("organisation").order_by("term_end"))
    seen = set()
    for p in posts:
        if p.organisation_id in seen:
            continue
        seen.add(p.organisation_id)
        items.append({"label": _("%(o)s 支委会任期将于 %(d)s 届满，请准备换届") % {
            "o": p.organisation.name, "d": p.term_end.isoformat()},
            "url": reverse("party:organisation_detail", args=[p.organisation_id]), "due": p.term_end,
            "kind": _("换届"), "level": "danger" if p.term_end < today else "warning"})
    if can(user, "restructure", PartyOrganisation):  # the size of branches is the party office's concern
        minimum = setting("branch_min_full_members", today)
        threshold = setting("committee_threshold_members", today)
        with_committee = set(CommitteePost.objects.current_on(today).values_list("organisation_id", flat=True))
        branches = list(orgs.filter(kind=OrgKind.BRANCH))
        full = full_member_counts(branches, today)
        for org in branches:
            n = full[org.pk]
            if n < minimum:
                items.append({"label": _("%(o)s 正式党员仅 %(n)d 人，不足 %(m)d 人") % {
                    "o": org.name, "n": n, "m": minimum},
                    "url": reverse("party:organisation_detail", args=[org.pk]), "due": None,
                    "kind": _("支部"), "level": "warning"})
            elif n >= threshold and org.pk not in with_committee:
                items.append({"label": _("%(o)s 正式党员 %(n)d 人，应设立支部委员会") % {"o": org.name, "n": n},
                              "url": reverse("party:organisation_detail", args=[org.pk]), "due": None,
                              "kind": _("支部"), "level": "warning"})
    return items
