"""Pages of the dispute-resolution centre. Who may open each page is declared in mediation/policy.py and read
here through the view decorators; every page starts from Dispute.objects.visible_to(user), and a dispute
outside the user's scope answers 404. Writes go through tianping.mediation.services."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.forms import ModelChoiceField
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from tianping.core.actions import Action, add_service_errors, available_actions, create_once, run_action
from tianping.core.audit import audit_record
from tianping.core.policy import allowed, can, checked_object, object_permission, permission_required, require
from tianping.core.scope import get_visible_or_404
from tianping.core.views import FilteredListView
from tianping.mediation import documents, forms, selectors, services
from tianping.mediation.filtersets import DisputeFilterSet, MediatorFilterSet
from tianping.mediation.models import (
    AGREEMENT_STATES,
    Committee,
    Dispute,
    DisputeParty,
    GuidanceActivity,
    InsuranceLimit,
    Mediator,
    ProvinceStatistic,
    Ruling,
    Status,
    Studio,
    station_of,
)
from tianping.mediation.selectors import (
    STAGES,
    figure_tables,
    figures_scope,
    period_default,
    saved_calculations,
    stage_links,
)
from tianping.mediation.tables import DisputeTable, MediatorTable
from tianping.trials.models import Case

if TYPE_CHECKING:
    from tianping.org.models import User


def _crumbs(*extra):
    return [(_("诉前调解"), reverse("mediation:dispute_list")), *extra]


class DisputeListView(FilteredListView):
    table_class = DisputeTable
    filterset_class = DisputeFilterSet
    register_kind = "disputes"
    page_title = gettext_lazy("诉前调解案件")
    template_name = "mediation/dispute_list.html"

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx":
            require(request.user, "export", Dispute)
        return super().get(request, *args, **kwargs)

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["user"] = self.request.user
        return kwargs

    def get_queryset(self):
        return (Dispute.objects.visible_to(self.request.user)
                .select_related("mediator", "studio", "intake_department")
                .prefetch_related(Prefetch("parties", queryset=DisputeParty.objects.only("name", "role", "dispute_id"))))

    def _export_queryset(self):
        # the export's 立案案号 column reads the filed case (the list itself shows none: each join it does not
        # need costs PostgreSQL milliseconds of planning on every page)
        return super()._export_queryset().select_related("filed_case")

    def get_table_kwargs(self):
        return {"today": timezone.localdate()}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        if can(user, "add", Dispute):
            ctx["create_url_name"] = "mediation:dispute_create"
        ctx["can_export"] = can(user, "export", Dispute)
        ctx["can_see_figures"] = allowed(user, "mediation.view_figures")
        ctx["breadcrumbs"] = [(_("诉前调解"), None)]
        return ctx


dispute_list = permission_required("mediation.view_dispute")(DisputeListView.as_view())


@permission_required("mediation.add_dispute")
def dispute_create(request):
    """登记. The form carries a one-time token: a re-posted or double-clicked form registers one dispute (and
    uses up one 民诉前调 number), and a second simultaneous post is sent to the first one's record."""
    court = request.user.court
    form = forms.DisputeForm(request.POST or None, court=court, station=station_of(request.user))
    parties = forms.party_formset(request.POST or None)
    if request.method == "POST" and form.is_valid() & parties.is_valid():
        rows = [f.cleaned_data for f in parties.forms if f.has_changed() and f.cleaned_data]
        c = form.cleaned_data

        def register():
            dispute = services.dispute_register(
                court=court, actor=request.user, registered_on=c["registered_on"], cause=c["cause"],
                summary=c["summary"], source=c["source"], amount=c["amount"],
                consent_to_mediation=c["consent_to_mediation"], intake_department=c["intake_department"],
                parties=rows, materials=c["materials_text"])
            messages.success(request, _("已登记，编号 %(n)s。") % {"n": dispute.number})
            return dispute

        try:
            return create_once(request, form, register,
                               lambda d: reverse("mediation:dispute_detail", args=[d.pk]))
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(request, "mediation/dispute_form.html", {
        "form": form, "parties": parties, "page_title": _("登记纠纷"),
        "breadcrumbs": _crumbs((_("登记纠纷"), None))})


