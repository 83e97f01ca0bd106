"""The leadership pages (五型五力 list, a leader's own form, the party office's review, the education summary),
their to-dos and the staff placement page, on hand-built courts: who may open what (404 outside the scope, 403
inside it without the right), drafts private to their writer, the form keeping what was typed, concurrent edits
caught, and the placement counts against a count made here from the people built."""

from __future__ import annotations

import re
from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tianping.annual.choices import AssessmentStatus, LeadershipItem
from tianping.annual.models import LeaderAssessment, LeadershipStudy
from tianping.annual.services import leader_assessment_save
from tianping.core.roles import Role
from tianping.core.views import collect_todo
from tianping.org.models import DepartmentAssignment, DepartmentType
from tianping.org.tests.factories import CourtFactory, DepartmentFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

YEAR = 2016


@pytest.fixture
def leaders(client_for):
    court = CourtFactory()
    a = PersonFactory(court=court, is_leadership=True, hired_on=date(2010, 1, 1), name="甲院长")
    b = PersonFactory(court=court, is_leadership=True, hired_on=date(2010, 1, 1), name="乙副院长")
    judge = PersonFactory(court=court, hired_on=date(2010, 1, 1))
    users = {"a": UserFactory(court=court, person=a, roles=[Role.LEADER]),
             "b": UserFactory(court=court, person=b, roles=[Role.LEADER]),
             "office": UserFactory(court=court, roles=[Role.PARTY_OFFICE]),
             "judge": UserFactory(court=court, person=judge, roles=[Role.MEMBER])}
    return {"court": court, "a": a, "b": b, "users": users, "c": {k: client_for(u) for k, u in users.items()}}


def _post(fields: dict[str, str] | None = None, *, summary: str = "", version: int = 0, submit: bool = False):
    data = {f"{k}_grade": "" for k in LeadershipItem.values} | {f"{k}_text": "" for k in LeadershipItem.values}
    data |= fields or {}
    data |= {"summary": summary, "loaded_version": str(version)}
    data["submit" if submit else "save"] = "1"
    return data


ALL_GOOD = {f"{k}_grade": "good" for k in LeadershipItem.values} | {
    f"{k}_text": f"{k} 本年度的做法" for k in LeadershipItem.values}


def _state_cell(html: str, person) -> str:
    m = re.search(rf'data-testid="state-{person.pk}">(.*?)</td>', html, re.S)
    assert m, f"no state cell for {person}"
    return re.sub(r"<[^>]+>", "", m.group(1)).strip()


def test_a_draft_is_its_writers_and_the_others_see_not_submitted(leaders):
    c, a, b = leaders["c"], leaders["a"], leaders["b"]
    url = reverse("annual:assessment_form", args=[YEAR])
    r = c["a"].post(url, _post({"learning_grade": "good", "learning_text": "坚持每周集中学习"}, summary=""))
    assert r.status_code == 302
    draft = LeaderAssessment.objects.get(person=a, year=YEAR)
    assert draft.status == AssessmentStatus.DRAFT and draft.items["learning"]["text"] == "坚持每周集中学习"

    page = reverse("annual:leadership_list") + f"?year={YEAR}"
    assert _state_cell(c["a"].get(page).content.decode(), a) == "草稿（未提交）"
    for other in ("b", "office"):
        assert _state_cell(c[other].get(page).content.decode(), a) == "未提交"
    detail = reverse("annual:assessment_detail", args=[draft.pk])
    assert c["a"].get(detail).status_code == 200
    assert c["b"].get(detail).status_code == 404       # another leader's draft: not in their scope
    assert c["office"].get(detail).status_code == 404
    # the count of the not-submitted links to both leaders; the awaiting-review count to nobody
    html = c["office"].get(page + "&group=not_submitted").content.decode()
    assert f'data-testid="leader-{a.pk}"' in html and f'data-testid="leader-{b.pk}"' in html
    html = c["office"].get(page + "&group=awaiting_review").content.decode()
    assert "data-testid=\"leader-" not in html
    assert c["judge"].get(page).status_code == 403


