"""Pages of the service work (司法为民). Who may open each page is declared in service/policy.py and read here
through the view decorators; every list starts from `Model.objects.visible_to(user)`, so a record outside the
user's scope answers 404. Writes go through tianping.service.services."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tianping.core.actions import Action, add_service_errors, available_actions, create_once, run_action
from tianping.core.policy import allowed, can, object_permission, permission_required
from tianping.core.scope import get_visible_or_404
from tianping.core.views import FilteredListView
from tianping.org.models import Person
from tianping.service import forms, selectors, services
from tianping.service.filtersets import (
    CircuitFilterSet,
    ComplaintFilterSet,
    FollowUpFilterSet,
    OutreachFilterSet,
    RevisitFilterSet,
    SampleFilterSet,
    VisitFilterSet,
)
from tianping.service.models import (
    CircuitPlace,
    CircuitTrial,
    Complaint,
    ComplaintStatus,
    FollowUp,
    OutreachEvent,
    Partnership,
    PartnerVisit,
    Rating,
    Revisit,
    RevisitAssignment,
    RevisitSample,
    ServiceSettings,
)
from tianping.service.tables import (
    CircuitTable,
    ComplaintTable,
    FollowUpTable,
    OutreachTable,
    RevisitTable,
    SampleTable,
    VisitTable,
)


def _once(request: HttpRequest, form: Any, call: Any, url_of: Any) -> HttpResponse:
    response = create_once(request, form, call, url_of)
    assert response is not None  # create_once always answers with a redirect
    return response


def _crumbs(*extra: Any) -> list[Any]:
    return [(_("司法为民"), reverse("service:home")), *extra]


def _year(request: HttpRequest) -> int:
    raw = (request.GET.get("year") or "").strip()
    today = timezone.localdate()
    if raw.isdigit() and 1990 <= int(raw) <= 2999:
        return int(raw)
    if raw:
        messages.warning(request, _("年度“%(y)s”无效，已显示本年度。") % {"y": raw[:10]})
    return today.year


# --- the service page ---------------------------------------------------------------------------------
@permission_required("service.view_figures")
def home(request: HttpRequest) -> HttpResponse:
    """The year's counts and rates, each linking to its records; the satisfaction tables by judge, department,
    branch, party status and month for the court's readers (the higher court: figures of the courts below)."""
    user: Any = request.user
    year = _year(request)
    court_ids, linked = selectors.figure_scope(user)
    ctx: dict[str, Any] = {"year": year, "years": list(range(timezone.localdate().year, 2013, -1)),
                           "page_title": _("司法为民"), "breadcrumbs": [(_("司法为民"), None)], "linked": linked}
    ctx["figures"] = selectors.year_figures(user, year)
    threshold = selectors.satisfied_from(user.court) if user.court_id else Rating.BASIC
    ctx["threshold_label"] = Rating(threshold).label
    revisits = selectors.scoped(Revisit, user, court_ids, linked).filter(revisited_on__year=year)
    ctx["months"] = [{**m, "rate_text": selectors.rate_text(m["rate"]),
                      "url": selectors.list_url("service:revisit_list", start=m["month"].isoformat(),
                                                end=_month_end(m["month"]).isoformat()) if linked else None}
                     for m in selectors.monthly(revisits, threshold, year)]
    if allowed(user, "service.view_court_figures"):
        tables = _satisfaction_tables(user, revisits, threshold, year, linked)
        # the higher court reads figures of the courts below, never their people: party status only
        ctx["tables"] = tables if linked else [t for t in tables if t[0] == "party"]
    ctx["can_draw"] = can(user, "add", RevisitSample)
    ctx["can_settings"] = user.court_id and can(user, "change", ServiceSettings.for_court(user.court))
    return render(request, "service/home.html", ctx)


def _month_end(first: date) -> date:
    from calendar import monthrange

    return first.replace(day=monthrange(first.year, first.month)[1])


