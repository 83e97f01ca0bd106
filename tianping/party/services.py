"""Writes to party organisations, members, transfers, dues and points.

Every service is keyword-only, atomic, validates with full_clean() and leaves an audit entry in the same
transaction. Rows that two people may change at once are locked (select_for_update) or version-checked; each
place says which race it prevents.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from tianping.core.audit import audit_record
from tianping.party.models import (
    BranchMembership,
    BrandPicture,
    CommitteePost,
    CommitteeRole,
    DuesBase,
    DuesPayment,
    DuesReduction,
    MemberStatus,
    MemberStep,
    PartyMember,
    PartyOrganisation,
    PartyTransfer,
    PointsEntry,
    PointsRule,
    Stage,
    StepKind,
    TransferDirection,
)
from tianping.party.rules import CENT, add_months, month_start, setting

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.core.files.uploadedfile import UploadedFile

    from tianping.org.models import Department, Person, User

ORG_FIELDS = ["name", "kind", "parent", "founded_on", "active", "sort_order", "brand_name", "brand_description"]
MEMBER_DATE_FIELDS = ["applied_on", "activist_on", "candidate_on", "admitted_on", "converted_on"]


def _today() -> date:
    return date.today()  # noqa: DTZ011


# --- organisations ------------------------------------------------------------------------------------
@transaction.atomic
def organisation_save(*, actor: User, organisation: PartyOrganisation, departments: Iterable[Department] | None = None,
                      expected_version: int | None = None) -> PartyOrganisation:
    """Create or update an organisation. `expected_version` detects two people editing the same branch page
    at once (the row is locked and its version compared, so the second save is refused, not lost)."""
    created = organisation.pk is None
    before: dict[str, Any] = {}
    if not created:
        locked = PartyOrganisation.objects.select_for_update().get(pk=organisation.pk)
        if expected_version is not None and locked.version != expected_version:
            raise ValidationError(_("该党组织信息已被他人修改，请刷新页面后重新编辑。"), code="stale")
        before = {f: getattr(locked, f) for f in ORG_FIELDS}
        organisation.version = locked.version + 1
    organisation.full_clean()
    organisation.save()
    if departments is not None:
        depts = list(departments)
        wrong = [d for d in depts if d.court_id != organisation.court_id]
        if wrong:
            raise ValidationError({"departments": _("组建部门必须属于本院：%(n)s") % {
                "n": "、".join(d.name for d in wrong)}})
        organisation.departments.set(depts)
    after = {f: getattr(organisation, f) for f in ORG_FIELDS}
    if departments is not None:
        after["departments"] = [d.name for d in organisation.departments.all()]
    audit_record(actor=actor, event="party.organisation.created" if created else "party.organisation.updated",
                 target=organisation, before=before or None, after=after)
    return organisation


MAX_PICTURE_BYTES = 5 * 1024 * 1024
MAX_EVIDENCE_BYTES = 10 * 1024 * 1024


def check_picture(upload: UploadedFile[Any]) -> None:
    """A brand picture: a photo (JPG/PNG/GIF/WEBP) up to 5 MB, its type sniffed from its content."""
    from tianping.core.uploads import PHOTOS, check_upload

    try:
        check_upload(upload, max_bytes=MAX_PICTURE_BYTES, kinds=PHOTOS)
    except ValidationError as exc:
        raise ValidationError({"image": exc.messages}) from None


def check_evidence(upload: UploadedFile[Any]) -> None:
    """A step's evidence: a scan, photo, PDF or Word/OFD document up to 10 MB, its type sniffed from its
    content (an HTML page named .pdf is refused)."""
    from tianping.core.uploads import PHOTO_PDF_AND_DOCUMENTS, check_upload

    try:
        check_upload(upload, max_bytes=MAX_EVIDENCE_BYTES, kinds=PHOTO_PDF_AND_DOCUMENTS)
    except ValidationError as exc:
        raise ValidationError({"evidence_file": exc.messages}) from None


@transaction.atomic
def brand_picture_add(*, actor: User, organisation: PartyOrganisation, image: UploadedFile[Any],
                      caption: str = "") -> BrandPicture:
    check_picture(image)
    pic = BrandPicture(organisation=organisation, image=image, caption=caption, uploaded_by=actor)
    pic.full_clean()
    pic.save()
    audit_record(actor=actor, event="party.brand_picture.added", target=organisation,
                 after={"caption": caption, "file": pic.image.name})
    return pic


@transaction.atomic
def brand_picture_delete(*, actor: User, picture: BrandPicture) -> None:
    org = picture.organisation
    name = picture.image.name
    picture.image.delete(save=False)
    picture.delete()
    audit_record(actor=actor, event="party.brand_picture.deleted", target=org, before={"file": name})


@transaction.atomic
def committee_post_save(*, actor: User, post: CommitteePost) -> CommitteePost:
    created = post.pk is None
    if post.organisation_id and not post.court_id:
        post.court_id = post.organisation.court_id
    post.full_clean()
    if post.person.court_id != post.court_id:
        raise ValidationError({"person": _("任职人员必须是本院人员。")})
    # another secretary still in office when this term starts (not yet recorded as having left)
    overlap = (CommitteePost.objects.filter(organisation=post.organisation, role=post.role,
                                            term_start__lte=post.term_start)
               .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=post.term_start)).exclude(pk=post.pk))
    other = overlap.first() if post.role == CommitteeRole.SECRETARY and post.ended_on is None else None
    if other is not None:
        raise ValidationError({"role": _("该组织已有在任书记（%(n)s），请先为其登记卸任日期。") % {
            "n": other.person.name}})
    post.save()
    audit_record(actor=actor, event="party.committee.created" if created else "party.committee.updated",
                 target=post, after={"role": post.role, "person": post.person.name,
                                     "term_start": post.term_start, "term_end": post.term_end,
                                     "ended_on": post.ended_on})
    return post


# --- members ------------------------------------------------------------------------------------------
def _open_period(member: PartyMember, organisation: PartyOrganisation | None, start: date) -> None:
    if organisation is None:
        return
    BranchMembership.objects.create(court_id=member.court_id, member=member, organisation=organisation, start=start)


def _close_period(member: PartyMember, last_day: date) -> None:
    for p in BranchMembership.objects.filter(member=member, end__isnull=True):
        p.end = max(p.start, last_day)
        p.save(update_fields=["end", "updated_at"])


@transaction.atomic
def member_create(*, actor: User, person: Person, branch: PartyOrganisation | None, stage: str = Stage.APPLICANT,
                  dates: dict[str, date | None] | None = None, dues_category: str = "salaried",
                  joined_branch_on: date | None = None, evidence: str = "",
                  base_amount: Decimal | None = None) -> PartyMember:
    """Open a party record for a person (a new applicant, or an existing member recorded with their dates).

    A probationary or full member owes dues from the month of acceptance: a salaried one needs the monthly
    base (工资基数), else the sheet would show 0.00 due."""
    dates = dates or {}
    _check_not_future({k: dates.get(k) for k in MEMBER_DATE_FIELDS})
    if PartyMember.objects.filter(person=person).exists():
        raise ValidationError(_("%(n)s 已有党员档案，请在其档案中登记下一步。") % {"n": person.name})
    member = PartyMember(court_id=person.court_id, person=person, branch=branch, stage=stage,
                         dues_category=dues_category, **{k: dates.get(k) for k in MEMBER_DATE_FIELDS})
    _check_stage_dates(member)
    member.full_clean()
    member.save()
    known = [d for d in (member.applied_on, member.admitted_on) if d]
    start = joined_branch_on or max([min(known)] + ([person.hired_on] if person.hired_on else [])) \
        if (joined_branch_on or known) else _today()
    _open_period(member, branch, start)
    step_for_date = {"applied_on": StepKind.APPLIED, "activist_on": StepKind.ACTIVIST,
                     "candidate_on": StepKind.CANDIDATE, "admitted_on": StepKind.ADMITTED,
                     "converted_on": StepKind.CONVERTED}
    for field, kind in step_for_date.items():
        day = getattr(member, field)
        if day:
            MemberStep.objects.create(court_id=member.court_id, member=member, step=kind, occurred_on=day,
                                      evidence=evidence or _("建档时录入"), recorded_by=actor)
    audit_record(actor=actor, event="party.member.created", target=member,
                 after={"person": person.name, "stage": stage, "branch": branch,
                        **{k: getattr(member, k) for k in MEMBER_DATE_FIELDS}})
    if base_amount is not None:
        dues_base_set(actor=actor, member=member, amount=base_amount,
                      effective_from=member.admitted_on or joined_branch_on or _today())
    return member


def _check_not_future(dates: dict[str, date | None]) -> None:
    """Dates of steps that have happened cannot lie in the future (each error beside its field)."""
    from tianping.core.validators import validate_not_future

    errors = {}
    for name, value in dates.items():
        try:
            validate_not_future(value)
        except ValidationError as exc:
            errors[name] = exc.messages
    if errors:
        raise ValidationError(errors)


def needs_dues_base(member: PartyMember, *, becomes_member: bool = True) -> bool:
    """Whether the member, once a party member, owes dues on a monthly base that has not been recorded."""
    from tianping.party.models import DuesCategory

    return (becomes_member and member.dues_category == DuesCategory.SALARIED
            and not DuesBase.objects.filter(member=member).exists())


def _field_label(name: str) -> str:
    return str(getattr(PartyMember._meta.get_field(name), "verbose_name", name))


def _check_stage_dates(member: PartyMember) -> None:
    """A record's dates must match its stage: each stage needs the dates of the steps that lead to it."""
    needed_by_stage: dict[str, list[str]] = {
        Stage.APPLICANT: [], Stage.ACTIVIST: ["activist_on"], Stage.CANDIDATE: ["activist_on", "candidate_on"],
        Stage.PROBATIONARY: ["admitted_on"], Stage.FULL: ["admitted_on", "converted_on"]}
    needed = needed_by_stage[member.stage]
    missing = [_field_label(f) for f in needed if not getattr(member, f)]
    if missing:
        raise ValidationError(_("阶段为“%(s)s”时必须填写：%(f)s。") % {"s": member.get_stage_display(),
                                                                "f": "、".join(missing)})
    later_by_stage: dict[str, list[str]] = {
        Stage.APPLICANT: ["activist_on", "candidate_on", "admitted_on", "converted_on"],
        Stage.ACTIVIST: ["candidate_on", "admitted_on", "converted_on"],
        Stage.CANDIDATE: ["admitted_on", "converted_on"], Stage.PROBATIONARY: ["converted_on"],
        Stage.FULL: []}
    later = later_by_stage[member.stage]
    extra = [_field_label(f) for f in later if getattr(member, f)]
    if extra:
        raise ValidationError(_("阶段为“%(s)s”时不应填写：%(f)s。") % {"s": member.get_stage_display(),
                                                               "f": "、".join(extra)})


