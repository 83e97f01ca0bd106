"""The annual report's honours and pioneer-post figures (honours/report.py) worked out by hand, and their links
listing exactly the records counted."""

from __future__ import annotations

import re
from datetime import date

import pytest

from tianping.honours.models import Honour, PioneerPost, PostHolder
from tianping.honours.report import honours_figures

pytestmark = pytest.mark.django_db


def _honour(court, cert, name, day, person=None, **kw):
    kind = "person" if person is not None else "department"
    return Honour.objects.create(court=court, name=name, level="court", issuer="机关党委", awarded_on=day,
                                 holder_kind=kind, person=person, certificate_number=cert, **kw)


def test_honours_and_able_handlers_worked_out_by_hand(setup, other_court, client_for):
    """Individual honours 2014–2016: H1 张伟(0312) 办案能手 03-01, H2 张伟(0455) 调解能手 12-31 and H3 办案能手
    06-01, H4 王强 (not a member) 办案能手, H5 新人 调解能手 on 03-01 (admitted only on 07-01), H6 李娜 2014-01-01,
    H7 李娜 2015年度办案能手 on 2015-12-31 → 7; in 2016: H1–H5 = 5. Not counted: H8 (2013-12-31), H9
    (2017-01-01), a department's honour and another court's. Able handlers of 2016: the people 张伟(0312),
    张伟(0455) (awarded twice, counted once), 王强, 新人 → members on the award date 2 of 4 = 0.5. 2013 had no
    能手: no share (null)."""
    from tianping.org.tests.factories import PersonFactory
    from tianping.party.tests.factories import make_member

    court, s = setup["court"], setup
    newbie = PersonFactory(court=court, name="新人", staff_number="0999", department=s["dep"])
    make_member(branch=s["branch"], person=newbie, stage="probationary", admitted_on=date(2016, 7, 1))
    _honour(court, "H1", "2016年度办案能手", date(2016, 3, 1), s["zw1"])
    _honour(court, "H2", "2016年度调解能手", date(2016, 12, 31), s["zw2"])
    _honour(court, "H3", "2016年度办案能手", date(2016, 6, 1), s["zw2"])
    _honour(court, "H4", "2016年度办案能手", date(2016, 5, 1), s["outsider"])
    _honour(court, "H5", "2016年度调解能手", date(2016, 3, 1), newbie)
    _honour(court, "H6", "先进工作者", date(2014, 1, 1), s["li"])
    _honour(court, "H7", "2015年度办案能手", date(2015, 12, 31), s["li"])
    _honour(court, "H8", "先进工作者", date(2013, 12, 31), s["li"])
    _honour(court, "H9", "先进工作者", date(2017, 1, 1), s["li"])
    _honour(court, "H10", "先进集体", date(2016, 5, 1), department=s["dep"])
    _honour(other_court, "H11", "2016年度办案能手", date(2016, 5, 1), PersonFactory(court=other_court))

    figures = honours_figures(court, 2016)
    assert figures["honours_person_times_3y"].value == 7
    assert figures["honours_person_times_year"].value == 5
    assert figures["able_handlers_party_share"].value == 0.5
    assert honours_figures(court, 2013)["able_handlers_party_share"].value is None

    office = client_for(s["office"])

    def listed(url):
        page = office.get(url)
        assert page.status_code == 200
        return set(re.findall(r">\s*(H\d+)\s*<", page.content.decode()))

    assert listed(figures["honours_person_times_3y"].url) == {f"H{n}" for n in range(1, 8)}
    assert listed(figures["honours_person_times_year"].url) == {f"H{n}" for n in range(1, 6)}
    assert listed(figures["able_handlers_party_share"].url) == {"H1", "H2", "H3", "H4", "H5"}


def test_pioneer_posts_with_a_holder_at_year_end(setup, other_court, client_for):
    """On 2016-12-31: A held since 2015 (counts), B whose holder left on 12-30 (no), C held from 2017 (no),
    D with two holders (counts once), another court's held post (no) → 2; the link lists A and D."""
    from tianping.org.tests.factories import DepartmentFactory, PersonFactory

    court, s = setup["court"], setup

    def post(name, c=court, dep=s["dep"]):
        return PioneerPost.objects.create(court=c, name=name, window="filing", department=dep)

    a, b, c, d = post("岗甲"), post("岗乙"), post("岗丙"), post("岗丁")
    PostHolder.objects.create(post=a, person=s["zw1"], start=date(2015, 1, 1))
    PostHolder.objects.create(post=b, person=s["zw2"], start=date(2014, 1, 1), end=date(2016, 12, 30))
    PostHolder.objects.create(post=c, person=s["li"], start=date(2017, 1, 1))
    PostHolder.objects.create(post=d, person=s["li"], start=date(2016, 1, 1), end=date(2016, 12, 31))
    PostHolder.objects.create(post=d, person=s["zw2"], start=date(2016, 6, 1))
    theirs = post("外院岗", other_court, DepartmentFactory(court=other_court))
    PostHolder.objects.create(post=theirs, person=PersonFactory(court=other_court), start=date(2015, 1, 1))

    fig = honours_figures(court, 2016)["pioneer_posts"]
    assert fig.value == 2
    assert honours_figures(court, 2013)["pioneer_posts"].value == 0
    page = client_for(s["office"]).get(fig.url)
    assert page.status_code == 200
    assert set(re.findall(r"岗[甲乙丙丁]|外院岗", page.content.decode())) == {"岗甲", "岗丁"}
