from __future__ import annotations

from datetime import date

from django import forms
from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tianping.core.actions import OnceFormMixin
from tianping.core.forms import PersonChoiceField, PersonMultipleChoiceField, StyledModelForm, style_form
from tianping.org.models import Person
from tianping.partylife.models import Campaign, DutyRule, Meeting, MeetingType


def branch_first(queryset, organisation, day: date):
    """People ordered with the organisation's members on `day` first (a secretary picks the host and the
    speaker from the branch), then everyone else, each part by name."""
    if organisation is None:
        return queryset.order_by("name", "staff_number")
    from tianping.party.selectors import branch_roster_on

    ids = list(branch_roster_on(organisation, day).values_list("pk", flat=True))
    return queryset.annotate(_outside=Case(When(pk__in=ids, then=Value(0)), default=Value(1),
                                           output_field=IntegerField())).order_by("_outside", "name", "staff_number")


class MeetingForm(StyledModelForm):
    speaker_people = PersonMultipleChoiceField(label=_("主讲人（本院）"), queryset=Person.objects.none(),
                                               required=False)
    external_name = forms.CharField(label=_("外请主讲人姓名"), max_length=40, required=False)
    external_unit = forms.CharField(label=_("外请主讲人单位"), max_length=100, required=False,
                                    help_text=_("如：中共枣庄市委党校"))
    talk_title = forms.CharField(label=_("讲题"), max_length=200, required=False)

    field_order = ["meeting_type", "organisation", "date", "start_time", "end_time", "place", "host", "topic",
                   "campaign", "status", "study_hours", "speaker_people", "external_name", "external_unit",
                   "talk_title", "minutes", "resolutions"]

    class Meta:
        model = Meeting
        fields = ["meeting_type", "organisation", "date", "start_time", "end_time", "place", "host", "topic",
                  "campaign", "status", "study_hours", "minutes", "resolutions"]
        field_classes = {"host": PersonChoiceField}
        widgets = {
            "date": forms.DateInput(),
            "start_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "end_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "minutes": forms.Textarea(attrs={"rows": 6}),
            "resolutions": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, court, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.court = court
        self.fields["organisation"].queryset = organisations
        self.fields["meeting_type"].queryset = MeetingType.objects.filter(active=True)
        org, day = self._organisation_and_day(organisations)
        people = Person.objects.filter(court=court, left_on__isnull=True).select_related("department")
        self.fields["host"].queryset = branch_first(
            Person.objects.filter(court=court).select_related("department"), org, day)
        self.fields["speaker_people"].queryset = branch_first(people, org, day)
        if org is not None:
            help_text = _("本组织（%(o)s）的党员排在前面") % {"o": org.name}
            self.fields["host"].help_text = help_text
            self.fields["speaker_people"].help_text = help_text
        self.fields["campaign"].queryset = Campaign.objects.filter(court=court)
        self.fields["study_hours"].required = False
        self.fields["study_hours"].help_text = _("留空按会议类型的默认学时")
        if not self.instance.pk:
            self.initial["study_hours"] = None  # so that the type's default applies unless one is typed
        if self.instance.pk:
            self.fields["speaker_people"].initial = list(
                self.instance.speakers.filter(person__isnull=False).values_list("person_id", flat=True))
            ext = self.instance.speakers.filter(person__isnull=True).first()
            if ext:
                self.fields["external_name"].initial = ext.external_name
                self.fields["external_unit"].initial = ext.external_unit
            first = self.instance.speakers.first()
            if first:
                self.fields["talk_title"].initial = first.title
        style_form(self)

    def _organisation_and_day(self, organisations):
        """The organisation and date the form is about (posted, initial or the record's), to put its
        members first in the people dropdowns."""
        raw_org = self.data.get(self.add_prefix("organisation")) if self.is_bound else None
        raw_org = raw_org or self.initial.get("organisation") or self.instance.organisation_id
        org = None
        if raw_org:
            try:
                org = organisations.filter(pk=int(getattr(raw_org, "pk", raw_org))).first()
            except (TypeError, ValueError):
                org = None
        raw_day = self.data.get(self.add_prefix("date")) if self.is_bound else None
        raw_day = raw_day or self.initial.get("date") or self.instance.date
        try:
            day = raw_day if isinstance(raw_day, date) else date.fromisoformat(str(raw_day))
        except ValueError:
            day = timezone.localdate()
        return org, day

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("external_unit") and not cleaned.get("external_name"):
            self.add_error("external_name", _("填写了主讲人单位，请同时填写外请主讲人姓名。"))
        mtype = cleaned.get("meeting_type")
        org = cleaned.get("organisation")
        if mtype and org:
            court_level = org.kind in {"party_group", "organ_committee"}
            if mtype.level == "branch" and court_level:
                self.add_error("organisation", _("“%(t)s”由支部（党小组）召开，请选择支部。") % {"t": mtype.name})
            if mtype.level == "court" and not court_level:
                self.add_error("organisation", _("“%(t)s”是全院性会议，请选择党组或机关党委。") % {"t": mtype.name})
        return cleaned

    def speakers(self) -> list[dict]:
        title = self.cleaned_data.get("talk_title", "")
        out = [{"person": p, "title": title} for p in self.cleaned_data.get("speaker_people") or []]
        if self.cleaned_data.get("external_name"):
            out.append({"external_name": self.cleaned_data["external_name"],
                        "external_unit": self.cleaned_data.get("external_unit", ""), "title": title})
        return out

    def meeting_data(self) -> dict:
        data = {f: self.cleaned_data[f] for f in self.Meta.fields}
        if data.get("study_hours") is None:
            mtype = data["meeting_type"]
            data["study_hours"] = mtype.study_hours
        return data


class MeetingCreateForm(OnceFormMixin, MeetingForm):
    """The new-meeting form: a one-time token makes a re-post or a double click create one meeting."""


class TaskForm(forms.Form):
    description = forms.CharField(label=_("任务"), max_length=300)
    owner = PersonChoiceField(label=_("责任人"), queryset=Person.objects.none())
    due_on = forms.DateField(label=_("完成期限"), widget=forms.DateInput())

    def __init__(self, *args, court, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = (Person.objects.filter(court=court, left_on__isnull=True)
                                         .select_related("department").order_by("name", "staff_number"))
        style_form(self, small=True)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("照片或 PDF"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".jpg,.jpeg,.png,.gif,.webp,.pdf"
        style_form(self, small=True)


class CampaignForm(StyledModelForm):
    class Meta:
        model = Campaign
        fields = ["name", "starts_on", "ends_on", "description"]
        widgets = {"starts_on": forms.DateInput(), "ends_on": forms.DateInput(),
                   "description": forms.Textarea(attrs={"rows": 3})}


class DutyRuleForm(StyledModelForm):
    """A required duty's frequency (a setting as data)."""

    kinds = forms.MultipleChoiceField(label=_("适用组织类型"), choices=(), widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = DutyRule
        fields = ["name", "frequency", "min_count", "requires_committee", "warn_days", "active", "sort_order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from tianping.party.models import OrgKind

        self.fields["kinds"].choices = OrgKind.choices
        self.fields["kinds"].initial = self.instance.kinds() if self.instance.pk else ["branch"]
        self.fields["kinds"].widget.attrs.pop("class", None)
        self.order_fields(["name", "frequency", "min_count", "kinds", "requires_committee", "warn_days", "active",
                           "sort_order"])

    def row(self) -> DutyRule:
        """The validated row, not saved (services.setting_row_save saves and audits it)."""
        self.instance.org_kinds = ",".join(self.cleaned_data["kinds"])
        return self.instance


class MeetingTypeForm(StyledModelForm):
    class Meta:
        model = MeetingType
        fields = ["code", "name", "level", "audience", "duty", "votes", "is_lecture", "has_speaker", "study_hours",
                  "awards_points", "aliases", "active", "sort_order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["code"].disabled = True  # imports and the demo refer to types by code
        self.fields["code"].help_text = _("英文字母、数字和下划线，如 branch_study；保存后不能修改")

    def row(self) -> MeetingType:
        """The validated row, not saved (services.setting_row_save saves and audits it)."""
        return self.instance