def test_the_form_keeps_input_and_catches_a_second_window(leaders):
    c, a = leaders["c"], leaders["a"]
    url = reverse("annual:assessment_form", args=[YEAR])
    # submitting with items ungraded and no summary: refused, the typed text is still on the page
    r = c["a"].post(url, _post({"learning_grade": "good", "combat_text": "带头办理重大疑难案件"}, submit=True))
    assert r.status_code == 200
    html = r.content.decode()
    assert "提交前请为每一项选择等次" in html and "提交前请填写总体自评" in html
    assert "带头办理重大疑难案件" in html
    assert not LeaderAssessment.objects.filter(person=a).exists()

    c["a"].post(url, _post(ALL_GOOD, summary="第一稿"))
    first = LeaderAssessment.objects.get(person=a, year=YEAR)
    # two windows opened on this version; the first saves, the second is told and overwrites nothing
    c["a"].post(url, _post(ALL_GOOD, summary="第一个窗口", version=first.version))
    r = c["a"].post(url, _post(ALL_GOOD, summary="第二个窗口", version=first.version))
    assert r.status_code == 200 and "已在别处修改" in r.content.decode() and "第二个窗口" in r.content.decode()
    assert LeaderAssessment.objects.get(pk=first.pk).summary == "第一个窗口"
    # a window opened before the first save (no assessment then) cannot overwrite it either
    r = c["a"].post(url, _post(ALL_GOOD, summary="更早的窗口", version=0))
    assert "已在别处修改" in r.content.decode()

    current = LeaderAssessment.objects.get(pk=first.pk)
    r = c["a"].post(url, _post(ALL_GOOD, summary="总结", version=current.version, submit=True))
    assert r.status_code == 302
    assert LeaderAssessment.objects.get(pk=first.pk).status == AssessmentStatus.SUBMITTED
    # handed in: the form leads to the record, which no longer changes
    assert c["a"].get(url).status_code == 302
    other = c["b"].get(url)   # b's form is b's own (empty), never a's
    assert other.status_code == 200 and "learning 本年度的做法" not in other.content.decode()


def test_review_permissions_and_outcomes(leaders):
    c, a, users = leaders["c"], leaders["a"], leaders["users"]
    items = {k: {"grade": "good", "text": "x"} for k in LeadershipItem.values}
    done = leader_assessment_save(actor=users["a"], person=a, year=YEAR, items=items, summary="总结", submit=True)
    url = reverse("annual:assessment_review", args=[done.pk])
    assert c["judge"].get(url).status_code == 404   # not a reader of the leadership at all
    assert c["b"].get(url).status_code == 403       # a leader reads it but does not record the review
    assert c["a"].get(url).status_code == 403       # nor reviews their own
    assert c["office"].get(url).status_code == 200

    r = c["office"].post(url, {"decision": "return", "comment": "", "loaded_version": done.version})
    assert r.status_code == 200 and "退回修改时请写明需要修改的内容" in r.content.decode()
    r = c["office"].post(url, {"decision": "return", "comment": "请补充廉洁型的具体事例", "loaded_version": done.version})
    assert r.status_code == 302
    returned = LeaderAssessment.objects.get(pk=done.pk)
    assert returned.status == AssessmentStatus.RETURNED
    assert c["office"].get(url).status_code == 403  # nothing to review until handed in again
    form = c["a"].get(reverse("annual:assessment_form", args=[YEAR])).content.decode()
    assert "请补充廉洁型的具体事例" in form

    again = leader_assessment_save(actor=users["a"], person=a, year=YEAR, items=items, summary="补充后", submit=True,
                                   expected_version=returned.version)
    r = c["office"].post(url, {"decision": "review", "grade": "", "comment": "同意", "loaded_version": again.version})
    assert "请选择评议等次" in r.content.decode() and "同意" in r.content.decode()
    r = c["office"].post(url, {"decision": "review", "grade": "excellent", "comment": "同意评为优秀",
                               "loaded_version": again.version})
    assert r.status_code == 302
    reviewed = LeaderAssessment.objects.get(pk=done.pk)
    assert (reviewed.status, reviewed.review_grade, reviewed.reviewed_by) == (
        AssessmentStatus.REVIEWED, "excellent", users["office"])
    html = c["b"].get(reverse("annual:leadership_list") + f"?year={YEAR}").content.decode()
    assert re.search(rf'data-testid="grade-{a.pk}">\s*优秀', html)


