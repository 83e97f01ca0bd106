"""Every write of the service records: keyword-only, typed, atomic, `full_clean()` before saving, audited in the
same transaction. Refusals are ValidationErrors naming the field and saying what to fix.

Races handled:
- `revisit_record` / `revisit_import_row`: the follow-up of a dissatisfied rating is a OneToOne on the revisit,
  created after locking the revisit row, so two saves of the same revisit cannot raise two follow-ups.
- `follow_up_close` and the complaint transitions lock their row and re-read the state, so a second click (or a
  colleague acting at the same time) is refused by the state guard instead of overwriting the first answer.
"""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tianping.core.audit import audit_record, model_changes
from tianping.service.models import (
    DISSATISFIED_LEVELS,
    CircuitPlace,
    CircuitTrial,
    Complaint,
    ComplaintStatus,
    FollowUp,
    FollowUpStatus,
    OutreachEvent,
    Partnership,
    PartnerVisit,
    Revisit,
    RevisitAssignment,
    RevisitSample,
    SampleMethod,
    ServiceSettings,
    due_after,
)
from tianping.service.selectors import draw, sample_population

OUTREACH_POINTS_RULE = "outreach_event"  # party.PointsRule code (service/migrations/0002_points_rule.py)


def _today() -> date:
    return timezone.localdate()


# --- settings -------------------------------------------------------------------------------------------
@transaction.atomic
def settings_save(*, actor: Any, court: Any, satisfied_from: int, follow_up_days: int,
                  complaint_days: int) -> ServiceSettings:
    obj = ServiceSettings.objects.select_for_update().filter(court=court).first() or ServiceSettings(court=court)
    old = {"satisfied_from": obj.satisfied_from, "follow_up_days": obj.follow_up_days,
           "complaint_days": obj.complaint_days}
    obj.satisfied_from, obj.follow_up_days, obj.complaint_days = satisfied_from, follow_up_days, complaint_days
    obj.full_clean()
    obj.save()
    before, after = model_changes(obj, list(old), old)
    audit_record(actor=actor, event="service.settings", target=obj, before=before, after=after)
    return obj


# --- revisits ----------------------------------------------------------------------------------------
@transaction.atomic
def sample_draw(*, actor: Any, court: Any, title: str, method: str, closed_from: date, closed_to: date, size: int,
                judge: Any = None, type_code: str = "", department: Any = None, callers: list[Any] | None = None,
                seed: int | None = None, drawn_on: date | None = None) -> RevisitSample:
    """Draw closed cases to revisit and assign the calls in turn to `callers`. The seed (a fresh random one
    unless given) and the criteria are recorded: `selectors.sample_redraw(sample)` draws the same cases."""
    errors: dict[str, str] = {}
    if closed_to < closed_from:
        errors["closed_to"] = _("结案日期至早于结案日期自，请核对。")
    if method == SampleMethod.JUDGE and judge is None:
        errors["judge"] = _("按承办人抽取时请选择承办人。")
    if method == SampleMethod.CASE_TYPE and not type_code:
        errors["type_code"] = _("按案件类型抽取时请填写案件类型代字（如 民初）。")
    if errors:
        raise ValidationError(errors)
    if method != SampleMethod.JUDGE:
        judge = None
    if method != SampleMethod.CASE_TYPE:
        type_code = ""
    population = list(sample_population(court=court, user=actor, closed_from=closed_from, closed_to=closed_to,
                                        judge=judge, type_code=type_code, department=department)
                      .values_list("id", flat=True))
    if not population:
        raise ValidationError({"closed_from": _("该期间内没有符合条件的已结案件，请调整条件。")})
    seed = seed if seed is not None else secrets.randbelow(2**31)
    sample = RevisitSample(court=court, title=title, method=method, closed_from=closed_from, closed_to=closed_to,
                           judge=judge, type_code=type_code, department=department, size=size, seed=seed,
                           population=len(population), drawn_on=drawn_on or _today(), drawn_by=actor)
    sample.full_clean()
    sample.save()
    callers = list(callers or [])
    rows = []
    for i, case_id in enumerate(draw(population, size, seed)):
        rows.append(RevisitAssignment(court=court, sample=sample, case_id=case_id, position=i + 1,
                                      caller=callers[i % len(callers)] if callers else None))
    RevisitAssignment.objects.bulk_create(rows)
    audit_record(actor=actor, event="service.sample.drawn", target=sample,
                 after={"method": method, "seed": seed, "population": len(population), "drawn": len(rows)})
    return sample


