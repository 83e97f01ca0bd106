"""Pages and scopes: party office all, branch secretary own branch (404 otherwise), member own attendance."""

from datetime import date

import pytest
from django.urls import reverse

from tianping.core.models import AuditEvent
from tianping.partylife import services
from tianping.partylife.choices import AttendanceStatus
from tianping.partylife.models import Attendance, Meeting, MeetingType

pytestmark = pytest.mark.django_db


@pytest.fixture
def meetings(life, make_meeting):
    own = make_meeting(topic="沙沟学习")
    other = make_meeting(organisation=life.other_branch, topic="民一学习")
    return own, other


def test_list_scopes(life, meetings, client_for, make_user):
    own, other = meetings
    url = reverse("partylife:meeting_list")

    def topics(user):
        html = client_for(user).get(url).content.decode()
        return {t for t in ("沙沟学习", "民一学习") if t in html}

    assert topics(life.office) == {"沙沟学习", "民一学习"}
    assert topics(make_user(life.court, "leader")) == {"沙沟学习", "民一学习"}
    assert topics(life.secretary) == {"沙沟学习"}
    assert topics(life.member_user) == {"沙沟学习"}  # expected there
    assert topics(make_user(life.court, "member", person=life.other_members[2])) == {"民一学习"}
    assert topics(make_user(life.court, "trial_office")) == set()


def test_detail_scopes(life, meetings, client_for, other_court, make_user):
    own, other = meetings
    detail = lambda m: reverse("partylife:meeting_detail", args=[m.pk])  # noqa: E731
    assert client_for(life.secretary).get(detail(own)).status_code == 200
    assert client_for(life.secretary).get(detail(other)).status_code == 404
    assert client_for(life.member_user).get(detail(other)).status_code == 404
    assert client_for(make_user(other_court, "party_office")).get(detail(own)).status_code == 404
    # a member sees only their own attendance row, without the secretary's controls
    html = client_for(life.member_user).get(detail(own)).content.decode()
    assert life.full[4].name in html and life.full[1].name not in html.split('data-testid="attendance"')[1]
    assert 'data-testid="attendance-form"' not in html


def test_secretary_records_attendance_and_member_cannot(life, meetings, client_for):
    own, other = meetings
    url = reverse("partylife:attendance_save", args=[own.pk])
    data = {f"status_{p.pk}": "present" for p in life.full}
    data[f"status_{life.probationary[0].pk}"] = "leave"
    data[f"reason_{life.probationary[0].pk}"] = "出差"
    response = client_for(life.secretary).post(url, data)
    assert response.status_code == 302
    assert Attendance.objects.filter(meeting=own, status=AttendanceStatus.PRESENT).count() == 5
    assert Attendance.objects.get(meeting=own, person=life.probationary[0]).reason == "出差"
    assert client_for(life.member_user).post(url, data).status_code == 403
    assert client_for(life.secretary).post(reverse("partylife:attendance_save", args=[other.pk]),
                                           {}).status_code == 404
    page = client_for(life.secretary).get(reverse("partylife:meeting_detail", args=[own.pk])).content.decode()
    assert "已达到" in page  # quorum: 5 of 5 voters


def test_leave_without_reason_is_refused_with_message(life, meetings, client_for):
    own, _ = meetings
    response = client_for(life.secretary).post(reverse("partylife:attendance_save", args=[own.pk]),
                                               {f"status_{life.full[1].pk}": "leave"}, follow=True)
    assert "请假须填写事由" in response.content.decode()
    assert Attendance.objects.get(meeting=own, person=life.full[1]).status == AttendanceStatus.PENDING


