"""Issue 12's input rules in the centre: events that happened are not dated in the future (forms, services and
so imports), the calculator refuses absurd amounts and counts and says the limit, bad query values are no 500."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tianping.mediation import services
from tianping.mediation.models import Dispute, ProvinceStatistic

pytestmark = pytest.mark.django_db


def _tomorrow() -> date:
    return timezone.localdate() + timedelta(days=1)


def test_a_dispute_cannot_be_registered_tomorrow(make_dispute, client_for, centre):
    """Issue 12: a dispute registered 2027-01-05 got a 2027 number. Refused beside the field, no number used."""
    with pytest.raises(ValidationError) as exc:
        make_dispute(registered_on=_tomorrow())
    assert "registered_on" in exc.value.message_dict
    assert not Dispute.objects.exists()
    from tianping.trials.models import CaseSequence

    assert not CaseSequence.objects.filter(year=_tomorrow().year, type_code=services.DISPUTE_TYPE_CODE,
                                           last__gt=0).exists()
    from tianping.mediation.forms import DisputeForm

    form = DisputeForm({"registered_on": _tomorrow().isoformat(), "source": "application", "cause": "x",
                        "summary": "x"}, court=centre.court)
    assert not form.is_valid() and "晚于今天" in " ".join(form.errors["registered_on"])


def test_a_session_cannot_be_recorded_in_the_future(mediating, client_for, mediator_user):
    d = mediating()
    r = client_for(mediator_user).post(reverse("mediation:dispute_action", args=[d.pk, "session"]),
                                       {"held_on": _tomorrow().isoformat(), "online": "on", "attendees": "双方",
                                        "notes": "协商"})
    assert r.status_code == 200 and "晚于今天" in " ".join(r.context["form"].errors["held_on"])
    with pytest.raises(ValidationError) as exc:
        services.session_record(dispute=d, actor=mediator_user, held_on=_tomorrow(), attendees="双方", notes="x",
                                online=True)
    assert "held_on" in exc.value.message_dict
    assert not d.sessions.exists()


@pytest.mark.parametrize(("action", "field"), [("accept", "accepted_on"), ("fail", "ended_on"),
                                               ("withdraw", "ended_on")])
def test_action_dates_are_not_in_the_future(make_dispute, centre, mediator, client_for, action, field):
    d = make_dispute()
    services.dispute_triage(dispute=d, actor=centre, route="mediation", reason="适宜调解",
                            triaged_on=date(2024, 3, 1), room="peoples", mediator=mediator)
    r = client_for(centre).post(reverse("mediation:dispute_action", args=[d.pk, action]),
                                {field: _tomorrow().isoformat(), "reason": "x"})
    assert r.status_code == 200 and "晚于今天" in " ".join(r.context["form"].errors[field])


@pytest.fixture
def traffic(client_for, studio_judge_user, studio, make_dispute, centre):
    ProvinceStatistic.objects.create(province="山东", year=2022, urban_disposable_income=50000,
                                     rural_disposable_income=20000, urban_consumption=30000, rural_consumption=15000,
                                     average_wage=100000, is_demo=True)
    d = make_dispute(cause="机动车交通事故责任纠纷")
    services.dispute_triage(dispute=d, actor=centre, route="mediation", reason="交通", triaged_on=date(2024, 3, 1),
                            room="studio", studio=studio)
    data = {"province": "山东", "year": "2022", "accident_on": "2023-06-01", "victim_age": "30", "medical": "3000",
            "lost_days": "10", "daily_income": "200", "nursing_days": "0", "nurses": "1", "transport": "300",
            "hospital_days": "5", "nutrition_days": "0", "nutrition_daily": "0", "disability_coefficient": "0",
            "mental_solace": "0", "property_loss": "800", "liability_share": "0", "commercial_limit": "0"}
    return client_for(studio_judge_user), d, data


@pytest.mark.parametrize(("field", "value", "limit"), [
    ("lost_days", "100000", "3,650"),          # issue 12: 100,000 days of lost work went through
    ("nursing_days", "99999", "3,650"),
    ("hospital_days", "5000", "3,650"),
    ("nurses", "50", "10"),
    ("daily_income", "99999999", "100,000"),
    ("medical", "99999999999", "10,000,000"),
    ("property_loss", "1000000000", "100,000,000"),
    ("accident_on", "2999-01-01", "晚于今天"),
    ("year", "99999", "2999"),
])
def test_calculator_refuses_absurd_inputs_and_states_the_limit(traffic, field, value, limit):
    c, d, data = traffic
    r = c.post(reverse("mediation:calculator", args=[d.pk]), {**data, field: value})
    assert r.status_code == 200 and not d.calculations.exists()
    errors = " ".join(r.context["form"].errors[field])
    assert limit in errors, errors


def test_calculator_refuses_absurd_dependants(traffic):
    c, d, data = traffic
    r = c.post(reverse("mediation:calculator", args=[d.pk]), {**data, "dependants": "500/1"})
    assert "120" in " ".join(r.context["form"].errors["dependants"])
    r = c.post(reverse("mediation:calculator", args=[d.pk]), {**data, "dependants": "\n".join(["8/1"] * 21)})
    assert "最多填写 20 人" in " ".join(r.context["form"].errors["dependants"])
    assert c.post(reverse("mediation:calculator", args=[d.pk]), {**data, "dependants": "8/2"}).status_code == 302


@pytest.mark.parametrize("query", ["from=99999-01-01", "from=2024-13-40&to=abc", "to=0001-01-01",
                                   "from=2024-01-01&to=2023-01-01"])
def test_figures_period_values_are_no_500(client_for, centre, query):
    r = client_for(centre).get(reverse("mediation:figures") + "?" + query)
    assert r.status_code == 200


@pytest.mark.parametrize("query", ["month=99999-01", "month=2024-13", "month=abc", "registered_from=99999-01-01",
                                   "registered_to=2024-02-30", "stage=nonsense", "mediator=abc", "overdue=maybe"])
def test_dispute_list_values_are_no_500(client_for, centre, make_dispute, query):
    make_dispute()
    r = client_for(centre).get(reverse("mediation:dispute_list") + "?" + query)
    assert r.status_code == 200


def test_month_filter_reproduces_the_month(client_for, centre, make_dispute):
    make_dispute(registered_on=date(2024, 2, 29))
    make_dispute(registered_on=date(2024, 3, 1))
    c = client_for(centre)
    assert c.get(reverse("mediation:dispute_list") + "?month=2024-02").context["result_count"] == 1
    assert c.get(reverse("mediation:dispute_list") + "?month=2024-12").context["result_count"] == 0