# Steps decided by the branch general meeting and approved above: they need evidence, and the policy's
# "approve" permission (party.approve_memberstep) rather than only "add".
DECISION_STEPS = frozenset({StepKind.ADMITTED, StepKind.CONVERTED, StepKind.EXTENDED, StepKind.CANCELLED})

# The step that may follow each stage, the date field it sets, the previous date and the interval setting.
STEP_FLOW: dict[str, tuple[str, str, str, str, str]] = {
    StepKind.ACTIVIST: (Stage.APPLICANT, Stage.ACTIVIST, "activist_on", "applied_on", "applicant_to_activist_months"),
    StepKind.CANDIDATE: (Stage.ACTIVIST, Stage.CANDIDATE, "candidate_on", "activist_on",
                         "activist_to_candidate_months"),
    StepKind.ADMITTED: (Stage.CANDIDATE, Stage.PROBATIONARY, "admitted_on", "candidate_on",
                        "candidate_to_probationary_months"),
}


def step_check(*, member: PartyMember, step: str, occurred_on: date, months: int | None = None) -> None:
    """Raise ValidationError with the reason if the step may not be recorded (out of order or too early).
    The rule-specific reason (e.g. 预备期未满) comes before the generic "date in the future"."""
    if member.status in (MemberStatus.TRANSFERRED_OUT, MemberStatus.CANCELLED, MemberStatus.STOPPED):
        raise ValidationError(_("%(n)s 的状态为“%(s)s”，不能登记发展步骤。") % {
            "n": member.person.name, "s": member.get_status_display()})
    _step_rules(member=member, step=step, occurred_on=occurred_on, months=months)
    _check_not_future({"occurred_on": occurred_on})


