"""Writes to courts, departments, people and accounts. Each is atomic and leaves an audit entry."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tianping.core.audit import audit_batch, audit_record
from tianping.core.bulk import bulk_insert, bulk_insert_objects
from tianping.org.models import ADMIN_ROLES, Court, Department, DepartmentAssignment, Person, User, UserRole

PERSON_FIELDS = ["name", "gender", "birth_date", "id_number", "phone", "staff_number", "department", "post",
                 "is_quota_judge", "is_leadership", "education", "hired_on", "left_on"]


def _snapshot(obj: Any, fields: list[str]) -> dict[str, Any]:
    return {f: getattr(obj, f) for f in fields}


@transaction.atomic
def court_save(*, actor: User, court: Court) -> Court:
    created = court.pk is None
    court.full_clean()
    court.save()
    audit_record(actor=actor, event="court.created" if created else "court.updated", target=court,
                 after={"name": court.name, "code": court.code, "level": court.level}, court_id=court.pk)
    return court


@transaction.atomic
def department_save(*, actor: User, department: Department) -> Department:
    created = department.pk is None
    department.full_clean()
    department.save()
    audit_record(actor=actor, event="department.created" if created else "department.updated",
                 target=department, after={"name": department.name, "type": department.type,
                                           "active": department.active})
    return department


@transaction.atomic
def person_create(*, actor: User, court: Court, data: dict[str, Any], moved_on: date | None = None) -> Person:
    person = Person(court=court, **data)
    person.full_clean()
    person.save()
    if person.department_id:
        DepartmentAssignment.objects.create(court=court, person=person, department_id=person.department_id,
                                            start=moved_on or person.hired_on or date.today())  # noqa: DTZ011
    audit_record(actor=actor, event="person.created", target=person, after=_snapshot(person, PERSON_FIELDS))
    return person


@transaction.atomic
def person_update(*, actor: User, person: Person, data: dict[str, Any], moved_on: date | None = None,
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
                                                department_id=locked.department_id, start=day)
    audit_record(actor=actor, event="person.updated", target=locked,
                 before={f: old[f] for f in changed}, after={f: getattr(locked, f) for f in changed})
    person.__dict__.update(locked.__dict__)
    return locked


@transaction.atomic
def user_set_roles(*, actor: User, user: User, roles: list[str]) -> None:
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


# --- imports (tianping.org.importers): one batch of checked rows of the generic upsert ------------------------

def _import_audit(actor: Any, events: tuple[str, str], created: list[Any], updated: list[tuple[Any, dict[str,
                  Any]]]) -> None:
    created_event, updated_event = events
    for obj in created:
        audit_record(actor=actor, event=created_event, target=obj)
    for obj, old in updated:
        audit_record(actor=actor, event=updated_event, target=obj, before=old, after={f: getattr(obj, f) for f in old})


@transaction.atomic
def courts_import(*, actor: Any, created: list[Court], updated: list[tuple[Court, dict[str, Any]]],
                  fields: list[str]) -> None:
    """Courts one by one (a later row may name an earlier one as its 上级法院); rows already full_clean()ed."""
    with audit_batch(actor=actor, event="court.imported"):
        for court in created:
            court.save()
        for court, _old in updated:
            court.save(update_fields=fields)
        _import_audit(actor, ("court.created", "court.updated"), created, updated)


@transaction.atomic
def departments_import(*, actor: Any, court: Court, created: list[Department], updated: list[tuple[Department, dict[str,
                       Any]]],
                       fields: list[str]) -> None:
    with audit_batch(actor=actor, event="department.imported", court_id=court.pk):
        Department.objects.bulk_create(created, batch_size=500)
        Department.objects.bulk_update([d for d, _old in updated], fields, batch_size=200)
        _import_audit(actor, ("department.created", "department.updated"), created, updated)


@transaction.atomic
def people_import(*, actor: Any, court: Court, created: list[Person], updated: list[tuple[Person, dict[str, Any]]],
                  fields: list[str]) -> None:
    """Write a batch of checked people in bulk and keep the department history in step, as person_create /
    person_update do: a new person starts in their department on the hiring date; a department change closes
    the open assignment today and opens a new one. One audit fact per person; inside an import they join the
    import's one entry (`audit_batch`), alone they make one entry for the batch."""
    today = date.today()  # noqa: DTZ011 - a calendar date
    with audit_batch(actor=actor, event="person.imported", court_id=court.pk):
        # past bulk_create's per-value compilation (rows already full_clean()ed); ids found again by 身份证号
        bulk_insert_objects(created, scope={"court_id": court.pk}, key="id_number")
        if updated:
            Person.objects.bulk_update([p for p, _old in updated], fields, batch_size=200)
        # The history rows as plain values in one prepared INSERT per batch (core.bulk): building 100,000
        # model objects and compiling each value through the field classes was a fifth of a large import.
        new = [{"court_id": p.court_id, "person_id": p.pk, "department_id": p.department_id, "start": p.hired_on or today,
                "end": None} for p in created if p.department_id]
        moved = [p for p, old in updated if "department" in old]
        if moved:
            DepartmentAssignment.objects.filter(person__in=moved, end__isnull=True).update(end=today)
            new += [{"court_id": p.court_id, "person_id": p.pk, "department_id": p.department_id, "start": today,
                     "end": None} for p in moved if p.department_id]
        bulk_insert(DepartmentAssignment, new)
        _import_audit(actor, ("person.created", "person.updated"), created, updated)
