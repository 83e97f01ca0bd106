"""The annual party-building report page, its downloads and its text template; the dashboards; the leadership's
yearly self-assessment (五型五力) and its review, the leadership team's education summary; staff placement."""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from tianping.annual import selectors as sel
from tianping.annual.choices import EDITABLE
from tianping.annual.forms import LeaderAssessmentForm, LeaderReviewForm, LeadershipStudyForm, ReportTemplateForm, StudyAttachmentForm
from tianping.annual.models import LeaderAssessment, LeadershipStudy, LeadershipStudyAttachment, ReportTemplate
from tianping.annual.services import (
    leader_assessment_review,
    leader_assessment_save,
    leadership_study_attach,
    leadership_study_save,
    report_template_save,
)
from tianping.core.actions import add_service_errors
from tianping.core.audit import audit_record
from tianping.core.policy import allowed, can, checked_object, object_permission, permission_required

FIRST_YEAR = 2000


def _year(request, default: int | None = None) -> int:
    """?year=YYYY, or the default (the report: the last complete year); a bad value gives the default and a
    message (never a 500)."""
    default = sel.default_year(timezone.localdate()) if default is None else default
    raw = request.GET.get("year")
    if raw in (None, ""):
        return default
    try:
        year = int(raw)
    except ValueError:
        year = 0
    if not FIRST_YEAR <= year <= timezone.localdate().year:
        from django.contrib import messages

        messages.warning(request, _("年度 %(v)s 无效，已显示 %(d)s 年。") % {"v": raw[:10], "d": default})
        return default
    return year


@permission_required("annual.view_report")
def report(request):
    court = request.user.court
    year = _year(request)
    data = sel.report(court, year)
    this_year = timezone.localdate().year
    return render(request, "annual/report.html", {
        **data, "years": list(range(this_year, FIRST_YEAR + 13, -1)),
        "can_edit": can(request.user, "change", ReportTemplate),
        "note": sel.no_provider_note(),
        "page_title": _("年度党建工作报告"), "breadcrumbs": [(_("年度党建工作报告"), None)]})


@permission_required("annual.view_report")
def download(request, fmt: str):
    from django.http import Http404

    if fmt not in ("docx", "pdf", "json"):
        raise Http404
    court = request.user.court
    year = _year(request)
    data = sel.report(court, year)
    audit_record(actor=request.user, event="export", court_id=court.pk,
                 message=f"annual_report {court.code} {year} {fmt}")
    name = f"annual-report-{year}.{fmt}"
    if fmt == "json":
        body = json.dumps(data["json"], ensure_ascii=False, indent=2).encode()
        content_type = "application/json"
    elif fmt == "pdf":
        from tianping.annual.documents import render_pdf

        body, content_type = render_pdf(data), "application/pdf"
    else:
        from tianping.annual.documents import render_docx

        body = render_docx(data)
        content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@permission_required("annual.change_reporttemplate")
def template_edit(request):
    court = request.user.court
    current = ReportTemplate.objects.filter(court=court).first()
    title, body = sel.template_for(court)
    initial = {"title": title, "body": body, "loaded_version": current.version if current else None}
    form = ReportTemplateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            report_template_save(actor=request.user, court=court, title=form.cleaned_data["title"],
                                 body=form.cleaned_data["body"],
                                 expected_version=form.cleaned_data.get("loaded_version"))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("annual:report")
    return render(request, "annual/template_form.html", {
        "form": form, "placeholders": sel.known_placeholders(), "labels": sel.LABELS,
        "page_title": _("编辑报告模板"),
        "breadcrumbs": [(_("年度党建工作报告"), reverse("annual:report")), (_("编辑报告模板"), None)]})


# --- the dashboards -------------------------------------------------------------------------------------------
def _years() -> list[int]:
    return list(range(timezone.localdate().year, FIRST_YEAR + 13, -1))


@permission_required("annual.view_dashboard")
def dashboard(request):
    """院党建工作看板: the report's figures this year against last, the monthly trends, the to-dos by owner."""
    today = timezone.localdate()
    year = _year(request, today.year)
    court = request.user.court
    data = {"year": year, "figures": sel.compare(court, year), "charts": sel.trend_charts(court, year, today)}
    return render(request, "annual/dashboard.html", {
        **data, "years": _years(), "last_year": year - 1, "note": sel.no_provider_note(),
        "gathered": sel.figures_gathered_at(court, year), "cache_minutes": sel.CACHE_SECONDS // 60,
        "period_empty": not any(f["value"] for f in data["figures"]),
        "page_title": _("院党建工作看板"), "breadcrumbs": [(_("院党建工作看板"), None)]})