def _step_rules(*, member: PartyMember, step: str, occurred_on: date, months: int | None) -> None:
    stage_label = member.get_stage_display()
    if step in STEP_FLOW:
        need_stage, _new, _field, prev_field, interval_code = STEP_FLOW[step]
        if member.stage != need_stage:
            raise ValidationError(_("“%(step)s”只能在“%(need)s”阶段登记，%(n)s 当前为“%(cur)s”。") % {
                "step": StepKind(step).label, "need": Stage(need_stage).label, "n": member.person.name,
                "cur": stage_label})
        prev = getattr(member, prev_field)
        if prev is None:
            raise ValidationError(_("缺少%(f)s，请先补录。") % {
                "f": _field_label(prev_field)})
        min_months = setting(interval_code, occurred_on)
        earliest = add_months(prev, min_months)
        if occurred_on < earliest:
            names = {"step": StepKind(step).label, "prev": _field_label(prev_field),
                     "d": prev.isoformat(), "m": min_months, "e": earliest.isoformat()}
            if min_months == 0:
                raise ValidationError({"occurred_on": _("%(step)s的日期不能早于%(prev)s（%(d)s）。") % names})
            raise ValidationError({"occurred_on": _(
                "时间未到：%(step)s须在%(prev)s（%(d)s）满 %(m)d 个月后，最早 %(e)s。") % names})
        return
    if step in (StepKind.CONVERTED, StepKind.EXTENDED, StepKind.CANCELLED):
        if member.stage != Stage.PROBATIONARY:
            raise ValidationError(_("“%(step)s”只适用于预备党员，%(n)s 当前为“%(cur)s”。") % {
                "step": StepKind(step).label, "n": member.person.name, "cur": stage_label})
        assert member.admitted_on is not None  # a probationary member has one (_check_stage_dates)
        if occurred_on < member.admitted_on:
            raise ValidationError({"occurred_on": _("日期不能早于入党日期（%(d)s）。") % {
                "d": member.admitted_on.isoformat()}})
        if step == StepKind.CONVERTED:
            due = member.conversion_due_on
            assert due is not None  # probationary and admitted
            if occurred_on < due:
                raise ValidationError({"occurred_on": _(
                    "预备期未满：预备期至 %(due)s 届满，转正日期最早为 %(due)s。") % {"due": due.isoformat()}})
        if step == StepKind.EXTENDED:
            if member.probation_extension_months:
                raise ValidationError(_("预备期只能延长一次，%(n)s 已延长 %(m)d 个月。") % {
                    "n": member.person.name, "m": member.probation_extension_months})
            lo, hi = setting("extension_min_months", occurred_on), setting("extension_max_months", occurred_on)
            if months is None or not lo <= months <= hi:
                raise ValidationError({"months": _("延长期限须为 %(lo)d 至 %(hi)d 个月。") % {"lo": lo, "hi": hi}})
        return
    raise ValidationError(_("未知的发展步骤。"))