@transaction.atomic
def assignment_assign(*, actor: Any, assignment: RevisitAssignment, caller: Any) -> RevisitAssignment:
    locked = RevisitAssignment.objects.select_for_update().get(pk=assignment.pk)
    before = locked.caller_id
    locked.caller = caller
    locked.full_clean()
    locked.save(update_fields=["caller", "updated_at"])
    audit_record(actor=actor, event="service.assignment.assigned", target=locked,
                 before={"caller": before}, after={"caller": getattr(caller, "pk", None)})
    return locked


def _follow_up_open(*, actor: Any, revisit: Revisit, problem: str, owner: Any = None,
                    due_on: date | None = None) -> FollowUp | None:
    """The revisit's one follow-up (created when missing). Caller holds the revisit's row lock."""
    existing = FollowUp.objects.filter(revisit=revisit).first()
    if existing is not None:
        return existing
    settings_ = ServiceSettings.for_court(revisit.court)
    owner = owner or revisit.case.judge or revisit.caller
    follow_up = FollowUp(court_id=revisit.court_id, revisit=revisit, owner=owner,
                         problem=problem or revisit.comments or _("被回访人表示不满意"),
                         due_on=due_on or due_after(revisit.revisited_on, settings_.follow_up_days))
    follow_up.full_clean()
    follow_up.save()
    audit_record(actor=actor, event="service.follow_up.opened", target=follow_up,
                 after={"owner": owner.name, "due_on": follow_up.due_on.isoformat()})
    return follow_up


def _needs_follow_up(rating: int | None, problem: str) -> bool:
    return rating in DISSATISFIED_LEVELS or bool(problem)


@transaction.atomic
def revisit_record(*, actor: Any, case: Any, revisited_on: date, method: str, caller: Any, contact_name: str,
                   relation: str, rating: int | None, comments: str = "", handling: str = "",
                   assignment: RevisitAssignment | None = None, problem: str = "", owner: Any = None,
                   due_on: date | None = None) -> Revisit:
    """Record one person contacted. A 不满意 / 非常不满意 rating, or a problem raised, opens exactly one
    follow-up (owner: the given one, else the case's judge; deadline: the court's follow-up days)."""
    if assignment is not None and assignment.case_id != case.pk:
        raise ValidationError({"case": _("回访任务与案件不一致。")})
    revisit = Revisit(court_id=case.court_id, case=case, assignment=assignment, revisited_on=revisited_on,
                      method=method, caller=caller, contact_name=contact_name.strip(), relation=relation,
                      rating=rating, comments=comments, handling=handling, recorded_by=actor)
    revisit.full_clean()
    revisit.save()
    audit_record(actor=actor, event="service.revisit.recorded", target=revisit,
                 after={"case": case.number, "rating": rating})
    if _needs_follow_up(rating, problem):
        _follow_up_open(actor=actor, revisit=revisit, problem=problem, owner=owner, due_on=due_on)
    return revisit


REVISIT_IMPORT_FIELDS = ["method", "caller", "relation", "rating", "comments", "handling"]


