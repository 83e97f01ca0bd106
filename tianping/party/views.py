"""Pages of the party office, branch secretaries and members.

Every view declares what it needs (`permission_required` for a page, `object_permission` for a page about one
object: 404 outside the user's scope, 403 when visible but not allowed); the answers come from
`tianping.party.policy`. Views validate input and call `tianping.party.services`; they write nothing
themselves. A refused form is shown again with what was typed and each error beside its field."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Min, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_POST

from tianping.core.actions import add_service_errors, create_once
from tianping.core.policy import allowed, can, object_permission, permission_required, require_perm
from tianping.core.scope import get_visible_or_404
from tianping.core.views import FilteredListView
from tianping.org.models import Person
from tianping.party import forms as pforms
from tianping.party import selectors, services
from tianping.party.dues import SheetRow, dues_quote, dues_sheet, dues_year, member_owes_in
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
    MemberStep,
    OrgKind,
    PartyMember,
    PartyOrganisation,
    PartyTransfer,
    PointsEntry,
    PointsRule,
    Stage,
)
from tianping.party.policy import own_branch
from tianping.party.rules import month_start, setting
from tianping.party.tables import MemberTable, OrganisationTable, PointsEntryTable, TransferTable

# years a page may show: from the founding of the People's Republic to next year (a date beyond is a typo)
MIN_YEAR = 1949


def _today() -> date:
    return timezone.localdate()


def _already_created(request):
    """A create form posted again with a token that already made its record (a re-post, a second tab): back to
    that record, before validation — the record's existence would otherwise make the second post look invalid
    (e.g. "this person already has a party record")."""
    from tianping.core.actions import TOKEN_FIELD
    from tianping.core.models import IdempotencyKey

    token = (request.POST.get(TOKEN_FIELD) or "").strip()[:64] if request.method == "POST" else ""
    key = IdempotencyKey.objects.filter(token=token, user=request.user).exclude(result_url="").first() \
        if token else None
    if key is None:
        return None
    messages.info(request, _("该表单已经提交过，未重复创建。"))
    return redirect(key.result_url)


def _crumbs(*items):
    return [(_("党组织"), reverse("party:organisation_list")), *items]


def parse_month(text: str | None) -> date | None:
    """"2026-05" (or "2026-05-17") → 2026-05-01; None when it is not a month between MIN_YEAR and next year."""
    text = (text or "").strip()
    parts = text.split("-")
    if len(parts) not in (2, 3) or not all(p.isdigit() for p in parts):
        return None
    year, month = int(parts[0]), int(parts[1])
    if not (MIN_YEAR <= year <= _today().year + 1 and 1 <= month <= 12):
        return None
    return date(year, month, 1)


def _month_param(request, value: str | None) -> date:
    """The month asked for, or this month with a message saying why the value was not used."""
    if not value:
        return month_start(_today())
    month = parse_month(value)
    if month is None:
        messages.warning(request, _("月份“%(v)s”无效，请按“年-月”填写（如 %(e)s），年份在 %(lo)d 至 %(hi)d 之间；"
                                    "已显示本月。")
                         % {"v": value[:20], "e": f"{_today():%Y-%m}", "lo": MIN_YEAR, "hi": _today().year + 1})
        return month_start(_today())
    return month


def _years_of(qs, field: str, today) -> range:
    """The years a year selector offers: this year back to the first year with records (every year of the
    court's history, not a fixed window), newest first."""
    first = qs.aggregate(first=Min(field))["first"]
    start = min(first.year, today.year) if first else today.year
    return range(today.year, start - 1, -1)


def _year_param(request, name: str = "year") -> int:
    """The year asked for, or this year with a message saying why the value was not used."""
    today = _today()
    raw = (request.GET.get(name) or "").strip()
    if not raw:
        return today.year
    if raw.isdigit() and MIN_YEAR <= int(raw) <= today.year + 1:
        return int(raw)
    messages.warning(request, _("年度“%(v)s”无效，应为 %(lo)d 至 %(hi)d 之间的年份；已显示 %(y)d 年。")
                     % {"v": raw[:20], "lo": MIN_YEAR, "hi": today.year + 1, "y": today.year})
    return today.year


def _branch_param(request, value: str | None) -> PartyOrganisation | None:
    """The organisation a page is narrowed to: the one asked for (404 outside the user's scope), else the
    secretary's own branch (preselected), else None (everything the user reaches)."""
    if value:
        if not str(value).isdigit():
            raise Http404
        return get_visible_or_404(PartyOrganisation.objects.all(), request.user, pk=int(value))
    if "branch" in request.GET or "branch" in request.POST:
        return None  # "全部" chosen explicitly
    return own_branch(request.user)


class PartyListView(FilteredListView):
    """A register's list whose download needs the register's export permission (`export_perm`)."""

    export_perm = ""

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx" and self.register_kind:
            require_perm(request.user, self.export_perm)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_export"] = bool(self.register_kind) and allowed(self.request.user, self.export_perm)
        return ctx


# --- organisations ------------------------------------------------------------------------------------
class OrganisationListView(PartyListView):
    table_class = OrganisationTable
    filterset_class = OrganisationFilterSet
    register_kind = "branches"
    export_perm = "party.export_partyorganisation"
    page_title = gettext_lazy("党组织")
    template_name = "party/organisation_list.html"

    def get_queryset(self):
        return (PartyOrganisation.objects.visible_to(self.request.user).select_related("parent")
                .prefetch_related("departments")
                .annotate(roster_count=Coalesce(Subquery(
                    # members kept in the organisation or in its 党小组 (as the branch page counts them)
                    PartyMember.objects.filter(Q(branch=OuterRef("pk")) | Q(branch__parent=OuterRef("pk")))
                    .exclude(status__in=[MemberStatus.TRANSFERRED_OUT, MemberStatus.CANCELLED, MemberStatus.STOPPED])
                    .order_by().values("court_id").annotate(n=Count("pk")).values("n")), 0))
                .order_by("sort_order", "name"))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        if can(user, "add", PartyOrganisation):
            ctx["create_url_name"] = "party:organisation_create"
        if can(user, "import", PartyOrganisation):
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
    warnings: list[str] = []
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


@object_permission(PartyOrganisation, "view")
def organisation_detail(request, pk: int):
    org = PartyOrganisation.objects.select_related("parent").get(pk=pk)
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
    # a figure links to the list behind it where the user may open that list (a member sees the branch's
    # dues figures but not the branch's dues sheets)
    dues_url = reverse("party:dues_totals") + f"?year={year}&branch={org.pk}" \
        if allowed(request.user, "party.view_dues_sheet") else ""
    figures = [
        {"label": pgettext("figure", "正式党员"), "value": stage_counts[Stage.FULL],
         "url": f"{member_url}&stage=full&on_roster=true"},
        {"label": pgettext("figure", "预备党员"), "value": stage_counts[Stage.PROBATIONARY],
         "url": f"{member_url}&stage=probationary&on_roster=true"},
        {"label": pgettext("figure", "发展对象"), "value": stage_counts[Stage.CANDIDATE],
         "url": f"{member_url}&stage=candidate&on_roster=true"},
        {"label": pgettext("figure", "入党积极分子"), "value": stage_counts[Stage.ACTIVIST],
         "url": f"{member_url}&stage=activist&on_roster=true"},
        {"label": pgettext("figure", "入党申请人"), "value": stage_counts[Stage.APPLICANT],
         "url": f"{member_url}&stage=applicant&on_roster=true"},
        {"label": _("%(y)d年党费应交（元）") % {"y": year}, "value": dues_due, "url": dues_url},
        {"label": _("%(y)d年党费实交（元）") % {"y": year}, "value": dues_paid, "url": dues_url},
        {"label": _("%(y)d年积分合计") % {"y": year}, "value": points_total,
         "url": reverse("party:points_ledger") + f"?year={year}&branch={org.pk}"},
    ]
    from tianping.core import registry

    panels = [panel for func in registry.branch_panels for panel in func(org, request.user)]
    return render(request, "party/organisation_detail.html", {
        "org": org, "members": members, "posts": posts, "warnings": warnings, "figures": figures,
        "panels": panels,
        "readable_ids": set(PartyMember.objects.visible_to(request.user).filter(pk__in=[m.pk for m in members])
                            .values_list("pk", flat=True)),
        "departments": list(org.departments.all()),
        "pictures": list(BrandPicture.objects.visible_to(request.user).filter(organisation=org)),
        "children": list(PartyOrganisation.objects.visible_to(request.user).filter(parent=org)),
        "picture_form": pforms.BrandPictureForm() if allowed(request.user, "party.add_brandpicture", org) else None,
        "page_title": org.name, "breadcrumbs": _crumbs((org.name, None)),
    })


def _organisation_page(request, form, org, title):
    return render(request, "party/form.html", {
        "form": form, "page_title": title, "multipart": False,
        "cancel_url": (reverse("party:organisation_detail", args=[org.pk]) if org
                       else reverse("party:organisation_list")),
        "breadcrumbs": _crumbs(*(((org.name, reverse("party:organisation_detail", args=[org.pk])),) if org else ()),
                               (title, None))})


@permission_required("party.add_partyorganisation")
def organisation_create(request):
    if (done := _already_created(request)) is not None:
        return done
    form = pforms.OrganisationCreateForm(request.POST or None, court=request.user.court)
    if request.method == "POST" and form.is_valid():
        try:
            return create_once(request, form, lambda: services.organisation_save(
                actor=request.user, organisation=form.instance, departments=form.cleaned_data.get("departments")),
                lambda org: reverse("party:organisation_detail", args=[org.pk]))
        except ValidationError as exc:
            add_service_errors(form, exc)
    return _organisation_page(request, form, None, _("新增党组织"))


@object_permission(PartyOrganisation, "change")
def organisation_edit(request, pk: int):
    """The party office edits the whole record; a branch secretary the brand of their branch."""
    org = PartyOrganisation.objects.get(pk=pk)
    structure = can(request.user, "restructure", org)
    if structure:
        form = pforms.OrganisationForm(request.POST or None, instance=org, court=org.court)
    else:
        form = pforms.SecretaryOrganisationForm(request.POST or None, instance=org)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_save(actor=request.user, organisation=form.instance,
                                       departments=form.cleaned_data.get("departments") if structure else None,
                                       expected_version=form.cleaned_data.get("loaded_version"))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("party:organisation_detail", pk=org.pk)
    return _organisation_page(request, form, org, _("编辑党组织"))


@require_POST
@object_permission(PartyOrganisation, "change")
def picture_add(request, pk: int):
    org = PartyOrganisation.objects.get(pk=pk)
    require_perm(request.user, "party.add_brandpicture", org)
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
@object_permission(BrandPicture, "delete")
def picture_delete(request, pk: int):
    pic = BrandPicture.objects.select_related("organisation").get(pk=pk)
    services.brand_picture_delete(actor=request.user, picture=pic)
    return redirect("party:organisation_detail", pk=pic.organisation_id)


@object_permission(BrandPicture, "view")
def picture_file(request, pk: int):
    """Serve a brand picture to those who may see the organisation (media is not public)."""
    from tianping.core.uploads import upload_response

    pic = BrandPicture.objects.get(pk=pk)
    ext = (pic.image.name or "").rsplit(".", 1)[-1].lower()
    types = {"png": "image/png", "gif": "image/gif", "webp": "image/webp"}
    return upload_response(pic.image, content_type=types.get(ext, "image/jpeg"), as_attachment=False)


@object_permission(MemberStep, "view")
def evidence_file(request, pk: int):
    """A step's evidence file, for those who may see the member (uploads are not public media)."""
    from tianping.core.uploads import upload_response

    step = MemberStep.objects.get(pk=pk)
    if not step.evidence_file:
        raise Http404
    return upload_response(step.evidence_file, as_attachment=True)


def _committee_page(request, form, org, title):
    return render(request, "party/form.html", {
        "form": form, "page_title": title, "cancel_url": reverse("party:organisation_detail", args=[org.pk]),
        "breadcrumbs": _crumbs((org.name, reverse("party:organisation_detail", args=[org.pk])), (title, None))})


@object_permission(PartyOrganisation, "restructure")
def committee_create(request, pk: int):
    """Committee posts are approved by the higher organisation: the party office records them."""
    if (done := _already_created(request)) is not None:
        return done
    org = PartyOrganisation.objects.get(pk=pk)
    require_perm(request.user, "party.add_committeepost", org)
    start = _today()
    initial = {"term_start": start, "term_end": start.replace(year=start.year + setting("committee_term_years"))}
    form = pforms.CommitteePostForm(request.POST or None, organisation=org, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            return create_once(request, form, lambda: services.committee_post_save(actor=request.user,
                                                                                   post=form.instance),
                               lambda post: reverse("party:organisation_detail", args=[org.pk]))
        except ValidationError as exc:
            add_service_errors(form, exc)
    return _committee_page(request, form, org, _("新增支委职务"))


@object_permission(CommitteePost, "change", url_kwarg="post_pk")
def committee_edit(request, pk: int, post_pk: int):
    post = CommitteePost.objects.select_related("organisation").get(pk=post_pk)
    if post.organisation_id != pk:
        raise Http404
    org = post.organisation
    form = pforms.CommitteePostForm(request.POST or None, instance=post, organisation=org)
    if request.method == "POST" and form.is_valid():
        try:
            services.committee_post_save(actor=request.user, post=form.instance)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("party:organisation_detail", pk=org.pk)
    return _committee_page(request, form, org, _("编辑支委职务"))


# --- members ------------------------------------------------------------------------------------------
class MemberListView(PartyListView):
    table_class = MemberTable
    filterset_class = MemberFilterSet
    register_kind = "members"
    export_perm = "party.export_partymember"
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
        user = self.request.user
        if can(user, "add", PartyMember) and _branches_for(user).exists():
            ctx["create_url_name"] = "party:member_create"
        if can(user, "import", PartyMember):
            ctx["import_kind"] = "members"
        return ctx


def _branches_for(user):
    """Organisations in which the user may open or move party records."""
    return PartyOrganisation.objects.visible_to(user, "change").filter(
        kind__in=[OrgKind.BRANCH, OrgKind.GROUP, OrgKind.GENERAL_BRANCH])


def _branch_initial(user, branches) -> dict:
    """The secretary's own branch preselected (or the only choice there is)."""
    own = own_branch(user)
    if own is not None and branches.filter(pk=own.pk).exists():
        return {"branch": own.pk}
    only = list(branches[:2])
    return {"branch": only[0].pk} if len(only) == 1 else {}


@permission_required("party.add_partymember")
def member_create(request):
    if (done := _already_created(request)) is not None:
        return done
    branches = _branches_for(request.user)
    if not branches.exists():
        raise PermissionDenied
    form = pforms.MemberCreateForm(request.POST or None, court=request.user.court, branches=branches,
                                   initial={"applied_on": _today(), **_branch_initial(request.user, branches)})
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            return create_once(request, form, lambda: services.member_create(
                actor=request.user, person=cd["person"], branch=cd["branch"], stage=cd["stage"],
                dates={k: cd.get(k) for k in services.MEMBER_DATE_FIELDS}, dues_category=cd["dues_category"],
                base_amount=cd.get("base_amount")),
                lambda member: reverse("party:member_detail", args=[member.pk]))
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(request, "party/form.html", {
        "form": form, "page_title": _("新建党员档案"), "cancel_url": reverse("party:member_list"),
        "breadcrumbs": [(_("党员名册"), reverse("party:member_list")), (_("新建党员档案"), None)]})


TIMELINE_SHORT = 40


@permission_required("party.view_my_record")
def my_record(request):
    """The signed-in person's own party record (a member's entry point)."""
    member = PartyMember.objects.filter(person_id=getattr(request.user, "person_id", None) or 0).first()
    if member is None:
        messages.info(request, _("您还没有党员档案；如需建立，请联系所在支部或政治部。"))
        return redirect("core:home")
    return redirect("party:member_detail", pk=member.pk)


def _member_forms(request, member, day: date) -> dict:
    due = member.conversion_due_on
    return {
        "step_form": pforms.StepForm(member=member,
                                     may_approve=allowed(request.user, "party.approve_memberstep", member),
                                     initial={"occurred_on": due if due and due <= day else day}),
        "transfer_form": pforms.TransferOutForm(initial={"transferred_on": day}),
        "status_form": pforms.StatusForm(initial={"since": day, "status": member.status}),
        "branch_form": pforms.BranchChangeForm(branches=_branches_for(request.user), initial={"moved_on": day}),
        "base_form": pforms.DuesBaseForm(initial={"effective_from": month_start(day),
                                                  "dues_category": member.dues_category}),
        "reduction_form": pforms.DuesReductionForm(initial={"start_month": month_start(day)}),
    }


def _member_page(request, member, bound: dict | None = None):
    """The member's page; `bound` holds a refused form (by its context name) to show again as typed."""
    from tianping.core.views import collect_timeline

    day = _today()
    timeline = collect_timeline(member.person, request.user)
    active = member.status not in (MemberStatus.TRANSFERRED_OUT, MemberStatus.CANCELLED, MemberStatus.STOPPED)
    ctx = {
        "member": member, "person": member.person,
        "steps": member.steps.select_related("recorded_by").order_by("occurred_on", "id"),
        "transfers": member.transfers.order_by("transferred_on"),
        "periods": member.branch_periods.select_related("organisation").order_by("start"),
        "bases": member.dues_bases.order_by("-effective_from"),
        "reductions": member.dues_reductions.all(),
        "current_quote": dues_quote(member, day),
        "owes_dues_now": member_owes_in(member, day),
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
    if active and can(request.user, "change", member):
        ctx.update(_member_forms(request, member, day))
        ctx.update(bound or {})
        ctx["open_form"] = next(iter(bound), "") if bound else ""
    return render(request, "party/member_detail.html", ctx)


@object_permission(PartyMember, "view")
def member_detail(request, pk: int):
    member = PartyMember.objects.select_related("person__department", "branch").get(pk=pk)
    return _member_page(request, member)


def _member_action(request, pk: int, name: str, form, act, field_map=None):
    """POST a form of the member's page: the service's success message and back to the page, or the page
    again with the form as typed and each error beside its field."""
    member = PartyMember.objects.select_related("person__department", "branch").get(pk=pk)
    if request.method != "POST":
        return redirect("party:member_detail", pk=pk)
    if form.is_valid():
        try:
            message = act(member, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc, field_map)
        else:
            messages.success(request, message)
            return redirect("party:member_detail", pk=pk)
    member.refresh_from_db()
    return _member_page(request, member, bound={name: form})


def _post_member(request, pk: int, form_class, **kwargs):
    """The posted form (a GET redirects to the page before the form is looked at)."""
    if form_class is pforms.StepForm:
        kwargs["member"] = member = PartyMember.objects.get(pk=pk)
        kwargs["may_approve"] = allowed(request.user, "party.approve_memberstep", member)
    return form_class(request.POST or None, request.FILES or None, **kwargs)


@object_permission(PartyMember, "change")
def member_step(request, pk: int):
    def act(member, cd):
        rec = services.member_step_record(actor=request.user, member=member, step=cd["step"],
                                          occurred_on=cd["occurred_on"], evidence=cd.get("evidence") or "",
                                          evidence_file=cd.get("evidence_file"), months=cd.get("months"),
                                          base_amount=cd.get("base_amount"))
        return _("已登记：%(s)s（%(d)s）。") % {"s": rec.get_step_display(), "d": rec.occurred_on.isoformat()}
    return _member_action(request, pk, "step_form", _post_member(request, pk, pforms.StepForm), act)


@object_permission(PartyMember, "change")
def member_transfer_out(request, pk: int):
    def act(member, cd):
        services.member_transfer_out(actor=request.user, member=member, to_organisation=cd["to_organisation"],
                                     letter_number=cd["letter_number"], transferred_on=cd["transferred_on"],
                                     note=cd.get("note") or "")
        return _("组织关系已转出，该党员已移出支部名册，历史记录保留。")
    return _member_action(request, pk, "transfer_form", _post_member(request, pk, pforms.TransferOutForm), act)


@object_permission(PartyMember, "change")
def member_status(request, pk: int):
    def act(member, cd):
        services.member_status_set(actor=request.user, member=member, status=cd["status"], since=cd["since"],
                                   note=cd["note"])
        return _("状态已更新。")
    return _member_action(request, pk, "status_form", _post_member(request, pk, pforms.StatusForm), act)


@object_permission(PartyMember, "change")
def member_branch(request, pk: int):
    def act(member, cd):
        services.member_branch_change(actor=request.user, member=member, branch=cd["branch"],
                                      moved_on=cd["moved_on"])
        return _("所在支部已调整。")
    form = _post_member(request, pk, pforms.BranchChangeForm, branches=_branches_for(request.user))
    return _member_action(request, pk, "branch_form", form, act)


@object_permission(PartyMember, "change")
def member_base(request, pk: int):
    def act(member, cd):
        services.dues_base_set(actor=request.user, member=member, amount=cd["amount"],
                               effective_from=cd["effective_from"], note=cd.get("note") or "",
                               dues_category=cd["dues_category"])
        return _("党费基数已登记。")
    return _member_action(request, pk, "base_form", _post_member(request, pk, pforms.DuesBaseForm), act)


@object_permission(PartyMember, "change")
def member_reduction(request, pk: int):
    def act(member, cd):
        services.dues_reduction_add(actor=request.user, member=member, monthly_amount=cd["monthly_amount"],
                                    start_month=cd["start_month"], end_month=cd.get("end_month"),
                                    decision=cd["decision"])
        return _("党费减免已登记。")
    return _member_action(request, pk, "reduction_form", _post_member(request, pk, pforms.DuesReductionForm), act)


@permission_required("party.add_partytransfer")
def transfer_in(request):
    if (done := _already_created(request)) is not None:
        return done
    branches = _branches_for(request.user)
    if not branches.exists():
        raise PermissionDenied
    form = pforms.TransferInForm(request.POST or None, court=request.user.court, branches=branches,
                                 initial={"transferred_on": _today(), **_branch_initial(request.user, branches)})
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            return create_once(request, form, lambda: services.member_transfer_in(
                actor=request.user, person=cd["person"], branch=cd["branch"],
                from_organisation=cd["from_organisation"], letter_number=cd["letter_number"],
                transferred_on=cd["transferred_on"], stage=cd["stage"],
                dates={"admitted_on": cd["admitted_on"], "converted_on": cd.get("converted_on")},
                note=cd.get("note") or "", dues_category=cd["dues_category"], base_amount=cd.get("base_amount")),
                lambda t: reverse("party:member_detail", args=[t.member_id]))
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(request, "party/form.html", {
        "form": form, "page_title": _("组织关系转入"), "cancel_url": reverse("party:transfer_list"),
        "breadcrumbs": [(_("组织关系转接"), reverse("party:transfer_list")), (_("转入"), None)]})


class TransferListView(FilteredListView):
    table_class = TransferTable
    filterset_class = TransferFilterSet
    page_title = gettext_lazy("组织关系转接")

    def get_queryset(self):
        return PartyTransfer.objects.visible_to(self.request.user).select_related("member__person", "branch")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if can(self.request.user, "add", PartyTransfer) and _branches_for(self.request.user).exists():
            ctx["create_url_name"] = "party:transfer_in"
        return ctx


# --- dues ---------------------------------------------------------------------------------------------
def _dues_scope(request, branch_value: str | None):
    """(organisation or None, the branch ids of the sheet or None for every branch of the court). With no
    branch asked for, a user who reaches only some branches gets those."""
    org = _branch_param(request, branch_value)
    if org is not None:
        return org, {org.pk, *PartyOrganisation.objects.filter(parent=org).values_list("pk", flat=True)}
    visible = PartyOrganisation.objects.visible_to(request.user)
    court_orgs = PartyOrganisation.objects.filter(court_id=request.user.court_id)
    if visible.count() == court_orgs.count():
        return None, None
    return None, set(visible.values_list("pk", flat=True))


def _can_record_dues(user, branch_ids) -> bool:
    """May record the payments of every row of a sheet over these branches (None: the whole court)."""
    if not can(user, "add", DuesPayment):
        return False
    changeable = set(PartyOrganisation.objects.visible_to(user, "change").values_list("pk", flat=True))
    wanted = branch_ids if branch_ids is not None else set(
        PartyOrganisation.objects.filter(court_id=user.court_id).values_list("pk", flat=True))
    return bool(wanted) and wanted <= changeable


def _dues_url(month: date, org) -> str:
    return reverse("party:dues_sheet") + f"?month={month:%Y-%m}" + (f"&branch={org.pk}" if org else "")


@permission_required("party.view_dues_sheet")
def dues_sheet_view(request):
    month = _month_param(request, request.GET.get("month"))
    org, branch_ids = _dues_scope(request, request.GET.get("branch"))
    court_id = org.court_id if org else request.user.court_id
    rows = dues_sheet(court_id, month, branch_ids)
    if request.GET.get("export") == "xlsx":
        require_perm(request.user, "party.export_duespayment")
        return _dues_export(request, rows, month, org)
    can_record = _can_record_dues(request.user, branch_ids)
    totals = {"due": sum((r.due for r in rows), Decimal("0")), "paid": sum((r.paid for r in rows), Decimal("0"))}
    totals["owed"] = sum((r.owed for r in rows), Decimal("0"))
    branches = PartyOrganisation.objects.visible_to(request.user).filter(kind=OrgKind.BRANCH)
    prev_month = (month - timedelta(days=1)).replace(day=1)
    next_month = (month + timedelta(days=32)).replace(day=1)
    ctx = {"rows": rows, "month": month, "org": org, "totals": totals, "can_record": can_record,
           "branches": branches, "prev_month": prev_month,
           "next_month": next_month if parse_month(f"{next_month:%Y-%m}") else None,
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


def _sheet_row(member, month: date) -> SheetRow:
    """One member's row of a month's sheet, whether or not they owe dues that month."""
    quote = dues_quote(member, month)
    pay = DuesPayment.objects.filter(member=member, month=month).first()
    return SheetRow(member=member, branch=member.branch, month=month, base=quote.base, rate=quote.rate,
                    due=quote.due, paid=pay.paid_amount if pay else Decimal("0.00"), payment=pay,
                    reduced=quote.reduced)


def parse_amount(text: str | None) -> Decimal:
    """A typed amount of money as a finite Decimal; ValidationError (beside the field) otherwise."""
    raw = (text or "").strip().replace(",", "").replace("，", "")
    try:
        value = Decimal(raw or "0")
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        raise ValidationError({"paid_amount": _("金额“%(v)s”不是数字，请填写如 45.00 的金额。") % {"v": raw[:20]}})
    return value


@require_POST
@permission_required("party.add_duespayment")
def dues_pay(request):
    """Record a payment for one member and month. An htmx post gets the row back: updated, or as typed with
    the reason for the refusal beside the amount."""
    htmx = bool(request.headers.get("HX-Request"))
    if not str(request.POST.get("member", "")).isdigit():
        raise Http404
    member = get_visible_or_404(PartyMember.objects.select_related("person", "branch"), request.user,
                                pk=int(request.POST["member"]))
    require_perm(request.user, "party.add_duespayment", member)
    month = parse_month(request.POST.get("month"))
    if month is None:
        return HttpResponse(_("月份无效，请按“年-月”填写，如 %(e)s。") % {"e": f"{_today():%Y-%m}"}, status=400)
    typed = request.POST.get("paid_amount", "")
    version = request.POST.get("version")
    try:
        amount = parse_amount(typed)
        services.dues_payment_record(actor=request.user, member=member, month=month, paid_amount=amount,
                                     expected_version=int(version) if str(version or "").isdigit() else None)
    except ValidationError as exc:
        text = " ".join(exc.messages)
        if htmx:
            return render(request, "party/includes/dues_row.html", {
                "r": _sheet_row(member, month), "month": month, "can_record": True, "error": text, "typed": typed})
        messages.error(request, text)
    else:
        if htmx:
            return render(request, "party/includes/dues_row.html",
                          {"r": _sheet_row(member, month), "month": month, "can_record": True})
    branch = request.POST.get("branch", "")
    return redirect(reverse("party:dues_sheet") + f"?month={month:%Y-%m}" + (f"&branch={branch}" if branch.isdigit()
                                                                              else ""))


@require_POST
@permission_required("party.add_duespayment")
def dues_pay_all(request):
    """Record 实交 = 应交 for every unpaid row of the sheet on screen (the usual monthly collection)."""
    month = parse_month(request.POST.get("month"))
    if month is None:
        messages.error(request, _("月份无效，请按“年-月”填写，如 %(e)s。") % {"e": f"{_today():%Y-%m}"})
        return redirect("party:dues_sheet")
    org, branch_ids = _dues_scope(request, request.POST.get("branch"))
    if not _can_record_dues(request.user, branch_ids):
        raise PermissionDenied
    court_id = org.court_id if org else request.user.court_id
    n = services.dues_payments_record_due(actor=request.user, rows=dues_sheet(court_id, month, branch_ids),
                                          month=month)
    messages.success(request, _("已按应交金额登记 %(n)d 人。") % {"n": n})
    return redirect(_dues_url(month, org))


@object_permission(PartyMember, "view")
def dues_member(request, pk: int):
    member = PartyMember.objects.select_related("person", "branch").get(pk=pk)
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


def arrears_until(day: date) -> date:
    """The last day whose month counts for arrears: this month only once its due day has passed
    (PartySetting dues_due_day, clamped to the month's length), else the end of last month."""
    from tianping.party.rules import month_end

    due_day = min(setting("dues_due_day", day), month_end(day).day)
    if day.day > due_day:
        return day
    return month_start(day) - timedelta(days=1)


@permission_required("party.view_dues_sheet")
def dues_arrears(request):
    day = _today()
    year = _year_param(request)
    org, branch_ids = _dues_scope(request, request.GET.get("branch"))
    court_id = org.court_id if org else request.user.court_id
    until = arrears_until(day)
    rows = dues_year(court_id, year, branch_ids, until=until) if year <= until.year else []
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
        "until": until, "due_day": setting("dues_due_day", day),
        "branches": PartyOrganisation.objects.visible_to(request.user).filter(kind=OrgKind.BRANCH),
        "page_title": _("党费欠交名单"), "breadcrumbs": [(_("党费收缴表"), reverse("party:dues_sheet")),
                                                        (_("欠交名单"), None)]})


@permission_required("party.view_dues_sheet")
def dues_totals(request):
    day = _today()
    year = _year_param(request)
    org, branch_ids = _dues_scope(request, request.GET.get("branch"))
    court_id = org.court_id if org else request.user.court_id
    rows = dues_year(court_id, year, branch_ids, until=day if year >= day.year else None)
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
        "years": _years_of(DuesPayment.objects.filter(court_id=court_id), "month", day),
        "page_title": _("党费年度汇总"), "breadcrumbs": [(_("党费收缴表"), reverse("party:dues_sheet")),
                                                        (_("年度汇总"), None)]})