@transaction.atomic
def member_step_record(*, actor: User, member: PartyMember, step: str, occurred_on: date, evidence: str = "",
                       evidence_file: UploadedFile[Any] | None = None, months: int | None = None,
                       base_amount: Decimal | None = None) -> MemberStep:
    """Record the next step on the road to membership (or extension / cancellation of the probation).

    The member row is locked: two secretaries recording the same step at once would otherwise both pass
    the order check and write two steps."""
    member = PartyMember.objects.select_for_update(of=("self",)).select_related("person").get(pk=member.pk)
    if evidence_file:
        check_evidence(evidence_file)
    step_check(member=member, step=step, occurred_on=occurred_on, months=months)
    if step in DECISION_STEPS and not (
            evidence.strip() or evidence_file):
        raise ValidationError({"evidence": _("请填写依据（支部党员大会决议及上级党组织审批意见）或上传附件。")})
    before = {"stage": member.stage, "status": member.status}
    fields = ["stage", "status", "version", "updated_at"]
    if step in STEP_FLOW:
        _need, new_stage, field, _p, _c = STEP_FLOW[step]
        member.stage = new_stage
        setattr(member, field, occurred_on)
        fields.append(field)
    elif step == StepKind.CONVERTED:
        member.stage, member.converted_on = Stage.FULL, occurred_on
        fields.append("converted_on")
    elif step == StepKind.EXTENDED:
        assert months is not None  # _step_rules requires the months of an extension
        member.probation_extension_months = months
        fields.append("probation_extension_months")
    elif step == StepKind.CANCELLED:
        member.status, member.cancelled_on, member.status_since = MemberStatus.CANCELLED, occurred_on, occurred_on
        fields += ["cancelled_on", "status_since"]
    member.version += 1
    member.full_clean()
    member.save(update_fields=fields)
    if step == StepKind.CANCELLED:
        _close_period(member, occurred_on - timedelta(days=1))
    record = MemberStep(court_id=member.court_id, member=member, step=step, occurred_on=occurred_on,
                        evidence=evidence, months=months, recorded_by=actor)
    if evidence_file:
        record.evidence_file = evidence_file
    record.full_clean()
    record.save()
    audit_record(actor=actor, event=f"party.member.{step}", target=member, before=before,
                 after={"stage": member.stage, "status": member.status, "date": occurred_on, "months": months})
    if step == StepKind.ADMITTED and base_amount is not None:
        # dues are owed from the month of acceptance, on this base
        dues_base_set(actor=actor, member=member, amount=base_amount, effective_from=month_start(occurred_on))
    return record


@transaction.atomic
def member_status_set(*, actor: User, member: PartyMember, status: str, since: date, note: str = "") -> PartyMember:
    """Other states: 停止党籍, 保留党籍, 流动党员 or back to normal. 停止党籍 ends membership."""
    member = PartyMember.objects.select_for_update().get(pk=member.pk)
    if status in (MemberStatus.TRANSFERRED_OUT, MemberStatus.CANCELLED):
        raise ValidationError(_("转出、取消预备党员资格请使用专门的登记功能。"))
    if member.status in (MemberStatus.TRANSFERRED_OUT, MemberStatus.CANCELLED):
        raise ValidationError(_("该党员已转出或已取消资格，不能修改状态。"))
    if not note.strip():
        raise ValidationError({"note": _("请填写依据。")})
    _check_not_future({"since": since})
    before = {"status": member.status}
    member.status, member.status_since = status, since
    fields = ["status", "status_since", "version", "updated_at"]
    if status == MemberStatus.STOPPED:
        member.membership_ended_on = since
        fields.append("membership_ended_on")
        _close_period(member, since - timedelta(days=1))
    member.version += 1
    member.save(update_fields=fields)
    audit_record(actor=actor, event="party.member.status", target=member, before=before,
                 after={"status": status, "since": since}, message=note)
    return member


@transaction.atomic
def member_branch_change(*, actor: User, member: PartyMember, branch: PartyOrganisation, moved_on: date) -> PartyMember:
    member = PartyMember.objects.select_for_update().get(pk=member.pk)
    if branch.court_id != member.court_id:
        raise ValidationError({"branch": _("所在支部必须属于本院。")})
    _check_not_future({"moved_on": moved_on})
    if member.branch_id == branch.pk:
        return member
    before = {"branch": member.branch}
    _close_period(member, moved_on - timedelta(days=1))
    member.branch = branch
    member.version += 1
    member.save(update_fields=["branch", "version", "updated_at"])
    _open_period(member, branch, moved_on)
    audit_record(actor=actor, event="party.member.branch", target=member, before=before,
                 after={"branch": branch, "moved_on": moved_on})
    return member


