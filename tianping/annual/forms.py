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