# --- transitions: one page per action, each calling its service --------------------------------------

# The services name the dispute's fields; the forms use shorter names. Every error a service raises on a
# field lands beside that field of the form (tests/test_views: test_every_service_error_lands_on_a_field).
FIELD_MAP = {
    "triage_reason": "reason",
    "agreement_on": "agreed_on",
    "agreement_terms": "terms",
    "agreement_effective_on": "effective_on",
    "confirmation_applied_on": "applied_on",
    "ruling_on": "ruled_on",
    "ruling_reason": "reason",
    "end_reason": "reason",
}


def _with_dispute(d: Dispute) -> dict:
    return {"dispute": d}


def _do_triage(req, d, f):
    c = f.cleaned_data
    return services.dispute_triage(dispute=d, actor=req.user, route=c["route"], reason=c["reason"],
                                   triaged_on=c["triaged_on"], room=c["room"], mediator=c["mediator"],
                                   studio=c["studio"], expected_version=d.version)


def _action(label, form_class, permission, states, call, *, with_dispute=False, field_map=None) -> Action:
    return Action(label=label, form_class=form_class, permission=permission, call=call, states=states,
                  form_kwargs=_with_dispute if with_dispute else (lambda d: {}),
                  field_map={**FIELD_MAP, **(field_map or {})})


ACTIONS: dict[str, Action] = {
    # 直接立案 files the case on the triage date: the filing's refusal speaks of the triage date
    "triage": _action(gettext_lazy("指导分流"), forms.TriageForm, "triage", {Status.REGISTERED}, _do_triage,
                      with_dispute=True, field_map={"filed_on": "triaged_on"}),
    "reassign": _action(gettext_lazy("更换调解员"), forms.ReassignForm, "triage", {Status.ASSIGNED, Status.MEDIATING},
                        lambda r, d, f: services.dispute_reassign(dispute=d, actor=r.user, **f.cleaned_data),
                        with_dispute=True),
    "accept": _action(gettext_lazy("受理调解"), forms.AcceptForm, "handle", {Status.ASSIGNED},
                      lambda r, d, f: services.mediation_accept(dispute=d, actor=r.user, **f.cleaned_data)),
    "session": _action(gettext_lazy("记录调解"), forms.SessionForm, "handle", {Status.MEDIATING},
                       lambda r, d, f: services.session_record(dispute=d, actor=r.user, **f.cleaned_data),
                       with_dispute=True),
    "extend": _action(gettext_lazy("延长期限"), forms.ExtendForm, "handle", {Status.MEDIATING},
                      lambda r, d, f: services.deadline_extend(
                          dispute=d, actor=r.user, days=f.cleaned_data["days"], reason=f.cleaned_data["reason"],
                          granted_on=f.cleaned_data["granted_on"], consents=f.consents()),
                      with_dispute=True),
    "agreement": _action(gettext_lazy("达成协议"), forms.AgreementForm, "handle", {Status.MEDIATING},
                         lambda r, d, f: services.agreement_record(dispute=d, actor=r.user, **f.cleaned_data),
                         with_dispute=True),
    "fail": _action(gettext_lazy("调解不成"), forms.EndForm, "handle", {Status.ASSIGNED, Status.MEDIATING},
                    lambda r, d, f: services.mediation_fail(dispute=d, actor=r.user, **f.cleaned_data)),
    "withdraw": _action(gettext_lazy("撤回"), forms.EndForm, "handle",
                        {Status.REGISTERED, Status.ASSIGNED, Status.MEDIATING},
                        lambda r, d, f: services.dispute_withdraw(dispute=d, actor=r.user,
                                                                  withdrawn_on=f.cleaned_data["ended_on"],
                                                                  reason=f.cleaned_data["reason"])),
    "perform": _action(gettext_lazy("自动履行"), forms.PerformanceForm, "handle", {Status.AGREED},
                       lambda r, d, f: services.performance_record(dispute=d, actor=r.user, **f.cleaned_data)),
    "confirm_apply": _action(gettext_lazy("申请司法确认"), forms.ConfirmationApplyForm, "handle", {Status.AGREED},
                             lambda r, d, f: services.confirmation_apply(
                                 dispute=d, actor=r.user, applied_on=f.cleaned_data["applied_on"],
                                 applicant_ids=[p.pk for p in f.cleaned_data["applicants"]],
                                 judge=f.cleaned_data.get("judge")),
                             with_dispute=True),
    "rule": _action(gettext_lazy("司法确认裁定"), forms.RulingForm, "confirm", {Status.CONFIRMATION_APPLIED},
                    lambda r, d, f: services.confirmation_rule(dispute=d, actor=r.user, **f.cleaned_data),
                    with_dispute=True, field_map={"ruling_clerk": "clerk"}),
    "transfer": _action(gettext_lazy("转立案"), forms.TransferForm, "transfer",
                        {Status.FAILED, Status.WITHDRAWN, Status.REJECTED},
                        lambda r, d, f: services.filing_transfer(dispute=d, actor=r.user, **f.cleaned_data),
                        with_dispute=True),
}