@transaction.atomic
def member_transfer_out(*, actor: User, member: PartyMember, to_organisation: str, letter_number: str,
                        transferred_on: date, note: str = "") -> PartyTransfer:
    """The member leaves for another organisation: off the roster, history kept (steps, dues, points)."""
    member = PartyMember.objects.select_for_update().get(pk=member.pk)
    if member.status == MemberStatus.TRANSFERRED_OUT:
        raise ValidationError(_("该党员的组织关系已转出。"))
    if not to_organisation.strip() or not letter_number.strip():
        raise ValidationError(_("请填写接收党组织和介绍信编号。"))
    _check_not_future({"transferred_on": transferred_on})
    transfer = PartyTransfer(court_id=member.court_id, member=member, direction=TransferDirection.OUT,
                             other_organisation=to_organisation.strip(), branch=member.branch,
                             letter_number=letter_number.strip(), transferred_on=transferred_on, note=note,
                             recorded_by=actor)
    transfer.full_clean()
    transfer.save()
    before = {"status": member.status}
    member.status, member.status_since = MemberStatus.TRANSFERRED_OUT, transferred_on
    member.version += 1
    member.save(update_fields=["status", "status_since", "version", "updated_at"])
    _close_period(member, transferred_on - timedelta(days=1))
    audit_record(actor=actor, event="party.member.transfer_out", target=member, before=before,
                 after={"to": to_organisation, "letter": letter_number, "date": transferred_on})
    return transfer


@transaction.atomic
def member_transfer_in(*, actor: User, person: Person, branch: PartyOrganisation, from_organisation: str,
                       letter_number: str,
                       transferred_on: date, stage: str = Stage.FULL, dates: dict[str, date | None] | None = None,
                       note: str = "", dues_category: str = "salaried",
                       base_amount: Decimal | None = None) -> PartyTransfer:
    """A member arrives from another organisation (or returns): record opened or re-activated, roster joined."""
    if stage not in (Stage.PROBATIONARY, Stage.FULL):
        raise ValidationError({"stage": _("转入的只能是预备党员或正式党员。")})
    if not from_organisation.strip() or not letter_number.strip():
        raise ValidationError(_("请填写原所在党组织和介绍信编号。"))
    _check_not_future({"transferred_on": transferred_on, **(dates or {})})
    member = PartyMember.objects.select_for_update(of=("self",)).filter(person=person).order_by("pk").first()
    if member is None:
        member = member_create(actor=actor, person=person, branch=branch, stage=stage, dates=dates,
                               joined_branch_on=transferred_on, evidence=_("组织关系转入"),
                               dues_category=dues_category)
    else:
        if member.status != MemberStatus.TRANSFERRED_OUT:
            raise ValidationError(_("%(n)s 的组织关系仍在本院，无需转入。") % {"n": person.name})
        member.status, member.status_since, member.branch = MemberStatus.NORMAL, transferred_on, branch
        member.version += 1
        member.save(update_fields=["status", "status_since", "branch", "version", "updated_at"])
        _open_period(member, branch, transferred_on)
    transfer = PartyTransfer(court_id=member.court_id, member=member, direction=TransferDirection.IN,
                             other_organisation=from_organisation.strip(), branch=branch,
                             letter_number=letter_number.strip(), transferred_on=transferred_on, note=note,
                             recorded_by=actor)
    transfer.full_clean()
    transfer.save()
    audit_record(actor=actor, event="party.member.transfer_in", target=member,
                 after={"from": from_organisation, "letter": letter_number, "date": transferred_on})
    if base_amount is not None:
        dues_base_set(actor=actor, member=member, amount=base_amount, effective_from=month_start(transferred_on))
    return transfer


# --- dues ---------------------------------------------------------------------------------------------
# A month's payment may not exceed a year's dues of that month: paying a year ahead is the most the rules
# foresee (党费按月交纳，特殊情况可按季度、半年或一年预交); more is a typing error (99,999,999 for 87.00).
MAX_DUES_MONTHS = 12
# a monthly after-tax salary above this is a typing error (the base field holds up to 10 digits)
MAX_DUES_BASE = Decimal("1000000")


def _valid_payment(*, member: PartyMember, month: date, paid_amount: Any) -> Decimal:
    """A finite amount ≥ 0 in yuan and fen, for a member who owes dues that month."""
    from tianping.party.dues import member_owes_in

    try:
        amount = Decimal(str(paid_amount))
    except ArithmeticError:
        amount = None
    if amount is None or not amount.is_finite():
        raise ValidationError({"paid_amount": _("实交金额应为数字，如 45.00。")})
    if amount < 0:
        raise ValidationError({"paid_amount": _("实交金额不能为负数。")})
    if amount.adjusted() > 9:  # more than 10 digits before the point: never a month's dues
        raise ValidationError({"paid_amount": _("实交金额 %(a)s 过大，请核对。") % {"a": f"{amount:.3g}"}})
    if amount != amount.quantize(CENT):
        raise ValidationError({"paid_amount": _("实交金额最多两位小数（到分），如 45.05。")})
    if not member_owes_in(member, month):
        raise ValidationError({"paid_amount": _(
            "%(n)s %(m)s 不需交纳党费（尚未接收为预备党员，或已转出、停止党籍），不能登记实交金额。")
            % {"n": member.person.name, "m": f"{month:%Y-%m}"}})
    return abs(amount.quantize(CENT))  # abs: "-0" is 0


