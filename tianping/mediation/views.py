"""Pages of the dispute-resolution centre. Every page starts from Dispute.objects.visible_to(user); a
dispute outside the user's scope answers 404. Writes go through tianping.mediation.services."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tianping.core.audit import audit_record
from tianping.core.scope import get_visible_or_404
from tianping.core.views import FilteredListView
from tianping.mediation import documents, forms, services
from tianping.mediation.filtersets import DisputeFilterSet, MediatorFilterSet
from tianping.mediation.models import (
    AGREEMENT_STATES,
    Dispute,
    DisputeParty,
    InsuranceLimit,
    Mediator,
    ProvinceStatistic,
    Status,
    Studio,
)
from tianping.mediation.selectors import (
    STAGES,
    can_confirm,
    can_intake,
    figure_tables,
    figures_scope,
    handles,
    list_url,
    period_default,
    sees_centre,
)
from tianping.mediation.tables import DisputeTable, MediatorTable


def _crumbs(*extra):
    return [(_("诉前调解"), reverse("mediation:dispute_list")), *extra]


class DisputeListView(FilteredListView):
    table_class = DisputeTable
    filterset_class = DisputeFilterSet
    register_kind = "disputes"
    page_title = gettext_lazy("诉前调解案件")
    template_name = "mediation/dispute_list.html"

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["user"] = self.request.user
        return kwargs

    def get_queryset(self):
        return (Dispute.objects.visible_to(self.request.user)
                .select_related("mediator", "studio", "court", "filed_case")
                .prefetch_related(Prefetch("parties", queryset=DisputeParty.objects.only("name", "role", "dispute_id"))))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if can_intake(self.request.user):
            ctx["create_url_name"] = "mediation:dispute_create"
        ctx["breadcrumbs"] = [(_("诉前调解"), None)]
        return ctx


def dispute_create(request):
    if not can_intake(request.user):
        raise PermissionDenied
    court = request.user.court
    form = forms.DisputeForm(request.POST or None, court=court)
    parties = forms.party_formset(request.POST or None)
    if request.method == "POST" and form.is_valid() & parties.is_valid():
        rows = [f.cleaned_data for f in parties.forms if f.has_changed() and f.cleaned_data]
        try:
            dispute = services.dispute_register(
                court=court, actor=request.user, registered_on=form.cleaned_data["registered_on"],
                cause=form.cleaned_data["cause"], summary=form.cleaned_data["summary"],
                source=form.cleaned_data["source"], amount=form.cleaned_data["amount"],
                consent_to_mediation=form.cleaned_data["consent_to_mediation"],
                intake_department=form.cleaned_data["intake_department"], parties=rows,
                materials=form.cleaned_data["materials_text"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("已登记，编号 %(n)s。") % {"n": dispute.number})
            return redirect("mediation:dispute_detail", pk=dispute.pk)
    return render(request, "mediation/dispute_form.html", {
        "form": form, "parties": parties, "page_title": _("登记纠纷"),
        "breadcrumbs": _crumbs((_("登记纠纷"), None))})


# --- transitions: one page per action, each calling its service --------------------------------------

def _who_intake(user, d):
    return can_intake(user)


def _who_handler(user, d):
    return handles(user, d)


def _who_confirm(user, d):
    return can_confirm(user)


def _do_triage(req, d, f):
    c = f.cleaned_data
    return services.dispute_triage(dispute=d, actor=req.user, route=c["route"], reason=c["reason"],
                                   triaged_on=c["triaged_on"], room=c["room"], mediator=c["mediator"],
                                   studio=c["studio"], expected_version=d.version)


ACTIONS = {
    # name: (label, form class, who may, allowed states (for the buttons), service call)
    "triage": (gettext_lazy("指导分流"), forms.TriageForm, _who_intake, {Status.REGISTERED}, _do_triage),
    "reassign": (gettext_lazy("更换调解员"), forms.ReassignForm, _who_intake, {Status.ASSIGNED, Status.MEDIATING},
                 lambda r, d, f: services.dispute_reassign(dispute=d, actor=r.user, **f.cleaned_data)),
    "accept": (gettext_lazy("受理调解"), forms.AcceptForm, _who_handler, {Status.ASSIGNED},
               lambda r, d, f: services.mediation_accept(dispute=d, actor=r.user, **f.cleaned_data)),
    "session": (gettext_lazy("记录调解"), forms.SessionForm, _who_handler, {Status.MEDIATING},
                lambda r, d, f: services.session_record(dispute=d, actor=r.user, **f.cleaned_data)),
    "extend": (gettext_lazy("延长期限"), forms.ExtendForm, _who_handler, {Status.MEDIATING},
               lambda r, d, f: services.deadline_extend(
                   dispute=d, actor=r.user, days=f.cleaned_data["days"], reason=f.cleaned_data["reason"],
                   granted_on=f.cleaned_data["granted_on"], consents=f.consents())),
    "agreement": (gettext_lazy("达成协议"), forms.AgreementForm, _who_handler, {Status.MEDIATING},
                  lambda r, d, f: services.agreement_record(dispute=d, actor=r.user, **f.cleaned_data)),
    "fail": (gettext_lazy("调解不成"), forms.EndForm, _who_handler, {Status.ASSIGNED, Status.MEDIATING},
             lambda r, d, f: services.mediation_fail(dispute=d, actor=r.user, **f.cleaned_data)),
    "withdraw": (gettext_lazy("撤回"), forms.EndForm, _who_handler,
                 {Status.REGISTERED, Status.ASSIGNED, Status.MEDIATING},
                 lambda r, d, f: services.dispute_withdraw(dispute=d, actor=r.user,
                                                           withdrawn_on=f.cleaned_data["ended_on"],
                                                           reason=f.cleaned_data["reason"])),
    "perform": (gettext_lazy("自动履行"), forms.PerformanceForm, _who_handler, {Status.AGREED},
                lambda r, d, f: services.performance_record(dispute=d, actor=r.user, **f.cleaned_data)),
    "confirm_apply": (gettext_lazy("申请司法确认"), forms.ConfirmationApplyForm, _who_handler, {Status.AGREED},
                      lambda r, d, f: services.confirmation_apply(
                          dispute=d, actor=r.user, applied_on=f.cleaned_data["applied_on"],
                          applicant_ids=[p.pk for p in f.cleaned_data["applicants"]])),
    "rule": (gettext_lazy("司法确认裁定"), forms.RulingForm, _who_confirm, {Status.CONFIRMATION_APPLIED},
             lambda r, d, f: services.confirmation_rule(dispute=d, actor=r.user, **f.cleaned_data)),
    "transfer": (gettext_lazy("转立案"), forms.TransferForm, _who_intake,
                 {Status.FAILED, Status.WITHDRAWN, Status.REJECTED},
                 lambda r, d, f: services.filing_transfer(dispute=d, actor=r.user, **f.cleaned_data)),
}
FORM_WITH_DISPUTE = {"triage", "reassign", "session", "extend", "confirm_apply", "transfer"}


def available_actions(user, d: Dispute) -> list[tuple[str, str]]:
    return [(name, label) for name, (label, _f, who, states, _s) in ACTIONS.items()
            if d.status in states and who(user, d)]


def _dispute(request, pk):
    return get_visible_or_404(Dispute.objects.select_related("mediator", "studio", "studio__judge", "court",
                                                            "intake_department", "filed_case"), request.user, pk=pk)


def dispute_detail(request, pk: int):
    d = _dispute(request, pk)
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
    return render(request, "mediation/dispute_detail.html", {
        "d": d, "parties": d.parties.all(), "sessions": d.sessions.select_related("recorded_by"),
        "extensions": d.extensions.prefetch_related("consents__party"), "materials": d.materials.all(),
        "calculations": d.calculations.all()[:3], "actions": available_actions(request.user, d),
        "can_handle": handles(request.user, d) and d.status not in {Status.FILED},
        "can_calculate": (handles(request.user, d) and d.status in {Status.ASSIGNED, Status.MEDIATING, Status.AGREED}
                          and (bool(d.studio_id and d.studio.is_traffic) or "交通" in d.cause)),
        "days_left": d.days_left(today), "overdue_days": -(d.days_left(today) or 0), "documents": [(k, documents.KINDS[k]) for k in docs],
        "material_form": forms.MaterialForm(), "page_title": d.number,
        "agreement_states": AGREEMENT_STATES,
        "breadcrumbs": _crumbs((d.number, None))})


def dispute_action(request, pk: int, action: str):
    if action not in ACTIONS:
        raise Http404
    d = _dispute(request, pk)
    label, form_class, who, _states, call = ACTIONS[action]
    if not who(request.user, d):
        raise PermissionDenied
    kwargs = {"dispute": d} if action in FORM_WITH_DISPUTE else {}
    form = form_class(request.POST or None, **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            call(request, d, form)
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                for field, errs in exc.error_dict.items():
                    target = field if field in form.fields else None
                    for e in errs:
                        form.add_error(target, e)
            else:
                form.add_error(None, exc)
        else:
            messages.success(request, _("%(a)s：已完成。") % {"a": label})
            return redirect("mediation:dispute_detail", pk=d.pk)
    return render(request, "mediation/action_form.html", {
        "d": d, "form": form, "action": action, "label": label, "page_title": f"{label} · {d.number}",
        "breadcrumbs": _crumbs((d.number, reverse("mediation:dispute_detail", args=[d.pk])), (label, None))})


def material_add(request, pk: int):
    d = _dispute(request, pk)
    if request.method != "POST" or not handles(request.user, d):
        raise PermissionDenied
    form = forms.MaterialForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.material_add(dispute=d, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("材料已添加。"))
    else:
        messages.error(request, _("请填写材料名称。"))
    return redirect("mediation:dispute_detail", pk=d.pk)


def material_download(request, pk: int, material_id: int):
    """A material's file, for those who may see the dispute (404 otherwise); the download is audited."""
    from django.http import FileResponse

    d = _dispute(request, pk)
    m = d.materials.filter(pk=material_id).first()
    if m is None or not m.file:
        raise Http404
    audit_record(actor=request.user, event="dispute.material_downloaded", target=d, message=m.title)
    return FileResponse(m.file.open("rb"), as_attachment=True, filename=m.file.name.rsplit("/", 1)[-1])


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


