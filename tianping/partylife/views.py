"""Pages of organisational life: meetings, attendance and QR sign-in, compliance matrix, lecture hall,
study hours, calendar and the .ics feed."""

from __future__ import annotations

import calendar as pycalendar
from collections import defaultdict
from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tianping.core.middleware import public
from tianping.core.scope import get_visible_or_404, has_role
from tianping.core.views import FilteredListView
from tianping.partylife import services
from tianping.partylife.choices import ATTENDED, AttendanceStatus, ComplianceStatus, Frequency, MeetingStatus
from tianping.partylife.compliance import court_matrix, parse_period, periods_of_year, roll_up
from tianping.partylife.filtersets import MeetingFilterSet
from tianping.partylife.forms import AttachmentForm, CampaignForm, MeetingForm, TaskForm
from tianping.partylife.models import (
    Attachment,
    CalendarFeed,
    Campaign,
    DutyRule,
    FollowUpTask,
    Meeting,
    MeetingType,
)
from tianping.partylife.scope import (
    can_manage_meeting,
    managed_org_ids,
    manages_whole_court,
    reads_whole_court,
)
from tianping.partylife.tables import MeetingTable

CRUMB = gettext_lazy("组织生活")


def _crumbs(*items):
    return [(_("会议活动"), reverse("partylife:meeting_list")), *items]


def _managed_orgs(user):
    from tianping.party.models import PartyOrganisation

    return PartyOrganisation.objects.filter(pk__in=managed_org_ids(user), active=True).order_by("sort_order", "name")


def _get_meeting(request, pk: int, *, manage: bool = False) -> Meeting:
    meeting = get_visible_or_404(Meeting.objects.select_related("meeting_type", "organisation", "host", "campaign"),
                                 request.user, pk=pk)
    if manage and not can_manage_meeting(request.user, meeting):
        raise PermissionDenied
    return meeting


