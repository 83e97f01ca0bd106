"""Sites (诉讼服务中心 and the tribunals' service stations): a dispute is registered at a site; a station's desk
sees only its station's disputes (404 for another site's); figures and the list filter and group by site; a
tribunal's secretary reads their station's figures."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tianping.core.roles import Role
from tianping.mediation import services
from tianping.mediation.models import CentreStaff, Dispute, Site, SiteKind

pytestmark = pytest.mark.django_db


@pytest.fixture
def tribunals(court):
    from tianping.org.models import Department, DepartmentType

    return [Department.objects.create(court=court, name=n, type=DepartmentType.TRIBUNAL) for n in ("常庄法庭", "沙沟法庭")]


@pytest.fixture
def sites(court, tribunals, centre):
    services.sites_ensure(court=court, actor=centre)
    return {s.department_id or SiteKind.CENTRE: s for s in Site.objects.filter(court=court)}


@pytest.fixture
def station_desk(court, make_user, sites, tribunals):
    user = make_user(court, Role.CENTRE, username="station_a")
    CentreStaff.objects.create(court=court, user=user, site=sites[tribunals[0].pk])
    return user


def test_sites_are_created_once_per_court_and_tribunal(court, sites, tribunals, centre):
    assert sorted(s.name for s in sites.values()) == sorted(["诉讼服务中心", "常庄法庭服务站", "沙沟法庭服务站"])
    assert services.sites_ensure(court=court, actor=centre) == []  # idempotent


def test_station_staff_see_only_their_station(court, sites, tribunals, station_desk, make_dispute, client):
    mine = make_dispute(intake_department=tribunals[0])
    other = make_dispute(intake_department=tribunals[1])
    at_centre = make_dispute()
    visible = set(Dispute.objects.visible_to(station_desk).values_list("pk", flat=True))
    assert visible == {mine.pk}
    client.force_login(station_desk)
    assert client.get(reverse("mediation:dispute_detail", args=[mine.pk])).status_code == 200
    assert client.get(reverse("mediation:dispute_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("mediation:dispute_detail", args=[at_centre.pk])).status_code == 404
    # the registration form offers only their station
    page = client.get(reverse("mediation:dispute_create")).content.decode()
    assert "常庄法庭" in page and "沙沟法庭" not in page


def test_list_and_figures_by_site(court, sites, tribunals, make_dispute, centre, client):
    from tianping.mediation.selectors import figure_tables

    made = [make_dispute(intake_department=tribunals[0]), make_dispute(intake_department=tribunals[0]),
            make_dispute(intake_department=tribunals[1]), make_dispute()]
    expected = {"诉讼服务中心": 1, "常庄法庭": 2, "沙沟法庭": 1}
    _total, by = figure_tables(Dispute.objects.filter(court=court), {})
    assert {row["label"]: row["figures"]["received"] for row in by["site"]} == expected
    client.force_login(centre)
    for row in by["site"]:  # each figure's link lists exactly its disputes
        page = client.get(row["links"]["received"]).content.decode()
        shown = [d for d in made if d.number in page]
        assert len(shown) == expected[row["label"]]


def test_a_tribunal_secretary_reads_their_station_figures(court, sites, tribunals, make_dispute, make_user,
                                                          client):
    from tianping.mediation.selectors import figures, figures_scope
    from tianping.org.tests.factories import PersonFactory

    make_dispute(intake_department=tribunals[0])
    make_dispute(intake_department=tribunals[1])
    make_dispute()
    secretary = make_user(court, Role.BRANCH_SECRETARY, username="sec_a",
                          person=PersonFactory(court=court, name="庭书记", department=tribunals[0]))
    qs, linked = figures_scope(secretary)
    assert figures(qs)["received"] == 1 and linked is False
    client.force_login(secretary)
    assert client.get(reverse("mediation:figures")).status_code == 200
    assert client.get(reverse("mediation:dispute_list")).status_code == 403  # figures only, no lists


def test_every_dispute_is_registered_at_a_site(court, sites, tribunals, station_desk, centre, make_dispute):
    from django.core.exceptions import ValidationError

    from tianping.org.models import Department, DepartmentType

    office = Department.objects.create(court=court, name="办公室", type=DepartmentType.ADMIN)
    with pytest.raises(ValidationError) as exc:  # no station at the office
        make_dispute(intake_department=office)
    assert "服务站" in str(exc.value)
    with pytest.raises(ValidationError) as exc:  # a station's desk registers at its own station only
        make_dispute(actor=station_desk, intake_department=tribunals[1])
    assert "本站" in str(exc.value)
    mine = make_dispute(actor=station_desk, intake_department=tribunals[0])
    assert mine.site_label == "常庄法庭"
    assert make_dispute().site_label == "诉讼服务中心"


def test_an_entrusted_tribunal_case_is_mediated_at_its_station(court, sites, tribunals, judge, mediator):
    from datetime import date

    from tianping.trials.services import case_register

    case = case_register(court=court, type_code="民初", filed_on=date(2024, 3, 4), cause="买卖合同纠纷", actor=judge,
                         judge=judge.person, procedure="summary", department=tribunals[1],
                         parties=[{"role": "原告", "name": "原告甲"}, {"role": "被告", "name": "被告乙"}])
    m = services.mediation_entrust(case=case, actor=judge, entrusted_on=date(2024, 3, 5),
                                   deadline_on=date(2024, 3, 20), room="peoples", mediator=mediator)
    assert m.intake_department == tribunals[1]
