import io
import re
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tianping.core.validators import id_check_char
from tianping.org.models import Department, DepartmentAssignment, Gender, Person
from tianping.org.tests.factories import DepartmentFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def roster(court):
    """Two departments with a known set of people (one has left, one has a namesake in another court)."""
    civil = DepartmentFactory(court=court, name="民事审判庭", sort_order=1)
    filing = DepartmentFactory(court=court, name="立案庭", sort_order=2)
    people = []
    for i in range(30):
        people.append(PersonFactory(court=court, department=civil if i % 3 else filing, name=f"张{i:02d}",
                                    staff_number=f"{i:04d}", post="judge" if i % 2 else "clerk",
                                    is_quota_judge=bool(i % 2)))
    people.append(PersonFactory(court=court, department=filing, name="李离职", staff_number="0100",
                                left_on=date(2016, 6, 30)))
    return {"civil": civil, "filing": filing, "people": people}


@pytest.fixture
def office(court, make_user, client_for):
    return client_for(make_user(court, "party_office", "member"))


def _rows(response) -> list[str]:
    """Person names in the rendered table body, in order."""
    body = response.content.decode()
    tbody = body.split("<tbody", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r'<a href="/org/people/\d+/">([^<]+)</a>', tbody)


def _count(response) -> int:
    m = re.search(r'data-testid="result-count">共 (\d+) 条', response.content.decode())
    assert m, "result count missing"
    return int(m.group(1))


def test_list_counts_and_paginates(office, roster):
    url = reverse("org:person_list")
    r = office.get(url)
    assert r.status_code == 200
    assert _count(r) == 31
    assert len(_rows(r)) == 25
    r2 = office.get(url, {"page": 2})
    assert len(_rows(r2)) == 6
    assert not set(_rows(r)) & set(_rows(r2))


def test_keyword_search_by_name_and_staff_number(office, roster, other_court):
    PersonFactory(court=other_court, name="张05")  # another court's namesake stays out
    url = reverse("org:person_list")
    r = office.get(url, {"q": "张05"})
    assert _rows(r) == ["张05"]
    r = office.get(url, {"q": "0100"})
    assert _rows(r) == ["李离职"]


def test_filters_combine(office, roster):
    url = reverse("org:person_list")
    r = office.get(url, {"department": roster["filing"].pk, "in_service": "true"})
    expected = Person.objects.filter(department=roster["filing"], left_on__isnull=True).count()
    assert _count(r) == expected == 10
    r = office.get(url, {"department": roster["civil"].pk, "is_quota_judge": "true"})
    expected = Person.objects.filter(department=roster["civil"], is_quota_judge=True).count()
    assert _count(r) == expected
    r = office.get(url, {"in_service": "false"})
    assert _rows(r) == ["李离职"]


def test_sort_by_column(office, roster):
    url = reverse("org:person_list")
    asc = _rows(office.get(url, {"sort": "staff_number", "q": "张"}))
    desc = _rows(office.get(url, {"sort": "-staff_number", "q": "张"}))
    assert asc[:3] == ["张00", "张01", "张02"]
    assert desc[:3] == ["张29", "张28", "张27"]


def test_sort_and_page_links_keep_the_filter(office, roster):
    r = office.get(reverse("org:person_list"), {"q": "张"}, HTTP_HX_REQUEST="true")
    html = r.content.decode()
    # an htmx request gets only the table, plus the export link out of band
    assert "<html" not in html
    assert 'id="export-link"' in html and 'hx-swap-oob="true"' in html
    assert re.search(r'href="\?[^"]*q=%E5%BC%A0[^"]*export=xlsx', html)
    sort_links = re.findall(r'<th[^>]*>\s*<a href="([^"]+)"', html)
    assert sort_links and all("q=%E5%BC%A0" in link and "sort=" in link for link in sort_links)
    page_links = re.findall(r'class="page-link"\s+href="([^"]+)"|href="([^"]+)" class="page-link"', html)
    links = [a or b for a, b in page_links]
    assert links and all("q=%E5%BC%A0" in link and "page=" in link for link in links)