def _dispute(request, pk):
    return get_visible_or_404(Dispute.objects.select_related("mediator", "studio", "studio__judge", "court",
                                                            "intake_department", "filed_case", "confirmation_case"),
                              request.user, pk=pk)


def _detail_context(request, d: Dispute, material_form=None) -> dict:
    today = timezone.localdate()
    docs = []
    if d.agreement_on:
        docs.append("agreement")
        if d.status != Status.PERFORMED:
            docs.append("application")
    if d.ruling:
        docs.append("ruling")
    if d.status == Status.FILED:
        docs.append("notice")
    handles = can(request.user, "handle", d)
    return {
        "d": d, "parties": d.parties.all(), "sessions": d.sessions.select_related("recorded_by"),
        "extensions": d.extensions.prefetch_related("consents__party"), "materials": d.materials.all(),
        "calculations": d.calculations.all()[:3], "actions": available_actions(request.user, d, ACTIONS),
        "can_handle": handles and d.status not in {Status.FILED},
        "can_calculate": (handles and d.status in {Status.ASSIGNED, Status.MEDIATING, Status.AGREED}
                          and (bool(d.studio and d.studio.is_traffic) or "交通" in d.cause)),
        "days_left": d.days_left(today), "overdue_days": -(d.days_left(today) or 0),
        "documents": [(k, documents.KINDS[k]) for k in docs],
        "material_form": material_form or forms.MaterialForm(), "page_title": d.number,
        "agreement_states": AGREEMENT_STATES,
        "confirmation_case_url": _case_url(request.user, d.confirmation_case),
        "breadcrumbs": _crumbs((d.number, None))}


def _case_url(user, case) -> str | None:
    """The trials page of a case linked to the dispute, for those who may read it."""
    if case is None or not can(user, "view", case):
        return None
    return reverse("trials:case_detail", args=[case.pk])


@object_permission(Dispute, "view")
def dispute_detail(request, pk: int):
    d = _dispute(request, pk)
    return render(request, "mediation/dispute_detail.html", _detail_context(request, d))


def dispute_action(request, pk: int, action: str):
    """One action's page. Each action has its own URL (mediation/urls.py) carrying the action's permission:
    404 outside the user's scope, 403 for an action the policy refuses on a dispute the user sees. `run_action`
    re-renders a refused form with the user's input and the errors beside their fields."""
    d = _dispute(request, pk)
    a = ACTIONS.get(action)
    label = a.label if a else ""
    return run_action(request, ACTIONS, action, obj=d, template="mediation/action_form.html",
                      success_url=reverse("mediation:dispute_detail", args=[d.pk]),
                      context={"d": d, "page_title": f"{label} · {d.number}",
                               "breadcrumbs": _crumbs((d.number, reverse("mediation:dispute_detail", args=[d.pk])),
                                                      (label, None))})


