"""Pages of pioneer posts, honours, selections and the showcase. Who may open each page is declared in
honours/policy.py and read here through the view decorators; every object comes from `visible_to(user)` (404
outside the scope). Writes go through tianping.honours.services."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from tianping.core.actions import add_service_errors, create_once
from tianping.core.middleware import public
from tianping.core.policy import allowed, can, object_permission, permission_required, require
from tianping.core.uploads import upload_response
from tianping.core.views import FilteredListView
from tianping.honours import forms, selectors, services
from tianping.honours.filtersets import ArticleFilterSet, HonourFilterSet, PostFilterSet
from tianping.honours.models import (
    EXPERT_TITLES,
    Article,
    ArticleAttachment,
    ArticleCategory,
    ArticleStatus,
    Honour,
    LobbyScreen,
    Objection,
    PioneerPost,
    PostHolder,
    Selection,
    SelectionStatus,
    Venue,
    VenueBooking,
    Voter,
)
from tianping.honours.tables import ArticleTable, HonourTable, PostTable


def _file(field: Any, content_type: str, name: str) -> HttpResponseBase:
    """A certificate, a post's photo or a column attachment (404 when the disk no longer holds the file)."""
    response = upload_response(field, content_type=content_type or "application/octet-stream",
                               as_attachment=not content_type.startswith(("image/", "application/pdf")),
                               filename=name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _form_page(request: Any, form: Any, title: str, back: str, crumbs: list[Any], multipart: bool = False) -> Any:
    return render(request, "honours/form.html", {"form": form, "page_title": title, "back": back,
                                                 "multipart": multipart, "breadcrumbs": [*crumbs, (title, None)]})


# --- honours ---------------------------------------------------------------------------------------------------
HONOURS_CRUMB = (gettext_lazy("表彰奖励"), "/honours/")


class HonourListView(FilteredListView):
    table_class = HonourTable
    filterset_class = HonourFilterSet
    register_kind = "honours"
    page_title = gettext_lazy("表彰奖励")
    template_name = "honours/honour_list.html"

    def get_queryset(self) -> Any:
        return Honour.objects.visible_to(self.request.user).select_related("person", "department", "organisation")

    def get_context_data(self, **kwargs: Any) -> Any:
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        if can(user, "add", Honour):
            ctx["create_url_name"] = "honours:honour_create"
        if can(user, "import", Honour):
            ctx["import_kind"] = "honours"
        ctx["can_award_experts"] = allowed(user, "honours.award_experts")
        return ctx


honour_list = permission_required("honours.view_honour")(HonourListView.as_view())


@permission_required("honours.add_honour")
def honour_create(request: Any) -> Any:
    court = request.user.court
    form = forms.HonourForm(request.POST or None, request.FILES or None, court=court)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("certificate", "once_token", "loaded_version")}
        try:
            return create_once(request, form, lambda: services.honour_record(
                actor=request.user, court=court, data=data, certificate=form.cleaned_data.get("certificate")),
                lambda h: reverse("honours:honour_detail", args=[h.pk]))
        except ValidationError as exc:
            add_service_errors(form, exc)
    return _form_page(request, form, _("登记表彰"), reverse("honours:honour_list"), [HONOURS_CRUMB], multipart=True)


@object_permission(Honour, "view")
def honour_detail(request: Any, pk: int) -> Any:
    honour = get_object_or_404(Honour.objects.select_related("person", "department", "organisation", "selection"),
                               pk=pk)
    points = []
    if honour.person_id:
        from tianping.party.models import PointsEntry

        points = list(PointsEntry.objects.filter(source_type="honours.honour", source_id=str(honour.pk))
                      .order_by("id"))
    return render(request, "honours/honour_detail.html", {
        "honour": honour, "points": points, "can_change": can(request.user, "change", honour),
        "delete_form": forms.DeleteReasonForm(), "page_title": str(honour),
        "breadcrumbs": [HONOURS_CRUMB, (honour.name, None)]})


