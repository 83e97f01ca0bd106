"""The annual report's honours and pioneer-post figures (tianping/annual), each linking to the list of the
records it counts (the honour list's and the post list's filters)."""

from __future__ import annotations

from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse

from tianping.core.registry import ReportFigure, report_figures


def _url(name: str, **params: Any) -> str:
    return f"{reverse(name)}?{urlencode(params)}"


def expert_q() -> Q:
    """Honours titled 办案能手 or 调解能手 (the titles the trial page's candidate lists award, EXPERT_TITLES)."""
    from tianping.honours.models import EXPERT_TITLES

    q = Q()
    for title in EXPERT_TITLES.values():
        q |= Q(name__contains=title)
    return q


def able_handlers(court: Any, year: int) -> tuple[int, int]:
    """(people awarded 办案能手 or 调解能手 in the year, of them those who were party members — probationary or
    full — on the date of their award; a person awarded twice counts once, a member when on either date)."""
    from tianping.honours.models import HolderKind, Honour
    from tianping.party.selectors import party_membership_intervals

    rows = list(Honour.objects.filter(expert_q(), court=court, holder_kind=HolderKind.PERSON, person__isnull=False,
                                       awarded_on__gte=date(year, 1, 1), awarded_on__lte=date(year, 12, 31))
                .values_list("person_id", "awarded_on"))
    if not rows:
        return 0, 0
    spans = party_membership_intervals(court, {pid for pid, _day in rows})  # of the people awarded only
    people: dict[int, bool] = {}
    for pid, day in rows:
        member = any(s <= day and (e is None or e >= day) for s, e in spans.get(pid, []))
        people[pid] = people.get(pid, False) or member
    return len(people), sum(people.values())


def posts_held_on(court: Any, day: date) -> int:
    """The court's pioneer posts with at least one holder on `day`."""
    from tianping.honours.models import PioneerPost

    return (PioneerPost.objects.filter(court=court, holders__start__lte=day)
            .filter(Q(holders__end__isnull=True) | Q(holders__end__gte=day)).values("pk").distinct().count())


@report_figures.register(order=50)
def honours_figures(court: Any, year: int) -> dict[str, ReportFigure]:
    """honours_person_times_3y (individual honours dated in the year and the two before it), the three-year
    table's honours_person_times_year, able_handlers_party_share and pioneer_posts (posts with a holder on
    31 December)."""
    from tianping.honours.models import HolderKind, Honour

    first, end = date(year - 2, 1, 1), date(year, 12, 31)
    counts = (Honour.objects.filter(court=court, holder_kind=HolderKind.PERSON, awarded_on__gte=first,
                                    awarded_on__lte=end)
              .aggregate(three=Count("id"), this_year=Count("id", filter=Q(awarded_on__gte=date(year, 1, 1)))))
    three, this_year = counts["three"], counts["this_year"]
    awarded, members = able_handlers(court, year)
    return {
        "honours_person_times_3y": ReportFigure(three, _url(
            "honours:honour_list", holder_kind=HolderKind.PERSON, awarded_from=first.isoformat(),
            awarded_to=end.isoformat())),
        "honours_person_times_year": ReportFigure(this_year, _url(
            "honours:honour_list", holder_kind=HolderKind.PERSON, year=year)),
        "able_handlers_party_share": ReportFigure(
            round(members / awarded, 4) if awarded else None,
            _url("honours:honour_list", holder_kind=HolderKind.PERSON, year=year, expert=1)),
        "pioneer_posts": ReportFigure(posts_held_on(court, end), _url("honours:post_list", held_on=end.isoformat())),
    }
