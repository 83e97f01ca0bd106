"""Writes to courts, departments, people and accounts. Each is atomic and leaves an audit entry."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tianping.core.audit import audit_record
from tianping.org.models import ADMIN_ROLES, Court, Department, DepartmentAssignment, Person, User, UserRole

PERSON_FIELDS = ["name", "gender", "birth_date", "id_number", "phone", "staff_number", "department", "post",
                 "is_quota_judge", "is_leadership", "education", "hired_on", "left_on"]


def _snapshot(obj, fields: list[str]) -> dict[str, Any]:
    return {f: getattr(obj, f) for f in fields}


@transaction.atomic
def court_save(*, actor, court: Court) -> Court:
    created = court.pk is None
    court.full_clean()
    court.save()
    audit_record(actor=actor, event="court.created" if created else "court.updated", target=court,
                 after={"name": court.name, "code": court.code, "level": court.level}, court_id=court.pk)
    return court


@transaction.atomic
def department_save(*, actor, department: Department) -> Department:
    created = department.pk is None
    department.full_clean()
    department.save()
    audit_record(actor=actor, event="department.created" if created else "department.updated",
                 target=department, after={"name": department.name, "type": department.type,
                                           "active": department.active})
    return department


@transaction.atomic
def person_create(*, actor, court: Court, data: dict[str, Any], moved_on: date | None = None) -> Person:
    person = Person(court=court, **data)
    person.full_clean()
    person.save()
    if person.department_id:
        DepartmentAssignment.objects.create(court=court, person=person, department=person.department,
                                            start=moved_on or person.hired_on or date.today())  # noqa: DTZ011
    audit_record(actor=actor, event="person.created", target=person, after=_snapshot(person, PERSON_FIELDS))
    return person


@transaction.atomic
def person_update(*, actor, person: Person, data: dict[str, Any], moved_on: date | None = None,
                  expected_version: int | None = None) -> Person:
    """Update a person. A department change closes the current assignment and opens a new one on `moved_on`.

    `expected_version` detects concurrent edits: two people editing the same record at once must not
    silently overwrite each other, so the row is locked and its version compared."""
    locked = Person.objects.select_for_update().get(pk=person.pk)
    if expected_version is not None and locked.version != expected_version:
        raise ValidationError(_("该人员信息已被他人修改，请刷新页面后重新编辑。"), code="stale")
    old = _snapshot(locked, PERSON_FIELDS)
    old_department_id = locked.department_id
    for key, value in data.items():
        setattr(locked, key, value)
    locked.full_clean()
    changed = [f for f in PERSON_FIELDS if old[f] != getattr(locked, f)]
    if not changed:
        return locked
    locked.version += 1
    locked.save(update_fields=[*changed, "version", "updated_at"])
    if locked.department_id != old_department_id:
        day = moved_on or date.today()  # noqa: DTZ011
        DepartmentAssignment.objects.filter(person=locked, end__isnull=True).update(end=day)
        if locked.department_id:
            DepartmentAssignment.objects.create(court=locked.court, person=locked,
                                                department=locked.department, start=day)
    audit_record(actor=actor, event="person.updated", target=locked,
                 before={f: old[f] for f in changed}, after={f: getattr(locked, f) for f in changed})
    person.__dict__.update(locked.__dict__)
    return locked


@transaction.atomic
def user_set_roles(*, actor, user: User, roles: list[str]) -> None:
    """Replace the roles of an account. No account holds two of the three administrator roles (三员分立)."""
    if len(set(roles) & {str(r) for r in ADMIN_ROLES}) > 1:
        raise ValidationError(_("三员分立：系统管理员、安全管理员、审计管理员不能由同一账号兼任。"))
    before = sorted(user.role_grants.values_list("role", flat=True))
    UserRole.objects.filter(user=user).exclude(role__in=roles).delete()
    for role in roles:
        UserRole.objects.get_or_create(user=user, role=role)
    from tianping.core.scope import forget_cached_roles

    forget_cached_roles(user)
    if before != sorted(roles):
        audit_record(actor=actor, event="user.roles_changed", target=user, court_id=user.court_id,
                     before={"roles": before}, after={"roles": sorted(roles)})