def test_create_meeting_through_form(life, client_for):
    t = MeetingType.objects.get(code="party_lecture")
    response = client_for(life.secretary).post(reverse("partylife:meeting_create"), {
        "meeting_type": t.pk, "organisation": life.branch.pk, "date": "2016-05-12", "start_time": "15:00",
        "end_time": "17:00", "place": "会议室", "host": life.full[0].pk, "topic": "学习新党章", "status": "planned",
        "external_name": "王教授", "external_unit": "中共枣庄市委党校", "talk_title": "党章精讲"})
    assert response.status_code == 302, response.content.decode()[:2000]
    m = Meeting.objects.get(topic="学习新党章")
    assert m.study_hours == t.study_hours
    assert m.attendances.filter(expected=True).count() == 7
    assert str(m.speakers.get()) == "王教授（中共枣庄市委党校）"
    # a secretary cannot organise for another branch
    bad = client_for(life.secretary).post(reverse("partylife:meeting_create"), {
        "meeting_type": t.pk, "organisation": life.other_branch.pk, "date": "2016-05-12", "start_time": "15:00",
        "end_time": "17:00", "topic": "越权", "status": "planned"})
    assert bad.status_code == 200 and not Meeting.objects.filter(topic="越权").exists()
    # a type/organisation mismatch says what to fix, and keeps what was typed
    court_type = MeetingType.objects.get(code="roll_call")
    resp = client_for(life.office).post(reverse("partylife:meeting_create"), {
        "meeting_type": court_type.pk, "organisation": life.branch.pk, "date": "2016-05-12",
        "start_time": "08:00", "end_time": "08:30", "topic": "例会点名测试", "status": "planned"})
    html = resp.content.decode()
    assert "全院性会议" in html and "例会点名测试" in html


def test_edit_detects_concurrent_change(life, meetings, client_for):
    own, _ = meetings
    url = reverse("partylife:meeting_edit", args=[own.pk])
    form = {"meeting_type": own.meeting_type_id, "organisation": life.branch.pk, "date": "2016-03-10",
            "start_time": "15:00", "end_time": "16:30", "topic": "改后", "status": "planned",
            "loaded_version": own.version}
    services.meeting_update(actor=life.office, meeting=own, data={"place": "别处"})
    response = client_for(life.secretary).post(url, form)
    assert response.status_code == 200 and "已被他人修改" in response.content.decode()
    own.refresh_from_db()
    assert own.topic == "沙沟学习"


def test_lecture_hall_and_study_pages(life, make_meeting, client_for):
    m = make_meeting(code="integrity_lecture", organisation=life.organ, day=date(2016, 5, 5), topic="全院讲堂")
    services.speakers_set(actor=life.office, meeting=m, speakers=[{"person": life.full[1]}])
    services.attendance_record(actor=life.office, meeting=m, entries=[{"person": life.full[1], "status": "present"}])
    from tianping.partylife.selectors import lecture_hall

    hall = lecture_hall(court=life.court, year=2016, today=date(2016, 12, 31))
    assert (hall["sessions"]["court"], hall["sessions"]["branch"]) == (1, 0)
    assert hall["sessions"]["court_ids"] == str(m.pk)
    assert [r.name for r in hall["spoken"]] == [life.full[1].name]
    assert life.full[1].name not in [r.name for r in hall["not_yet"]]
    assert len(hall["not_yet"]) == hall["candidates"] - 1
    # expected: every staff member in service (court-wide event)
    assert m.attendances.filter(expected=True).count() == len(life.full + life.probationary + life.other_members)
    page = client_for(life.office).get(reverse("partylife:lecture_hall") + "?year=2016").content.decode()
    assert 'data-testid="court-sessions"' in page
    study = client_for(life.office).get(reverse("partylife:study") + "?year=2016").content.decode()
    assert life.full[1].name in study
    person_page = client_for(life.member_user).get(reverse("partylife:person_attendance", args=[life.full[1].pk]))
    assert person_page.status_code == 404  # a member sees only their own record
    assert client_for(life.office).get(reverse("partylife:person_attendance", args=[life.full[1].pk]) +
                                       "?year=2016").status_code == 200


def test_tasks_and_todo(life, meetings, client_for, make_user):
    from tianping.partylife.todo import todo_items

    own, _ = meetings
    client_for(life.secretary).post(reverse("partylife:task_add", args=[own.pk]), {
        "description": "整改落实", "owner": life.full[4].pk, "due_on": "2016-03-20"})
    task = own.tasks.get()
    labels = [i["label"] for i in todo_items(life.member_user)]
    assert any("整改落实" in label for label in labels)
    sec_labels = [i["label"] for i in todo_items(life.secretary)]
    assert any("登记会议" in label for label in sec_labels)  # the planned meeting in the past
    # another member of the branch sees the meeting but the task is not theirs: 403, nothing written
    peer = make_user(life.court, "member", person=life.full[3])
    assert client_for(peer).post(reverse("partylife:task_toggle", args=[own.pk, task.pk])).status_code == 403
    task.refresh_from_db()
    assert task.done_on is None
    client_for(life.member_user).post(reverse("partylife:task_toggle", args=[own.pk, task.pk]))
    task.refresh_from_db()
    assert task.done_on is not None
    assert AuditEvent.objects.filter(event="meeting.task_done").exists()