@permission_required("annual.view_dashboard")
def dashboard_todos(request):
    """The dashboard's to-dos by owner (loaded by the page after its figures: every account's to-dos are asked)."""
    return render(request, "annual/includes/todo_owners.html", {"owners": sel.todo_owners(request.user.court)})


@permission_required("annual.view_dashboard")
def dashboard_todo(request):
    """The to-dos of one owner of the dashboard (`?owner=KEY`: the items behind its counts). An owner with
    nothing left to do (or none named) leads back to the dashboard."""
    from django.contrib import messages

    key = request.GET.get("owner", "")
    owner = next((o for o in sel.todo_owners(request.user.court) if o["key"] == key), None)
    if owner is None:
        messages.info(request, _("该岗位目前没有待办事项。"))
        return redirect("annual:dashboard")
    level = request.GET.get("level", "")
    far = timezone.localdate().replace(year=9999)
    items = sorted((i for i in owner["items"] if not level or i["level"] == level),
                   key=lambda i: (i.get("due") or far, str(i["label"])))
    return render(request, "annual/dashboard_todo.html", {
        "owner": owner, "items": items, "page_title": _("待办事项：%(o)s") % {"o": owner["owner"]},
        "breadcrumbs": [(_("院党建工作看板"), reverse("annual:dashboard")), (owner["owner"], None)]})


SORT_KEYS = ("name", "members")


@permission_required("annual.view_dashboard")
def scorecards(request):
    """支部建设比拼: one row per branch, every app's columns side by side; sortable; `?export=xlsx`."""
    today = timezone.localdate()
    year = _year(request, today.year)
    card = sel.scorecards(request.user.court, year, today)
    keys = {c.key for c in card["columns"]} | set(SORT_KEYS)
    sort = request.GET.get("sort") if request.GET.get("sort") in keys else ""
    descending = request.GET.get("dir", "desc") != "asc"
    if sort:
        card["rows"] = sel.sort_rows(card["rows"], sort, descending)
    if request.GET.get("export") == "xlsx":
        from tianping.core.registers import export_table_xlsx

        header, rows = sel.scorecard_table(card)
        data = export_table_xlsx(_("支部建设比拼%(y)d") % {"y": year}, header, rows)
        audit_record(actor=request.user, event="export", court_id=request.user.court_id,
                     message=f"branch_scorecards {year}")
        response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''branch-scorecards-{year}.xlsx"
        return response
    return render(request, "annual/scorecards.html", {
        **card, "period_empty": not any(c["value"] for r in card["rows"] for c in r["cells"]),
        "sort": sort, "descending": descending, "years": _years(),
        "head": [("name", _("党支部")), ("members", _("党员人数")), *[(c.key, c.label) for c in card["columns"]]],
        "page_title": _("支部建设比拼"), "breadcrumbs": [(_("支部建设比拼"), None)]})


BIG_SCREEN_REFRESH_SECONDS = 300


@permission_required("annual.view_dashboard")
def big_screen(request):
    """The command room's big screen (1920×1080, dark): figures only — the year's figures against last year, the
    trends and the branches' scorecards; it reloads its content every few minutes (htmx), keeping the last
    content on screen while the network is down."""
    today = timezone.localdate()
    year = _year(request, today.year)
    court = request.user.court
    figures = [f for f in sel.compare(court, year) if f["provided"]]
    card = sel.scorecards(court, year, today)
    ctx = {"court": court, "year": year, "figures": figures, "card": card,
           "charts": sel.trend_charts(court, year, today, dark=True), "today": today,
           "refresh": BIG_SCREEN_REFRESH_SECONDS}
    template = "annual/big_screen_content.html" if request.headers.get("HX-Request") else "annual/big_screen.html"
    response = render(request, template, ctx)
    response["Cache-Control"] = "no-store"
    return response


# --- the leadership (五型五力) and its education ----------------------------------------------------------------
LEADERSHIP_GROUPS = {
    "leaders": _lazy("院领导"),
    "not_submitted": _lazy("未提交"),
    "awaiting_review": _lazy("待评议"),
    "reviewed": _lazy("已评议"),
}


def _leadership_crumbs(*tail):
    return [(_("五型五力自评与评议"), reverse("annual:leadership_list")), *tail]


