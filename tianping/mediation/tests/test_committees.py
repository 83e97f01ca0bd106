"""Guidance of people's mediation: the committees' register (import/export, their mediators), the guidance visits
and trainings, and a committee's agreement confirmed by the court."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from tianping.core.importexport import run_import
from tianping.core.registers import export_xlsx, get_register
from tianping.mediation import services
from tianping.mediation.models import Committee, Dispute, Source, Status

from .conftest import person_party

pytestmark = pytest.mark.django_db


@pytest.fixture
def committee(court, centre):
    return services.committee_save(actor=centre, committee=Committee(court=court, name="常庄街道人民调解委员会",
                                                                     kind="street", area="常庄街道"))


def test_committees_import_and_export(court, centre, tmp_path):
    wb = Workbook()
    wb.active.append(get_register("committees").headers())
    wb.active.append(["周营村人民调解委员会", "村（居）人民调解委员会", "沙沟镇", "王某", "13912345678", "", "是"])
    wb.active.append(["交通事故人民调解委员会", "industry", "道路交通事故", "", "", "", ""])
    wb.save(tmp_path / "c.xlsx")
    result = run_import("committees", tmp_path / "c.xlsx", court=court, user=centre)
    assert result.committed and result.created == 2, [str(p) for p in result.problems]
    assert Committee.objects.get(name="周营村人民调解委员会").kind == "village"
    reg = get_register("committees")
    data = export_xlsx(reg, reg.rows_for_export(None, court))
    (tmp_path / "x.xlsx").write_bytes(data)
    rows = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    assert {r[0]: r[1] for r in rows[1:]}["周营村人民调解委员会"] == "村（居）人民调解委员会"
    again = run_import("committees", tmp_path / "x.xlsx", court=court, user=centre)
    assert again.committed and again.unchanged == 2, [str(p) for p in again.problems]


def test_a_committee_agreement_is_confirmed_and_counted(court, centre, committee, mediator, client):
    mediator.committee = committee
    services.mediator_save(actor=centre, mediator=mediator)
    d = services.committee_agreement_register(
        court=court, actor=centre, committee=committee, registered_on=date(2024, 4, 3), cause="相邻关系纠纷",
        agreed_on=date(2024, 4, 1), terms="拆除违建部分", parties=[person_party(1, "applicant"), person_party(2, "respondent")])
    assert (d.source, d.status, d.committee, d.route) == (Source.COMMITTEE, Status.AGREED, committee, "")
    services.confirmation_apply(dispute=d, actor=centre, applied_on=date(2024, 4, 3),
                                applicant_ids=list(d.parties.values_list("pk", flat=True)))
    d = services.confirmation_rule(dispute=Dispute.objects.get(pk=d.pk), actor=centre, ruling="confirmed",
                                   ruled_on=date(2024, 4, 8))
    assert d.status == Status.CONFIRMED and d.confirmation_case is not None
    with pytest.raises(Exception, match="30"):  # noqa: PT011 - an agreement too old to confirm
        services.committee_agreement_register(
            court=court, actor=centre, committee=committee, registered_on=date(2024, 6, 3), cause="相邻关系纠纷",
            agreed_on=date(2024, 4, 1), terms="x", parties=[person_party(3, "applicant"), person_party(4, "respondent")])
    client.force_login(centre)
    page = client.get(reverse("mediation:committee_list")).content.decode()
    assert f'data-testid="confirmed-{committee.pk}">1<' in page and mediator.name in page


def test_guidance_visits_and_trainings(court, centre, committee, studio, mediator_user, client):
    other = services.committee_save(actor=centre, committee=Committee(court=court, name="周营村人民调解委员会",
                                                                      kind="village"))
    client.force_login(centre)
    r = client.post(reverse("mediation:guidance_create"), {
        "kind": "training", "held_on": "2024-05-06", "committees": [committee.pk, other.pk], "studio": studio.pk,
        "led_by": "工作室法官", "topic": "司法确认程序培训", "participants": 40, "notes": ""})
    assert r.status_code == 302, r.content.decode()[:2000]
    page = client.get(reverse("mediation:committee_list")).content.decode()
    assert "司法确认程序培训" in page and "周营村人民调解委员会" in page
    client.force_login(mediator_user)  # a mediator reads the register but records no guidance
    assert client.get(reverse("mediation:committee_list")).status_code == 200
    assert client.get(reverse("mediation:guidance_create")).status_code == 403