def _satisfaction_tables(user: Any, revisits: Any, threshold: int, year: int, linked: bool) -> list[Any]:
    from tianping.org.models import Department

    def row(label: str, c: dict[str, Any], **params: Any) -> dict[str, Any]:
        return {"label": label, **c, "rate_text": selectors.rate_text(c.get("rate")),
                "url": selectors.list_url("service:revisit_list", year=year, **params) if linked else None}

    by_judge = selectors.satisfaction_by(revisits, threshold, "judge")
    people = {p.pk: p for p in Person.objects.filter(pk__in=[k for k in by_judge if k])}
    judges = [row(people[k].label if k in people else _("未指定承办人"), c, judge=k or "")
              for k, c in sorted(by_judge.items(), key=lambda kv: -kv[1]["people"])]
    by_dep = selectors.satisfaction_by(revisits, threshold, "department")
    deps = {d.pk: d for d in Department.objects.filter(pk__in=[k for k in by_dep if k])}
    departments = [row(deps[k].name if k in deps else _("未指定部门"), c, department=k or "none")
                   for k, c in sorted(by_dep.items(), key=lambda kv: (deps[kv[0]].sort_order if kv[0] in deps
                                                                      else 999))]
    branches = [row(c["name"], c, branch=k) for k, c in sorted(
        selectors.satisfaction_by(revisits, threshold, "branch").items(), key=lambda kv: kv[1]["name"]) if c["people"]]
    by_party = selectors.satisfaction_by(revisits, threshold, "party")
    empty = {"people": 0, "cases": 0, "rated": 0, "satisfied": 0, "dissatisfied": 0, "rate": None}
    party = [row(_("党员承办"), by_party.get(True, empty), party=1),
             row(_("非党员承办"), by_party.get(False, empty), party=0)]
    return [("party", _("按承办人党员身份（结案时）"), party), ("branch", _("按党支部"), branches),
            ("department", _("按承办部门"), departments), ("judge", _("按承办人"), judges)]


# --- revisits -----------------------------------------------------------------------------------------
class RevisitListView(FilteredListView):
    table_class = RevisitTable
    filterset_class = RevisitFilterSet
    register_kind = "revisits"
    import_kind = "revisits"
    page_title = gettext_lazy("回访记录")
    template_name = "service/list.html"

    def get_filterset_kwargs(self, filterset_class: Any) -> Any:
        kwargs = super().get_filterset_kwargs(filterset_class)
        user: Any = self.request.user
        kwargs["court"] = user.court
        kwargs["threshold"] = selectors.satisfied_from(user.court) if user.court_id else Rating.BASIC
        return kwargs

    def get_queryset(self) -> Any:
        return Revisit.objects.visible_to(self.request.user).select_related("case__judge", "caller")

    def get_context_data(self, **kwargs: Any) -> Any:
        ctx = super().get_context_data(**kwargs)
        user: Any = self.request.user
        ctx["breadcrumbs"] = _crumbs((self.page_title, None))
        ctx["import_kind"] = "revisits" if can(user, "import", Revisit) else None
        qs = ctx["filter"].qs
        s = selectors.satisfaction(qs, self.get_filterset_kwargs(self.filterset_class)["threshold"])
        ctx["summary"] = _("共 %(p)d 人（%(c)d 件），作出评价 %(r)d 人，满意 %(s)d 人，满意率 %(rate)s。") % {
            "p": s["people"], "c": s["cases"], "r": s["rated"], "s": s["satisfied"],
            "rate": selectors.rate_text(s["rate"])}
        ctx["side_links"] = [(_("回访抽样"), reverse("service:sample_list")),
                             (_("回访问题整改"), reverse("service:follow_up_list"))]
        return ctx


revisit_list = permission_required("service.view_revisit")(RevisitListView.as_view())


