from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tianping.core.actions import OnceFormMixin
from tianping.core.forms import PersonChoiceField, style_form
from tianping.core.validators import AmountValidator, CountValidator, validate_days, validate_not_future
from tianping.mediation.models import (
    MEDIATION_PERIOD_DAYS,
    CaseOutcome,
    Committee,
    Dispute,
    DisputeParty,
    GuidanceActivity,
    Kind,
    Mediator,
    PartyKind,
    PartyRole,
    ProvinceStatistic,
    Room,
    Route,
    Ruling,
    Site,
    Source,
    Studio,
    TrafficCalculation,
)
from tianping.mediation.selectors import saved_calculations
from tianping.org.models import Department, DepartmentType, Person, Post, Role, User


def _today():
    return timezone.localdate()


PAST = [validate_not_future]  # dates of events that have happened (issue 12)


class StyledForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self)


class DisputeForm(OnceFormMixin, forms.ModelForm):
    """登记. The one-time token (OnceFormMixin) makes a re-posted form register one dispute."""

    materials_text = forms.CharField(label=_("材料清单"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                                     help_text=_("每行一份材料，可写“名称/提交人/页数”，如：起诉状/张三/3"))

    class Meta:
        model = Dispute
        fields = ["registered_on", "intake_department", "source", "cause", "amount", "summary",
                  "consent_to_mediation"]
        widgets = {"registered_on": forms.DateInput, "summary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, court=None, station=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["registered_on"].initial = _today()
        self.fields["intake_department"].queryset = Department.objects.filter(
            court=court, mediation_site__active=True)  # the tribunals with a service station
        self.fields["intake_department"].empty_label = _("诉讼服务中心")
        # a committee's agreement is registered on its own page (CommitteeAgreementForm), with the committee
        self.fields["source"].choices = [c for c in self.fields["source"].choices if c[0] != Source.COMMITTEE]
        if station is not None:  # a station's desk registers at its own station only
            self.fields["intake_department"].queryset = Department.objects.filter(pk=station)
            self.fields["intake_department"].empty_label = None
            self.fields["intake_department"].initial = station
        style_form(self)

    def clean_materials_text(self):
        out = []
        for i, line in enumerate(self.cleaned_data.get("materials_text", "").splitlines(), start=1):
            line = line.strip()
            if not line:
                continue
            parts = [p.strip() for p in line.split("/")]
            pages = None
            if len(parts) > 2 and parts[2]:
                if not parts[2].isdigit():
                    raise forms.ValidationError(_("第 %(i)d 行的页数“%(p)s”应为整数。") % {"i": i, "p": parts[2]})
                pages = int(parts[2])
            out.append({"title": parts[0][:100], "submitted_by": (parts[1] if len(parts) > 1 else "")[:100],
                        "pages": pages})
        return out


class PartyForm(forms.ModelForm):
    class Meta:
        model = DisputeParty
        fields = ["role", "kind", "name", "id_number", "credit_code", "representative", "phone", "address",
                  "agent_name", "agent_phone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_form(self, small=True)
        for f in self.fields.values():
            f.required = False

    def clean(self):
        data = super().clean()
        if self.has_changed() and not data.get("name"):
            self.add_error("name", _("请填写当事人姓名或名称。"))
        if self.has_changed() and not data.get("role"):
            self.add_error("role", _("请选择当事人地位。"))
        return data

    def _post_clean(self):
        # the model's validation (ID number / credit code) runs when the row is filled in
        if self.has_changed():
            self.instance.kind = self.cleaned_data.get("kind") or PartyKind.PERSON
            super()._post_clean()


PartyFormSet = forms.formset_factory(PartyForm, extra=0, min_num=2, max_num=20, validate_min=False)


def party_formset(data=None):
    initial = [{"role": PartyRole.APPLICANT, "kind": PartyKind.PERSON},
               {"role": PartyRole.RESPONDENT, "kind": PartyKind.PERSON},
               {"role": PartyRole.RESPONDENT, "kind": PartyKind.ORGANISATION}]
    fs = PartyFormSet(data, prefix="party", initial=initial)
    return fs


class TriageForm(StyledForm):
    route = forms.ChoiceField(label=_("分流方式"), choices=Route.choices, widget=forms.RadioSelect)
    reason = forms.CharField(label=_("分流理由"), max_length=200)
    triaged_on = forms.DateField(label=_("分流日期"), initial=_today, widget=forms.DateInput, validators=PAST)
    room = forms.ChoiceField(label=_("调解室"), choices=[("", "—"), *Room.choices], required=False)
    mediator = forms.ModelChoiceField(label=_("调解员"), queryset=Mediator.objects.none(), required=False)
    studio = forms.ModelChoiceField(label=_("法官工作室"), queryset=Studio.objects.none(), required=False)

    def __init__(self, *args, dispute=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mediator"].queryset = Mediator.objects.filter(court=dispute.court, active=True)
        self.fields["studio"].queryset = Studio.objects.filter(court=dispute.court, active=True)
        self.fields["route"].widget.attrs["class"] = ""


class ReassignForm(StyledForm):
    room = forms.ChoiceField(label=_("调解室"), choices=Room.choices)
    mediator = forms.ModelChoiceField(label=_("调解员"), queryset=Mediator.objects.none(), required=False)
    studio = forms.ModelChoiceField(label=_("法官工作室"), queryset=Studio.objects.none(), required=False)
    reason = forms.CharField(label=_("理由"), max_length=200)

    def __init__(self, *args, dispute=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mediator"].queryset = Mediator.objects.filter(court=dispute.court, active=True)
        self.fields["studio"].queryset = Studio.objects.filter(court=dispute.court, active=True)


class AcceptForm(StyledForm):
    accepted_on = forms.DateField(label=_("受理调解日期"), initial=_today, widget=forms.DateInput, validators=PAST)


class SessionForm(StyledForm):
    held_on = forms.DateField(label=_("调解日期"), initial=_today, widget=forms.DateInput, validators=PAST)
    online = forms.BooleanField(label=_("线上调解"), required=False)
    place = forms.CharField(label=_("地点"), max_length=100, required=False)
    attendees = forms.CharField(label=_("参加人员"), max_length=300)
    notes = forms.CharField(label=_("调解情况"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, dispute=None, **kwargs):
        super().__init__(*args, **kwargs)
        if dispute is not None and not self.is_bound:
            self.fields["attendees"].initial = "、".join(p.name for p in dispute.parties.all())


class ExtendForm(StyledForm):
    days = forms.IntegerField(label=_("延长天数"), min_value=1, max_value=180, initial=15)
    reason = forms.CharField(label=_("延长理由"), max_length=200)
    granted_on = forms.DateField(label=_("延长日期"), initial=_today, widget=forms.DateInput, validators=PAST)

    def __init__(self, *args, dispute=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.party_fields = []
        for p in dispute.parties.all():
            name = f"consent_{p.pk}"
            self.fields[name] = forms.DateField(
                label=_("%(role)s %(name)s 同意日期") % {"role": p.get_role_display(), "name": p.name},
                required=False, widget=forms.DateInput, help_text=_("未同意的留空"), validators=PAST)
            self.party_fields.append((p, name))
        style_form(self)

    def consents(self) -> dict:
        return {p.pk: self.cleaned_data.get(name) for p, name in self.party_fields}


class AgreementForm(StyledForm):
    agreed_on = forms.DateField(label=_("协议达成日期"), initial=_today, widget=forms.DateInput, validators=PAST)
    effective_on = forms.DateField(label=_("协议生效日期"), required=False, widget=forms.DateInput,
                                   help_text=_("留空表示签字即生效"))
    amount = forms.DecimalField(label=_("协议金额（元）"), required=False, min_value=Decimal("0"), decimal_places=2)
    performance_deadline = forms.DateField(label=_("履行期限"), required=False, widget=forms.DateInput)
    terms = forms.CharField(label=_("协议内容"), widget=forms.Textarea(attrs={"rows": 5}))
    case_outcome = forms.ChoiceField(label=_("案件结案方式"), choices=[("", "—"), *CaseOutcome.choices],
                                     required=False, help_text=_("委托调解达成协议后，案件以调解结案或撤诉结案"))

    def __init__(self, *args, dispute=None, **kwargs):
        super().__init__(*args, **kwargs)
        if dispute is None or dispute.kind != Kind.ENTRUSTED:  # only an entrusted mediation closes a case
            self.fields["case_outcome"].widget = forms.HiddenInput()


class EntrustForm(StyledForm):
    """诉中委托调解: the judge of a filed case entrusts mediation to a mediator or a studio, with a deadline."""

    entrusted_on = forms.DateField(label=_("委托日期"), initial=_today, widget=forms.DateInput, validators=PAST)
    deadline_on = forms.DateField(label=_("调解期限届满日"), widget=forms.DateInput)
    room = forms.ChoiceField(label=_("委托给"), choices=Room.choices)
    mediator = forms.ModelChoiceField(label=_("调解员"), queryset=Mediator.objects.none(), required=False)
    studio = forms.ModelChoiceField(label=_("法官工作室"), queryset=Studio.objects.none(), required=False)
    reason = forms.CharField(label=_("委托说明"), max_length=200, required=False)

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deadline_on"].initial = timezone.localdate() + timedelta(days=MEDIATION_PERIOD_DAYS)
        self.fields["mediator"].queryset = Mediator.objects.filter(court_id=case.court_id, active=True)
        self.fields["studio"].queryset = Studio.objects.filter(court_id=case.court_id, active=True)


class PerformanceForm(StyledForm):
    performed_on = forms.DateField(label=_("履行完毕日期"), initial=_today, widget=forms.DateInput, validators=PAST)


class ConfirmationApplyForm(StyledForm):
    applied_on = forms.DateField(label=_("申请日期"), initial=_today, widget=forms.DateInput, validators=PAST)
    applicants = forms.ModelMultipleChoiceField(label=_("共同申请的当事人"), queryset=DisputeParty.objects.none(),
                                                widget=forms.CheckboxSelectMultiple)
    judge = PersonChoiceField(label=_("审查法官"), queryset=Person.objects.none(), required=False,
                              help_text=_("民特案件的承办人；留空则由司法确认室法官审查"))

    def __init__(self, *args, dispute=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["judge"].queryset = Person.objects.filter(court_id=dispute.court_id, is_quota_judge=True,
                                                              left_on__isnull=True).order_by("name")
        qs = dispute.parties.all()
        self.fields["applicants"].queryset = qs
        self.fields["applicants"].initial = list(qs)
        self.fields["applicants"].widget.attrs["class"] = ""
        self.fields["applicants"].required = False


class RulingForm(StyledForm):
    ruling = forms.ChoiceField(label=_("裁定结果"), choices=Ruling.choices, widget=forms.RadioSelect)
    ruled_on = forms.DateField(label=_("裁定日期"), initial=_today, widget=forms.DateInput, validators=PAST)
    reason = forms.CharField(label=_("理由"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("驳回申请须写明理由"))
    clerk = PersonChoiceField(label=_("书记员"), queryset=Person.objects.none(), required=False,
                              help_text=_("裁定书上署名；留空则裁定书留出书记员署名处"))

    def __init__(self, *args, dispute=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ruling"].widget.attrs["class"] = ""
        if dispute is not None:
            people = Person.objects.filter(court_id=dispute.court_id, left_on__isnull=True)
            self.fields["clerk"].queryset = people.filter(post=Post.CLERK).order_by("name") \
                if people.filter(post=Post.CLERK).exists() else people.order_by("name")


class EndForm(StyledForm):
    ended_on = forms.DateField(label=_("日期"), initial=_today, widget=forms.DateInput, validators=PAST)
    reason = forms.CharField(label=_("原因"), widget=forms.Textarea(attrs={"rows": 3}))


class TransferForm(StyledForm):
    filed_on = forms.DateField(label=_("立案日期"), initial=_today, widget=forms.DateInput, validators=PAST)
    department = forms.ModelChoiceField(label=_("承办部门"), queryset=Department.objects.none(), required=False)
    judge = forms.ModelChoiceField(label=_("承办人"), queryset=Person.objects.none(), required=False)

    def __init__(self, *args, dispute=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(
            court=dispute.court, active=True, type__in=[DepartmentType.TRIAL, DepartmentType.TRIBUNAL])
        self.fields["judge"].queryset = Person.objects.filter(court=dispute.court, is_quota_judge=True,
                                                              left_on__isnull=True)


class MaterialForm(StyledForm):
    title = forms.CharField(label=_("材料名称"), max_length=100,
                            widget=forms.TextInput(attrs={"placeholder": _("材料名称，如 起诉状")}))
    submitted_by = forms.CharField(label=_("提交人"), max_length=100, required=False,
                                   widget=forms.TextInput(attrs={"placeholder": _("提交人")}))
    pages = forms.IntegerField(label=_("页数"), min_value=1, required=False)
    file = forms.FileField(label=_("文件"), required=False)


class MediatorForm(forms.ModelForm):
    class Meta:
        model = Mediator
        fields = ["name", "kind", "organisation", "speciality", "phone", "user", "site", "active"]

    def __init__(self, *args, court=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.court = court
        self.fields["site"].queryset = Site.objects.filter(court=court, active=True)
        self.fields["user"].queryset = User.objects.filter(court=court, role_grants__role=Role.MEDIATOR).distinct()
        style_form(self)


class StudioForm(forms.ModelForm):
    class Meta:
        model = Studio
        fields = ["name", "judge", "speciality", "is_traffic", "site", "active"]

    def __init__(self, *args, court=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.court = court
        self.fields["site"].queryset = Site.objects.filter(court=court, active=True)
        self.fields["judge"].queryset = Person.objects.filter(court=court, is_quota_judge=True, left_on__isnull=True)
        style_form(self)


def disability_grades() -> list[tuple[str, str]]:
    """The grades with their coefficients, in the language of the request (built per form, not at import)."""
    from django.utils.translation import gettext

    return [("0", gettext("无伤残"))] + [(f"{(11 - g) / 10:.1f}", gettext("%(g)d级（%(c)d%%）") % {
        "g": g, "c": (11 - g) * 10}) for g in range(10, 0, -1)]


# Limits of the calculator's inputs (issue 12: 100,000 days of lost work went through); each message states
# the limit. Ten years of days; a day's income or standard up to 100,000 yuan; one item up to 10 million,
# a loss or an insurance limit up to 100 million yuan.
DAILY = AmountValidator(100_000)
ITEM = AmountValidator(10_000_000)
TOTAL = AmountValidator(100_000_000)
NURSES = CountValidator(10, min_value=1, unit=_("人"))
MAX_DEPENDANTS, MAX_SUPPORTERS, MAX_AGE = 20, 20, 120


class CalculatorForm(StyledForm):
    province = forms.ChoiceField(label=_("统计数据省份"), choices=[])
    year = forms.IntegerField(label=_("统计年度"), min_value=1990, max_value=2999)
    rural = forms.BooleanField(label=_("按农村居民标准"), required=False,
                               help_text=_("山东等省已统一按城镇居民标准计算，勾选则按农村居民标准"))
    accident_on = forms.DateField(label=_("事故日期"), widget=forms.DateInput, validators=PAST)
    victim_age = forms.IntegerField(label=_("受害人年龄（定残或死亡时）"), min_value=0, max_value=120)
    medical = forms.DecimalField(label=_("医疗费"), min_value=0, decimal_places=2, initial=0, validators=[ITEM])
    lost_days = forms.IntegerField(label=_("误工天数"), min_value=0, initial=0, validators=[validate_days])
    daily_income = forms.DecimalField(label=_("误工日收入"), min_value=0, decimal_places=2, required=False,
                                      validators=[DAILY],
                                      help_text=_("留空按职工平均工资 ÷ 365 计算"))
    nursing_days = forms.IntegerField(label=_("护理天数"), min_value=0, initial=0, validators=[validate_days])
    nurses = forms.IntegerField(label=_("护理人数"), initial=1, validators=[NURSES])
    nursing_daily = forms.DecimalField(label=_("护理日标准"), min_value=0, decimal_places=2, required=False,
                                       validators=[DAILY],
                                       help_text=_("留空按职工平均工资 ÷ 365 计算"))
    transport = forms.DecimalField(label=_("交通费"), min_value=0, decimal_places=2, initial=0, validators=[ITEM])
    hospital_days = forms.IntegerField(label=_("住院天数"), min_value=0, initial=0, validators=[validate_days])
    hospital_food_daily = forms.DecimalField(label=_("住院伙食补助日标准"), min_value=0, decimal_places=2,
                                             required=False, validators=[DAILY], help_text=_("留空按统计数据表中的标准"))
    nutrition_days = forms.IntegerField(label=_("营养期天数"), min_value=0, initial=0, validators=[validate_days])
    nutrition_daily = forms.DecimalField(label=_("营养费日标准"), min_value=0, decimal_places=2, initial=0,
                                         validators=[DAILY])
    disability_coefficient = forms.ChoiceField(label=_("伤残等级"), choices=disability_grades, initial="0")
    custom_coefficient = forms.DecimalField(label=_("多处伤残的赔偿指数"), min_value=0, max_value=1, decimal_places=4,
                                            required=False, help_text=_("多处伤残按附加指数合计时填写，覆盖伤残等级"))
    death = forms.BooleanField(label=_("死亡"), required=False)
    dependants = forms.CharField(label=_("被扶养人"), required=False,
                                 help_text=_("每人一行：年龄/扶养人数，如 8/2；未成年人计至 18 岁，成年无劳动能力者按 20 年规则"),
                                 widget=forms.Textarea(attrs={"rows": 2}))
    mental_solace = forms.DecimalField(label=_("精神损害抚慰金"), min_value=0, decimal_places=2, initial=0,
                                       validators=[ITEM])
    property_loss = forms.DecimalField(label=_("财产损失"), min_value=0, decimal_places=2, initial=0,
                                       validators=[TOTAL])
    insured_at_fault = forms.BooleanField(label=_("被保险车辆一方有责"), required=False, initial=True)
    liability_share = forms.DecimalField(label=_("被保险车辆一方责任比例（%）"), min_value=0, max_value=100,
                                         decimal_places=2, initial=100)
    commercial_limit = forms.DecimalField(label=_("商业三者险限额"), min_value=0, decimal_places=2, initial=0,
                                          validators=[TOTAL])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        provinces = sorted(set(ProvinceStatistic.objects.values_list("province", flat=True)))
        self.fields["province"].choices = [(p, p) for p in provinces]
        latest = ProvinceStatistic.objects.order_by("-year").first()
        if latest and not self.is_bound:
            self.fields["province"].initial = latest.province
            self.fields["year"].initial = latest.year

    def clean_dependants(self):
        out = []
        for i, line in enumerate(self.cleaned_data.get("dependants", "").splitlines(), start=1):
            line = line.strip().replace("／", "/")
            if not line:
                continue
            parts = line.split("/")
            try:
                age = int(parts[0])
                supporters = int(parts[1]) if len(parts) > 1 and parts[1].strip() else 1
            except ValueError:
                raise forms.ValidationError(_("被扶养人第 %(i)d 行应写成“年龄/扶养人数”，如 8/2。") % {"i": i}) from None
            if age < 0 or supporters < 1:
                raise forms.ValidationError(_("被扶养人第 %(i)d 行：年龄不能为负，扶养人数至少为 1。") % {"i": i})
            if age > MAX_AGE or supporters > MAX_SUPPORTERS:
                raise forms.ValidationError(
                    _("被扶养人第 %(i)d 行：年龄最大 %(a)d 岁，扶养人数最多 %(s)d 人，请核对。")
                    % {"i": i, "a": MAX_AGE, "s": MAX_SUPPORTERS})
            out.append({"age": age, "supporters": supporters})
        if len(out) > MAX_DEPENDANTS:
            raise forms.ValidationError(_("被扶养人最多填写 %(n)d 人（现为 %(c)d 人），请核对。")
                                        % {"n": MAX_DEPENDANTS, "c": len(out)})
        return out

    def clean(self):
        from tianping.mediation.calculator import rural_refusal

        cleaned = super().clean()
        day = cleaned.get("accident_on")
        if day and rural_refusal(day, bool(cleaned.get("rural"))):
            self.add_error("rural", rural_refusal(day, True))
        return cleaned

    def to_inputs(self):
        from tianping.mediation.calculator import Inputs

        c = self.cleaned_data
        coefficient = c.get("custom_coefficient")
        if coefficient is None:
            coefficient = Decimal(c["disability_coefficient"])
        return Inputs(
            accident_on=c["accident_on"], victim_age=c["victim_age"], medical=c["medical"] or 0,
            lost_days=c["lost_days"] or 0, daily_income=c.get("daily_income"), nursing_days=c["nursing_days"] or 0,
            nurses=c["nurses"] or 1, nursing_daily=c.get("nursing_daily"), transport=c["transport"] or 0,
            hospital_days=c["hospital_days"] or 0, hospital_food_daily=c.get("hospital_food_daily"),
            nutrition_days=c["nutrition_days"] or 0, nutrition_daily=c["nutrition_daily"] or 0,
            disability_coefficient=coefficient, death=c["death"], dependants=c["dependants"],
            mental_solace=c["mental_solace"] or 0, property_loss=c["property_loss"] or 0,
            insured_at_fault=c["insured_at_fault"], liability_share=c["liability_share"] / 100,
            commercial_limit=c["commercial_limit"] or 0)


TITLE_MAX = 60


class StandaloneCalculatorForm(CalculatorForm):
    """The calculator on its own page: the same inputs and limits, plus a note to find the calculation later."""

    title = forms.CharField(label=_("备注"), required=False,
                            help_text=_("如当事人姓名或事故简况，便于以后附入案件时辨认"))

    field_order = ["title"]

    def clean_title(self):
        title = self.cleaned_data.get("title", "").strip()
        if len(title) > TITLE_MAX:
            raise forms.ValidationError(_("备注最多 %(n)d 个字（现为 %(c)d 个字）。") % {"n": TITLE_MAX, "c": len(title)})
        return title


class CombineCalculationsForm(StyledForm):
    """Several victims of one accident: the saved single-victim calculations to recompute together."""

    calculations = forms.ModelMultipleChoiceField(label=_("同一事故各受害人的计算"),
                                                  queryset=TrafficCalculation.objects.none(),
                                                  widget=forms.CheckboxSelectMultiple)
    combined_title = forms.CharField(label=_("备注"), required=False, max_length=TITLE_MAX)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["calculations"].queryset = saved_calculations(user).exclude(inputs__has_key="victims")
        self.fields["calculations"].label_from_instance = lambda c: _("%(t)s 损失合计 %(s)s 元（%(d)s）") % {
            "t": c.title or _("未命名"), "s": c.total, "d": c.created_at.strftime("%Y-%m-%d %H:%M")}


class AttachCalculationForm(StyledForm):
    """The dispute's calculator page: attach a calculation the user saved on the standalone page."""

    calculation = forms.ModelChoiceField(label=_("已保存的计算"), queryset=TrafficCalculation.objects.none(),
                                         empty_label=_("请选择"))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["calculation"].queryset = saved_calculations(user)
        self.fields["calculation"].label_from_instance = lambda c: _("%(t)s 损失合计 %(s)s 元（%(d)s）") % {
            "t": c.title or _("未命名"), "s": c.total, "d": timezone.localtime(c.created_at).strftime("%Y-%m-%d %H:%M")}



class CommitteeForm(forms.ModelForm):
    class Meta:
        model = Committee
        fields = ["name", "kind", "area", "director", "phone", "site", "active"]

    def __init__(self, *args, court=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.court = court
        self.fields["site"].queryset = Site.objects.filter(court=court, active=True)
        style_form(self)


class GuidanceForm(forms.ModelForm):
    """A guidance visit or a training (指导人民调解)."""

    class Meta:
        model = GuidanceActivity
        fields = ["kind", "held_on", "committees", "studio", "led_by", "topic", "participants", "notes"]
        widgets = {"held_on": forms.DateInput, "notes": forms.Textarea(attrs={"rows": 3}),
                   "committees": forms.CheckboxSelectMultiple}

    def __init__(self, *args, court=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["held_on"].initial = _today()
        self.fields["committees"].queryset = Committee.objects.filter(court=court, active=True)
        self.fields["studio"].queryset = Studio.objects.filter(court=court, active=True)
        style_form(self)


class CommitteeAgreementForm(OnceFormMixin, forms.Form):
    """A committee's agreement brought for judicial confirmation: the dispute is registered with it."""

    committee = forms.ModelChoiceField(label=_("人民调解委员会"), queryset=Committee.objects.none())
    registered_on = forms.DateField(label=_("登记日期"), widget=forms.DateInput, validators=PAST)
    cause = forms.CharField(label=_("案由"), max_length=60)
    amount = forms.DecimalField(label=_("标的额（元）"), required=False, max_digits=14, decimal_places=2,
                                min_value=Decimal("0"))
    agreed_on = forms.DateField(label=_("协议达成日期"), widget=forms.DateInput, validators=PAST)
    terms = forms.CharField(label=_("协议内容"), widget=forms.Textarea(attrs={"rows": 3}))
    agreement_amount = forms.DecimalField(label=_("协议金额（元）"), required=False, max_digits=14, decimal_places=2,
                                          min_value=Decimal("0"))

    def __init__(self, *args, court=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["registered_on"].initial = _today()
        self.fields["committee"].queryset = Committee.objects.filter(court=court, active=True)
        style_form(self)
