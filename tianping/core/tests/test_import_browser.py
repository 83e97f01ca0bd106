"""What the political department does in the browser: download the template, upload, read the problems,
download the error report, fix, commit; and a large file's progress bar."""

from __future__ import annotations

import pytest
from openpyxl import Workbook, load_workbook

from tianping.core.tests.importdata import DEPARTMENTS, PEOPLE_HEADERS, person_row
from tianping.org.models import Department, Person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path / "data"


@pytest.fixture
def shot(request):
    """shot(page, name): with --screenshots, write docs/screenshots/core-<name>.png."""
    from pathlib import Path

    folder = Path(__file__).resolve().parents[3] / "docs" / "screenshots"

    def _shot(page, name):
        if request.config.getoption("--screenshots"):
            folder.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(folder / f"core-{name}.png"), full_page=True)

    return _shot


@pytest.fixture
def office_page(court, make_user, login):
    for name in DEPARTMENTS:
        Department.objects.create(court=court, name=name, type="trial")
    make_user(court, "party_office", username="po_import")
    return login("po_import")


def _sheet(path, rows):
    wb = Workbook()
    ws = wb.active
    ws.append(PEOPLE_HEADERS)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def test_upload_preview_error_report_fix_and_commit(office_page, court, tmp_path, shot):
    page = office_page
    page.goto("/org/people/")
    page.click("text=导入")
    page.wait_for_selector("[data-testid=upload-form]")
    shot(page, "import-start")
    with page.expect_download() as dl:
        page.click("[data-testid=download-template]")
    template = tmp_path / "template.xlsx"
    dl.value.save_as(template)
    assert [c.value for c in load_workbook(template).active[1]] == PEOPLE_HEADERS

    rows = [person_row(i) for i in range(6)]
    rows[3][6] = "不存在的庭"
    page.set_input_files("input[type=file]", str(_sheet(tmp_path / "people.xlsx", rows)))
    page.click("[data-testid=upload-submit]")
    page.wait_for_selector("[data-testid=preview-problems]")
    assert "第 5 行：部门：本院没有名为“不存在的庭”的部门" in page.inner_text("[data-testid=problems]")
    assert page.locator("[data-testid=commit]").count() == 0
    shot(page, "import-preview-problems")
    with page.expect_download() as dl:
        page.click("[data-testid=download-report]")
    report = tmp_path / "report.xlsx"
    dl.value.save_as(report)
    ws = load_workbook(report).active
    assert ws.cell(row=1, column=13).value == "错误原因" and "不存在的庭" in ws.cell(row=5, column=13).value

    # Fix the cell in the error report itself and upload it again.
    wb = load_workbook(report)
    wb.active.cell(row=5, column=7).value = DEPARTMENTS[1]
    wb.save(report)
    page.click("[data-testid=upload-again]")
    page.set_input_files("input[type=file]", str(report))
    page.click("[data-testid=upload-submit]")
    page.wait_for_selector("[data-testid=preview-ok]")
    assert page.inner_text("[data-testid=count-created]") == "6"
    assert Person.objects.count() == 0
    shot(page, "import-preview-ok")
    page.click("[data-testid=commit]")
    page.wait_for_selector("[data-testid=import-committed]")
    shot(page, "import-committed")
    assert Person.objects.filter(court=court).count() == 6
    assert Person.objects.get(court=court, staff_number="00004").department.name == DEPARTMENTS[1]


def test_a_large_file_shows_a_progress_bar_until_the_worker_is_done(office_page, court, tmp_path, settings, shot):
    from tianping.core.importexport_jobs import job_load, job_run

    settings.TIANPING_IMPORT_INLINE_BYTES = 0  # every file goes to the background worker
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # a worker we drive
    page = office_page
    page.goto("/import/people/")
    page.set_input_files("input[type=file]", str(_sheet(tmp_path / "p.xlsx", [person_row(i) for i in range(30)])))
    page.click("[data-testid=upload-submit]")
    page.wait_for_selector("[data-testid=import-progress]")
    assert "排队" in page.inner_text("[data-testid=import-progress]")
    job_id = page.url.rstrip("/").split("/")[-1]
    job = job_load(job_id)
    job.update(status="running", progress={"done": 15, "total": 30})
    from playwright.sync_api import expect

    expect(page.locator("[data-testid=progress-bar]")).to_have_text("50%", timeout=10000)  # the next poll
    shot(page, "import-progress")
    job_run(job_id, "preview")  # what `manage.py db_worker` does
    page.wait_for_selector("[data-testid=preview-ok]", timeout=10000)  # the poll saw the end and reloaded
    assert page.inner_text("[data-testid=count-created]") == "30"
