"""Reads of the leadership (五型五力): which leaders owe a year's self-assessment, the year's list of who has
not submitted or been reviewed, and the to-dos that follow from it."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from tianping.annual.choices import AssessmentStatus
from tianping.annual.models import LeaderAssessment


def _during(year: int) -> Q:
    """Leaders (院领导/党组成员) in post for at least a day of the year."""
    return (Q(is_leadership=True) & (Q(hired_on__isnull=True) | Q(hired_on__lte=date(year, 12, 31)))
            & (Q(left_on__isnull=True) | Q(left_on__gt=date(year, 1, 1))))


def leaders_during(court: Any, year: int) -> QuerySet[Any]:
    """The court's leaders in post for at least a day of the year: those who owe its self-assessment."""
    from tianping.org.models import Person

    return Person.objects.filter(_during(year), court=court).order_by("post", "staff_number", "name")


def leader_in_post_during(person: Any, year: int) -> bool:
    from tianping.org.models import Person

    return Person.objects.filter(_during(year), pk=person.pk).exists()


def due_years(today: date) -> list[int]:
    """The years whose self-assessment is due on `today`: last year's (written at the turn of the year), and from
    December the current year's too."""
    return [today.year - 1, today.year] if today.month == 12 else [today.year - 1]


# what the list shows for a leader; a draft is the leader's own until handed in, so others see "not submitted"
STATE_MISSING = "missing"
STATES = {
    STATE_MISSING: _("未提交"),
    AssessmentStatus.DRAFT: _("草稿（未提交）"),
    AssessmentStatus.RETURNED: _("退回修改"),
    AssessmentStatus.SUBMITTED: _("已提交，待评议"),
    AssessmentStatus.REVIEWED: _("已评议"),
}


def assessment_overview(court: Any, year: int, user: Any) -> dict[str, Any]:
    """The year's list: every leader in post that year with their assessment as the user may see it (another
    leader's draft counts as not submitted), and the counts of the list's states, each with the leaders behind
    it: leaders, not submitted (no assessment, a draft or returned), awaiting review, reviewed."""
    leaders = list(leaders_during(court, year).select_related("department"))
    visible = {a.person_id: a for a in LeaderAssessment.objects.visible_to(user)
               .filter(court=court, year=year, person__in=leaders).select_related("reviewed_by")}
    rows = []
    for person in leaders:
        a = visible.get(person.pk)
        state = a.status if a else STATE_MISSING
        rows.append({"person": person, "assessment": a, "state": state, "state_label": STATES[state],
                     "submitted": state in (AssessmentStatus.SUBMITTED, AssessmentStatus.REVIEWED),
                     "own": person.pk == getattr(user, "person_id", None)})
    groups = {
        "leaders": rows,
        "not_submitted": [r for r in rows if not r["submitted"]],
        "awaiting_review": [r for r in rows if r["state"] == AssessmentStatus.SUBMITTED],
        "reviewed": [r for r in rows if r["state"] == AssessmentStatus.REVIEWED],
    }
    return {"rows": rows, "counts": {k: len(v) for k, v in groups.items()}, "groups": groups}


def pending_years(person: Any, today: date) -> list[int]:
    """The due years (`due_years`) in which the person was a leader in post and has not handed in their
    self-assessment (none, a draft, or returned to them)."""
    years = [y for y in due_years(today) if leader_in_post_during(person, y)]
    done = set(LeaderAssessment.objects.filter(person=person, year__in=years)
               .filter(status__in=[AssessmentStatus.SUBMITTED, AssessmentStatus.REVIEWED])
               .values_list("year", flat=True))
    return [y for y in years if y not in done]


def awaiting_review(court_id: int) -> QuerySet[LeaderAssessment]:
    return LeaderAssessment.objects.filter(court_id=court_id, status=AssessmentStatus.SUBMITTED)
