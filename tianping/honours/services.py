"""Every write of pioneer posts, honours, selections and the showcase: keyword-only, typed, atomic, full_clean()
before save, audited in the same transaction. Refusals are ValidationErrors in Chinese that say what to do."""

from __future__ import annotations

import hashlib
import json
from datetime import date, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from tianping.core.audit import audit_record
from tianping.core.uploads import PHOTO_AND_PDF, PHOTO_PDF_AND_DOCUMENTS, PHOTOS, check_upload
from tianping.honours.models import (
    EXPERT_TITLES,
    Article,
    ArticleAttachment,
    ArticleStatus,
    ArticleStudy,
    Ballot,
    CountRun,
    Electorate,
    HolderKind,
    Honour,
    HonourLevel,
    HonourSource,
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

if TYPE_CHECKING:
    from tianping.org.models import Court, Person, User
    from tianping.partylife.models import Meeting

UPLOAD_MAX_BYTES = 10 * 1024 * 1024
POINTS_RULE = "commendation"  # party.PointsRule 受到表彰（院级及以上表彰）
PUBLICITY_WORKING_DAYS = 5


def _set(obj: Any, data: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    changed: dict[str, tuple[Any, Any]] = {}
    for key, value in data.items():
        old = getattr(obj, key)
        if old != value:
            changed[key] = (old, value)
            setattr(obj, key, value)
    return changed


def _plain(value: Any) -> Any:
    if hasattr(value, "pk"):
        return str(value)
    if isinstance(value, (date, time, Decimal)):
        return str(value)
    return value


# --- honours --------------------------------------------------------------------------------------------------
def _award_points(*, honour: Honour, actor: User | None) -> None:
    """An individual honour earns the party-points rule 受到表彰 for a person who was a party member on the
    award date (the points ledger is the party members')."""
    from tianping.party.selectors import party_member_on
    from tianping.party.services import points_award

    person = honour.person
    if honour.holder_kind == HolderKind.PERSON and person is not None and party_member_on(person, honour.awarded_on):
        points_award(person=person, rule_code=POINTS_RULE, occurred_on=honour.awarded_on,
                     actor=actor,  # type: ignore[arg-type]
                     source=honour, note=f"{honour.get_level_display()}：{honour.name}")


def _reverse_points(*, honour: Honour, person_id: int | None, actor: User | None, note: str) -> None:
    from tianping.org.models import Person
    from tianping.party.services import points_reverse

    if person_id:
        points_reverse(person=Person.objects.get(pk=person_id), rule_code=POINTS_RULE, source=honour,
                       actor=actor, note=note)  # type: ignore[arg-type]


def _certificate(honour: Honour, upload: Any) -> None:
    if upload is not None:
        try:
            honour.certificate_type = check_upload(upload, max_bytes=UPLOAD_MAX_BYTES, kinds=PHOTO_AND_PDF)
        except ValidationError as exc:
            raise ValidationError({"certificate": exc.messages}) from exc
        honour.certificate = upload


@transaction.atomic
def honour_record(*, actor: User | None, court: Court, data: dict[str, Any], certificate: Any = None,
                  source: str = HonourSource.MANUAL, selection: Selection | None = None) -> Honour:
    """Record an honour; an individual one earns its holder the 受到表彰 points."""
    honour = Honour(court=court, source=source, selection=selection, **data)
    _certificate(honour, certificate)
    honour.full_clean()
    honour.save()
    audit_record(actor=actor, event="honours.honour.recorded", target=honour,
                 after={k: _plain(getattr(honour, k)) for k in ("name", "level", "issuer", "awarded_on",
                                                                 "holder_kind")} | {"holder": honour.holder_name})
    _award_points(honour=honour, actor=actor)
    return honour


@transaction.atomic
def honour_update(*, actor: User | None, honour: Honour, data: dict[str, Any], certificate: Any = None) -> Honour:
    """Change an honour. A change of holder or date moves the points: the old award is reversed, the new made."""
    locked = Honour.objects.select_for_update().get(pk=honour.pk)
    old_person, old_day = locked.person_id if locked.holder_kind == HolderKind.PERSON else None, locked.awarded_on
    changed = _set(locked, data)
    _certificate(locked, certificate)
    locked.full_clean()
    if not changed and certificate is None:
        return locked
    locked.save()
    new_person = locked.person_id if locked.holder_kind == HolderKind.PERSON else None
    if (old_person, old_day) != (new_person, locked.awarded_on):
        _reverse_points(honour=locked, person_id=old_person, actor=actor, note=_("表彰记录更正"))
        _award_points(honour=locked, actor=actor)
    audit_record(actor=actor, event="honours.honour.updated", target=locked,
                 before={k: _plain(v[0]) for k, v in changed.items()},
                 after={k: _plain(v[1]) for k, v in changed.items()} | ({"certificate": "new"} if certificate else {}))
    honour.__dict__.update(locked.__dict__)
    return locked


@transaction.atomic
def honour_delete(*, actor: User | None, honour: Honour, reason: str) -> None:
    """Delete a wrongly recorded honour; its points are reversed (the ledger keeps both lines)."""
    if not reason.strip():
        raise ValidationError({"reason": _("请填写删除原因。")})
    locked = Honour.objects.select_for_update().get(pk=honour.pk)
    person_id = locked.person_id if locked.holder_kind == HolderKind.PERSON else None
    _reverse_points(honour=locked, person_id=person_id, actor=actor, note=_("表彰记录删除：%(r)s") % {"r": reason})
    audit_record(actor=actor, event="honours.honour.deleted", target=locked, message=reason,
                 before={"name": locked.name, "holder": locked.holder_name, "awarded_on": str(locked.awarded_on)})
    locked.delete()


@transaction.atomic
def experts_award(*, actor: User | None, court: Court, kind: str, year: int, person_ids: list[int],
                  awarded_on: date) -> list[Honour]:
    """Award 办案能手 / 调解能手 of `year` to people on the trial page's candidate list for that year. People
    not on the list are refused; people who already hold the title for the year are left as they are."""
    from tianping.org.models import Person
    from tianping.trials.selectors import candidates, year_period

    if kind not in EXPERT_TITLES:
        raise ValidationError(_("未知的称号。"))
    if not person_ids:
        raise ValidationError({"person_ids": _("请至少选择一名候选人。")})
    title = EXPERT_TITLES[kind]
    listed = {r["key"]["judge"] for r in candidates(court, year_period(year))[kind]}
    outside = set(person_ids) - listed
    if outside:
        names = "、".join(Person.objects.filter(pk__in=outside).values_list("name", flat=True))
        raise ValidationError({"person_ids": _("%(n)s 不在 %(y)d 年%(t)s候选名单上。") % {
            "n": names or "?", "y": year, "t": title}})
    held = set(Honour.objects.filter(court=court, name=f"{year}年度{title}", person_id__in=person_ids)
               .values_list("person_id", flat=True))
    out = []
    for person in Person.objects.filter(pk__in=set(person_ids) - held, court=court).order_by("pk"):
        out.append(honour_record(actor=actor, court=court, source=HonourSource.TRIAL_FIGURES, data={
            "name": f"{year}年度{title}", "level": HonourLevel.COURT, "issuer": court.name,
            "awarded_on": awarded_on, "holder_kind": HolderKind.PERSON, "person": person}))
    return out


# --- pioneer posts --------------------------------------------------------------------------------------------
def _photo(post: PioneerPost, upload: Any) -> None:
    if upload is not None:
        try:
            post.photo_type = check_upload(upload, max_bytes=UPLOAD_MAX_BYTES, kinds=PHOTOS)
        except ValidationError as exc:
            raise ValidationError({"photo": exc.messages}) from exc
        post.photo = upload


@transaction.atomic
def post_save(*, actor: User | None, court: Court, data: dict[str, Any], post: PioneerPost | None = None,
              photo: Any = None) -> PioneerPost:
    """Create a pioneer post or change one (name, window, department, the 亮身份 / 亮品牌 texts, photo)."""
    if post is None:
        post = PioneerPost(court=court, **data)
        _photo(post, photo)
        post.full_clean()
        post.save()
        audit_record(actor=actor, event="honours.post.created", target=post,
                     after={k: _plain(v) for k, v in data.items()})
        return post
    locked = PioneerPost.objects.select_for_update().get(pk=post.pk)
    changed = _set(locked, data)
    _photo(locked, photo)
    locked.full_clean()
    if changed or photo is not None:
        locked.save()
        audit_record(actor=actor, event="honours.post.updated", target=locked,
                     before={k: _plain(v[0]) for k, v in changed.items()},
                     after={k: _plain(v[1]) for k, v in changed.items()})
    post.__dict__.update(locked.__dict__)
    return locked


@transaction.atomic
def post_holder_add(*, actor: User | None, post: PioneerPost, person: Person, start: date, end: date | None = None,
                    pledge: str = "") -> PostHolder:
    """A party member takes up the post from `start`. They must be a party member on that day, of the court,
    and not already hold this post over the same days."""
    from tianping.party.selectors import party_member_on

    if person.court_id != post.court_id:
        raise ValidationError({"person": _("党员必须是本院人员。")})
    if not party_member_on(person, start):
        raise ValidationError({"person": _("%(n)s 在 %(d)s 不是党员（含预备党员），不能上先锋岗。") % {
            "n": person.name, "d": start.isoformat()}})
    PioneerPost.objects.select_for_update().filter(pk=post.pk).first()  # two imports of one post: one check
    overlap = post.holders.filter(person=person, start__lte=end or date.max).filter(
        Q(end__isnull=True) | Q(end__gte=start))
    if overlap.exists():
        raise ValidationError({"start": _("%(n)s 在这段时间已在该岗位上，请核对日期。") % {"n": person.name}})
    holder = PostHolder(post=post, person=person, start=start, end=end, pledge=pledge)
    holder.full_clean()
    holder.save()
    audit_record(actor=actor, event="honours.post.holder_added", target=post,
                 after={"person": person.name, "start": str(start), "end": str(end or "")})
    return holder


@transaction.atomic
def post_holder_update(*, actor: User | None, holder: PostHolder, end: date | None, pledge: str) -> PostHolder:
    """A holder leaves the post (an end date) or changes the pledge shown at the post."""
    locked = PostHolder.objects.select_for_update().get(pk=holder.pk)
    before = {"end": str(locked.end or ""), "pledge": locked.pledge}
    locked.end, locked.pledge = end, pledge
    locked.full_clean()
    locked.save(update_fields=["end", "pledge", "updated_at"])
    audit_record(actor=actor, event="honours.post.holder_updated", target=locked.post, before=before,
                 after={"person": locked.person.name, "end": str(end or ""), "pledge": pledge})
    holder.__dict__.update(locked.__dict__)
    return locked


@transaction.atomic
def post_evaluate(*, actor: User | None, post: PioneerPost, year: int, score_party: int, score_style: int,
                  score_devotion: int, comment: str = "") -> PostEvaluation:
    """Record (or correct) the year's 三比三创 evaluation of a post."""
    today = timezone.localdate()
    if year > today.year:
        raise ValidationError({"year": _("不能评价尚未到来的年度。")})
    evaluation = PostEvaluation.objects.select_for_update().filter(post=post, year=year).first()
    data = {"score_party": score_party, "score_style": score_style, "score_devotion": score_devotion,
            "comment": comment}
    if evaluation is None:
        evaluation = PostEvaluation(post=post, year=year, evaluated_by=actor, **data)
        before: dict[str, Any] = {}
    else:
        before = {k: getattr(evaluation, k) for k in data}
        _set(evaluation, data)
        evaluation.evaluated_by = actor
    evaluation.full_clean()
    evaluation.save()
    audit_record(actor=actor, event="honours.post.evaluated", target=post, before=before,
                 after={"year": year, **data})
    return evaluation


# --- selections ----------------------------------------------------------------------------------------------
def _locked_selection(selection: Selection, *states: str) -> Selection:
    locked = Selection.objects.select_for_update().get(pk=selection.pk)
    if states and locked.status not in states:
        raise ValidationError(_("评选“%(t)s”当前为“%(s)s”，不能进行此操作。") % {
            "t": locked.title, "s": locked.get_status_display()})
    return locked


def _move(locked: Selection, selection: Selection, status: str, fields: list[str]) -> None:
    locked.status = status
    locked.version += 1
    locked.full_clean()
    locked.save(update_fields=["status", "version", "updated_at", *fields])
    selection.__dict__.update(locked.__dict__)


@transaction.atomic
def selection_create(*, actor: User | None, court: Court, data: dict[str, Any]) -> Selection:
    selection = Selection(court=court, **data)
    if not selection.max_choices:
        selection.max_choices = selection.seats
    if selection.seats and selection.max_choices > selection.seats:
        raise ValidationError({"max_choices": _("每票可选人数不能多于名额。")})
    selection.full_clean()
    selection.save()
    audit_record(actor=actor, event="honours.selection.created", target=selection,
                 after={k: _plain(getattr(selection, k)) for k in ("title", "kind", "year", "seats")})
    return selection


@transaction.atomic
def nomination_add(*, actor: User | None, selection: Selection, person: Person, nominated_by: str, reason: str,
                   organisation: Any = None) -> Nomination:
    """Nominate a person (by a branch, or oneself) while nominations are open."""
    locked = _locked_selection(selection, SelectionStatus.NOMINATING)
    if person.court_id != locked.court_id or person.left_on is not None:
        raise ValidationError({"person": _("被提名人必须是本院在职人员。")})
    if nominated_by == "self" and getattr(actor, "person_id", None) != person.pk:
        raise ValidationError({"person": _("自荐只能提名本人。")})
    nomination = Nomination(selection=locked, person=person, nominated_by=nominated_by, reason=reason,
                            organisation=organisation)
    nomination.full_clean()
    nomination.save()
    audit_record(actor=actor, event="honours.selection.nominated", target=locked,
                 after={"person": person.name, "by": nominated_by})
    return nomination


@transaction.atomic
def shortlist_set(*, actor: User | None, selection: Selection, nomination_ids: list[int]) -> list[Nomination]:
    """The shortlist published to the voters: at least as many nominees as seats."""
    locked = _locked_selection(selection, SelectionStatus.NOMINATING)
    chosen = set(nomination_ids)
    known = set(locked.nominations.values_list("pk", flat=True))
    if chosen - known:
        raise ValidationError({"nominations": _("所选提名不属于本次评选。")})
    if len(chosen) < locked.seats:
        raise ValidationError({"nominations": _("候选人（%(n)d 人）不能少于名额（%(s)d 人）。") % {
            "n": len(chosen), "s": locked.seats}})
    locked.nominations.update(shortlisted=False)
    locked.nominations.filter(pk__in=chosen).update(shortlisted=True)
    names = list(locked.nominations.filter(shortlisted=True).values_list("person__name", flat=True))
    audit_record(actor=actor, event="honours.selection.shortlisted", target=locked, after={"shortlist": names})
    return list(locked.nominations.filter(shortlisted=True))


def eligible_voters(selection: Selection, day: date) -> list[int]:
    """Person ids entitled to vote on `day`: the court's party members then (probationary or full), or every
    member of staff in service, as the selection says."""
    from tianping.org.models import Person
    from tianping.party.selectors import party_membership_intervals

    staff = Person.objects.filter(court_id=selection.court_id).filter(Q(left_on__isnull=True) | Q(left_on__gt=day))
    ids = list(staff.values_list("pk", flat=True))
    if selection.electorate == Electorate.STAFF:
        return ids
    spans = party_membership_intervals(selection.court_id)
    return [pk for pk in ids if any(s <= day and (e is None or e >= day) for s, e in spans.get(pk, []))]


@transaction.atomic
def voting_open(*, actor: User | None, selection: Selection) -> int:
    """Publish the shortlist and open the ballot: the voter list is fixed now (who may vote, nobody voted)."""
    locked = _locked_selection(selection, SelectionStatus.NOMINATING)
    if locked.nominations.filter(shortlisted=True).count() < locked.seats:
        raise ValidationError(_("请先确定候选人名单（不少于名额）。"))
    voters = eligible_voters(locked, timezone.localdate())
    if not voters:
        raise ValidationError(_("没有符合条件的投票人。"))
    Voter.objects.bulk_create([Voter(selection=locked, person_id=pk) for pk in voters])
    locked.voting_opened_at = timezone.now()
    _move(locked, selection, SelectionStatus.VOTING, ["voting_opened_at"])
    audit_record(actor=actor, event="honours.selection.voting_opened", target=locked, after={"voters": len(voters)})
    return len(voters)


@transaction.atomic
def ballot_cast(*, actor: User, selection: Selection, choices: list[int]) -> None:
    """Cast the actor's one ballot. The ballot row carries the choices only (random id, no time, no voter); the
    voter row records only that the person voted; the audit entry says "voted", never the choice.

    Race: a voter pressing twice (two tabs, a double click) sends two requests at once. The voter row is
    locked before it is read, so the second request waits for the first to commit and then finds `voted`
    set: one ballot."""
    locked = _locked_selection(selection, SelectionStatus.VOTING)
    person_id = getattr(actor, "person_id", None)
    voter = Voter.objects.select_for_update().filter(selection=locked, person_id=person_id or 0).first()
    if voter is None:
        raise ValidationError(_("您不在本次评选的投票人名单上。"))
    if voter.voted:
        raise ValidationError(_("您已经投过票了，每人只能投一次。"))
    chosen = sorted(set(int(c) for c in choices))
    shortlist = set(locked.nominations.filter(shortlisted=True).values_list("pk", flat=True))
    if not chosen:
        raise ValidationError({"choices": _("请至少选择一名候选人（不同意任何人请选“弃权”）。")})
    if set(chosen) - shortlist:
        raise ValidationError({"choices": _("只能选择候选人名单上的人。")})
    if len(chosen) > locked.max_choices:
        raise ValidationError({"choices": _("最多可选 %(n)d 人，您选了 %(m)d 人。") % {
            "n": locked.max_choices, "m": len(chosen)}})
    voter.voted = True
    voter.save(update_fields=["voted"])
    Ballot.objects.create(selection=locked, choices=chosen)
    audit_record(actor=actor, event="honours.selection.voted", target=locked, after={"voted": True})


@transaction.atomic
def ballot_abstain(*, actor: User, selection: Selection) -> None:
    """A blank ballot (弃权): counted among the ballots, choosing nobody."""
    locked = _locked_selection(selection, SelectionStatus.VOTING)
    voter = Voter.objects.select_for_update().filter(selection=locked, person_id=actor.person_id or 0).first()
    if voter is None:
        raise ValidationError(_("您不在本次评选的投票人名单上。"))
    if voter.voted:
        raise ValidationError(_("您已经投过票了，每人只能投一次。"))
    voter.voted = True
    voter.save(update_fields=["voted"])
    Ballot.objects.create(selection=locked, choices=[])
    audit_record(actor=actor, event="honours.selection.voted", target=locked, after={"voted": True})


def tally(selection: Selection) -> dict[str, Any]:
    """Count the stored ballots: votes per shortlisted nomination; elected = those with more than half of the
    ballots, best first, up to the seats. A tie on the last seat elects neither (a further round is needed)."""
    shortlist = list(selection.nominations.filter(shortlisted=True).order_by("pk").values_list("pk", flat=True))
    votes = dict.fromkeys(shortlist, 0)
    ballots = 0
    for choices in selection.ballots.values_list("choices", flat=True).iterator(chunk_size=2000):
        ballots += 1
        for c in choices:
            if c in votes:
                votes[c] += 1
    passing = sorted((pk for pk in shortlist if votes[pk] * 2 > ballots), key=lambda pk: (-votes[pk], pk))
    elected = passing[:selection.seats]
    tie = False
    if len(passing) > selection.seats:
        boundary = votes[elected[-1]]
        if votes[passing[selection.seats]] == boundary:
            tie = True
            elected = [pk for pk in elected if votes[pk] > boundary]
    result = {"ballots": ballots, "tallies": {str(pk): v for pk, v in votes.items()}, "elected": elected, "tie": tie}
    result["digest"] = hashlib.sha256(json.dumps(result, sort_keys=True).encode()).hexdigest()
    return result


@transaction.atomic
def count_run(*, actor: User | None, selection: Selection) -> CountRun:
    """Count (or re-count) the stored ballots after the ballot closed; each run is kept with its result."""
    locked = _locked_selection(selection, SelectionStatus.COUNTED, SelectionStatus.PUBLICITY, SelectionStatus.FINAL)
    result = tally(locked)
    run = CountRun(selection=locked, counted_by=actor, ballots=result["ballots"], tallies=result["tallies"],
                   elected=result["elected"], digest=result["digest"],
                   voters=locked.voters.count(), voted=locked.voters.filter(voted=True).count())
    run.full_clean()
    run.save()
    first = locked.counts.order_by("pk").first()
    audit_record(actor=actor, event="honours.selection.counted", target=locked,
                 after={"ballots": run.ballots, "elected": len(run.elected), "digest": run.digest[:16],
                        "same_as_first": first is None or first.digest == run.digest})
    return run


@transaction.atomic
def voting_close(*, actor: User | None, selection: Selection) -> CountRun:
    """Close the ballot and count it."""
    locked = _locked_selection(selection, SelectionStatus.VOTING)
    locked.voting_closed_at = timezone.now()
    _move(locked, selection, SelectionStatus.COUNTED, ["voting_closed_at"])
    audit_record(actor=actor, event="honours.selection.voting_closed", target=locked)
    return count_run(actor=actor, selection=locked)


def add_working_days(start: date, days: int) -> date:
    """The last day of a period of `days` working days (Monday–Friday) beginning on `start` (or the next
    working day). Public holidays are not known to the system: set the end by hand around them."""
    day = start
    while day.weekday() >= 5:
        day += timedelta(days=1)
    counted = 1
    while counted < days:
        day += timedelta(days=1)
        if day.weekday() < 5:
            counted += 1
    return day


@transaction.atomic
def publicity_start(*, actor: User | None, selection: Selection, start: date,
                    working_days: int = PUBLICITY_WORKING_DAYS, end: date | None = None) -> Selection:
    """Publish the counted result (公示), by default for 5 working days."""
    locked = _locked_selection(selection, SelectionStatus.COUNTED)
    first = locked.counts.order_by("pk").first()
    if first is None or not first.elected:
        raise ValidationError(_("计票结果无人当选，不能公示；请重新提名或再次投票。"))
    if working_days < 1:
        raise ValidationError({"working_days": _("公示期至少 1 个工作日。")})
    locked.publicity_start = start
    locked.publicity_end = end or add_working_days(start, working_days)
    if locked.publicity_end < start:
        raise ValidationError({"end": _("公示截止日期不能早于开始日期。")})
    _move(locked, selection, SelectionStatus.PUBLICITY, ["publicity_start", "publicity_end"])
    audit_record(actor=actor, event="honours.selection.publicity_started", target=locked,
                 after={"start": str(start), "end": str(locked.publicity_end)})
    return locked


@transaction.atomic
def objection_record(*, actor: User | None, selection: Selection, content: str, received_on: date,
                     nomination: Nomination | None = None) -> Objection:
    """Record an objection received during 公示."""
    locked = _locked_selection(selection, SelectionStatus.PUBLICITY)
    if nomination is not None and nomination.selection_id != locked.pk:
        raise ValidationError({"nomination": _("所选人员不属于本次评选。")})
    objection = Objection(selection=locked, nomination=nomination, content=content, received_on=received_on,
                          recorded_by=actor)
    objection.full_clean()
    objection.save()
    audit_record(actor=actor, event="honours.selection.objection", target=locked,
                 after={"nomination": str(nomination or ""), "received_on": str(received_on)})
    return objection


@transaction.atomic
def objection_resolve(*, actor: User | None, objection: Objection, handling: str, upheld: bool) -> Objection:
    locked = Objection.objects.select_for_update().get(pk=objection.pk)
    if locked.resolved:
        raise ValidationError(_("该异议已处理。"))
    if not handling.strip():
        raise ValidationError({"handling": _("请填写处理情况。")})
    locked.handling, locked.upheld, locked.resolved = handling, upheld, True
    locked.full_clean()
    locked.save(update_fields=["handling", "upheld", "resolved", "updated_at"])
    audit_record(actor=actor, event="honours.selection.objection_resolved", target=locked.selection,
                 after={"upheld": upheld})
    return locked


@transaction.atomic
def selection_finalise(*, actor: User | None, selection: Selection, today: date | None = None) -> list[Honour]:
    """After 公示 without unresolved objections the result stands: each elected nominee (less those an upheld
    objection concerns) receives the selection's honour."""
    today = today or timezone.localdate()
    locked = _locked_selection(selection, SelectionStatus.PUBLICITY)
    if locked.publicity_end is None or today <= locked.publicity_end:
        raise ValidationError(_("公示期至 %(d)s 结束，结束后才能确定结果。") % {
            "d": locked.publicity_end.isoformat() if locked.publicity_end else "?"})
    if locked.objections.filter(resolved=False).exists():
        raise ValidationError(_("还有未处理的异议，请先处理。"))
    first = locked.counts.order_by("pk").first()
    elected = list(first.elected) if first else []
    upheld = set(locked.objections.filter(upheld=True).values_list("nomination_id", flat=True))
    honours = []
    for nomination in Nomination.objects.filter(pk__in=elected).exclude(pk__in=upheld).select_related("person"):
        honours.append(honour_record(actor=actor, court=locked.court, source=HonourSource.SELECTION, selection=locked,
                                     data={"name": locked.honour_name, "level": locked.honour_level,
                                           "issuer": locked.issuer, "awarded_on": today,
                                           "holder_kind": HolderKind.PERSON, "person": nomination.person}))
    locked.finalised_on = today
    _move(locked, selection, SelectionStatus.FINAL, ["finalised_on"])
    audit_record(actor=actor, event="honours.selection.finalised", target=locked, after={"honours": len(honours)})
    return honours


# --- showcase ------------------------------------------------------------------------------------------------
@transaction.atomic
def lobby_create(*, actor: User | None, court: Court, name: str, seconds_per_slide: int = 12) -> LobbyScreen:
    screen = LobbyScreen(court=court, name=name, seconds_per_slide=seconds_per_slide, created_by=actor)
    screen.full_clean()
    screen.save()
    audit_record(actor=actor, event="honours.lobby.created", target=screen, after={"name": name})
    return screen


@transaction.atomic
def lobby_revoke(*, actor: User | None, screen: LobbyScreen) -> LobbyScreen:
    """Revoke the screen's link: its address answers 404 from now on (a new screen gets a new link)."""
    locked = LobbyScreen.objects.select_for_update().get(pk=screen.pk)
    if locked.revoked_at is not None:
        raise ValidationError(_("该链接已撤销。"))
    locked.revoked_at = timezone.now()
    locked.save(update_fields=["revoked_at", "updated_at"])
    audit_record(actor=actor, event="honours.lobby.revoked", target=locked)
    screen.__dict__.update(locked.__dict__)
    return locked


@transaction.atomic
def venue_save(*, actor: User | None, court: Court, data: dict[str, Any], venue: Venue | None = None) -> Venue:
    if venue is None:
        venue = Venue(court=court, **data)
        venue.full_clean()
        venue.save()
        audit_record(actor=actor, event="honours.venue.created", target=venue, after={"name": venue.name})
        return venue
    locked = Venue.objects.select_for_update().get(pk=venue.pk)
    changed = _set(locked, data)
    locked.full_clean()
    if changed:
        locked.save()
        audit_record(actor=actor, event="honours.venue.updated", target=locked,
                     before={k: _plain(v[0]) for k, v in changed.items()},
                     after={k: _plain(v[1]) for k, v in changed.items()})
    return locked


@transaction.atomic
def venue_book(*, actor: User | None, venue: Venue, day: date | None = None, start_time: time | None = None,
               end_time: time | None = None, purpose: str = "", meeting: Meeting | None = None) -> VenueBooking:
    """Book a venue. A meeting's booking takes its date and times and writes the venue as the meeting's place.

    Race: two people booking the same slot at once. The venue row is locked before the overlap check, so the
    second booking waits and then sees the first: a double booking is refused, never stored."""
    locked = Venue.objects.select_for_update().get(pk=venue.pk)
    if not locked.bookable:
        raise ValidationError(_("“%(v)s”不接受预约。") % {"v": locked.name})
    if meeting is not None:
        if meeting.court_id != locked.court_id:
            raise ValidationError({"meeting": _("会议必须是本院的。")})
        day, start_time, end_time = meeting.date, meeting.start_time, meeting.end_time
        purpose = purpose or f"{meeting.meeting_type.name}：{meeting.topic}"[:100]
    if day is None or start_time is None or end_time is None:
        raise ValidationError({"day": _("请填写日期和起止时间。")})
    if end_time <= start_time:
        raise ValidationError({"end_time": _("结束时间必须晚于开始时间。")})
    if meeting is None and day < timezone.localdate():
        raise ValidationError({"day": _("不能预约已过去的日期。")})
    clash = (locked.bookings.filter(date=day, start_time__lt=end_time, end_time__gt=start_time)
             .order_by("start_time").first())
    if clash is not None:
        raise ValidationError({"start_time": _("“%(v)s”在 %(d)s %(s)s–%(e)s 已被预约（%(p)s），请换一个时间或场所。") % {
            "v": locked.name, "d": day.isoformat(), "s": f"{clash.start_time:%H:%M}", "e": f"{clash.end_time:%H:%M}",
            "p": clash.purpose}})
    booking = VenueBooking(venue=locked, date=day, start_time=start_time, end_time=end_time, purpose=purpose,
                           meeting=meeting, booked_by=actor)
    booking.full_clean()
    booking.save()
    if meeting is not None and meeting.place != locked.name:
        from tianping.partylife.services import meeting_update

        meeting_update(actor=actor, meeting=meeting, data={"place": locked.name})  # type: ignore[arg-type]
    audit_record(actor=actor, event="honours.venue.booked", target=locked,
                 after={"date": str(day), "start": f"{start_time:%H:%M}", "end": f"{end_time:%H:%M}",
                        "purpose": purpose})
    return booking


@transaction.atomic
def booking_cancel(*, actor: User | None, booking: VenueBooking) -> None:
    audit_record(actor=actor, event="honours.venue.booking_cancelled", target=booking.venue,
                 before={"date": str(booking.date), "start": f"{booking.start_time:%H:%M}", "purpose": booking.purpose})
    booking.delete()


@transaction.atomic
def article_save(*, actor: User | None, court: Court, data: dict[str, Any], article: Article | None = None
                 ) -> Article:
    """Write or change an article (a draft until submitted; a returned article may be changed and resubmitted)."""
    if article is None:
        article = Article(court=court, created_by=actor, **data)
        article.full_clean()
        article.save()
        audit_record(actor=actor, event="honours.article.created", target=article, after={"title": article.title})
        return article
    locked = Article.objects.select_for_update().get(pk=article.pk)
    changed = _set(locked, data)
    locked.full_clean()
    if changed:
        locked.save()
        audit_record(actor=actor, event="honours.article.updated", target=locked,
                     before={k: _plain(v[0]) for k, v in changed.items() if k != "body"},
                     after={k: _plain(v[1]) for k, v in changed.items() if k != "body"})
    return locked


@transaction.atomic
def article_submit(*, actor: User | None, article: Article) -> Article:
    locked = Article.objects.select_for_update().get(pk=article.pk)
    if locked.status not in (ArticleStatus.DRAFT, ArticleStatus.RETURNED):
        raise ValidationError(_("只有草稿或退回的文章可以提交审核。"))
    locked.status = ArticleStatus.SUBMITTED
    locked.save(update_fields=["status", "updated_at"])
    audit_record(actor=actor, event="honours.article.submitted", target=locked)
    return locked


@transaction.atomic
def article_review(*, actor: User | None, article: Article, publish: bool, note: str = "",
                   today: date | None = None) -> Article:
    """The reviewer publishes a submitted article or returns it with a note (the note is required then)."""
    locked = Article.objects.select_for_update().get(pk=article.pk)
    if locked.status != ArticleStatus.SUBMITTED:
        raise ValidationError(_("只有待审核的文章可以审核。"))
    if not publish and not note.strip():
        raise ValidationError({"note": _("退回时请写明修改意见。")})
    locked.status = ArticleStatus.PUBLISHED if publish else ArticleStatus.RETURNED
    locked.reviewed_by, locked.review_note = actor, note
    if publish:
        locked.published_on = today or timezone.localdate()
    locked.save(update_fields=["status", "reviewed_by", "review_note", "published_on", "updated_at"])
    audit_record(actor=actor, event="honours.article.published" if publish else "honours.article.returned",
                 target=locked, message=note)
    return locked


@transaction.atomic
def article_attach(*, actor: User | None, article: Article, upload: Any) -> ArticleAttachment:
    try:
        ctype = check_upload(upload, max_bytes=UPLOAD_MAX_BYTES, kinds=PHOTO_PDF_AND_DOCUMENTS)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    att = ArticleAttachment(article=article, file=upload, original_name=upload.name[-200:], content_type=ctype)
    att.full_clean()
    att.save()
    audit_record(actor=actor, event="honours.article.attached", target=article, after={"file": att.original_name})
    return att


@transaction.atomic
def article_read(*, article: Article, person: Person | None, today: date | None = None) -> ArticleStudy | None:
    """Count a reading. A person reading an assigned (必学) article earns its study hours, once."""
    Article.objects.filter(pk=article.pk).update(read_count=F("read_count") + 1)
    if person is None or not article.assigned or article.status != ArticleStatus.PUBLISHED:
        return None
    study, created = ArticleStudy.objects.get_or_create(
        article=article, person=person,
        defaults={"studied_on": today or timezone.localdate(), "hours": article.study_hours})
    if created:
        audit_record(actor=None, event="honours.article.studied", target=article, court_id=article.court_id,
                     after={"person": person.name, "hours": str(article.study_hours)})
    return study
