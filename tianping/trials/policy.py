"""Who may see trial figures and cases, and manage the case types and the 三比 settings.

- The court's figures (三比 of the whole court, by branch, department and judge): 院领导 (LEADER), 审管办
  (TRIAL_OFFICE) and 政治部 (PARTY_OFFICE, who runs 三比 as party work).
- The court's case lists behind those figures: LEADER and TRIAL_OFFICE only; the party office reads figures.
- A judge's own figures and cases (any other business account whose person is a judge — a quota judge or
  someone who handled or sat on a case: MEMBER, BRANCH_SECRETARY, MEDIATOR, and PARTY_OFFICE for the cases).
- A branch secretary (BRANCH_SECRETARY who is 书记/副书记 of a branch today): the 本支部 figures — the cases
  handled by the people on the roster of the branches they lead — figures only, no case lists.
- The higher court (HIGHER_COURT): figures of the courts below on its own page, never a case.
- Case types and statutory limits are reference data: read by whoever reads figures, kept by TRIAL_OFFICE
  (and the system administrator, who sets the system up); cases are written by the trial system's import
  (TRIAL_OFFICE) and by mediation's transfer to filing (a service), never from a page.
"""

from __future__ import annotations

import rules

from tianping.core.policy import declare, has_role, in_scope
from tianping.core.roles import Role


@rules.predicate
def has_court(user) -> bool:
    return bool(getattr(user, "court_id", None))


@rules.predicate
def of_own_court(user, obj) -> bool:
    return obj is None or (bool(getattr(user, "court_id", None)) and obj.court_id == user.court_id)


_JUDGE_CACHE = "_tianping_handles_cases"


@rules.predicate
def handles_cases(user) -> bool:
    """The account's person is a judge: a quota judge (员额法官) or someone who has handled or sat on a case.
    A clerk, a mediator's or the political department's account has no figures or cases of its own, so it gets
    no 三比 and no 案件 menu that could only show an empty page (issue 12)."""
    cached = getattr(user, _JUDGE_CACHE, None)
    if cached is None:
        person_id = getattr(user, "person_id", None)
        cached = False
        if person_id:
            from tianping.org.models import Person
            from tianping.trials.models import Case

            # two indexed look-ups: one OR across the panel join made PostgreSQL scan every case of the
            # court (0.1–0.4 s on each page of a non-judge's account, the menu asks)
            cached = (Person.objects.filter(pk=person_id, is_quota_judge=True).exists()
                      or Case.objects.filter(judge_id=person_id).exists()
                      or Case.panel.through.objects.filter(person_id=person_id).exists())
        setattr(user, _JUDGE_CACHE, cached)
    return cached


_LEADS_CACHE = "_tianping_leads_branch"


@rules.predicate
def leads_a_branch(user) -> bool:
    """The account's person is 书记 or 副书记 of a party branch of the court today (party.selectors)."""
    cached = getattr(user, _LEADS_CACHE, None)
    if cached is None:
        from tianping.party.selectors import branches_led_by

        cached = branches_led_by(user).exists()
        setattr(user, _LEADS_CACHE, cached)
    return cached


never = rules.always_deny

COURT_FIGURES = has_court & has_role(Role.LEADER, Role.TRIAL_OFFICE, Role.PARTY_OFFICE)
OWN_FIGURES = has_court & has_role(Role.MEMBER, Role.BRANCH_SECRETARY, Role.MEDIATOR) & handles_cases
COURT_CASES = has_court & has_role(Role.LEADER, Role.TRIAL_OFFICE)
OWN_CASES = has_court & has_role(Role.MEMBER, Role.BRANCH_SECRETARY, Role.PARTY_OFFICE, Role.MEDIATOR) \
    & handles_cases
# a branch secretary: the figures of the cases handled by the people on the roster of the branches they lead
# (本支部), without the case lists (the cases are the judges' and the court's, not the branch's)
BRANCH_FIGURES = has_court & has_role(Role.BRANCH_SECRETARY) & leads_a_branch
HIGHER = has_court & has_role(Role.HIGHER_COURT)
CASE_KEEPERS = has_role(Role.TRIAL_OFFICE, Role.SYSADMIN)
FILING_DESK = has_court & has_role(Role.TRIAL_OFFICE, Role.CENTRE)


def _declare_all() -> None:
    from tianping.trials.models import Case, CaseType, TimeLimit, TrialSettings

    declare("trials.view_court_figures", COURT_FIGURES)      # the court's 三比 tables
    declare("trials.view_own_figures", OWN_FIGURES)          # a judge's own 三比
    declare("trials.view_branch_figures", BRANCH_FIGURES)    # a branch secretary's 本支部 三比
    declare("trials.view_figures", COURT_FIGURES | OWN_FIGURES | BRANCH_FIGURES)   # the 三比 menu item
    declare("trials.view_overview", COURT_FIGURES | OWN_FIGURES | BRANCH_FIGURES | HIGHER)  # the 三比 page (higher court: redirect)
    declare("trials.view_court_cases", COURT_CASES)          # figures link to the cases behind them
    declare("trials.view_courts", HIGHER)                    # the higher court's by-court table

    declare(Case, "view", (COURT_CASES | OWN_CASES) & in_scope("view"))
    # 立案登记: the filing desk (审管办 or the 诉调对接中心 at the filing hall) files a case by hand; cases also
    # come from the trial system's import and from mediation's transfer service
    declare(Case, "add", FILING_DESK)
    declare(Case, "change", never)
    declare(Case, "delete", never)
    declare(Case, "import", has_court & has_role(Role.TRIAL_OFFICE))
    declare(Case, "export", COURT_CASES | OWN_CASES)

    for model in (CaseType, TimeLimit):
        declare(model, "view", COURT_FIGURES | OWN_FIGURES | CASE_KEEPERS)
        declare(model, "delete", never)  # a code once used stays (old case numbers refer to it); deactivate
    declare(CaseType, "add", CASE_KEEPERS)
    declare(CaseType, "change", CASE_KEEPERS)
    declare(TimeLimit, "add", never)     # statutory limits come with the law, through a data migration
    declare(TimeLimit, "change", never)

    declare(TrialSettings, "view", COURT_FIGURES & of_own_court)
    declare(TrialSettings, "change", has_court & has_role(Role.PARTY_OFFICE, Role.LEADER) & of_own_court)


_declare_all()
