"""Whom the party app's roles reach: a branch secretary reaches the people on the current rosters of the
branches they lead (read by `tianping.core.scope.person_scope_filter`)."""

from __future__ import annotations

from django.utils import timezone

from tianping.core.registry import register_person_scope
from tianping.core.roles import Role


def branch_secretary_people(user) -> set[int]:
    from tianping.party.selectors import branch_roster_on, branches_led_by

    today = timezone.localdate()
    ids: set[int] = set()
    for branch in branches_led_by(user):
        ids.update(branch_roster_on(branch, today).values_list("id", flat=True))
    return ids


register_person_scope(Role.BRANCH_SECRETARY, branch_secretary_people)
