"""Writes of the integrity desk. Each is atomic, calls full_clean() and leaves its audit entry in the same
transaction."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from tianping.core.audit import audit_record
from tianping.core.roles import Role, has_role
from tianping.integrity.choices import Handover, Mechanism
from tianping.integrity.models import (
    FamilyActivity,
    FamilyAward,
    FamilyContact,
    FamilyPledge,
    InterferenceRecord,
    JudgeLetter,
    LetterTemplate,
    Measure,
    MeasureAttachment,
    MonthlyReport,
)

if TYPE_CHECKING:
    from collections.abc import Iterable

    from tianping.org.models import Court, Person, User
    from tianping.trials.models import Case

TEMPLATE_TEXT_FIELDS = ["title", "body", "complaint_phone", "effective_from"]
MAX_UPLOAD = 20 * 1024 * 1024


# --- letter templates ------------------------------------------------------------------------------------
@transaction.atomic
def letter_template_save(*, actor: User, template: LetterTemplate) -> LetterTemplate:
    """Create a version (numbered after the court's last) or edit one that has issued no letter yet.

    Race handled: two party-office users adding versions at once would take the same number; the court's
    templates are locked (select_for_update) before the number is read."""
    from tianping.org.models import Court

    Court.objects.select_for_update().filter(pk=template.court_id).first()
    created = template.pk is None
    before: dict[str, Any] = {}
    if created:
        last = LetterTemplate.objects.filter(court_id=template.court_id).aggregate(m=Max("version"))["m"] or 0
        template.version = last + 1
    else:
        old = LetterTemplate.objects.select_for_update().get(pk=template.pk)
        before = {f: getattr(old, f) for f in TEMPLATE_TEXT_FIELDS}
        changed = [f for f in TEMPLATE_TEXT_FIELDS if before[f] != getattr(template, f)]
        issued = old.letters.count()
        if changed and issued:
            raise ValidationError(_("第 %(v)d 版已随案发放 %(n)d 份寄语，正文和启用日期不能再改（已发的寄语须保持原样）；"
                                    "请新建一个版本，并填写新版本的启用日期。") % {"v": old.version, "n": issued})
    template.full_clean()
    template.save()
    audit_record(actor=actor, event="letter_template.created" if created else "letter_template.updated",
                 target=template, before=before or None,
                 after={"version": template.version, "effective_from": template.effective_from,
                        "title": template.title})
    return template


# --- letters ---------------------------------------------------------------------------------------------
@transaction.atomic(savepoint=False)
def judge_letter_issue(*, case: Case, actor: User | None, new_case: bool = False) -> JudgeLetter | None:
    """The letter of a filed case, dated its filing date, from the template version in force that day.

    Exactly one per case (the letter's case is unique): an existing letter is returned as it is. None when the
    court had no template in force on the filing date (the case is then listed among the cases without a
    letter). Called by trials.hooks inside the filing service's transaction — no savepoint of its own, so a
    failure here fails the filing — with `new_case` for a case created in that transaction, which cannot have a
    letter yet (one query less per row of an import)."""
    if not new_case:
        # no ORDER BY: with the model's ordering (issue date) SQLite may walk the date index instead of the
        # unique case index
        existing = next(iter(JudgeLetter.objects.filter(case_id=case.pk).order_by()[:1]), None)
        if existing is not None:
            return existing
    template = LetterTemplate.objects.in_force(case.court_id, case.filed_on)
    if template is None:
        return None
    letter = JudgeLetter(court_id=case.court_id, case=case, template=template, issued_on=case.filed_on)
    letter.save()
    audit_record(actor=actor, event="judge_letter.issued", target=letter, court_id=case.court_id,
                 after={"case": case.number, "template_version": template.version, "issued_on": case.filed_on})
    return letter


@transaction.atomic
def letters_issue_missing(*, court: Court, actor: User) -> int:
    """Issue the letters of the court's filed cases that have none although a template was in force on their
    filing date (cases filed before the first template, or while templates were being set up). Returns how many.

    Race handled: two desks pressing the button at once; the court row is locked, so the second finds the
    letters the first made."""
    from tianping.org.models import Court
    from tianping.trials.models import Case

    Court.objects.select_for_update().filter(pk=court.pk).first()
    templates = list(LetterTemplate.objects.filter(court=court).order_by("effective_from"))
    if not templates:
        return 0
    missing = Case.objects.filter(court=court, judge_letter__isnull=True,
                                  filed_on__gte=templates[0].effective_from).values_list("pk", "filed_on")
    new = []
    for pk, filed_on in missing.iterator(chunk_size=2000):
        template = next(t for t in reversed(templates) if t.effective_from <= filed_on)
        new.append(JudgeLetter(court=court, case_id=pk, template=template, issued_on=filed_on))
    JudgeLetter.objects.bulk_create(new, batch_size=2000)
    if new:
        audit_record(actor=actor, event="judge_letter.issued_missing", court_id=court.pk,
                     after={"letters": len(new)}, message=_("补发法官寄语 %(n)d 份") % {"n": len(new)})
    return len(new)


@transaction.atomic
def judge_letter_handover(*, letter: JudgeLetter, actor: User, handover: str, handed_over_on: date) -> JudgeLetter:
    """Record how the filing desk handed the letter over (当面 / 邮寄 / 电子送达) and when."""
    locked = JudgeLetter.objects.select_for_update().select_related("case").get(pk=letter.pk)
    if handover not in Handover.values:
        raise ValidationError({"handover": _("请选择发放方式：当面、邮寄或电子送达。")})
    if handed_over_on < locked.issued_on:
        raise ValidationError({"handed_over_on": _("交付日期不能早于立案日期 %(d)s。") % {
            "d": locked.issued_on.isoformat()}})
    before = {"handover": locked.handover, "handed_over_on": locked.handed_over_on}
    locked.handover, locked.handed_over_on = handover, handed_over_on
    locked.full_clean()
    locked.save(update_fields=["handover", "handed_over_on", "updated_at"])
    audit_record(actor=actor, event="judge_letter.handed_over", target=locked, before=before,
                 after={"handover": handover, "handed_over_on": handed_over_on})
    return locked


@transaction.atomic
def judge_letter_printed(*, letter: JudgeLetter, actor: User, fmt: str) -> JudgeLetter:
    """Count a print (the first print or a reprint) and audit it. Race handled: two prints at once both
    count (the row is locked while the count is incremented)."""
    locked = JudgeLetter.objects.select_for_update().get(pk=letter.pk)
    reprint = locked.print_count > 0
    locked.print_count += 1
    locked.last_printed_at = timezone.now()
    locked.save(update_fields=["print_count", "last_printed_at", "updated_at"])
    audit_record(actor=actor, event="judge_letter.reprinted" if reprint else "judge_letter.printed", target=locked,
                 after={"format": fmt, "print_count": locked.print_count})
    return locked


# --- the six mechanisms ----------------------------------------------------------------------------------
@transaction.atomic
def measure_save(*, actor: User, measure: Measure) -> Measure:
    """Record or change a measure. A 惩戒 (discipline) entry is written by the discipline role only."""
    created = measure.pk is None
    if not created:
        locked = Measure.objects.select_for_update().get(pk=measure.pk)
        if locked.mechanism == Mechanism.DISCIPLINE and not has_role(actor, Role.DISCIPLINE):
            raise PermissionDenied
        measure.version = locked.version + 1
    if measure.mechanism == Mechanism.DISCIPLINE and not has_role(actor, Role.DISCIPLINE):
        raise ValidationError({"mechanism": _("惩戒类记录只能由纪检监察人员登记。")})
    measure.full_clean()
    measure.save()
    audit_record(actor=actor, event="measure.created" if created else "measure.updated", target=measure,
                 after={"mechanism": measure.mechanism, "title": measure.title, "start_on": measure.start_on})
    return measure


@transaction.atomic
def measure_attach(*, actor: User, measure: Measure, upload: Any) -> MeasureAttachment:
    """Attach evidence to a measure: the file's content is sniffed (core.uploads), not trusted by its name."""
    from tianping.core.uploads import PHOTO_PDF_AND_DOCUMENTS, check_upload

    ctype = check_upload(upload, max_bytes=MAX_UPLOAD, kinds=PHOTO_PDF_AND_DOCUMENTS)
    att = MeasureAttachment(measure=measure, name=(upload.name or "")[:200], content_type=ctype, size=upload.size or 0)
    att.file.save(upload.name or "file", upload, save=False)
    att.full_clean()
    att.save()
    audit_record(actor=actor, event="measure.attached", target=measure, court_id=measure.court_id,
                 after={"file": att.name, "size": att.size})
    return att


def discipline_read_audit(*, actor: User, measures: Iterable[Measure], where: str) -> None:
    """Every reading of a 惩戒 entry is audited: which entries, by whom, on which page or export."""
    ids = [m.pk for m in measures if m.mechanism == Mechanism.DISCIPLINE]
    if not ids:
        return
    audit_record(actor=actor, event="measure.discipline_read", court_id=getattr(actor, "court_id", None),
                 after={"ids": ids, "where": where},
                 message=_("查阅惩戒记录 %(n)d 条（%(w)s）") % {"n": len(ids), "w": where})


# --- family integrity --------------------------------------------------------------------------------------
def _family_save(actor: User, obj: Any, event: str, after: dict[str, Any]) -> Any:
    created = obj.pk is None
    obj.full_clean()
    obj.save()
    audit_record(actor=actor, event=f"{event}.created" if created else f"{event}.updated", target=obj, after=after)
    return obj


@transaction.atomic
def family_contact_save(*, actor: User, contact: FamilyContact) -> FamilyContact:
    result: FamilyContact = _family_save(actor, contact, "family_contact", {
        "person": contact.person_id, "name": contact.name, "relation": contact.relation, "phone": contact.phone})
    return result


@transaction.atomic
def family_contact_delete(*, actor: User, contact: FamilyContact) -> None:
    audit_record(actor=actor, event="family_contact.deleted", target=contact, before={"name": contact.name})
    contact.delete()


@transaction.atomic
def family_pledge_save(*, actor: User, pledge: FamilyPledge) -> FamilyPledge:
    result: FamilyPledge = _family_save(actor, pledge, "family_pledge", {
        "person": pledge.person_id, "year": pledge.year, "signed_on": pledge.signed_on,
        "family_name": pledge.family_name})
    return result


@transaction.atomic
def family_activity_save(*, actor: User, activity: FamilyActivity,
                         people: Iterable[Person] | None = None) -> FamilyActivity:
    result: FamilyActivity = _family_save(actor, activity, "family_activity", {
        "kind": activity.kind, "held_on": activity.held_on, "title": activity.title,
        "case_number": activity.case_number})
    if people is not None:
        result.people.set(list(people))
    return result


@transaction.atomic
def family_award_save(*, actor: User, award: FamilyAward) -> FamilyAward:
    result: FamilyAward = _family_save(actor, award, "family_award", {
        "year": award.year, "kind": award.kind, "person": award.person_id})
    return result


# --- 三个规定 -------------------------------------------------------------------------------------------------
@transaction.atomic
def interference_record_create(*, actor: User | None, record: InterferenceRecord) -> InterferenceRecord:
    """Record an interference, inquiry or contact. A record stands as written (no edits)."""
    if record.pk is not None:
        raise ValidationError(_("三个规定记录一经登记不能修改；如需更正，请另行登记一条说明。"))
    record.full_clean()
    record.save()
    audit_record(actor=actor, event="interference.recorded", target=record,
                 after={"kind": record.kind, "recorded_on": record.recorded_on, "case_number": record.case_number})
    return record


def month_start(day: date) -> date:
    return day.replace(day=1)


@transaction.atomic
def monthly_report_file(*, actor: User, person: Person, month: date, filed_on: date | None = None,
                        note: str = "") -> MonthlyReport:
    """File `person`'s 三个规定 report for `month`: its records of that month counted, a zero report when
    there are none. One report per judge and month.

    Race handled: a double submit; the unique (person, month) constraint is checked on the locked person."""
    from tianping.org.models import Person as PersonModel

    PersonModel.objects.select_for_update(of=("self",)).filter(pk=person.pk).first()
    filed_on = filed_on or timezone.localdate()
    month = month_start(month)
    if month > month_start(filed_on):
        raise ValidationError({"month": _("不能报告尚未开始的月份（%(m)s）。") % {"m": f"{month:%Y-%m}"}})
    if MonthlyReport.objects.filter(person=person, month=month).exists():
        raise ValidationError({"month": _("%(m)s 已经报告过，不能重复报告。") % {"m": f"{month:%Y-%m}"}})
    end = date(month.year + month.month // 12, month.month % 12 + 1, 1)
    count = InterferenceRecord.objects.filter(recorder=person, recorded_on__gte=month, recorded_on__lt=end).count()
    report = MonthlyReport(court_id=person.court_id, person=person, month=month, filed_on=filed_on,
                           zero=count == 0, record_count=count, note=note)
    report.full_clean()
    report.save()
    audit_record(actor=actor, event="monthly_report.filed", target=report,
                 after={"month": f"{month:%Y-%m}", "zero": report.zero, "records": count})
    return report


# --- imports (tianping.integrity.importers): one row each, inside the import's transaction ------------------
@transaction.atomic
def family_pledge_import_row(*, actor: Any, court: Any, values: dict[str, Any]) -> str:
    person = values["person"]
    pledge = FamilyPledge.objects.filter(person=person, year=values["year"]).first()
    created = pledge is None
    if pledge is None:
        pledge = FamilyPledge(court=court, person=person, year=values["year"])
    fields = ["signed_on", "family_name", "relation"]
    if not created and all(getattr(pledge, k) == values.get(k) for k in fields):
        return "unchanged"
    for k in fields:
        setattr(pledge, k, values.get(k))
    pledge.full_clean()
    pledge.save()
    audit_record(actor=actor, event="family_pledge.created" if created else "family_pledge.updated", target=pledge,
                 after={"person": person.pk, "year": pledge.year, "signed_on": pledge.signed_on})
    return "created" if created else "updated"


@transaction.atomic
def interference_import_row(*, actor: Any, court: Any, values: dict[str, Any]) -> str:
    fields = ["recorder", "recorded_on", "kind", "asker", "asker_post", "case_number", "content", "handling"]
    data: dict[str, Any] = {k: values.get(k) if values.get(k) is not None else "" for k in fields}
    if InterferenceRecord.objects.filter(court=court, recorder=data["recorder"], recorded_on=data["recorded_on"],
                                         asker=data["asker"], content=data["content"]).exists():
        return "unchanged"
    interference_record_create(actor=actor, record=InterferenceRecord(court=court, **data))
    return "created"
