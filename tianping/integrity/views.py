"""Pages of the integrity desk: the letter desk and its figures, the letters, their templates, the six
mechanisms register, family integrity and the 三个规定 records and reports. Every page declares its permission;
views validate input and call the services."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tianping.core.actions import add_service_errors, create_once
from tianping.core.policy import allowed, can, object_permission, permission_required, require
from tianping.core.scope import get_visible_or_404
from tianping.core.uploads import upload_response
from tianping.core.views import FilteredListView
from tianping.integrity import forms as f
from tianping.integrity import letters, selectors, services
from tianping.integrity.choices import Mechanism
from tianping.integrity.filtersets import (
    FamilyActivityFilterSet,
    FamilyAwardFilterSet,
    FamilyContactFilterSet,
    FamilyPledgeFilterSet,
    InterferenceFilterSet,
    JudgeLetterFilterSet,
    MeasureFilterSet,
    MonthlyReportFilterSet,
)
from tianping.integrity.models import (
    FamilyActivity,
    FamilyAward,
    FamilyContact,
    FamilyPledge,
    InterferenceRecord,
    JudgeLetter,
    LetterTemplate,
    Measure,
    MeasureAttachment,
    MonthlyReport,
)
from tianping.integrity.tables import (
    FamilyActivityTable,
    FamilyAwardTable,
    FamilyContactTable,
    FamilyPledgeTable,
    InterferenceTable,
    JudgeLetterTable,
    MeasureTable,
    MonthlyReportTable,
)


def _year(request: HttpRequest, default: int) -> int:
    try:
        year = int(request.GET.get("year") or default)
    except ValueError:
        return default
    return year if 1990 <= year <= 2999 else default


# --- the letter desk ------------------------------------------------------------------------------------
@permission_required("integrity.view_letter_figures")
def desk(request: HttpRequest) -> HttpResponse:
    """法官寄语 figures of a year: letters by month and department, the share of filed cases with a letter."""
    user: Any = request.user
    today = timezone.localdate()
    year = _year(request, today.year)
    figures = selectors.letter_figures(user.court_id, year)
    missing = selectors.cases_without_letter(user.court_id).count()
    return render(request, "integrity/desk.html", {
        "page_title": _("法官寄语"), "breadcrumbs": [(_("法官寄语"), None)], "fig": figures, "year": year,
        "years": list(range(today.year, 2013, -1)), "missing": missing,
        "can_file": allowed(user, "trials.add_case"), "can_issue": can(user, "add", JudgeLetter),
        "can_templates": can(user, "view", LetterTemplate),
        "letters_url": reverse("integrity:letter_list"),
        "template_in_force": LetterTemplate.objects.in_force(user.court_id, today)})


class JudgeLetterListView(FilteredListView):
    table_class = JudgeLetterTable
    filterset_class = JudgeLetterFilterSet
    register_kind = "judge_letters"
    page_title = gettext_lazy("已发放的法官寄语")

    def get_queryset(self) -> Any:
        return JudgeLetter.objects.visible_to(self.request.user).select_related(
            "case", "case__department", "case__judge", "template")

    def get_context_data(self, **kwargs: Any) -> Any:
        ctx = super().get_context_data(**kwargs)
        ctx["breadcrumbs"] = [(_("法官寄语"), reverse("integrity:desk")), (self.page_title, None)]
        return ctx


letter_list = permission_required("integrity.view_judgeletter")(JudgeLetterListView.as_view())


@object_permission(JudgeLetter, "view", post="change")
def letter_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    letter = get_visible_or_404(JudgeLetter.objects.select_related(
        "case", "case__court", "case__department", "case__judge", "template"), user, pk=pk)
    form = f.HandoverForm(request.POST or None, initial={"handover": letter.handover or "in_person"})
    if request.method == "POST" and form.is_valid():
        try:
            services.judge_letter_handover(letter=letter, actor=user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已记录发放方式。"))
            return redirect("integrity:letter_detail", pk=letter.pk)
    doc = letters.build(letter)
    return render(request, "integrity/letter_detail.html", {
        "letter": letter, "doc": doc, "form": form, "can_change": can(user, "change", letter),
        "page_title": _("法官寄语 %(n)s") % {"n": letter.case.number},
        "breadcrumbs": [(_("法官寄语"), reverse("integrity:desk")), (_("已发放的法官寄语"), reverse("integrity:letter_list")),
                        (letter.case.number, None)]})


@object_permission(JudgeLetter, "change")
def letter_print(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The letter as PDF or .docx; each download counts as a print (a reprint after the first)."""
    user: Any = request.user
    if fmt not in ("pdf", "docx"):
        raise Http404
    letter = get_visible_or_404(JudgeLetter.objects.select_related(
        "case", "case__court", "case__department", "case__judge", "template"), user, pk=pk)
    doc = letters.build(letter)
    data = letters.render_pdf(doc) if fmt == "pdf" else letters.render_docx(doc)
    services.judge_letter_printed(letter=letter, actor=user, fmt=fmt)
    ctype = "application/pdf" if fmt == "pdf" else \
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    from urllib.parse import quote

    response = HttpResponse(data, content_type=ctype)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(doc.filename)}.{fmt}"
    return response


