"""The annual party-building report's text: a template the party office edits, with placeholders the records
fill ({cases_closed} …). The figures themselves are never stored: they are computed from the records."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tianping.core.models import CourtScopedModel


class ReportTemplate(CourtScopedModel):
    """One court's report text. `body`: paragraphs separated by blank lines; a paragraph that starts with "#"
    is a heading; `{key}` is replaced by the figure (linked to its records on the page)."""

    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("正文"))
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("修改人"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("年度报告模板")
        verbose_name_plural = _("年度报告模板")
        constraints = [models.UniqueConstraint(fields=["court"], name="annual_one_template_per_court",
                                               violation_error_message=_("每个法院只有一份年度报告模板。"))]

    def __str__(self) -> str:
        return str(self.title)
