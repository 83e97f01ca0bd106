"""Reads of the dispute-resolution centre: the centre's figures (who may do what: mediation/policy.py).

Figures (all over the disputes a user may see, registered in the chosen period; by kind (诉前调解 /
诉中委托调解, an entrusted mediation counting from the date it was entrusted), room, mediator, studio and month of
registration — each figure has a `stage` that the list's filter reproduces):
- received 收案: disputes registered;
- diverted 分流调解: triaged to pre-litigation mediation;
- concluded 调解结束: diverted and mediation ended (agreement reached, failed or withdrawn after triage);
- succeeded 调解成功: an agreement was reached (whatever happened to it afterwards);
- success rate 调解成功率 = succeeded ÷ concluded;
- average days 平均调解天数 = Σ (agreement or end date − acceptance date, or triage date if never
  accepted) ÷ concluded;
- confirmed 司法确认: judicial confirmation ruled 确认有效;
- filed 转立案: transferred to filing (a 民初 case was filed).
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tianping.mediation.models import Dispute, Kind, Room, Route, Ruling, SiteKind, Status

STAGES = OrderedDict([
    ("received", gettext_lazy("收案")),
    ("diverted", gettext_lazy("分流调解")),
    ("concluded", gettext_lazy("调解结束")),
    ("succeeded", gettext_lazy("调解成功")),
    ("confirmed", gettext_lazy("司法确认")),
    ("filed", gettext_lazy("转立案")),
])


def site_q(value: str) -> Q:
    """Disputes registered at a site: "centre" or a tribunal's department id (the list's `site` filter)."""
    if value == SiteKind.CENTRE:
        return Q(intake_department__isnull=True)
    return Q(intake_department_id=int(value)) if str(value).isdigit() else Q(pk__in=[])


def stage_q(stage: str) -> Q:
    """The condition behind each figure (used by both the figures and the list filter)."""
    diverted = Q(route=Route.MEDIATION)
    if stage == "received":
        return Q()
    if stage == "diverted":
        return diverted
    if stage == "succeeded":
        return diverted & Q(agreement_on__isnull=False)
    if stage == "concluded":
        return diverted & (Q(agreement_on__isnull=False) | Q(ended_on__isnull=False))
    if stage == "confirmed":
        return Q(ruling=Ruling.CONFIRMED)
    if stage == "filed":
        return Q(status=Status.FILED)
    raise ValueError(stage)


# --- the policy, read for the registers and the figures ------------------------------------------

def can_intake(user: Any) -> bool:
    """May import the traffic studio's statistics (the intake desk); read from mediation/policy.py, kept for
    the `traffic_statistics` register."""
    from tianping.core.policy import allowed

    return allowed(user, "mediation.import_provincestatistic")


def secretary_station(user: Any) -> int | None:
    """The department id of the tribunal whose service station's figures the account reads: a branch secretary
    (支部书记) of a people's tribunal that has a station (Site) — the tribunal's secretary."""
    from tianping.core.roles import Role, has_role
    from tianping.mediation.models import Site

    person = getattr(user, "person", None) if getattr(user, "person_id", None) else None
    if person is None or not person.department_id or not has_role(user, Role.BRANCH_SECRETARY):
        return None
    return person.department_id if Site.objects.filter(department_id=person.department_id, active=True).exists() \
        else None


def figures_scope(user: Any) -> tuple[QuerySet[Dispute], bool]:
    """The disputes a user's figures count, and whether the figures may link to the lists. A higher
    court counts the disputes of the courts below but gets no links (figures only, no party data)."""
    from tianping.core.policy import allowed
    from tianping.core.scope import readable_court_ids

    if allowed(user, "mediation.view_figure_lists"):
        return Dispute.objects.visible_to(user), True
    station = secretary_station(user)
    if station is not None:  # a tribunal's secretary: their station's figures, without the lists
        return Dispute.objects.filter(court_id=user.court_id, intake_department_id=station), False
    return Dispute.objects.filter(court_id__in=readable_court_ids(user) or []), False


# --- figures ----------------------------------------------------------------------------------------

def _rate(num: int, den: int) -> Decimal | None:
    if not den:
        return None
    return (Decimal(num) * 100 / Decimal(den)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


_FIELDS = ("intake_department_id", "intake_department__name",
           "kind", "route", "agreement_on", "ended_on", "ruling", "status", "accepted_on", "triaged_on", "room",
           "mediator_id", "mediator__name", "studio_id", "studio__name", "registered_on")


def _stages_of(r: dict[str, Any]) -> list[str]:
    """The figures a dispute counts in — the same conditions as stage_q (the list filter); the tests
    follow every figure's link and compare, so the two cannot drift apart."""
    out = ["received"]
    if r["route"] == Route.MEDIATION:
        out.append("diverted")
        if r["agreement_on"] or r["ended_on"]:
            out.append("concluded")
        if r["agreement_on"]:
            out.append("succeeded")
    if r["ruling"] == Ruling.CONFIRMED:
        out.append("confirmed")
    if r["status"] == Status.FILED:
        out.append("filed")
    return out


