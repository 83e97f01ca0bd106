"""core/renderers.py: the form renderer writes inputs, selects and options exactly as Django's templates do."""

from __future__ import annotations

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates

from tianping.core.renderers import FastWidgetRenderer


class Sample(forms.Form):
    q = forms.CharField(widget=forms.TextInput(attrs={"placeholder": '编号 "<x>" & 案由', "class": "form-control"}))
    n = forms.IntegerField(min_value=0)
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    flag = forms.BooleanField(required=False)
    token = forms.CharField(widget=forms.HiddenInput)
    status = forms.ChoiceField(choices=[("", "全部"), ("a", "甲 & 乙"), ("b", "<b>")])
    grouped = forms.ChoiceField(choices=[("组一", [("1", "一"), ("2", "二")]), ("3", "三")])
    many = forms.MultipleChoiceField(choices=[("x", "X"), ("y", "Y")])
    known = forms.NullBooleanField()
    radio = forms.ChoiceField(choices=[("r", "R"), ("s", "S")], widget=forms.RadioSelect)
    text = forms.CharField(widget=forms.Textarea)


BOUND = {"q": 'a "b" <c>', "n": "12", "day": "2016-03-01", "flag": "on", "token": "t&1", "status": "b",
         "grouped": "2", "many": ["x", "y"], "known": "true", "radio": "s", "text": "<p>"}


@pytest.mark.parametrize("data", [None, BOUND])
def test_every_widget_renders_as_djangos_templates_render_it(data):
    fast, slow = Sample(data, renderer=FastWidgetRenderer()), Sample(data, renderer=DjangoTemplates())
    for name in Sample.base_fields:
        assert str(fast[name]) == str(slow[name]), name
    if data:
        html = str(fast["status"])
        assert '<option value="b" selected>&lt;b&gt;</option>' in html and "甲 &amp; 乙" in html
        assert 'value="a &quot;b&quot; &lt;c&gt;"' in str(fast["q"])


def test_selects_and_inputs_skip_the_template_engine(monkeypatch):
    renderer = FastWidgetRenderer()

    def no_template(name):
        raise AssertionError(f"{name} went through the template engine")

    monkeypatch.setattr(renderer, "get_template", no_template)
    form = Sample(BOUND, renderer=renderer)
    for name in ("q", "n", "day", "flag", "token", "status", "grouped", "many", "known"):
        str(form[name])


def test_the_project_uses_it():
    assert isinstance(forms.Form().renderer or forms.Form.default_renderer or _default(), FastWidgetRenderer)


def _default():
    from django.forms.renderers import get_default_renderer

    return get_default_renderer()