@permission_required("integrity.view_judgeletter", post="integrity.add_judgeletter")
def letters_missing(request: HttpRequest) -> HttpResponse:
    """Cases filed without a letter (the filing desk's to-do); POST issues those a template covers."""
    user: Any = request.user
    if request.method == "POST":
        n = services.letters_issue_missing(court=user.court, actor=user)
        messages.success(request, _("已补发法官寄语 %(n)d 份。") % {"n": n})
        return redirect("integrity:letters_missing")
    qs = selectors.cases_without_letter(user.court_id).select_related("department", "judge").order_by("-filed_on")
    return render(request, "integrity/letters_missing.html", {
        "cases": qs[:200], "count": qs.count(), "can_issue": can(user, "add", JudgeLetter),
        "first_day": selectors.first_template_day(user.court_id), "page_title": _("未发法官寄语的案件"),
        "breadcrumbs": [(_("法官寄语"), reverse("integrity:desk")), (_("未发法官寄语的案件"), None)]})


# --- templates -------------------------------------------------------------------------------------------
@permission_required("integrity.view_lettertemplate")
def template_list(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    from django.db.models import Count

    templates = LetterTemplate.objects.visible_to(user).filter(court_id=user.court_id).annotate(n=Count("letters"))
    return render(request, "integrity/template_list.html", {
        "templates": templates, "can_add": can(user, "add", LetterTemplate), "page_title": _("法官寄语模板"),
        "breadcrumbs": [(_("法官寄语"), reverse("integrity:desk")), (_("法官寄语模板"), None)]})


def _template_form(request: HttpRequest, template: LetterTemplate, title: str) -> HttpResponse:
    user: Any = request.user
    form = f.LetterTemplateForm(request.POST or None, instance=template)
    if request.method == "POST" and form.is_valid():
        try:
            services.letter_template_save(actor=user, template=form.instance)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("模板已保存。"))
            return redirect("integrity:template_list")
    return render(request, "integrity/form.html", {
        "form": form, "page_title": title, "back": reverse("integrity:template_list"),
        "help": _("可用占位符：{法院} {案号} {立案日期} {承办部门} {承办人} {投诉电话}。已发放过寄语的版本不能修改，"
                  "请新建版本。"),
        "breadcrumbs": [(_("法官寄语模板"), reverse("integrity:template_list")), (title, None)]})


