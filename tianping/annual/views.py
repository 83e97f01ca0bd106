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


def _year(request) -> int:
    """?year=YYYY, or the last complete year; a bad value gives the default and a message (never a 500)."""
    default = sel.default_year(timezone.localdate())
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