@time_machine.travel(date(2017, 3, 1), tick=False)
def test_the_to_dos_appear_and_clear(leaders):
    users, a = leaders["users"], leaders["a"]
    form_url = reverse("annual:assessment_form", args=[2016])
    assert [i["url"] for i in collect_todo(users["a"]) if i["url"] == form_url] == [form_url]
    assert not [i for i in collect_todo(users["judge"]) if "annual" in i["url"]]
    items = {k: {"grade": "good", "text": "x"} for k in LeadershipItem.values}
    draft = leader_assessment_save(actor=users["a"], person=a, year=2016, items=items, summary="总结")
    assert form_url in [i["url"] for i in collect_todo(users["a"])]   # a draft is not handed in
    assert not [i for i in collect_todo(users["office"]) if "leadership" in i["url"]]
    leader_assessment_save(actor=users["a"], person=a, year=2016, items=items, summary="总结", submit=True,
                           expected_version=draft.version)
    assert form_url not in [i["url"] for i in collect_todo(users["a"])]
    review = [i for i in collect_todo(users["office"]) if "group=awaiting_review" in i["url"]]
    assert len(review) == 1 and "1 份 2016 年度" in review[0]["label"]
    assert leaders["c"]["office"].get(review[0]["url"]).content.decode().count('data-testid="review-') == 1
    done = LeaderAssessment.objects.get(person=a, year=2016)
    leaders["c"]["office"].post(reverse("annual:assessment_review", args=[done.pk]),
                                {"decision": "review", "grade": "competent", "comment": "称职",
                                 "loaded_version": done.version})
    assert not [i for i in collect_todo(users["office"]) if "leadership" in i["url"]]
    # the home page shows the leader's remaining to-dos (b still owes 2016)
    assert form_url in leaders["c"]["b"].get("/").content.decode()


def test_the_education_summary_and_its_files(leaders):
    c = leaders["c"]
    edit = reverse("annual:study_edit", args=[YEAR])
    assert c["a"].get(edit).status_code == 403
    r = c["office"].post(edit, {"sessions": "24", "hours": "abc", "topics": "两学一做", "summary": "全年学习",
                                "loaded_version": "0"})
    assert r.status_code == 200 and "全年学习" in r.content.decode()
    r = c["office"].post(edit, {"sessions": "24", "hours": "48.5", "topics": "两学一做\n三严三实",
                                "summary": "全年学习", "loaded_version": "0"})
    study = LeadershipStudy.objects.get(court=leaders["court"], year=YEAR)
    assert r.status_code == 302 and study.topic_list() == ["两学一做", "三严三实"]
    r = c["office"].post(edit, {"sessions": "1", "hours": "1", "topics": "x", "summary": "旧窗口",
                                "loaded_version": "0"})
    assert "已被他人修改" in r.content.decode()

    detail = reverse("annual:study_detail", args=[study.pk])
    pdf = b"%PDF-1.4\n% leadership study\n%%EOF\n"
    r = c["office"].post(detail, {"file": SimpleUploadedFile("总结.pdf", pdf, content_type="application/pdf")})
    assert r.status_code == 302
    r = c["office"].post(detail, {"file": SimpleUploadedFile("假的.pdf", b"hello", content_type="application/pdf")})
    assert "不是 PDF" in r.content.decode()
    att = study.attachments.get()
    assert c["a"].get(detail).status_code == 200   # the leaders read it
    assert c["a"].post(detail, {}).status_code == 403
    assert c["judge"].get(detail).status_code == 404
    got = c["a"].get(reverse("annual:study_file", args=[study.pk, att.pk]))
    assert got.status_code == 200 and b"".join(got.streaming_content) == pdf
    att.file.delete(save=False)   # the file gone from disk: 404, not a server error
    assert c["a"].get(reverse("annual:study_file", args=[study.pk, att.pk])).status_code == 404