def calculator_view(request, pk: int):
    d = _dispute(request, pk)
    if not handles(request.user, d):
        raise PermissionDenied
    form = forms.CalculatorForm(request.POST or None)
    if not form.is_bound:
        form.fields["accident_on"].initial = d.registered_on
    if request.method == "POST" and form.is_valid():
        try:
            services.calculation_attach(dispute=d, actor=request.user, inputs=form.to_inputs(),
                                        province=form.cleaned_data["province"], year=form.cleaned_data["year"],
                                        rural=form.cleaned_data["rural"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("计算结果已附入案件。"))
            return redirect(reverse("mediation:dispute_detail", args=[d.pk]) + "#calculation")
    return render(request, "mediation/calculator.html", {
        "d": d, "form": form, "stats": ProvinceStatistic.objects.all()[:10],
        "page_title": _("交通事故损害赔偿计算"),
        "breadcrumbs": _crumbs((d.number, reverse("mediation:dispute_detail", args=[d.pk])),
                               (_("赔偿计算"), None))})


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

def _parse_day(value, default):
    try:
        return date.fromisoformat(value) if value else default
    except ValueError:
        return default


def figures_view(request):
    if not sees_centre(request.user):
        raise PermissionDenied
    today = timezone.localdate()
    start_default, end_default = period_default(today)
    start = _parse_day(request.GET.get("from"), start_default)
    end = _parse_day(request.GET.get("to"), end_default)
    if end < start:
        start, end = end, start
    scope, linked = figures_scope(request.user)
    qs = scope.filter(registered_on__gte=start, registered_on__lte=end)
    base = {"registered_from": start.isoformat(), "registered_to": end.isoformat()}
    dims = [("room", _("按调解室")), ("studio", _("按法官工作室")), ("mediator", _("按调解员")), ("month", _("按月份"))]
    total, by_dim = figure_tables(qs, base)
    tables = [(key, label, by_dim[key]) for key, label in dims]
    months = by_dim["month"]
    chart = {
        "tooltip": {"trigger": "axis"}, "legend": {"top": 0},
        "grid": {"left": 40, "right": 40, "top": 36, "bottom": 24},
        "xAxis": {"type": "category", "data": [m["label"] for m in months]},
        "yAxis": [{"type": "value", "name": _("件")}, {"type": "value", "name": "%", "max": 100}],
        "series": [{"type": "bar", "name": str(STAGES[s]), "data": [m["figures"][s] for m in months]}
                   for s in ("received", "diverted", "succeeded", "filed")] + [
            {"type": "line", "yAxisIndex": 1, "name": _("调解成功率"),
             "data": [float(m["figures"]["success_rate"]) if m["figures"]["success_rate"] is not None else None
                      for m in months]}],
    }
    return render(request, "mediation/figures.html", {
        "total": total, "total_links": {s: list_url(base, s) for s in STAGES}, "stages": STAGES,
        "tables": tables, "linked": linked, "chart": chart, "start": start, "end": end, "page_title": _("诉调对接统计"),
        "breadcrumbs": _crumbs((_("统计"), None))})


# --- roster -----------------------------------------------------------------------------------------

class MediatorListView(FilteredListView):
    table_class = MediatorTable
    filterset_class = MediatorFilterSet
    page_title = gettext_lazy("调解员名册")

    def dispatch(self, request, *args, **kwargs):
        if not sees_centre(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        return (Mediator.objects.visible_to(self.request.user).select_related("user")
                .annotate(open_count=Count("disputes", filter=Q(disputes__status__in=[Status.ASSIGNED,
                                                                                        Status.MEDIATING])))
                .order_by("kind", "name"))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if can_intake(self.request.user):
            ctx["create_url_name"] = "mediation:mediator_create"
        ctx["studios"] = Studio.objects.visible_to(self.request.user).select_related("judge")
        ctx["can_edit"] = can_intake(self.request.user)
        ctx["template_extra"] = True
        return ctx

    def get_template_names(self):
        if self.request.headers.get("HX-Request") and not self.request.headers.get("HX-Boosted"):
            return ["core/list_table.html"]
        return ["mediation/mediator_list.html"]


def mediator_form(request, pk: int | None = None):
    if not can_intake(request.user):
        raise PermissionDenied
    instance = get_visible_or_404(Mediator.objects.all(), request.user, pk=pk) if pk else None
    form = forms.MediatorForm(request.POST or None, instance=instance, court=request.user.court)
    if request.method == "POST" and form.is_valid():
        try:
            services.mediator_save(actor=request.user, mediator=form.instance)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("mediation:mediator_list")
    title = _("编辑调解员") if pk else _("新增调解员")
    return render(request, "mediation/simple_form.html", {
        "form": form, "page_title": title, "back": reverse("mediation:mediator_list"),
        "breadcrumbs": [(_("调解员名册"), reverse("mediation:mediator_list")), (title, None)]})


def studio_form(request, pk: int | None = None):
    if not can_intake(request.user):
        raise PermissionDenied
    instance = get_visible_or_404(Studio.objects.all(), request.user, pk=pk) if pk else None
    form = forms.StudioForm(request.POST or None, instance=instance, court=request.user.court)
    if request.method == "POST" and form.is_valid():
        try:
            services.studio_save(actor=request.user, studio=form.instance)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("mediation:mediator_list")
    title = _("编辑法官工作室") if pk else _("新增法官工作室")
    return render(request, "mediation/simple_form.html", {
        "form": form, "page_title": title, "back": reverse("mediation:mediator_list"),
        "breadcrumbs": [(_("调解员名册"), reverse("mediation:mediator_list")), (title, None)]})


def statistics_list(request):
    if not sees_centre(request.user):
        raise PermissionDenied
    if request.GET.get("export") == "xlsx":
        from tianping.core.registers import export_xlsx, get_register

        data = export_xlsx(get_register("traffic_statistics"), ProvinceStatistic.objects.all())
        audit_record(actor=request.user, event="export", message="traffic_statistics")
        response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = "attachment; filename*=UTF-8''traffic_statistics.xlsx"
        return response
    return render(request, "mediation/statistics.html", {
        "stats": ProvinceStatistic.objects.all(), "page_title": _("省份年度统计数据"),
        "can_import": can_intake(request.user),
        "limits": InsuranceLimit.objects.all(),
        "breadcrumbs": _crumbs((_("统计数据与交强险限额"), None))})