@object_permission(Honour, "change")
def honour_edit(request: Any, pk: int) -> Any:
    honour = get_object_or_404(Honour, pk=pk)
    form = forms.HonourForm(request.POST or None, request.FILES or None, instance=honour, court=honour.court)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("certificate", "once_token", "loaded_version")}
        try:
            services.honour_update(actor=request.user, honour=honour, data=data,
                                   certificate=form.cleaned_data.get("certificate"))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("honours:honour_detail", pk=pk)
    return _form_page(request, form, _("修改表彰"), reverse("honours:honour_detail", args=[pk]),
                      [HONOURS_CRUMB], multipart=True)


@require_POST
@object_permission(Honour, "delete")
def honour_delete(request: Any, pk: int) -> Any:
    honour = get_object_or_404(Honour, pk=pk)
    form = forms.DeleteReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写删除原因。"))
        return redirect("honours:honour_detail", pk=pk)
    services.honour_delete(actor=request.user, honour=honour, reason=form.cleaned_data["reason"])
    messages.success(request, _("已删除，相应积分已冲销。"))
    return redirect("honours:honour_list")


@object_permission(Honour, "view")
def honour_certificate(request: Any, pk: int) -> Any:
    honour = get_object_or_404(Honour, pk=pk)
    if not honour.certificate:
        raise Http404
    return _file(honour.certificate, honour.certificate_type, f"{honour.name}-{honour.pk}")