class _Tally:
    def __init__(self) -> None:
        self.counts = dict.fromkeys(STAGES, 0)
        self.day_sum = 0
        self.day_n = 0

    def add(self, r: dict[str, Any], stages: list[str]) -> None:
        for s in stages:
            self.counts[s] += 1
        if "concluded" in stages:
            self.day_sum += _days(r)
            self.day_n += 1

    def add_many(self, stages: tuple[str, ...], n: int, day_sum: int) -> None:
        """`n` disputes with the same figures (`day_sum`: their mediation days, when they concluded)."""
        for s in stages:
            self.counts[s] += n
        if "concluded" in stages:
            self.day_sum += day_sum
            self.day_n += n

    def result(self) -> dict[str, Any]:
        out: dict[str, Any] = dict(self.counts)
        out["success_rate"] = _rate(out["succeeded"], out["concluded"])
        out["average_days"] = ((Decimal(self.day_sum) / self.day_n).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
                               if self.day_n else None)
        return out


def _days(r: dict[str, Any]) -> int:
    end = r["agreement_on"] or r["ended_on"]
    return int((end - (r["accepted_on"] or r["triaged_on"])).days)


def _rows(qs: QuerySet[Dispute]) -> Any:
    return qs.order_by().values(*_FIELDS).iterator(chunk_size=5000)


def _groups(qs: QuerySet[Dispute]) -> Any:
    """The disputes grouped in the database by their place in every dimension and by what their figures depend
    on, with the number of disputes and the sum of their mediation days (end − acceptance or triage): ten years
    of 2,600 disputes a year come back as a few thousand rows instead of 26,000."""
    from django.db.models import BooleanField, Count, DurationField, ExpressionWrapper, F, Sum
    from django.db.models.functions import Coalesce, ExtractMonth, ExtractYear

    span = ExpressionWrapper(Coalesce(F("agreement_on"), F("ended_on")) - Coalesce(F("accepted_on"), F("triaged_on")),
                             output_field=DurationField())
    return (qs.order_by()
            .annotate(reg_year=ExtractYear("registered_on"), reg_month=ExtractMonth("registered_on"),
                      agreed=ExpressionWrapper(Q(agreement_on__isnull=False), output_field=BooleanField()),
                      ended=ExpressionWrapper(Q(ended_on__isnull=False), output_field=BooleanField()))
            .values("intake_department_id", "kind", "room", "mediator_id", "studio_id", "route", "ruling", "status",
                    "reg_year", "reg_month", "agreed", "ended")
            .annotate(n=Count("id"), span=Sum(span)))