def _int(value, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


# --- meetings ---------------------------------------------------------------------------------------------
def _attendance_count(**filters):
    from django.db.models import IntegerField, OuterRef, Subquery, Value
    from django.db.models.functions import Coalesce

    from tianping.partylife.models import Attendance

    rows = (Attendance.objects.filter(meeting=OuterRef("pk"), expected=True, **filters).order_by()
            .values("meeting").annotate(n=Count("pk")).values("n")[:1])
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


class MeetingListView(FilteredListView):
    table_class = MeetingTable
    filterset_class = MeetingFilterSet
    register_kind = "meetings"
    page_title = gettext_lazy("会议活动")

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["user"] = self.request.user
        return kwargs

    def get_queryset(self):
        # Correlated subqueries rather than JOIN + GROUP BY: the database counts attendees only for the 25
        # rows of the page, not for every meeting of the court (120k attendance rows in the benchmark).
        return (Meeting.objects.visible_to(self.request.user)
                .select_related("meeting_type", "organisation", "host", "campaign")
                .annotate(expected_n=_attendance_count(), attended_n=_attendance_count(status__in=ATTENDED))
                .order_by("-date", "-start_time"))

    def export_response(self, queryset):
        # the export lists attendees and speakers of every meeting: fetch them in bulk, not per row
        return super().export_response(queryset.prefetch_related("attendances__person", "speakers__person"))

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if managed_org_ids(self.request.user):
            ctx["create_url_name"] = "partylife:meeting_create"
            ctx["import_kind"] = "meetings"
        return ctx


def meeting_detail(request, pk: int):
    meeting = _get_meeting(request, pk)
    manage = can_manage_meeting(request.user, meeting)
    rows = list(meeting.attendances.select_related("person").order_by("-expected", "person__name"))
    if not manage and not reads_whole_court(request.user):
        rows = [r for r in rows if r.person_id == request.user.person_id]
    counts = defaultdict(int)
    for r in meeting.attendances.filter(expected=True).values_list("status", flat=True):
        counts[r] += 1
    expected_n = sum(counts.values())
    ctx = {
        "meeting": meeting, "manage": manage, "rows": rows, "counts": dict(counts), "expected_n": expected_n,
        "attended_n": counts[AttendanceStatus.PRESENT] + counts[AttendanceStatus.LATE],
        "quorum": meeting.quorum() if meeting.meeting_type.votes else None,
        "speakers": meeting.speakers.select_related("person"),
        "tasks": meeting.tasks.select_related("owner"), "attachments": meeting.attachments.all(),
        "statuses": AttendanceStatus.choices, "task_form": TaskForm(court=meeting.court),
        "attachment_form": AttachmentForm(), "today": timezone.localdate(),
        "page_title": str(meeting), "breadcrumbs": _crumbs((str(meeting), None)),
    }
    return render(request, "partylife/meeting_detail.html", ctx)


def _meeting_form_page(request, form, title, meeting=None):
    return render(request, "partylife/meeting_form.html", {
        "form": form, "meeting": meeting, "page_title": title, "breadcrumbs": _crumbs((title, None))})


def meeting_create(request):
    orgs = _managed_orgs(request.user)
    if not orgs.exists():
        raise PermissionDenied
    court = request.user.court
    initial = {"date": request.GET.get("date") or timezone.localdate(), "start_time": "15:00", "end_time": "16:30"}
    if request.GET.get("organisation"):
        initial["organisation"] = request.GET["organisation"]
    if request.GET.get("type"):
        initial["meeting_type"] = MeetingType.objects.filter(code=request.GET["type"]).values_list(
            "pk", flat=True).first()
    form = MeetingForm(request.POST or None, court=court, organisations=orgs, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(actor=request.user, court=court, data=form.meeting_data(),
                                              speakers=form.speakers())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("会议已保存，应到人员已按当日名册生成。请登记出勤。"))
            return redirect("partylife:meeting_detail", pk=meeting.pk)
    return _meeting_form_page(request, form, _("新增会议活动"))


def meeting_edit(request, pk: int):
    meeting = _get_meeting(request, pk, manage=True)
    form = MeetingForm(request.POST or None, instance=meeting, court=meeting.court,
                       organisations=_managed_orgs(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            fresh = Meeting.objects.get(pk=pk)
            services.meeting_update(actor=request.user, meeting=fresh, data=form.meeting_data(),
                                    expected_version=form.cleaned_data.get("loaded_version"))
            services.speakers_set(actor=request.user, meeting=fresh, speakers=form.speakers())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("会议已更新。"))
            return redirect("partylife:meeting_detail", pk=pk)
    return _meeting_form_page(request, form, _("编辑会议活动"), meeting)


@require_POST
def meeting_delete(request, pk: int):
    meeting = _get_meeting(request, pk, manage=True)
    try:
        services.meeting_delete(actor=request.user, meeting=meeting)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("partylife:meeting_detail", pk=pk)
    messages.success(request, _("会议已删除。"))
    return redirect("partylife:meeting_list")


@require_POST
def attendance_save(request, pk: int):
    """The secretary's attendance sheet: one status (and leave reason) per person, plus an optional guest."""
    from tianping.org.models import Person

    meeting = _get_meeting(request, pk, manage=True)
    entries = []
    people = {a.person_id: a.person for a in meeting.attendances.select_related("person")}
    for person_id, person in people.items():
        status = request.POST.get(f"status_{person_id}")
        if status is None:
            continue
        entries.append({"person": person, "status": status, "reason": request.POST.get(f"reason_{person_id}", "")})
    guest_id = request.POST.get("guest")
    if guest_id:
        guest = Person.objects.filter(court=meeting.court, pk=_int(guest_id, 0)).first()
        if guest is None:
            messages.error(request, _("列席人员不在本院名册中。"))
            return redirect("partylife:meeting_detail", pk=pk)
        if guest.pk not in people:
            entries.append({"person": guest, "status": AttendanceStatus.PRESENT, "reason": ""})
    try:
        n = services.attendance_record(actor=request.user, meeting=meeting, entries=entries)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("出勤已保存（变更 %(n)d 人）。") % {"n": n})
    return redirect(reverse("partylife:meeting_detail", args=[pk]) + "#attendance")


@require_POST
def meeting_refresh(request, pk: int):
    meeting = _get_meeting(request, pk, manage=True)
    result = services.meeting_refresh_expected(meeting=meeting, actor=request.user)
    messages.info(request, _("已按会议当日名册更新应到人员：新增 %(a)d 人，移除 %(r)d 人。") % {
        "a": result["added"], "r": result["removed"]})
    return redirect("partylife:meeting_detail", pk=pk)


@require_POST
def task_add(request, pk: int):
    meeting = _get_meeting(request, pk, manage=True)
    form = TaskForm(request.POST, court=meeting.court)
    if form.is_valid():
        try:
            services.task_add(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("跟进任务已添加。"))
    else:
        messages.error(request, _("跟进任务未保存：") + " ".join(
            f"{form.fields[k].label}：{' '.join(v)}" for k, v in form.errors.items()))
    return redirect(reverse("partylife:meeting_detail", args=[pk]) + "#tasks")


@require_POST
def task_toggle(request, pk: int, task_id: int):
    meeting = _get_meeting(request, pk)
    task = get_object_or_404(FollowUpTask, pk=task_id, meeting=meeting)
    if not (can_manage_meeting(request.user, meeting) or task.owner_id == request.user.person_id):
        raise PermissionDenied
    services.task_set_done(actor=request.user, task=task, done_on=None if task.done_on else timezone.localdate())
    return redirect(reverse("partylife:meeting_detail", args=[pk]) + "#tasks")


@require_POST
def attachment_add(request, pk: int):
    meeting = _get_meeting(request, pk, manage=True)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(actor=request.user, meeting=meeting, upload=form.cleaned_data["file"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("附件已上传。"))
    else:
        messages.error(request, _("请选择要上传的文件。"))
    return redirect(reverse("partylife:meeting_detail", args=[pk]) + "#attachments")


def attachment_download(request, pk: int, att_id: int):
    meeting = _get_meeting(request, pk)
    att = get_object_or_404(Attachment, pk=att_id, meeting=meeting)
    response = FileResponse(att.file.open("rb"), content_type=att.content_type,
                            as_attachment=not att.is_image and att.content_type != "application/pdf",
                            filename=att.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
def attachment_delete(request, pk: int, att_id: int):
    meeting = _get_meeting(request, pk, manage=True)
    att = get_object_or_404(Attachment, pk=att_id, meeting=meeting)
    services.attachment_delete(actor=request.user, attachment=att)
    messages.success(request, _("附件已删除。"))
    return redirect(reverse("partylife:meeting_detail", args=[pk]) + "#attachments")


# --- QR sign-in -------------------------------------------------------------------------------------------
def _qr_svg(url: str) -> str:
    import segno

    return segno.make(url, error="m").svg_inline(scale=8, border=2, dark="#000", light="#fff")


def meeting_qr(request, pk: int):
    """The host's screen: a QR code of the signed sign-in URL (rendered here as inline SVG)."""
    meeting = _get_meeting(request, pk, manage=True)
    if request.method == "POST":
        services.signin_code_regenerate(actor=request.user, meeting=meeting)
        messages.success(request, _("已更换签到二维码，旧二维码失效。"))
        return redirect("partylife:meeting_qr", pk=pk)
    token = services.signin_token(meeting)
    url = request.build_absolute_uri(reverse("partylife:signin", args=[token]))
    opens, closes = meeting.signin_window()
    now = timezone.now()
    return render(request, "partylife/meeting_qr.html", {
        "meeting": meeting, "svg": _qr_svg(url), "signin_url": url, "opens": opens, "closes": closes,
        "open_now": opens <= now <= closes, "signed": meeting.attendances.filter(status__in=ATTENDED).count(),
        "expected_n": meeting.attendances.filter(expected=True).count(),
        "page_title": _("扫码签到"),
        "breadcrumbs": _crumbs((str(meeting), reverse("partylife:meeting_detail", args=[pk])), (_("扫码签到"), None)),
    })


def signin(request, token: str):
    result = services.attendance_sign_in(token=token, user=request.user)
    meeting = result.attendance.meeting if result.attendance else None
    return render(request, "partylife/signin.html", {"result": result, "meeting": meeting,
                                                      "page_title": _("会议签到")},
                  status=200 if result.ok else 403)


# --- compliance matrix ------------------------------------------------------------------------------------
def _matrix_orgs(user):
    from tianping.party.models import PartyOrganisation

    qs = PartyOrganisation.objects.filter(court_id=user.court_id, active=True)
    if not reads_whole_court(user):
        qs = qs.filter(pk__in=managed_org_ids(user))
    return qs.order_by("sort_order", "name")


def _period_label(period) -> str:
    if period.frequency == Frequency.MONTH:
        return _("%(m)d月") % {"m": period.start.month}
    if period.frequency == Frequency.QUARTER:
        return _("第%(q)d季度") % {"q": (period.start.month - 1) // 3 + 1}
    return str(period.start.year)


def compliance_matrix(request):
    user = request.user
    if not (reads_whole_court(user) or managed_org_ids(user)):
        raise PermissionDenied
    today = timezone.localdate()
    year = _int(request.GET.get("year"), today.year)
    view = request.GET.get("view", Frequency.MONTH)
    if view not in Frequency.values:
        view = Frequency.MONTH
    orgs = list(_matrix_orgs(user))
    cells = court_matrix(court=user.court, year=year, today=today, organisations=orgs)
    if view != Frequency.MONTH:
        cells = roll_up(cells, view, today)
    columns = [{"period": p, "label": _period_label(p)} for p in periods_of_year(year, view)]
    by_row: dict[tuple[int, str], list] = defaultdict(list)
    for c in cells:
        by_row[(c.organisation_id, c.duty_code)].append(c)
    duties = list(DutyRule.objects.filter(active=True))
    rows = []
    for org in orgs:
        for duty in duties:
            row_cells = sorted(by_row.get((org.pk, duty.code), []), key=lambda c: c.period.start)
            if not row_cells:
                continue
            laid = []
            for c in row_cells:
                span = max(1, c.period.months // {"month": 1, "quarter": 3, "year": 12}[view]) \
                    if c.period.frequency != view else 1
                laid.append({"cell": c, "span": span})
            rows.append({"org": org, "duty": duty, "cells": laid})
    totals = defaultdict(int)
    for c in cells:
        totals[c.status] += 1
    return render(request, "partylife/compliance.html", {
        "rows": rows, "columns": columns, "year": year, "view": view, "totals": dict(totals),
        "years": list(range(today.year, 2014, -1)), "views": Frequency.choices,
        "statuses": ComplianceStatus.choices, "page_title": _("组织生活合规情况"),
        "breadcrumbs": [(_("组织生活合规情况"), None)],
    })


def compliance_cell(request):
    """The records behind one cell: meetings of that organisation and duty in that period."""
    from tianping.party.models import PartyOrganisation

    user = request.user
    org = get_object_or_404(PartyOrganisation, pk=_int(request.GET.get("org"), 0), court_id=user.court_id)
    if not reads_whole_court(user) and org.pk not in managed_org_ids(user):
        raise Http404
    duty = get_object_or_404(DutyRule, code=request.GET.get("duty", ""))
    try:
        period = parse_period(request.GET.get("period", ""))
    except ValueError as exc:
        raise Http404(str(exc)) from None
    meetings = (Meeting.objects.filter(court_id=user.court_id, organisation=org, meeting_type__duty=duty,
                                       date__gte=period.start, date__lte=period.end)
                .select_related("meeting_type", "host").order_by("date"))
    held = [m for m in meetings if m.status == MeetingStatus.HELD]
    required = duty.min_count if duty.frequency == period.frequency else None
    return render(request, "partylife/compliance_cell.html", {
        "org": org, "duty": duty, "period": period, "meetings": meetings, "held": len(held), "required": required,
        "can_create": org.pk in managed_org_ids(user),
        "type": duty.meeting_types.first(), "page_title": f"{org.name} · {duty.name} · {period.key}",
        "breadcrumbs": [(_("组织生活合规情况"), reverse("partylife:compliance") + f"?year={period.start.year}"),
                        (f"{org.name} · {duty.name} · {period.key}", None)],
    })


# --- lecture hall, study hours, attendance rates ----------------------------------------------------------
def lecture_hall(request):
    from tianping.partylife.selectors import lecture_hall as hall
    from tianping.partylife.selectors import people_in_scope

    today = timezone.localdate()
    year = _int(request.GET.get("year"), today.year)
    people = None if reads_whole_court(request.user) else people_in_scope(request.user, today)
    data = hall(court=request.user.court, year=year, today=today, people=people)
    return render(request, "partylife/lecture_hall.html", {
        **data, "year": year, "years": list(range(today.year, 2014, -1)), "page_title": _("廉政大讲堂"),
        "breadcrumbs": [(_("廉政大讲堂"), None)],
        "can_create": bool(managed_org_ids(request.user)),
    })


def study(request):
    """Study hours per member and per campaign, and each member's attendance rate (links to the records)."""
    from tianping.partylife.selectors import attendance_rates, people_in_scope, study_hours

    today = timezone.localdate()
    year = _int(request.GET.get("year"), today.year)
    people = list(people_in_scope(request.user, today).filter(
        Q(left_on__isnull=True) | Q(left_on__gte=date(year, 1, 1))).select_related("department").order_by(
        "department__sort_order", "name"))
    ids = [p.pk for p in people]
    hours = study_hours(court=request.user.court, year=year, person_ids=ids)
    include_all = request.GET.get("all") == "1"
    rates = attendance_rates(court=request.user.court, year=year, person_ids=ids, party_only=not include_all)
    campaigns = sorted({c for h in hours.values() for c in h["by_campaign"] if c})
    rows = []
    for p in people:
        h = hours.get(p.pk)
        r = rates.get(p.pk)
        if not h and not r:
            continue
        rows.append({"person": p, "hours": h["total"] if h else 0,
                     "by_campaign": [h["by_campaign"].get(c, 0) if h else 0 for c in campaigns], "rate": r})
    return render(request, "partylife/study.html", {
        "rows": rows, "campaigns": campaigns, "year": year, "years": list(range(today.year, 2014, -1)),
        "include_all": include_all,
        "page_title": _("学时与出勤"), "breadcrumbs": [(_("学时与出勤"), None)]})


def person_attendance(request, person_id: int):
    """One member's attendance records of a year (the records behind their rate)."""
    from tianping.partylife.selectors import people_in_scope

    today = timezone.localdate()
    year = _int(request.GET.get("year"), today.year)
    person = people_in_scope(request.user, today).filter(pk=person_id).first()
    if person is None:
        raise Http404
    from tianping.partylife.models import Attendance

    rows = (Attendance.objects.filter(person=person, meeting__date__year=year, meeting__status=MeetingStatus.HELD)
            .select_related("meeting", "meeting__meeting_type", "meeting__organisation").order_by("-meeting__date"))
    return render(request, "partylife/person_attendance.html", {
        "person": person, "rows": rows, "year": year, "page_title": _("%(name)s 的组织生活") % {"name": person.name},
        "breadcrumbs": [(_("学时与出勤"), reverse("partylife:study") + f"?year={year}"), (person.name, None)]})


# --- campaigns ----------------------------------------------------------------------------------------------
def campaigns(request):
    items = Campaign.objects.visible_to(request.user).annotate(n=Count("meetings")).order_by("-starts_on")
    form = None
    if manages_whole_court(request.user):
        form = CampaignForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                from tianping.core.audit import audit_record

                campaign = form.save(commit=False)
                campaign.court = request.user.court
                campaign.full_clean()
                campaign.save()
                audit_record(actor=request.user, event="partylife.campaign_created", target=campaign,
                             after={"name": campaign.name})
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                return redirect("partylife:campaigns")
    elif request.method == "POST":
        raise PermissionDenied
    return render(request, "partylife/campaigns.html", {
        "items": items, "form": form, "types": MeetingType.objects.select_related("duty"),
        "can_edit": manages_whole_court(request.user),
        "duties": DutyRule.objects.all(), "page_title": _("活动与类型设置"),
        "breadcrumbs": [(_("活动与类型设置"), None)]})


def _setting_form(request, form_class, model, pk, title):
    if not manages_whole_court(request.user):
        raise PermissionDenied
    instance = get_object_or_404(model, pk=pk) if pk else None
    fields = [f.name for f in model._meta.concrete_fields if f.name not in ("id", "created_at", "updated_at")]
    before = {f: getattr(instance, f) for f in fields} if instance else None
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            services.setting_row_save(actor=request.user, row=form.save(commit=False), fields=fields, before=before)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("设置已保存。"))
            return redirect("partylife:campaigns")
    return render(request, "partylife/setting_form.html", {
        "form": form, "page_title": title,
        "breadcrumbs": [(_("活动与类型设置"), reverse("partylife:campaigns")), (title, None)]})


def duty_edit(request, pk: int):
    from tianping.partylife.forms import DutyRuleForm

    return _setting_form(request, DutyRuleForm, DutyRule, pk, _("编辑频次要求"))


def type_edit(request, pk: int | None = None):
    from tianping.partylife.forms import MeetingTypeForm

    return _setting_form(request, MeetingTypeForm, MeetingType, pk, _("编辑会议类型") if pk else _("新增会议类型"))


# --- calendar ---------------------------------------------------------------------------------------------
def _parse_month(text: str | None, today: date) -> date:
    try:
        y, m = (text or "").split("-")
        return date(int(y), int(m), 1)
    except ValueError:
        return today.replace(day=1)


def _short_org(meeting) -> str:
    """A short organisation label for crowded calendar cells (沙沟法庭党支部 → 沙沟法庭)."""
    if meeting.organisation.kind in {"party_group", "organ_committee"}:
        return ""
    return meeting.organisation.name.removesuffix("党支部").removesuffix("党小组")


def calendar_month(request):
    from tianping.partylife.selectors import calendar_meetings

    today = timezone.localdate()
    first = _parse_month(request.GET.get("month"), today)
    weeks = pycalendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    start, end = weeks[0][0], weeks[-1][-1]
    by_day = defaultdict(list)
    for m in calendar_meetings(request.user, start, end):
        m.short_org = _short_org(m)
        by_day[m.date].append(m)
    prev_month = (first - timedelta(days=1)).replace(day=1)
    next_month = (first + timedelta(days=32)).replace(day=1)
    return render(request, "partylife/calendar_month.html", {
        "weeks": [[{"day": d, "meetings": by_day.get(d, []), "in_month": d.month == first.month} for d in w]
                  for w in weeks],
        "first": first, "prev": f"{prev_month:%Y-%m}", "next": f"{next_month:%Y-%m}", "today": today,
        "weekdays": [_("周一"), _("周二"), _("周三"), _("周四"), _("周五"), _("周六"), _("周日")],
        "page_title": _("组织生活日历"), "breadcrumbs": [(_("组织生活日历"), None)]})


def calendar_week(request):
    from tianping.partylife.selectors import calendar_meetings

    today = timezone.localdate()
    try:
        day = date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        day = today
    monday = day - timedelta(days=day.weekday())
    days = [monday + timedelta(days=i) for i in range(7)]
    by_day = defaultdict(list)
    for m in calendar_meetings(request.user, days[0], days[-1]):
        m.short_org = _short_org(m)
        by_day[m.date].append(m)
    return render(request, "partylife/calendar_week.html", {
        "days": [{"day": d, "meetings": by_day.get(d, [])} for d in days], "today": today,
        "prev": (monday - timedelta(days=7)).isoformat(), "next": (monday + timedelta(days=7)).isoformat(),
        "monday": monday, "page_title": _("组织生活日历（周）"), "breadcrumbs": [(_("组织生活日历"), None)]})


def calendar_feed_settings(request):
    regenerate = request.method == "POST"
    feed = services.calendar_feed_get(user=request.user, regenerate=regenerate)
    if regenerate:
        messages.success(request, _("已生成新的订阅地址，旧地址立即失效。"))
        return redirect("partylife:calendar_feed")
    url = request.build_absolute_uri(reverse("partylife:ics_feed", args=[feed.token]))
    return render(request, "partylife/calendar_feed.html", {
        "url": url, "page_title": _("日历订阅"), "breadcrumbs": [(_("组织生活日历"),
                                                                reverse("partylife:calendar")), (_("日历订阅"), None)]})


@public
def ics_feed(request, token: str):
    """The user's party-life calendar as iCalendar. Public URL, protected by its secret token."""
    from icalendar import Calendar, Event

    from tianping.partylife.selectors import calendar_meetings

    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        raise Http404
    user = feed.user
    today = timezone.localdate()
    cal = Calendar()
    cal.add("prodid", "-//tianping//partylife//ZH")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "组织生活")
    cal.add("x-wr-timezone", "Asia/Shanghai")
    for m in calendar_meetings(user, today - timedelta(days=180), today + timedelta(days=366)):
        ev = Event()
        ev.add("uid", f"meeting-{m.pk}@tianping")
        ev.add("summary", f"{m.meeting_type.name}：{m.topic}")
        ev.add("dtstart", timezone.localtime(m.starts_at()))
        ev.add("dtend", timezone.localtime(m.ends_at()))
        ev.add("dtstamp", timezone.now())
        if m.place:
            ev.add("location", m.place)
        ev.add("description", f"{m.organisation.name}" + (f" · 主持人：{m.host.name}" if m.host_id else ""))
        ev.add("url", request.build_absolute_uri(reverse("partylife:meeting_detail", args=[m.pk])))
        cal.add_component(ev)
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="partylife.ics"'
    return response


def is_party_user(user) -> bool:
    return has_role(user, "leader", "party_office", "branch_secretary", "member")

