"""Forms of the service pages: each validates input and hands it to a service (tianping.service.services)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tianping.core.actions import OnceFormMixin
from tianping.core.forms import PersonChoiceField, PersonMultipleChoiceField, style_form
from tianping.core.validators import validate_not_future
from tianping.org.models import Department, Person
from tianping.service.models import (
    CircuitForm,
    CircuitPlace,
    ComplaintCategory,
    ComplaintChannel,
    OutreachKind,
    PartnerKind,
    Partnership,
    PlaceKind,
    Rating,
    Relation,
    RevisitMethod,
    SampleMethod,
)

PAST = [validate_not_future]


def _today():
    return timezone.localdate()


def _people(court: Any):
    return Person.objects.filter(court=court, left_on__isnull=True).select_related("department").order_by("name")


def _departments(court: Any):
    return Department.objects.filter(court=court, active=True).order_by("sort_order", "name")


def _branches(court: Any):
    from tianping.party.models import PartyOrganisation

    return PartyOrganisation.objects.filter(court=court).order_by("name")


def _qs(form: forms.BaseForm, name: str, queryset: Any) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset


class StyledForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_form(self)


class CaseNumberField(forms.CharField):
    """A 案号 of the court, typed as the court writes it; the view resolves it to the case."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 60)
        kwargs.setdefault("widget", forms.TextInput(attrs={"placeholder": "(2026)鲁0403民初1234号"}))
        super().__init__(**kwargs)


def resolve_case(court: Any, number: str, *, required: bool = True) -> Any:
    from tianping.trials.models import Case

    number = (number or "").strip().replace("（", "(").replace("）", ")")
    if not number:
        if required:
            raise forms.ValidationError(_("请填写案号。"))
        return None
    case = Case.objects.filter(court=court, number=number).first()
    if case is None:
        raise forms.ValidationError(_("本院没有案号为“%(n)s”的案件，请核对。") % {"n": number[:60]})
    return case


