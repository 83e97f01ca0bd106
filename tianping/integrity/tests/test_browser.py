"""The filing desk in a browser: file a case at the desk, print its letter, see it counted."""

from __future__ import annotations

import pytest
from django.utils import timezone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_file_a_case_print_its_letter_and_see_it_counted(login, court, users, deps, judge, templates, reference_data):
    from tianping.integrity.models import JudgeLetter

    page = login("desk")
    page.goto("/integrity/")
    assert page.inner_text("[data-testid=letters-count]").strip() == "0"
    page.click("[data-testid=file-case-link]")
    page.select_option("#id_type_code", "民初")
    page.fill("#id_cause", "民间借贷纠纷")
    page.select_option("#id_procedure", "summary")
    page.fill("#id_plaintiffs", "原告张三")
    page.fill("#id_defendants", "被告李四")
    page.select_option("#id_department", label="民事审判第一庭")
    page.select_option("#id_judge", value=str(judge.pk))
    page.click("[data-testid=file-case]")
    page.wait_for_load_state("networkidle")
    number = f"({timezone.localdate().year})鲁0403民初1号"
    assert number in page.content()  # the success message and the letters list
    page.click("[data-testid=letter-link]")
    assert number in page.inner_text("[data-testid=letter-text]")
    assert judge.name in page.inner_text("[data-testid=letter-text]")
    with page.expect_download() as info:
        page.click("[data-testid=print-pdf]")
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as fh:
        assert fh.read(5) == b"%PDF-"
    page.reload()
    assert page.inner_text("[data-testid=print-count]").strip() == "1"
    page.goto("/integrity/")
    assert page.inner_text("[data-testid=letters-count]").strip() == "1"
    assert page.inner_text("[data-testid=letters-share]").strip() == "100.0%"
    assert JudgeLetter.objects.get().template.version == 2
