"""Form helpers shared by every app: Bootstrap styling, optimistic-concurrency checks and dropdowns that tell
namesakes apart."""

from __future__ import annotations

from collections import Counter
from typing import Any

import django_filters
from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _


class LabelledChoiceIterator(ModelChoiceIterator):
    """Options labelled `str(obj)`, except where two options would read the same: those are labelled by the
    object's own `choice_label()` (a person: "李冬梅（0312 · 沙沟法庭）"). Core names no domain model; any
    model with a `choice_label()` method gets this."""

    def __iter__(self) -> Any:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        objects = list(self.queryset)
        plain = {obj.pk: self.field.label_from_instance(obj) for obj in objects}
        shared = {label for label, n in Counter(plain.values()).items() if n > 1}
        for obj in objects:
            label = plain[obj.pk]
            if label in shared and hasattr(obj, "choice_label"):
                label = obj.choice_label()
            yield (self.choice(obj)[0], label)


class PersonChoiceField(forms.ModelChoiceField):
    """A dropdown of people in which namesakes are told apart by 工号 and department."""

    iterator = LabelledChoiceIterator


class PersonMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A multiple choice of people in which namesakes are told apart by 工号 and department."""

    iterator = LabelledChoiceIterator


_LABELLED: dict[type, type] = {}


def _labelled(iterator: type) -> type:
    """`iterator` with namesakes labelled; a subclass (django-filter's adds its "null" choice) keeps its extras."""
    if issubclass(iterator, LabelledChoiceIterator):
        return iterator
    if iterator is ModelChoiceIterator:
        return LabelledChoiceIterator
    if iterator not in _LABELLED:
        _LABELLED[iterator] = type(f"Labelled{iterator.__name__}", (iterator, LabelledChoiceIterator), {})
    return _LABELLED[iterator]


def label_namesakes(field: forms.Field) -> None:
    """Make an existing ModelChoiceField tell namesakes apart (used by style_form for every model that has a
    `choice_label()` method, so ModelForm-generated dropdowns such as 主持人 and filter bars get it too)."""
    if not isinstance(field, forms.ModelChoiceField) or not issubclass(field.iterator, ModelChoiceIterator):
        return
    model = getattr(field.queryset, "model", None)
    if model is None or not hasattr(model, "choice_label"):
        return
    field.iterator = _labelled(field.iterator)
    field.widget.choices = field.choices


def style_form(form: forms.BaseForm, *, small: bool = False) -> forms.BaseForm:
    """Give every widget its Bootstrap class; date inputs get the date picker."""
    size = " form-control-sm" if small else ""
    for field in form.fields.values():
        label_namesakes(field)
        w = field.widget
        if isinstance(w, forms.CheckboxInput):
            w.attrs.setdefault("class", "form-check-input")
        elif isinstance(w, (forms.Select, forms.SelectMultiple)):
            w.attrs.setdefault("class", "form-select" + (" form-select-sm" if small else ""))
            if isinstance(w, forms.SelectMultiple) or isinstance(field, forms.ModelChoiceField):
                w.attrs.setdefault("data-searchable", "1")
        elif isinstance(w, forms.DateInput):
            w.input_type = "date"
            w.format = "%Y-%m-%d"
            w.attrs.setdefault("class", "form-control" + size)
        else:
            w.attrs.setdefault("class", "form-control" + size)
    return form


class StyledModelForm(forms.ModelForm):
    """A ModelForm with Bootstrap widgets and a hidden `version` field for concurrent-edit detection.

    A model with an integer `version` column: the form carries the version it was loaded with; if the row
    changed meanwhile the save is refused (see `check_version`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)
        if hasattr(self._meta.model, "version") and self.instance.pk:
            self.fields["loaded_version"] = forms.IntegerField(widget=forms.HiddenInput, required=False,
                                                               initial=self.instance.version)

    def check_version(self) -> None:
        loaded = self.cleaned_data.get("loaded_version")
        if loaded is None or not self.instance.pk:
            return
        current = type(self.instance).objects.filter(pk=self.instance.pk).values_list("version", flat=True).first()
        if current is not None and current != loaded:
            raise forms.ValidationError(_("该记录已被他人修改（您打开后有新的保存）。请复制您的修改，刷新页面后重新编辑。"),
                                        code="stale")

    def clean(self) -> Any:
        cleaned = super().clean()
        self.check_version()
        return cleaned


class StyledFilterSet(django_filters.FilterSet):
    """FilterSet whose form is styled small for the list bar."""

    @property
    def form(self) -> Any:
        form = super().form
        if not getattr(form, "_styled", False):
            style_form(form, small=True)
            _label_empty_choices(form)
            form._styled = True
        return form


def _label_empty_choices(form: forms.BaseForm) -> None:
    """In a filter bar the empty choice means "no filter": show 全部 instead of ---------/未知."""
    everything = _("全部")
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.NullBooleanSelect):
            widget.choices = [("unknown", everything), ("true", _("是")), ("false", _("否"))]
        elif hasattr(field, "empty_label") and not isinstance(field, forms.ModelMultipleChoiceField):
            # ModelChoiceField and django-filter's ChoiceField build the empty choice from empty_label
            if field.empty_label is not None:
                field.empty_label = everything
                field.widget.choices = field.choices
        elif isinstance(field, forms.ChoiceField) and not isinstance(field, forms.MultipleChoiceField):
            choices = list(field.choices)
            if choices and choices[0][0] in ("", None):
                field.choices = [("", everything), *choices[1:]]