@transaction.atomic
def dues_base_set(*, actor: User, member: PartyMember, amount: Decimal, effective_from: date, note: str = "",
                  dues_category: str | None = None) -> DuesBase:
    """Record the monthly base from a date on (and, when given, the member's dues category)."""
    amount = Decimal(amount)
    if not amount.is_finite() or amount < 0:
        raise ValidationError({"amount": _("工资基数应为不小于 0 的金额。")})
    if amount > MAX_DUES_BASE:
        raise ValidationError({"amount": _("月工资基数 %(a)s 元超过上限 %(m)s 元，请核对（应填每月税后固定工资）。")
                               % {"a": amount, "m": MAX_DUES_BASE}})
    if dues_category is not None and dues_category != member.dues_category:
        locked = PartyMember.objects.select_for_update(of=("self",)).get(pk=member.pk)
        audit_record(actor=actor, event="party.member.dues_category", target=locked,
                     before={"dues_category": locked.dues_category}, after={"dues_category": dues_category})
        locked.dues_category = member.dues_category = dues_category
        locked.version += 1
        locked.full_clean()
        locked.save(update_fields=["dues_category", "version", "updated_at"])
    row = DuesBase.objects.filter(member=member, effective_from=effective_from).first()
    before = {"amount": row.amount} if row else None
    if row is None:
        row = DuesBase(court_id=member.court_id, member=member, effective_from=effective_from)
    row.amount, row.note = Decimal(amount), note
    row.full_clean()
    row.save()
    audit_record(actor=actor, event="party.dues.base", target=member, before=before,
                 after={"amount": row.amount, "effective_from": effective_from})
    return row


@transaction.atomic
def dues_reduction_add(*, actor: User, member: PartyMember, monthly_amount: Decimal, start_month: date,
                       end_month: date | None, decision: str) -> DuesReduction:
    if not decision.strip():
        raise ValidationError({"decision": _("减免须有支部决定，请填写决定内容。")})
    row = DuesReduction(court_id=member.court_id, member=member, monthly_amount=monthly_amount,
                        start_month=start_month.replace(day=1),
                        end_month=end_month.replace(day=1) if end_month else None, decision=decision)
    if row.end_month and row.end_month < row.start_month:
        raise ValidationError({"end_month": _("截止月份不能早于起始月份。")})
    row.full_clean()
    row.save()
    audit_record(actor=actor, event="party.dues.reduction", target=member,
                 after={"monthly_amount": monthly_amount, "start": row.start_month, "end": row.end_month})
    return row


@transaction.atomic
def dues_payment_record(*, actor: User, member: PartyMember, month: date, paid_amount: Decimal,
                        paid_on: date | None = None, expected_version: int | None = None) -> DuesPayment:
    """Record what a member paid for a month. The existing row is locked so that two people recording the
    same month at once do not overwrite each other silently (the version check refuses the second)."""
    from tianping.party.dues import dues_quote

    month = month.replace(day=1)
    paid_amount = _valid_payment(member=member, month=month, paid_amount=paid_amount)
    quote = dues_quote(member, month)
    limit = quote.due * MAX_DUES_MONTHS
    if paid_amount > limit:
        if quote.due == 0:
            raise ValidationError({"paid_amount": _(
                "%(n)s %(m)s 的应交金额为 0.00 元（未登记工资基数或已免交），不能登记实交 %(a)s 元；"
                "请先在党员档案中登记工资基数。") % {"n": member.person.name, "m": f"{month:%Y-%m}", "a": paid_amount}})
        raise ValidationError({"paid_amount": _(
            "实交 %(a)s 元超过上限 %(l)s 元（本月应交 %(d)s 元的 %(k)d 倍，即一年的党费），请核对金额。")
            % {"a": paid_amount, "l": limit, "d": quote.due, "k": MAX_DUES_MONTHS}})
    row = DuesPayment.objects.select_for_update(of=("self",)).filter(member=member, month=month).order_by("pk").first()
    before = None
    if row is None:
        row = DuesPayment(court_id=member.court_id, member=member, month=month)
    else:
        if expected_version is not None and row.version != expected_version:
            raise ValidationError(_("该月党费已被他人修改，请刷新后重试。"), code="stale")
        before = {"paid_amount": row.paid_amount}
        row.version += 1
    row.branch_id = member.branch_id
    row.base_amount, row.rate, row.due_amount = quote.base, quote.rate, quote.due
    row.paid_amount, row.paid_on, row.recorded_by = paid_amount, paid_on or _today(), actor
    row.full_clean()
    row.save()
    audit_record(actor=actor, event="party.dues.payment", target=member, before=before,
                 after={"month": month, "due": row.due_amount, "paid": row.paid_amount})
    return row


@transaction.atomic
def dues_payments_record_due(*, actor: User, rows: Iterable[Any], month: date) -> int:
    """Record 实交 = 应交 for every row of a sheet that has no payment yet and owes something; the count."""
    n = 0
    for r in rows:
        if r.payment is None and r.due > 0:
            dues_payment_record(actor=actor, member=r.member, month=month, paid_amount=r.due)
            n += 1
    return n


