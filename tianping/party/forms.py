from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tianping.core.actions import OnceFormMixin
from tianping.core.forms import StyledModelForm, style_form
from tianping.core.validators import AmountValidator, validate_not_future
from tianping.org.models import Department, Person
from tianping.party.models import (
    STAGE_ORDER,
    CommitteePost,
    DuesCategory,
    MemberStatus,
    PartyMember,
    PartyOrganisation,
    Stage,
    StepKind,
)


class MonthField(forms.DateField):
    """A month typed as YYYY-MM (or picked with <input type=month>); cleaned to the 1st of that month."""

    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    input_formats = ["%Y-%m", "%Y-%m-%d"]

    def to_python(self, value):
        day = super().to_python(value)
        return day.replace(day=1) if day else day


class PastDateField(forms.DateField):
    """The date of something that has happened: not after today."""

    default_validators = [validate_not_future]


# a monthly after-tax salary above a million yuan is a typing error (the same limit as the service's)
MAX_DUES_BASE = 1_000_000


def base_amount_field(**kwargs) -> forms.DecimalField:
    return forms.DecimalField(label=_("月工资基数（元）"), max_digits=12, decimal_places=2,
                              validators=[AmountValidator(MAX_DUES_BASE)], **kwargs)


def _dues_base_required(form, category, becomes_member: bool) -> None:
    """A salaried member who becomes a party member owes dues from that month: ask for the base."""
    if ("base_amount" in form.fields and becomes_member and category == DuesCategory.SALARIED
            and form.cleaned_data.get("base_amount") is None):
        form.add_error("base_amount", _("在职党员自接收当月起按月工资基数交纳党费，请填写月工资基数（税后固定工资）。"))


def show_when(field: forms.Field, controller: str, *values: str) -> None:
    """Show the field only while the form's `controller` field has one of `values` (static/tianping/app.js)."""
    field.widget.attrs.update({"data-show-when": controller, "data-show-value": ",".join(values)})


