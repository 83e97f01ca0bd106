"""One way to act: the ACTIONS table on tianping.core.actions — every service error beside its field, a refused
material keeps what was typed, a re-posted or doubly posted registration makes one dispute."""

from __future__ import annotations

import inspect
import re
import threading
from datetime import date

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tianping.mediation import services
from tianping.mediation.models import Dispute, Material, Status
from tianping.mediation.views import ACTIONS
from tianping.org.tests.factories import make_id_number

SERVICES = {
    "triage": [services.dispute_triage, services._filing_transfer],
    "reassign": [services.dispute_reassign],
    "accept": [services.mediation_accept],
    "session": [services.session_record],
    "extend": [services.deadline_extend],
    "agreement": [services.agreement_record],
    "fail": [services.mediation_fail],
    "withdraw": [services.dispute_withdraw],
    "perform": [services.performance_record],
    "confirm_apply": [services.confirmation_apply],
    "rule": [services.confirmation_rule],
    "transfer": [services.filing_transfer, services._filing_transfer],
}
FIELD_ERROR = re.compile(r'ValidationError\(\{"(\w+)"')


@pytest.mark.django_db
def test_every_service_error_lands_on_a_field(make_dispute):
    """Each field a service names in a refusal is a field of its action's form (directly or via field_map):
    before, confirmation_apply said `confirmation_applied_on` and the error landed at the top."""
    assert set(SERVICES) == set(ACTIONS)
    d = make_dispute()
    misplaced = []
    for name, funcs in SERVICES.items():
        action = ACTIONS[name]
        form = action.form_class(**action.form_kwargs(d))
        for func in funcs:
            for field in FIELD_ERROR.findall(inspect.getsource(func)):
                if action.field_map.get(field, field) not in form.fields:
                    misplaced.append(f"{name}: {field}")
    assert misplaced == []


@pytest.mark.django_db
def test_refusals_show_beside_their_field_with_the_input_kept(client_for, centre, mediator_user, agreed):
    d = agreed()  # effective 2024-03-20
    c = client_for(mediator_user)
    r = c.post(reverse("mediation:dispute_action", args=[d.pk, "confirm_apply"]),
               {"applied_on": "2024-03-10", "applicants": list(d.parties.values_list("pk", flat=True))})
    assert r.status_code == 200
    form = r.context["form"]
    assert "申请日期不能早于协议生效日期" in " ".join(form.errors["applied_on"]) and not form.non_field_errors()
    assert 'value="2024-03-10"' in r.content.decode()

    c = client_for(centre)
    other = agreed()
    services.confirmation_apply(dispute=other, actor=centre, applied_on=date(2024, 3, 25),
                                applicant_ids=list(other.parties.values_list("pk", flat=True)))
    r = c.post(reverse("mediation:dispute_action", args=[other.pk, "rule"]),
               {"ruling": "rejected", "ruled_on": "2024-03-28", "reason": ""})
    assert "驳回申请须写明理由" in " ".join(r.context["form"].errors["reason"])
    r = c.post(reverse("mediation:dispute_action", args=[other.pk, "rule"]),
               {"ruling": "confirmed", "ruled_on": "2024-03-01", "reason": ""})
    assert "裁定日期不能早于申请日期" in " ".join(r.context["form"].errors["ruled_on"])


@pytest.mark.django_db
def test_an_action_in_the_wrong_state_is_refused_at_the_top(client_for, centre, mediating):
    d = mediating()
    r = client_for(centre).post(reverse("mediation:dispute_action", args=[d.pk, "perform"]),
                                {"performed_on": "2024-03-20"})
    assert r.status_code == 200 and r.context["form"].non_field_errors()
    d.refresh_from_db()
    assert d.status == Status.MEDIATING
    assert client_for(centre).get(f"/mediation/{d.pk}/nonsense/").status_code == 404


