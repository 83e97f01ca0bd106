"""Pages of organisational life: meetings, attendance and QR sign-in, compliance matrix, lecture hall,
study hours, calendar and the .ics feed."""

from __future__ import annotations

import calendar as pycalendar
from collections import defaultdict
from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tianping.core.actions import add_service_errors, create_once
from tianping.core.middleware import public
from tianping.core.policy import can, object_permission, permission_required, require
from tianping.core.uploads import upload_response
from tianping.core.views import FilteredListView
from tianping.partylife import services
from tianping.partylife.choices import ATTENDED, AttendanceStatus, ComplianceStatus, Frequency, MeetingStatus
from tianping.partylife.compliance import court_matrix, parse_period, periods_of_year, roll_up
from tianping.partylife.filtersets import MeetingFilterSet
from tianping.partylife.forms import AttachmentForm, CampaignForm, MeetingCreateForm, MeetingForm, TaskForm
from tianping.partylife.models import (
    Attachment,
    CalendarFeed,
    Campaign,
    DutyRule,
    FollowUpTask,
    Meeting,
    MeetingType,
)
from tianping.partylife.scope import managed_org_ids, reads_whole_court
from tianping.partylife.tables import MeetingTable

CRUMB = gettext_lazy("组织生活")


def _crumbs(*items):
    return [(_("会议活动"), reverse("partylife:meeting_list")), *items]


def _managed_orgs(user):
    from tianping.party.models import PartyOrganisation

    return PartyOrganisation.objects.filter(pk__in=managed_org_ids(user), active=True).order_by("sort_order", "name")


def _get_meeting(request, pk: int) -> Meeting:
    """The meeting of a view decorated with `object_permission(Meeting, ...)` (which already answered 404
    outside the user's scope and 403 for a refused action)."""
    return get_object_or_404(Meeting.objects.select_related("meeting_type", "organisation", "host", "campaign"),
                             pk=pk)


