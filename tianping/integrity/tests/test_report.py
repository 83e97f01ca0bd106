"""The annual report's judge_letters (integrity/report.py), worked out by hand, and its link."""

from __future__ import annotations

from datetime import date

import pytest

from tianping.integrity import services
from tianping.integrity.report import integrity_figures
from tianping.trials.tests.factories import make_case

pytestmark = pytest.mark.django_db


def test_judge_letters_counts_the_years_letters_of_the_court_and_links_to_them(
        court, other_court, judge, templates, users, client_for):
    """Letters issued (= filed) on 2016-01-01, 2016-07-01 and 2016-12-31 count; 2015-12-31 (before the first
    template: issued by hand here), 2017-01-01 and a letter of another court in 2016 do not → 3."""
    from tianping.integrity.models import JudgeLetter, LetterTemplate

    counted = [make_case(court, filed_on=d, judge=judge) for d in (date(2016, 1, 1), date(2016, 7, 1),
                                                                   date(2016, 12, 31))]
    outside = [make_case(court, filed_on=d, judge=judge) for d in (date(2015, 12, 31), date(2017, 1, 1))]
    for case in counted + outside[1:]:
        assert services.judge_letter_issue(case=case, actor=None) is not None
    JudgeLetter.objects.create(court=court, case=outside[0], template=templates[0], issued_on=date(2015, 12, 31))
    theirs = LetterTemplate.objects.create(court=other_court, version=1, body="{案号}", complaint_phone="12368",
                                           effective_from=date(2016, 1, 1))
    other_case = make_case(other_court, filed_on=date(2016, 5, 5))
    JudgeLetter.objects.create(court=other_court, case=other_case, template=theirs, issued_on=date(2016, 5, 5))

    fig = integrity_figures(court, 2016)["judge_letters"]
    assert fig.value == 3
    assert integrity_figures(court, 2014)["judge_letters"].value == 0
    page = client_for(users["party_office"]).get(fig.url)
    assert page.status_code == 200
    html = page.content.decode()
    listed = {c.number for c in counted + outside + [other_case] if c.number in html}
    assert listed == {c.number for c in counted}