@transaction.atomic
def revisit_import_row(*, actor: Any, court: Any, values: dict[str, Any]) -> str:
    """One row of the `revisits` import: the revisit of (案号, 被回访人, 回访日期) is created or updated; a row
    that becomes dissatisfied opens its one follow-up. Runs inside the import's transaction."""
    case = values["case"]
    found = (Revisit.objects.select_for_update()
             .filter(case=case, contact_name=values["contact_name"], revisited_on=values["revisited_on"]).first())
    if found is None:
        revisit_record(actor=actor, case=case, revisited_on=values["revisited_on"], method=values["method"],
                       caller=values["caller"], contact_name=values["contact_name"], relation=values["relation"],
                       rating=values.get("rating"), comments=values.get("comments") or "",
                       handling=values.get("handling") or "")
        return "created"
    old = {f: getattr(found, f) for f in REVISIT_IMPORT_FIELDS}
    for f in REVISIT_IMPORT_FIELDS:
        v = values.get(f)
        if v is None and f in ("comments", "handling"):
            v = ""
        setattr(found, f, v)
    found.full_clean()
    before, after = model_changes(found, REVISIT_IMPORT_FIELDS, old)
    if not before:
        return "unchanged"
    found.version += 1
    found.save()
    audit_record(actor=actor, event="service.revisit.updated", target=found,
                 before={k: str(v) for k, v in before.items()}, after={k: str(v) for k, v in after.items()})
    if _needs_follow_up(found.rating, ""):
        _follow_up_open(actor=actor, revisit=found, problem=found.comments)
    return "updated"


@transaction.atomic
def follow_up_close(*, actor: Any, follow_up: FollowUp, answer: str, closed_on: date) -> FollowUp:
    """Close a follow-up with the answer given to the person."""
    locked = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if locked.status == FollowUpStatus.CLOSED:
        raise ValidationError(_("该问题已办结，不能重复办结。"))
    if not answer.strip():
        raise ValidationError({"answer": _("请填写向被回访人答复的情况。")})
    if closed_on < locked.revisit.revisited_on:
        raise ValidationError({"closed_on": _("办结日期早于回访日期，请核对。")})
    locked.status, locked.answer, locked.closed_on, locked.closed_by = (FollowUpStatus.CLOSED, answer.strip(),
                                                                        closed_on, actor)
    locked.full_clean()
    locked.save(update_fields=["status", "answer", "closed_on", "closed_by", "updated_at"])
    audit_record(actor=actor, event="service.follow_up.closed", target=locked,
                 before={"status": FollowUpStatus.OPEN}, after={"status": locked.status})
    return locked


# --- circuit trials -----------------------------------------------------------------------------------
@transaction.atomic
def place_save(*, actor: Any, court: Any, township: str, name: str, kind: str, active: bool = True,
               place: CircuitPlace | None = None) -> CircuitPlace:
    obj = place or CircuitPlace(court=court)
    old = {"township": obj.township, "name": obj.name, "kind": obj.kind, "active": obj.active}
    obj.township, obj.name, obj.kind, obj.active = township.strip(), name.strip(), kind, active
    obj.full_clean()
    obj.save()
    before, after = model_changes(obj, list(old), old)
    audit_record(actor=actor, event="service.place.saved", target=obj, before=before if place else None, after=after)
    return obj


def place_for(*, actor: Any, court: Any, township: str, name: str) -> CircuitPlace:
    """The court's place of this township and name; a place not on the list yet is added to it."""
    found = CircuitPlace.objects.filter(court=court, township=township, name=name).first()
    return found or place_save(actor=actor, court=court, township=township, name=name, kind="other")


@transaction.atomic
def circuit_trial_record(*, actor: Any, court: Any, held_on: date, form: str, place: CircuitPlace, department: Any,
                         judge: Any, audience: int = 0, case: Any = None, note: str = "") -> CircuitTrial:
    trial = CircuitTrial(court=court, held_on=held_on, form=form, place=place, department=department, judge=judge,
                         audience=audience or 0, case=case, note=note, recorded_by=actor)
    trial.full_clean()
    trial.save()
    audit_record(actor=actor, event="service.circuit.recorded", target=trial,
                 after={"place": str(place), "form": form, "judge": judge.name})
    return trial


CIRCUIT_IMPORT_FIELDS = ["case", "department", "audience", "note"]