def _int(value, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


FIRST_YEAR = 2000  # the earliest year a page offers (the demo court's records start in 2014)


def _year_param(request, default: int | None = None) -> int:
    """The `year` query value when it is a year the pages can show, else the default (the current year) with
    a message that says what was wrong; never an error page."""
    today = timezone.localdate()
    default = default or today.year
    raw = (request.GET.get("year") or "").strip()
    if not raw:
        return default
    year = _int(raw, 0)
    if FIRST_YEAR <= year <= today.year + 1:
        return year
    messages.warning(request, _("年份“%(v)s”无效：只能查看 %(a)d–%(b)d 年，已显示 %(d)d 年。") % {
        "v": raw[:20], "a": FIRST_YEAR, "b": today.year + 1, "d": default})
    return default


def _years() -> list[int]:
    today = timezone.localdate()
    return list(range(today.year, 2013, -1))  # the demo's (and the seed's) years start in 2014


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

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") == "xlsx":
            require(request.user, "export", Meeting)
        return super().get(request, *args, **kwargs)

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
        user = self.request.user
        if can(user, "add", Meeting):
            ctx["create_url_name"] = "partylife:meeting_create"
        if can(user, "import", Meeting):
            ctx["import_kind"] = "meetings"
        ctx["can_export"] = can(user, "export", Meeting)
        return ctx


meeting_list = permission_required("partylife.view_meetings")(MeetingListView.as_view())


@object_permission(Meeting, "view")
def meeting_detail(request, pk: int):
    meeting = _get_meeting(request, pk)
    user = request.user
    manage = can(user, "change", meeting)
    rows = list(meeting.attendances.select_related("person").order_by("-expected", "person__name"))
    if not can(user, "record_attendance", meeting) and not reads_whole_court(user):
        rows = [r for r in rows if r.person_id == user.person_id]
    counts: defaultdict[str, int] = defaultdict(int)
    for r in meeting.attendances.filter(expected=True).values_list("status", flat=True):
        counts[r] += 1
    expected_n = sum(counts.values())
    tasks = list(meeting.tasks.select_related("owner"))
    for t in tasks:
        t.can_toggle = can(user, "change", t)  # type: ignore[attr-defined]
    ctx = {
        "meeting": meeting, "manage": manage, "rows": rows, "counts": dict(counts), "expected_n": expected_n,
        "record": can(user, "record_attendance", meeting), "run_signin": can(user, "run_signin", meeting),
        "can_delete": can(user, "delete", meeting), "add_task": can(user, "add", FollowUpTask),
        "attended_n": counts[AttendanceStatus.PRESENT] + counts[AttendanceStatus.LATE],
        "quorum": meeting.quorum() if meeting.meeting_type.votes else None,
        "speakers": meeting.speakers.select_related("person"),
        "tasks": tasks, "attachments": meeting.attachments.all(),
        "statuses": AttendanceStatus.choices, "task_form": TaskForm(court=meeting.court),
        "attachment_form": AttachmentForm(), "today": timezone.localdate(),
        "page_title": str(meeting), "breadcrumbs": _crumbs((str(meeting), None)),
    }
    return render(request, "partylife/meeting_detail.html", ctx)


def _meeting_form_page(request, form, title, meeting=None):
    return render(request, "partylife/meeting_form.html", {
        "form": form, "meeting": meeting, "page_title": title, "breadcrumbs": _crumbs((title, None))})


def _initial_date(raw: str | None, today: date) -> date:
    try:
        day = date.fromisoformat(raw or "")
    except (ValueError, OverflowError):
        return today
    return day if date(FIRST_YEAR, 1, 1) <= day <= today.replace(year=today.year + 1) else today


def _own_branch(user, orgs):
    """A secretary's own branch (the first branch they lead), preselected on a new meeting; nobody's for the
    party office, who records every organisation's meetings."""
    from tianping.party.selectors import branches_led_by
    from tianping.partylife.scope import manages_whole_court

    if manages_whole_court(user):
        return None
    led = branches_led_by(user).values_list("pk", flat=True)
    return orgs.filter(pk__in=led).values_list("pk", flat=True).first()


@permission_required("partylife.add_meeting")
def meeting_create(request):
    orgs = _managed_orgs(request.user)
    court = request.user.court
    today = timezone.localdate()
    day = _initial_date(request.GET.get("date"), today)
    initial = {"date": day, "start_time": "15:00", "end_time": "16:30",
               # a meeting dated in the past is being recorded after the fact: it was held
               "status": MeetingStatus.HELD if day < today else MeetingStatus.PLANNED}
    org_id = _int(request.GET.get("organisation"), 0) or _own_branch(request.user, orgs)
    if org_id and orgs.filter(pk=org_id).exists():
        initial["organisation"] = org_id
    if request.GET.get("type"):
        initial["meeting_type"] = MeetingType.objects.filter(code=request.GET["type"][:40]).values_list(
            "pk", flat=True).first()
    form = MeetingCreateForm(request.POST or None, court=court, organisations=orgs, initial=initial)
    if request.method == "POST" and form.is_valid():
        def create():
            meeting = services.meeting_create(actor=request.user, court=court, data=form.meeting_data(),
                                              speakers=form.speakers())
            messages.success(request, _("会议已保存，应到人员已按当日名册生成。请登记出勤。"))
            return meeting

        try:
            return create_once(request, form, create,
                               lambda m: reverse("partylife:meeting_detail", args=[m.pk]))
        except ValidationError as exc:
            add_service_errors(form, exc)
    return _meeting_form_page(request, form, _("新增会议活动"))


@object_permission(Meeting, "change")
def meeting_edit(request, pk: int):
    meeting = _get_meeting(request, pk)
    form = MeetingForm(request.POST or None, instance=meeting, court=meeting.court,
                       organisations=_managed_orgs(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            fresh = Meeting.objects.get(pk=pk)
            services.meeting_update(actor=request.user, meeting=fresh, data=form.meeting_data(),
                                    expected_version=form.cleaned_data.get("loaded_version"))
            services.speakers_set(actor=request.user, meeting=fresh, speakers=form.speakers())
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("会议已更新。"))
            return redirect("partylife:meeting_detail", pk=pk)
    return _meeting_form_page(request, form, _("编辑会议活动"), meeting)


@require_POST
@object_permission(Meeting, "delete")
def meeting_delete(request, pk: int):
    meeting = _get_meeting(request, pk)
    try:
        services.meeting_delete(actor=request.user, meeting=meeting)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("partylife:meeting_detail", pk=pk)
    messages.success(request, _("会议已删除。"))
    return redirect("partylife:meeting_list")


@require_POST
@object_permission(Meeting, "record_attendance")
def attendance_save(request, pk: int):
    """The secretary's attendance sheet: one status (and leave reason) per person, plus an optional guest.
    Changing a status already recorded is a correction (its own permission, audited by the service)."""
    from tianping.org.models import Person

    meeting = _get_meeting(request, pk)
    entries = []
    rows = {a.person_id: a for a in meeting.attendances.select_related("person")}
    corrects = False
    for person_id, row in rows.items():
        status = request.POST.get(f"status_{person_id}")
        if status is None:
            continue
        reason = request.POST.get(f"reason_{person_id}", "")
        if row.status != AttendanceStatus.PENDING and (status, reason.strip()) != (row.status, row.reason):
            corrects = True
        entries.append({"person": row.person, "status": status, "reason": reason})
    if corrects:
        require(request.user, "correct_attendance", meeting)
    guest_id = request.POST.get("guest")
    if guest_id:
        guest = Person.objects.filter(court=meeting.court, pk=_int(guest_id, 0)).first()
        if guest is None:
            messages.error(request, _("列席人员不在本院名册中。"))
            return redirect("partylife:meeting_detail", pk=pk)
        if guest.pk not in rows:
            entries.append({"person": guest, "status": AttendanceStatus.PRESENT, "reason": ""})
    try:
        n = services.attendance_record(actor=request.user, meeting=meeting, entries=entries)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("出勤已保存（变更 %(n)d 人）。") % {"n": n})
    return redirect(reverse("partylife:meeting_detail", args=[pk]) + "#attendance")


@require_POST
@object_permission(Meeting, "refresh_expected")
def meeting_refresh(request, pk: int):
    meeting = _get_meeting(request, pk)
    result = services.meeting_refresh_expected(meeting=meeting, actor=request.user)
    messages.info(request, _("已按会议当日名册更新应到人员：新增 %(a)d 人，移除 %(r)d 人。") % {
        "a": result["added"], "r": result["removed"]})
    return redirect("partylife:meeting_detail", pk=pk)


@require_POST
@object_permission(Meeting, "change")
def task_add(request, pk: int):
    meeting = _get_meeting(request, pk)
    require(request.user, "add", FollowUpTask)
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
            f"{form.fields[k].label}：{' '.join(str(e) for e in v)}" for k, v in form.errors.items()))
    return redirect(reverse("partylife:meeting_detail", args=[pk]) + "#tasks")