class OrganisationForm(StyledModelForm):
    class Meta:
        model = PartyOrganisation
        fields = ["name", "kind", "parent", "departments", "founded_on", "sort_order", "active", "brand_name",
                  "brand_description"]
        widgets = {"brand_description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, court=None, **kwargs):
        super().__init__(*args, **kwargs)
        court_id = court.pk if court else self.instance.court_id
        if "parent" in self.fields:
            self.fields["parent"].queryset = PartyOrganisation.objects.filter(court_id=court_id).exclude(
                pk=self.instance.pk)
            self.fields["departments"].queryset = Department.objects.filter(court_id=court_id, active=True)
        if court is not None and not self.instance.pk:
            self.instance.court = court


class OrganisationCreateForm(OnceFormMixin, OrganisationForm):
    """A new organisation (a double submit creates one)."""


class SecretaryOrganisationForm(OrganisationForm):
    """What a branch secretary may change on their own branch page: the brand."""

    class Meta(OrganisationForm.Meta):
        fields = ["brand_name", "brand_description"]


class BrandPictureForm(forms.Form):
    image = forms.FileField(label=_("图片"), help_text=_("JPG、PNG、GIF 或 WEBP 照片，不超过 5 MB"))
    caption = forms.CharField(label=_("图片说明"), max_length=120, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["image"].widget.attrs["accept"] = ".jpg,.jpeg,.png,.gif,.webp"
        self.fields["caption"].widget.attrs["placeholder"] = _("图片说明")
        style_form(self)


class CommitteePostForm(OnceFormMixin, StyledModelForm):
    class Meta:
        model = CommitteePost
        fields = ["role", "person", "term_start", "term_end", "ended_on"]

    def __init__(self, *args, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        court_id = organisation.court_id
        self.fields["person"].queryset = Person.objects.filter(court_id=court_id, left_on__isnull=True,
                                                               party_member__isnull=False)
        self.fields["person"].help_text = _("只能选择有党员档案的本院人员")
        self.instance.organisation = organisation
        self.instance.court_id = court_id


class MemberCreateForm(OnceFormMixin, forms.Form):
    person = forms.ModelChoiceField(label=_("人员"), queryset=Person.objects.none())
    branch = forms.ModelChoiceField(label=_("所在支部"), queryset=PartyOrganisation.objects.none())
    stage = forms.ChoiceField(label=_("阶段"), choices=Stage.choices, initial=Stage.APPLICANT)
    applied_on = PastDateField(label=_("申请入党日期"), required=False)
    activist_on = PastDateField(label=_("确定积极分子日期"), required=False)
    candidate_on = PastDateField(label=_("确定发展对象日期"), required=False)
    admitted_on = PastDateField(label=_("入党日期"), required=False)
    converted_on = PastDateField(label=_("转正日期"), required=False)
    dues_category = forms.ChoiceField(label=_("党费类别"), choices=DuesCategory.choices)
    base_amount = base_amount_field(required=False, help_text=_("预备党员、正式党员必填（在职）"))

    def __init__(self, *args, court=None, branches=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(court=court, left_on__isnull=True,
                                                               party_member__isnull=True)
        self.fields["person"].help_text = _("只列出尚无党员档案的在职人员")
        self.fields["branch"].queryset = branches
        for name, stages in self.STAGE_FIELDS.items():
            show_when(self.fields[name], "stage", *stages)
        style_form(self)

    # the fields that apply to a record opened at each stage (the others are hidden and ignored)
    STAGE_FIELDS = {
        "activist_on": STAGE_ORDER[1:], "candidate_on": STAGE_ORDER[2:], "admitted_on": STAGE_ORDER[3:],
        "converted_on": STAGE_ORDER[4:], "base_amount": STAGE_ORDER[3:],
    }

    def clean(self):
        cd = super().clean()
        stage = cd.get("stage")
        for name, stages in self.STAGE_FIELDS.items():
            if stage not in stages:
                cd[name] = None
                self.errors.pop(name, None)
        _dues_base_required(self, cd.get("dues_category"), stage in (Stage.PROBATIONARY, Stage.FULL))
        return cd




class StepForm(forms.Form):
    step = forms.ChoiceField(label=_("步骤"), choices=[])
    # not in the future either, but the service's reason comes first (e.g. 预备期未满 before "in the future")
    occurred_on = forms.DateField(label=_("日期"))
    months = forms.IntegerField(label=_("延长月数"), required=False, min_value=1, max_value=24)
    base_amount = base_amount_field(required=False, help_text=_("接收为预备党员后自当月起交纳党费"))
    evidence = forms.CharField(label=_("依据"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                               help_text=_("如：2016年5月10日支部党员大会决议，应到 12 人实到 11 人，全票通过"))
    evidence_file = forms.FileField(label=_("依据附件"), required=False)

    def __init__(self, *args, member=None, may_approve: bool = True, **kwargs):
        from tianping.party.services import DECISION_STEPS, needs_dues_base

        super().__init__(*args, **kwargs)
        self.member = member
        allowed = {
            Stage.APPLICANT: [StepKind.ACTIVIST], Stage.ACTIVIST: [StepKind.CANDIDATE],
            Stage.CANDIDATE: [StepKind.ADMITTED],
            Stage.PROBATIONARY: [StepKind.CONVERTED, StepKind.EXTENDED, StepKind.CANCELLED],
        }.get(member.stage, [])
        if not may_approve:  # decisions of the general meeting are recorded by those who may approve them
            allowed = [s for s in allowed if s not in DECISION_STEPS]
        self.fields["step"].choices = [(s.value, s.label) for s in allowed]  # type: ignore[attr-defined]
        # only the fields that apply: the months for an extension, the base for an admission without one
        if StepKind.EXTENDED not in allowed:
            del self.fields["months"]
        elif len(allowed) > 1:
            show_when(self.fields["months"], "step", StepKind.EXTENDED)
        self.needs_base = StepKind.ADMITTED in allowed and needs_dues_base(member)
        if not self.needs_base:
            del self.fields["base_amount"]
        elif len(allowed) > 1:
            show_when(self.fields["base_amount"], "step", StepKind.ADMITTED)
        style_form(self)

    def clean(self):
        cd = super().clean()
        if cd.get("step") != StepKind.EXTENDED:
            cd["months"] = None
        if cd.get("step") != StepKind.ADMITTED:
            cd["base_amount"] = None
        elif self.needs_base:
            _dues_base_required(self, self.member.dues_category, True)
        return cd


class TransferOutForm(forms.Form):
    prefix = "out"

    to_organisation = forms.CharField(label=_("接收党组织"), max_length=120)
    letter_number = forms.CharField(label=_("介绍信编号"), max_length=60)
    transferred_on = PastDateField(label=_("转出日期"))
    note = forms.CharField(label=_("备注"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)


class TransferInForm(OnceFormMixin, forms.Form):
    person = forms.ModelChoiceField(label=_("人员"), queryset=Person.objects.none())
    branch = forms.ModelChoiceField(label=_("转入支部"), queryset=PartyOrganisation.objects.none())
    from_organisation = forms.CharField(label=_("原所在党组织"), max_length=120)
    letter_number = forms.CharField(label=_("介绍信编号"), max_length=60)
    transferred_on = PastDateField(label=_("转入日期"))
    stage = forms.ChoiceField(label=_("阶段"), choices=[(Stage.FULL.value, Stage.FULL.label),
                                                      (Stage.PROBATIONARY.value, Stage.PROBATIONARY.label)])
    admitted_on = PastDateField(label=_("入党日期"))
    converted_on = PastDateField(label=_("转正日期"), required=False)
    dues_category = forms.ChoiceField(label=_("党费类别"), choices=DuesCategory.choices)
    base_amount = base_amount_field(required=False, help_text=_("在职党员必填：自转入当月起交纳党费"))
    note = forms.CharField(label=_("备注"), required=False)

    def __init__(self, *args, court=None, branches=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = Person.objects.filter(court=court, left_on__isnull=True)
        self.fields["branch"].queryset = branches
        style_form(self)

    def clean(self):
        from tianping.party.services import needs_dues_base

        cd = super().clean()
        person = cd.get("person")
        member = getattr(person, "party_member", None) if person is not None else None
        if member is None:
            _dues_base_required(self, cd.get("dues_category"), True)
        elif needs_dues_base(member):
            _dues_base_required(self, member.dues_category, True)
        return cd


class StatusForm(forms.Form):
    prefix = "status"

    status = forms.ChoiceField(label=_("状态"), choices=[
        (s.value, s.label) for s in (MemberStatus.NORMAL, MemberStatus.FLOATING, MemberStatus.RETAINED,
                                     MemberStatus.STOPPED)])
    since = PastDateField(label=_("起始日期"))
    note = forms.CharField(label=_("依据"), max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)


class BranchChangeForm(forms.Form):
    prefix = "move"

    branch = forms.ModelChoiceField(label=_("新支部"), queryset=PartyOrganisation.objects.none())
    moved_on = PastDateField(label=_("调整日期"))

    def __init__(self, *args, branches=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["branch"].queryset = branches
        style_form(self)


class DuesBaseForm(forms.Form):
    prefix = "base"

    amount = base_amount_field()
    effective_from = forms.DateField(label=_("生效日期"))
    dues_category = forms.ChoiceField(label=_("党费类别"), choices=DuesCategory.choices)
    note = forms.CharField(label=_("说明"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)


class DuesReductionForm(forms.Form):
    prefix = "cut"

    monthly_amount = forms.DecimalField(label=_("减免后每月应交（元）"), min_value=0, max_digits=8, decimal_places=2)
    start_month = MonthField(label=_("起始月份"))
    end_month = MonthField(label=_("截止月份"), required=False)
    decision = forms.CharField(label=_("支部决定"), max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)


class PointsAdjustForm(OnceFormMixin, forms.Form):
    person = forms.ModelChoiceField(label=_("人员"), queryset=Person.objects.none())
    points = forms.DecimalField(label=_("分值"), max_digits=6, decimal_places=1,
                                help_text=_("加分填正数，扣分填负数"))
    occurred_on = PastDateField(label=_("发生日期"))
    note = forms.CharField(label=_("原因"), max_length=200)

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people
        style_form(self)


class MemberEditForm(StyledModelForm):
    """Correcting a record's dates (e.g. a typo at import). Steps go through the step form."""

    class Meta:
        model = PartyMember
        fields = ["applied_on", "activist_on", "candidate_on", "admitted_on", "converted_on", "dues_category"]