def test_export_gives_exactly_the_filtered_rows(office, roster):
    r = office.get(reverse("org:person_list"), {"department": roster["filing"].pk, "in_service": "true",
                                                "export": "xlsx"})
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/vnd.openxmlformats")
    ws = load_workbook(io.BytesIO(r.content)).active
    rows = list(ws.iter_rows(values_only=True))
    header = rows[0]
    assert header[:4] == ("姓名", "性别", "出生日期", "身份证号")
    got = {row[header.index("工号")] for row in rows[1:]}
    expected = set(Person.objects.filter(department=roster["filing"], left_on__isnull=True)
                   .values_list("staff_number", flat=True))
    assert got == expected
    assert all(isinstance(v, str) and len(v) == 4 for v in got)  # leading zeros kept


def test_export_without_filter_gives_all_visible_rows(office, roster, other_court):
    PersonFactory(court=other_court)
    r = office.get(reverse("org:person_list"), {"export": "xlsx"})
    ws = load_workbook(io.BytesIO(r.content)).active
    assert ws.max_row - 1 == Person.objects.filter(court=roster["civil"].court).count()


def test_detail_masks_and_scopes(office, roster, other_court):
    p = roster["people"][0]
    r = office.get(reverse("org:person_detail", args=[p.pk]))
    html = r.content.decode()
    assert p.id_number_masked in html
    assert p.id_number not in html
    outsider = PersonFactory(court=other_court)
    assert office.get(reverse("org:person_detail", args=[outsider.pk])).status_code == 404


def _form_data(dep, **kw):
    born = date(1990, 2, 14)
    first17 = f"370403{born:%Y%m%d}123"
    data = {"name": "赵敏", "gender": Gender.MALE, "birth_date": "1990-02-14",
            "id_number": first17 + id_check_char(first17), "phone": "13700001111", "staff_number": "0777",
            "department": dep.pk, "post": "judge", "education": "bachelor", "hired_on": "2014-09-01"}
    data.update(kw)
    return data


def test_create_with_wrong_id_keeps_input_and_shows_error_beside_field(office, roster):
    good = _form_data(roster["civil"])["id_number"]
    wrong = good[:17] + ("1" if good[17] != "1" else "2")
    r = office.post(reverse("org:person_create"), _form_data(roster["civil"], id_number=wrong))
    assert r.status_code == 200
    html = r.content.decode()
    err = re.search(r'<ul class="errorlist" data-testid="error-id_number">(.*?)</ul>', html, re.S)
    assert err and "身份证号校验位错误" in err.group(1) and f"应为 {good[17]}" in err.group(1)
    assert f'value="{wrong}"' in html  # what the user typed stays
    assert 'value="赵敏"' in html and 'value="0777"' in html
    assert not Person.objects.filter(name="赵敏").exists()


def test_create_and_edit_person(office, roster):
    r = office.post(reverse("org:person_create"), _form_data(roster["civil"]))
    assert r.status_code == 302
    p = Person.objects.get(name="赵敏")
    assert r["Location"] == reverse("org:person_detail", args=[p.pk])
    assert p.staff_number == "0777"
    assert DepartmentAssignment.objects.filter(person=p, department=roster["civil"], end=None).count() == 1
    # edit: move to 立案庭; the ID number field left blank keeps the stored one
    edit = reverse("org:person_edit", args=[p.pk])
    page = office.get(edit).content.decode()
    assert p.id_number not in page  # never echoed into the form
    data = _form_data(roster["filing"], id_number="", phone="", moved_on="2020-01-01", loaded_version=p.version)
    r = office.post(edit, data)
    assert r.status_code == 302, r.content.decode()[:2000]
    p.refresh_from_db()
    assert p.department == roster["filing"]
    assert p.id_number.startswith("370403199002141")
    assert p.phone == "13700001111"
    assert p.department_on(date(2019, 12, 31)) == roster["civil"]
    assert p.department_on(date(2020, 1, 2)) == roster["filing"]


def test_edit_with_stale_version_is_refused(office, roster):
    p = roster["people"][1]
    edit = reverse("org:person_edit", args=[p.pk])
    data = _form_data(roster["civil"], name="改名甲", id_number="", phone="", birth_date=p.birth_date.isoformat(),
                      gender=p.gender, staff_number=p.staff_number, loaded_version=p.version)
    Person.objects.filter(pk=p.pk).update(version=p.version + 1)  # someone saved meanwhile
    r = office.post(edit, data)
    assert r.status_code == 200
    assert "已被他人修改" in r.content.decode()
    assert "改名甲" in r.content.decode()  # the user's edit is still in the form
    p.refresh_from_db()
    assert p.name != "改名甲"