def _names(groups: list[dict[str, Any]]) -> dict[tuple[str, Any], str]:
    """The names of the tribunals (sites), mediators and studios the groups name, in one query: grouping on the
    ids alone keeps the database's grouping narrow (on names it sorts on disk)."""
    from django.db.models import CharField, Value

    from tianping.mediation.models import Mediator, Studio
    from tianping.org.models import Department

    parts = []
    for kind, model, key in (("site", Department, "intake_department_id"), ("mediator", Mediator, "mediator_id"),
                             ("studio", Studio, "studio_id")):
        ids = {g[key] for g in groups if g[key]}
        if ids:
            parts.append(model.objects.filter(pk__in=ids).order_by()
                         .annotate(what=Value(kind, output_field=CharField())).values_list("what", "pk", "name"))
    if not parts:
        return {}
    rows = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    return {(what, pk): name for what, pk, name in rows}


def figures(qs: QuerySet[Dispute]) -> dict[str, Any]:
    """The centre's figures over a dispute queryset (already scoped and limited to the period); one query."""
    tally = _Tally()
    for r in _rows(qs):
        tally.add(r, _stages_of(r))
    return tally.result()


def list_url(params: dict[str, Any], stage: str | None = None, *, path: str | None = None) -> str:
    """The dispute list filtered to one figure's disputes; `path`: the list's address when the caller has
    already reversed it (the ten-year figures page builds ~1,200 links; reverse() was a third of its time)."""
    query = {k: v for k, v in params.items() if v not in (None, "")}
    if stage and stage != "received":
        query["stage"] = stage
    return (path or reverse("mediation:dispute_list")) + ("?" + urlencode(query) if query else "")


def stage_links(params: dict[str, Any], *, path: str | None = None) -> dict[str, str]:
    """{stage: list_url(params, stage)} for every stage, the query string encoded once (the figures page writes
    seven links a row)."""
    received = list_url(params, path=path)
    joiner = "&" if "?" in received else "?"
    return {stage: received if stage == "received" else f"{received}{joiner}{urlencode({'stage': stage})}"
            for stage in STAGES}


DIMENSIONS = ("site", "kind", "room", "studio", "mediator", "month")


