"""Writes of the annual app: the report's text template (the figures are computed, never stored), the
leaders' yearly self-assessments (五型五力) and their review, the leadership team's education summary."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tianping.annual.models import LeaderAssessment, LeadershipStudy, LeadershipStudyAttachment, ReportTemplate
from tianping.annual.selectors import known_placeholders, unknown_placeholders
from tianping.core.audit import audit_record

if TYPE_CHECKING:
    from tianping.org.models import Court, Person, User


@transaction.atomic
def report_template_save(*, actor: User, court: Court, title: str, body: str,
                         expected_version: int | None = None) -> ReportTemplate:
    """Save the court's report text. Refused: a placeholder no figure answers ({cases_closd}), an empty body.
    Race handled: two party-office users editing at once — the row is locked and the version compared."""
    unknown = unknown_placeholders(title + "\n" + body)
    if unknown:
        raise ValidationError({"body": _("占位符 %(bad)s 不存在。可用的占位符：%(ok)s。") % {
            "bad": "、".join("{" + k + "}" for k in unknown),
            "ok": "、".join("{" + k + "}" for k in known_placeholders())}})
    template = ReportTemplate.objects.select_for_update().filter(court=court).first()
    if template is None:
        template = ReportTemplate(court=court)
    elif expected_version is not None and template.version != expected_version:
        raise ValidationError(_("报告模板已被他人修改（您打开后有新的保存）。请复制您的修改，刷新页面后重新编辑。"),
                              code="stale")
    else:
        template.version += 1
    before = {"title": template.title, "body_length": len(template.body or "")}
    template.title, template.body, template.updated_by = title.strip(), body.strip() + "\n", actor
    template.full_clean()
    template.save()
    audit_record(actor=actor, event="annual.template_saved", target=template, court_id=court.pk, before=before,
                 after={"title": template.title, "body_length": len(template.body), "version": template.version})
    return template


# --- the leadership (五型五力) and its education ---------------------------------------------------------------
MAX_UPLOAD = 20 * 1024 * 1024
ITEM_TEXT_MAX = 2000


def _clean_items(items: dict[str, Any]) -> dict[str, dict[str, str]]:
    """The ten items as stored: every key present, grade and text stripped (unknown keys refused by clean())."""
    from tianping.annual.choices import LeadershipItem

    out = {k: {"grade": str((v or {}).get("grade") or ""), "text": str((v or {}).get("text") or "").strip()}
           for k, v in items.items()}
    for key in LeadershipItem.values:
        out.setdefault(key, {"grade": "", "text": ""})
    return out


@transaction.atomic
def leader_assessment_save(*, actor: User, person: Person, year: int, items: dict[str, Any], summary: str,
                           submit: bool = False, expected_version: int | None = None) -> LeaderAssessment:
    """A leader writes (or rewrites) their self-assessment of a year; `submit` hands it to the party group.

    Refused: someone else's assessment; a year the person was not a leader in post, or a future one; a change
    after submitting (until the party office returns it); on submitting, an item without a grade or no summary.
    Race handled: the same leader saving from two windows — the row is locked and the version compared, so the
    later save does not silently overwrite the earlier."""
    from tianping.annual.choices import EDITABLE, AssessmentStatus, LeadershipItem
    from tianping.annual.leadership import leader_in_post_during

    if getattr(actor, "person_id", None) != person.pk:
        raise ValidationError(_("只能填写本人的五型五力自评。"))
    if year > timezone.localdate().year or not leader_in_post_during(person, year):
        raise ValidationError({"year": _("%(p)s 在 %(y)d 年不是在任院领导，无需填写该年度自评。") % {
            "p": person.name, "y": year}})
    assessment = LeaderAssessment.objects.select_for_update().filter(person=person, year=year).first()
    created = assessment is None
    if assessment is None:
        assessment = LeaderAssessment(court_id=person.court_id, person=person, year=year)
    else:
        if expected_version is not None and assessment.version != expected_version:
            raise ValidationError(_("该自评已在别处修改（您打开后有新的保存）。请复制您的修改，刷新页面后重新填写。"),
                                  code="stale")
        if assessment.status not in EDITABLE:
            raise ValidationError(_("该自评已提交（%(s)s），不能再修改；如需修改，请联系政治部退回。") % {
                "s": assessment.get_status_display()})
        assessment.version += 1
    before = {"status": assessment.status}
    assessment.items, assessment.summary = _clean_items(items), summary.strip()
    if submit:
        errors: dict[str, Any] = {}
        missing = [str(LeadershipItem(k).label) for k in LeadershipItem.values if not assessment.items[k]["grade"]]
        if missing:
            errors["items"] = _("提交前请为每一项选择等次：%(m)s 尚未选择。") % {"m": "、".join(missing)}
        if not assessment.summary:
            errors["summary"] = _("提交前请填写总体自评。")
        if errors:
            raise ValidationError(errors)
        assessment.status, assessment.submitted_at = AssessmentStatus.SUBMITTED, timezone.now()
    assessment.full_clean()
    assessment.save()
    event = "leader_assessment.submitted" if submit else (
        "leader_assessment.created" if created else "leader_assessment.updated")
    audit_record(actor=actor, event=event, target=assessment, court_id=assessment.court_id, before=before,
                 after={"year": year, "status": assessment.status, "version": assessment.version,
                        "graded": sum(1 for v in assessment.items.values() if v["grade"])})
    return assessment


@transaction.atomic
def leader_assessment_review(*, actor: User, assessment: LeaderAssessment, decision: str, grade: str = "",
                             comment: str = "", expected_version: int | None = None) -> LeaderAssessment:
    """The party office records the party group's review of a submitted assessment (`decision` "review": a grade
    and a comment) or returns it to the leader for changes ("return": the comment says what to change).

    Race handled: two party-office users reviewing at once, or the review crossing a return — the row is locked,
    its state and version checked, so one review stands and the other is told."""
    from tianping.annual.choices import AssessmentStatus, ReviewGrade

    locked = LeaderAssessment.objects.select_for_update().get(pk=assessment.pk)
    if expected_version is not None and locked.version != expected_version:
        raise ValidationError(_("该自评已在别处处理（您打开后有新的保存）。请刷新页面查看。"), code="stale")
    if locked.status != AssessmentStatus.SUBMITTED:
        raise ValidationError(_("只有已提交、待评议的自评可以评议或退回（当前：%(s)s）。") % {
            "s": locked.get_status_display()})
    comment = comment.strip()
    if decision == "return":
        if not comment:
            raise ValidationError({"comment": _("退回修改时请写明需要修改的内容。")})
        locked.status, locked.review_grade = AssessmentStatus.RETURNED, ""
    elif decision == "review":
        if grade not in ReviewGrade.values:
            raise ValidationError({"grade": _("请选择评议等次。")})
        if not comment:
            raise ValidationError({"comment": _("请填写评议意见。")})
        locked.status, locked.review_grade = AssessmentStatus.REVIEWED, grade
    else:
        raise ValidationError(_("请选择评议或退回修改。"))
    locked.review_comment, locked.reviewed_by, locked.reviewed_at = comment, actor, timezone.now()
    locked.version += 1
    locked.full_clean()
    locked.save(update_fields=["status", "review_grade", "review_comment", "reviewed_by", "reviewed_at", "version",
                               "updated_at"])
    event = "leader_assessment.reviewed" if decision == "review" else "leader_assessment.returned"
    audit_record(actor=actor, event=event, target=locked, court_id=locked.court_id, before={"status": AssessmentStatus.SUBMITTED},
                 after={"status": locked.status, "grade": locked.review_grade})
    return locked


@transaction.atomic
def leadership_study_save(*, actor: User, court: Court, year: int, sessions: int, topics: str, hours: Decimal,
                          summary: str, expected_version: int | None = None) -> LeadershipStudy:
    """Write the leadership team's education summary of a year (one per court and year).
    Race handled: two party-office users editing the same year — the row is locked and the version compared."""
    if year > timezone.localdate().year:
        raise ValidationError({"year": _("不能填写未来年度的学习教育总结。")})
    study = LeadershipStudy.objects.select_for_update().filter(court=court, year=year).first()
    created = study is None
    if study is None:
        study = LeadershipStudy(court=court, year=year)
    else:
        if expected_version is not None and study.version != expected_version:
            raise ValidationError(_("该年度的学习教育总结已被他人修改（您打开后有新的保存）。请复制您的修改，刷新页面后重新编辑。"),
                                  code="stale")
        study.version += 1
    before = {"sessions": study.sessions, "hours": str(study.hours) if study.hours is not None else None}
    study.sessions, study.hours, study.updated_by = sessions, hours, actor
    study.topics = "\n".join(t.strip() for t in topics.splitlines() if t.strip())
    study.summary = summary.strip()
    study.full_clean()
    study.save()
    audit_record(actor=actor, event="leadership_study.created" if created else "leadership_study.updated",
                 target=study, court_id=court.pk, before=None if created else before,
                 after={"year": year, "sessions": sessions, "hours": str(hours), "topics": len(study.topic_list()),
                        "version": study.version})
    return study


@transaction.atomic
def leadership_study_attach(*, actor: User, study: LeadershipStudy, upload: Any) -> LeadershipStudyAttachment:
    """Attach a file to the year's education summary: its content is sniffed (core.uploads), not trusted by name."""
    from tianping.core.uploads import PHOTO_PDF_AND_DOCUMENTS, check_upload

    ctype = check_upload(upload, max_bytes=MAX_UPLOAD, kinds=PHOTO_PDF_AND_DOCUMENTS)
    att = LeadershipStudyAttachment(study=study, name=(upload.name or "")[:200], content_type=ctype,
                                    size=upload.size or 0)
    att.file.save(upload.name or "file", upload, save=False)
    att.full_clean()
    att.save()
    audit_record(actor=actor, event="leadership_study.attached", target=study, court_id=study.court_id,
                 after={"file": att.name, "size": att.size})
    return att