@permission_required("party.view_rules")
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
        return {"exclude": () if can(self.request.user, "reverse", PointsEntry) else ("reverse",)}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if can(self.request.user, "add", PointsEntry):
            ctx["create_url_name"] = "party:points_adjust"
        filterset = ctx.get("filter")
        qs = filterset.qs if filterset is not None and filterset.is_valid() else self.get_queryset()
        ctx["points_total"] = qs.aggregate(s=Sum("points"))["s"] or Decimal("0")
        ctx["can_rank"] = allowed(self.request.user, "party.view_figures")  # the ranking's own permission
        return ctx


@permission_required("party.add_pointsentry")
def points_adjust(request):
    if (done := _already_created(request)) is not None:
        return done
    people = Person.objects.visible_to(request.user).filter(left_on__isnull=True)
    form = pforms.PointsAdjustForm(request.POST or None, people=people, initial={"occurred_on": _today()})
    if request.method == "POST" and form.is_valid():
        cd = form.cleaned_data
        try:
            return create_once(request, form, lambda: services.points_adjust(
                actor=request.user, person=cd["person"], points=cd["points"], occurred_on=cd["occurred_on"],
                note=cd["note"]), lambda entry: reverse("party:points_ledger") + f"?person={entry.person_id}")
        except ValidationError as exc:
            add_service_errors(form, exc)
    return render(request, "party/form.html", {
        "form": form, "page_title": _("积分手工调整"), "cancel_url": reverse("party:points_ledger"),
        "breadcrumbs": [(_("积分台账"), reverse("party:points_ledger")), (_("手工调整"), None)]})