@object_permission(Revisit, "view")
def revisit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    r = Revisit.objects.select_related("case__judge", "case__department", "caller", "assignment__sample").get(pk=pk)
    follow_up = FollowUp.objects.filter(revisit=r).select_related("owner").first()
    return render(request, "service/revisit_detail.html", {
        "r": r, "follow_up": follow_up,
        "can_close": follow_up is not None and follow_up.status == "open" and can(request.user, "close", follow_up),
        "page_title": f"{r.case.number} · {r.contact_name}",
        "breadcrumbs": _crumbs((_("回访记录"), reverse("service:revisit_list")), (r.contact_name, None))})


class SampleListView(FilteredListView):
    table_class = SampleTable
    filterset_class = SampleFilterSet
    page_title = gettext_lazy("回访抽样")

    def get_queryset(self) -> Any:
        return RevisitSample.objects.visible_to(self.request.user).order_by("-drawn_on", "-id").annotate(
            n_assignments=Count("assignments", distinct=True),
            n_done=Count("assignments", filter=Q(assignments__revisits__isnull=False), distinct=True))

    def get_context_data(self, **kwargs: Any) -> Any:
        ctx = super().get_context_data(**kwargs)
        ctx["breadcrumbs"] = _crumbs((self.page_title, None))
        ctx["can_export"] = False
        if can(self.request.user, "add", RevisitSample):
            ctx["create_url_name"] = "service:sample_create"
        return ctx


sample_list = permission_required("service.view_revisitsample")(SampleListView.as_view())