def _ids(html: str, testid: str) -> set[int]:
    m = re.search(rf'data-testid="{testid}">\s*<a href="[^"]*\?ids=([\d,]+)">(\d+)</a>', html)
    assert m, f"{testid}: no linked count"
    ids = {int(x) for x in m.group(1).split(",")}
    assert int(m.group(2)) == len(ids)
    return ids


def test_placement_counts_match_the_people_built(client_for):
    court = CourtFactory()
    tribunal = DepartmentFactory(court=court, name="沙沟人民法庭", type=DepartmentType.TRIBUNAL)
    civil = DepartmentFactory(court=court, name="民事审判第一庭", type=DepartmentType.TRIAL)
    office = DepartmentFactory(court=court, name="办公室", type=DepartmentType.ADMIN)
    built = []   # (person, hired_on, first department, department on 31 Dec 2016, member on 31 Dec 2016)
    plan = [(date(2013, 9, 1), civil, civil, True), (date(2014, 3, 1), tribunal, civil, True),
            (date(2014, 8, 1), tribunal, tribunal, False), (date(2015, 7, 1), office, office, True),
            (date(2016, 7, 1), tribunal, tribunal, True), (date(2016, 9, 1), civil, civil, False),
            (date(2017, 2, 1), tribunal, tribunal, True)]
    from tianping.party.models import PartyMember

    for hired, first, now, member in plan:
        p = PersonFactory(court=court, department=now, hired_on=hired)
        DepartmentAssignment.objects.filter(person=p).delete()
        if first != now:
            DepartmentAssignment.objects.create(court=court, person=p, department=first, start=hired,
                                                end=date(2015, 12, 31))
            DepartmentAssignment.objects.create(court=court, person=p, department=now, start=date(2016, 1, 1))
        else:
            DepartmentAssignment.objects.create(court=court, person=p, department=first, start=hired)
        if member:
            PartyMember.objects.create(court=court, person=p, stage="full", admitted_on=hired.replace(year=2005))
        built.append((p, hired, first, now, member))
    leader = PersonFactory(court=court, department=office, is_leadership=True, hired_on=date(2000, 1, 1))
    c = client_for(UserFactory(court=court, person=leader, roles=[Role.LEADER]))
    html = c.get(reverse("annual:placement") + "?year=2016").content.decode()

    recruits = [b for b in built if date(2014, 1, 1) <= b[1] <= date(2016, 12, 31)]
    assert _ids(html, "recruits-total") == {b[0].pk for b in recruits}
    assert _ids(html, "recruits-year") == {b[0].pk for b in recruits if b[1].year == 2016}
    assert _ids(html, "recruits-tribunals") == {b[0].pk for b in recruits if b[2] == tribunal}
    assert _ids(html, "recruits-elsewhere") == {b[0].pk for b in recruits if b[2] != tribunal}
    staff = [b for b in built if b[1] <= date(2016, 12, 31)]
    in_tribunal = [b for b in staff if b[3] == tribunal]
    assert _ids(html, "staff-tribunals") == {b[0].pk for b in in_tribunal}
    assert _ids(html, "members-tribunals") == {b[0].pk for b in in_tribunal if b[4]}
    others = [b for b in staff if b[3] != tribunal]
    assert _ids(html, "staff-others") == {b[0].pk for b in others} | {leader.pk}
    assert _ids(html, "members-others") == {b[0].pk for b in others if b[4]}
    judge = UserFactory(court=court, person=built[0][0], roles=[Role.MEMBER])
    assert client_for(judge).get(reverse("annual:placement")).status_code == 403