# --- points -------------------------------------------------------------------------------------------
def _source_key(source: Any) -> tuple[str, str, str]:
    if source is None:
        return "", "", ""
    return source._meta.label_lower, str(source.pk), str(source)[:200]


def _live_entry(person_id: int, rule: PointsRule, source_type: str, source_id: str) -> PointsEntry | None:
    return (PointsEntry.objects.filter(person_id=person_id, rule=rule, source_type=source_type,
                                       source_id=source_id, reverses__isnull=True, reversal__isnull=True)
            .order_by("id").first())


@transaction.atomic
def points_award(*, person: Person, rule_code: str, occurred_on: date, actor: User, source: Any = None,
                 note: str = "") -> PointsEntry:
    """Append a points entry for an event. Idempotent per (person, rule, source): re-saving the same
    attendance returns the existing entry. Unknown or disabled rule codes raise ValidationError.

    The person row is locked so that two concurrent saves of the same source cannot both pass the
    idempotency check and double-count."""
    from tianping.org.models import Person

    rule = PointsRule.objects.filter(code=rule_code).first()
    if rule is None:
        raise ValidationError(_("未知的积分规则代码“%(c)s”。") % {"c": rule_code})
    if not rule.active:
        raise ValidationError(_("积分规则“%(n)s”已停用。") % {"n": rule.name})
    locked = Person.objects.select_for_update().get(pk=getattr(person, "pk", person))
    source_type, source_id, source_label = _source_key(source)
    if source is not None:
        existing = _live_entry(locked.pk, rule, source_type, source_id)
        if existing is not None:
            return existing
    entry = PointsEntry(court_id=locked.court_id, person=locked, rule=rule, points=rule.points,
                        occurred_on=occurred_on, source_type=source_type, source_id=source_id,
                        source_label=source_label, note=note, created_by=actor)
    entry.full_clean()
    entry.save()
    audit_record(actor=actor, event="party.points.award", target=entry,
                 after={"person": locked.name, "rule": rule.code, "points": rule.points})
    return entry


@transaction.atomic
def points_reverse(*, person: Person, rule_code: str, source: Any, actor: User, note: str = "") -> PointsEntry | None:
    """Write the reversing entry for the live award of (person, rule, source); None if there is none.
    Used when attendance is corrected (e.g. present → absent: reverse meeting_attend, award the other)."""
    from tianping.org.models import Person

    rule = PointsRule.objects.filter(code=rule_code).first()
    if rule is None:
        raise ValidationError(_("未知的积分规则代码“%(c)s”。") % {"c": rule_code})
    locked = Person.objects.select_for_update().get(pk=getattr(person, "pk", person))
    source_type, source_id, _label = _source_key(source)
    original = _live_entry(locked.pk, rule, source_type, source_id)
    if original is None:
        return None
    return _reverse(actor=actor, original=original, note=note or _("更正"))


def _reverse(*, actor: User, original: PointsEntry, note: str) -> PointsEntry:
    entry = PointsEntry(court_id=original.court_id, person_id=original.person_id, rule=original.rule,
                        points=-original.points, occurred_on=original.occurred_on,
                        source_type=original.source_type, source_id=original.source_id,
                        source_label=original.source_label, note=note, reverses=original, created_by=actor)
    entry.full_clean()
    entry.save()
    audit_record(actor=actor, event="party.points.reverse", target=entry,
                 after={"reverses": original.pk, "points": entry.points}, message=note)
    return entry


@transaction.atomic
def points_entry_reverse(*, actor: User, entry: PointsEntry, note: str) -> PointsEntry:
    """Reverse one ledger line (manual correction from the ledger page)."""
    if not note.strip():
        raise ValidationError({"note": _("请填写冲销原因。")})
    entry = PointsEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.reverses_id or PointsEntry.objects.filter(reverses=entry).exists():
        raise ValidationError(_("该记录已冲销或本身是冲销记录。"))
    return _reverse(actor=actor, original=entry, note=note)


@transaction.atomic
def points_adjust(*, actor: User, person: Person, points: Decimal, occurred_on: date, note: str) -> PointsEntry:
    """A manual adjustment with a reason (no rule)."""
    if not note.strip():
        raise ValidationError({"note": _("手工调整必须填写原因。")})
    points = Decimal(points)
    if points == 0:
        raise ValidationError({"points": _("调整分值不能为 0。")})
    entry = PointsEntry(court_id=person.court_id, person=person, rule=None, points=points,
                        occurred_on=occurred_on, note=note, created_by=actor)
    entry.full_clean()
    entry.save()
    audit_record(actor=actor, event="party.points.adjust", target=entry,
                 after={"person": person.name, "points": points}, message=note)
    return entry


# --- imports (tianping.party.importers): one row each, called inside the import's transaction ---------------

def _import_org_lookup(court: Any, name: str) -> PartyOrganisation | None:
    """Organisations are looked up fresh (not cached): a parent may be created a few rows earlier."""
    if not name:
        return None
    found = list(PartyOrganisation.objects.filter(court=court, name=name)[:2])
    if not found:
        from tianping.core.importexport import RowError

        raise RowError("上级组织", f"本院没有名为“{name}”的党组织；请先建立，或把它放在本文件的前面几行。")
    return found[0]