@require_POST
@object_permission(FollowUpTask, "change", url_kwarg="task_id")
def task_toggle(request, pk: int, task_id: int):
    """The task's owner or the meeting's manager marks it done or reopens it."""
    task = get_object_or_404(FollowUpTask.objects.select_related("meeting"), pk=task_id, meeting_id=pk)
    services.task_set_done(actor=request.user, task=task, done_on=None if task.done_on else timezone.localdate())
    return redirect(reverse("partylife:meeting_detail", args=[pk]) + "#tasks")


@require_POST
@object_permission(Meeting, "change")
def attachment_add(request, pk: int):
    meeting = _get_meeting(request, pk)
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


@object_permission(Attachment, "view", url_kwarg="att_id")
def attachment_download(request, pk: int, att_id: int):
    att = get_object_or_404(Attachment, pk=att_id, meeting_id=pk)
    response = upload_response(att.file, content_type=att.content_type,
                               as_attachment=not att.is_image and att.content_type != "application/pdf",
                               filename=att.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@object_permission(Attachment, "delete", url_kwarg="att_id")
def attachment_delete(request, pk: int, att_id: int):
    att = get_object_or_404(Attachment.objects.select_related("meeting"), pk=att_id, meeting_id=pk)
    services.attachment_delete(actor=request.user, attachment=att)
    messages.success(request, _("附件已删除。"))
    return redirect(reverse("partylife:meeting_detail", args=[pk]) + "#attachments")


# --- QR sign-in -------------------------------------------------------------------------------------------
def _qr_svg(url: str) -> str:
    import segno

    return segno.make(url, error="m").svg_inline(scale=8, border=2, dark="#000", light="#fff")


def public_url(request, path: str) -> str:
    """An absolute address a phone can open: the configured public address of the site
    (TIANPING_PUBLIC_URL, e.g. https://tianping.court.example) or, when none is set, the request's host."""
    from django.conf import settings

    base = getattr(settings, "TIANPING_PUBLIC_URL", "")
    return f"{base}{path}" if base else request.build_absolute_uri(path)


@object_permission(Meeting, "run_signin")
def meeting_qr(request, pk: int):
    """The host's screen: a QR code of the current sign-in code (inline SVG). The code rotates every
    SIGNIN_STEP_SECONDS; the code panel re-fetches itself (htmx polling, `?frame=1`) so the screen follows."""
    meeting = _get_meeting(request, pk)
    if request.method == "POST":
        services.signin_code_regenerate(actor=request.user, meeting=meeting)
        messages.success(request, _("已更换签到二维码，旧二维码失效。"))
        return redirect("partylife:meeting_qr", pk=pk)
    token = services.signin_token(meeting, actor=request.user)
    url = public_url(request, reverse("partylife:signin", args=[token]))
    opens, closes = meeting.signin_window()
    now = timezone.now()
    ctx = {
        "meeting": meeting, "svg": _qr_svg(url), "signin_url": url, "opens": opens, "closes": closes,
        "open_now": opens <= now <= closes, "signed": meeting.attendances.filter(status__in=ATTENDED).count(),
        "expected_n": meeting.attendances.filter(expected=True).count(),
        "refresh_seconds": services.SIGNIN_STEP_SECONDS // 2,
        "page_title": _("扫码签到"),
        "breadcrumbs": _crumbs((str(meeting), reverse("partylife:meeting_detail", args=[pk])), (_("扫码签到"), None)),
    }
    if request.GET.get("frame") == "1":
        return render(request, "partylife/_qr_frame.html", ctx)
    return render(request, "partylife/meeting_qr.html", ctx)


@permission_required("partylife.sign_in_meeting")
def signin(request, token: str):
    """GET shows what the scan would do (the meeting, its time, the member's name and a button) and writes
    nothing; the button POSTs (CSRF-protected) a ticket bound to this account, and that signs in."""
    if request.method == "POST":
        result = services.attendance_sign_in(ticket=request.POST.get("ticket", ""), user=request.user)
        confirm = False
    else:
        result = services.signin_preview(token=token, user=request.user)
        confirm = result.ok and bool(result.ticket)
    meeting = result.meeting
    return render(request, "partylife/signin.html", {
        "result": result, "meeting": meeting, "confirm": confirm,
        "person": getattr(request.user, "person", None),
        "can_view": meeting is not None and can(request.user, "view", meeting),
        "page_title": _("会议签到")}, status=200 if result.ok else 403)


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


@permission_required("partylife.view_compliance")
def compliance_matrix(request):
    user = request.user
    today = timezone.localdate()
    year = _year_param(request)
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
        "years": _years(), "views": Frequency.choices,
        "statuses": ComplianceStatus.choices, "page_title": _("组织生活合规情况"),
        "breadcrumbs": [(_("组织生活合规情况"), None)],
    })