# one view per action, each declaring the action's permission (read by the permission-matrix test)
ACTION_VIEWS = {name: object_permission(Dispute, a.permission)(dispute_action) for name, a in ACTIONS.items()}


@object_permission(Dispute, "handle")
def material_add(request, pk: int):
    """Add a material. A refusal (no title, a file that is not what it claims to be) shows the dispute again
    with what was typed and the error beside its field."""
    d = _dispute(request, pk)
    if request.method != "POST":
        return redirect("mediation:dispute_detail", pk=d.pk)
    form = forms.MaterialForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.material_add(dispute=d, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                add_service_errors(form, exc)
            else:  # the upload check speaks about the file
                for message in exc.messages:
                    form.add_error("file", message)
        else:
            messages.success(request, _("材料已添加。"))
            return redirect("mediation:dispute_detail", pk=d.pk)
    return render(request, "mediation/dispute_detail.html", _detail_context(request, d, material_form=form))


@object_permission(Dispute, "view")
def material_download(request, pk: int, material_id: int):
    """A material's file, for those who may see the dispute (404 otherwise); the download is audited."""
    from tianping.core.uploads import upload_response

    d = _dispute(request, pk)
    m = d.materials.filter(pk=material_id).first()
    if m is None or not m.file:
        raise Http404
    audit_record(actor=request.user, event="dispute.material_downloaded", target=d, message=m.title)
    return upload_response(m.file, as_attachment=True)


@object_permission(Dispute, "view")
def dispute_document(request, pk: int, kind: str, fmt: str):
    d = _dispute(request, pk)
    if kind not in documents.KINDS or fmt not in {"pdf", "docx"}:
        raise Http404
    try:
        doc = documents.build(d, kind)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect("mediation:dispute_detail", pk=d.pk)
    if fmt == "pdf":
        data, ctype = documents.render_pdf(doc), "application/pdf"
    else:
        data = documents.render_docx(doc)
        ctype = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    audit_record(actor=request.user, event="dispute.document", target=d, message=f"{kind}.{fmt}")
    from urllib.parse import quote

    response = HttpResponse(data, content_type=ctype)
    disposition = "inline" if fmt == "pdf" else "attachment"
    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{quote(doc.filename)}.{fmt}"
    return response


def _has_choices(field: object) -> bool:
    queryset = cast(ModelChoiceField, field).queryset
    return queryset is not None and queryset.exists()


@object_permission(Dispute, "handle")
def calculator_view(request, pk: int):
    d = _dispute(request, pk)
    attaching = request.method == "POST" and "attach" in request.POST
    form = forms.CalculatorForm(request.POST if request.method == "POST" and not attaching else None)
    attach_form = forms.AttachCalculationForm(request.POST if attaching else None, user=request.user)
    if not form.is_bound:
        form.fields["accident_on"].initial = d.registered_on
    if attaching and attach_form.is_valid():
        try:
            services.calculation_link(dispute=d, actor=request.user,
                                      calculation=attach_form.cleaned_data["calculation"])
        except ValidationError as exc:
            add_service_errors(attach_form, exc)
        else:
            messages.success(request, _("计算结果已附入案件。"))
            return redirect(reverse("mediation:dispute_detail", args=[d.pk]) + "#calculation")
    if request.method == "POST" and not attaching and form.is_valid():
        try:
            services.calculation_attach(dispute=d, actor=request.user, inputs=form.to_inputs(),
                                        province=form.cleaned_data["province"], year=form.cleaned_data["year"],
                                        rural=form.cleaned_data["rural"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("计算结果已附入案件。"))
            return redirect(reverse("mediation:dispute_detail", args=[d.pk]) + "#calculation")
    return render(request, "mediation/calculator.html", {
        "d": d, "form": form, "stats": ProvinceStatistic.objects.all()[:10],
        "attach_form": attach_form if _has_choices(attach_form.fields["calculation"]) else None,
        "page_title": _("交通事故损害赔偿计算"),
        "breadcrumbs": _crumbs((d.number, reverse("mediation:dispute_detail", args=[d.pk])),
                               (_("赔偿计算"), None))})


@permission_required("mediation.use_calculator")
def standalone_calculator(request):
    """The calculator before any dispute is registered: the same form and limits; the result is saved for the
    user (a service, audited) and can be attached to a dispute from the dispute's calculator page."""
    combining = request.method == "POST" and "combine" in request.POST
    form = forms.StandaloneCalculatorForm(request.POST if request.method == "POST" and not combining else None)
    combine_form = forms.CombineCalculationsForm(request.POST if combining else None, user=request.user)
    if combining and combine_form.is_valid():
        try:
            calc = services.accident_calculation_save(
                actor=request.user, calculations=list(combine_form.cleaned_data["calculations"]),
                title=combine_form.cleaned_data["combined_title"])
        except ValidationError as exc:
            add_service_errors(combine_form, exc)
        else:
            messages.success(request, _("已按同一事故合并计算：交强险限额按各受害人的损失比例分摊。"))
            return redirect("mediation:saved_calculation", calc_id=calc.pk)
    if request.method == "POST" and not combining and form.is_valid():
        c = form.cleaned_data
        try:
            calc = services.calculation_save(actor=request.user, inputs=form.to_inputs(), province=c["province"],
                                             year=c["year"], rural=c["rural"], title=c["title"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("计算结果已保存，可在诉前调解案件的“赔偿计算”页附入案件。"))
            return redirect("mediation:saved_calculation", calc_id=calc.pk)
    return render(request, "mediation/calculator.html", {
        "d": None, "form": form, "saved": saved_calculations(request.user)[:20],
        "combine_form": combine_form if len(combine_form.fields["calculations"].queryset[:2]) > 1 else None,
        "page_title": _("交通事故损害赔偿计算"), "breadcrumbs": [(_("赔偿计算器"), None)]})


@permission_required("mediation.use_calculator")
def saved_calculation(request, calc_id: int):
    """A standalone calculation: only its maker reads it here (once attached it is read with its dispute)."""
    calc = saved_calculations(request.user).filter(pk=calc_id).first()
    if calc is None:
        raise Http404
    return render(request, "mediation/calculation_detail.html", {
        "d": None, "calc": calc, "r": calc.result, "page_title": _("赔偿计算结果"),
        "breadcrumbs": [(_("赔偿计算器"), reverse("mediation:standalone_calculator")), (_("赔偿计算结果"), None)]})


@object_permission(Dispute, "view")
def calculation_detail(request, pk: int, calc_id: int):
    d = _dispute(request, pk)
    calc = d.calculations.filter(pk=calc_id).first()
    if calc is None:
        raise Http404
    return render(request, "mediation/calculation_detail.html", {
        "d": d, "calc": calc, "r": calc.result, "page_title": _("赔偿计算结果"),
        "breadcrumbs": _crumbs((d.number, reverse("mediation:dispute_detail", args=[d.pk])),
                               (_("赔偿计算结果"), None))})


# --- figures ----------------------------------------------------------------------------------------

def _parse_day(request, name: str, default: date) -> date:
    """A date from the query string; a bad or absurd one falls back to the default with a message (never a
    500)."""
    value = (request.GET.get(name) or "").strip()
    if not value:
        return default
    try:
        day = date.fromisoformat(value)
    except ValueError:
        day = None
    if day is None or not (1990 <= day.year <= 2999):
        messages.warning(request, _("日期“%(v)s”无效，应为 2024-05-01 这样的日期，已改用 %(d)s。")
                         % {"v": value[:20], "d": default.isoformat()})
        return default
    return day


def _stage_cells(key: str, index: int, row: dict, linked: bool) -> str:
    """A figures row's <td> per stage (a link to the list behind it when the account may follow it), written
    here rather than in the template: ten years by month are ~1,000 cells, a third of the page's time. The key,
    index and stage names are the view's own identifiers; the figures and the addresses are escaped."""
    from django.template import Context
    from django.template.base import render_value_in_context
    from django.utils.html import escape
    from django.utils.safestring import mark_safe

    context = Context()
    cells = []
    for stage in STAGES:
        text = render_value_in_context(row["figures"][stage], context)
        if linked:
            cells.append(f'<td class="text-end"><a href="{escape(row["links"][stage])}" '
                         f'data-testid="cell-{key}-{index}-{stage}">{text}</a></td>')
        else:
            cells.append(f'<td class="text-end">{text}</td>')
    return mark_safe("".join(cells))  # noqa: S308 - the figures went through render_value_in_context


@permission_required("mediation.view_figures")
def figures_view(request):
    today = timezone.localdate()
    start_default, end_default = period_default(today)
    start = _parse_day(request, "from", start_default)
    end = _parse_day(request, "to", end_default)
    if end < start:
        start, end = end, start
    scope, linked = figures_scope(request.user)
    qs = scope.filter(registered_on__gte=start, registered_on__lte=end)
    base = {"registered_from": start.isoformat(), "registered_to": end.isoformat()}
    dims = [("site", _("按登记地点")), ("kind", _("按调解类型")),
            ("room", _("按调解室")), ("studio", _("按法官工作室")), ("mediator", _("按调解员")), ("month", _("按月份"))]
    total, by_dim = figure_tables(qs, base)
    tables = [(key, label, by_dim[key]) for key, label in dims]
    for key, _label, rows in tables:
        for i, row in enumerate(rows):
            row["stage_cells"] = _stage_cells(key, i, row, linked)
    months = by_dim["month"]
    chart = {
        "tooltip": {"trigger": "axis"}, "legend": {"top": 0},
        "grid": {"left": 40, "right": 40, "top": 36, "bottom": 24},
        "xAxis": {"type": "category", "data": [m["label"] for m in months]},
        "yAxis": [{"type": "value", "name": pgettext("count of disputes", "件")},
                  {"type": "value", "name": "%", "max": 100}],
        "series": [{"type": "bar", "name": str(STAGES[s]), "data": [m["figures"][s] for m in months]}
                   for s in ("received", "diverted", "succeeded", "filed")] + [
            {"type": "line", "yAxisIndex": 1, "name": _("调解成功率"),
             "data": [float(m["figures"]["success_rate"]) if m["figures"]["success_rate"] is not None else None
                      for m in months]}],
    }
    return render(request, "mediation/figures.html", {
        "total": total, "total_links": stage_links(base), "stages": STAGES,
        "tables": tables, "linked": linked, "chart": chart, "start": start, "end": end, "page_title": _("诉调对接统计"),
        "breadcrumbs": _crumbs((_("统计"), None))})


# --- roster -----------------------------------------------------------------------------------------

class MediatorListView(FilteredListView):
    table_class = MediatorTable
    filterset_class = MediatorFilterSet
    page_title = gettext_lazy("调解员名册")

    def get_queryset(self):
        return (Mediator.objects.visible_to(self.request.user).select_related("user")
                .annotate(open_count=Count("disputes", filter=Q(disputes__status__in=[Status.ASSIGNED,
                                                                                        Status.MEDIATING])))
                .order_by("kind", "name"))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        if can(user, "add", Mediator):
            ctx["create_url_name"] = "mediation:mediator_create"
        ctx["studios"] = Studio.objects.visible_to(user).select_related("judge", "site")
        ctx["sites"] = selectors.site_roster(user.court_id)
        ctx["can_add_studio"] = can(user, "add", Studio)
        ctx["can_edit"] = can(user, "change", Studio)
        ctx["template_extra"] = True
        return ctx

    def get_table_kwargs(self):
        return {"can_edit": can(self.request.user, "change", Mediator)}

    def get_template_names(self):
        if self.request.headers.get("HX-Request") and not self.request.headers.get("HX-Boosted"):
            return ["core/list_table.html"]
        return ["mediation/mediator_list.html"]


mediator_list = permission_required("mediation.view_mediator")(MediatorListView.as_view())


def _roster_form(request, form_class, instance, save, title, *, list_url_name="mediation:mediator_list",
                 list_title=None):
    """The add / edit page of a register's entry (mediator, studio, committee): the form, the service's errors on
    their fields, back to the register's list once saved."""
    form = form_class(request.POST or None, instance=instance, court=request.user.court)
    if request.method == "POST" and form.is_valid():
        try:
            save(form.instance)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect(list_url_name)
    return render(request, "mediation/simple_form.html", {
        "form": form, "page_title": title, "back": reverse(list_url_name),
        "breadcrumbs": [(list_title or _("调解员名册"), reverse(list_url_name)), (title, None)]})


@permission_required("mediation.add_mediator")
def mediator_create(request):
    return _roster_form(request, forms.MediatorForm, None,
                        lambda m: services.mediator_save(actor=request.user, mediator=m), _("新增调解员"))


@object_permission(Mediator, "change")
def mediator_edit(request, pk: int):
    instance = checked_object(request)
    return _roster_form(request, forms.MediatorForm, instance,
                        lambda m: services.mediator_save(actor=request.user, mediator=m), _("编辑调解员"))


@permission_required("mediation.add_studio")
def studio_create(request):
    return _roster_form(request, forms.StudioForm, None,
                        lambda s: services.studio_save(actor=request.user, studio=s), _("新增法官工作室"))


@object_permission(Studio, "change")
def studio_edit(request, pk: int):
    instance = checked_object(request)
    return _roster_form(request, forms.StudioForm, instance,
                        lambda s: services.studio_save(actor=request.user, studio=s), _("编辑法官工作室"))


@permission_required("mediation.view_provincestatistic")
def statistics_list(request):
    user = request.user
    if request.GET.get("export") == "xlsx":
        require(user, "export", ProvinceStatistic)
        from tianping.core.registers import export_xlsx, get_register

        data = export_xlsx(get_register("traffic_statistics"), ProvinceStatistic.objects.all())
        audit_record(actor=user, event="export", message="traffic_statistics")
        response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = "attachment; filename*=UTF-8''traffic_statistics.xlsx"
        return response
    return render(request, "mediation/statistics.html", {
        "stats": ProvinceStatistic.objects.all(), "page_title": _("省份年度统计数据"),
        "can_import": can(user, "import", ProvinceStatistic),
        "can_export": can(user, "export", ProvinceStatistic),
        "limits": InsuranceLimit.objects.all(),
        "breadcrumbs": _crumbs((_("统计数据与交强险限额"), None))})


# --- 诉中委托调解: entrusted from a trials case's page ------------------------------------------------------

ENTRUST_ACTIONS: dict[str, Action] = {
    "entrust": Action(label=gettext_lazy("委托调解"), form_class=forms.EntrustForm, permission="entrust",
                      call=lambda r, case, f: services.mediation_entrust(case=case, actor=cast("User", r.user),
                                                                         **f.cleaned_data),
                      form_kwargs=lambda case: {"case": case}),
}


@object_permission(Case, "entrust", url_kwarg="case_id")
def case_entrust(request, case_id: int):
    """The judge of a filed case entrusts mediation (诉中委托调解); back to the case's page when done."""
    case = checked_object(request)
    case_url = reverse("trials:case_detail", args=[case.pk])
    return run_action(request, ENTRUST_ACTIONS, "entrust", obj=case, template="mediation/entrust_form.html",
                      success_url=case_url,
                      context={"case": case, "case_url": case_url, "page_title": f"{_('委托调解')} · {case.number}",
                               "breadcrumbs": [(_("案件"), reverse("trials:case_list")), (case.number, case_url),
                                               (_("委托调解"), None)]})


# --- guidance of people's mediation (指导人民调解) --------------------------------------------------------


@permission_required("mediation.view_committee")
def committee_list(request):
    """The committees of the district with their mediators, the disputes they settled that the court confirmed,
    and the court's guidance visits and trainings; .xlsx export of the register."""
    user = request.user
    committees = (Committee.objects.visible_to(user).select_related("site")
                  .annotate(brought=Count("disputes"),
                            confirmed=Count("disputes", filter=Q(disputes__ruling=Ruling.CONFIRMED)))
                  .prefetch_related(Prefetch("mediators", queryset=Mediator.objects.filter(active=True)
                                             .only("name", "committee_id")))
                  .order_by("kind", "name"))
    if request.GET.get("export") == "xlsx":
        require(user, "export", Committee)
        from tianping.core.registers import export_xlsx, get_register

        data = export_xlsx(get_register("committees"), committees)
        audit_record(actor=user, event="export", message="committees")
        response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = "attachment; filename*=UTF-8''committees.xlsx"
        return response
    guidance = (GuidanceActivity.objects.visible_to(user).select_related("studio")
                .prefetch_related(Prefetch("committees", queryset=Committee.objects.only("name")))[:30])
    return render(request, "mediation/committee_list.html", {
        "committees": committees, "guidance": guidance, "page_title": _("人民调解委员会"),
        "can_add": can(user, "add", Committee), "can_edit": can(user, "change", Committee),
        "can_import": can(user, "import", Committee), "can_export": can(user, "export", Committee),
        "can_guide": can(user, "add", GuidanceActivity), "can_register": can(user, "add", Dispute),
        "breadcrumbs": _crumbs((_("人民调解委员会"), None))})


@permission_required("mediation.add_committee")
def committee_create(request):
    return _roster_form(request, forms.CommitteeForm, None,
                        lambda c: services.committee_save(actor=request.user, committee=c),
                        _("新增人民调解委员会"), list_url_name="mediation:committee_list",
                        list_title=_("人民调解委员会"))


@object_permission(Committee, "change")
def committee_edit(request, pk: int):
    return _roster_form(request, forms.CommitteeForm, checked_object(request),
                        lambda c: services.committee_save(actor=request.user, committee=c),
                        _("编辑人民调解委员会"), list_url_name="mediation:committee_list",
                        list_title=_("人民调解委员会"))


@permission_required("mediation.add_guidanceactivity")
def guidance_create(request):
    """Record a guidance visit or a training."""
    form = forms.GuidanceForm(request.POST or None, court=request.user.court)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        try:
            services.guidance_record(court=request.user.court, actor=request.user, kind=c["kind"],
                                     held_on=c["held_on"], committees=list(c["committees"]), studio=c["studio"],
                                     led_by=c["led_by"], topic=c["topic"], participants=c["participants"] or 0,
                                     notes=c["notes"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已记录。"))
            return redirect("mediation:committee_list")
    title = _("记录指导活动")
    return render(request, "mediation/simple_form.html", {
        "form": form, "page_title": title, "back": reverse("mediation:committee_list"),
        "breadcrumbs": [(_("人民调解委员会"), reverse("mediation:committee_list")), (title, None)]})


@permission_required("mediation.add_dispute")
def committee_agreement(request):
    """A committee's agreement brought for judicial confirmation: registered with the agreement reached; the
    parties then apply for confirmation from the dispute's page."""
    court = request.user.court
    form = forms.CommitteeAgreementForm(request.POST or None, court=court)
    parties = forms.party_formset(request.POST or None)
    if request.method == "POST" and form.is_valid() & parties.is_valid():
        rows = [f.cleaned_data for f in parties.forms if f.has_changed() and f.cleaned_data]
        c = form.cleaned_data

        def register():
            d = services.committee_agreement_register(
                court=court, actor=request.user, committee=c["committee"], registered_on=c["registered_on"],
                cause=c["cause"], agreed_on=c["agreed_on"], terms=c["terms"], parties=rows, amount=c["amount"],
                agreement_amount=c["agreement_amount"])
            messages.success(request, _("已登记，编号 %(n)s。") % {"n": d.number})
            return d

        try:
            return create_once(request, form, register, lambda d: reverse("mediation:dispute_detail", args=[d.pk]))
        except ValidationError as exc:
            add_service_errors(form, exc)
    title = _("登记人民调解协议（申请司法确认）")
    return render(request, "mediation/dispute_form.html", {
        "form": form, "parties": parties, "page_title": title,
        "breadcrumbs": [(_("人民调解委员会"), reverse("mediation:committee_list")), (title, None)]})
