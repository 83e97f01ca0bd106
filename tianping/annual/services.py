"""Writes of the annual report: only its text template (the figures are computed, never stored)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tianping.annual.models import ReportTemplate
from tianping.annual.selectors import known_placeholders, unknown_placeholders
from tianping.core.audit import audit_record

if TYPE_CHECKING:
    from tianping.org.models import Court, User


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
