"""Factories for party organisations and members (synthetic data only)."""

from __future__ import annotations

from datetime import date

import factory

from tianping.org.tests.factories import CourtFactory, PersonFactory
from tianping.party.models import BranchMembership, OrgKind, PartyMember, PartyOrganisation, Stage


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PartyOrganisation

    court = factory.SubFactory(CourtFactory)
    name = factory.Sequence(lambda n: f"第{n}党支部")
    kind = OrgKind.BRANCH


def make_member(*, branch, person=None, stage=Stage.FULL, admitted_on=date(2010, 7, 1),
                converted_on=date(2011, 7, 1), since=date(2012, 1, 1), **extra) -> PartyMember:
    """A member sitting in `branch` since `since` (dates consistent with the stage)."""
    person = person or PersonFactory(court=branch.court)
    dates = {"applied_on": date(2008, 3, 1), "activist_on": date(2008, 9, 1), "candidate_on": date(2009, 9, 1)}
    if stage in (Stage.PROBATIONARY, Stage.FULL):
        dates["admitted_on"] = admitted_on
    if stage == Stage.FULL:
        dates["converted_on"] = converted_on
    if stage == Stage.APPLICANT:
        dates = {"applied_on": extra.pop("applied_on", date(2015, 3, 1))}
    member = PartyMember.objects.create(court=branch.court, person=person, branch=branch, stage=stage,
                                        **dates, **extra)
    BranchMembership.objects.create(court=branch.court, member=member, organisation=branch, start=since)
    return member