def test_home_and_timeline(life, meetings, client_for):
    from tianping.partylife.home import home_panels
    from tianping.partylife.timeline import timeline_entries

    own, _ = meetings
    services.attendance_record(actor=life.office, meeting=own, entries=[{"person": life.full[4],
                                                                         "status": "present"}])
    entries = timeline_entries(life.full[4], life.office)
    assert [e["url"] for e in entries] == [reverse("partylife:meeting_detail", args=[own.pk])]
    panels = home_panels(life.office)
    assert panels and panels[0]["figures"][0]["url"].startswith(reverse("partylife:meeting_list"))
    assert client_for(life.office).get("/").status_code == 200


def test_list_narrowed_to_the_records_behind_a_figure(life, meetings, client_for):
    own, other = meetings
    html = client_for(life.office).get(reverse("partylife:meeting_list") + f"?ids={other.pk}").content.decode()
    assert "民一学习" in html and "沙沟学习" not in html
    # ids never widen the scope
    html = client_for(life.secretary).get(reverse("partylife:meeting_list") + f"?ids={other.pk}").content.decode()
    assert "民一学习" not in html


def test_attachment_upload_view_refuses_disguised_file(life, meetings, client_for, tmp_path, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    own, _ = meetings
    url = reverse("partylife:attachment_add", args=[own.pk])
    resp = client_for(life.secretary).post(url, {"file": SimpleUploadedFile("x.jpg", b"MZ\x90\x00evil")}, follow=True)
    assert "不是照片" in resp.content.decode() and not own.attachments.exists()
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
    client_for(life.secretary).post(url, {"file": SimpleUploadedFile("photo.png", png)})
    att = own.attachments.get()
    download = client_for(life.member_user).get(reverse("partylife:attachment_download", args=[own.pk, att.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "image/png"
    assert client_for(life.other_user).get(
        reverse("partylife:attachment_download", args=[own.pk, att.pk])).status_code == 404
    delete = reverse("partylife:attachment_delete", args=[own.pk, att.pk])
    assert client_for(life.member_user).post(delete).status_code == 403  # sees it, may not delete it
    assert client_for(life.other_user).post(delete).status_code == 404   # outside scope
    assert own.attachments.filter(pk=att.pk).exists()
    assert client_for(life.secretary).post(delete).status_code == 302
    assert not own.attachments.exists()


def test_party_office_edits_a_frequency_and_the_matrix_follows(life, make_meeting, client_for):
    from tianping.partylife.compliance import court_matrix
    from tianping.partylife.models import DutyRule

    m = make_meeting(code="themed_day", day=date(2016, 1, 8))
    services.attendance_record(actor=life.office, meeting=m, entries=[{"person": life.full[0], "status": "present"}])

    def jan():
        cells = court_matrix(court=life.court, year=2016, today=date(2016, 2, 10))
        return next(c for c in cells if c.organisation == life.branch.name and c.duty == "主题党日"
                    and c.period.key == "2016-01")

    assert jan().status == "ok"
    duty = DutyRule.objects.get(code="themed_day")
    url = reverse("partylife:duty_edit", args=[duty.pk])
    assert client_for(life.secretary).get(url).status_code == 403
    response = client_for(life.office).post(url, {
        "name": "主题党日", "frequency": "month", "min_count": 2, "kinds": ["branch"], "warn_days": 10,
        "active": "on", "sort_order": 40})
    assert response.status_code == 302
    assert (jan().required, jan().status) == (2, "missed")
    event = AuditEvent.objects.get(event="partylife.dutyrule.updated")
    assert event.changes["before"] == {"min_count": 1} and event.changes["after"] == {"min_count": 2}
    # a new meeting type, then usable in the form
    response = client_for(life.office).post(reverse("partylife:type_create"), {
        "code": "family_visit", "name": "家庭助廉座谈会", "level": "any", "audience": "roster", "study_hours": "1.0",
        "awards_points": "on", "active": "on", "sort_order": 200})
    assert response.status_code == 302
    assert MeetingType.objects.get(code="family_visit").name == "家庭助廉座谈会"