@transaction.atomic
def circuit_import_row(*, actor: Any, court: Any, values: dict[str, Any]) -> str:
    place = place_for(actor=actor, court=court, township=values["township"], name=values["place_name"])
    found = CircuitTrial.objects.filter(court=court, held_on=values["held_on"], place=place, judge=values["judge"],
                                        form=values["form"]).first()
    if found is None:
        circuit_trial_record(actor=actor, court=court, held_on=values["held_on"], form=values["form"], place=place,
                             department=values["department"], judge=values["judge"],
                             audience=values.get("audience") or 0, case=values.get("case"),
                             note=values.get("note") or "")
        return "created"
    old = {f: getattr(found, f) for f in CIRCUIT_IMPORT_FIELDS}
    for f in CIRCUIT_IMPORT_FIELDS:
        setattr(found, f, values.get(f) if values.get(f) is not None else {"audience": 0, "note": ""}.get(f))
    found.full_clean()
    before, after = model_changes(found, CIRCUIT_IMPORT_FIELDS, old)
    if not before:
        return "unchanged"
    found.save()
    audit_record(actor=actor, event="service.circuit.updated", target=found,
                 before={k: str(v) for k, v in before.items()}, after={k: str(v) for k, v in after.items()})
    return "updated"


# --- 法官六进 and legal publicity -------------------------------------------------------------------------
def _award_points(*, actor: Any, event: OutreachEvent, people: list[Any]) -> None:
    from tianping.party.models import PointsRule
    from tianping.party.services import points_award

    if not PointsRule.objects.filter(code=OUTREACH_POINTS_RULE, active=True).exists():
        return  # the court switched the rule off: the event is recorded without points
    for person in people:
        points_award(person=person, rule_code=OUTREACH_POINTS_RULE, occurred_on=event.held_on, actor=actor,
                     source=event, note=event.title[:200])


@transaction.atomic
def outreach_event_record(*, actor: Any, court: Any, held_on: date, title: str, kind: str, place: str,
                          participants: list[Any], department: Any = None, branch: Any = None, audience: int = 0,
                          materials: int = 0, note: str = "") -> OutreachEvent:
    """Record a publicity event; each member of staff taking part gets the points of rule `outreach_event`."""
    if not participants:
        raise ValidationError({"participants": _("请选择参加人员。")})
    if department is None and branch is None:
        raise ValidationError({"department": _("请填写组织部门或组织支部。")})
    event = OutreachEvent(court=court, held_on=held_on, title=title.strip(), kind=kind, place=place.strip(),
                          department=department, branch=branch, audience=audience or 0, materials=materials or 0,
                          note=note, recorded_by=actor)
    event.full_clean()
    event.save()
    event.participants.set(participants)
    audit_record(actor=actor, event="service.outreach.recorded", target=event,
                 after={"title": event.title, "participants": len(participants)})
    _award_points(actor=actor, event=event, people=participants)
    return event


@transaction.atomic
def outreach_import_row(*, actor: Any, court: Any, values: dict[str, Any]) -> str:
    org = values.get("organiser") or (None, None)
    department, branch = org
    found = OutreachEvent.objects.filter(court=court, held_on=values["held_on"], title=values["title"]).first()
    people = values.get("participants") or []
    if found is None:
        outreach_event_record(actor=actor, court=court, held_on=values["held_on"], title=values["title"],
                              kind=values["kind"], place=values.get("place") or "", participants=people,
                              department=department, branch=branch, audience=values.get("audience") or 0,
                              materials=values.get("materials") or 0)
        return "created"
    fields = ["kind", "place", "department", "branch", "audience", "materials"]
    old = {f: getattr(found, f) for f in fields}
    found.kind, found.place, found.department, found.branch = (values["kind"], values.get("place") or "",
                                                               department, branch)
    found.audience, found.materials = values.get("audience") or 0, values.get("materials") or 0
    found.full_clean()
    before, after = model_changes(found, fields, old)
    old_people = set(found.participants.values_list("pk", flat=True))
    new_people = {p.pk for p in people}
    if not before and old_people == new_people:
        return "unchanged"
    found.save()
    if old_people != new_people:
        found.participants.set(people)
        _award_points(actor=actor, event=found, people=[p for p in people if p.pk not in old_people])
    audit_record(actor=actor, event="service.outreach.updated", target=found,
                 before={k: str(v) for k, v in before.items()}, after={k: str(v) for k, v in after.items()})
    return "updated"