@pytest.mark.django_db
def test_refused_material_keeps_the_title_and_says_why_beside_the_file(client_for, centre, mediating, tmp_path,
                                                                        settings):
    settings.MEDIA_ROOT = tmp_path
    d = mediating()
    c = client_for(centre)
    html_as_pdf = SimpleUploadedFile("证据.pdf", b"<html><body>not a pdf</body></html>", "application/pdf")
    r = c.post(reverse("mediation:material_add", args=[d.pk]),
               {"title": "交通事故认定书", "submitted_by": "张三", "file": html_as_pdf})
    assert r.status_code == 200 and not Material.objects.exists()
    html = r.content.decode()
    assert 'value="交通事故认定书"' in html and 'value="张三"' in html
    assert 'data-testid="error-file"' in html and r.context["material_form"].errors["file"]
    r = c.post(reverse("mediation:material_add", args=[d.pk]), {"title": "", "submitted_by": "张三"})
    assert r.status_code == 200 and 'data-testid="error-title"' in r.content.decode()
    r = c.post(reverse("mediation:material_add", args=[d.pk]), {"title": "调解申请书"})
    assert r.status_code == 302 and Material.objects.get().title == "调解申请书"


def _registration(token: str) -> dict:
    return {"once_token": token, "registered_on": "2024-05-06", "intake_department": "", "source": "application",
            "cause": "民间借贷纠纷", "amount": "30000", "summary": "借款未还", "consent_to_mediation": "on",
            "materials_text": "", "party-TOTAL_FORMS": "2", "party-INITIAL_FORMS": "0", "party-MIN_NUM_FORMS": "2",
            "party-MAX_NUM_FORMS": "20",
            "party-0-role": "applicant", "party-0-kind": "person", "party-0-name": "张三",
            "party-0-id_number": make_id_number(7, date(1986, 4, 5)),
            "party-1-role": "respondent", "party-1-kind": "person", "party-1-name": "李四",
            "party-1-id_number": make_id_number(8, date(1987, 6, 7))}


def _numbers_used(court) -> int:
    from tianping.trials.models import CaseSequence

    seq = CaseSequence.objects.filter(court=court, year=2024, type_code=services.DISPUTE_TYPE_CODE).first()
    return seq.last if seq else 0


@pytest.mark.django_db
def test_reposting_the_registration_makes_one_dispute(client_for, centre, court):
    c = client_for(centre)
    page = c.get(reverse("mediation:dispute_create"))
    token = page.context["form"].fields["once_token"].initial
    assert token and f'value="{token}"' in page.content.decode()
    first = c.post(reverse("mediation:dispute_create"), _registration(token))
    again = c.post(reverse("mediation:dispute_create"), _registration(token), follow=True)
    d = Dispute.objects.get()
    assert first.status_code == 302 and first["Location"] == reverse("mediation:dispute_detail", args=[d.pk])
    assert again.redirect_chain[-1][0] == reverse("mediation:dispute_detail", args=[d.pk])
    assert "已经提交过" in again.content.decode()
    assert _numbers_used(court) == 1
    # a new form (a new token) registers the next dispute
    c.post(reverse("mediation:dispute_create"), _registration("another-token"))
    assert Dispute.objects.count() == 2 and _numbers_used(court) == 2


@pytest.mark.django_db
def test_a_refused_registration_leaves_the_token_free(client_for, centre, court):
    c = client_for(centre)
    bad = _registration("t-1")
    bad["party-1-id_number"] = bad["party-1-id_number"][:17] + ("0" if bad["party-1-id_number"][17] != "0" else "1")
    r = c.post(reverse("mediation:dispute_create"), bad)
    assert r.status_code == 200 and not Dispute.objects.exists()
    assert c.post(reverse("mediation:dispute_create"), _registration("t-1")).status_code == 302
    assert Dispute.objects.count() == 1 and _numbers_used(court) == 1


@pytest.mark.skipif("postgresql" not in settings.DATABASES["default"]["ENGINE"],
                    reason="two simultaneous transactions need a server database")
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_registrations_with_one_token_make_one_dispute(court, make_user, reference_data):
    """Issue 11: two simultaneous posts of the new-dispute form gave a 500 and used two numbers."""
    from django.db import connection
    from django.test import Client

    from tianping.core.roles import Role

    desk = make_user(court, Role.CENTRE, username="desk_pg")
    barrier = threading.Barrier(2)
    results: list = []

    def post():
        try:
            client = Client()
            client.force_login(desk)
            barrier.wait(timeout=10)
            results.append(client.post(reverse("mediation:dispute_create"), _registration("same-token")))
        except Exception as exc:  # noqa: BLE001 - reported below
            results.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert len(results) == 2 and all(getattr(r, "status_code", None) == 302 for r in results), results
    d = Dispute.objects.get()
    assert {r["Location"] for r in results} == {reverse("mediation:dispute_detail", args=[d.pk])}
    assert _numbers_used(court) == 1
