"""The annual party-building report page, its downloads and its text template."""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tianping.annual import selectors as sel
from tianping.annual.forms import ReportTemplateForm
from tianping.annual.models import ReportTemplate
from tianping.annual.services import report_template_save
from tianping.core.actions import add_service_errors
from tianping.core.audit import audit_record
from tianping.core.policy import can, permission_required

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
