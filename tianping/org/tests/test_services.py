from datetime import date

import pytest
from django.core.exceptions import ValidationError

from tianping.core.models import AuditEvent
from tianping.org import services
from tianping.org.models import DepartmentAssignment, Gender, Person
from tianping.org.tests.factories import DepartmentFactory, PersonFactory, make_id_number

pytestmark = pytest.mark.django_db


def _data(dep, **kw):
    born = date(1988, 5, 20)
    data = {"name": "李娜", "gender": Gender.FEMALE, "birth_date": born,
            "id_number": make_id_number(7, born, male=False), "phone": "13912345678", "staff_number": "0420",
            "department": dep, "post": "assistant", "is_quota_judge": False, "is_leadership": False,
            "education": "master", "hired_on": date(2012, 8, 1), "left_on": None}
    data.update(kw)
    return data


def test_person_create_opens_department_history_and_audits(court, make_user):
    actor = make_user(court, "party_office")
    dep = DepartmentFactory(court=court, name="立案庭")
    person = services.person_create(actor=actor, court=court, data=_data(dep))
    history = list(person.assignments.values_list("department__name", "start", "end"))
    assert history == [("立案庭", date(2012, 8, 1), None)]
    event = AuditEvent.objects.get(event="person.created", object_id=str(person.pk))
    assert event.actor_name == actor.username
    # the ID number and phone never reach the audit trail in clear
    assert person.id_number not in str(event.changes)
    assert "13912345678" not in str(event.changes)
    assert event.changes["after"]["id_number"] == person.id_number_masked


def test_person_create_refuses_invalid_data_and_writes_nothing(court, make_user):
    actor = make_user(court, "party_office")
    dep = DepartmentFactory(court=court)
    bad = _data(dep, id_number=make_id_number(7, date(1988, 5, 20), male=False)[:17] + "0")
    if bad["id_number"] == make_id_number(7, date(1988, 5, 20), male=False):
        bad["id_number"] = bad["id_number"][:17] + "1"
    with pytest.raises(ValidationError):
        services.person_create(actor=actor, court=court, data=bad)
    assert not Person.objects.exists()
    assert not DepartmentAssignment.objects.exists()
    assert not AuditEvent.objects.filter(event="person.created").exists()


def test_department_change_closes_and_opens_assignment(court, make_user):
    actor = make_user(court, "party_office")
    a = DepartmentFactory(court=court, name="立案庭")
    b = DepartmentFactory(court=court, name="沙沟人民法庭")
    person = services.person_create(actor=actor, court=court, data=_data(a))
    services.person_update(actor=actor, person=person, data={"department": b}, moved_on=date(2016, 3, 1),
                           expected_version=person.version)
    person.refresh_from_db()
    assert person.department == b
    assert person.version == 2
    rows = list(person.assignments.order_by("start").values_list("department__name", "start", "end"))
    assert rows == [("立案庭", date(2012, 8, 1), date(2016, 3, 1)), ("沙沟人民法庭", date(2016, 3, 1), None)]
    assert person.department_on(date(2015, 12, 31)) == a
    assert person.department_on(date(2016, 3, 2)) == b
    assert person.department_on(date(2011, 1, 1)) is None
    ev = AuditEvent.objects.get(event="person.updated", object_id=str(person.pk))
    assert ev.changes["before"]["department"] == "立案庭"
    assert ev.changes["after"]["department"] == "沙沟人民法庭"


def test_update_without_changes_keeps_version_and_writes_no_audit(court, make_user):
    actor = make_user(court, "party_office")
    person = PersonFactory(court=court)
    services.person_update(actor=actor, person=person, data={"name": person.name}, expected_version=1)
    person.refresh_from_db()
    assert person.version == 1
    assert not AuditEvent.objects.filter(event="person.updated").exists()


def test_concurrent_edit_is_refused(court, make_user):
    """Two clerks open the same record (version 1); the first saves, the second must not overwrite."""
    actor = make_user(court, "party_office")
    person = PersonFactory(court=court, name="王强")
    first_copy = Person.objects.get(pk=person.pk)
    second_copy = Person.objects.get(pk=person.pk)
    services.person_update(actor=actor, person=first_copy, data={"name": "王强强"},
                           expected_version=first_copy.version)
    with pytest.raises(ValidationError) as exc:
        services.person_update(actor=actor, person=second_copy, data={"post": "clerk"},
                               expected_version=second_copy.version)
    assert "已被他人修改" in str(exc.value)
    person.refresh_from_db()
    assert person.name == "王强强"
    assert person.post == "judge"
    assert person.version == 2


def test_update_refuses_invalid_values(court, make_user):
    actor = make_user(court, "party_office")
    person = PersonFactory(court=court)
    with pytest.raises(ValidationError):
        services.person_update(actor=actor, person=person, data={"birth_date": date(1950, 1, 1)})
    person.refresh_from_db()
    assert person.version == 1


def test_leaving_keeps_history(court, make_user):
    actor = make_user(court, "party_office")
    person = PersonFactory(court=court)
    services.person_update(actor=actor, person=person, data={"left_on": date(2016, 6, 30)})
    person.refresh_from_db()
    assert not person.in_service
    assert Person.objects.in_service().filter(pk=person.pk).count() == 0


def test_three_administrator_roles_are_exclusive(court, make_user):
    actor = make_user(court, "secadmin")
    user = make_user(court)
    with pytest.raises(ValidationError):
        services.user_set_roles(actor=actor, user=user, roles=["sysadmin", "auditor"])
    services.user_set_roles(actor=actor, user=user, roles=["sysadmin"])
    assert list(user.role_grants.values_list("role", flat=True)) == ["sysadmin"]