@permission_required("annual.view_leadership")
def leadership_list(request):
    """The year's leaders in post, each with their self-assessment's state and review grade (another leader's
    draft reads "not submitted"); the counts link to the leaders behind them (`?group=`)."""
    from tianping.annual.leadership import assessment_overview

    user = request.user
    today = timezone.localdate()
    year = _year(request, today.year - 1)
    over = assessment_overview(user.court, year, user)
    group = request.GET.get("group", "")
    group = group if group in LEADERSHIP_GROUPS and group != "leaders" else ""
    rows = over["groups"][group] if group else over["rows"]
    may_write = can(user, "add", LeaderAssessment)
    may_review = allowed(user, "annual.review_leaderassessment")
    for r in rows:
        a = r["assessment"]
        r["can_fill"] = bool(r["own"] and may_write and (a is None or a.status in EDITABLE) and year <= today.year)
        r["can_review"] = bool(a is not None and may_review and can(user, "review", a))
    counts = [{"key": k, "label": label, "count": over["counts"][k],
               "url": f"?year={year}" + ("" if k == "leaders" else f"&group={k}")} for k, label in LEADERSHIP_GROUPS.items()]
    return render(request, "annual/leadership_list.html", {
        "year": year, "years": _years(), "rows": rows, "counts": counts, "group": group,
        "group_label": LEADERSHIP_GROUPS.get(group, ""),
        "can_study": allowed(user, "annual.view_leadershipstudy"),
        "page_title": _("五型五力自评与评议"), "breadcrumbs": [(_("五型五力自评与评议"), None)]})


@permission_required("annual.add_leaderassessment")
def assessment_form(request, year: int):
    """A leader's own self-assessment of a year: save a draft or submit it to the party group. A second window's
    save is caught by the version the form was loaded with; on any refusal the form keeps what was typed."""
    from django.contrib import messages

    from tianping.annual.leadership import leader_in_post_during

    user = request.user
    person = user.person
    if year > timezone.localdate().year or not leader_in_post_during(person, year):
        messages.warning(request, _("您在 %(y)d 年不是在任院领导，无需填写该年度自评。") % {"y": year})
        return redirect(reverse("annual:leadership_list"))
    current = LeaderAssessment.objects.filter(person=person, year=year).first()
    if current is not None and current.status not in EDITABLE:
        messages.info(request, _("%(y)d 年度自评已提交（%(s)s），不能再修改。") % {"y": year, "s": current.get_status_display()})
        return redirect("annual:assessment_detail", pk=current.pk)
    initial = LeaderAssessmentForm.initial_for(current) or {"loaded_version": 0}
    form = LeaderAssessmentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST
        try:
            saved = leader_assessment_save(actor=user, person=person, year=year, items=form.items(),
                                           summary=form.cleaned_data["summary"], submit=submit,
                                           expected_version=form.cleaned_data.get("loaded_version"))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已提交，等待党组评议。") if submit else _("草稿已保存，提交前只有您本人可见。"))
            return redirect("annual:assessment_detail", pk=saved.pk)
    return render(request, "annual/assessment_form.html", {
        "form": form, "year": year, "assessment": current, "person": person,
        "page_title": _("%(y)d 年度五型五力自评") % {"y": year},
        "breadcrumbs": _leadership_crumbs((_("%(y)d 年度自评") % {"y": year}, None))})


@object_permission(LeaderAssessment, "view")
def assessment_detail(request, pk: int):
    a = checked_object(request)
    user = request.user
    return render(request, "annual/assessment_detail.html", {
        "a": a, "rows": a.item_rows(), "own": a.person_id == getattr(user, "person_id", None),
        "can_change": can(user, "change", a), "can_review": can(user, "review", a),
        "page_title": _("%(p)s %(y)d 年度五型五力自评") % {"p": a.person.name, "y": a.year},
        "breadcrumbs": _leadership_crumbs((f"{a.person.name} {a.year}", None))})


@object_permission(LeaderAssessment, "review")
def assessment_review(request, pk: int):
    """The party office records the party group's review (grade and comment) or returns the assessment with the
    reason; a review crossing another (two party-office users) is caught by the version."""
    from django.contrib import messages

    a = checked_object(request)
    form = LeaderReviewForm(request.POST or None, initial={"loaded_version": a.version})
    if request.method == "POST" and form.is_valid():
        decision = form.cleaned_data["decision"]
        try:
            leader_assessment_review(actor=request.user, assessment=a, decision=decision,
                                     grade=form.cleaned_data.get("grade") or "",
                                     comment=form.cleaned_data.get("comment") or "",
                                     expected_version=form.cleaned_data.get("loaded_version"))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已评议。") if decision == "review" else _("已退回本人修改。"))
            return redirect(reverse("annual:leadership_list") + f"?year={a.year}")
    return render(request, "annual/assessment_review.html", {
        "a": a, "rows": a.item_rows(), "form": form,
        "page_title": _("评议：%(p)s %(y)d 年度五型五力自评") % {"p": a.person.name, "y": a.year},
        "breadcrumbs": _leadership_crumbs((f"{a.person.name} {a.year}", reverse("annual:assessment_detail", args=[a.pk])),
                                          (_("评议"), None))})