# --- 双包双联 ---------------------------------------------------------------------------------------------
@transaction.atomic
def partnership_save(*, actor: Any, court: Any, partner: str, partner_kind: str, start: date, branch: Any = None,
                     leader: Any = None, end: date | None = None,
                     partnership: Partnership | None = None) -> Partnership:
    obj = partnership or Partnership(court=court)
    fields = ["partner", "partner_kind", "branch", "leader", "start", "end"]
    old = {f: getattr(obj, f, None) for f in fields}
    obj.partner, obj.partner_kind, obj.branch, obj.leader, obj.start, obj.end = (partner.strip(), partner_kind,
                                                                                 branch, leader, start, end)
    if branch is None and leader is None:
        raise ValidationError({"branch": _("请填写结对支部或结对领导。")})
    obj.full_clean()
    obj.save()
    before, after = model_changes(obj, fields, old)
    audit_record(actor=actor, event="service.partnership.saved", target=obj,
                 before={k: str(v) for k, v in before.items()} if partnership else None,
                 after={k: str(v) for k, v in after.items()})
    return obj


@transaction.atomic
def partner_visit_record(*, actor: Any, partnership: Partnership, visited_on: date, visitors: list[Any],
                         matters: str, solved: str = "", follow_up: str = "") -> PartnerVisit:
    if not visitors:
        raise ValidationError({"visitors": _("请选择走访人员。")})
    if not partnership.active_on(visited_on):
        raise ValidationError({"visited_on": _("走访日期不在结对期间（%(s)s 起）内，请核对。")
                               % {"s": partnership.start.isoformat()}})
    visit = PartnerVisit(court_id=partnership.court_id, partnership=partnership, visited_on=visited_on,
                         matters=matters.strip(), solved=solved.strip(), follow_up=follow_up.strip(),
                         recorded_by=actor)
    visit.full_clean()
    visit.save()
    visit.visitors.set(visitors)
    audit_record(actor=actor, event="service.visit.recorded", target=visit,
                 after={"partner": partnership.partner, "visitors": len(visitors)})
    return visit


@transaction.atomic
def visit_import_row(*, actor: Any, court: Any, values: dict[str, Any]) -> str:
    """One row of `partner_visits`: the pairing (联系点 + 结对支部或领导) is found or started on the visit's
    date; the visit of that pairing on that date is created or updated."""
    branch, leader = values["paired"]
    qs = Partnership.objects.filter(court=court, partner=values["partner"], branch=branch, leader=leader)
    partnership = qs.filter(start__lte=values["visited_on"]).order_by("-start").first() or qs.first()
    if partnership is None:
        partnership = partnership_save(actor=actor, court=court, partner=values["partner"],
                                       partner_kind=values["partner_kind"], start=values["visited_on"], branch=branch,
                                       leader=leader)
    found = PartnerVisit.objects.filter(partnership=partnership, visited_on=values["visited_on"]).first()
    people = values.get("visitors") or []
    if found is None:
        partner_visit_record(actor=actor, partnership=partnership, visited_on=values["visited_on"], visitors=people,
                             matters=values["matters"], solved=values.get("solved") or "")
        return "created"
    old = {"matters": found.matters, "solved": found.solved}
    found.matters, found.solved = values["matters"], values.get("solved") or ""
    found.full_clean()
    before, after = model_changes(found, list(old), old)
    old_people = set(found.visitors.values_list("pk", flat=True))
    if not before and old_people == {p.pk for p in people}:
        return "unchanged"
    found.save()
    found.visitors.set(people)
    audit_record(actor=actor, event="service.visit.updated", target=found, before=before, after=after)
    return "updated"