def test_only_the_political_department_edits_the_roster(court, make_user, client_for, roster):
    judge = client_for(make_user(court, "member"))
    assert judge.get(reverse("org:person_create")).status_code == 403
    # outside the judge's scope (someone else's record): 404, as if it did not exist
    assert judge.get(reverse("org:person_edit", args=[roster["people"][0].pk])).status_code == 404
    # a leader reads the whole roster but does not keep it: 403 on a record it can see
    leader = client_for(make_user(court, "leader"))
    assert leader.get(reverse("org:person_detail", args=[roster["people"][0].pk])).status_code == 200
    assert leader.get(reverse("org:person_edit", args=[roster["people"][0].pk])).status_code == 403
    assert leader.get(reverse("org:department_edit", args=[roster["filing"].pk])).status_code == 403


def test_org_tree_counts_match_an_independent_count(office, roster, court):
    Department.objects.create(court=court, name="空部门", type="admin", sort_order=9)
    r = office.get(reverse("org:tree"))
    html = r.content.decode()
    shown = {int(d): int(n) for d, n in re.findall(r'data-department="(\d+)" data-count="(\d+)"', html)}
    for dep in Department.objects.filter(court=court):
        assert shown[dep.pk] == Person.objects.filter(department=dep, left_on__isnull=True).count(), dep.name
    court_total = int(re.search(r'data-testid="court-count" data-count="(\d+)"', html).group(1))
    assert court_total == Person.objects.filter(court=court, left_on__isnull=True).count() == 30
    # each count links to the roster filtered to the same people
    link = re.search(rf'href="([^"]+)" data-testid="dep-count" data-department="{roster["filing"].pk}"', html)
    listed = office.get(link.group(1).replace("&amp;", "&"))
    assert _count(listed) == shown[roster["filing"].pk]


def test_home_figures_link_to_their_rows(office, roster, court):
    html = office.get(reverse("core:home")).content.decode()
    in_service = Person.objects.filter(court=court, left_on__isnull=True)
    m = re.search(r'<a href="(/org/people/\?in_service=true)">(\d+)</a>', html)
    assert m and int(m.group(2)) == in_service.count()
    assert _count(office.get(m.group(1))) == in_service.count()
    m = re.search(r'<a href="(/org/people/\?in_service=true&amp;is_quota_judge=true)">(\d+)</a>', html)
    assert m and int(m.group(2)) == in_service.filter(is_quota_judge=True).count()
    assert _count(office.get(m.group(1).replace("&amp;", "&"))) == int(m.group(2))


def test_menu_items_lead_somewhere(court, roster, make_user, client_for):
    """Every org menu item a role sees opens (200) and is not an empty list; the roster is not offered to a
    member (their own record only), the court list to the system administrator shows its court."""
    from tianping.core.menu import menu_for

    for roles in (("sysadmin",), ("member",), ("leader",), ("party_office",), ("trial_office",)):
        user = make_user(court, *roles, person=None)
        c = client_for(user)
        for group in menu_for(user):
            for item in group["items"]:
                if not item["url"].startswith("/org/"):
                    continue
                r = c.get(item["url"])
                assert r.status_code == 200, (roles, item["url"])
                if "result_count" in (r.context or {}):
                    assert r.context["result_count"] > 0, (roles, item["url"])
    member_labels = {str(i["label"]) for g in menu_for(make_user(court, "member")) for i in g["items"]}
    assert "人员名册" not in member_labels


def test_hire_date_cannot_lie_in_the_future(office, roster):
    """Issue 12: 入职日期 2030-07-01 was accepted. Refused beside the field, what was typed kept."""
    from datetime import timedelta

    from django.utils import timezone

    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    r = office.post(reverse("org:person_create"), _form_data(roster["civil"], hired_on=tomorrow))
    assert r.status_code == 200 and not Person.objects.filter(name="赵敏").exists()
    html = r.content.decode()
    err = re.search(r'<ul class="errorlist" data-testid="error-hired_on">(.*?)</ul>', html, re.S)
    assert err and "晚于今天" in err.group(1)
    assert 'value="赵敏"' in html
