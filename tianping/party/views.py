"""Pages of the party office and branch secretaries. Every object is fetched through `visible_to(user)`
(read) or `editable_by(user)` (write); anything outside answers 404, also for htmx fragments and exports."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_POST

from tianping.core.scope import get_visible_or_404, has_role, user_roles
from tianping.core.views import FilteredListView
from tianping.org.models import Person
from tianping.party import forms as pforms
from tianping.party import selectors, services
from tianping.party.dues import dues_quote, dues_sheet, dues_year
from tianping.party.filtersets import (
    MemberFilterSet,
    OrganisationFilterSet,
    PointsEntryFilterSet,
    TransferFilterSet,
)
from tianping.party.models import (
    BrandPicture,
    CommitteePost,
    DuesPayment,
    MemberStatus,
    OrgKind,
    PartyMember,
    PartyOrganisation,
    PartyTransfer,
    PointsEntry,
    PointsRule,
    Stage,
)
from tianping.party.rules import month_start, setting
from tianping.party.tables import MemberTable, OrganisationTable, PointsEntryTable, TransferTable


def is_party_office(user) -> bool:
    return has_role(user, "party_office") or (user.is_superuser and not user_roles(user))


def _today() -> date:
    return timezone.localdate()


def _editable_or_404(queryset, user, **lookup):
    """The object if the user may change it; 404 if they may not even see it; 403 if they may only read it."""
    obj = queryset.editable_by(user).filter(**lookup).first()
    if obj is None:
        get_visible_or_404(queryset, user, **lookup)
        raise PermissionDenied
    return obj


def _crumbs(*items):
    return [(_("党组织"), reverse("party:organisation_list")), *items]


def _parse_month(text: str | None) -> date:
    if text:
        try:
            y, m = text.split("-")[:2]
            return date(int(y), int(m), 1)
        except (ValueError, TypeError):
            raise Http404 from None
    return month_start(_today())


# --- organisations ------------------------------------------------------------------------------------
class OrganisationListView(FilteredListView):
    table_class = OrganisationTable
    filterset_class = OrganisationFilterSet
    register_kind = "branches"
    page_title = gettext_lazy("党组织")
    template_name = "party/organisation_list.html"

    def get_queryset(self):
        return (PartyOrganisation.objects.visible_to(self.request.user).select_related("parent")
                .prefetch_related("departments")
                .annotate(roster_count=Count("members", filter=~Q(members__status__in=[
                    MemberStatus.TRANSFERRED_OUT, MemberStatus.CANCELLED, MemberStatus.STOPPED]), distinct=True))
                .order_by("sort_order", "name"))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if is_party_office(self.request.user):
            ctx["create_url_name"] = "party:organisation_create"
            ctx["import_kind"] = "branches"
        orgs = list(self.get_queryset().order_by("sort_order", "name"))
        children = defaultdict(list)
        ids = {o.pk for o in orgs}
        for o in orgs:
            children[o.parent_id if o.parent_id in ids else None].append(o)

        def walk(parent_id, depth):
            for o in children.get(parent_id, []):
                yield o, depth
                yield from walk(o.pk, depth + 1)

        ctx["tree"] = list(walk(None, 0))
        return ctx


def organisation_warnings(org: PartyOrganisation, day: date, full_count: int, posts) -> list[str]:
    warnings = []
    if org.kind != OrgKind.BRANCH:
        return warnings
    minimum = setting("branch_min_full_members", day)
    threshold = setting("committee_threshold_members", day)
    if full_count < minimum:
        warnings.append(_("正式党员仅 %(n)d 人，少于 %(m)d 人，不符合成立党支部的条件，请调整或联合组建。")
                        % {"n": full_count, "m": minimum})
    if full_count >= threshold and not posts:
        warnings.append(_("正式党员 %(n)d 人（达到 %(t)d 人）应设立支部委员会，目前无在任支委。")
                        % {"n": full_count, "t": threshold})
    return warnings


def organisation_detail(request, pk: int):
    org = get_visible_or_404(PartyOrganisation.objects.select_related("parent"), request.user, pk=pk)
    day = _today()
    roster_people = selectors.branch_roster_on(org, day)
    from tianping.party.models import STAGE_ORDER, CommitteeRole

    members = sorted(PartyMember.objects.on_roster().filter(person__in=roster_people)
                     .select_related("person__department", "branch"),
                     key=lambda m: (-STAGE_ORDER.index(m.stage), m.admitted_on or date.max, m.person.name))
    stage_counts = {s.value: 0 for s in Stage}
    for m in members:
        stage_counts[m.stage] += 1
    role_order = list(CommitteeRole.values)
    posts = sorted(CommitteePost.objects.current_on(day).filter(organisation=org).select_related("person"),
                   key=lambda p: role_order.index(p.role))
    warn_days = setting("term_warn_days", day)
    for p in posts:
        p.ending_soon = p.term_end <= day + timedelta(days=warn_days)
    warnings = organisation_warnings(org, day, stage_counts[Stage.FULL], posts)
    member_url = reverse("party:member_list") + f"?branch={org.pk}"
    year = day.year
    year_rows = dues_year(org.court_id, year, branch_ids={org.pk}, until=day)
    dues_due = sum((r.due for r in year_rows), Decimal("0"))
    dues_paid = sum((r.paid for r in year_rows), Decimal("0"))
    points_total = (PointsEntry.objects.filter(person__in=roster_people, occurred_on__year=year)
                    .aggregate(s=Sum("points"))["s"] or Decimal("0"))
    figures = [
        {"label": pgettext("figure", "正式党员"), "value": stage_counts[Stage.FULL], "url": f"{member_url}&stage=full&on_roster=true"},
        {"label": pgettext("figure", "预备党员"), "value": stage_counts[Stage.PROBATIONARY],
         "url": f"{member_url}&stage=probationary&on_roster=true"},
        {"label": pgettext("figure", "发展对象"), "value": stage_counts[Stage.CANDIDATE],
         "url": f"{member_url}&stage=candidate&on_roster=true"},
        {"label": pgettext("figure", "入党积极分子"), "value": stage_counts[Stage.ACTIVIST],
         "url": f"{member_url}&stage=activist&on_roster=true"},
        {"label": pgettext("figure", "入党申请人"), "value": stage_counts[Stage.APPLICANT],
         "url": f"{member_url}&stage=applicant&on_roster=true"},
        {"label": _("%(y)d年党费应交（元）") % {"y": year}, "value": dues_due,
         "url": reverse("party:dues_totals") + f"?year={year}&branch={org.pk}"},
        {"label": _("%(y)d年党费实交（元）") % {"y": year}, "value": dues_paid,
         "url": reverse("party:dues_totals") + f"?year={year}&branch={org.pk}"},
        {"label": _("%(y)d年积分合计") % {"y": year}, "value": points_total,
         "url": reverse("party:points_ledger") + f"?year={year}&branch={org.pk}"},
    ]
    can_edit = PartyOrganisation.objects.editable_by(request.user).filter(pk=org.pk).exists()
    return render(request, "party/organisation_detail.html", {
        "org": org, "members": members, "posts": posts, "warnings": warnings, "figures": figures,
        "departments": list(org.departments.all()), "pictures": list(org.pictures.all()),
        "children": list(PartyOrganisation.objects.visible_to(request.user).filter(parent=org)),
        "can_edit": can_edit, "is_office": is_party_office(request.user),
        "picture_form": pforms.BrandPictureForm() if can_edit else None,
        "page_title": org.name, "breadcrumbs": _crumbs((org.name, None)),
    })


def organisation_form(request, pk: int | None = None):
    office = is_party_office(request.user)
    if pk:
        org = _editable_or_404(PartyOrganisation.objects.all(), request.user, pk=pk)
    else:
        if not office:
            raise PermissionDenied
        org = None
    form_class = pforms.OrganisationForm if office else pforms.SecretaryOrganisationForm
    kwargs = {"instance": org}
    if form_class is pforms.OrganisationForm:
        kwargs["court"] = request.user.court if org is None else org.court
    form = form_class(request.POST or None, **kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_save(actor=request.user, organisation=form.instance,
                                       departments=form.cleaned_data.get("departments") if office else None,
                                       expected_version=form.cleaned_data.get("loaded_version"))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("party:organisation_detail", pk=form.instance.pk)
    title = _("编辑党组织") if pk else _("新增党组织")
    return render(request, "party/form.html", {
        "form": form, "page_title": title, "multipart": False,
        "cancel_url": reverse("party:organisation_detail", args=[pk]) if pk else reverse("party:organisation_list"),
        "breadcrumbs": _crumbs(*(((org.name, reverse("party:organisation_detail", args=[pk])),) if org else ()),
                               (title, None))})


@require_POST
def picture_add(request, pk: int):
    org = _editable_or_404(PartyOrganisation.objects.all(), request.user, pk=pk)
    form = pforms.BrandPictureForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.brand_picture_add(actor=request.user, organisation=org, image=form.cleaned_data["image"],
                                       caption=form.cleaned_data["caption"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("图片已上传。"))
    else:
        messages.error(request, _("请选择要上传的图片。"))
    return redirect("party:organisation_detail", pk=pk)


@require_POST
def picture_delete(request, pk: int):
    pic = BrandPicture.objects.filter(pk=pk).select_related("organisation").first()
    if pic is None:
        raise Http404
    _editable_or_404(PartyOrganisation.objects.all(), request.user, pk=pic.organisation_id)
    services.brand_picture_delete(actor=request.user, picture=pic)
    return redirect("party:organisation_detail", pk=pic.organisation_id)


def picture_file(request, pk: int):
    """Serve a brand picture to those who may see the organisation (media is not public)."""
    from django.http import FileResponse

    pic = BrandPicture.objects.filter(pk=pk).first()
    if pic is None:
        raise Http404
    get_visible_or_404(PartyOrganisation.objects.all(), request.user, pk=pic.organisation_id)
    ext = pic.image.name.rsplit(".", 1)[-1].lower()
    return FileResponse(pic.image.open("rb"), content_type="image/png" if ext == "png" else "image/jpeg")


def evidence_file(request, pk: int):
    """A step's evidence file, for those who may see the member (uploads are not public media)."""
    from django.http import FileResponse

    from tianping.party.models import MemberStep

    step = MemberStep.objects.filter(pk=pk).exclude(evidence_file="").first()
    if step is None:
        raise Http404
    get_visible_or_404(PartyMember.objects.all(), request.user, pk=step.member_id)
    name = step.evidence_file.name.rsplit("/", 1)[-1]
    return FileResponse(step.evidence_file.open("rb"), as_attachment=True, filename=name)