@permission_required("integrity.add_lettertemplate")
def template_create(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    latest = LetterTemplate.objects.filter(court_id=user.court_id).order_by("-effective_from").first()
    template = LetterTemplate(court_id=user.court_id)
    if latest is not None and request.method != "POST":
        template.title, template.body, template.complaint_phone = latest.title, latest.body, latest.complaint_phone
    return _template_form(request, template, _("新建模板版本"))


@object_permission(LetterTemplate, "change")
def template_edit(request: HttpRequest, pk: int) -> HttpResponse:
    template = get_visible_or_404(LetterTemplate.objects.all(), request.user, pk=pk)
    return _template_form(request, template, _("修改模板第 %(v)d 版") % {"v": template.version})


# --- the six mechanisms ------------------------------------------------------------------------------------
class MeasureListView(FilteredListView):
    table_class = MeasureTable
    filterset_class = MeasureFilterSet
    page_title = gettext_lazy("六项机制")
    template_name = "integrity/measure_list.html"

    def get_queryset(self) -> Any:
        return Measure.objects.visible_to(self.request.user).select_related("department", "branch")

    def get_context_data(self, **kwargs: Any) -> Any:
        ctx = super().get_context_data(**kwargs)
        user: Any = self.request.user
        if can(user, "add", Measure):
            ctx["create_url_name"] = "integrity:measure_create"
        table = ctx.get("table")
        if table is not None:  # the discipline entries on this page are read: audited
            services.discipline_read_audit(actor=user, measures=[r.record for r in table.page.object_list]
                                           if hasattr(table, "page") else [], where=self.request.get_full_path())
        year = timezone.localdate().year
        from django.db.models import Count

        counts = dict(self.get_queryset().filter(start_on__year=year).values_list("mechanism").order_by()
                      .annotate(n=Count("id")).values_list("mechanism", "n"))
        ctx["mechanisms"] = [(k, label, counts.get(k, 0)) for k, label in Mechanism.choices
                             if k != Mechanism.DISCIPLINE or allowed(user, "integrity.add_discipline_measure")]
        ctx["year"] = year
        from tianping.partylife.models import Meeting

        ctx["can_lectures"] = allowed(user, "partylife.view_lectures")
        ctx["lectures"] = Meeting.objects.filter(court_id=user.court_id, meeting_type__is_lecture=True,
                                                 date__year=year).count()
        return ctx


measure_list = permission_required("integrity.view_measure")(MeasureListView.as_view())


@permission_required("integrity.add_measure")
def measure_create(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    discipline = allowed(user, "integrity.add_discipline_measure")
    form = f.MeasureForm(request.POST or None, court=user.court, discipline=discipline,
                         instance=Measure(court_id=user.court_id))
    if request.method == "POST" and form.is_valid():
        try:
            done = create_once(request, form, lambda: services.measure_save(actor=user, measure=form.instance),
                               lambda m: reverse("integrity:measure_detail", args=[m.pk]))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if done is not None:
                return done
    return render(request, "integrity/form.html", {
        "form": form, "page_title": _("登记措施"), "back": reverse("integrity:measure_list"),
        "breadcrumbs": [(_("六项机制"), reverse("integrity:measure_list")), (_("登记措施"), None)]})


@object_permission(Measure, "view", post="change")
def measure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    measure = get_visible_or_404(Measure.objects.select_related("department", "branch", "lecture"), user, pk=pk)
    services.discipline_read_audit(actor=user, measures=[measure], where=request.path)
    form = f.AttachmentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                services.measure_attach(actor=user, measure=measure, upload=form.cleaned_data["file"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已上传。"))
            return redirect("integrity:measure_detail", pk=measure.pk)
    return render(request, "integrity/measure_detail.html", {
        "m": measure, "attachments": list(measure.attachments.all()), "form": form,
        "can_change": can(user, "change", measure), "page_title": measure.title,
        "breadcrumbs": [(_("六项机制"), reverse("integrity:measure_list")), (measure.title, None)]})


@object_permission(Measure, "change")
def measure_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user: Any = request.user
    measure = get_visible_or_404(Measure.objects.all(), user, pk=pk)
    form = f.MeasureForm(request.POST or None, instance=measure, court=user.court,
                         discipline=allowed(user, "integrity.add_discipline_measure"))
    if request.method == "POST" and form.is_valid():
        try:
            services.measure_save(actor=user, measure=form.instance)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return redirect("integrity:measure_detail", pk=measure.pk)
    return render(request, "integrity/form.html", {
        "form": form, "page_title": _("修改措施"), "back": reverse("integrity:measure_detail", args=[measure.pk]),
        "breadcrumbs": [(_("六项机制"), reverse("integrity:measure_list")), (measure.title, None)]})


@object_permission(Measure, "view")
def measure_file(request: HttpRequest, pk: int, file_id: int) -> Any:
    user: Any = request.user
    measure = get_visible_or_404(Measure.objects.all(), user, pk=pk)
    att = get_visible_or_404(MeasureAttachment.objects.filter(measure=measure), user, pk=file_id)
    services.discipline_read_audit(actor=user, measures=[measure], where=request.path)
    return upload_response(att.file, as_attachment=True, filename=att.name, content_type=att.content_type)


@object_permission(FamilyPledge, "view")
def pledge_scan(request: HttpRequest, pk: int) -> Any:
    """The signed pledge's scan (content checked on upload)."""
    pledge = get_visible_or_404(FamilyPledge.objects.all(), request.user, pk=pk)
    if not pledge.scan:
        raise Http404
    return upload_response(pledge.scan, as_attachment=True,
                           filename=f"承诺书-{pledge.year}-{pledge.person_id}.{pledge.scan.name.rsplit('.', 1)[-1]}")


# --- family integrity ---------------------------------------------------------------------------------------
class _SimpleList(FilteredListView):
    model: Any = None
    create_perm = ""
    create_name = ""
    section = gettext_lazy("家庭助廉")
    section_url = "integrity:family"

    def get_queryset(self) -> Any:
        return self.model.objects.visible_to(self.request.user)

    def get_context_data(self, **kwargs: Any) -> Any:
        ctx = super().get_context_data(**kwargs)
        if self.create_name and can(self.request.user, "add", self.model):
            ctx["create_url_name"] = self.create_name
        ctx["breadcrumbs"] = [(self.section, reverse(self.section_url)), (self.page_title, None)]
        return ctx


class FamilyContactListView(_SimpleList):
    model, table_class, filterset_class = FamilyContact, FamilyContactTable, FamilyContactFilterSet
    page_title = gettext_lazy("家属联系人")
    create_name = "integrity:contact_create"

    def get_queryset(self) -> Any:
        return super().get_queryset().select_related("person")


class FamilyPledgeListView(_SimpleList):
    model, table_class, filterset_class = FamilyPledge, FamilyPledgeTable, FamilyPledgeFilterSet
    page_title = gettext_lazy("家庭助廉承诺书")
    create_name = "integrity:pledge_create"
    register_kind = "family_pledges"
    import_kind = "family_pledges"

    def get_queryset(self) -> Any:
        return super().get_queryset().select_related("person")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.GET.get("export") == "xlsx":
            require(request.user, "export", FamilyPledge)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> Any:
        ctx = super().get_context_data(**kwargs)
        user: Any = self.request.user
        if not can(user, "import", FamilyPledge):
            ctx["import_kind"] = None
        ctx["can_export"] = can(user, "export", FamilyPledge)
        return ctx


class FamilyActivityListView(_SimpleList):
    model, table_class, filterset_class = FamilyActivity, FamilyActivityTable, FamilyActivityFilterSet
    page_title = gettext_lazy("家属走进法院与座谈")
    create_name = "integrity:activity_create"


class FamilyAwardListView(_SimpleList):
    model, table_class, filterset_class = FamilyAward, FamilyAwardTable, FamilyAwardFilterSet
    page_title = gettext_lazy("廉内助、廉洁家庭")
    create_name = "integrity:award_create"

    def get_queryset(self) -> Any:
        return super().get_queryset().select_related("person")


contact_list = permission_required("integrity.view_familycontact")(FamilyContactListView.as_view())
pledge_list = permission_required("integrity.view_familypledge")(FamilyPledgeListView.as_view())
activity_list = permission_required("integrity.view_familyactivity")(FamilyActivityListView.as_view())
award_list = permission_required("integrity.view_familyaward")(FamilyAwardListView.as_view())


@permission_required("integrity.view_family")
def family(request: HttpRequest) -> HttpResponse:
    """Family integrity at a glance: this year's pledges with the unsigned list, activities and awards."""
    user: Any = request.user
    today = timezone.localdate()
    year = _year(request, today.year)
    pledges = FamilyPledge.objects.visible_to(user).filter(year=year)
    unsigned = None
    if can(user, "add", FamilyPledge):
        from tianping.org.models import Person

        unsigned = list(Person.objects.filter(court_id=user.court_id, left_on__isnull=True)
                        .exclude(pk__in=FamilyPledge.objects.filter(court_id=user.court_id, year=year)
                                 .values("person_id")).select_related("department")
                        .order_by("department__sort_order", "name"))
    activities = FamilyActivity.objects.visible_to(user).filter(held_on__year=year)
    from django.db.models import Count

    return render(request, "integrity/family.html", {
        "year": year, "years": list(range(today.year, 2013, -1)), "pledged": pledges.count(), "unsigned": unsigned,
        "activity_counts": list(activities.values("kind").order_by("kind").annotate(n=Count("id"))),
        "awards": FamilyAward.objects.visible_to(user).filter(year=year).select_related("person"),
        "contacts": FamilyContact.objects.visible_to(user).count(),
        "page_title": _("家庭助廉"), "breadcrumbs": [(_("家庭助廉"), None)]})


def _create(request: HttpRequest, form_class: Any, model: Any, save: Any, back: str, title: str,
            **form_kwargs: Any) -> HttpResponse:
    user: Any = request.user
    form = form_class(request.POST or None, request.FILES or None, instance=model(court_id=user.court_id),
                      **form_kwargs)
    if request.method == "POST" and form.is_valid():
        try:
            done = create_once(request, form, lambda: save(user, form), lambda _obj: back)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if done is not None:
                return done
    return render(request, "integrity/form.html", {"form": form, "page_title": title, "back": back,
                                                   "breadcrumbs": [(title, None)]})


@permission_required("integrity.add_familycontact")
def contact_create(request: HttpRequest) -> HttpResponse:
    return _create(request, f.FamilyContactForm, FamilyContact,
                   lambda u, form: services.family_contact_save(actor=u, contact=form.instance),
                   reverse("integrity:contact_list"), _("登记家属联系人"), court=request.user.court)  # type: ignore[union-attr]


@permission_required("integrity.add_familypledge")
def pledge_create(request: HttpRequest) -> HttpResponse:
    return _create(request, f.FamilyPledgeForm, FamilyPledge,
                   lambda u, form: services.family_pledge_save(actor=u, pledge=form.instance),
                   reverse("integrity:pledge_list"), _("登记承诺书"), court=request.user.court)  # type: ignore[union-attr]


@permission_required("integrity.add_familyactivity")
def activity_create(request: HttpRequest) -> HttpResponse:
    return _create(request, f.FamilyActivityForm, FamilyActivity,
                   lambda u, form: services.family_activity_save(actor=u, activity=form.instance,
                                                                 people=form.cleaned_data["people"]),
                   reverse("integrity:activity_list"), _("登记家庭助廉活动"), court=request.user.court)  # type: ignore[union-attr]


@permission_required("integrity.add_familyaward")
def award_create(request: HttpRequest) -> HttpResponse:
    return _create(request, f.FamilyAwardForm, FamilyAward,
                   lambda u, form: services.family_award_save(actor=u, award=form.instance),
                   reverse("integrity:award_list"), _("登记廉内助、廉洁家庭"), court=request.user.court)  # type: ignore[union-attr]


# --- 三个规定 -------------------------------------------------------------------------------------------------------
class InterferenceListView(_SimpleList):
    model, table_class, filterset_class = InterferenceRecord, InterferenceTable, InterferenceFilterSet
    page_title = gettext_lazy("三个规定记录")
    create_name = "integrity:record_create"
    register_kind = "interference_records"
    section = gettext_lazy("三个规定")
    section_url = "integrity:reports"

    def get_queryset(self) -> Any:
        return super().get_queryset().select_related("recorder")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.GET.get("export") == "xlsx":
            require(request.user, "export", InterferenceRecord)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> Any:
        ctx = super().get_context_data(**kwargs)
        if can(self.request.user, "import", InterferenceRecord):
            ctx["import_kind"] = "interference_records"
        return ctx


record_list = permission_required("integrity.view_interferencerecord")(InterferenceListView.as_view())


@permission_required("integrity.add_interferencerecord")
def record_create(request: HttpRequest) -> HttpResponse:
    user: Any = request.user

    def save(u: Any, form: Any) -> Any:
        form.instance.recorder_id = u.person_id
        return services.interference_record_create(actor=u, record=form.instance)

    return _create(request, f.InterferenceForm, InterferenceRecord, save, reverse("integrity:record_list"),
                   _("登记过问、干预或接触")) if user.person_id else redirect("integrity:reports")


@permission_required("integrity.view_monthlyreport", post="integrity.add_monthlyreport")
def reports(request: HttpRequest) -> HttpResponse:
    """The monthly reports: one's own (and the form to file one); the discipline role reads all."""
    user: Any = request.user
    form = f.MonthlyReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        from tianping.org.models import Person

        try:
            services.monthly_report_file(actor=user, person=Person.objects.get(pk=user.person_id),
                                         month=form.cleaned_data["month"], note=form.cleaned_data["note"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已报告。"))
            return redirect("integrity:reports")
    qs = MonthlyReport.objects.visible_to(user).select_related("person")
    filterset = MonthlyReportFilterSet(request.GET or None, queryset=qs)
    import django_tables2 as tables

    table = MonthlyReportTable(filterset.qs if filterset.is_bound and filterset.is_valid() else qs)
    tables.RequestConfig(request, paginate={"per_page": 25}).configure(table)
    return render(request, "integrity/reports.html", {
        "form": form, "table": table, "filter": filterset,
        "can_figures": allowed(user, "integrity.view_report_figures"),
        "can_file": can(user, "add", MonthlyReport),
        "page_title": _("三个规定月报"), "breadcrumbs": [(_("三个规定"), None)]})


@permission_required("integrity.view_report_figures")
def report_figures(request: HttpRequest) -> HttpResponse:
    """Figures per month: records by kind, zero reports, late and missing reports; the missing list of a month."""
    user: Any = request.user
    today = timezone.localdate()
    year = _year(request, today.year)
    last = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    try:
        y, m = (request.GET.get("month") or f"{last:%Y-%m}").split("-")
        month = date(int(y), int(m), 1)
    except ValueError:
        month = last
    return render(request, "integrity/report_figures.html", {
        "year": year, "years": list(range(today.year, 2013, -1)),
        "rows": selectors.report_figures(user.court_id, year, today), "month": month,
        "missing": list(selectors.missing_reports(user.court_id, month).select_related("department")),
        "late": list(selectors.late_reports(user.court_id, month).select_related("person")),
        "page_title": _("三个规定统计"),
        "breadcrumbs": [(_("三个规定"), reverse("integrity:reports")), (_("三个规定统计"), None)]})
