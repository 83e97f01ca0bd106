"""The audit log in words (issue 12): every event code written with `audit_record(event=...)` has a Chinese label
here (English through the catalogue), and objects are shown as their model's verbose name and their current
name where the object still exists.

A new event code needs a label in EVENT_LABELS: `tests/test_audit_labels.py` greps every
`audit_record(... event="...")` of the code base and fails on a code without one."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.apps import apps
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

EVENT_LABELS: dict[str, str | _StrPromise] = {
    # sign-in and sessions
    "login": _("登录"),
    "logout": _("退出登录"),
    "login.failed": _("登录失败"),
    "login.locked": _("登录失败次数过多，账号锁定"),
    "session.idle_timeout": _("长时间无操作，自动退出"),
    "session.expired": _("会话到期，自动退出"),
    "mfa.enrolled": _("绑定身份验证器"),
    "mfa.verified": _("双因素认证通过"),
    "mfa.failed": _("双因素验证码错误"),
    "mfa.code_issued": _("签发双因素绑定码"),
    "mfa.code_accepted": _("绑定码核验通过"),
    "mfa.code_failed": _("绑定码错误"),
    # accounts and security (三员)
    "user.created": _("新建账号"),
    "user.updated": _("修改账号的法院或关联人员"),
    "user.roles_changed": _("修改账号角色"),
    "user.disabled": _("停用账号"),
    "user.enabled": _("启用账号"),
    "user.unlocked": _("解锁账号"),
    "user.password_reset": _("重置密码"),
    "user.password_changed": _("修改本人密码"),
    "user.mfa_reset": _("清除双因素设备"),
    "security.policy_changed": _("修改安全策略"),
    "access.denied": _("拒绝访问"),
    "audit.purged": _("清理过期审计记录"),
    # personal data, import and export
    "personal.revealed": _("查看完整身份证号"),
    "export": _("导出"),
    "export.personal": _("导出含个人信息的表格"),
    "import.committed": _("导入数据"),
    # the integration API (tianping/api)
    "api.token_granted": _("签发接口令牌"),
    "api.token_revoked": _("吊销接口令牌"),
    "api.called": _("接口调用"),
    "api.refused": _("接口调用被拒绝"),
    # annual report, honours, integrity, dispute centre
    "annual.template_saved": _("保存年度报告模板"),
    "leader_assessment.created": _("填写五型五力自评"),
    "leader_assessment.updated": _("修改五型五力自评"),
    "leader_assessment.submitted": _("提交五型五力自评"),
    "leader_assessment.reviewed": _("评议五型五力自评"),
    "leader_assessment.returned": _("退回五型五力自评"),
    "leadership_study.created": _("填写领导班子学习教育总结"),
    "leadership_study.updated": _("修改领导班子学习教育总结"),
    "leadership_study.attached": _("学习教育总结添加附件"),
    "honours.article.attached": _("专栏文章添加附件"),
    "honours.article.created": _("新建专栏文章"),
    "honours.article.studied": _("阅读指定学习文章"),
    "honours.article.submitted": _("专栏文章提交审核"),
    "honours.article.updated": _("修改专栏文章"),
    "honours.honour.deleted": _("删除表彰记录"),
    "honours.honour.recorded": _("登记表彰"),
    "honours.honour.updated": _("修改表彰记录"),
    "honours.lobby.created": _("创建大厅展示屏链接"),
    "honours.lobby.revoked": _("吊销大厅展示屏链接"),
    "honours.post.created": _("设立党员先锋岗"),
    "honours.post.evaluated": _("先锋岗三比三创评议"),
    "honours.post.holder_added": _("先锋岗增加上岗党员"),
    "honours.post.holder_updated": _("修改先锋岗上岗党员"),
    "honours.post.updated": _("修改党员先锋岗"),
    "honours.selection.counted": _("评选计票"),
    "honours.selection.created": _("发起评选"),
    "honours.selection.finalised": _("评选结果确定"),
    "honours.selection.nominated": _("评选提名"),
    "honours.selection.objection": _("公示期异议"),
    "honours.selection.objection_resolved": _("处理公示异议"),
    "honours.selection.publicity_started": _("评选结果公示"),
    "honours.selection.shortlisted": _("确定候选人名单"),
    "honours.selection.voted": _("已投票"),
    "honours.selection.voting_closed": _("投票结束"),
    "honours.selection.voting_opened": _("开始投票"),
    "honours.venue.booked": _("预约活动场所"),
    "honours.venue.booking_cancelled": _("取消场所预约"),
    "honours.venue.created": _("新增活动场所"),
    "honours.venue.updated": _("修改活动场所"),
    "family_contact.deleted": _("删除家属联系人"),
    "interference.recorded": _("登记过问干预案件"),
    "judge_letter.handed_over": _("法官寄语送达"),
    "judge_letter.issued": _("发放法官寄语"),
    "judge_letter.issued_missing": _("补发法官寄语"),
    "measure.attached": _("廉政措施添加附件"),
    "measure.discipline_read": _("查阅惩戒记录"),
    "monthly_report.filed": _("填报三个规定月报"),
    "case.mediation_entrusted": _("委托诉中调解"),
    "case.mediation_returned": _("委托调解退回承办法官"),
    "dispute.confirmation_case_filed": _("司法确认立案"),
    "dispute.entrusted": _("受托调解登记"),
    "site.created": _("新增诉讼服务站点"),
    "committee.created": _("新增人民调解委员会"),
    "committee.updated": _("修改人民调解委员会"),
    "dispute.committee_agreement": _("登记人民调解协议（申请司法确认）"),
    "guidance.recorded": _("登记人民调解指导（走访、培训）"),
    "case.closed": _("案件结案"),
    "court.imported": _("导入法院"),
    "department.imported": _("导入部门"),
    "person.imported": _("导入人员"),
    "statistic.imported": _("导入省份年度统计数据"),
    "statistic.created": _("新增省份年度统计数据"),
    "statistic.updated": _("修改省份年度统计数据"),
    # courts and people
    "court.created": _("新建法院"),
    "department.created": _("新建部门"),
    "person.created": _("新建人员"),
    "person.updated": _("修改人员信息"),
    # party
    "party.organisation.created": _("新建党组织"),
    "party.committee.created": _("新增委员会成员"),
    "party.member.created": _("新增党员"),
    "party.member.status": _("变更党籍状态"),
    "party.member.branch": _("变更所在支部"),
    "party.member.dues_category": _("变更党费类别"),
    "party.member.transfer_in": _("组织关系转入"),
    "party.member.transfer_out": _("组织关系转出"),
    "party.dues.base": _("修改党费工资基数"),
    "party.dues.payment": _("登记党费缴纳"),
    "party.dues.reduction": _("党费减免"),
    "party.points.award": _("记积分"),
    "party.points.adjust": _("调整积分"),
    "party.points.reverse": _("撤销积分"),
    "party.brand_picture.added": _("上传品牌图片"),
    "party.brand_picture.deleted": _("删除品牌图片"),
    # organisational life
    "meeting.created": _("新建会议"),
    "meeting.updated": _("修改会议"),
    "meeting.deleted": _("删除会议"),
    "meeting.signed_in": _("会议签到"),
    "meeting.signin_code_regenerated": _("更换签到码"),
    "meeting.signin_secret_created": _("生成会议签到密钥"),
    "meeting.attendance_recorded": _("登记出勤"),
    "meeting.attendance_corrected": _("更正出勤"),
    "meeting.expected_refreshed": _("更新应到人员"),
    "meeting.speakers": _("修改主讲人"),
    "meeting.task_added": _("新增会议待办"),
    "meeting.task_done": _("完成会议待办"),
    "meeting.attachment_added": _("上传会议附件"),
    "meeting.attachment_deleted": _("删除会议附件"),
    "partylife.campaign_created": _("新建专题活动"),
    "partylife.dutyrule.updated": _("修改组织生活规则"),
    "partylife.feed_created": _("创建日历订阅"),
    "partylife.feed_regenerated": _("更换日历订阅地址"),
    # trials
    "case.created": _("新建案件"),
    "case.deleted": _("删除案件（更正错录）"),
    "case.registered": _("立案登记"),
    "case_number.allocated": _("分配案号"),
    "case_type.created": _("新建案由类型"),
    "trial_settings.updated": _("修改审判质效设置"),
    "trials.membership_refreshed": _("刷新干警党员身份数据"),
    # pre-litigation mediation
    "dispute.registered": _("登记纠纷"),
    "dispute.triaged": _("分流纠纷"),
    "dispute.accepted": _("受理调解"),
    "dispute.reassigned": _("改派调解员"),
    "dispute.session_recorded": _("记录调解过程"),
    "dispute.extended": _("延长调解期限"),
    "dispute.agreed": _("调解成功"),
    "dispute.failed": _("调解不成"),
    "dispute.withdrawn": _("撤回调解申请"),
    "dispute.filed": _("转立案"),
    "dispute.confirmation_applied": _("申请司法确认"),
    "dispute.ruled": _("司法确认裁定"),
    "dispute.performed": _("登记履行情况"),
    "dispute.document": _("生成文书"),
    "dispute.material_added": _("上传材料"),
    "dispute.material_downloaded": _("下载材料"),
    "dispute.calculation_attached": _("附上赔偿计算"),
    "calculation.saved": _("保存赔偿计算（未附入案件）"),
    "mediator.created": _("新增调解员"),
    "studio.created": _("新建调解工作室"),
    # service to the public (司法为民)
    "service.settings": _("修改司法为民设置"),
    "service.sample.drawn": _("抽取回访案件"),
    "service.assignment.assigned": _("更换回访人"),
    "service.revisit.recorded": _("登记案件回访"),
    "service.revisit.updated": _("修改案件回访"),
    "service.follow_up.opened": _("生成回访问题整改任务"),
    "service.follow_up.closed": _("办结回访问题"),
    "service.place.saved": _("保存巡回审判地点"),
    "service.circuit.recorded": _("登记巡回审判"),
    "service.circuit.updated": _("修改巡回审判"),
    "service.outreach.recorded": _("登记法官六进与法制宣传活动"),
    "service.outreach.updated": _("修改法官六进与法制宣传活动"),
    "service.partnership.saved": _("保存双包双联结对"),
    "service.visit.recorded": _("登记双包双联走访"),
    "service.visit.updated": _("修改双包双联走访"),
    "service.complaint.registered": _("登记作风投诉"),
    "service.complaint.assigned": _("交办作风投诉"),
    "service.complaint.answered": _("答复作风投诉"),
    "service.complaint.closed": _("办结作风投诉"),
}

# Events whose code carries a value: (pattern, label with %(x)s filled from the match or a lookup).
# context "audit event": the prefix of an event's label ("Changed: …"), not the 修改 of a button
_ACTIONS = {"created": pgettext_lazy("audit event", "新建"), "updated": pgettext_lazy("audit event", "修改"),
            "deleted": pgettext_lazy("audit event", "删除")}


def _party_step(m: re.Match) -> str | None:
    try:
        field = apps.get_model("party", "MemberStep")._meta.get_field("step")
    except LookupError:  # the party app is not installed
        return None
    label = dict(field.flatchoices).get(m.group(1))
    if not label:
        return None
    word = _("党员发展")
    return f"{word}：{label}"


def _setting_row(m: re.Match) -> str | None:
    try:
        model = apps.get_model(m.group(1), m.group(2))
    except LookupError:
        return None
    return f"{_ACTIONS[m.group(3)]}{model._meta.verbose_name}"


PATTERNS = [
    (re.compile(r"^party\.member\.(\w+)$"), _party_step),
    (re.compile(r"^(partylife)\.(\w+)\.(created|updated|deleted)$"), _setting_row),
]

# Groups of the event filter (by the code's first part).
GROUPS = [
    (("login", "logout", "session", "mfa"), _("登录与认证")),
    (("user", "security", "access", "audit", "api"), _("账号与安全")),
    (("personal", "export", "import"), _("个人信息与导入导出")),
    (("court", "department", "person"), _("法院与人员")),
    (("party",), _("党组织与党员")),
    (("meeting", "partylife"), _("组织生活")),
    (("case", "case_number", "case_type", "trial_settings", "trials"), _("审判")),
    (("dispute", "mediator", "studio"), _("诉前调解")),
    (("service",), _("司法为民")),
]


def event_label(code: str) -> str:
    """"mfa.verified" → "双因素认证通过"; an unknown code is shown as it is."""
    label = EVENT_LABELS.get(code)
    if label is not None:
        return str(label)
    for pattern, resolve in PATTERNS:
        m = pattern.match(code or "")
        if m:
            found = resolve(m)
            if found:
                return found
    return code


def event_choices(extra_codes: Iterable[str] = ()) -> list:
    """Grouped choices for the event filter: every labelled event, and any other code found in the trail."""
    codes = set(EVENT_LABELS) | {c for c in extra_codes if c}
    grouped: dict[str, list] = defaultdict(list)
    other = str(_("其他"))
    for code in codes:
        head = code.split(".", 1)[0]
        group = next((str(label) for heads, label in GROUPS if head in heads), other)
        grouped[group].append((code, event_label(code)))
    order = [str(label) for _h, label in GROUPS] + [other]
    return [(g, sorted(grouped[g], key=lambda c: c[1])) for g in order if grouped.get(g)]


def _model(object_type: str):
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def object_type_label(object_type: str) -> str:
    """"org.user" → "用户" (the model's verbose name)."""
    model = _model(object_type) if object_type else None
    return str(model._meta.verbose_name) if model is not None else object_type


def field_label(object_type: str, field: str) -> str:
    model = _model(object_type) if object_type else None
    if model is not None:
        from django.core.exceptions import FieldDoesNotExist

        try:
            return str(model._meta.get_field(field).verbose_name)
        except FieldDoesNotExist:  # a change key that is not a field (e.g. "roles")
            return str(FIELD_LABELS.get(field, field))
    return str(FIELD_LABELS.get(field, field))


FIELD_LABELS = {"roles": _("角色"), "is_active": _("启用"), "username": _("用户名"), "date": _("日期"),
                "months": _("月数"), "speakers": _("主讲人")}


def describe_objects(entries: Iterable) -> dict[int, str]:
    """entry.pk → "用户 zhangsan": verbose name and the object's current name where it still exists (masked),
    else the name stored in the entry. One query per object type."""
    from tianping.core.audit import mask_text

    entries = [e for e in entries if e.object_type]
    wanted: dict[str, set[str]] = defaultdict(set)
    for e in entries:
        if e.object_id:
            wanted[e.object_type].add(e.object_id)
    current: dict[tuple[str, str], str] = {}
    for object_type, ids in wanted.items():
        model = _model(object_type)
        if model is None:
            continue
        from django.core.exceptions import ValidationError

        try:
            found = list(model._default_manager.filter(pk__in=list(ids)))
        except (ValueError, TypeError, ValidationError):  # ids that are no valid key: show the stored names
            continue
        current.update({(object_type, str(o.pk)): str(o) for o in found})
    out = {}
    for e in entries:
        name = current.get((e.object_type, e.object_id)) or e.object_repr or f"#{e.object_id}"
        out[e.pk] = f"{object_type_label(e.object_type)} {mask_text(name)}".strip()
    return out
