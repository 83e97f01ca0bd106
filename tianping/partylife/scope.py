"""Which party organisations' meetings a user reaches (row scopes used by the policy's predicates and by
`MeetingQuerySet.scoped_to`). Roles are not asked here: the policy's page permissions are
("partylife.manage_court", "partylife.read_court", "partylife.manage_branches" in partylife/policy.py).

- the party office manages every organisation of the court; leaders read all of it;
- a branch secretary manages their branches (party.selectors.branches_led_by) and the groups under them;
- every member reads the meetings they were expected at (MeetingQuerySet.scoped_to)."""

from __future__ import annotations

from tianping.core.policy import allowed


def manages_whole_court(user) -> bool:
    return allowed(user, "partylife.manage_court")


def reads_whole_court(user) -> bool:
    return allowed(user, "partylife.read_court")


def managed_org_ids(user) -> set[int]:
    """Organisations whose meetings the user records: all of the court for the party office, else the
    branches the user leads and their sub-organisations (cached on the user object per request)."""
    cached = getattr(user, "_partylife_org_ids", None)
    if cached is not None:
        return cached
    from tianping.core.scope import readable_court_ids
    from tianping.party.models import PartyOrganisation

    ids: set[int] = set()
    if not getattr(user, "is_authenticated", False):
        return ids
    if manages_whole_court(user):
        qs = PartyOrganisation.objects.all()
        courts = readable_court_ids(user)
        if courts is not None:  # None: the role-less superuser of tests and first setup
            qs = qs.filter(court_id=user.court_id)
        ids = set(qs.values_list("pk", flat=True))
    elif allowed(user, "partylife.manage_branches"):
        from tianping.party.selectors import branches_led_by

        frontier = set(branches_led_by(user).values_list("pk", flat=True))
        while frontier:
            ids |= frontier
            frontier = set(PartyOrganisation.objects.filter(parent_id__in=frontier)
                           .values_list("pk", flat=True)) - ids
    user._partylife_org_ids = ids
    return ids
