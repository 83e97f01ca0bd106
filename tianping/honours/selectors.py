"""Reads of pioneer posts, honours and the showcase: the honours figures, the posts with their holders today,
the lobby screen's slides, the study hours the column earns."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Prefetch, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from tianping.core import registry
from tianping.honours.models import (
    EXPERT_TITLES,
    ArticleStatus,
    ArticleStudy,
    HolderKind,
    Honour,
    HonourLevel,
    PioneerPost,
    PostHolder,
    Selection,
    SelectionStatus,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

    from tianping.org.models import Court


def honour_figures(court: Court | int, years: list[int]) -> dict[str, Any]:
    """Person-times (人次) of individual honours per year and level, the collective honours per year, and the
    sums over the last three of `years`. One query."""
    court_id = court if isinstance(court, int) else court.pk
    rows = (Honour.objects.filter(court_id=court_id, awarded_on__year__in=years)
            .values("awarded_on__year", "level", "holder_kind").annotate(n=Count("id")))
    levels = [str(v) for v in HonourLevel.values]
    person: dict[int, dict[str, int]] = {y: dict.fromkeys(levels, 0) for y in years}
    collective: dict[int, int] = dict.fromkeys(years, 0)
    for r in rows:
        year = r["awarded_on__year"]
        if r["holder_kind"] == HolderKind.PERSON:
            person[year][r["level"]] += r["n"]
        else:
            collective[year] += r["n"]
    last3 = years[-3:]
    three = {lv: sum(person[y][lv] for y in last3) for lv in levels}
    return {
        "levels": [(lv, str(HonourLevel(lv).label)) for lv in levels],
        "years": [{"year": y, "by_level": person[y], "person_times": sum(person[y].values()),
                   "collective": collective[y]} for y in years],
        "three_years": {"years": last3, "by_level": three, "person_times": sum(three.values()),
                        "collective": sum(collective[y] for y in last3)},
    }


def unit_titles(court: Court | int) -> list[dict[str, Any]]:
    """The unit's (collective) titles, newest year first: [{"year", "honours": [Honour …]}]."""
    court_id = court if isinstance(court, int) else court.pk
    by_year: dict[int, list[Honour]] = defaultdict(list)
    for h in (Honour.objects.filter(court_id=court_id).exclude(holder_kind=HolderKind.PERSON)
              .select_related("department", "organisation").order_by("-awarded_on", "name")):
        by_year[h.awarded_on.year].append(h)
    return [{"year": y, "honours": by_year[y]} for y in sorted(by_year, reverse=True)]


def expert_member_share(court: Court | int) -> dict[str, Any]:
    """办案能手 / 调解能手 honours (by their title): how many, and how many of their holders were party members
    (probationary or full) on the award date."""
    from tianping.party.selectors import party_membership_intervals

    court_id = court if isinstance(court, int) else court.pk
    q = Q()
    for title in EXPERT_TITLES.values():
        q |= Q(name__contains=title)
    rows = list(Honour.objects.filter(q, court_id=court_id, holder_kind=HolderKind.PERSON)
                .values_list("person_id", "awarded_on"))
    spans = party_membership_intervals(court_id)
    members = sum(1 for pid, day in rows
                  if any(s <= day and (e is None or e >= day) for s, e in spans.get(pid, [])))
    return {"total": len(rows), "members": members, "share": members / len(rows) if rows else None}


def posts_with_holders(court: Court | int, day: date) -> QuerySet[PioneerPost]:
    """Active posts of the court, each with `current` = its holders on `day` (prefetched)."""
    court_id = court if isinstance(court, int) else court.pk
    current = (PostHolder.objects.filter(start__lte=day).filter(Q(end__isnull=True) | Q(end__gte=day))
               .select_related("person").order_by("start"))
    return (PioneerPost.objects.filter(court_id=court_id, active=True).select_related("department")
            .prefetch_related(Prefetch("holders", queryset=current, to_attr="current"))
            .order_by("window", "name"))


def lobby_slides(court: Court, day: date) -> list[dict[str, Any]]:
    """What the lobby screen rotates through. Only public facts: names, pledges, brands, honours' names and
    counts; never an ID number, a phone, an address, a litigant or a mediation outcome."""
    from tianping.party.models import OrgKind, PartyOrganisation

    slides: list[dict[str, Any]] = []
    for org in (PartyOrganisation.objects.filter(court=court, active=True, kind=OrgKind.BRANCH)
                .exclude(brand_name="").order_by("sort_order", "name")):
        slides.append({"kind": "brand", "title": org.brand_name, "subtitle": org.name,
                       "text": org.brand_description[:300]})
    for post in posts_with_holders(court, day):
        holders = getattr(post, "current", [])
        if holders:
            slides.append({"kind": "post", "title": post.name, "subtitle": f"{post.get_window_display()} · "
                                                                            f"{post.department.name}",
                           "identity": post.identity_text, "brand": post.brand_text, "post_id": post.pk,
                           "photo": bool(post.photo),
                           "holders": [{"name": h.person.name, "pledge": h.pledge} for h in holders]})
    year_honours = list(Honour.objects.filter(court=court, awarded_on__year=day.year)
                        .select_related("person", "department", "organisation").order_by("-awarded_on")[:40])
    for start in range(0, len(year_honours), 10):
        slides.append({"kind": "honours", "title": _("%(y)d 年度表彰") % {"y": day.year},
                       "rows": [{"holder": h.holder_name, "name": h.name, "level": h.get_level_display()}
                                for h in year_honours[start:start + 10]]})
    fig = honour_figures(court, list(range(day.year - 2, day.year + 1)))
    experts = expert_member_share(court)
    posts = PostHolder.objects.filter(post__court=court, start__lte=day).filter(
        Q(end__isnull=True) | Q(end__gte=day)).values("person").distinct().count()
    slides.append({"kind": "figures", "title": _("本院党建成效"), "figures": [
        (_("近三年表彰（人次）"), fig["three_years"]["person_times"]),
        (_("近三年集体荣誉（项）"), fig["three_years"]["collective"]),
        (_("在岗先锋岗党员（人）"), posts),
        (_("能手中的党员"), f"{experts['share'] * 100:.0f}%" if experts["share"] is not None else "—"),
    ]})
    finals = (Selection.objects.filter(court=court, status__in=[SelectionStatus.FINAL, SelectionStatus.PUBLICITY])
              .order_by("-year", "-id")[:2])
    for sel in finals:
        names = list(Honour.objects.filter(selection=sel).values_list("person__name", flat=True))
        if names:
            slides.append({"kind": "selection", "title": sel.title, "subtitle": sel.honour_name, "names": names})
    return slides


def article_study_hours(court_id: int, year: int, person_ids: Iterable[int] | None
                        ) -> dict[int, tuple[str, Decimal]]:
    """Study hours earned in `year` by reading assigned articles of the column (registry.study_sources)."""
    qs = ArticleStudy.objects.filter(article__court_id=court_id, studied_on__year=year,
                                     article__status=ArticleStatus.PUBLISHED)
    if person_ids is not None:
        qs = qs.filter(person_id__in=list(person_ids))
    label = _("网上党建专栏")
    return {pid: (label, hours) for pid, hours in qs.values("person_id").annotate(h=Sum("hours"))
            .values_list("person_id", "h")}


registry.study_sources.register(article_study_hours)