@permission_required("partylife.view_compliance")
def compliance_cell(request):
    """The records behind one cell: meetings of that organisation and duty in that period."""
    from tianping.party.models import PartyOrganisation

    user = request.user
    org = get_object_or_404(PartyOrganisation, pk=_int(request.GET.get("org"), 0), court_id=user.court_id)
    if not reads_whole_court(user) and org.pk not in managed_org_ids(user):
        raise Http404
    duty = get_object_or_404(DutyRule, code=request.GET.get("duty", "")[:40])
    try:
        period = parse_period(request.GET.get("period", "")[:20])
        if not FIRST_YEAR <= period.start.year <= timezone.localdate().year + 1:
            raise ValueError(_("期间“%(p)s”不在可查看的年份内。") % {"p": period.key})
    except ValueError as exc:
        messages.error(request, _("%(e)s；已回到合规情况总表。") % {"e": exc})
        return redirect("partylife:compliance")
    meetings = (Meeting.objects.filter(court_id=user.court_id, organisation=org, meeting_type__duty=duty,
                                       date__gte=period.start, date__lte=period.end)
                .select_related("meeting_type", "host").order_by("date"))
    held = [m for m in meetings if m.status == MeetingStatus.HELD]
    required = duty.min_count if duty.frequency == period.frequency else None
    return render(request, "partylife/compliance_cell.html", {
        "org": org, "duty": duty, "period": period, "meetings": meetings, "held": len(held), "required": required,
        "can_create": org.pk in managed_org_ids(user) and can(user, "add", Meeting),
        "type": duty.meeting_types.first(), "page_title": f"{org.name} · {duty.name} · {period.key}",
        "breadcrumbs": [(_("组织生活合规情况"), reverse("partylife:compliance") + f"?year={period.start.year}"),
                        (f"{org.name} · {duty.name} · {period.key}", None)],
    })