@permission_required("annual.view_leadershipstudy")
def study_list(request):
    """The leadership team's education summaries, year by year; the party office writes a year's."""
    user = request.user
    studies = list(LeadershipStudy.objects.visible_to(user).filter(court=user.court)
                   .annotate(files=Count("attachments")).order_by("-year"))
    written = {s.year for s in studies}
    may_write = allowed(user, "annual.add_leadershipstudy")
    if may_write and request.GET.get("write", "").isdigit():  # the "write a year's summary" picker
        return redirect("annual:study_edit", year=int(request.GET["write"]))
    return render(request, "annual/study_list.html", {
        "studies": studies, "can_write": may_write,
        "years_open": [y for y in _years() if y not in written] if may_write else [],
        "page_title": _("领导班子学习教育总结"),
        "breadcrumbs": _leadership_crumbs((_("领导班子学习教育总结"), None))})


@permission_required("annual.add_leadershipstudy")
def study_edit(request, year: int):
    from django.contrib import messages

    user = request.user
    if not FIRST_YEAR <= year <= timezone.localdate().year:
        messages.warning(request, _("不能填写 %(y)d 年度的学习教育总结。") % {"y": year})
        return redirect("annual:study_list")
    current = LeadershipStudy.objects.filter(court=user.court, year=year).first()
    initial = ({"sessions": current.sessions, "hours": current.hours, "topics": current.topics,
                "summary": current.summary, "loaded_version": current.version} if current else {"loaded_version": 0})
    form = LeadershipStudyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            study = leadership_study_save(actor=user, court=user.court, year=year, sessions=d["sessions"],
                                          topics=d["topics"], hours=d["hours"], summary=d["summary"],
                                          expected_version=d.get("loaded_version"))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect("annual:study_detail", pk=study.pk)
    crumbs = [(_("领导班子学习教育总结"), reverse("annual:study_list")), (_("%(y)d 年度") % {"y": year}, None)]
    return render(request, "annual/study_form.html", {
        "form": form, "year": year, "study": current,
        "page_title": _("%(y)d 年度领导班子学习教育总结") % {"y": year}, "breadcrumbs": _leadership_crumbs(*crumbs)})


@object_permission(LeadershipStudy, "view", post="change")
def study_detail(request, pk: int):
    """A year's education summary with its attachments; the party office uploads more here."""
    from django.contrib import messages

    study = checked_object(request)
    user = request.user
    form = StudyAttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            leadership_study_attach(actor=user, study=study, upload=form.cleaned_data["file"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已上传。"))
            return redirect("annual:study_detail", pk=study.pk)
    crumbs = [(_("领导班子学习教育总结"), reverse("annual:study_list")), (_("%(y)d 年度") % {"y": study.year}, None)]
    return render(request, "annual/study_detail.html", {
        "study": study, "attachments": list(study.attachments.order_by("pk")), "form": form,
        "can_change": can(user, "change", study),
        "page_title": _("%(y)d 年度领导班子学习教育总结") % {"y": study.year}, "breadcrumbs": _leadership_crumbs(*crumbs)})


@object_permission(LeadershipStudy, "view")
def study_file(request, pk: int, study_file_id: int):
    from tianping.core.scope import get_visible_or_404
    from tianping.core.uploads import upload_response

    study = checked_object(request)
    att = get_visible_or_404(LeadershipStudyAttachment.objects.filter(study=study), request.user, pk=study_file_id)
    return upload_response(att.file, as_attachment=True, filename=att.name, content_type=att.content_type)


# --- staff placement ------------------------------------------------------------------------------------------
@permission_required("annual.view_placement")
def placement(request):
    """人员配置: the recruits of the year and the two before it by first department (the tribunals against the
    rest), and the party members by department type on the year's last day (today in the current year); every
    count links to the people behind it."""
    from datetime import date

    from tianping.annual.placement import members_by_department_type, recruit_placement

    today = timezone.localdate()
    year = _year(request)
    court = request.user.court
    day = today if year == today.year else date(year, 12, 31)
    return render(request, "annual/placement.html", {
        "year": year, "years": _years(), "recruits": recruit_placement(court, year),
        "members": members_by_department_type(court, day), "first_year": year - 2,
        "page_title": _("人员配置"), "breadcrumbs": [(_("人员配置"), None)]})