# --- revisits ------------------------------------------------------------------------------------------
class SampleForm(OnceFormMixin, StyledForm):
    title = forms.CharField(label=_("名称"), max_length=80, initial="")
    method = forms.ChoiceField(label=_("抽取方式"), choices=SampleMethod.choices, initial=SampleMethod.RANDOM)
    closed_from = forms.DateField(label=_("结案日期自"), widget=forms.DateInput)
    closed_to = forms.DateField(label=_("结案日期至"), widget=forms.DateInput)
    judge = PersonChoiceField(label=_("承办人"), queryset=Person.objects.none(), required=False,
                              help_text=_("按承办人抽取时选择。"))
    type_code = forms.CharField(label=_("案件类型代字"), max_length=10, required=False,
                                help_text=_("按案件类型抽取时填写，如 民初、刑初。"))
    department = forms.ModelChoiceField(label=_("承办部门"), queryset=Department.objects.none(), required=False)
    size = forms.IntegerField(label=_("抽取件数"), min_value=1, max_value=2000, initial=20)
    callers = PersonMultipleChoiceField(label=_("回访人"), queryset=Person.objects.none(), required=False,
                                        help_text=_("抽中的案件依次分配给所选回访人。"))
    seed = forms.IntegerField(label=_("随机种子"), required=False, min_value=0, max_value=2**31 - 1,
                              help_text=_("留空时自动生成并记录；填写已记录的种子可重现同一抽样。"))

    def __init__(self, *args: Any, court: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = _today()
        self.fields["title"].initial = _("%(y)d年%(m)d月案件回访") % {"y": today.year, "m": today.month}
        self.fields["closed_from"].initial = today.replace(day=1, month=1)
        self.fields["closed_to"].initial = today
        _qs(self, "judge", Person.objects.filter(court=court, is_quota_judge=True).order_by("name"))
        _qs(self, "department", _departments(court))
        _qs(self, "callers", _people(court))
        style_form(self)


class RevisitForm(OnceFormMixin, StyledForm):
    revisited_on = forms.DateField(label=_("回访日期"), widget=forms.DateInput, validators=PAST)
    method = forms.ChoiceField(label=_("回访方式"), choices=RevisitMethod.choices)
    caller = PersonChoiceField(label=_("回访人"), queryset=Person.objects.none())
    contact_name = forms.CharField(label=_("被回访人"), max_length=40)
    relation = forms.ChoiceField(label=_("与案件关系"), choices=Relation.choices)
    rating = forms.TypedChoiceField(label=_("满意度"), choices=[("", _("未作评价")), *Rating.choices], coerce=int,
                                    empty_value=None, required=False)
    comments = forms.CharField(label=_("意见建议"), required=False, max_length=1000,
                               widget=forms.Textarea(attrs={"rows": 2}))
    handling = forms.CharField(label=_("处理情况"), required=False, max_length=1000,
                               widget=forms.Textarea(attrs={"rows": 2}))
    problem = forms.CharField(label=_("需要整改的问题"), required=False, max_length=1000,
                              widget=forms.Textarea(attrs={"rows": 2}),
                              help_text=_("评价为不满意或非常不满意时自动生成整改任务；其他评价下有问题需要办理的也请填写。"))
    owner = PersonChoiceField(label=_("整改责任人"), queryset=Person.objects.none(), required=False,
                              help_text=_("留空时为案件承办人。"))

    def __init__(self, *args: Any, court: Any = None, caller: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["revisited_on"].initial = _today()
        _qs(self, "caller", _people(court))
        self.fields["caller"].initial = caller
        _qs(self, "owner", _people(court))
        style_form(self)


class AssignForm(StyledForm):
    caller = PersonChoiceField(label=_("回访人"), queryset=Person.objects.none())

    def __init__(self, *args: Any, court: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _qs(self, "caller", _people(court))
        style_form(self)


class FollowUpCloseForm(StyledForm):
    answer = forms.CharField(label=_("答复情况"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
    closed_on = forms.DateField(label=_("办结日期"), widget=forms.DateInput, validators=PAST, initial=_today)


class SettingsForm(StyledForm):
    satisfied_from = forms.TypedChoiceField(label=_("计为满意的最低等级"), choices=Rating.choices, coerce=int,
                                            help_text=_("满意率 = 评价为该等级及以上的人数 ÷ 作出评价的人数。"
                                                        "通行做法为“基本满意”及以上。"))
    follow_up_days = forms.IntegerField(label=_("回访问题处理期限（天）"), min_value=1, max_value=365)
    complaint_days = forms.IntegerField(label=_("投诉答复期限（天）"), min_value=1, max_value=365)


# --- circuit trials -----------------------------------------------------------------------------------
class PlaceForm(StyledForm):
    township = forms.CharField(label=_("乡镇街道"), max_length=40)
    name = forms.CharField(label=_("地点"), max_length=80)
    kind = forms.ChoiceField(label=_("类型"), choices=PlaceKind.choices)
    active = forms.BooleanField(label=_("启用"), required=False, initial=True)


class CircuitTrialForm(OnceFormMixin, StyledForm):
    held_on = forms.DateField(label=_("日期"), widget=forms.DateInput, validators=PAST)
    form = forms.ChoiceField(label=_("形式"), choices=CircuitForm.choices)
    place = forms.ModelChoiceField(label=_("地点"), queryset=CircuitPlace.objects.none())
    department = forms.ModelChoiceField(label=_("承办部门"), queryset=Department.objects.none())
    judge = PersonChoiceField(label=_("承办人"), queryset=Person.objects.none())
    case_number = CaseNumberField(label=_("案号"), required=False)
    audience = forms.IntegerField(label=_("旁听人数"), min_value=0, max_value=100000, initial=0)
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args: Any, court: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.court = court
        self.fields["held_on"].initial = _today()
        _qs(self, "place", CircuitPlace.objects.filter(court=court, active=True))
        _qs(self, "department", _departments(court))
        _qs(self, "judge", _people(court))
        style_form(self)

    def clean_case_number(self) -> Any:
        return resolve_case(self.court, self.cleaned_data.get("case_number", ""), required=False)


# --- 法官六进 and legal publicity -----------------------------------------------------------------------
class OutreachForm(OnceFormMixin, StyledForm):
    held_on = forms.DateField(label=_("日期"), widget=forms.DateInput, validators=PAST)
    title = forms.CharField(label=_("活动名称"), max_length=100)
    kind = forms.ChoiceField(label=_("活动类型"), choices=OutreachKind.choices)
    place = forms.CharField(label=_("地点"), max_length=100)
    department = forms.ModelChoiceField(label=_("组织部门"), queryset=Department.objects.none(), required=False)
    branch = forms.ModelChoiceField(label=_("组织支部"), queryset=Department.objects.none(), required=False)
    participants = PersonMultipleChoiceField(label=_("参加人员"), queryset=Person.objects.none())
    audience = forms.IntegerField(label=_("受众人数"), min_value=0, max_value=1000000, initial=0)
    materials = forms.IntegerField(label=_("发放材料份数"), min_value=0, max_value=1000000, initial=0)

    def __init__(self, *args: Any, court: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["held_on"].initial = _today()
        _qs(self, "department", _departments(court))
        _qs(self, "branch", _branches(court))
        _qs(self, "participants", _people(court))
        style_form(self)


# --- 双包双联 ---------------------------------------------------------------------------------------------
class PartnershipForm(StyledForm):
    partner = forms.CharField(label=_("联系点"), max_length=80)
    partner_kind = forms.ChoiceField(label=_("联系点类型"), choices=PartnerKind.choices)
    branch = forms.ModelChoiceField(label=_("结对支部"), queryset=Department.objects.none(), required=False)
    leader = PersonChoiceField(label=_("结对领导"), queryset=Person.objects.none(), required=False)
    start = forms.DateField(label=_("结对起始日期"), widget=forms.DateInput)
    end = forms.DateField(label=_("结对结束日期"), widget=forms.DateInput, required=False)

    def __init__(self, *args: Any, court: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _qs(self, "branch", _branches(court))
        _qs(self, "leader", Person.objects.filter(court=court, is_leadership=True).order_by("name"))
        style_form(self)


class VisitForm(OnceFormMixin, StyledForm):
    partnership = forms.ModelChoiceField(label=_("联系点"), queryset=Partnership.objects.none())
    visited_on = forms.DateField(label=_("日期"), widget=forms.DateInput, validators=PAST)
    visitors = PersonMultipleChoiceField(label=_("走访人员"), queryset=Person.objects.none())
    matters = forms.CharField(label=_("走访事项"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
    solved = forms.CharField(label=_("解决问题"), max_length=1000, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))
    follow_up = forms.CharField(label=_("后续跟进"), max_length=200, required=False)

    def __init__(self, *args: Any, court: Any = None, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["visited_on"].initial = _today()
        _qs(self, "partnership", Partnership.objects.visible_to(user).filter(court=court))
        _qs(self, "visitors", _people(court))
        style_form(self)


# --- complaints ---------------------------------------------------------------------------------------
class ComplaintForm(OnceFormMixin, StyledForm):
    received_on = forms.DateField(label=_("收到日期"), widget=forms.DateInput, validators=PAST)
    channel = forms.ChoiceField(label=_("来源渠道"), choices=ComplaintChannel.choices)
    category = forms.ChoiceField(label=_("投诉类别"), choices=ComplaintCategory.choices)
    complainant = forms.CharField(label=_("投诉人"), max_length=40, required=False, help_text=_("匿名投诉留空。"))
    subject = PersonChoiceField(label=_("被投诉人"), queryset=Person.objects.none(), required=False,
                                help_text=_("不能确定时留空。"))
    case_number = CaseNumberField(label=_("涉及案号"), required=False)
    summary = forms.CharField(label=_("投诉内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, court: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.court = court
        self.fields["received_on"].initial = _today()
        _qs(self, "subject", _people(court))
        style_form(self)

    def clean_case_number(self) -> Any:
        return resolve_case(self.court, self.cleaned_data.get("case_number", ""), required=False)


class ComplaintAssignForm(StyledForm):
    handler = PersonChoiceField(label=_("承办人"), queryset=Person.objects.none())
    assigned_on = forms.DateField(label=_("交办日期"), widget=forms.DateInput, validators=PAST, initial=_today)

    def __init__(self, *args: Any, complaint: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _qs(self, "handler", _people(complaint.court_id if complaint else None))
        style_form(self)


class ComplaintAnswerForm(StyledForm):
    answered_on = forms.DateField(label=_("答复日期"), widget=forms.DateInput, validators=PAST, initial=_today)
    answer_method = forms.ChoiceField(label=_("答复方式"), choices=ComplaintChannel.choices)
    answer = forms.CharField(label=_("答复内容"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    substantiated = forms.NullBooleanField(label=_("是否属实"), required=False,
                                           widget=forms.Select(choices=[("unknown", _("待定")), ("true", _("属实")),
                                                                        ("false", _("不属实"))]))


class ComplaintCloseForm(StyledForm):
    closed_on = forms.DateField(label=_("办结日期"), widget=forms.DateInput, validators=PAST, initial=_today)
