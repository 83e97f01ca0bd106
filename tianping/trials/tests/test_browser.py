"""Playwright: open 三比, click a figure, see its cases."""

import pytest

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_open_sanbi_click_figure_see_cases(casebook, make_user, login):
    make_user(casebook["court"], "trial_office", username="tb_trial")
    page = login("tb_trial")
    page.goto("/trials/?year=2016")
    headline = page.locator("[data-testid=headline]")
    assert headline.locator("[data-testid=figure-closed]").inner_text() == "6"
    page.wait_for_selector("[data-testid=chart-party] canvas")  # ECharts drew from the JSON element
    page.locator("[data-testid=table-party] [data-testid=figure-closed]").first.click()
    page.wait_for_load_state("networkidle")
    assert "/trials/cases/" in page.url and "party=1" in page.url
    page.wait_for_selector("[data-testid=drilldown]")
    rows = page.locator("[data-testid=case-table] tbody tr")
    numbers = {rows.nth(i).locator("td").first.inner_text() for i in range(rows.count())}
    expected = {casebook["cases"][i].number for i in (1, 4, 6)}
    assert numbers == expected
    assert "共 3 条" in page.locator("[data-testid=result-count]").inner_text()
