"""Every write of the dispute-resolution centre. Each transition of a dispute is one service here: it locks
the dispute row, checks that the transition is allowed from the current state (see docs/mediation.md),
refuses otherwise with a Chinese reason, saves and writes the audit entry in the same transaction.

Race handled by `_locked`: two people acting on the same dispute at once (e.g. two clicks on 转立案 that
would create two cases, or an agreement recorded while a colleague records the failure). The row is
locked with select_for_update and the state re-read, so the second request sees the first one's result
and is refused by the state guard.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tianping.core.audit import audit_record
from tianping.core.uploads import DOCUMENTS, PHOTO_AND_PDF, check_upload
from tianping.mediation import calculator
from tianping.mediation.models import (
    AGREEMENT_STATES,
    CONFIRMATION_WINDOW_DAYS,
    MEDIATION_PERIOD_DAYS,
    CaseOutcome,
    Committee,
    DeadlineExtension,
    Dispute,
    DisputeParty,
    ExtensionConsent,
    GuidanceActivity,
    InsuranceHead,
    InsuranceLimit,
    Kind,
    Material,
    MediationSession,
    Mediator,
    PartyKind,
    PartyRole,
    ProvinceStatistic,
    Room,
    Route,
    Ruling,
    Source,
    Status,
    Studio,
    TrafficCalculation,
)

DISPUTE_TYPE_CODE = "民诉前调"
CONFIRMATION_TYPE_CODE = "民特"
FILING_TYPE_CODE = "民初"

PARTY_FIELDS = ["role", "kind", "name", "id_number", "credit_code", "representative", "phone", "address",
                "agent_name", "agent_phone"]

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from tianping.org.models import Court, Department, Person, User
    from tianping.trials.models import Case


def _locked(dispute: Dispute, expected_version: int | None = None) -> Dispute:
    locked = Dispute.objects.select_for_update().get(pk=dispute.pk)
    if expected_version is not None and locked.version != expected_version:
        raise ValidationError(_("该纠纷已被他人更新（您打开页面后有新的操作），请刷新页面后重试。"), code="stale")
    return locked


def _refuse_unless(dispute: Dispute, allowed: set[str], action: str) -> None:
    if dispute.status not in allowed:
        raise ValidationError(
            _("纠纷 %(n)s 当前状态为“%(s)s”，不能%(a)s。") % {"n": dispute.number, "s": dispute.get_status_display(),
                                                      "a": action}, code="state")


def _save(dispute: Dispute, fields: list[str]) -> None:
    """Validate the changed fields (and the model's clean()), then save only them."""
    dispute.version += 1
    dispute.full_clean(exclude=[f.name for f in Dispute._meta.concrete_fields if f.name not in fields])
    dispute.save(update_fields=[*fields, "version", "updated_at"])


def _parties_clean(parties: list[dict[str, Any]]) -> list[DisputeParty]:
    """Validate every party; the errors name the party row so the clerk knows which one to fix."""
    objs, errors = [], []
    for i, data in enumerate(parties, start=1):
        p = DisputeParty(**{k: (data.get(k) or "") for k in PARTY_FIELDS}, sort_order=i)
        p.kind = p.kind or PartyKind.PERSON
        try:
            p.full_clean(exclude=["dispute"])
        except ValidationError as exc:
            for field, msgs in exc.message_dict.items():
                label = getattr(DisputeParty._meta.get_field(field), "verbose_name", field) if field != "__all__" else ""
                for m in msgs:
                    errors.append(_("第 %(i)d 位当事人（%(name)s）%(f)s：%(m)s")
                                  % {"i": i, "name": p.name or _("未填姓名"), "f": label, "m": m})
        objs.append(p)
    roles = {p.role for p in objs}
    if PartyRole.APPLICANT not in roles:
        errors.append(_("至少需要一位申请人。"))
    if PartyRole.RESPONDENT not in roles:
        errors.append(_("至少需要一位被申请人。"))
    if errors:
        raise ValidationError(errors)
    return objs


@transaction.atomic
def dispute_register(*, court: Court, actor: User, registered_on: date, cause: str, summary: str, source: str,
                     parties: list[dict[str, Any]], amount: Decimal | None = None, consent_to_mediation: bool = False,
                     intake_department: Department | None = None, materials: list[dict[str, Any]] | None = None,
                     committee: Committee | None = None) -> Dispute:
    """Intake (登记): validate the parties, give the dispute the next 民诉前调 number of the court and year.

    The number comes from trials.services.case_number_allocate, which locks the (court, year, type) sequence
    row: concurrent registrations wait for each other, so a number is never issued twice; a registration
    that fails validation rolls back with its allocation, so no committed number is ever reused."""
    from tianping.mediation.models import Site, station_of
    from tianping.trials.services import case_number_allocate

    station = station_of(actor)
    if station is not None and (intake_department is None or intake_department.pk != station):
        # a tribunal station's desk registers at its own station only (the form offers nothing else)
        raise ValidationError({"intake_department": _("服务站工作人员只能在本站登记纠纷。")})
    if intake_department is not None and not Site.objects.filter(department=intake_department, active=True).exists():
        raise ValidationError({"intake_department": _("该部门没有启用的诉讼服务站，请选择设有服务站的人民法庭，或留空（诉讼服务中心）。")})
    party_objs = _parties_clean(parties)
    dispute = Dispute(court=court, number="-", cause=cause, summary=summary, source=source, amount=amount,
                      consent_to_mediation=consent_to_mediation, intake_department=intake_department,
                      registered_on=registered_on, registered_by=actor, committee=committee)
    dispute.full_clean(exclude=["number"])
    dispute.number = case_number_allocate(court=court, year=registered_on.year, type_code=DISPUTE_TYPE_CODE,
                                          actor=actor)
    dispute.full_clean()
    dispute.save()
    for p in party_objs:
        p.dispute = dispute
        p.save()
    for m in materials or []:
        material_add(dispute=dispute, actor=actor, **m)
    audit_record(actor=actor, event="dispute.registered", target=dispute,
                 after={"number": dispute.number, "cause": cause, "source": source,
                        "parties": [p.name for p in party_objs]})
    return dispute


@transaction.atomic
def material_add(*, dispute: Dispute, actor: User, title: str, submitted_by: str = "", pages: int | None = None,
                 file: UploadedFile[Any] | None = None) -> Material:
    m = Material(dispute=dispute, title=title, submitted_by=submitted_by, pages=pages)
    if file is not None:
        check_upload(file, max_bytes=settings.TIANPING_UPLOAD_MAX_BYTES, kinds=PHOTO_AND_PDF + DOCUMENTS)
        m.file = file
    m.full_clean()
    m.save()
    audit_record(actor=actor, event="dispute.material_added", target=dispute, after={"material": title})
    return m


@transaction.atomic
def dispute_triage(*, dispute: Dispute, actor: User, route: str, reason: str, triaged_on: date, room: str = "",
                   mediator: Mediator | None = None, studio: Studio | None = None,
                   expected_version: int | None = None, filed_case: Case | None = None) -> Dispute:
    """Triage (指导分流): to pre-litigation mediation in the people's mediation room (a mediator of the
    roster) or a judge's studio, or straight to filing (which files the case at once; `filed_case`: the case
    already registered in the trial system, as filing_transfer's `case`)."""
    d = _locked(dispute, expected_version)
    _refuse_unless(d, {Status.REGISTERED}, _("分流（只有已登记、尚未分流的纠纷可以分流）"))
    if not (reason or "").strip():
        raise ValidationError({"triage_reason": _("请填写分流理由。")})
    assert d.registered_on is not None  # set in the states allowed above
    if triaged_on < d.registered_on:
        raise ValidationError({"triaged_on": _("分流日期不能早于登记日期 %(d)s。") % {"d": d.registered_on}})
    if route == Route.MEDIATION:
        if not d.consent_to_mediation:
            raise ValidationError(_("当事人未同意调解，不能分流至诉前调解；请先记录当事人同意调解，或选择直接立案。"))
        if room == Room.PEOPLES:
            if mediator is None:
                raise ValidationError({"mediator": _("分流至人民调解室须选择调解员。")})
            if not mediator.active:
                raise ValidationError({"mediator": _("调解员 %(m)s 已不在册，请选择其他调解员。") % {"m": mediator}})
            studio = None
        elif room == Room.STUDIO:
            if studio is None:
                raise ValidationError({"studio": _("分流至法官工作室须选择工作室。")})
            if not studio.active:
                raise ValidationError({"studio": _("法官工作室 %(s)s 已停用。") % {"s": studio}})
            mediator = None
        else:
            raise ValidationError({"room": _("请选择人民调解室或法官工作室。")})
        d.route, d.triage_reason, d.triaged_on = route, reason.strip(), triaged_on
        d.room, d.mediator, d.studio = room, mediator, studio
        d.status = Status.ASSIGNED
        _save(d, ["route", "triage_reason", "triaged_on", "room", "mediator", "studio", "status"])
        audit_record(actor=actor, event="dispute.triaged", target=d, before={"status": Status.REGISTERED},
                     after={"status": d.status, "route": route, "room": room, "handler": d.handler_label,
                            "reason": d.triage_reason})
        return d
    if route == Route.FILING:
        d.route, d.triage_reason, d.triaged_on = route, reason.strip(), triaged_on
        _save(d, ["route", "triage_reason", "triaged_on"])
        audit_record(actor=actor, event="dispute.triaged", target=d, after={"route": route, "reason": reason})
        return _filing_transfer(d, actor=actor, filed_on=triaged_on, case=filed_case)
    raise ValidationError({"route": _("请选择分流方式：诉前调解或直接立案。")})


@transaction.atomic
def dispute_reassign(*, dispute: Dispute, actor: User, room: str, reason: str, mediator: Mediator | None = None,
                     studio: Studio | None = None) -> Dispute:
    """Hand a dispute to another mediator or studio before or during mediation (the period keeps running)."""
    d = _locked(dispute)
    _refuse_unless(d, {Status.ASSIGNED, Status.MEDIATING}, _("更换调解员或工作室"))
    if room == Room.PEOPLES and mediator is None:
        raise ValidationError({"mediator": _("请选择调解员。")})
    if room == Room.STUDIO and studio is None:
        raise ValidationError({"studio": _("请选择法官工作室。")})
    before = d.handler_label
    d.room = room
    d.mediator = mediator if room == Room.PEOPLES else None
    d.studio = studio if room == Room.STUDIO else None
    _save(d, ["room", "mediator", "studio"])
    audit_record(actor=actor, event="dispute.reassigned", target=d, before={"handler": before},
                 after={"handler": d.handler_label}, message=reason)
    return d


@transaction.atomic
def mediation_accept(*, dispute: Dispute, actor: User, accepted_on: date) -> Dispute:
    """The mediator or studio accepts the dispute: the 30-day mediation period starts."""
    d = _locked(dispute)
    _refuse_unless(d, {Status.ASSIGNED}, _("受理调解（须先分流至调解员或法官工作室）"))
    assert d.triaged_on is not None  # set in the states allowed above
    if accepted_on < d.triaged_on:
        raise ValidationError({"accepted_on": _("受理日期不能早于分流日期 %(d)s。") % {"d": d.triaged_on}})
    d.accepted_on = accepted_on
    if d.kind != Kind.ENTRUSTED:  # an entrusted mediation keeps the deadline the judge set
        d.deadline_on = accepted_on + timedelta(days=MEDIATION_PERIOD_DAYS)
    d.status = Status.MEDIATING
    _save(d, ["accepted_on", "deadline_on", "status"])
    audit_record(actor=actor, event="dispute.accepted", target=d, before={"status": Status.ASSIGNED},
                 after={"status": d.status, "accepted_on": accepted_on, "deadline_on": d.deadline_on})
    return d


@transaction.atomic
def session_record(*, dispute: Dispute, actor: User, held_on: date, attendees: str, notes: str, online: bool = False,
                   place: str = "") -> MediationSession:
    d = _locked(dispute)
    _refuse_unless(d, {Status.MEDIATING}, _("记录调解（须先受理调解）"))
    assert d.accepted_on is not None  # set in the states allowed above
    if held_on < d.accepted_on:
        raise ValidationError({"held_on": _("调解日期不能早于受理日期 %(d)s。") % {"d": d.accepted_on}})
    if not online and not (place or "").strip():
        raise ValidationError({"place": _("线下调解请填写地点；线上调解请勾选“线上调解”。")})
    s = MediationSession(dispute=d, held_on=held_on, online=online, place=place, attendees=attendees,
                         notes=notes, recorded_by=actor)
    s.full_clean()
    s.save()
    audit_record(actor=actor, event="dispute.session_recorded", target=d,
                 after={"held_on": held_on, "online": online, "place": place})
    return s


@transaction.atomic
def deadline_extend(*, dispute: Dispute, actor: User, days: int, reason: str, granted_on: date,
                    consents: dict[int, date | None]) -> DeadlineExtension:
    """Extend the mediation period. Only with every party's recorded consent: `consents` maps each party's
    id to the date they consented (None or missing = not consented)."""
    d = _locked(dispute)
    _refuse_unless(d, {Status.MEDIATING}, _("延长调解期限"))
    if not (1 <= int(days) <= 180):
        raise ValidationError({"days": _("延长天数应在 1 至 180 天之间。")})
    if not (reason or "").strip():
        raise ValidationError({"reason": _("请填写延长理由。")})
    parties = list(d.parties.all())
    missing = [p.name for p in parties if not consents.get(p.pk)]
    if missing:
        raise ValidationError(_("延长调解期限须经全体当事人同意；以下当事人尚未同意：%(names)s。")
                              % {"names": "、".join(missing)}, code="consent")
    assert d.deadline_on is not None  # set when mediation was accepted
    ext = DeadlineExtension(dispute=d, days=days, old_deadline=d.deadline_on,
                            new_deadline=d.deadline_on + timedelta(days=int(days)), reason=reason,
                            granted_on=granted_on)
    ext.full_clean()
    ext.save()
    for p in parties:
        consented_on = consents[p.pk]
        assert consented_on is not None  # every party consented (checked above)
        ExtensionConsent.objects.create(extension=ext, party=p, consented_on=consented_on)
    old = d.deadline_on
    d.deadline_on = ext.new_deadline
    _save(d, ["deadline_on"])
    audit_record(actor=actor, event="dispute.extended", target=d, before={"deadline_on": old},
                 after={"deadline_on": d.deadline_on, "consents": [p.name for p in parties]}, message=reason)
    return ext


@transaction.atomic
def agreement_record(*, dispute: Dispute, actor: User, agreed_on: date, terms: str, amount: Decimal | None = None,
                     performance_deadline: date | None = None, effective_on: date | None = None,
                     case_outcome: str = "") -> Dispute:
    """The parties reach a mediation agreement (调解协议); it takes effect when signed unless stated.

    In an entrusted mediation (诉中委托调解) the agreement is written back to the litigation case: the case is
    closed on the agreement date by mediation (调解结案) or withdrawal (撤诉) — `case_outcome` — through
    trials.services.case_close, and the mediation ends (协议已回写案件)."""
    d = _locked(dispute)
    _refuse_unless(d, {Status.MEDIATING}, _("记录调解协议（须在调解中）"))
    assert d.accepted_on is not None  # set in the states allowed above
    if agreed_on < d.accepted_on:
        raise ValidationError({"agreement_on": _("协议日期不能早于受理日期 %(d)s。") % {"d": d.accepted_on}})
    assert d.deadline_on is not None  # set in the states allowed above
    if agreed_on > d.deadline_on:
        raise ValidationError(_("调解期限已于 %(d)s 届满，不能在期限外记录调解协议；如当事人均同意，请先延长调解期限。")
                              % {"d": d.deadline_on}, code="overdue")
    if not (terms or "").strip():
        raise ValidationError({"agreement_terms": _("请填写协议内容。")})
    effective_on = effective_on or agreed_on
    if effective_on < agreed_on:
        raise ValidationError({"agreement_effective_on": _("协议生效日期不能早于协议达成日期。")})
    if performance_deadline and performance_deadline < agreed_on:
        raise ValidationError({"performance_deadline": _("履行期限不能早于协议达成日期。")})
    entrusted = d.kind == Kind.ENTRUSTED
    if entrusted and case_outcome not in CaseOutcome.values:
        raise ValidationError({"case_outcome": _("委托调解达成协议后，请选择案件的结案方式：调解结案或撤诉。")})
    d.agreement_on, d.agreement_effective_on, d.agreement_terms = agreed_on, effective_on, terms.strip()
    d.agreement_amount, d.performance_deadline = amount, performance_deadline
    d.status = Status.AGREED
    fields = ["agreement_on", "agreement_effective_on", "agreement_terms", "agreement_amount",
              "performance_deadline", "status"]
    if entrusted:
        d.status, d.case_outcome, d.closed_on = Status.CASE_CLOSED, case_outcome, agreed_on
        fields += ["case_outcome", "closed_on"]
    _save(d, fields)
    audit_record(actor=actor, event="dispute.agreed", target=d, before={"status": Status.MEDIATING},
                 after={"status": d.status, "agreement_on": agreed_on, "amount": amount,
                        "case_outcome": d.case_outcome})
    if entrusted:
        _entrusted_case_close(d, actor=actor)
    return d


def _entrusted_case_close(d: Dispute, *, actor: Any) -> None:
    from tianping.trials.models import Case, Outcome
    from tianping.trials.services import case_close

    assert d.litigation_case_id is not None and d.agreement_on is not None  # an entrusted mediation, agreed
    outcome = Outcome.MEDIATION if d.case_outcome == CaseOutcome.MEDIATION else Outcome.WITHDRAWAL
    try:
        case_close(case=Case.objects.get(pk=d.litigation_case_id), actor=actor, closed_on=d.agreement_on,
                   outcome=outcome, note=_("委托调解达成协议（%(n)s）") % {"n": d.number})
    except ValidationError as exc:
        raise ValidationError({"agreement_on": exc.messages}) from exc


@transaction.atomic
def mediation_entrust(*, case: Any, actor: User, entrusted_on: date, deadline_on: date, room: str,
                      mediator: Mediator | None = None, studio: Studio | None = None, reason: str = "") -> Dispute:
    """The judge of a filed case entrusts mediation (诉中委托调解) to a mediator of the roster or a judge's
    studio, with a deadline. The mediation is a dispute of kind 诉中委托调解, numbered after the case
    (“<案号>委托调解”, “…委托调解2” for a second one), already assigned: the mediator accepts it, records sessions
    and the outcome as in pre-litigation mediation. An agreement closes the case (agreement_record), a failure
    or a withdrawal hands it back to the judge (the case stays open).

    Race handled: two entrustments of one case at once (a double click, judge and clerk together) — the case row
    is locked and open mediations of the case are counted under the lock, so the second is refused."""
    from tianping.trials.models import Case

    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.closed_on is not None:
        raise ValidationError(_("案件 %(n)s 已于 %(d)s 结案，不能委托调解。") % {"n": locked.number, "d": locked.closed_on})
    previous = list(Dispute.objects.filter(litigation_case=locked).values_list("status", flat=True))
    if any(st in (Status.ASSIGNED, Status.MEDIATING) for st in previous):
        raise ValidationError(_("案件 %(n)s 已有正在进行的委托调解，请待其结束后再委托。") % {"n": locked.number})
    if entrusted_on < locked.filed_on:
        raise ValidationError({"entrusted_on": _("委托日期不能早于立案日期 %(d)s。") % {"d": locked.filed_on}})
    if deadline_on <= entrusted_on:
        raise ValidationError({"deadline_on": _("调解期限须晚于委托日期 %(d)s。") % {"d": entrusted_on}})
    if room == Room.PEOPLES:
        if mediator is None or not mediator.active:
            raise ValidationError({"mediator": _("委托人民调解室调解须选择在册的调解员。")})
        studio = None
    elif room == Room.STUDIO:
        if studio is None or not studio.active:
            raise ValidationError({"studio": _("委托法官工作室调解须选择启用的工作室。")})
        mediator = None
    else:
        raise ValidationError({"room": _("请选择人民调解室或法官工作室。")})
    from tianping.mediation.models import Site

    # registered at the station of the tribunal that handles the case (the centre for the court's divisions)
    site_department = locked.department if locked.department_id and Site.objects.filter(
        department_id=locked.department_id, active=True).exists() else None
    n = len(previous) + 1
    number = f"{locked.number}委托调解" + (str(n) if n > 1 else "")
    text = (reason or "").strip()
    d = Dispute(court=locked.court, number=number, kind=Kind.ENTRUSTED, litigation_case=locked,
                source=Source.ENTRUSTED, cause=locked.cause or _("诉中委托调解"),
                summary=text or _("案件 %(n)s 诉中委托调解") % {"n": locked.number},
                consent_to_mediation=True, registered_on=entrusted_on, registered_by=actor,
                intake_department=site_department, route=Route.MEDIATION, triage_reason=text or _("承办法官委托调解"), triaged_on=entrusted_on,
                room=room, mediator=mediator, studio=studio, status=Status.ASSIGNED, deadline_on=deadline_on)
    d.full_clean()
    d.save()
    # the parties as the case records them (checked when the case was filed): copied, not typed again
    roles = {"原告": PartyRole.APPLICANT, "申请人": PartyRole.APPLICANT, "上诉人": PartyRole.APPLICANT,
             "被告": PartyRole.RESPONDENT, "被申请人": PartyRole.RESPONDENT, "被上诉人": PartyRole.RESPONDENT}
    DisputeParty.objects.bulk_create([
        DisputeParty(dispute=d, role=roles.get(str(p.get("role", "")), PartyRole.THIRD),
                     kind=PartyKind.ORGANISATION if p.get("credit_code") else PartyKind.PERSON,
                     name=str(p.get("name", ""))[:100], id_number=str(p.get("id_number") or "")[:18],
                     credit_code=str(p.get("credit_code") or "")[:18], phone=str(p.get("phone") or "")[:20],
                     address=str(p.get("address") or "")[:200], agent_name=str(p.get("agent") or "")[:60],
                     sort_order=i)
        for i, p in enumerate(locked.parties or [], start=1) if isinstance(p, dict) and p.get("name")])
    audit_record(actor=actor, event="dispute.entrusted", target=d,
                 after={"case": locked.number, "handler": d.handler_label, "deadline_on": deadline_on})
    audit_record(actor=actor, event="case.mediation_entrusted", target=locked,
                 after={"mediation": d.number, "handler": d.handler_label, "deadline_on": deadline_on})
    return d


@transaction.atomic
def performance_record(*, dispute: Dispute, actor: User, performed_on: date) -> Dispute:
    d = _locked(dispute)
    _refuse_unless(d, {Status.AGREED}, _("登记自动履行（须为已达成协议、未申请司法确认的纠纷）"))
    assert d.agreement_on is not None  # set in the states allowed above
    if performed_on < d.agreement_on:
        raise ValidationError({"performed_on": _("履行日期不能早于协议达成日期 %(d)s。") % {"d": d.agreement_on}})
    d.performed_on = d.closed_on = performed_on
    d.status = Status.PERFORMED
    _save(d, ["performed_on", "closed_on", "status"])
    audit_record(actor=actor, event="dispute.performed", target=d, before={"status": Status.AGREED},
                 after={"status": d.status, "performed_on": performed_on})
    return d


@transaction.atomic
def confirmation_apply(*, dispute: Dispute, actor: User, applied_on: date, applicant_ids: list[int],
                       judge: Person | None = None, number: str = "") -> Dispute:
    """The parties jointly apply for judicial confirmation (司法确认) within 30 days of the agreement taking
    effect. The application is a 民特 case in trials: with `number`, the 民特 case the filing desk already
    registered for it (this court's, filed on `applied_on`, not used by another dispute), so the court's 民特
    numbers stay in filing order; otherwise one filed here (trials.services.case_register: the next 民特 number,
    the parties — all of them 申请人, as the application is joint —, the cause 申请司法确认调解协议, the filing
    date and the judge who will rule: `judge`, or else the confirmation room's judge, see `confirmation_judge`).
    The dispute and the case point at each other."""

    d = _locked(dispute)
    _refuse_unless(d, {Status.AGREED}, _("申请司法确认（须为已达成调解协议、尚未履行完毕的纠纷）"))
    assert d.agreement_effective_on is not None  # set in the states allowed above
    if applied_on < d.agreement_effective_on:
        raise ValidationError({"confirmation_applied_on": _("申请日期不能早于协议生效日期 %(d)s。")
                               % {"d": d.agreement_effective_on}})
    last_day = d.confirmation_deadline
    assert last_day is not None  # the agreement has taken effect
    if applied_on > last_day:
        raise ValidationError(
            _("司法确认申请已超过期限：调解协议于 %(e)s 生效，应在 %(d)d 日内即 %(l)s 前共同申请，%(a)s 提出的申请不予受理。")
            % {"e": d.agreement_effective_on, "d": CONFIRMATION_WINDOW_DAYS, "l": last_day, "a": applied_on},
            code="late")
    parties = list(d.parties.all())
    missing = [p.name for p in parties if p.pk not in set(applicant_ids)]
    if missing:
        raise ValidationError(_("司法确认须由双方当事人共同申请；以下当事人未参加申请：%(n)s。")
                              % {"n": "、".join(missing)}, code="joint")
    if judge is not None and judge.court_id != d.court_id:
        raise ValidationError({"judge": _("审查法官必须是本院人员。")})
    if number:
        from tianping.trials.models import Case

        found = Case.objects.filter(court_id=d.court_id, number=number, type_code=CONFIRMATION_TYPE_CODE,
                                    filed_on=applied_on).first()
        if (found is None or Dispute.objects.filter(court_id=d.court_id, confirmation_number=number)
                .exclude(pk=d.pk).exists()):
            raise ValidationError(_("案号 %(c)s 不能使用：须为本院 %(d)s 立案、尚未用于其他纠纷的民特案件。")
                                  % {"c": number, "d": applied_on}, code="number")
        case = found
    else:
        case = confirmation_case_file(dispute=d, actor=actor, filed_on=applied_on,
                                      judge=judge or confirmation_judge(d.court))
    d.confirmation_applied_on = applied_on
    d.confirmation_number, d.confirmation_case = case.number, case
    d.status = Status.CONFIRMATION_APPLIED
    _save(d, ["confirmation_applied_on", "confirmation_number", "confirmation_case", "status"])
    audit_record(actor=actor, event="dispute.confirmation_applied", target=d, before={"status": Status.AGREED},
                 after={"status": d.status, "confirmation_number": d.confirmation_number})
    return d


CONFIRMATION_CAUSE = "申请司法确认调解协议"  # 民事案件案由规定: 特别程序案件 · 申请司法确认调解协议


def confirmation_judge(court: Court) -> Person | None:
    """The judge who rules on confirmation applications by default: the person of the court's first account in
    the 司法确认室 (CentreStaff.can_confirm) that is linked to a person; None if there is none (the case is
    then filed without a 承办人 and gets the ruling judge when ruled)."""
    from tianping.mediation.models import CentreStaff

    staff = (CentreStaff.objects.filter(court=court, can_confirm=True, user__person__isnull=False)
             .select_related("user__person").order_by("pk").first())
    return staff.user.person if staff is not None else None


def _case_parties(d: Dispute, role_map: dict[str, str]) -> list[dict[str, Any]]:
    return [
        {"role": role_map[p.role], "kind": p.get_kind_display(), "name": p.name, "id_number": p.id_number,
         "credit_code": p.credit_code, "representative": p.representative, "phone": p.phone,
         "address": p.address, "agent": p.agent_name, "agent_phone": p.agent_phone}
        for p in d.parties.all()
    ]


def confirmation_case_file(*, dispute: Dispute, actor: Any, filed_on: date, judge: Person | None,
                           number: str = "") -> Any:
    """File the 民特 case of a confirmation application in trials. With `number` (a dispute that got its 民特
    number before the case existed: `manage.py confirmation_cases`) the case keeps that number, which was
    already allocated; otherwise the allocator gives the next one."""
    from tianping.trials.hooks import case_filed
    from tianping.trials.models import Case, Procedure
    from tianping.trials.services import case_register, case_save

    parties = _case_parties(dispute, {PartyRole.APPLICANT: "申请人", PartyRole.RESPONDENT: "申请人",
                                      PartyRole.THIRD: "第三人"})
    note = _("司法确认申请，调解协议来自纠纷 %(n)s") % {"n": dispute.number}
    if not number:
        return case_register(court=dispute.court, type_code=CONFIRMATION_TYPE_CODE, filed_on=filed_on,
                             cause=CONFIRMATION_CAUSE, actor=actor, judge=judge, procedure=Procedure.SPECIAL,
                             parties=parties, source_note=note)
    case = Case(court=dispute.court, number=number, filed_on=filed_on, cause=CONFIRMATION_CAUSE, judge=judge,
                procedure=Procedure.SPECIAL, parties=parties, source_note=note)
    case = case_save(actor=actor, case=case)
    case_filed(case=case, actor=actor)  # what every filed case gets (the 法官寄语 letter …), as case_register does
    return case


@transaction.atomic
def confirmation_cases_backfill(*, court: Court | None = None, actor: Any = None) -> list[Dispute]:
    """Disputes that got a 民特 number before confirmation applications became trials cases: file each one's
    case under the number it already has (judge: the one who ruled, else the confirmation room's), closed by
    the ruling if there was one. Idempotent: a dispute that has its case is left alone."""
    from tianping.trials.models import Outcome
    from tianping.trials.services import case_close

    todo = (Dispute.objects.select_for_update(of=("self",)).filter(confirmation_case__isnull=True)
            .exclude(confirmation_number="").select_related("court", "ruled_by__person").order_by("pk"))
    if court is not None:
        todo = todo.filter(court=court)
    done = []
    for d in todo:
        assert d.confirmation_applied_on is not None  # a 民特 number is given with the application
        ruler = getattr(d.ruled_by, "person", None) if d.ruled_by_id else None
        case = confirmation_case_file(dispute=d, actor=actor, filed_on=d.confirmation_applied_on,
                                      judge=ruler or confirmation_judge(d.court), number=d.confirmation_number)
        if d.ruling and d.ruling_on:
            case_close(case=case, actor=actor, closed_on=d.ruling_on,
                       outcome=Outcome.CONFIRMED if d.ruling == Ruling.CONFIRMED else Outcome.REJECTED)
        d.confirmation_case = case
        _save(d, ["confirmation_case"])
        audit_record(actor=actor, event="dispute.confirmation_case_filed", target=d, after={"case": case.number})
        done.append(d)
    return done


@transaction.atomic
def confirmation_rule(*, dispute: Dispute, actor: Any, ruling: str, ruled_on: date, reason: str = "",
                      clerk: Any = None) -> Dispute:
    """The judicial confirmation room rules: 确认有效 or 驳回申请 (a rejection states its reason); `clerk` is
    the 书记员 who signs the ruling with the judge."""
    d = _locked(dispute)
    _refuse_unless(d, {Status.CONFIRMATION_APPLIED}, _("作出司法确认裁定（须先受理司法确认申请）"))
    if ruling not in Ruling.values:
        raise ValidationError({"ruling": _("请选择裁定结果：确认有效或驳回申请。")})
    assert d.confirmation_applied_on is not None  # set in the states allowed above
    if ruled_on < d.confirmation_applied_on:
        raise ValidationError({"ruling_on": _("裁定日期不能早于申请日期 %(d)s。") % {"d": d.confirmation_applied_on}})
    if ruling == Ruling.REJECTED and not (reason or "").strip():
        raise ValidationError({"ruling_reason": _("驳回申请须写明理由。")})
    d.ruling, d.ruling_on, d.ruling_reason = ruling, ruled_on, (reason or "").strip()
    if clerk is not None and clerk.court_id != d.court_id:
        raise ValidationError({"ruling_clerk": _("书记员必须是本院人员。")})
    d.ruled_by, d.ruling_clerk = actor, clerk
    d.status = Status.CONFIRMED if ruling == Ruling.CONFIRMED else Status.REJECTED
    d.closed_on = ruled_on
    _save(d, ["ruling", "ruling_on", "ruling_reason", "ruled_by", "ruling_clerk", "status", "closed_on"])
    if d.confirmation_case_id:
        _confirmation_case_close(d, actor=actor, ruled_on=ruled_on, ruling=ruling)
    audit_record(actor=actor, event="dispute.ruled", target=d, before={"status": Status.CONFIRMATION_APPLIED},
                 after={"status": d.status, "ruling_on": ruled_on})
    return d


def _confirmation_case_close(d: Dispute, *, actor: Any, ruled_on: date, ruling: str) -> None:
    """The ruling closes the 民特 case (确认有效 / 驳回申请 as its outcome); the judge who ruled becomes its
    承办人 when they are someone else than the judge the case was filed for."""
    from tianping.trials.models import Case, Outcome
    from tianping.trials.services import case_close

    assert d.confirmation_case_id is not None  # checked by the caller
    case = Case.objects.get(pk=d.confirmation_case_id)
    if case.closed_on is not None:  # the trial system already recorded its closing (an imported 民特 case)
        return
    person = getattr(actor, "person", None)
    ruler = person if person is not None and person.court_id == case.court_id else None
    case_close(case=case, actor=actor, closed_on=ruled_on, judge=ruler,
               outcome=Outcome.CONFIRMED if ruling == Ruling.CONFIRMED else Outcome.REJECTED,
               note=_("司法确认裁定（纠纷 %(n)s）") % {"n": d.number})


@transaction.atomic
def mediation_fail(*, dispute: Dispute, actor: User, ended_on: date, reason: str) -> Dispute:
    """Mediation fails (调解不成): the parties cannot agree or the period ran out without an extension."""
    d = _locked(dispute)
    _refuse_unless(d, {Status.ASSIGNED, Status.MEDIATING}, _("登记调解不成（须在分流后、达成协议前）"))
    if not (reason or "").strip():
        raise ValidationError({"end_reason": _("请填写调解不成的原因。")})
    since = d.accepted_on or d.triaged_on
    assert since is not None  # assigned or mediating: triaged at least
    if ended_on < since:
        raise ValidationError({"ended_on": _("终结日期不能早于受理或分流日期。")})
    before = d.status
    d.ended_on, d.end_reason, d.status = ended_on, reason.strip(), Status.FAILED
    d.end_kind, d.closed_on = Status.FAILED, ended_on
    _save(d, ["ended_on", "end_kind", "end_reason", "status", "closed_on"])
    audit_record(actor=actor, event="dispute.failed", target=d, before={"status": before},
                 after={"status": d.status, "reason": d.end_reason})
    _entrusted_return(d, actor=actor)
    return d


def _entrusted_return(d: Dispute, *, actor: Any) -> None:
    """An entrusted mediation that ended without agreement goes back to the case's judge (the case stays
    open); the case's history says so."""
    if d.kind == Kind.ENTRUSTED and d.litigation_case is not None:
        audit_record(actor=actor, event="case.mediation_returned", target=d.litigation_case,
                     after={"mediation": d.number, "status": d.status, "reason": d.end_reason})


@transaction.atomic
def dispute_withdraw(*, dispute: Dispute, actor: User, withdrawn_on: date, reason: str) -> Dispute:
    """A party withdraws from mediation (撤回); they may still file the case."""
    d = _locked(dispute)
    _refuse_unless(d, {Status.REGISTERED, Status.ASSIGNED, Status.MEDIATING}, _("撤回（达成协议或已结束的纠纷不能撤回）"))
    assert d.registered_on is not None  # set in the states allowed above
    if withdrawn_on < d.registered_on:
        raise ValidationError({"ended_on": _("撤回日期不能早于登记日期。")})
    before = d.status
    d.ended_on, d.end_reason, d.status = withdrawn_on, (reason or "").strip(), Status.WITHDRAWN
    d.end_kind, d.closed_on = Status.WITHDRAWN, withdrawn_on
    _save(d, ["ended_on", "end_kind", "end_reason", "status", "closed_on"])
    audit_record(actor=actor, event="dispute.withdrawn", target=d, before={"status": before},
                 after={"status": d.status, "reason": d.end_reason})
    _entrusted_return(d, actor=actor)
    return d


TRANSFERABLE = {Status.FAILED, Status.WITHDRAWN, Status.REJECTED}


@transaction.atomic
def filing_transfer(*, dispute: Dispute, actor: User, filed_on: date, department: Department | None = None,
                    judge: Person | None = None, case: Case | None = None) -> Dispute:
    """Transfer to filing (转立案) after failure, withdrawal or a rejected confirmation: files the case with
    the next 民初 number through trials.services.case_register, carrying the parties and materials over.

    `case`: the 民初 case the filing desk already registered for this dispute in the trial system (imported
    with its number): the dispute is linked to it instead of taking a new number, so the court's 民初 numbers
    stay in filing order; it must be this court's, filed on `filed_on` and not linked to another dispute."""
    d = _locked(dispute)
    return _filing_transfer(d, actor=actor, filed_on=filed_on, department=department, judge=judge, case=case)


def _filing_transfer(d: Dispute, *, actor: User, filed_on: date, department: Department | None = None,
                     judge: Person | None = None, case: Case | None = None) -> Dispute:
    from tianping.trials.services import case_register, case_save

    if d.kind == Kind.ENTRUSTED:
        raise ValidationError(_("纠纷 %(n)s 是已立案案件的委托调解，调解不成的由承办法官继续审理，不能转立案。")
                              % {"n": d.number}, code="entrusted")
    if d.status in AGREEMENT_STATES - {Status.REJECTED}:
        raise ValidationError(
            _("纠纷 %(n)s 已达成调解协议（当前状态“%(s)s”），不能转立案；协议未履行的，可申请司法确认后申请强制执行。")
            % {"n": d.number, "s": d.get_status_display()}, code="agreement")
    direct = d.status == Status.REGISTERED and d.route == Route.FILING
    if not direct and d.status not in TRANSFERABLE:
        raise ValidationError(
            _("纠纷 %(n)s 当前状态为“%(s)s”，不能转立案；须调解不成、当事人撤回或司法确认被驳回后方可转立案。")
            % {"n": d.number, "s": d.get_status_display()}, code="state")
    start = d.closed_on if d.status in TRANSFERABLE and d.closed_on else d.registered_on
    if filed_on < start:
        raise ValidationError({"filed_on": _("立案日期不能早于 %(d)s。") % {"d": start}})
    role_map: dict[str, str] = {PartyRole.APPLICANT: "原告", PartyRole.RESPONDENT: "被告", PartyRole.THIRD: "第三人"}
    parties = _case_parties(d, role_map)
    materials = list(d.materials.values_list("title", flat=True))
    note = _("诉前调解转立案：%(n)s") % {"n": d.number}
    if materials:
        note += _("；随案材料：") + "、".join(materials)
    if len(note) > 200:
        note = note[:199] + "…"
    if case is None:
        case = case_register(court=d.court, type_code=FILING_TYPE_CODE, filed_on=filed_on, cause=d.cause,
                             actor=actor, department=department, judge=judge, parties=parties, source_note=note)
    else:
        if (case.court_id != d.court_id or case.type_code != FILING_TYPE_CODE or case.filed_on != filed_on
                or Dispute.objects.filter(filed_case=case).exclude(pk=d.pk).exists()):
            raise ValidationError(_("案件 %(c)s 不能关联：须为本院 %(d)s 立案、尚未关联其他纠纷的民初案件。")
                                  % {"c": case.number, "d": filed_on}, code="case")
        case.cause, case.parties, case.source_note = d.cause, parties, note
        case = case_save(actor=actor, case=case)
    before = d.status
    d.filed_on, d.filed_case, d.status = filed_on, case, Status.FILED
    d.closed_on = filed_on
    _save(d, ["filed_on", "filed_case", "status", "closed_on"])
    audit_record(actor=actor, event="dispute.filed", target=d, before={"status": before},
                 after={"status": d.status, "case": case.number})
    return d


# --- roster ---------------------------------------------------------------------------------------


@transaction.atomic
def sites_ensure(*, court: Court, actor: Any = None) -> list[Any]:
    """The court's sites: its litigation service centre and a service station for each active people's tribunal
    (人民法庭服务站), created when missing (idempotent; run by the demo and after a tribunal is added)."""
    from tianping.mediation.models import Site, SiteKind
    from tianping.org.models import Department, DepartmentType

    created = []
    if not Site.objects.filter(court=court, department__isnull=True).exists():
        created.append(Site(court=court, name=_("诉讼服务中心"), kind=SiteKind.CENTRE,
                            rooms="指导分流室、人民调解室、法官工作室、司法确认室"))
    have = set(Site.objects.filter(court=court, department__isnull=False).values_list("department_id", flat=True))
    for dept in Department.objects.filter(court=court, type=DepartmentType.TRIBUNAL, active=True).order_by("pk"):
        if dept.pk not in have:
            created.append(Site(court=court, name=_("%(t)s服务站") % {"t": dept.name}, kind=SiteKind.STATION,
                                department=dept, rooms="人民调解室"))
    for site in created:
        site.full_clean()
        site.save()
        audit_record(actor=actor, event="site.created", target=site, after={"name": site.name})
    return created


_Entry = TypeVar("_Entry", Mediator, Studio, Committee)


def _register_entry_save(*, actor: Any, entry: _Entry, event: str, fields: tuple[str, ...]) -> _Entry:
    """Add or edit one entry of a register (the mediators' roster, the studios, the committees): checked, saved
    and audited as `<event>.created` / `<event>.updated` with the named fields; the callers are atomic."""
    created = entry.pk is None
    entry.full_clean()
    entry.save()
    audit_record(actor=actor, event=f"{event}.created" if created else f"{event}.updated", target=entry,
                 after={f: getattr(entry, f) for f in fields})
    return entry


@transaction.atomic
def mediator_save(*, actor: User, mediator: Mediator) -> Mediator:
    return _register_entry_save(actor=actor, entry=mediator, event="mediator",
                                fields=("name", "kind", "active", "user"))


@transaction.atomic
def studio_save(*, actor: User, studio: Studio) -> Studio:
    return _register_entry_save(actor=actor, entry=studio, event="studio", fields=("name", "judge", "active"))


# --- traffic-accident calculator ------------------------------------------------------------------


def limits_on(day: date, *, at_fault: bool) -> calculator.Limits:
    """The compulsory-insurance limits in force on `day` (the latest effective_from on or before it)."""
    rows = InsuranceLimit.objects.filter(at_fault=at_fault, effective_from__lte=day).order_by("-effective_from")
    found: dict[str, InsuranceLimit] = {}
    for r in rows:
        found.setdefault(r.head, r)
    missing = [h.label for h in InsuranceHead if h.value not in found]
    if missing:
        raise ValidationError(_("%(d)s 没有有效的交强险%(f)s限额：%(m)s，请先维护限额表。")
                              % {"d": day, "f": _("有责") if at_fault else _("无责"), "m": "、".join(map(str, missing))})
    return calculator.Limits(
        death_disability=found[InsuranceHead.DEATH_DISABILITY].amount, medical=found[InsuranceHead.MEDICAL].amount,
        property=found[InsuranceHead.PROPERTY].amount,
        effective_from=max(r.effective_from for r in found.values()))


def statistics_for(province: str, year: int, *, rural: bool = False) -> calculator.Statistics:
    stat = ProvinceStatistic.objects.filter(province=province, year=year).first()
    if stat is None:
        raise ValidationError(_("没有 %(p)s %(y)d 年度的统计数据，请先在“统计数据”中录入。") % {"p": province, "y": year})
    return calculator.Statistics(
        province=stat.province, year=stat.year,
        disposable_income=stat.rural_disposable_income if rural else stat.urban_disposable_income,
        consumption=stat.rural_consumption if rural else stat.urban_consumption,
        average_wage=stat.average_wage, hospital_food_daily=stat.hospital_food_daily, is_demo=stat.is_demo)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _calculate(inputs: calculator.Inputs, province: str, year: int,
               rural: bool) -> tuple[dict[str, Any], dict[str, Any]]:
    """(the inputs as stored, the result) of one calculation; ValidationError for missing data or for the rural
    standard after 2022-05-01 (calculator.rural_refusal)."""
    refusal = calculator.rural_refusal(inputs.accident_on, rural)
    if refusal:
        raise ValidationError({"rural": refusal})
    stat = statistics_for(province, year, rural=rural)
    limits = limits_on(inputs.accident_on, at_fault=inputs.insured_at_fault)
    try:
        result = calculator.compute(inputs, stat, limits)
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc
    raw = {k: getattr(inputs, k) for k in inputs.__dataclass_fields__}
    raw.update(province=province, year=year, rural=rural)
    return raw, result


@transaction.atomic
def calculation_save(*, actor: User, inputs: calculator.Inputs, province: str, year: int, rural: bool = False,
                     title: str = "") -> TrafficCalculation:
    """A standalone calculation (no dispute yet), saved for `actor` to attach to a dispute later."""
    raw, result = _calculate(inputs, province, year, rural)
    calc = TrafficCalculation(dispute=None, title=title.strip(), inputs=_jsonable(raw), result=_jsonable(result),
                              total=result["total"], created_by=actor)
    calc.full_clean()
    calc.save()
    audit_record(actor=actor, event="calculation.saved", target=calc,
                 after={"total": result["total"], "compulsory": result["compulsory"]})
    return calc


def inputs_from_stored(raw: dict[str, Any]) -> calculator.Inputs:
    """The calculator inputs of a saved calculation (its `inputs` JSON) back as calculator.Inputs."""
    values: dict[str, Any] = {}
    for name, f in calculator.Inputs.__dataclass_fields__.items():
        if name not in raw:
            continue
        v = raw[name]
        if name == "accident_on":
            v = date.fromisoformat(v)
        elif v is not None and str(f.type).startswith("Decimal"):
            v = Decimal(str(v))
        values[name] = v
    return calculator.Inputs(**values)


@transaction.atomic
def accident_calculation_save(*, actor: User, calculations: list[TrafficCalculation],
                              title: str = "") -> TrafficCalculation:
    """Several victims of one accident: recompute the chosen saved calculations of `actor` together, the
    compulsory-insurance limits shared in proportion to each victim's losses per head group
    (calculator.compute_accident), and save the result as a new calculation (the originals are kept)."""
    calcs = sorted(calculations, key=lambda c: c.pk)
    if len(calcs) < 2:
        raise ValidationError({"calculations": _("请至少选择两项同一事故的计算。")})
    if any(c.created_by_id != actor.pk for c in calcs):
        raise ValidationError({"calculations": _("只能合并本人保存的计算。")})
    raws = [c.inputs for c in calcs]
    if any(r.get("victims") for r in raws):
        raise ValidationError({"calculations": _("已合并的计算不能再次合并，请选择单个受害人的计算。")})
    keys = {(r.get("province"), r.get("year"), bool(r.get("rural"))) for r in raws}
    if len(keys) > 1:
        raise ValidationError({"calculations": _("所选计算的统计数据省份、年度或城乡标准不一致，不能合并。")})
    province, year, rural = keys.pop()
    victims = [inputs_from_stored(r) for r in raws]
    refusal = calculator.rural_refusal(victims[0].accident_on, rural)
    if refusal:
        raise ValidationError({"calculations": refusal})
    stat = statistics_for(province, int(year), rural=rural)
    limits = limits_on(victims[0].accident_on, at_fault=victims[0].insured_at_fault)
    names = [c.title or _("受害人%(n)d") % {"n": i + 1} for i, c in enumerate(calcs)]
    try:
        result = calculator.compute_accident(victims, stat, limits, names=names)
    except ValueError as exc:
        raise ValidationError({"calculations": str(exc)}) from exc
    stored = {"victims": [c.pk for c in calcs], "province": province, "year": year, "rural": rural}
    calc = TrafficCalculation(dispute=None, title=(title.strip() or _("同一事故 %(n)d 名受害人") % {"n": len(calcs)}),
                              inputs=_jsonable(stored), result=_jsonable(result), total=result["total"],
                              created_by=actor)
    calc.full_clean()
    calc.save()
    audit_record(actor=actor, event="calculation.saved", target=calc,
                 after={"total": result["total"], "compulsory": result["compulsory"], "victims": stored["victims"]})
    return calc


@transaction.atomic
def calculation_link(*, dispute: Dispute, actor: User, calculation: TrafficCalculation) -> TrafficCalculation:
    """Attach a standalone calculation `actor` saved to the dispute (it then belongs to the dispute).

    Race: the calculation row is locked, so two attaching requests (two tabs, a double click) cannot attach
    one calculation to two disputes; the second finds it attached and is refused."""
    d = _locked(dispute)
    calc = TrafficCalculation.objects.select_for_update().filter(pk=calculation.pk).first()
    if calc is None or calc.created_by_id != actor.pk:
        raise ValidationError({"calculation": _("只能附入本人保存的计算。")})
    if calc.dispute is not None:
        raise ValidationError({"calculation": _("该计算已附入案件 %(n)s，不能再附入其他案件。")
                               % {"n": calc.dispute.number}})
    calc.dispute = d
    calc.full_clean()
    calc.save(update_fields=["dispute", "updated_at"])
    audit_record(actor=actor, event="dispute.calculation_attached", target=d,
                 after={"calculation": calc.pk, "total": calc.result.get("total"),
                        "compulsory": calc.result.get("compulsory")})
    return calc


@transaction.atomic
def calculation_attach(*, dispute: Dispute, actor: User, inputs: calculator.Inputs, province: str, year: int,
                       rural: bool = False) -> TrafficCalculation:
    """Compute the traffic-accident damages and attach the working to the dispute."""
    d = _locked(dispute)
    raw, result = _calculate(inputs, province, year, rural)
    calc = TrafficCalculation(dispute=d, inputs=_jsonable(raw), result=_jsonable(result), total=result["total"],
                              created_by=actor)
    calc.full_clean()
    calc.save()
    audit_record(actor=actor, event="dispute.calculation_attached", target=d,
                 after={"total": result["total"], "compulsory": result["compulsory"]})
    return calc


@transaction.atomic
def statistics_import(*, actor: Any, created: list[ProvinceStatistic], updated: list[tuple[ProvinceStatistic, dict[str,
                      Any]]],
                      fields: list[str]) -> None:
    """A checked batch of 省份年度统计数据 rows from an import (tianping.mediation.importers); one audit fact
    per row (inside an import they join its one entry)."""
    from tianping.core.audit import audit_batch

    with audit_batch(actor=actor, event="statistic.imported"):
        ProvinceStatistic.objects.bulk_create(created)
        if updated:
            ProvinceStatistic.objects.bulk_update([s for s, _old in updated], fields)
        for stat in created:
            audit_record(actor=actor, event="statistic.created", target=stat)
        for stat, old in updated:
            audit_record(actor=actor, event="statistic.updated", target=stat, before=old,
                         after={f: getattr(stat, f) for f in old})


# --- the `disputes` register's import (tianping/mediation/importers.py) -------------------------------------

# the fields a row of the ledger sets (the import's columns; parties and the site are handled apart)
IMPORT_FIELDS = ("status", "cause", "source", "amount", "registered_on", "route", "mediator", "studio", "room",
                 "accepted_on", "deadline_on", "agreement_on", "agreement_amount", "confirmation_number", "ruling",
                 "filed_case", "closed_on", "intake_department")
# fields derived from the state and its dates (set only when the state implies them)
_DERIVED = ("triaged_on", "agreement_effective_on", "performed_on", "confirmation_applied_on", "ruling_on",
            "ended_on", "end_kind", "filed_on")
_ORG_SUFFIXES = ("公司", "委员会", "中心", "厂", "店", "银行", "合作社", "协会", "局", "所", "院", "学校", "集团")
_AFTER_TRIAGE = {Status.ASSIGNED, Status.MEDIATING, *AGREEMENT_STATES}
_CLOSED = {Status.PERFORMED, Status.CONFIRMED, Status.REJECTED, Status.FAILED, Status.WITHDRAWN, Status.FILED,
           Status.CASE_CLOSED}


def _ledger_consistency(d: Dispute) -> dict[str, str]:
    """What in a ledger row does not fit its state (状态) and dates, by field (the import names the column)."""
    errors: dict[str, str] = {}
    st = d.status
    label = Status(st).label if st in Status.values else st

    def given(field: str) -> bool:
        if field == "handler":
            return bool(d.mediator_id or d.studio_id)
        return getattr(d, field + "_id" if field == "filed_case" else field) not in (None, "")

    for field in ("accepted_on", "deadline_on", "agreement_on", "closed_on"):
        value = getattr(d, field)
        if value is not None and d.registered_on and value < d.registered_on:
            errors[field] = _("日期 %(v)s 早于登记日期 %(r)s，请核对。") % {"v": value, "r": d.registered_on}
    if st == Status.REGISTERED:
        for field in ("route", "handler", "accepted_on", "agreement_on", "ruling", "filed_case", "closed_on"):
            if given(field) and field not in errors:
                errors[field] = _("状态为“已登记”的纠纷尚未分流，此列应留空。")
        return errors
    if d.route == Route.FILING:
        for field in ("agreement_on", "accepted_on", "handler", "ruling"):
            if given(field) and field not in errors:
                errors[field] = _("分流方式为直接立案的纠纷未经调解，此列应留空。")
        if st != Status.FILED:
            errors.setdefault("status", _("分流方式为直接立案的纠纷，状态应为“已转立案”（现为“%(s)s”）。") % {"s": label})
    if st in _AFTER_TRIAGE and d.route != Route.MEDIATION:
        errors.setdefault("route", _("状态为“%(s)s”的纠纷已分流调解，分流方式应为“诉前调解”。") % {"s": label})
    if st in _AFTER_TRIAGE and not (d.mediator_id or d.studio_id):
        errors.setdefault("handler", _("状态为“%(s)s”的纠纷须填写调解员或工作室。") % {"s": label})
    if st in AGREEMENT_STATES and st != Status.AGREED and not d.accepted_on:
        errors.setdefault("accepted_on", _("状态为“%(s)s”的纠纷须填写受理调解日期。") % {"s": label})
    if st == Status.MEDIATING and not d.accepted_on:
        errors.setdefault("accepted_on", _("调解中的纠纷须填写受理调解日期。"))
    if st in AGREEMENT_STATES and not d.agreement_on:
        errors.setdefault("agreement_on", _("状态为“%(s)s”的纠纷须填写协议达成日期。") % {"s": label})
    if d.agreement_on and st not in AGREEMENT_STATES and not (st == Status.FILED and d.ruling == Ruling.REJECTED):
        errors.setdefault("agreement_on", _("状态为“%(s)s”的纠纷没有达成协议，协议达成日期应留空。") % {"s": label})
    expected_ruling = {str(Status.CONFIRMED): Ruling.CONFIRMED, str(Status.REJECTED): Ruling.REJECTED}.get(str(st))
    if d.ruling and d.ruling != expected_ruling and not (st == Status.FILED and d.ruling == Ruling.REJECTED):
        errors.setdefault("ruling", _("确认裁定与状态“%(s)s”不符。") % {"s": label})
    if st in _CLOSED and not d.closed_on:
        errors.setdefault("closed_on", _("状态为“%(s)s”的纠纷须填写结果日期。") % {"s": label})
    if st not in _CLOSED and d.closed_on:
        errors.setdefault("closed_on", _("状态为“%(s)s”的纠纷尚未结束，结果日期应留空。") % {"s": label})
    if d.closed_on and d.agreement_on and d.closed_on < d.agreement_on:
        errors.setdefault("closed_on", _("结果日期不能早于协议达成日期 %(d)s。") % {"d": d.agreement_on})
    if d.agreement_on and d.accepted_on and d.agreement_on < d.accepted_on:
        errors.setdefault("agreement_on", _("协议达成日期不能早于受理调解日期 %(d)s。") % {"d": d.accepted_on})
    if st == Status.CASE_CLOSED and d.kind != Kind.ENTRUSTED:
        errors.setdefault("status", _("“协议已回写案件”只用于诉中委托调解，台账中的诉前调解纠纷不能使用。"))
    return errors


def _derive(d: Dispute) -> None:
    """The dates a state implies, from the ledger's columns (as the services would have recorded them)."""
    st = d.status
    if st == Status.REGISTERED:
        d.triaged_on = None
        return
    if d.route and not d.triaged_on:
        d.triaged_on = d.filed_on if d.route == Route.FILING and d.filed_on else d.registered_on
    if d.mediator_id or d.studio_id:
        d.room = Room.STUDIO if d.studio_id else Room.PEOPLES
    if d.accepted_on and not d.deadline_on:
        d.deadline_on = d.accepted_on + timedelta(days=MEDIATION_PERIOD_DAYS)
    if d.agreement_on and not d.agreement_effective_on:
        d.agreement_effective_on = d.agreement_on
    if st == Status.PERFORMED:
        d.performed_on = d.closed_on
    if st in (Status.CONFIRMED, Status.REJECTED):
        d.ruling = Ruling.CONFIRMED if st == Status.CONFIRMED else Ruling.REJECTED
        d.ruling_on = d.closed_on
    if st in (Status.CONFIRMATION_APPLIED, Status.CONFIRMED, Status.REJECTED) and not d.confirmation_applied_on:
        d.confirmation_applied_on = d.agreement_on
    if st in (Status.FAILED, Status.WITHDRAWN):
        d.ended_on, d.end_kind = d.closed_on, st
    if st == Status.FILED:
        d.filed_on = d.closed_on
        if d.route == Route.FILING:
            d.triaged_on = d.closed_on


def _ledger_site(court: Court, name: str) -> Any:
    """The site a ledger names: blank or 诉讼服务中心 the centre; a station by its own or its tribunal's name."""
    from django.db.models import Q

    from tianping.mediation.models import Site

    if not name:
        return Site.objects.filter(court=court, department__isnull=True).first() or Site(court=court)
    return Site.objects.filter(Q(name=name) | Q(department__name=name), court=court).first()


def _party_kind(name: str) -> str:
    return PartyKind.ORGANISATION if name.endswith(_ORG_SUFFIXES) else PartyKind.PERSON


@transaction.atomic
def dispute_import_row(*, actor: Any, court: Court, values: dict[str, Any]) -> str:
    """One row of the `disputes` register (a court's earlier dispute ledger): create the dispute with this 编号
    or update the one the court has. Only the columns present in the file are set (a row of state 已登记 needs
    编号, 状态, 案由, 来源, 申请人, 被申请人, 登记日期 and 分流方式); a state that does not fit its dates is refused
    (ValidationError by field, which the import reports under the column with the Excel row). Parties come with
    their names only (the ledger has no ID numbers); an imported 民诉前调 number moves the court's sequence on,
    so the intake desk's next number follows it. Audited per row (inside an import they join its one entry).

    Race handled: a desk acting on the same dispute while the ledger is imported — the row is locked
    (select_for_update) before it is read and compared."""
    from tianping.mediation.models import Site, station_of

    number = values["number"]
    found = Dispute.objects.select_for_update(of=("self",)).filter(court=court, number=number).first()
    created = found is None
    d = found if found is not None else Dispute(court=court, number=number, summary="", registered_by=actor)
    old = {f: getattr(d, f + "_id" if f in ("mediator", "studio", "filed_case", "intake_department") else f)
           for f in (*IMPORT_FIELDS, *_DERIVED)}
    unknown: dict[str, str] = {}  # names the court does not have, reported with the state's problems
    if "site" in values:  # 登记地点: blank = the centre
        site = _ledger_site(court, values["site"] or "")
        if site is None:
            names = sorted({*Site.objects.filter(court=court).values_list("name", flat=True),
                            *Site.objects.filter(court=court, department__isnull=False)
                            .values_list("department__name", flat=True)})
            unknown["site"] = _("本院没有名为“%(n)s”的诉调对接地点，可填：%(all)s；留空为诉讼服务中心。") % {
                "n": values["site"][:30], "all": "、".join(names)}
        else:
            d.intake_department = site.department
    station = station_of(actor) if actor is not None else None
    if station is not None and d.intake_department_id != station:
        raise ValidationError({"site": _("服务站工作人员只能导入本站登记的纠纷。")})
    if "handler" in values:
        name = values["handler"] or ""
        studio = Studio.objects.filter(court=court, name=name).first() if name else None
        mediator = Mediator.objects.filter(court=court, name=name).first() if name and studio is None else None
        if name and studio is None and mediator is None:
            unknown["handler"] = _("本院名册中没有名为“%(n)s”的调解员或法官工作室，请先在名册中添加，或核对名称。") % {
                "n": name[:30]}
        d.mediator, d.studio = mediator, studio
        if not name:
            d.room = ""
    if "filed_case" in values:
        from tianping.trials.models import Case

        text = values["filed_case"] or ""
        d.filed_case = Case.objects.filter(court=court, number=text).first() if text else None
        if text and d.filed_case is None:
            unknown["filed_case"] = _("本院没有案号为“%(n)s”的案件：请先导入案件，或留空。") % {"n": text[:40]}
    for field in ("status", "cause", "source", "amount", "registered_on", "route", "accepted_on", "deadline_on",
                  "agreement_on", "agreement_amount", "confirmation_number", "ruling", "closed_on"):
        if field in values:
            v = values[field]
            setattr(d, field, "" if v is None and field in ("route", "ruling", "confirmation_number") else v)
    if created and not d.summary:
        d.summary = _("（导入的纠纷台账）%(c)s") % {"c": d.cause}
    _derive(d)
    errors = {**_ledger_consistency(d), **unknown}
    if errors:
        raise ValidationError(errors)
    d.full_clean()
    applicants = [n for n in values.get("applicants") or [] if n]
    respondents = [n for n in values.get("respondents") or [] if n]
    wanted = [(PartyRole.APPLICANT, n) for n in applicants] + [(PartyRole.RESPONDENT, n) for n in respondents]
    have = [] if created else sorted(d.parties.exclude(role=PartyRole.THIRD).values_list("role", "name"))
    parties_changed = ("applicants" in values or "respondents" in values) and sorted(wanted) != have
    if parties_changed and not created and d.extensions.exists():
        raise ValidationError({"applicants": _("该纠纷有当事人同意延长调解期限的记录，不能通过导入更改当事人。")})
    new = {f: getattr(d, f + "_id" if f in ("mediator", "studio", "filed_case", "intake_department") else f)
           for f in (*IMPORT_FIELDS, *_DERIVED)}
    changes = {f: (old[f], new[f]) for f in new if old[f] != new[f]}
    if not created and not changes and not parties_changed:
        return "unchanged"
    if not created:
        d.version += 1
    d.save()
    if parties_changed:
        d.parties.exclude(role=PartyRole.THIRD).delete()
        DisputeParty.objects.bulk_create([DisputeParty(dispute=d, role=role, name=name[:100], kind=_party_kind(name),
                                                       sort_order=i) for i, (role, name) in enumerate(wanted, 1)])
    _sequence_follow(court=court, number=number)
    audit_record(actor=actor, event="dispute.imported" if created else "dispute.import_updated", target=d,
                 before=None if created else {k: str(v[0]) for k, v in changes.items()},
                 after={"number": number} if created else {k: str(v[1]) for k, v in changes.items()})
    return "created" if created else "updated"


def _sequence_follow(*, court: Court, number: str) -> None:
    """An imported 民诉前调 number of this court counts as issued: the year's sequence continues after it."""
    from tianping.trials.casenumbers import parse_case_number
    from tianping.trials.models import CaseSequence

    try:
        parsed = parse_case_number(number, type_codes=[DISPUTE_TYPE_CODE])
    except ValueError:
        return  # an old-form or entrusted (…委托调解) number: no sequence to follow
    if parsed.old_form or parsed.court_code != court.code or parsed.type_code != DISPUTE_TYPE_CODE:
        return
    CaseSequence.objects.get_or_create(court=court, year=parsed.year, tribunal_code="", type_code=DISPUTE_TYPE_CODE)
    seq = CaseSequence.objects.select_for_update().get(court=court, year=parsed.year, tribunal_code="",
                                                      type_code=DISPUTE_TYPE_CODE)
    if seq.last < parsed.seq:
        seq.last = parsed.seq
        seq.save(update_fields=["last"])


# --- guidance of people's mediation (指导人民调解) ---------------------------------------------------------


@transaction.atomic
def committee_save(*, actor: Any, committee: Committee) -> Committee:
    """Add or edit a people's mediation committee of the register."""
    return _register_entry_save(actor=actor, entry=committee, event="committee", fields=("name", "kind", "active"))


def committees_import(*, actor: Any, created: list[Committee], updated: list[tuple[Committee, dict[str, Any]]],
                      fields: list[str]) -> None:
    """A checked batch of the `committees` register (tianping.mediation.importers); one audit fact per row."""
    Committee.objects.bulk_create(created)
    if updated:
        Committee.objects.bulk_update([c for c, _old in updated], fields)
    for c in created:
        audit_record(actor=actor, event="committee.created", target=c, after={"name": c.name})
    for c, old in updated:
        audit_record(actor=actor, event="committee.updated", target=c, before={k: str(v) for k, v in old.items()},
                     after={f: str(getattr(c, f)) for f in old})


@transaction.atomic
def guidance_record(*, court: Court, actor: Any, kind: str, held_on: date, committees: list[Committee], led_by: str,
                    topic: str, participants: int = 0, studio: Studio | None = None, notes: str = ""
                    ) -> GuidanceActivity:
    """A guidance visit to a committee or a training of committees' mediators (指导走访 / 业务培训)."""
    if not committees:
        raise ValidationError({"committees": _("请选择至少一个人民调解委员会。")})
    if any(c.court_id != court.pk for c in committees):
        raise ValidationError({"committees": _("只能选择本院登记的人民调解委员会。")})
    if studio is not None and studio.court_id != court.pk:
        raise ValidationError({"studio": _("法官工作室必须属于本院。")})
    a = GuidanceActivity(court=court, kind=kind, held_on=held_on, studio=studio, led_by=led_by.strip(),
                         topic=topic.strip(), participants=participants or 0, notes=notes.strip())
    a.full_clean()
    a.save()
    a.committees.set(committees)
    audit_record(actor=actor, event="guidance.recorded", target=a,
                 after={"kind": kind, "held_on": held_on, "committees": [c.name for c in committees]})
    return a


@transaction.atomic
def committee_agreement_register(*, court: Court, actor: Any, committee: Committee, registered_on: date, cause: str,
                                 agreed_on: date, terms: str, parties: list[dict[str, Any]],
                                 amount: Decimal | None = None, agreement_amount: Decimal | None = None,
                                 summary: str = "") -> Dispute:
    """A dispute a people's mediation committee settled, brought to the court for judicial confirmation: registered
    (民诉前调 number, source 人民调解委员会调解, the committee) with the committee's agreement already reached, so
    the parties apply for confirmation (confirmation_apply) and the court rules as on the centre's own agreements.
    Not diverted by the court (no triage), so it does not count among the centre's diverted disputes."""
    if committee.court_id != court.pk or not committee.active:
        raise ValidationError({"committee": _("请选择本院在册的人民调解委员会。")})
    if agreed_on > registered_on:
        raise ValidationError({"agreed_on": _("协议达成日期不能晚于登记日期 %(d)s。") % {"d": registered_on}})
    if registered_on - agreed_on > timedelta(days=CONFIRMATION_WINDOW_DAYS):
        raise ValidationError({"agreed_on": _("调解协议生效已超过 %(n)d 日，不能再申请司法确认。") % {
            "n": CONFIRMATION_WINDOW_DAYS}})
    if not terms.strip():
        raise ValidationError({"terms": _("请填写调解协议内容。")})
    d = dispute_register(court=court, actor=actor, registered_on=registered_on, cause=cause,
                         summary=summary or _("%(c)s调解达成协议，当事人申请司法确认。") % {"c": committee.name},
                         source=Source.COMMITTEE, parties=parties, amount=amount, consent_to_mediation=True,
                         committee=committee)
    d.agreement_on = d.agreement_effective_on = agreed_on
    d.agreement_terms, d.agreement_amount, d.status = terms.strip(), agreement_amount, Status.AGREED
    _save(d, ["agreement_on", "agreement_effective_on", "agreement_terms", "agreement_amount", "status"])
    audit_record(actor=actor, event="dispute.committee_agreement", target=d,
                 after={"committee": committee.name, "agreed_on": agreed_on})
    return d