@require_POST
@object_permission(PointsEntry, "reverse")
def points_reverse(request, pk: int):
    entry = PointsEntry.objects.get(pk=pk)
    try:
        services.points_entry_reverse(actor=request.user, entry=entry, note=request.POST.get("note", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("已登记冲销记录。"))
    return redirect(reverse("party:points_ledger") + f"?person={entry.person_id}")


@permission_required("party.view_figures")
def points_ranking(request):
    day = _today()
    year = _year_param(request)
    org = _branch_param(request, request.GET.get("branch"))
    qs = PointsEntry.objects.visible_to(request.user).filter(occurred_on__year=year)
    if org is not None:
        qs = qs.filter(Q(person__party_member__branch=org) | Q(person__party_member__branch__parent=org))
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
        "years": _years_of(PointsEntry.objects.visible_to(request.user), "occurred_on", day),
        "page_title": _("积分排名"), "breadcrumbs": [(_("积分排名"), None)]})


# class-based pages, each with the permission it needs (read by the permission-matrix test)
organisation_list = permission_required("party.view_partyorganisation")(OrganisationListView.as_view())
member_list = permission_required("party.view_partymember")(MemberListView.as_view())
transfer_list = permission_required("party.view_partytransfer")(TransferListView.as_view())
points_ledger = permission_required("party.view_pointsentry")(PointsLedgerView.as_view())