@permission_required("honours.award_experts")
def experts(request: Any) -> Any:
    """办案能手 / 调解能手 from the trial page's candidate lists of a year (trials.selectors.candidates)."""
    from tianping.trials.selectors import candidates, year_period

    court = request.user.court
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year") or today.year - 1)
    except ValueError:
        year = today.year - 1
    year = max(2000, min(year, today.year))
    lists = candidates(court, year_period(year))
    held = set(Honour.objects.filter(court=court, name__in=[f"{year}年度{t}" for t in EXPERT_TITLES.values()])
               .values_list("name", "person_id"))
    blocks = []
    for kind, title in EXPERT_TITLES.items():
        rows = lists[kind]
        choices = [(r["key"]["judge"], r["scope"]) for r in rows]
        form = forms.ExpertAwardForm(request.POST if request.POST.get("kind") == kind else None,
                                     candidates=choices, prefix=kind)
        if request.method == "POST" and request.POST.get("kind") == kind and form.is_valid():
            try:
                made = services.experts_award(actor=request.user, court=court, kind=kind, year=year,
                                              person_ids=form.cleaned_data["person_ids"],
                                              awarded_on=form.cleaned_data["awarded_on"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("已授予 %(n)d 人“%(t)s”。") % {"n": len(made), "t": title})
                return redirect(f"{reverse('honours:experts')}?year={year}")
        blocks.append({"kind": kind, "title": title, "form": form, "rows": [
            {**r, "held": (f"{year}年度{title}", r["key"]["judge"]) in held} for r in rows]})
    return render(request, "honours/experts.html", {
        "year": year, "years": list(range(today.year, today.year - 6, -1)), "blocks": blocks,
        "page_title": _("办案能手与调解能手"), "breadcrumbs": [HONOURS_CRUMB, (_("办案能手与调解能手"), None)]})


@permission_required("honours.view_figures")
def figures(request: Any) -> Any:
    court = request.user.court
    today = timezone.localdate()
    years = list(range(today.year - 5, today.year + 1))
    return render(request, "honours/figures.html", {
        "fig": selectors.honour_figures(court, years), "units": selectors.unit_titles(court)[:6],
        "experts": selectors.expert_member_share(court), "page_title": _("表彰统计"),
        "breadcrumbs": [HONOURS_CRUMB, (_("表彰统计"), None)]})


# --- pioneer posts ------------------------------------------------------------------------------------------------
POSTS_CRUMB = (gettext_lazy("党员先锋岗"), "/honours/posts/")


class PostListView(FilteredListView):
    table_class = PostTable
    filterset_class = PostFilterSet
    register_kind = "pioneer_posts"
    page_title = gettext_lazy("党员先锋岗")

    def get_queryset(self) -> Any:
        today = timezone.localdate()
        current = Q(holders__start__lte=today) & (Q(holders__end__isnull=True) | Q(holders__end__gte=today))
        return (PioneerPost.objects.visible_to(self.request.user).select_related("department")
                .annotate(holder_count=Count("holders", filter=current)).order_by("window", "name"))

    def _export_queryset(self) -> Any:
        posts = super()._export_queryset()
        return (PostHolder.objects.visible_to(self.request.user).filter(post__in=posts.values("pk"))
                .select_related("post__department", "person").order_by("post__window", "post__name", "start"))

    def get_context_data(self, **kwargs: Any) -> Any:
        ctx = super().get_context_data(**kwargs)
        if can(self.request.user, "add", PioneerPost):
            ctx["create_url_name"] = "honours:post_create"
        if can(self.request.user, "import", PioneerPost):
            ctx["import_kind"] = "pioneer_posts"
        return ctx


post_list = permission_required("honours.view_pioneerpost")(PostListView.as_view())


@permission_required("honours.add_pioneerpost")
def post_create(request: Any) -> Any:
    court = request.user.court
    form = forms.PostForm(request.POST or None, request.FILES or None, court=court)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("photo", "loaded_version")}
        try:
            post = services.post_save(actor=request.user, court=court, data=data, photo=form.cleaned_data["photo"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("honours:post_detail", pk=post.pk)
    return _form_page(request, form, _("新增先锋岗"), reverse("honours:post_list"), [POSTS_CRUMB], multipart=True)


@object_permission(PioneerPost, "view")
def post_detail(request: Any, pk: int) -> Any:
    post = get_object_or_404(PioneerPost.objects.select_related("department"), pk=pk)
    user = request.user
    holder_form = forms.HolderForm(court=post.court) if can(user, "change", post) else None
    eval_form = forms.EvaluationForm(initial={"year": timezone.localdate().year}) \
        if can(user, "evaluate", post) else None
    return render(request, "honours/post_detail.html", {
        "post": post, "holders": post.holders.select_related("person").order_by("-start"),
        "evaluations": post.evaluations.order_by("-year"), "holder_form": holder_form, "eval_form": eval_form,
        "can_change": can(user, "change", post), "page_title": post.name,
        "breadcrumbs": [POSTS_CRUMB, (post.name, None)]})


@object_permission(PioneerPost, "change")
def post_edit(request: Any, pk: int) -> Any:
    post = get_object_or_404(PioneerPost, pk=pk)
    form = forms.PostForm(request.POST or None, request.FILES or None, instance=post, court=post.court)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("photo", "loaded_version")}
        try:
            services.post_save(actor=request.user, court=post.court, post=post, data=data,
                               photo=form.cleaned_data["photo"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("honours:post_detail", pk=pk)
    return _form_page(request, form, _("修改先锋岗"), reverse("honours:post_detail", args=[pk]), [POSTS_CRUMB],
                      multipart=True)


@require_POST
@object_permission(PioneerPost, "change")
def post_holder_add(request: Any, pk: int) -> Any:
    post = get_object_or_404(PioneerPost, pk=pk)
    form = forms.HolderForm(request.POST, court=post.court)
    if form.is_valid():
        try:
            services.post_holder_add(actor=request.user, post=post, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
    if form.errors:
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, str(e))
    else:
        messages.success(request, _("已添加在岗党员。"))
    return redirect("honours:post_detail", pk=pk)


@require_POST
@object_permission(PioneerPost, "evaluate")
def post_evaluate(request: Any, pk: int) -> Any:
    post = get_object_or_404(PioneerPost, pk=pk)
    form = forms.EvaluationForm(request.POST)
    if form.is_valid():
        try:
            services.post_evaluate(actor=request.user, post=post, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
    if form.errors:
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, str(e))
    else:
        messages.success(request, _("三比三创评价已保存。"))
    return redirect("honours:post_detail", pk=pk)


@object_permission(PioneerPost, "view")
def post_photo(request: Any, pk: int) -> Any:
    post = get_object_or_404(PioneerPost, pk=pk)
    if not post.photo:
        raise Http404
    return _file(post.photo, post.photo_type, post.name)


@permission_required("honours.display_boards")
def display_board(request: Any) -> Any:
    """The printable display board (A3) of a branch, or of a selection's representatives, as PDF."""
    from tianping.honours import boards
    from tianping.party.models import PartyOrganisation

    court = request.user.court
    if request.GET.get("selection"):
        selection = get_object_or_404(Selection.objects.visible_to(request.user), pk=request.GET["selection"])
        pdf, name = boards.selection_board(selection), selection.title
    elif request.GET.get("branch"):
        branch = get_object_or_404(PartyOrganisation.objects.filter(court=court), pk=request.GET["branch"])
        pdf, name = boards.branch_board(branch, timezone.localdate()), branch.name
    else:
        branches = PartyOrganisation.objects.filter(court=court, active=True, kind="branch").order_by("sort_order")
        finals = Selection.objects.visible_to(request.user).filter(
            status__in=[SelectionStatus.FINAL, SelectionStatus.PUBLICITY])
        return render(request, "honours/boards.html", {
            "branches": branches, "selections": finals, "page_title": _("展板"),
            "breadcrumbs": [POSTS_CRUMB, (_("展板"), None)]})
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f"inline; filename*=UTF-8''board-{name}.pdf"
    return response


# --- selections --------------------------------------------------------------------------------------------------
SEL_CRUMB = (gettext_lazy("评选"), "/honours/selections/")


@permission_required("honours.view_selection")
def selection_list(request: Any) -> Any:
    rows = (Selection.objects.visible_to(request.user).annotate(n_nominations=Count("nominations", distinct=True))
            .order_by("-year", "-id"))
    person_id = getattr(request.user, "person_id", None)
    mine = set(Voter.objects.filter(person_id=person_id or 0, voted=False, selection__status=SelectionStatus.VOTING)
               .values_list("selection_id", flat=True)) if person_id else set()
    return render(request, "honours/selection_list.html", {
        "rows": rows, "to_vote": mine, "can_add": can(request.user, "add", Selection),
        "page_title": _("评选"), "breadcrumbs": [(_("评选"), None)]})


@permission_required("honours.add_selection")
def selection_create(request: Any) -> Any:
    court = request.user.court
    form = forms.SelectionForm(request.POST or None, initial={"year": timezone.localdate().year, "seats": 3,
                                                              "max_choices": 3})
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "loaded_version"}
        try:
            selection = services.selection_create(actor=request.user, court=court, data=data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("honours:selection_detail", pk=selection.pk)
    return _form_page(request, form, _("新建评选"), reverse("honours:selection_list"), [SEL_CRUMB])


@object_permission(Selection, "view")
def selection_detail(request: Any, pk: int) -> Any:
    selection = get_object_or_404(Selection, pk=pk)
    user = request.user
    nominations = list(selection.nominations.select_related("person", "person__department", "organisation"))
    counts = list(selection.counts.select_related("counted_by").order_by("pk"))
    first = counts[0] if counts else None
    names = {n.pk: n.person.name for n in nominations}
    result = None
    if first is not None:
        result = [{"name": names.get(int(k), "?"), "votes": v, "elected": int(k) in first.elected}
                  for k, v in sorted(first.tallies.items(), key=lambda kv: -kv[1])]
    ctx: dict[str, Any] = {
        "selection": selection, "nominations": nominations, "counts": counts, "result": result,
        "first": first, "voters": selection.voters.count(),
        "voted": selection.voters.filter(voted=True).count(),
        "can_manage": can(user, "manage", selection), "can_vote": can(user, "vote", selection),
        "can_count": can(user, "count", selection), "can_object": can(user, "object", selection),
        "can_nominate": can(user, "nominate", selection) and selection.status == SelectionStatus.NOMINATING,
        "objections": list(selection.objections.select_related("nomination__person"))
        if can(user, "view", Objection) else [],
        "page_title": selection.title, "breadcrumbs": [SEL_CRUMB, (selection.title, None)],
    }
    if ctx["can_manage"] and selection.status == SelectionStatus.NOMINATING:
        ctx["shortlist_form"] = forms.ShortlistForm(selection=selection)
    if ctx["can_manage"] and selection.status == SelectionStatus.COUNTED:
        ctx["publicity_form"] = forms.PublicityForm()
    if ctx["can_nominate"]:
        ctx["nomination_form"] = forms.NominationForm(court=selection.court, initial={
            "person": getattr(user, "person_id", None), "nominated_by": "self"})
    if ctx["can_object"]:
        ctx["objection_form"] = forms.ObjectionForm(selection=selection)
    return render(request, "honours/selection_detail.html", ctx)


@require_POST
@object_permission(Selection, "nominate")
def selection_nominate(request: Any, pk: int) -> Any:
    selection = get_object_or_404(Selection, pk=pk)
    form = forms.NominationForm(request.POST, court=selection.court)
    if form.is_valid():
        try:
            services.nomination_add(actor=request.user, selection=selection, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
    _flash(request, form, _("已提名。"))
    return redirect("honours:selection_detail", pk=pk)


def _flash(request: Any, form: Any, ok: str) -> None:
    if form.errors:
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, str(e))
    else:
        messages.success(request, ok)


@require_POST
@object_permission(Selection, "manage")
def selection_step(request: Any, pk: int, step: str) -> Any:
    """The office's steps: shortlist, open the ballot, close and count, start 公示, finalise."""
    selection = get_object_or_404(Selection, pk=pk)
    done = _("已完成。")
    try:
        if step == "shortlist":
            form = forms.ShortlistForm(request.POST, selection=selection)
            form.is_valid()
            services.shortlist_set(actor=request.user, selection=selection,
                                   nomination_ids=form.cleaned_data.get("nominations", []))
            done = _("候选人名单已确定。")
        elif step == "open":
            n = services.voting_open(actor=request.user, selection=selection)
            done = _("投票已开始，投票人 %(n)d 人。") % {"n": n}
        elif step == "close":
            run = services.voting_close(actor=request.user, selection=selection)
            done = _("投票已结束并计票：有效票 %(n)d 张。") % {"n": run.ballots}
        elif step == "publicity":
            pform = forms.PublicityForm(request.POST)
            if not pform.is_valid():
                raise ValidationError(_("请填写公示开始日期和工作日数。"))
            services.publicity_start(actor=request.user, selection=selection, **pform.cleaned_data)
            done = _("已开始公示，截止 %(d)s。") % {"d": selection.publicity_end}
        elif step == "finalise":
            made = services.selection_finalise(actor=request.user, selection=selection)
            done = _("结果已确定，已登记表彰 %(n)d 人。") % {"n": len(made)}
        else:
            raise Http404
    except ValidationError as exc:
        for m in exc.messages:
            messages.error(request, m)
    else:
        messages.success(request, done)
    return redirect("honours:selection_detail", pk=pk)


@object_permission(Selection, "view")
def selection_vote(request: Any, pk: int) -> Any:
    """The ballot paper (phone or PC). Casting needs the 'vote' permission: on the voter list, not voted yet."""
    selection = get_object_or_404(Selection, pk=pk)
    if not can(request.user, "vote", selection):
        voted = Voter.objects.filter(selection=selection, person_id=getattr(request.user, "person_id", None) or 0,
                                     voted=True).exists()
        return render(request, "honours/vote_done.html", {
            "selection": selection, "voted": voted, "page_title": selection.title,
            "breadcrumbs": [SEL_CRUMB, (selection.title, reverse("honours:selection_detail", args=[pk])),
                            (_("投票"), None)]})
    form = forms.BallotForm(request.POST or None, selection=selection)
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["abstain"]:
                services.ballot_abstain(actor=request.user, selection=selection)
            else:
                services.ballot_cast(actor=request.user, selection=selection, choices=form.cleaned_data["choices"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("投票成功，谢谢！您的选票不记名，任何人都无法查到您投给了谁。"))
            return redirect("honours:selection_vote", pk=pk)
    return render(request, "honours/vote.html", {
        "selection": selection, "form": form, "page_title": _("投票：%(t)s") % {"t": selection.title},
        "breadcrumbs": [SEL_CRUMB, (selection.title, reverse("honours:selection_detail", args=[pk])),
                        (_("投票"), None)]})


@require_POST
@object_permission(Selection, "count")
def selection_recount(request: Any, pk: int) -> Any:
    selection = get_object_or_404(Selection, pk=pk)
    try:
        run = services.count_run(actor=request.user, selection=selection)
    except ValidationError as exc:
        for m in exc.messages:
            messages.error(request, m)
    else:
        first = selection.counts.order_by("pk").first()
        if first is not None and first.digest == run.digest:
            messages.success(request, _("重新计票完成：结果与首次计票一致。"))
        else:
            messages.error(request, _("重新计票结果与首次计票不一致，请立即报告！"))
    return redirect("honours:selection_detail", pk=pk)


@require_POST
@object_permission(Selection, "object")
def selection_object(request: Any, pk: int) -> Any:
    selection = get_object_or_404(Selection, pk=pk)
    form = forms.ObjectionForm(request.POST, selection=selection)
    if form.is_valid():
        try:
            services.objection_record(actor=request.user, selection=selection, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
    _flash(request, form, _("异议已登记。"))
    return redirect("honours:selection_detail", pk=pk)


@require_POST
@object_permission(Selection, "manage")
def objection_resolve(request: Any, pk: int, objection_id: int) -> Any:
    objection = get_object_or_404(Objection, pk=objection_id, selection_id=pk)
    form = forms.ObjectionResolveForm(request.POST)
    if form.is_valid():
        try:
            services.objection_resolve(actor=request.user, objection=objection, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
    _flash(request, form, _("异议已处理。"))
    return redirect("honours:selection_detail", pk=pk)


# --- showcase: lobby screen ---------------------------------------------------------------------------------------
@permission_required("honours.view_lobbyscreen", post="honours.add_lobbyscreen")
def lobby_screens(request: Any) -> Any:
    form = forms.LobbyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            screen = services.lobby_create(actor=request.user, court=request.user.court, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已生成展示屏链接“%(n)s”。") % {"n": screen.name})
            return redirect("honours:lobby_screens")
    screens = LobbyScreen.objects.visible_to(request.user).order_by("-created_at")
    return render(request, "honours/lobby_screens.html", {
        "screens": screens, "form": form, "page_title": _("大厅展示屏"),
        "breadcrumbs": [(_("大厅展示屏"), None)]})


@require_POST
@object_permission(LobbyScreen, "change")
def lobby_revoke(request: Any, pk: int) -> Any:
    screen = get_object_or_404(LobbyScreen, pk=pk)
    try:
        services.lobby_revoke(actor=request.user, screen=screen)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("链接已撤销，展示屏将不再显示。"))
    return redirect("honours:lobby_screens")


def _screen(token: str) -> LobbyScreen:
    screen = LobbyScreen.objects.select_related("court").filter(token=token, revoked_at__isnull=True).first()
    if screen is None or len(token) < 32:
        raise Http404
    return screen


@public
@require_GET
def lobby(request: Any, token: str) -> Any:
    """The lobby screen: no login, opened by its long random link (404 once revoked). The page carries all its
    slides and rotates them itself; it reloads its content in the background and keeps showing the last one
    while the network is down."""
    screen = _screen(token)
    today = timezone.localdate()
    response = render(request, "honours/lobby.html", {
        "screen": screen, "court": screen.court, "slides": selectors.lobby_slides(screen.court, today),
        "today": today, "token": token})
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


@public
@require_GET
def lobby_photo(request: Any, token: str, post_id: int) -> Any:
    screen = _screen(token)
    post = get_object_or_404(PioneerPost, pk=post_id, court=screen.court, active=True)
    if not post.photo or not post.photo_type.startswith("image/"):
        raise Http404
    return _file(post.photo, post.photo_type, post.name)


# --- venues ---------------------------------------------------------------------------------------------------------
VENUE_CRUMB = (gettext_lazy("党建阵地"), "/honours/venues/")


@permission_required("honours.view_venue")
def venue_list(request: Any) -> Any:
    today = timezone.localdate()
    venues = (Venue.objects.visible_to(request.user)
              .annotate(upcoming=Count("bookings", filter=Q(bookings__date__gte=today))))
    return render(request, "honours/venue_list.html", {
        "venues": venues, "can_add": can(request.user, "add", Venue), "page_title": _("党建阵地"),
        "breadcrumbs": [(_("党建阵地"), None)]})


@permission_required("honours.add_venue")
def venue_create(request: Any) -> Any:
    form = forms.VenueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "loaded_version"}
        try:
            venue = services.venue_save(actor=request.user, court=request.user.court, data=data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("honours:venue_detail", pk=venue.pk)
    return _form_page(request, form, _("新增场所"), reverse("honours:venue_list"), [VENUE_CRUMB])


@object_permission(Venue, "view", post="book")
def venue_detail(request: Any, pk: int) -> Any:
    """A venue with its bookings by month (the calendar) and the booking form."""
    venue = get_object_or_404(Venue, pk=pk)
    today = timezone.localdate()
    try:
        year_text, month_text = request.GET.get("month", "").split("-")
        month = date(int(year_text), int(month_text), 1)
    except ValueError:
        month = today.replace(day=1)
    form = forms.BookingForm(request.POST or None, user=request.user) if can(request.user, "book", venue) else None
    if request.method == "POST" and form is not None and form.is_valid():
        c = form.cleaned_data
        try:
            services.venue_book(actor=request.user, venue=venue, day=c["day"], start_time=c["start_time"],
                                end_time=c["end_time"], purpose=c["purpose"], meeting=c["meeting"])
        except ValidationError as exc:
            add_service_errors(form, exc, {"day": "day"})
        else:
            messages.success(request, _("已预约。"))
            return redirect("honours:venue_detail", pk=pk)
    nxt = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    bookings = (venue.bookings.filter(date__gte=month, date__lt=nxt).select_related("meeting", "booked_by")
                .order_by("date", "start_time"))
    prev = (month - timedelta(days=1)).replace(day=1)
    return render(request, "honours/venue_detail.html", {
        "venue": venue, "bookings": bookings, "form": form, "month": month, "prev": prev, "next": nxt,
        "can_cancel": can(request.user, "delete", VenueBooking),
        "page_title": venue.name, "breadcrumbs": [VENUE_CRUMB, (venue.name, None)]})


@require_POST
@object_permission(VenueBooking, "delete", url_kwarg="booking_id")
def booking_cancel(request: Any, pk: int, booking_id: int) -> Any:
    booking = get_object_or_404(VenueBooking, pk=booking_id, venue_id=pk)
    services.booking_cancel(actor=request.user, booking=booking)
    messages.success(request, _("预约已取消。"))
    return redirect("honours:venue_detail", pk=pk)


# --- the online party column -----------------------------------------------------------------------------------------
COLUMN_CRUMB = (gettext_lazy("网上党建专栏"), "/honours/column/")


class ArticleListView(FilteredListView):
    table_class = ArticleTable
    filterset_class = ArticleFilterSet
    page_title = gettext_lazy("网上党建专栏")
    template_name = "honours/article_list.html"

    def get_queryset(self) -> Any:
        return Article.objects.visible_to(self.request.user)

    def get_context_data(self, **kwargs: Any) -> Any:
        ctx = super().get_context_data(**kwargs)
        if can(self.request.user, "add", Article):
            ctx["create_url_name"] = "honours:article_create"
        ctx["pending"] = Article.objects.visible_to(self.request.user, "review").filter(
            status=ArticleStatus.SUBMITTED).count() if allowed(self.request.user, "honours.review_articles") else 0
        court = getattr(self.request.user, "court", None)
        ctx["public_url"] = reverse("honours:column_public", args=[court.code]) if court is not None else None
        return ctx


article_list = permission_required("honours.view_article")(ArticleListView.as_view())


@permission_required("honours.add_article")
def article_create(request: Any) -> Any:
    form = forms.ArticleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "loaded_version"}
        try:
            article = services.article_save(actor=request.user, court=request.user.court, data=data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("honours:article_detail", pk=article.pk)
    return _form_page(request, form, _("写文章"), reverse("honours:article_list"), [COLUMN_CRUMB])


@object_permission(Article, "change")
def article_edit(request: Any, pk: int) -> Any:
    article = get_object_or_404(Article, pk=pk)
    form = forms.ArticleForm(request.POST or None, instance=article)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "loaded_version"}
        try:
            services.article_save(actor=request.user, court=article.court, article=article, data=data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("honours:article_detail", pk=pk)
    return _form_page(request, form, _("修改文章"), reverse("honours:article_detail", args=[pk]), [COLUMN_CRUMB])


@object_permission(Article, "view")
def article_detail(request: Any, pk: int) -> Any:
    """Reading an article counts a reading; an assigned one earns the reader its study hours."""
    article = get_object_or_404(Article, pk=pk)
    user = request.user
    study = None
    if article.status == ArticleStatus.PUBLISHED:
        study = services.article_read(article=article, person=getattr(user, "person", None))
        article.refresh_from_db(fields=["read_count"])
    return render(request, "honours/article_detail.html", {
        "article": article, "attachments": article.attachments.all(), "study": study,
        "can_change": can(user, "change", article), "can_review": can(user, "review", article),
        "review_form": forms.ReviewForm(), "attach_form": forms.AttachmentForm(),
        "page_title": article.title, "breadcrumbs": [COLUMN_CRUMB, (article.title, None)]})


@require_POST
@object_permission(Article, "change")
def article_action(request: Any, pk: int, action: str) -> Any:
    """submit (to review) and attach (a file) by the editor; review (publish or return) by the reviewer."""
    article = get_object_or_404(Article, pk=pk)
    try:
        if action == "submit":
            services.article_submit(actor=request.user, article=article)
            messages.success(request, _("已提交审核。"))
        elif action == "attach":
            form = forms.AttachmentForm(request.POST, request.FILES)
            if not form.is_valid():
                raise ValidationError(_("请选择要上传的文件。"))
            services.article_attach(actor=request.user, article=article, upload=form.cleaned_data["file"])
            messages.success(request, _("附件已上传。"))
        elif action == "review":
            require(request.user, "review", article)
            rform = forms.ReviewForm(request.POST)
            if not rform.is_valid():
                raise ValidationError(_("请选择审核结果。"))
            services.article_review(actor=request.user, article=article,
                                    publish=rform.cleaned_data["decision"] == "publish",
                                    note=rform.cleaned_data["note"])
            messages.success(request, _("审核完成。"))
        else:
            raise Http404
    except ValidationError as exc:
        for m in exc.messages:
            messages.error(request, m)
    return redirect("honours:article_detail", pk=pk)


@object_permission(ArticleAttachment, "view", url_kwarg="attachment_id")
def article_attachment(request: Any, pk: int, attachment_id: int) -> Any:
    att = get_object_or_404(ArticleAttachment, pk=attachment_id, article_id=pk)
    return _file(att.file, att.content_type, att.original_name)


def _public_court(code: str) -> Any:
    from tianping.org.models import Court

    court = Court.objects.filter(code=code).first()
    if court is None:
        raise Http404
    return court


@public
@require_GET
def column_public(request: Any, code: str) -> Any:
    """The column's read-only page for the intranet (no login): published articles only."""
    court = _public_court(code)
    category = request.GET.get("category", "")
    qs = Article.objects.filter(court=court, status=ArticleStatus.PUBLISHED)
    if category in ArticleCategory.values:
        qs = qs.filter(category=category)
    return render(request, "honours/column_public.html", {
        "court": court, "articles": qs.order_by("-published_on", "-id")[:60], "category": category,
        "categories": ArticleCategory.choices})


@public
@require_GET
def column_public_article(request: Any, code: str, pk: int) -> Any:
    court = _public_court(code)
    article = get_object_or_404(Article, pk=pk, court=court, status=ArticleStatus.PUBLISHED)
    services.article_read(article=article, person=None)
    article.refresh_from_db(fields=["read_count"])
    return render(request, "honours/column_public.html", {"court": court, "article": article,
                                                          "categories": ArticleCategory.choices})