def figure_tables(qs: QuerySet[Dispute], base_params: dict[str, Any]
                  ) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]:
    """The totals, and per dimension (room, studio, mediator, month) one row per value with every figure
    and the link to the list that reproduces it — all from one pass over one query."""
    total = _Tally()
    tallies: dict[str, dict[str, Any]] = {d: {} for d in DIMENSIONS}
    labels: dict[tuple[str, object], tuple[Any, dict[str, Any]]] = {}
    for value, label in Room.choices:
        tallies["room"][value] = _Tally()
        labels[("room", value)] = (str(label), {"room": value})
    tallies["room"][""] = _Tally()
    labels[("room", "")] = (_("未分流调解"), {"room": "none"})
    for value, label in Kind.choices:  # 诉前调解 and 诉中委托调解, each its own row
        tallies["kind"][value] = _Tally()
        labels[("kind", value)] = (str(label), {"kind": value})
    # grouped in the database (_groups), then summed here per (dimension, value, figures counted): ten years come
    # back as ~5,000 groups, and a dict addition per group and dimension is what the page can afford (a tally's
    # add_many per group and dimension was a third of the ten-year page's time)
    groups = list(_groups(qs))
    names = _names(groups)
    stage_memo: dict[tuple[Any, ...], tuple[str, ...]] = {}
    sums: dict[tuple[str, Any, tuple[str, ...]], list[int]] = {}
    for g in groups:
        memo_key = (g["route"], g["ruling"], g["status"], g["agreed"], g["ended"])
        stages = stage_memo.get(memo_key)
        if stages is None:
            stages = stage_memo[memo_key] = tuple(_stages_of(
                {"route": g["route"], "ruling": g["ruling"], "status": g["status"], "agreement_on": g["agreed"],
                 "ended_on": g["ended"]}))
        n, day_sum = g["n"], (g["span"].days if g["span"] is not None else 0)
        keys: list[tuple[str, Any]] = [("total", None), ("site", g["intake_department_id"] or str(SiteKind.CENTRE)),
                                       ("kind", g["kind"]), ("room", g["room"]),
                                       ("month", (g["reg_year"], g["reg_month"]))]
        if g["mediator_id"]:
            keys.append(("mediator", g["mediator_id"]))
        if g["studio_id"]:
            keys.append(("studio", g["studio_id"]))
        for dim, k in keys:
            acc = sums.get((dim, k, stages))
            if acc is None:
                sums[(dim, k, stages)] = [n, day_sum]
            else:
                acc[0] += n
                acc[1] += day_sum
    for (dim, k, stages), (n, day_sum) in sums.items():
        if dim == "total":
            total.add_many(stages, n, day_sum)
            continue
        if dim == "month":
            k = f"{k[0]}-{k[1]:02d}"
        tally = tallies[dim].get(k)
        if tally is None:
            tally = tallies[dim][k] = _Tally()
        tally.add_many(stages, n, day_sum)
        if (dim, k) in labels:
            continue
        if dim == "site":
            labels[(dim, k)] = (names.get(("site", k)) or _("诉讼服务中心"), {"site": k})
        elif dim == "month":
            labels[(dim, k)] = (k, {"month": k})
        else:  # mediator, studio
            labels[(dim, k)] = (names[(dim, k)], {dim: k})
    out: dict[str, list[dict[str, Any]]] = {}
    path = reverse("mediation:dispute_list")
    for dim in DIMENSIONS:
        rows = []
        for key, tally in tallies[dim].items():
            label, params = labels[(dim, key)]
            rows.append({"label": label, "figures": tally.result(),
                         "links": stage_links({**base_params, **params}, path=path)})
        if dim == "site":  # the centre first, then the stations
            rows.sort(key=lambda row: (row["links"]["received"].find("site=centre") < 0, row["label"]))
        elif dim not in ("room", "kind"):
            rows.sort(key=lambda row: row["label"])
        out[dim] = rows
    return total.result(), out


def site_roster(court_id: Any) -> list[dict[str, Any]]:
    """The court's sites (the centre first, then the tribunal stations) with their intake staff, rooms,
    mediators and studios — a handful of queries whatever the size of the roster."""
    from tianping.mediation.models import CentreStaff, Mediator, Site, Studio

    sites = list(Site.objects.filter(court_id=court_id, active=True).order_by("kind", "name"))
    if not sites:
        return []
    centre = next((s.pk for s in sites if s.department_id is None), None)
    out: dict[Any, dict[str, Any]] = {s.pk: {"name": s.name, "rooms": s.room_list, "staff": [], "mediators": [],
                                             "studios": []} for s in sites}
    rows: Any
    for key, rows in (
        ("staff", CentreStaff.objects.filter(court_id=court_id).values_list("site_id", "user__username")),
        ("mediators", Mediator.objects.filter(court_id=court_id, active=True).values_list("site_id", "name")),
        ("studios", Studio.objects.filter(court_id=court_id, active=True).values_list("site_id", "name")),
    ):
        for site_id, name in rows:
            target = out.get(site_id or centre)
            if target is not None:
                target[key].append(name)
    return list(out.values())


def period_default(today: date) -> tuple[date, date]:
    """The current year up to today (the court reports its figures by calendar year)."""
    return date(today.year, 1, 1), today


def saved_calculations(user: Any) -> QuerySet[Any]:
    """The standalone calculations `user` saved (the calculator's own page) and has not attached to a dispute
    yet, newest first: a saved calculation is its maker's until it is attached."""
    from tianping.mediation.models import TrafficCalculation

    if user is None or not getattr(user, "pk", None):
        return TrafficCalculation.objects.none()
    return TrafficCalculation.objects.filter(created_by_id=user.pk, dispute__isnull=True).order_by("-id")
