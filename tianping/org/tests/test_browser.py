"""The staff roster in Debian's Chromium: tree, create with a wrong ID number, search, export, English."""

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from tianping.core.validators import id_check_char
from tianping.org.models import Department, Person
from tianping.org.tests.factories import DepartmentFactory, PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def office_court(court, make_user):
    civil = DepartmentFactory(court=court, name="民事审判庭", sort_order=1)
    DepartmentFactory(court=court, name="沙沟人民法庭", type="tribunal", sort_order=2)
    for i in range(6):
        PersonFactory(court=court, department=civil, name=f"钱{i}", staff_number=f"01{i:02d}")
    make_user(court, "party_office", "member", username="office")
    return court


def test_roster_round_trip(login, office_court):
    page = login("office")
    page.locator("aside").get_by_role("link", name="组织架构").click()
    tree = page.get_by_test_id("org-tree")
    tree.wait_for()
    assert "民事审判庭" in tree.inner_text()
    assert page.get_by_test_id("court-count").get_attribute("data-count") == "6"

    # create a person with a wrong check character
    page.locator("aside").get_by_role("link", name="人员名册").click()
    page.get_by_role("link", name="新增").click()
    born = date(1991, 4, 16)
    first17 = f"370403{born:%Y%m%d}235"
    good = first17 + id_check_char(first17)
    wrong = first17 + ("0" if good[-1] != "0" else "1")
    page.fill("#id_name", "孙悦")
    page.select_option("#id_gender", "M")
    page.fill("#id_birth_date", "1991-04-16")
    page.fill("#id_id_number", wrong)
    page.fill("#id_staff_number", "0888")
    page.select_option("#id_department", label="沙沟人民法庭")
    page.select_option("#id_post", "judge")
    page.get_by_test_id("save").click()
    error = page.get_by_test_id("error-id_number")
    error.wait_for()
    assert "身份证号校验位错误" in error.inner_text() and good[-1] in error.inner_text()
    assert page.input_value("#id_id_number") == wrong  # input kept
    assert page.input_value("#id_name") == "孙悦"
    assert page.input_value("#id_staff_number") == "0888"
    assert not Person.objects.filter(name="孙悦").exists()

    # correct it and save
    page.fill("#id_id_number", good)
    page.get_by_test_id("save").click()
    page.get_by_test_id("person-info").wait_for()
    assert "3704**********" in page.get_by_test_id("person-info").inner_text()
    assert good not in page.content()

    # find the person by search (htmx swaps the table)
    page.locator("aside").get_by_role("link", name="人员名册").click()
    page.fill("#id_q", "孙悦")
    page.get_by_test_id("search").click()
    page.wait_for_url("**q=%E5%AD%99%E6%82%A6**")
    page.wait_for_function("document.querySelector('[data-testid=result-count]').textContent.includes('共 1 条')")
    assert page.locator("#list-table tbody tr").count() == 1
    assert "孙悦" in page.locator("#list-table tbody").inner_text()

    # export the filtered list and read it back
    with page.expect_download() as info:
        page.get_by_test_id("export").click()
    data = open(info.value.path(), "rb").read()
    ws = load_workbook(io.BytesIO(data)).active
    rows = list(ws.iter_rows(values_only=True))
    header = rows[0]
    assert [r[header.index("姓名")] for r in rows[1:]] == ["孙悦"]
    assert rows[1][header.index("工号")] == "0888"
    assert rows[1][header.index("部门")] == "沙沟人民法庭"

    # switch to English
    page.get_by_test_id("lang-en").click()
    page.wait_for_load_state("networkidle")
    side = page.locator("aside").inner_text()
    assert "Staff roster" in side and "Organisation chart" in side
    assert "人员名册" not in side
    assert page.get_by_test_id("export").inner_text().strip() == "Export"
    page.get_by_test_id("lang-zh").click()
    page.wait_for_load_state("networkidle")
    assert "人员名册" in page.locator("aside").inner_text()


def test_sort_and_page_links_swap_the_table(login, office_court):
    civil = Department.objects.get(court=office_court, name="民事审判庭")
    for i in range(30):
        PersonFactory(court=office_court, name=f"周{i:02d}", staff_number=f"05{i:02d}", department=civil)
    page = login("office")
    page.goto("/org/people/?q=周")
    assert "共 30 条" in page.get_by_test_id("result-count").inner_text()
    page.locator("#list-table th a", has_text="工号").click()
    page.wait_for_url("**sort=staff_number**")
    first = page.locator("#list-table tbody tr").first.inner_text()
    assert "周00" in first
    page.locator("#list-table th a", has_text="工号").click()
    page.wait_for_url("**sort=-staff_number**")
    assert "周29" in page.locator("#list-table tbody tr").first.inner_text()
    page.locator("#list-table .pagination a", has_text="2").first.click()
    page.wait_for_url("**page=2**")
    assert "q=%E5%91%A8" in page.url
    assert page.locator("#list-table tbody tr").count() == 5
    assert "共 30 条" in page.get_by_test_id("result-count").inner_text()
    assert "page=" not in page.get_by_test_id("export").get_attribute("href")
    assert "sort=-staff_number" in page.get_by_test_id("export").get_attribute("href")
