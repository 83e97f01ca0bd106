from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tianping.core.forms import StyledModelForm
from tianping.org.models import Department, Person


class PersonForm(StyledModelForm):
    moved_on = forms.DateField(label=_("调入本部门日期"), required=False,
                               help_text=_("更换部门时填写；留空则为今天"), widget=forms.DateInput)

    class Meta:
        model = Person
        fields = ["name", "gender", "birth_date", "id_number", "phone", "staff_number", "department", "post",
                  "is_quota_judge", "is_leadership", "education", "hired_on", "left_on"]
        widgets = {"birth_date": forms.DateInput, "hired_on": forms.DateInput, "left_on": forms.DateInput}

    def __init__(self, *args, court=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.court = court or self.instance.court
        self.fields["department"].queryset = Department.objects.filter(court=self.court, active=True)
        self.fields["id_number"].widget.attrs["autocomplete"] = "off"
        if self.instance.pk:
            # never echo the full ID number into the page; leave blank to keep it
            self.initial["id_number"] = ""
            self.fields["id_number"].required = False
            self.fields["id_number"].help_text = _("当前：%(m)s；留空表示不修改") % {
                "m": self.instance.id_number_masked}
            self.fields["phone"].help_text = _("当前：%(m)s") % {"m": self.instance.phone_masked}
            self.initial["phone"] = ""

    def _post_clean(self):
        self.instance.court = self.court
        if self.instance.pk:
            if not self.cleaned_data.get("id_number"):
                self.cleaned_data["id_number"] = Person.objects.get(pk=self.instance.pk).id_number
            if not self.cleaned_data.get("phone"):
                self.cleaned_data["phone"] = Person.objects.get(pk=self.instance.pk).phone
        if self.cleaned_data.get("id_number"):
            self.cleaned_data["id_number"] = self.cleaned_data["id_number"].strip().upper()
        super()._post_clean()


class DepartmentForm(StyledModelForm):
    class Meta:
        model = Department
        fields = ["name", "type", "active", "sort_order"]

    def __init__(self, *args, court=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.court = court or self.instance.court

    def _post_clean(self):
        self.instance.court = self.court
        super()._post_clean()
