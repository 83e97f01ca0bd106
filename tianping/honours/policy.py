"""Who may do what with pioneer posts, honours, selections and the showcase. The only place this app names a
role.

- 政治部/机关党委 (party_office) keeps the registers (posts, honours, venues, lobby screens), runs selections and
  reviews the column's articles;
- 院领导 (leader) read everything and may re-run a count;
- a branch secretary evaluates the posts of the departments their branch is built on, nominates for their
  branch and books venues;
- every member (and every account of the court's business roles) reads posts, honours, figures and the
  column, votes when on a selection's voter list, and may raise an objection during 公示."""

from __future__ import annotations

from typing import Any

import rules

from tianping.core.policy import declare, has_role, in_scope
from tianping.core.roles import Role
from tianping.honours.models import (
    Article,
    ArticleAttachment,
    ArticleStatus,
    ArticleStudy,
    Ballot,
    CountRun,
    Honour,
    LobbyScreen,
    Nomination,
    Objection,
    PioneerPost,
    PostEvaluation,
    PostHolder,
    Selection,
    SelectionStatus,
    Venue,
    VenueBooking,
    Voter,
)

OFFICE = has_role(Role.PARTY_OFFICE)
READS_ALL = has_role(Role.PARTY_OFFICE, Role.LEADER)
SECRETARY = has_role(Role.BRANCH_SECRETARY)
MANAGERS = has_role(Role.PARTY_OFFICE, Role.LEADER, Role.BRANCH_SECRETARY)
MEMBERS = has_role(Role.PARTY_OFFICE, Role.LEADER, Role.BRANCH_SECRETARY, Role.MEMBER, Role.TRIAL_OFFICE,
                   Role.CENTRE)


@rules.predicate
def has_person(user: Any) -> bool:
    return bool(getattr(user, "person_id", None))


@rules.predicate
def evaluates_post(user: Any, obj: Any) -> bool:
    """The post's department is one a branch the user leads is built on (支部建在庭上)."""
    from tianping.party.selectors import branches_led_by

    post = getattr(obj, "post", obj)
    branches = branches_led_by(user)
    if post is None:
        return branches.exists()
    return branches.filter(departments=post.department_id).exists()


@rules.predicate
def on_voter_list(user: Any, obj: Any) -> bool:
    """An eligible voter of the selection who has not voted yet, while the ballot is open."""
    if obj is None:
        return bool(getattr(user, "person_id", None))
    return (obj.status == SelectionStatus.VOTING
            and obj.voters.filter(person_id=getattr(user, "person_id", None), voted=False).exists())


@rules.predicate
def in_publicity(user: Any, obj: Any) -> bool:
    return obj is None or obj.status == SelectionStatus.PUBLICITY


@rules.predicate
def writes_article(user: Any, obj: Any) -> bool:
    """The article's editor, while it is not published (a published article is the reviewers')."""
    return obj is None or (obj.created_by_id == user.pk and obj.status != ArticleStatus.PUBLISHED)


# --- pages --------------------------------------------------------------------------------------------------
declare("honours.view_figures", MEMBERS)
declare("honours.award_experts", OFFICE)        # 办案能手 / 调解能手 from the trial page's candidate lists
declare("honours.review_articles", OFFICE)      # publish or return the column's submitted articles
declare("honours.display_boards", MANAGERS)     # the printable display boards

# --- honours --------------------------------------------------------------------------------------------------
declare(Honour, "view", MEMBERS & in_scope("view"))
for _action in ("add", "change", "delete", "import"):
    declare(Honour, _action, OFFICE & in_scope("view"))
declare(Honour, "export", MEMBERS)

# --- pioneer posts --------------------------------------------------------------------------------------------
declare(PioneerPost, "view", MEMBERS & in_scope("view"))
for _action in ("add", "change", "delete", "import"):
    declare(PioneerPost, _action, OFFICE & in_scope("view"))
declare(PioneerPost, "export", MEMBERS)
declare(PioneerPost, "evaluate", (OFFICE | (SECRETARY & evaluates_post)) & in_scope("view"))
declare(PostHolder, "view", MEMBERS & in_scope("view"))
declare(PostEvaluation, "view", MEMBERS & in_scope("view"))

# --- selections ---------------------------------------------------------------------------------------------
declare(Selection, "view", MEMBERS & in_scope("view"))
declare(Selection, "add", OFFICE)
declare(Selection, "manage", OFFICE & in_scope("view"))        # shortlist, open/close voting, 公示, finalise
declare(Selection, "nominate", (OFFICE | SECRETARY | (MEMBERS & has_person)) & in_scope("view"))
declare(Selection, "vote", MEMBERS & has_person & on_voter_list & in_scope("view"))
declare(Selection, "count", READS_ALL & in_scope("view"))       # anyone entitled re-runs the count
declare(Selection, "object", MEMBERS & in_publicity & in_scope("view"))
declare(Nomination, "view", MEMBERS & in_scope("view"))
declare(Objection, "view", READS_ALL & in_scope("view"))
declare(CountRun, "view", MEMBERS & in_scope("view"))
declare(Voter, "view", READS_ALL & in_scope("view"))            # the turnout: who voted, never how
declare(Ballot, "view", READS_ALL & in_scope("view"))           # the stored ballots a count re-runs from

# --- showcase ---------------------------------------------------------------------------------------------------
declare(LobbyScreen, "view", OFFICE & in_scope("view"))
declare(LobbyScreen, "add", OFFICE)
declare(LobbyScreen, "change", OFFICE & in_scope("view"))       # revoke
declare(Venue, "view", MEMBERS & in_scope("view"))
declare(Venue, "add", OFFICE)
declare(Venue, "change", OFFICE & in_scope("view"))
declare(Venue, "book", MANAGERS & in_scope("view"))
declare(VenueBooking, "view", MEMBERS & in_scope("view"))
declare(VenueBooking, "delete", MANAGERS & in_scope("view"))
declare(Article, "view", MEMBERS & in_scope("view"))
declare(Article, "add", MEMBERS)
declare(Article, "change", ((MEMBERS & writes_article) | OFFICE) & in_scope("view"))
declare(Article, "review", OFFICE & in_scope("view"))
declare(ArticleAttachment, "view", MEMBERS & in_scope("view"))
declare(ArticleStudy, "view", READS_ALL & in_scope("view"))