# --- complaints ---------------------------------------------------------------------------------------
def _locked_complaint(complaint: Complaint, states: set[str], label: str) -> Complaint:
    locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
    if locked.status not in states:
        raise ValidationError(_("投诉当前为“%(s)s”，不能%(a)s。") % {"s": locked.get_status_display(), "a": label})
    return locked


@transaction.atomic
def complaint_register(*, actor: Any, court: Any, received_on: date, channel: str, category: str, summary: str,
                       complainant: str = "", subject: Any = None, case: Any = None) -> Complaint:
    """Register a complaint; the answer is due the court's complaint days (30 by default) after receipt."""
    days = ServiceSettings.for_court(court).complaint_days
    complaint = Complaint(court=court, received_on=received_on, channel=channel, category=category,
                          summary=summary.strip(), complainant=complainant.strip(), subject=subject, case=case,
                          due_on=due_after(received_on, days), recorded_by=actor)
    complaint.full_clean()
    complaint.save()
    audit_record(actor=actor, event="service.complaint.registered", target=complaint,
                 after={"category": category, "due_on": complaint.due_on.isoformat()})
    return complaint


@transaction.atomic
def complaint_assign(*, actor: Any, complaint: Complaint, handler: Any, assigned_on: date) -> Complaint:
    locked = _locked_complaint(complaint, {ComplaintStatus.RECEIVED, ComplaintStatus.ASSIGNED}, _("交办"))
    if locked.subject_id and handler.pk == locked.subject_id:
        raise ValidationError({"handler": _("不能交由被投诉人本人办理，请另选承办人。")})
    if assigned_on < locked.received_on:
        raise ValidationError({"assigned_on": _("交办日期早于收到日期，请核对。")})
    before = {"status": locked.status, "handler": locked.handler_id}
    locked.handler, locked.assigned_on, locked.status = handler, assigned_on, ComplaintStatus.ASSIGNED
    locked.version += 1
    locked.full_clean()
    locked.save()
    audit_record(actor=actor, event="service.complaint.assigned", target=locked, before=before,
                 after={"status": locked.status, "handler": handler.pk})
    return locked


@transaction.atomic
def complaint_answer(*, actor: Any, complaint: Complaint, answered_on: date, answer_method: str, answer: str,
                     substantiated: bool | None) -> Complaint:
    locked = _locked_complaint(complaint, {ComplaintStatus.ASSIGNED}, _("答复"))
    if answered_on < locked.received_on:
        raise ValidationError({"answered_on": _("答复日期早于收到日期，请核对。")})
    if not answer.strip():
        raise ValidationError({"answer": _("请填写答复内容。")})
    locked.answered_on, locked.answer_method, locked.answer = answered_on, answer_method, answer.strip()
    locked.substantiated, locked.status = substantiated, ComplaintStatus.ANSWERED
    locked.version += 1
    locked.full_clean()
    locked.save()
    audit_record(actor=actor, event="service.complaint.answered", target=locked,
                 before={"status": ComplaintStatus.ASSIGNED},
                 after={"status": locked.status, "substantiated": substantiated})
    return locked


@transaction.atomic
def complaint_close(*, actor: Any, complaint: Complaint, closed_on: date) -> Complaint:
    locked = _locked_complaint(complaint, {ComplaintStatus.ANSWERED}, _("办结"))
    assert locked.answered_on is not None  # answered
    if closed_on < locked.answered_on:
        raise ValidationError({"closed_on": _("办结日期早于答复日期，请核对。")})
    locked.closed_on, locked.status = closed_on, ComplaintStatus.CLOSED
    locked.version += 1
    locked.full_clean()
    locked.save()
    audit_record(actor=actor, event="service.complaint.closed", target=locked,
                 before={"status": ComplaintStatus.ANSWERED}, after={"status": locked.status})
    return locked