# --- lecture hall, study hours, attendance rates ----------------------------------------------------------
@permission_required("partylife.view_lectures")
def lecture_hall(request):
    from tianping.partylife.selectors import lecture_hall as hall
    from tianping.partylife.selectors import people_in_scope

    today = timezone.localdate()
    year = _year_param(request)
    people = None if reads_whole_court(request.user) else people_in_scope(request.user, today)
    data = hall(court=request.user.court, year=year, today=today, people=people)
    return render(request, "partylife/lecture_hall.html", {
        **data, "year": year, "years": _years(), "page_title": _("廉政大讲堂"),
        "breadcrumbs": [(_("廉政大讲堂"), None)],
        "can_create": can(request.user, "add", Meeting),
    })


@permission_required("partylife.view_study")
def study(request):
    """Study hours per member and per campaign, and each member's attendance rate (links to the records)."""
    from tianping.partylife.selectors import attendance_rates, people_in_scope, study_hours

    today = timezone.localdate()
    year = _year_param(request)
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
        "rows": rows, "campaigns": campaigns, "year": year, "years": _years(),
        "include_all": include_all,
        "page_title": _("学时与出勤"), "breadcrumbs": [(_("学时与出勤"), None)]})


@permission_required("partylife.view_study_records")
def person_attendance(request, person_id: int):
    """One member's attendance records of a year (the records behind their rate)."""
    from tianping.partylife.selectors import people_in_scope

    today = timezone.localdate()
    year = _year_param(request)
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
@permission_required("partylife.view_settings", post="partylife.add_campaign")
def campaigns(request):
    user = request.user
    items = Campaign.objects.visible_to(user).annotate(n=Count("meetings")).order_by("-starts_on")
    form = None
    if can(user, "add", Campaign):
        form = CampaignForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.campaign_create(actor=user, court=user.court, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                return redirect("partylife:campaigns")
    elif request.method == "POST":
        raise PermissionDenied
    return render(request, "partylife/campaigns.html", {
        "items": items, "form": form, "types": MeetingType.objects.select_related("duty"),
        "can_edit": can(user, "change", MeetingType),
        "duties": DutyRule.objects.all(), "page_title": _("活动与类型设置"),
        "breadcrumbs": [(_("活动与类型设置"), None)]})


def _setting_form(request, form_class, model, pk, title):
    instance = get_object_or_404(model, pk=pk) if pk else None
    require(request.user, "change" if instance else "add", instance or model)
    fields = [f.name for f in model._meta.concrete_fields if f.name not in ("id", "created_at", "updated_at")]
    before = {f: getattr(instance, f) for f in fields} if instance else None
    form = form_class(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            services.setting_row_save(actor=request.user, row=form.row(), fields=fields, before=before)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("设置已保存。"))
            return redirect("partylife:campaigns")
    return render(request, "partylife/setting_form.html", {
        "form": form, "page_title": title,
        "breadcrumbs": [(_("活动与类型设置"), reverse("partylife:campaigns")), (title, None)]})


@permission_required("partylife.manage_settings")
def duty_edit(request, pk: int):
    from tianping.partylife.forms import DutyRuleForm

    return _setting_form(request, DutyRuleForm, DutyRule, pk, _("编辑频次要求"))


@permission_required("partylife.manage_settings")
def type_edit(request, pk: int | None = None):
    from tianping.partylife.forms import MeetingTypeForm

    return _setting_form(request, MeetingTypeForm, MeetingType, pk, _("编辑会议类型") if pk else _("新增会议类型"))


# --- calendar ---------------------------------------------------------------------------------------------
def _in_range(day: date, today: date) -> bool:
    # a margin of a month each side keeps "previous"/"next" arithmetic within the calendar's limits
    return date(FIRST_YEAR, 1, 1) <= day <= date(today.year + 10, 12, 1)


def _parse_month(request, today: date) -> date:
    text = (request.GET.get("month") or "").strip()
    if not text:
        return today.replace(day=1)
    try:
        y, m = text.split("-")
        first = date(int(y), int(m), 1)
        if _in_range(first, today):
            return first
    except (ValueError, OverflowError):
        pass
    messages.warning(request, _("月份“%(v)s”无效：请写成 2026-03 这样的年月（%(a)d 年至 %(b)d 年），已显示本月。")
                     % {"v": text[:20], "a": FIRST_YEAR, "b": today.year + 10})
    return today.replace(day=1)


def _parse_day(request, today: date) -> date:
    text = (request.GET.get("day") or "").strip()
    if not text:
        return today
    try:
        day = date.fromisoformat(text)
        if _in_range(day, today):
            return day
    except (ValueError, OverflowError):
        pass
    messages.warning(request, _("日期“%(v)s”无效：请写成 2026-03-10 这样的日期（%(a)d 年至 %(b)d 年），已显示本周。")
                     % {"v": text[:20], "a": FIRST_YEAR, "b": today.year + 10})
    return today


def _short_org(meeting) -> str:
    """A short organisation label for crowded calendar cells (沙沟法庭党支部 → 沙沟法庭)."""
    if meeting.organisation.kind in {"party_group", "organ_committee"}:
        return ""
    return meeting.organisation.name.removesuffix("党支部").removesuffix("党小组")


@permission_required("partylife.view_meetings")
def calendar_month(request):
    from tianping.partylife.selectors import calendar_meetings

    today = timezone.localdate()
    first = _parse_month(request, today)
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


@permission_required("partylife.view_meetings")
def calendar_week(request):
    from tianping.partylife.selectors import calendar_meetings

    today = timezone.localdate()
    day = _parse_day(request, today)
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


@permission_required("partylife.subscribe_calendar")
def calendar_feed_settings(request):
    regenerate = request.method == "POST"
    feed = services.calendar_feed_get(user=request.user, regenerate=regenerate)
    if regenerate:
        messages.success(request, _("已生成新的订阅地址，旧地址立即失效。"))
        return redirect("partylife:calendar_feed")
    url = public_url(request, reverse("partylife:ics_feed", args=[feed.token]))
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
        ev.add("description", f"{m.organisation.name}" + (f" · 主持人：{m.host.name}" if m.host else ""))
        ev.add("url", public_url(request, reverse("partylife:meeting_detail", args=[m.pk])))
        cal.add_component(ev)
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="partylife.ics"'
    return response

