from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tianping.core.actions import OnceFormMixin
from tianping.core.forms import StyledModelForm, style_form
from tianping.core.validators import validate_not_future
from tianping.integrity.choices import Handover, Mechanism
from tianping.integrity.models import (
    FamilyActivity,
    FamilyAward,
    FamilyContact,
    FamilyPledge,
    InterferenceRecord,
    LetterTemplate,
    Measure,
)


class LetterTemplateForm(StyledModelForm):
    class Meta:
        model = LetterTemplate
        fields = ["title", "effective_from", "complaint_phone", "body", "note"]
        widgets = {"body": forms.Textarea(attrs={"rows": 14})}


class HandoverForm(forms.Form):
    handover = forms.ChoiceField(label=_("发放方式"), choices=Handover.choices)
    handed_over_on = forms.DateField(label=_("交付日期"), validators=[validate_not_future])

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["handed_over_on"].initial = timezone.localdate()
        style_form(self)


def _court_people(form: forms.BaseForm, court: Any, *names: str) -> None:
    from tianping.org.models import Person

    for name in names:
        field = form.fields.get(name)
        if isinstance(field, forms.ModelChoiceField):
            field.queryset = Person.objects.filter(court=court).select_related("department").order_by("name")


class MeasureForm(OnceFormMixin, StyledModelForm):
    class Meta:
        model = Measure
        fields = ["mechanism", "category", "title", "department", "branch", "start_on", "end_on", "participants",
                  "participant_count", "lecture", "outcome"]
        widgets = {"outcome": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args: Any, court: Any = None, discipline: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from tianping.org.models import Department
        from tianping.party.models import PartyOrganisation
        from tianping.partylife.models import Meeting

        fields: dict[str, Any] = self.fields
        fields["department"].queryset = Department.objects.filter(court=court)
        fields["branch"].queryset = PartyOrganisation.objects.filter(court=court)
        fields["lecture"].queryset = Meeting.objects.filter(court=court, meeting_type__is_lecture=True) \
            .order_by("-date")
        if not discipline:
            fields["mechanism"].choices = [c for c in Mechanism.choices if c[0] != Mechanism.DISCIPLINE]


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("证明材料"))


class FamilyContactForm(OnceFormMixin, StyledModelForm):
    class Meta:
        model = FamilyContact
        fields = ["person", "name", "relation", "phone", "note"]

    def __init__(self, *args: Any, court: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _court_people(self, court, "person")


class FamilyPledgeForm(OnceFormMixin, StyledModelForm):
    class Meta:
        model = FamilyPledge
        fields = ["person", "year", "signed_on", "family_name", "relation", "scan"]

    def __init__(self, *args: Any, court: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _court_people(self, court, "person")
        if not self.is_bound:
            self.fields["year"].initial = timezone.localdate().year

    def clean_scan(self) -> Any:
        scan = self.cleaned_data.get("scan")
        if scan and hasattr(scan, "size"):
            from tianping.core.uploads import PHOTO_AND_PDF, check_upload

            check_upload(scan, max_bytes=20 * 1024 * 1024, kinds=PHOTO_AND_PDF)
        return scan


class FamilyActivityForm(OnceFormMixin, StyledModelForm):
    class Meta:
        model = FamilyActivity
        fields = ["kind", "held_on", "title", "people", "family_count", "case_number", "note"]

    def __init__(self, *args: Any, court: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _court_people(self, court, "people")


class FamilyAwardForm(OnceFormMixin, StyledModelForm):
    class Meta:
        model = FamilyAward
        fields = ["year", "kind", "person", "family_name", "note"]

    def __init__(self, *args: Any, court: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _court_people(self, court, "person")


class InterferenceForm(OnceFormMixin, StyledModelForm):
    class Meta:
        model = InterferenceRecord
        fields = ["kind", "asker", "asker_post", "occurred_on", "recorded_on", "case_number", "content", "handling"]
        widgets = {"content": forms.Textarea(attrs={"rows": 3}), "handling": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["recorded_on"].initial = timezone.localdate()


class MonthlyReportForm(forms.Form):
    month = forms.CharField(label=_("报告月份"), max_length=7, widget=forms.TextInput(attrs={"placeholder": "2016-05"}))
    note = forms.CharField(label=_("说明"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            today = timezone.localdate()
            last = today.replace(day=1) - timedelta(days=1)
            self.fields["month"].initial = f"{last:%Y-%m}"
        style_form(self)

    def clean_month(self) -> Any:
        from datetime import date

        text = self.cleaned_data["month"].strip()
        try:
            y, m = text.split("-")
            return date(int(y), int(m), 1)
        except ValueError as exc:
            raise forms.ValidationError(_("月份应写成 年-月，如 2016-05。")) from exc