@transaction.atomic
def branch_import_row(*, actor: Any, court: Any, values: dict[str, Any]) -> str:
    """One row of the 党组织 import (tianping.party.importers): create or update the organisation named
    values["name"]; its parent must exist (or come earlier in the file). Audited per row (inside an import
    the facts join the import's one entry)."""
    from tianping.core.importexport import RowError
    from tianping.org.models import Department
    from tianping.party.models import OrgKind

    name = values["name"]
    parent = _import_org_lookup(court, values.get("parent") or "")
    dep_names = values.get("departments") or []
    deps = []
    for n in dep_names:
        d = Department.objects.filter(court=court, name=n).first()
        if d is None:
            raise RowError("组建部门", f"本院没有名为“{n}”的部门，请核对部门名称（多个部门用、分隔）。")
        deps.append(d)
    existing = PartyOrganisation.objects.filter(court=court, name=name).first()
    created = existing is None
    org = existing if existing is not None else PartyOrganisation(court=court, name=name)
    before = (org.kind, org.parent_id, sorted(d.pk for d in org.departments.all()) if not created else None)
    org.kind = values.get("kind") or OrgKind.BRANCH
    org.parent = parent
    org.full_clean()
    after = (org.kind, org.parent_id, sorted(d.pk for d in deps))
    if not created and before == after:
        return "unchanged"
    if not created:
        org.version += 1
    org.save()
    org.departments.set(deps)
    audit_record(actor=actor, event="party.organisation.created" if created else "party.organisation.updated",
                 target=org, before=None if created else {"kind": before[0], "parent": before[1],
                                                          "departments": before[2]},
                 after={"kind": after[0], "parent": after[1], "departments": after[2]})
    return "created" if created else "updated"


IMPORT_MEMBER_DATES = ["applied_on", "activist_on", "candidate_on", "admitted_on", "converted_on"]
IMPORT_STEP_OF = {"applied_on": StepKind.APPLIED, "activist_on": StepKind.ACTIVIST, "candidate_on": StepKind.CANDIDATE,
           "admitted_on": StepKind.ADMITTED, "converted_on": StepKind.CONVERTED}


@transaction.atomic
def member_import_row(*, actor: Any, court: Any, values: dict[str, Any]) -> str:
    """One row of the 党员 import (tianping.party.importers): create or update the party record of the person
    with values["id_number"] (history: steps are recorded as 批量导入). Audited per row (inside an import the
    facts join the import's one entry)."""
    from django.utils import timezone

    from tianping.core.importexport import RowError
    from tianping.org.models import Person

    id_number = values["id_number"]
    person = Person.objects.filter(court=court, id_number=id_number).first()
    if person is None:
        raise RowError("身份证号", "本院人员名册中没有该身份证号，请先导入人员（KIND people）再导入党员。")
    branch = values.get("branch")
    found = PartyMember.objects.select_for_update(of=("self",)).filter(person=person).order_by("pk").first()
    created = found is None
    member = found if found is not None else PartyMember(court=court, person=person)
    old = {f: getattr(member, f) for f in ["stage", "branch_id", *IMPORT_MEMBER_DATES]}
    member.stage = values["stage"]
    member.branch = branch
    for f in IMPORT_MEMBER_DATES:
        setattr(member, f, values.get(f))
    _check_stage_dates(member)
    member.full_clean()
    new = {f: getattr(member, f) for f in ["stage", "branch_id", *IMPORT_MEMBER_DATES]}
    changed = created or old != new
    today = timezone.localdate()
    if changed:
        if not created:
            member.version += 1
        member.save()
        for f in IMPORT_MEMBER_DATES:
            day = getattr(member, f)
            if day and (created or old[f] != day):
                MemberStep.objects.create(court=court, member=member, step=IMPORT_STEP_OF[f], occurred_on=day,
                                          evidence="批量导入")
        if created or old["branch_id"] != member.branch_id:
            BranchMembership.objects.filter(member=member, end__isnull=True).update(end=today)
            if member.branch_id:
                known = [d for d in (member.applied_on, member.admitted_on) if d]
                start = max([min(known), person.hired_on] if person.hired_on and known else known or [today]) \
                    if created else today
                BranchMembership.objects.create(court=court, member=member, organisation_id=member.branch_id,
                                                start=start)
    base = values.get("base")
    if base is not None:
        current = DuesBase.objects.filter(member=member).order_by("-effective_from").first()
        if current is None or current.amount != base:
            start = today.replace(day=1)
            if current is None and member.admitted_on:
                start = member.admitted_on.replace(day=1)
            DuesBase.objects.update_or_create(member=member, effective_from=start,
                                              defaults={"court": court, "amount": base, "note": "批量导入"})
            changed = True
    if changed:
        audit_record(actor=actor, event="party.member.created" if created else "party.member.updated",
                     target=member, before=None if created else {k: v for k, v in old.items() if new.get(k) != v},
                     after={k: v for k, v in new.items() if created or old.get(k) != v})
    if created:
        return "created"
    return "updated" if changed else "unchanged"
