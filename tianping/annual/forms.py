from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tianping.core.forms import style_form


class ReportTemplateForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=100)
    body = forms.CharField(label=_("正文"), widget=forms.Textarea(attrs={"rows": 22}),
                           help_text=_("段落之间空一行；以 # 开头的段落是标题；{cases_closed} 这样的占位符由记录中的数字填充。"))
    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)


# --- the leadership (五型五力) ----------------------------------------------------------------------------------
def _grade_choices() -> list[tuple[str, object]]:
    from tianping.annual.choices import ItemGrade

    return [("", _("（未选择）")), *ItemGrade.choices]


class LeaderAssessmentForm(forms.Form):
    """A leader's self-assessment: a grade and a text for each of the ten items (fields `<key>_grade`,
    `<key>_text`), the overall summary. Grades are optional while saving a draft; the service refuses a submission
    with an item ungraded or no summary, and the form keeps what was typed."""

    summary = forms.CharField(label=_("总体自评"), required=False, max_length=5000,
                              widget=forms.Textarea(attrs={"rows": 6}))
    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        from tianping.annual.choices import LeadershipItem
        from tianping.annual.services import ITEM_TEXT_MAX

        super().__init__(*args, **kwargs)
        for item in LeadershipItem:
            self.fields[f"{item.value}_grade"] = forms.ChoiceField(label=item.label, required=False,
                                                                   choices=_grade_choices)
            self.fields[f"{item.value}_text"] = forms.CharField(
                label=_("%(i)s 自评") % {"i": item.label}, required=False, max_length=ITEM_TEXT_MAX,
                widget=forms.Textarea(attrs={"rows": 2}))
        style_form(self)

    @staticmethod
    def initial_for(assessment) -> dict:
        if assessment is None:
            return {}
        initial = {"summary": assessment.summary, "loaded_version": assessment.version}
        for row in assessment.item_rows():
            initial[f"{row['key']}_grade"], initial[f"{row['key']}_text"] = row["grade"], row["text"]
        return initial

    def items(self) -> dict[str, dict[str, str]]:
        from tianping.annual.choices import LeadershipItem

        return {k: {"grade": self.cleaned_data.get(f"{k}_grade") or "", "text": self.cleaned_data.get(f"{k}_text") or ""}
                for k in LeadershipItem.values}

    def item_fields(self) -> list[dict]:
        """The ten items in order, each with its group and its two bound fields (for the template)."""
        from tianping.annual.choices import FIVE_TYPES, LeadershipItem

        return [{"key": item.value, "label": item.label, "group": _("五型") if item in FIVE_TYPES else _("五力"),
                 "grade": self[f"{item.value}_grade"], "text": self[f"{item.value}_text"]} for item in LeadershipItem]


class LeaderReviewForm(forms.Form):
    DECISIONS = [("review", _("评议")), ("return", _("退回修改"))]

    decision = forms.ChoiceField(label=_("处理"), choices=DECISIONS, widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                                 initial="review")
    grade = forms.ChoiceField(label=_("评议等次"), required=False)
    comment = forms.CharField(label=_("评议意见 / 退回理由"), max_length=5000, widget=forms.Textarea(attrs={"rows": 4}),
                              required=False, help_text=_("评议时填写党组的评议意见；退回时写明需要修改的内容。"))
    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        from tianping.annual.choices import ReviewGrade

        super().__init__(*args, **kwargs)
        self.fields["grade"].choices = [("", _("（请选择）")), *ReviewGrade.choices]
        style_form(self)


class LeadershipStudyForm(forms.Form):
    sessions = forms.IntegerField(label=_("集中学习次数"), min_value=0, max_value=366)
    hours = forms.DecimalField(label=_("学习学时"), min_value=0, max_value=2000, max_digits=6, decimal_places=1)
    topics = forms.CharField(label=_("学习专题"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5}),
                             help_text=_("每行一个专题"))
    summary = forms.CharField(label=_("学习教育总结"), max_length=20000, widget=forms.Textarea(attrs={"rows": 10}))
    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)


class StudyAttachmentForm(forms.Form):
    file = forms.FileField(label=_("附件"), help_text=_("PDF、图片或 Word/OFD 文档，不超过 20 MB。"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)
