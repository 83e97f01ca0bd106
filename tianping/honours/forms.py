"""Forms of pioneer posts, honours, selections and the showcase. They validate input; the services write."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tianping.core.actions import OnceFormMixin
from tianping.core.forms import PersonChoiceField, StyledModelForm, style_form
from tianping.core.validators import validate_not_future
from tianping.honours.models import (
    Article,
    HolderKind,
    Honour,
    NominatedBy,
    PioneerPost,
    PostEvaluation,
    Selection,
    Venue,
)


def _people(court):
    from tianping.org.models import Person

    return Person.objects.filter(court=court).select_related("department").order_by("name")


class HonourForm(OnceFormMixin, StyledModelForm):
    certificate = forms.FileField(label=_("证书扫描件"), required=False,
                                  help_text=_("PDF 或照片（JPG/PNG），不超过 10 MB"))

    class Meta:
        model = Honour
        fields = ["name", "level", "issuer", "awarded_on", "holder_kind", "person", "department", "organisation",
                  "certificate_number", "note"]

    def __init__(self, *args, court, **kwargs):
        super().__init__(*args, **kwargs)
        from tianping.org.models import Department
        from tianping.party.models import PartyOrganisation

        self.fields["person"] = PersonChoiceField(label=_("获得者（个人）"), queryset=_people(court), required=False)
        self.fields["department"].queryset = Department.objects.filter(court=court)
        self.fields["organisation"].queryset = PartyOrganisation.objects.filter(court=court, active=True)
        self.fields["awarded_on"].validators.append(validate_not_future)
        style_form(self)

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("holder_kind")
        needed = {HolderKind.PERSON: "person", HolderKind.DEPARTMENT: "department",
                  HolderKind.BRANCH: "organisation"}.get(kind)
        if needed and not cleaned.get(needed):
            self.add_error(needed, _("请选择获得表彰的%(k)s。") % {"k": HolderKind(kind).label})
        return cleaned

    def _post_clean(self):
        """The service validates the model (full_clean); the form only checks its fields."""


class DeleteReasonForm(forms.Form):
    reason = forms.CharField(label=_("删除原因"), max_length=200,
                             widget=forms.TextInput(attrs={"class": "form-control"}))


class ExpertAwardForm(forms.Form):
    awarded_on = forms.DateField(label=_("授予日期"), validators=[validate_not_future],
                                 widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}))
    person_ids = forms.TypedMultipleChoiceField(label=_("候选人"), coerce=int, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person_ids"].choices = candidates
        self.fields["awarded_on"].initial = timezone.localdate()


class PostForm(StyledModelForm):
    photo = forms.FileField(label=_("岗位照片"), required=False, help_text=_("JPG/PNG，不超过 10 MB"))

    class Meta:
        model = PioneerPost
        fields = ["name", "window", "department", "identity_text", "brand_text", "active"]

    def __init__(self, *args, court, **kwargs):
        super().__init__(*args, **kwargs)
        from tianping.org.models import Department

        self.fields["department"].queryset = Department.objects.filter(court=court, active=True)
        style_form(self)

    def _post_clean(self):
        """Validated by the service."""


class HolderForm(forms.Form):
    person = PersonChoiceField(label=_("党员"), queryset=None)
    start = forms.DateField(label=_("开始日期"), widget=forms.DateInput)
    end = forms.DateField(label=_("结束日期"), required=False, widget=forms.DateInput)
    pledge = forms.CharField(label=_("承诺"), max_length=300, required=False)

    def __init__(self, *args, court, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = _people(court).filter(left_on__isnull=True)
        style_form(self)


class EvaluationForm(StyledModelForm):
    class Meta:
        model = PostEvaluation
        fields = ["year", "score_party", "score_style", "score_devotion", "comment"]

    def _post_clean(self):
        """Validated by the service (one evaluation a year: it updates the year's)."""


class SelectionForm(StyledModelForm):
    class Meta:
        model = Selection
        fields = ["title", "kind", "year", "honour_name", "honour_level", "issuer", "seats", "max_choices",
                  "electorate"]

    def _post_clean(self):
        """Validated by the service."""


class NominationForm(forms.Form):
    person = PersonChoiceField(label=_("被提名人"), queryset=None)
    nominated_by = forms.ChoiceField(label=_("提名方式"), choices=NominatedBy.choices)
    organisation: forms.ModelChoiceField = forms.ModelChoiceField(label=_("推荐支部"), queryset=None, required=False)
    reason = forms.CharField(label=_("推荐理由"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, court, **kwargs):
        super().__init__(*args, **kwargs)
        from tianping.party.models import PartyOrganisation

        self.fields["person"].queryset = _people(court).filter(left_on__isnull=True)
        self.fields["organisation"].queryset = PartyOrganisation.objects.filter(court=court, active=True)
        style_form(self)


class ShortlistForm(forms.Form):
    nominations = forms.TypedMultipleChoiceField(label=_("候选人名单"), coerce=int, required=False,
                                                 widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, selection, **kwargs):
        super().__init__(*args, **kwargs)
        rows = selection.nominations.select_related("person")
        self.fields["nominations"].choices = [(n.pk, n.person.name) for n in rows]
        self.fields["nominations"].initial = [n.pk for n in rows if n.shortlisted]


class BallotForm(forms.Form):
    choices = forms.TypedMultipleChoiceField(label=_("我同意的候选人"), coerce=int, required=False,
                                             widget=forms.CheckboxSelectMultiple)
    abstain = forms.BooleanField(label=_("弃权（不选任何人）"), required=False)

    def __init__(self, *args, selection, **kwargs):
        super().__init__(*args, **kwargs)
        rows = selection.nominations.filter(shortlisted=True).select_related("person", "person__department")
        self.fields["choices"].choices = [
            (n.pk, f"{n.person.name}（{n.person.department.name if n.person.department else ''}）") for n in rows]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("abstain") and cleaned.get("choices"):
            self.add_error("abstain", _("选择了候选人就不能同时弃权。"))
        return cleaned


class PublicityForm(forms.Form):
    start = forms.DateField(label=_("公示开始"), widget=forms.DateInput)
    working_days = forms.IntegerField(label=_("公示工作日数"), min_value=1, max_value=30, initial=5)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["start"].initial = timezone.localdate()
        style_form(self)


class ObjectionForm(forms.Form):
    nomination: forms.ModelChoiceField = forms.ModelChoiceField(label=_("针对"), queryset=None, required=False)
    received_on = forms.DateField(label=_("收到日期"), widget=forms.DateInput, validators=[validate_not_future])
    content = forms.CharField(label=_("异议内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, selection, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nomination"].queryset = selection.nominations.filter(shortlisted=True).select_related("person")
        self.fields["nomination"].label_from_instance = lambda n: n.person.name
        self.fields["received_on"].initial = timezone.localdate()
        style_form(self)


class ObjectionResolveForm(forms.Form):
    handling = forms.CharField(label=_("处理情况"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    upheld = forms.BooleanField(label=_("异议成立（该人不予授予）"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)


class LobbyForm(forms.Form):
    name = forms.CharField(label=_("名称"), max_length=60, initial=_("诉讼服务中心大厅"))
    seconds_per_slide = forms.IntegerField(label=_("每页停留秒数"), min_value=5, max_value=120, initial=12)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)


class VenueForm(StyledModelForm):
    class Meta:
        model = Venue
        fields = ["name", "kind", "location", "capacity", "description", "bookable"]

    def _post_clean(self):
        """Validated by the service."""


class BookingForm(forms.Form):
    meeting: forms.ModelChoiceField = forms.ModelChoiceField(label=_("会议活动"), queryset=None, required=False,
                                     help_text=_("选择会议则按会议的日期和时间预约，并把会议地点设为本场所"))
    day = forms.DateField(label=_("日期"), required=False, widget=forms.DateInput)
    start_time = forms.TimeField(label=_("开始时间"), required=False,
                                 widget=forms.TimeInput(attrs={"type": "time"}))
    end_time = forms.TimeField(label=_("结束时间"), required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    purpose = forms.CharField(label=_("用途"), max_length=100, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        from tianping.partylife.models import Meeting

        today = timezone.localdate()
        self.fields["meeting"].queryset = (Meeting.objects.visible_to(user, "change")
                                           .filter(date__gte=today).select_related("meeting_type")
                                           .order_by("date", "start_time"))
        style_form(self)

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("meeting"):
            for name in ("day", "start_time", "end_time", "purpose"):
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, _("不选会议时必填。"))
        return cleaned


class ArticleForm(StyledModelForm):
    class Meta:
        model = Article
        fields = ["title", "category", "author", "assigned", "study_hours", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 12})}

    def _post_clean(self):
        """Validated by the service."""


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("审核结果"), choices=[("publish", _("发布")), ("return", _("退回修改"))])
    note = forms.CharField(label=_("审核意见"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("附件或图片"), help_text=_("图片、PDF 或 Word/OFD，不超过 10 MB"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)

