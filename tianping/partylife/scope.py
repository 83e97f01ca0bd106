"""Who manages which party organisations' meetings.

- party_office (政治部/机关党委) manages every organisation of the court; leaders read all of it;
- a branch secretary manages their branches (party.selectors.branches_led_by) and the groups under them;
- every member reads the meetings they were expected at (MeetingQuerySet.visible_to)."""

from __future__ import annotations

from tianping.core.scope import has_role, user_roles


def _superuser_without_roles(user) -> bool:
    return bool(user.is_superuser and not user_roles(user))


def manages_whole_court(user) -> bool:
    return has_role(user, "party_office") or _superuser_without_roles(user)


def reads_whole_court(user) -> bool:
    return has_role(user, "party_office", "leader") or _superuser_without_roles(user)


def managed_org_ids(user) -> set[int]:
    """Organisations whose meetings the user records: all of the court for the party office, else the
    branches the user leads and their sub-organisations (cached on the user object per request)."""
    cached = getattr(user, "_partylife_org_ids", None)
    if cached is not None:
        return cached
    from tianping.party.models import PartyOrganisation

    ids: set[int] = set()
    if not user.is_authenticated:
        return ids
    if manages_whole_court(user):
        qs = PartyOrganisation.objects.all()
        if not _superuser_without_roles(user):
            qs = qs.filter(court_id=user.court_id)
        ids = set(qs.values_list("pk", flat=True))
    elif has_role(user, "branch_secretary"):
        from tianping.party.selectors import branches_led_by

        frontier = set(branches_led_by(user).values_list("pk", flat=True))
        while frontier:
            ids |= frontier
            frontier = set(PartyOrganisation.objects.filter(parent_id__in=frontier)
                           .values_list("pk", flat=True)) - ids
    user._partylife_org_ids = ids
    return ids


def can_manage_meeting(user, meeting) -> bool:
    return meeting.organisation_id in managed_org_ids(user)


def can_record_anything(user) -> bool:
    return bool(managed_org_ids(user))
