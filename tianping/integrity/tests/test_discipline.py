"""惩戒 (discipline) entries: the discipline role's alone — 404 for every other account, absent from every list,
export and page the others crawl — and every reading by the discipline role is audited. The 三个规定 records are
their writer's and the discipline role's."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from tianping.core.models import AuditEvent
from tianping.integrity import services
from tianping.integrity.models import InterferenceRecord, Measure

pytestmark = pytest.mark.django_db

OTHERS = ["desk", "trial_office", "party_office", "secretary", "leader", "member", "higher"]
SECRET = "初核某干警违纪线索"


@pytest.fixture
def entries(court, users):
    discipline = users["discipline"]
    secret = services.measure_save(actor=discipline, measure=Measure(
        court=court, mechanism="discipline", category="case", title=SECRET, start_on=date(2016, 5, 4)))
    open_ = services.measure_save(actor=users["party_office"], measure=Measure(
        court=court, mechanism="prevention", category="holiday_reminder", title="春节前廉洁提醒",
        start_on=date(2016, 1, 25)))
    return secret, open_


def _crawl(client) -> str:
    pages = ["core:home", "integrity:measure_list", "integrity:desk", "integrity:family", "integrity:reports",
             "integrity:record_list"]
    out = []
    for name in pages:
        r = client.get(reverse(name))
        out.append(r.content.decode() if r.status_code == 200 else "")
        r = client.get(reverse(name) + "?export=xlsx")
        if r.status_code == 200 and r.get("Content-Type", "").startswith("application/vnd"):
            import io

            from openpyxl import load_workbook

            ws = load_workbook(io.BytesIO(r.content)).active
            out.append(" ".join(str(c) for row in ws.iter_rows(values_only=True) for c in row))
    return "\n".join(out)


@pytest.mark.parametrize("role", OTHERS)
def test_a_discipline_entry_is_404_and_nowhere_for_every_other_role(client_for, users, entries, role):
    secret, open_ = entries
    c = client_for(users[role])
    assert c.get(reverse("integrity:measure_detail", args=[secret.pk])).status_code == 404
    assert c.get(reverse("integrity:measure_edit", args=[secret.pk])).status_code == 404
    assert SECRET not in _crawl(c)
    assert not Measure.objects.visible_to(users[role]).filter(pk=secret.pk).exists()
    assert not AuditEvent.objects.filter(event="measure.discipline_read").exists()


def test_the_branch_secretary_reads_the_open_measures(client_for, users, entries):
    _secret, open_ = entries
    c = client_for(users["secretary"])
    assert c.get(reverse("integrity:measure_detail", args=[open_.pk])).status_code == 200
    assert "春节前廉洁提醒" in c.get(reverse("integrity:measure_list")).content.decode()


def test_the_discipline_role_reads_them_and_every_reading_is_audited(client_for, users, entries):
    secret, open_ = entries
    c = client_for(users["discipline"])
    assert SECRET in c.get(reverse("integrity:measure_list")).content.decode()
    assert c.get(reverse("integrity:measure_detail", args=[secret.pk])).status_code == 200
    c.get(reverse("integrity:measure_detail", args=[open_.pk]))  # an open measure: no discipline reading
    reads = list(AuditEvent.objects.filter(event="measure.discipline_read").order_by("pk"))
    assert len(reads) == 2 and all(e.actor_id == users["discipline"].pk for e in reads)
    assert all(secret.pk in e.changes["after"]["ids"] and open_.pk not in e.changes["after"]["ids"] for e in reads)


def test_only_the_discipline_role_records_a_discipline_entry(client_for, court, users):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="纪检监察"):
        services.measure_save(actor=users["party_office"], measure=Measure(
            court=court, mechanism="discipline", title="x", start_on=date(2016, 5, 4)))
    form = client_for(users["party_office"]).get(reverse("integrity:measure_create")).context["form"]
    assert "discipline" not in [v for v, _l in form.fields["mechanism"].choices]


def test_an_education_measure_links_a_lecture_of_party_life_and_no_other_kind_may(court, users):
    from datetime import time

    from django.core.exceptions import ValidationError

    from tianping.party.models import OrgKind, PartyOrganisation
    from tianping.partylife.models import Meeting, MeetingType

    kind = MeetingType.objects.create(code="lecture-t", name="廉政大讲堂（测试）", is_lecture=True)
    org = PartyOrganisation.objects.create(court=court, name="机关党委", kind=OrgKind.ORGAN_COMMITTEE)
    lecture = Meeting.objects.create(court=court, meeting_type=kind, organisation=org, date=date(2016, 4, 8),
                                     start_time=time(15), end_time=time(17), topic="以案为鉴")
    m = services.measure_save(actor=users["party_office"], measure=Measure(
        court=court, mechanism="education", category="lecture", title="廉政大讲堂：以案为鉴", lecture=lecture,
        start_on=lecture.date))
    assert m.lecture == lecture
    with pytest.raises(ValidationError, match="只有教育类措施"):
        services.measure_save(actor=users["party_office"], measure=Measure(
            court=court, mechanism="prevention", title="x", lecture=lecture, start_on=date(2016, 4, 8)))
    with pytest.raises(ValidationError, match="将来"):
        services.measure_save(actor=users["party_office"], measure=Measure(
            court=court, mechanism="education", title="x", start_on=date(2999, 1, 1)))


def test_interference_records_are_their_writers_and_the_discipline_roles(client_for, court, users, judge):
    writer = users["member"]
    rec = services.interference_record_create(actor=writer, record=InterferenceRecord(
        court=court, recorder=writer.person, recorded_on=date(2016, 5, 10), kind="insider", asker="某甲",
        content="询问进展", handling="已告知依法办理"))
    assert list(InterferenceRecord.objects.visible_to(writer)) == [rec]
    assert list(InterferenceRecord.objects.visible_to(users["discipline"])) == [rec]
    for role in ("party_office", "leader", "secretary", "desk", "higher"):
        assert not InterferenceRecord.objects.visible_to(users[role]).exists(), role
        assert "询问进展" not in client_for(users[role]).get(reverse("integrity:record_list")).content.decode()