@permission_required("service.add_revisitsample")
def sample_create(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = forms.SampleForm(request.POST or None, court=user.court)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data

        def draw() -> RevisitSample:
            sample = services.sample_draw(actor=user, court=user.court, title=c["title"], method=c["method"],
                                          closed_from=c["closed_from"], closed_to=c["closed_to"], size=c["size"],
                                          judge=c["judge"], type_code=c["type_code"].strip(),
                                          department=c["department"], callers=list(c["callers"]), seed=c["seed"])
            messages.success(request, _("已从 %(p)d 件中抽取 %(n)d 件，随机种子 %(s)d。") % {
                "p": sample.population, "n": sample.assignments.count(), "s": sample.seed})
            return sample

        try:
            return _once(request, form, draw, lambda s: reverse("service:sample_detail", args=[s.pk]))
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(request, "service/form.html", {
        "form": form, "page_title": _("抽取回访案件"), "back": reverse("service:sample_list"),
        "breadcrumbs": _crumbs((_("回访抽样"), reverse("service:sample_list")), (_("抽取回访案件"), None))})


@object_permission(RevisitSample, "view")
def sample_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    sample = RevisitSample.objects.select_related("judge", "department", "drawn_by").get(pk=pk)
    assignments = list(RevisitAssignment.objects.visible_to(user).filter(sample=sample)
                       .select_related("case__judge", "caller")
                       .prefetch_related(Prefetch("revisits", queryset=Revisit.objects.order_by("revisited_on")))
                       .order_by("position"))
    rows = [{"a": a, "revisits": list(a.revisits.all()), "can_record": can(user, "record", a),
             "can_assign": can(user, "assign", a)} for a in assignments]
    redrawn = selectors.sample_redraw(sample)
    drawn = list(RevisitAssignment.objects.filter(sample=sample).order_by("position").values_list("case_id",
                                                                                                  flat=True))
    return render(request, "service/sample_detail.html", {
        "sample": sample, "rows": rows, "reproducible": redrawn == drawn,
        "page_title": sample.title,
        "breadcrumbs": _crumbs((_("回访抽样"), reverse("service:sample_list")), (sample.title, None))})


@object_permission(RevisitAssignment, "record")
def revisit_create(request: HttpRequest, pk: int) -> HttpResponse:
    """登记回访: one person contacted about the assignment's case."""
    user: Any = request.user
    a = RevisitAssignment.objects.select_related("case__judge", "sample", "caller").get(pk=pk)
    form = forms.RevisitForm(request.POST or None, court=user.court, caller=a.caller or user.person)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data

        def record() -> Revisit:
            r = services.revisit_record(actor=user, case=a.case, assignment=a, revisited_on=c["revisited_on"],
                                        method=c["method"], caller=c["caller"], contact_name=c["contact_name"],
                                        relation=c["relation"], rating=c["rating"], comments=c["comments"],
                                        handling=c["handling"], problem=c["problem"], owner=c["owner"])
            if FollowUp.objects.filter(revisit=r).exists():
                messages.warning(request, _("已登记，并生成回访问题整改任务。"))
            else:
                messages.success(request, _("已登记回访。"))
            return r

        try:
            return _once(request, form, record, lambda r: reverse("service:sample_detail", args=[a.sample_id]))
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(request, "service/form.html", {
        "form": form, "page_title": _("登记回访：%(n)s") % {"n": a.case.number},
        "intro": _("承办人：%(j)s；结案日期：%(d)s") % {"j": a.case.judge.name if a.case.judge is not None else "—",
                                                     "d": a.case.closed_on.isoformat() if a.case.closed_on else "—"},
        "back": reverse("service:sample_detail", args=[a.sample_id]),
        "breadcrumbs": _crumbs((a.sample.title, reverse("service:sample_detail", args=[a.sample_id])),
                               (_("登记回访"), None))})


@object_permission(RevisitAssignment, "assign")
def assignment_assign(request: HttpRequest, pk: int) -> HttpResponse:
    """更换回访人: hand a call to another member of staff."""
    user: Any = request.user
    a = RevisitAssignment.objects.select_related("case", "sample", "caller").get(pk=pk)
    form = forms.AssignForm(request.POST or None, court=user.court, initial={"caller": a.caller_id})
    back = reverse("service:sample_detail", args=[a.sample_id])
    if request.method == "POST" and form.is_valid():
        try:
            services.assignment_assign(actor=user, assignment=a, caller=form.cleaned_data["caller"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已更换回访人。"))
            return redirect(back)
    return render(request, "service/form.html", {
        "form": form, "page_title": _("更换回访人：%(n)s") % {"n": a.case.number}, "back": back,
        "breadcrumbs": _crumbs((a.sample.title, back), (_("更换回访人"), None))})


class FollowUpListView(FilteredListView):
    table_class = FollowUpTable
    filterset_class = FollowUpFilterSet
    page_title = gettext_lazy("回访问题整改")

    def get_queryset(self) -> Any:
        return FollowUp.objects.visible_to(self.request.user).select_related("revisit__case", "owner")

    def get_table_kwargs(self) -> Any:
        user = self.request.user
        return {"can_close": lambda f: can(user, "close", f), "today": timezone.localdate()}

    def get_context_data(self, **kwargs: Any) -> Any:
        ctx = super().get_context_data(**kwargs)
        ctx["breadcrumbs"] = _crumbs((self.page_title, None))
        ctx["can_export"] = False
        return ctx


follow_up_list = permission_required("service.view_followup")(FollowUpListView.as_view())


@object_permission(FollowUp, "close")
def follow_up_close(request: HttpRequest, pk: int) -> HttpResponse:
    f = FollowUp.objects.select_related("revisit__case", "owner").get(pk=pk)
    form = forms.FollowUpCloseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.follow_up_close(actor=request.user, follow_up=f, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已办结。"))
            return redirect("service:follow_up_list")
    return render(request, "service/form.html", {
        "form": form, "page_title": _("办结回访问题"), "intro": f"{f.revisit.case.number} · {f.problem}",
        "back": reverse("service:follow_up_list"),
        "breadcrumbs": _crumbs((_("回访问题整改"), reverse("service:follow_up_list")), (_("办结"), None))})


@permission_required("service.view_servicesettings", post="service.change_servicesettings")
def settings_view(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    current = ServiceSettings.for_court(user.court)
    form = forms.SettingsForm(request.POST or None, initial={
        "satisfied_from": current.satisfied_from, "follow_up_days": current.follow_up_days,
        "complaint_days": current.complaint_days})
    if request.method == "POST" and form.is_valid():
        try:
            services.settings_save(actor=user, court=user.court, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("设置已保存。"))
            return redirect("service:home")
    return render(request, "service/form.html", {
        "form": form, "page_title": _("司法为民设置"), "back": reverse("service:home"),
        "breadcrumbs": _crumbs((_("司法为民设置"), None))})


# --- circuit trials -----------------------------------------------------------------------------------
class CircuitListView(FilteredListView):
    table_class = CircuitTable
    filterset_class = CircuitFilterSet
    register_kind = "circuit_trials"
    page_title = gettext_lazy("巡回审判")
    template_name = "service/list.html"

    def get_queryset(self) -> Any:
        return CircuitTrial.objects.visible_to(self.request.user).select_related("place", "case", "judge",
                                                                                 "department")

    def get_context_data(self, **kwargs: Any) -> Any:
        ctx = super().get_context_data(**kwargs)
        user: Any = self.request.user
        ctx["breadcrumbs"] = _crumbs((self.page_title, None))
        ctx["import_kind"] = "circuit_trials" if can(user, "import", CircuitTrial) else None
        if can(user, "add", CircuitTrial):
            ctx["create_url_name"] = "service:circuit_create"
        ctx["side_links"] = [(_("巡回审判地点（按乡镇）"), reverse("service:places"))]
        return ctx


circuit_list = permission_required("service.view_circuittrial")(CircuitListView.as_view())


def _create_page(request: HttpRequest, form: Any, call: Any, *, title: str, list_name: str,
                 list_title: str) -> HttpResponse:
    """A create form: the one-time token makes a double submit create one record; refusals beside fields."""
    if request.method == "POST" and form.is_valid():
        try:
            return _once(request, form, call, lambda obj: reverse(list_name))
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(request, "service/form.html", {
        "form": form, "page_title": title, "back": reverse(list_name),
        "breadcrumbs": _crumbs((list_title, reverse(list_name)), (title, None))})


@permission_required("service.add_circuittrial")
def circuit_create(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = forms.CircuitTrialForm(request.POST or None, court=user.court)

    def call() -> CircuitTrial:
        c = form.cleaned_data
        trial = services.circuit_trial_record(actor=user, court=user.court, held_on=c["held_on"], form=c["form"],
                                              place=c["place"], department=c["department"], judge=c["judge"],
                                              audience=c["audience"], case=c["case_number"], note=c["note"])
        messages.success(request, _("已登记巡回审判。"))
        return trial

    return _create_page(request, form, call, title=_("登记巡回审判"), list_name="service:circuit_list",
                        list_title=_("巡回审判"))


@permission_required("service.view_circuitplace", post="service.add_circuitplace")
def places(request: HttpRequest) -> HttpResponse:
    """The court's list of circuit-trial places, as a table by township, with the year's trials at each."""
    user: Any = request.user
    year = _year(request)
    form = forms.PlaceForm(request.POST or None) if can(user, "add", CircuitPlace) else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.place_save(actor=user, court=user.court, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("地点已添加。"))
            return redirect("service:places")
    counts = dict(CircuitTrial.objects.visible_to(user).filter(held_on__year=year).values("place_id")
                  .annotate(n=Count("id")).values_list("place_id", "n"))
    towns: dict[str, list[Any]] = defaultdict(list)
    for p in CircuitPlace.objects.visible_to(user):
        towns[p.township].append({"place": p, "n": counts.get(p.pk, 0)})
    rows = [{"township": t, "places": ps, "total": sum(p["n"] for p in ps)} for t, ps in sorted(towns.items())]
    return render(request, "service/places.html", {
        "rows": rows, "year": year, "form": form, "page_title": _("巡回审判地点"),
        "breadcrumbs": _crumbs((_("巡回审判"), reverse("service:circuit_list")), (_("巡回审判地点"), None))})


# --- 法官六进 and legal publicity -------------------------------------------------------------------------
class OutreachListView(FilteredListView):
    table_class = OutreachTable
    filterset_class = OutreachFilterSet
    register_kind = "outreach_events"
    page_title = gettext_lazy("法官六进与法制宣传")
    template_name = "service/list.html"

    def get_queryset(self) -> Any:
        return (OutreachEvent.objects.visible_to(self.request.user).select_related("department", "branch")
                .prefetch_related("participants"))

    def get_context_data(self, **kwargs: Any) -> Any:
        ctx = super().get_context_data(**kwargs)
        user: Any = self.request.user
        ctx["breadcrumbs"] = _crumbs((self.page_title, None))
        ctx["import_kind"] = "outreach_events" if can(user, "import", OutreachEvent) else None
        if can(user, "add", OutreachEvent):
            ctx["create_url_name"] = "service:outreach_create"
        return ctx


outreach_list = permission_required("service.view_outreachevent")(OutreachListView.as_view())


@permission_required("service.add_outreachevent")
def outreach_create(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = forms.OutreachForm(request.POST or None, court=user.court)

    def call() -> OutreachEvent:
        c = form.cleaned_data
        event = services.outreach_event_record(
            actor=user, court=user.court, held_on=c["held_on"], title=c["title"], kind=c["kind"], place=c["place"],
            participants=list(c["participants"]), department=c["department"], branch=c["branch"],
            audience=c["audience"], materials=c["materials"])
        messages.success(request, _("已登记活动，参加人员已按积分规则计分。"))
        return event

    return _create_page(request, form, call, title=_("登记活动"), list_name="service:outreach_list",
                        list_title=_("法官六进与法制宣传"))


# --- 双包双联 ---------------------------------------------------------------------------------------------
class VisitListView(FilteredListView):
    table_class = VisitTable
    filterset_class = VisitFilterSet
    register_kind = "partner_visits"
    page_title = gettext_lazy("双包双联走访")
    template_name = "service/list.html"

    def get_queryset(self) -> Any:
        return (PartnerVisit.objects.visible_to(self.request.user)
                .select_related("partnership__branch", "partnership__leader").prefetch_related("visitors"))

    def get_context_data(self, **kwargs: Any) -> Any:
        ctx = super().get_context_data(**kwargs)
        user: Any = self.request.user
        ctx["breadcrumbs"] = _crumbs((self.page_title, None))
        ctx["import_kind"] = "partner_visits" if can(user, "import", PartnerVisit) else None
        if can(user, "add", PartnerVisit):
            ctx["create_url_name"] = "service:visit_create"
        ctx["side_links"] = [(_("结对关系"), reverse("service:partnership_list"))]
        return ctx


visit_list = permission_required("service.view_partnervisit")(VisitListView.as_view())


@permission_required("service.add_partnervisit")
def visit_create(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = forms.VisitForm(request.POST or None, court=user.court, user=user)

    def call() -> PartnerVisit:
        c = form.cleaned_data
        visit = services.partner_visit_record(actor=user, partnership=c["partnership"], visited_on=c["visited_on"],
                                              visitors=list(c["visitors"]), matters=c["matters"],
                                              solved=c["solved"], follow_up=c["follow_up"])
        messages.success(request, _("已登记走访。"))
        return visit

    return _create_page(request, form, call, title=_("登记走访"), list_name="service:visit_list",
                        list_title=_("双包双联走访"))


@permission_required("service.view_partnership", post="service.add_partnership")
def partnership_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = forms.PartnershipForm(request.POST or None, court=user.court) if can(user, "add", Partnership) else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            services.partnership_save(actor=user, court=user.court, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("结对关系已保存。"))
            return redirect("service:partnership_list")
    pairs = (Partnership.objects.visible_to(user).select_related("branch", "leader")
             .annotate(n_visits=Count("visits")).order_by("partner", "-start"))
    return render(request, "service/partnerships.html", {
        "pairs": pairs, "form": form, "today": timezone.localdate(), "page_title": _("双包双联结对关系"),
        "breadcrumbs": _crumbs((_("双包双联走访"), reverse("service:visit_list")), (_("结对关系"), None))})


# --- complaints ---------------------------------------------------------------------------------------
class ComplaintListView(FilteredListView):
    table_class = ComplaintTable
    filterset_class = ComplaintFilterSet
    page_title = gettext_lazy("作风投诉")

    def get_queryset(self) -> Any:
        return Complaint.objects.visible_to(self.request.user).select_related("subject", "handler")

    def get_context_data(self, **kwargs: Any) -> Any:
        ctx = super().get_context_data(**kwargs)
        ctx["breadcrumbs"] = _crumbs((self.page_title, None))
        ctx["can_export"] = False
        if can(self.request.user, "add", Complaint):
            ctx["create_url_name"] = "service:complaint_create"
        return ctx


complaint_list = permission_required("service.view_complaint")(ComplaintListView.as_view())


@permission_required("service.add_complaint")
def complaint_create(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = forms.ComplaintForm(request.POST or None, court=user.court)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data

        def call() -> Complaint:
            complaint = services.complaint_register(
                actor=user, court=user.court, received_on=c["received_on"], channel=c["channel"],
                category=c["category"], summary=c["summary"], complainant=c["complainant"], subject=c["subject"],
                case=c["case_number"])
            messages.success(request, _("已登记，答复期限 %(d)s。") % {"d": complaint.due_on.isoformat()})
            return complaint

        try:
            return _once(request, form, call, lambda o: reverse("service:complaint_detail", args=[o.pk]))
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(request, "service/form.html", {
        "form": form, "page_title": _("登记投诉"), "back": reverse("service:complaint_list"),
        "breadcrumbs": _crumbs((_("作风投诉"), reverse("service:complaint_list")), (_("登记投诉"), None))})


COMPLAINT_ACTIONS: dict[str, Action] = {
    "assign": Action(gettext_lazy("交办"), forms.ComplaintAssignForm, "assign",
                     lambda r, o, f: services.complaint_assign(actor=r.user, complaint=o, **f.cleaned_data),
                     states={ComplaintStatus.RECEIVED, ComplaintStatus.ASSIGNED},
                     form_kwargs=lambda o: {"complaint": o}),
    "answer": Action(gettext_lazy("答复"), forms.ComplaintAnswerForm, "answer",
                     lambda r, o, f: services.complaint_answer(actor=r.user, complaint=o, **f.cleaned_data),
                     states={ComplaintStatus.ASSIGNED}),
    "close": Action(gettext_lazy("办结"), forms.ComplaintCloseForm, "close",
                    lambda r, o, f: services.complaint_close(actor=r.user, complaint=o, **f.cleaned_data),
                    states={ComplaintStatus.ANSWERED}),
}


@object_permission(Complaint, "view")
def complaint_detail(request: HttpRequest, pk: int) -> HttpResponse:
    c = Complaint.objects.select_related("subject", "handler", "case").get(pk=pk)
    left = c.days_left(timezone.localdate()) if c.status in (ComplaintStatus.RECEIVED,
                                                             ComplaintStatus.ASSIGNED) else None
    return render(request, "service/complaint_detail.html", {
        "c": c, "actions": available_actions(request.user, c, COMPLAINT_ACTIONS),
        "days_left": left, "overdue_days": -left if left is not None else None,
        "page_title": _("作风投诉"),
        "breadcrumbs": _crumbs((_("作风投诉"), reverse("service:complaint_list")), (c.received_on.isoformat(), None))})


def complaint_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    c = get_visible_or_404(Complaint.objects.all(), request.user, pk=pk)
    a = COMPLAINT_ACTIONS.get(action)
    label = a.label if a else ""
    return run_action(request, COMPLAINT_ACTIONS, action, obj=c, template="service/action_form.html",
                      success_url=reverse("service:complaint_detail", args=[c.pk]),
                      context={"c": c, "page_title": label, "back": reverse("service:complaint_detail", args=[c.pk]),
                               "breadcrumbs": _crumbs((_("作风投诉"), reverse("service:complaint_list")),
                                                      (label, None))})


COMPLAINT_ACTION_VIEWS = {name: object_permission(Complaint, a.permission)(complaint_action)
                          for name, a in COMPLAINT_ACTIONS.items()}