def committee_form(request, pk: int, post_pk: int | None = None):
    org = _editable_or_404(PartyOrganisation.objects.all(), request.user, pk=pk)
    if not is_party_office(request.user):
        raise PermissionDenied  # committee posts are approved by the higher organisation (the party office)
    post = CommitteePost.objects.filter(pk=post_pk, organisation=org).first() if post_pk else None
    if post_pk and post is None:
        raise Http404
    initial = {}
    if post is None:
        start = _today()
        initial = {"term_start": start, "term_end": start.replace(year=start.year + setting("committee_term_years"))}
    form = pforms.CommitteePostForm(request.POST or None, instance=post, organisation=org, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.committee_post_save(actor=request.user, post=form.instance)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("party:organisation_detail", pk=org.pk)
    title = _("编辑支委职务") if post else _("新增支委职务")
    return render(request, "party/form.html", {
        "form": form, "page_title": title, "cancel_url": reverse("party:organisation_detail", args=[org.pk]),
        "breadcrumbs": _crumbs((org.name, reverse("party:organisation_detail", args=[org.pk])), (title, None))})


# --- members ------------------------------------------------------------------------------------------
class MemberListView(FilteredListView):
    table_class = MemberTable
    filterset_class = MemberFilterSet
    register_kind = "members"
    page_title = gettext_lazy("党员名册")

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["user"] = self.request.user
        return kwargs

    def get_queryset(self):
        return (PartyMember.objects.visible_to(self.request.user).select_related("person__department", "branch")
                .prefetch_related("dues_bases"))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if is_party_office(self.request.user) or has_role(self.request.user, "branch_secretary"):
            ctx["create_url_name"] = "party:member_create"
        if is_party_office(self.request.user):
            ctx["import_kind"] = "members"
        return ctx


def _branches_for(user):
    return PartyOrganisation.objects.editable_by(user).filter(kind__in=[OrgKind.BRANCH, OrgKind.GROUP,
                                                                        OrgKind.GENERAL_BRANCH])


def member_create(request):
    branches = _branches_for(request.user)
    if not branches.exists():
        raise PermissionDenied
    form = pforms.MemberCreateForm(request.POST or None, court=request.user.court, branches=branches,
                                   initial={"applied_on": _today()})
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            member = services.member_create(
                actor=request.user, person=cd["person"], branch=cd["branch"], stage=cd["stage"],
                dates={k: cd.get(k) for k in services.MEMBER_DATE_FIELDS}, dues_category=cd["dues_category"])
            if cd.get("base_amount") is not None:
                services.dues_base_set(actor=request.user, member=member, amount=cd["base_amount"],
                                       effective_from=member.admitted_on or _today())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("party:member_detail", pk=member.pk)
    return render(request, "party/form.html", {
        "form": form, "page_title": _("新建党员档案"), "cancel_url": reverse("party:member_list"),
        "breadcrumbs": [(_("党员名册"), reverse("party:member_list")), (_("新建党员档案"), None)]})


TIMELINE_SHORT = 40


def my_record(request):
    """The signed-in person's own party record (a member's entry point)."""
    member = PartyMember.objects.filter(person_id=getattr(request.user, "person_id", None) or 0).first()
    if member is None:
        messages.info(request, _("您还没有党员档案；如需建立，请联系所在支部或政治部。"))
        return redirect("core:home")
    return redirect("party:member_detail", pk=member.pk)



def member_detail(request, pk: int):
    from tianping.core.views import collect_timeline

    member = get_visible_or_404(PartyMember.objects.select_related("person__department", "branch"),
                                request.user, pk=pk)
    can_edit = PartyMember.objects.editable_by(request.user).filter(pk=pk).exists()
    day = _today()
    timeline = collect_timeline(member.person, request.user)
    active = member.status not in (MemberStatus.TRANSFERRED_OUT, MemberStatus.CANCELLED, MemberStatus.STOPPED)
    ctx = {
        "member": member, "person": member.person, "can_edit": can_edit, "is_office": is_party_office(request.user),
        "steps": member.steps.select_related("recorded_by").order_by("occurred_on", "id"),
        "transfers": member.transfers.order_by("transferred_on"),
        "periods": member.branch_periods.select_related("organisation").order_by("start"),
        "bases": member.dues_bases.order_by("-effective_from"),
        "reductions": member.dues_reductions.all(),
        "current_quote": dues_quote(member, day),
        "timeline": timeline if request.GET.get("timeline") == "all" else timeline[:TIMELINE_SHORT],
        "timeline_total": len(timeline),
        "points_year": PointsEntry.objects.filter(person=member.person, occurred_on__year=day.year)
        .aggregate(s=Sum("points"))["s"] or Decimal("0"),
        "today": day, "active": active,
        "page_title": member.person.name,
        "breadcrumbs": [(_("党员名册"), reverse("party:member_list")), (member.person.name, None)],
    }
    due = member.conversion_due_on
    if due:
        ctx["conversion_due"] = due
        ctx["conversion_overdue"] = due < day
        ctx["conversion_soon"] = day <= due <= day + timedelta(days=setting("conversion_warn_days", day))
    if can_edit and active:
        ctx["step_form"] = pforms.StepForm(member=member, initial={"occurred_on": due if due and due <= day else day})
        ctx["transfer_form"] = pforms.TransferOutForm(initial={"transferred_on": day})
        ctx["status_form"] = pforms.StatusForm(initial={"since": day, "status": member.status})
        ctx["branch_form"] = pforms.BranchChangeForm(branches=_branches_for(request.user), initial={"moved_on": day})
        ctx["base_form"] = pforms.DuesBaseForm(initial={"effective_from": month_start(day),
                                                        "dues_category": member.dues_category})
        ctx["reduction_form"] = pforms.DuesReductionForm(initial={"start_month": month_start(day)})
    return render(request, "party/member_detail.html", ctx)


def _member_action(request, pk: int, form_class, action, **form_kwargs):
    member = _editable_or_404(PartyMember.objects.select_related("person"), request.user, pk=pk)
    if request.method != "POST":
        return redirect("party:member_detail", pk=pk)
    form = form_class(request.POST, request.FILES, **({"member": member} if form_class is pforms.StepForm else {}),
                      **form_kwargs)
    if form.is_valid():
        try:
            message = action(member, form.cleaned_data)
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
            for msgs in errors.values():
                for m in msgs:
                    messages.error(request, m)
        else:
            messages.success(request, message)
    else:
        for field, errs in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for e in errs:
                messages.error(request, f"{label}：{e}" if label else e)
    return redirect(reverse("party:member_detail", args=[pk]))


def member_step(request, pk: int):
    def act(member, cd):
        rec = services.member_step_record(actor=request.user, member=member, step=cd["step"],
                                          occurred_on=cd["occurred_on"], evidence=cd.get("evidence") or "",
                                          evidence_file=cd.get("evidence_file"), months=cd.get("months"))
        return _("已登记：%(s)s（%(d)s）。") % {"s": rec.get_step_display(), "d": rec.occurred_on.isoformat()}
    return _member_action(request, pk, pforms.StepForm, act)


def member_transfer_out(request, pk: int):
    def act(member, cd):
        services.member_transfer_out(actor=request.user, member=member, to_organisation=cd["to_organisation"],
                                     letter_number=cd["letter_number"], transferred_on=cd["transferred_on"],
                                     note=cd.get("note") or "")
        return _("组织关系已转出，该党员已移出支部名册，历史记录保留。")
    return _member_action(request, pk, pforms.TransferOutForm, act)


def member_status(request, pk: int):
    def act(member, cd):
        services.member_status_set(actor=request.user, member=member, status=cd["status"], since=cd["since"],
                                   note=cd["note"])
        return _("状态已更新。")
    return _member_action(request, pk, pforms.StatusForm, act)


def member_branch(request, pk: int):
    branches = _branches_for(request.user)

    def act(member, cd):
        services.member_branch_change(actor=request.user, member=member, branch=cd["branch"],
                                      moved_on=cd["moved_on"])
        return _("所在支部已调整。")
    return _member_action(request, pk, pforms.BranchChangeForm, act, branches=branches)


def member_base(request, pk: int):
    def act(member, cd):
        services.dues_base_set(actor=request.user, member=member, amount=cd["amount"],
                               effective_from=cd["effective_from"], note=cd.get("note") or "")
        if cd["dues_category"] != member.dues_category:
            PartyMember.objects.filter(pk=member.pk).update(dues_category=cd["dues_category"])
        return _("党费基数已登记。")
    return _member_action(request, pk, pforms.DuesBaseForm, act)


def member_reduction(request, pk: int):
    def act(member, cd):
        services.dues_reduction_add(actor=request.user, member=member, monthly_amount=cd["monthly_amount"],
                                    start_month=cd["start_month"], end_month=cd.get("end_month"),
                                    decision=cd["decision"])
        return _("党费减免已登记。")
    return _member_action(request, pk, pforms.DuesReductionForm, act)


def transfer_in(request):
    branches = _branches_for(request.user)
    if not branches.exists():
        raise PermissionDenied
    form = pforms.TransferInForm(request.POST or None, court=request.user.court, branches=branches,
                                 initial={"transferred_on": _today()})
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            t = services.member_transfer_in(
                actor=request.user, person=cd["person"], branch=cd["branch"],
                from_organisation=cd["from_organisation"], letter_number=cd["letter_number"],
                transferred_on=cd["transferred_on"], stage=cd["stage"],
                dates={"admitted_on": cd["admitted_on"], "converted_on": cd.get("converted_on")},
                note=cd.get("note") or "")
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("party:member_detail", pk=t.member_id)
    return render(request, "party/form.html", {
        "form": form, "page_title": _("组织关系转入"), "cancel_url": reverse("party:transfer_list"),
        "breadcrumbs": [(_("组织关系转接"), reverse("party:transfer_list")), (_("转入"), None)]})


class TransferListView(FilteredListView):
    table_class = TransferTable
    filterset_class = TransferFilterSet
    page_title = gettext_lazy("组织关系转接")

    def get_queryset(self):
        visible = PartyMember.objects.visible_to(self.request.user).values("pk")
        return PartyTransfer.objects.filter(member__in=visible).select_related("member__person", "branch")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if _branches_for(self.request.user).exists():
            ctx["create_url_name"] = "party:transfer_in"
        return ctx


# --- dues ---------------------------------------------------------------------------------------------
def _dues_branch_ids(request, branch_param: str | None):
    """The branches whose dues the user may see: a given one (404 outside scope) or all visible."""
    if branch_param:
        try:
            org = get_visible_or_404(PartyOrganisation.objects.all(), request.user, pk=int(branch_param))
        except ValueError:
            raise Http404 from None
        return org, {org.pk, *PartyOrganisation.objects.filter(parent=org).values_list("pk", flat=True)}
    if is_party_office(request.user) or has_role(request.user, "leader"):
        return None, None
    led = set(PartyOrganisation.objects.visible_to(request.user).values_list("pk", flat=True))
    if not has_role(request.user, "branch_secretary"):
        raise Http404
    return None, led


def _can_record_dues(user, branch_ids) -> bool:
    if is_party_office(user):
        return True
    if has_role(user, "branch_secretary") and branch_ids is not None:
        editable = set(PartyOrganisation.objects.editable_by(user).values_list("pk", flat=True))
        return bool(branch_ids) and branch_ids <= editable
    return False


def dues_sheet_view(request):
    month = _parse_month(request.GET.get("month"))
    org, branch_ids = _dues_branch_ids(request, request.GET.get("branch"))
    court_id = org.court_id if org else request.user.court_id
    rows = dues_sheet(court_id, month, branch_ids)
    if request.GET.get("export") == "xlsx":
        return _dues_export(request, rows, month, org)
    can_record = _can_record_dues(request.user, branch_ids)
    totals = {"due": sum((r.due for r in rows), Decimal("0")), "paid": sum((r.paid for r in rows), Decimal("0"))}
    totals["owed"] = sum((r.owed for r in rows), Decimal("0"))
    branches = PartyOrganisation.objects.visible_to(request.user).filter(kind=OrgKind.BRANCH)
    prev_month = (month - timedelta(days=1)).replace(day=1)
    next_month = (month + timedelta(days=32)).replace(day=1)
    ctx = {"rows": rows, "month": month, "org": org, "totals": totals, "can_record": can_record,
           "is_office": is_party_office(request.user),
           "branches": branches, "prev_month": prev_month, "next_month": next_month,
           "page_title": _("党费收缴表"), "breadcrumbs": [(_("党费收缴表"), None)],
           "export_query": f"month={month:%Y-%m}" + (f"&branch={org.pk}" if org else "")}
    if request.headers.get("HX-Request"):
        return render(request, "party/includes/dues_table.html", ctx)
    return render(request, "party/dues_sheet.html", ctx)


def _dues_export(request, rows, month: date, org):
    """The sheet on screen as .xlsx, in the layout of KIND dues (so it can be filled in and imported back)."""
    from tianping.core.audit import audit_record
    from tianping.core.registers import export_xlsx, get_register

    data = export_xlsx(get_register("dues"), rows, sheet_title=f"党费 {month:%Y-%m}")
    audit_record(actor=request.user, event="export", court_id=request.user.court_id,
                 message=f"dues month={month:%Y-%m} branch={org.pk if org else ''}")
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''dues-{month:%Y-%m}.xlsx"
    return response


@require_POST
def dues_pay(request):
    """Record a payment for one member and month (htmx posts return the updated row)."""
    try:
        member_id = int(request.POST.get("member", ""))
        month = _parse_month(request.POST.get("month"))
        amount = Decimal(request.POST.get("paid_amount") or "0")
    except (ValueError, ArithmeticError):
        return HttpResponse(_("金额格式不正确，请填写数字，如 45.00。"), status=400)
    member = get_visible_or_404(PartyMember.objects.select_related("person", "branch"), request.user, pk=member_id)
    branch_ids = {member.branch_id} if member.branch_id else set()
    if not _can_record_dues(request.user, branch_ids if not is_party_office(request.user) else None):
        raise Http404
    version = request.POST.get("version")
    try:
        services.dues_payment_record(actor=request.user, member=member, month=month, paid_amount=amount,
                                     expected_version=int(version) if version else None)
    except ValidationError as exc:
        if request.headers.get("HX-Request"):
            return HttpResponse(" ".join(exc.messages), status=409)
        messages.error(request, " ".join(exc.messages))
    if request.headers.get("HX-Request"):
        rows = [r for r in dues_sheet(member.court_id, month, None) if r.member.pk == member.pk]
        return render(request, "party/includes/dues_row.html", {"r": rows[0], "month": month, "can_record": True})
    return redirect(reverse("party:dues_sheet") + f"?month={month:%Y-%m}&branch={request.POST.get('branch', '')}")


@require_POST
def dues_pay_all(request):
    """Record 实交 = 应交 for every unpaid row of the sheet on screen (the usual monthly collection)."""
    month = _parse_month(request.POST.get("month"))
    org, branch_ids = _dues_branch_ids(request, request.POST.get("branch"))
    if not _can_record_dues(request.user, branch_ids):
        raise Http404
    court_id = org.court_id if org else request.user.court_id
    n = 0
    for r in dues_sheet(court_id, month, branch_ids):
        if r.payment is None and r.due > 0:
            services.dues_payment_record(actor=request.user, member=r.member, month=month, paid_amount=r.due)
            n += 1
    messages.success(request, _("已按应交金额登记 %(n)d 人。") % {"n": n})
    return redirect(reverse("party:dues_sheet") + f"?month={month:%Y-%m}" + (f"&branch={org.pk}" if org else ""))


def dues_member(request, pk: int):
    member = get_visible_or_404(PartyMember.objects.select_related("person", "branch"), request.user, pk=pk)
    day = _today()
    start_year = member.admitted_on.year if member.admitted_on else day.year
    payments = {p.month: p for p in DuesPayment.objects.filter(member=member)}
    from tianping.party.dues import DuesContext

    ctx_d = DuesContext([member], court_id=member.court_id)
    months = []
    y, m = max(start_year, day.year - 3), 1
    while date(y, m, 1) <= month_start(day):
        q = ctx_d.quote(member, date(y, m, 1))
        pay = payments.get(date(y, m, 1))
        if q.due > 0 or pay:
            months.append({"month": date(y, m, 1), "quote": q, "paid": pay.paid_amount if pay else Decimal("0"),
                           "payment": pay})
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    months.reverse()
    return render(request, "party/dues_member.html", {
        "member": member, "months": months, "page_title": _("%(n)s 的党费") % {"n": member.person.name},
        "breadcrumbs": [(_("党员名册"), reverse("party:member_list")),
                        (member.person.name, reverse("party:member_detail", args=[pk])), (_("党费"), None)]})


def dues_arrears(request):
    day = _today()
    try:
        year = int(request.GET.get("year") or day.year)
    except ValueError:
        raise Http404 from None
    org, branch_ids = _dues_branch_ids(request, request.GET.get("branch"))
    court_id = org.court_id if org else request.user.court_id
    rows = dues_year(court_id, year, branch_ids, until=day)
    by_member: dict[int, dict] = {}
    for r in rows:
        if r.owed <= 0:
            continue
        e = by_member.setdefault(r.member.pk, {"member": r.member, "branch": r.branch, "months": [],
                                               "owed": Decimal("0")})
        e["months"].append(r.month)
        e["owed"] += r.owed
    items = sorted(by_member.values(), key=lambda e: (-e["owed"], e["member"].person.name))
    return render(request, "party/dues_arrears.html", {
        "items": items, "year": year, "org": org, "total": sum((e["owed"] for e in items), Decimal("0")),
        "branches": PartyOrganisation.objects.visible_to(request.user).filter(kind=OrgKind.BRANCH),
        "page_title": _("党费欠交名单"), "breadcrumbs": [(_("党费收缴表"), reverse("party:dues_sheet")),
                                                        (_("欠交名单"), None)]})


def dues_totals(request):
    day = _today()
    try:
        year = int(request.GET.get("year") or day.year)
    except ValueError:
        raise Http404 from None
    org, branch_ids = _dues_branch_ids(request, request.GET.get("branch"))
    court_id = org.court_id if org else request.user.court_id
    rows = dues_year(court_id, year, branch_ids, until=day if year == day.year else None)
    per_branch: dict[int, dict] = {}
    for r in rows:
        e = per_branch.setdefault(r.branch.pk, {"branch": r.branch, "due": Decimal("0"), "paid": Decimal("0"),
                                                "months": defaultdict(lambda: [Decimal("0"), Decimal("0")])})
        e["due"] += r.due
        e["paid"] += r.paid
        e["months"][r.month.month][0] += r.due
        e["months"][r.month.month][1] += r.paid
    table = sorted(per_branch.values(), key=lambda e: (e["branch"].sort_order, e["branch"].name))
    for e in table:
        e["month_list"] = [(m, e["months"].get(m, [Decimal("0"), Decimal("0")])) for m in range(1, 13)]
    total = {"due": sum((e["due"] for e in table), Decimal("0")), "paid": sum((e["paid"] for e in table), Decimal("0"))}
    return render(request, "party/dues_totals.html", {
        "table": table, "year": year, "total": total, "org": org, "months": range(1, 13),
        "years": range(day.year, day.year - 6, -1),
        "page_title": _("党费年度汇总"), "breadcrumbs": [(_("党费收缴表"), reverse("party:dues_sheet")),
                                                        (_("年度汇总"), None)]})


def dues_rules(request):
    from tianping.party.models import DuesRule, PartySetting

    return render(request, "party/rules.html", {
        "dues_rules": DuesRule.objects.filter(Q(court__isnull=True) | Q(court_id=request.user.court_id)),
        "settings_rows": PartySetting.objects.all(), "points_rules": PointsRule.objects.all(),
        "page_title": _("党务规则"), "breadcrumbs": [(_("党务规则"), None)]})


# --- points -------------------------------------------------------------------------------------------
class PointsLedgerView(FilteredListView):
    table_class = PointsEntryTable
    filterset_class = PointsEntryFilterSet
    page_title = gettext_lazy("积分台账")
    template_name = "party/points_ledger.html"

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["user"] = self.request.user
        return kwargs

    def get_queryset(self):
        from django.db.models import Exists, OuterRef

        return (PointsEntry.objects.visible_to(self.request.user).select_related("person", "rule")
                .annotate(is_reversed=Exists(PointsEntry.objects.filter(reverses=OuterRef("pk")))))

    def get_table_kwargs(self):
        return {"exclude": () if is_party_office(self.request.user) else ("reverse",)}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if is_party_office(self.request.user):
            ctx["create_url_name"] = "party:points_adjust"
        filterset = ctx.get("filter")
        qs = filterset.qs if filterset is not None and filterset.is_valid() else self.get_queryset()
        ctx["points_total"] = qs.aggregate(s=Sum("points"))["s"] or Decimal("0")
        return ctx


def points_adjust(request):
    if not is_party_office(request.user):
        raise PermissionDenied
    people = Person.objects.visible_to(request.user).filter(left_on__isnull=True)
    form = pforms.PointsAdjustForm(request.POST or None, people=people, initial={"occurred_on": _today()})
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            services.points_adjust(actor=request.user, person=cd["person"], points=cd["points"],
                                   occurred_on=cd["occurred_on"], note=cd["note"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect(reverse("party:points_ledger") + f"?person={cd['person'].pk}")
    return render(request, "party/form.html", {
        "form": form, "page_title": _("积分手工调整"), "cancel_url": reverse("party:points_ledger"),
        "breadcrumbs": [(_("积分台账"), reverse("party:points_ledger")), (_("手工调整"), None)]})


@require_POST
def points_reverse(request, pk: int):
    if not is_party_office(request.user):
        raise PermissionDenied
    entry = get_visible_or_404(PointsEntry.objects.all(), request.user, pk=pk)
    try:
        services.points_entry_reverse(actor=request.user, entry=entry, note=request.POST.get("note", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已登记冲销记录。"))
    return redirect(reverse("party:points_ledger") + f"?person={entry.person_id}")


def points_ranking(request):
    day = _today()
    try:
        year = int(request.GET.get("year") or day.year)
    except ValueError:
        raise Http404 from None
    org = None
    qs = PointsEntry.objects.visible_to(request.user).filter(occurred_on__year=year)
    if request.GET.get("branch"):
        try:
            org = get_visible_or_404(PartyOrganisation.objects.all(), request.user, pk=int(request.GET["branch"]))
        except ValueError:
            raise Http404 from None
        qs = qs.filter(person__party_member__branch=org)
    ranking = list(qs.values("person_id", "person__name", "person__party_member__branch__name",
                             "person__party_member__branch_id")
                   .annotate(total=Sum("points"), n=Count("id")).order_by("-total", "person__name"))
    rank, prev = 0, None
    for i, r in enumerate(ranking, 1):
        if r["total"] != prev:
            rank, prev = i, r["total"]
        r["rank"] = rank
    branch_totals = list(qs.filter(person__party_member__branch__isnull=False)
                         .values("person__party_member__branch_id", "person__party_member__branch__name")
                         .annotate(total=Sum("points"), people=Count("person", distinct=True))
                         .order_by("-total"))
    for b in branch_totals:
        b["average"] = (b["total"] / b["people"]).quantize(Decimal("0.1")) if b["people"] else Decimal("0")
    return render(request, "party/points_ranking.html", {
        "ranking": ranking, "branch_totals": branch_totals, "year": year, "org": org,
        "branches": PartyOrganisation.objects.visible_to(request.user).filter(kind=OrgKind.BRANCH),
        "years": range(day.year, day.year - 6, -1),
        "page_title": _("积分排名"), "breadcrumbs": [(_("积分排名"), None)]})
