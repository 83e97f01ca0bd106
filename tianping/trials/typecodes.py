"""The annex of the case-number rules, 《人民法院案件类型及其代字标准》, as data.

Each row: the annex's class (大类), the case type's name, its type code (类型代字) and the instance mark the
figures use (first / second / retrial / retrial review / other). Several case types share one code (e.g. every
special-procedure type is 民特): the code's row keeps the first name and lists the others.

Source: the annex published with 《最高人民法院关于人民法院案件案号的若干规定》(法〔2015〕137号, in force 2016-01-01).
The official PDF was not among the texts the search tool holds; the table below was transcribed from a public
transcription of the annex (a code table with the annex's numbering 0100 … 1114) found in the code corpus, and
checked against the real case numbers in tianping/trials/tests/test_casenumbers.py. Codes the annex does not list
but courts use are marked `in_annex=False` (民诉前调: pre-litigation mediation files; the SPC notice that created
this code was not found in the search tool, so no article is cited for it).

The 2018 revision (法〔2018〕335号, 《关于修改〈关于人民法院案件案号的若干规定〉的决定》) added a special-tribunal code
(专门审判代字, one character, after the court code): `SPECIAL_TRIBUNALS`.
"""

from __future__ import annotations

from typing import NamedTuple


class Instance:
    FIRST = "first"            # 一审
    SECOND = "second"          # 二审 (appeals, against judgments or rulings)
    RETRIAL = "retrial"        # 再审
    REVIEW = "review"          # 再审审查 (申请再审、依职权、抗诉审查)
    OTHER = "other"            # 非诉、执行、司法协助 …


INSTANCE_LABELS = {Instance.FIRST: "一审", Instance.SECOND: "二审", Instance.RETRIAL: "再审",
                   Instance.REVIEW: "再审审查", Instance.OTHER: "其他"}


class TypeCode(NamedTuple):
    annex_no: str      # the annex's number of the first case type with this code, e.g. "0301"
    annex_class: str   # the annex's class (大类)
    name: str
    code: str
    category: str      # tianping.trials.models.CaseCategory value
    instance: str
    in_annex: bool = True
    note: str = ""


def _t(no: str, cls: str, name: str, code: str, category: str, instance: str = Instance.OTHER,
       note: str = "") -> TypeCode:
    return TypeCode(no, cls, name, code, category, instance, True, note)


J, CR, CV, AD, CO, RA, IA, SA, PR, EN, BK = (
    "管辖案件", "刑事案件", "民事案件", "行政案件", "国家赔偿与司法救助案件", "区际司法协助案件", "国际司法协助案件",
    "司法制裁案件", "非诉保全审查案件", "执行类案件", "强制清算与破产案件")
F, S, R, V = Instance.FIRST, Instance.SECOND, Instance.RETRIAL, Instance.REVIEW

ANNEX: tuple[TypeCode, ...] = (
    _t("0102", J, "刑事提级管辖、指定管辖案件", "刑辖", "criminal"),
    _t("0105", J, "民事提级管辖、指定管辖、移交管辖审批、管辖协商案件", "民辖", "civil"),
    _t("0109", J, "民事管辖上诉案件", "民辖终", "civil", S),
    _t("0110", J, "民事管辖监督案件", "民辖监", "civil"),
    _t("0112", J, "行政提级管辖、指定管辖案件", "行辖", "administrative"),
    _t("0114", J, "行政管辖上诉案件", "行辖终", "administrative", S),
    _t("0116", J, "行政赔偿提级管辖、指定管辖、管辖协商案件", "赔辖", "other"),
    _t("0119", J, "行政赔偿管辖上诉案件", "赔辖终", "other", S),
    _t("0201", CR, "刑事一审案件", "刑初", "criminal", F),
    _t("0202", CR, "刑事二审案件", "刑终", "criminal", S),
    _t("0204", CR, "刑事依职权再审审查案件", "刑监", "criminal", V),
    _t("0205", CR, "刑事申诉再审审查案件", "刑申", "criminal", V),
    _t("0206", CR, "刑事抗诉再审审查案件", "刑抗", "criminal", V),
    _t("0207", CR, "刑事再审案件", "刑再", "criminal", R),
    _t("0208", CR, "申请没收违法所得案件", "刑没", "criminal"),
    _t("0210", CR, "死刑复核、法定刑以下判处刑罚复核、特殊假释复核案件", "刑核", "criminal",
       note="编号为 8 位自然数，由承办法院随机确定（案号规定第十条第二款）"),
    _t("0214", CR, "申请强制医疗审查案件", "刑医", "criminal"),
    _t("0215", CR, "解除强制医疗审查案件", "刑医解", "criminal"),
    _t("0216", CR, "强制医疗复议案件", "刑医复", "criminal"),
    _t("0217", CR, "强制医疗监督案件", "刑医监", "criminal"),
    _t("0219", CR, "停止执行死刑请求审查、依职权停止执行死刑案件", "刑止", "criminal"),
    _t("0221", CR, "停止执行死刑调查案件", "刑止调", "criminal"),
    _t("0222", CR, "停止执行死刑调查审核案件", "刑止核", "criminal"),
    _t("0224", CR, "刑罚与执行变更审查案件", "刑更", "criminal"),
    _t("0225", CR, "刑罚与执行变更监督案件", "刑更监", "criminal"),
    _t("0226", CR, "刑罚与执行变更备案案件", "刑更备", "criminal"),
    _t("0227", CR, "其他刑事案件", "刑他", "criminal"),
    _t("0229", CR, "申请安置教育审查案件", "刑教", "criminal", note="后来增补的代字（安置教育）"),
    _t("0230", CR, "解除安置教育审查案件", "刑教解", "criminal", note="后来增补的代字（安置教育）"),
    _t("0231", CR, "安置教育复议案件", "刑教复", "criminal", note="后来增补的代字（安置教育）"),
    _t("0232", CR, "安置教育监督案件", "刑教监", "criminal", note="后来增补的代字（安置教育）"),
    _t("0301", CV, "民事一审案件", "民初", "civil", F),
    _t("0302", CV, "民事二审案件", "民终", "civil", S),
    _t("0304", CV, "民事依职权再审审查案件", "民监", "civil", V),
    _t("0305", CV, "民事申请再审审查案件", "民申", "civil", V),
    _t("0306", CV, "民事抗诉再审审查案件", "民抗", "civil", V),
    _t("0307", CV, "民事再审案件", "民再", "civil", R),
    _t("0308", CV, "第三人撤销之诉案件", "民撤", "civil", F),
    _t("0310", CV, "特别程序案件（选民资格、宣告失踪死亡、认定行为能力、认定财产无主、实现担保物权、"
               "调解协议司法确认、撤销仲裁裁决、确认仲裁协议效力等）", "民特", "special"),
    _t("0323", CV, "民事特别程序监督案件", "民特监", "special"),
    _t("0325", CV, "船舶优先权催告、公示催告案件", "民催", "civil"),
    _t("0328", CV, "申请支付令审查案件", "民督", "civil"),
    _t("0329", CV, "支付令监督案件", "民督监", "civil"),
    _t("0330", CV, "其他民事案件", "民他", "civil"),
    _t("0332", CV, "人身安全保护令申请审查案件", "民保令", "civil", note="后来增补的代字（反家庭暴力法）"),
    _t("0333", CV, "人身安全保护令变更案件", "民保更", "civil", note="后来增补的代字（反家庭暴力法）"),
    _t("0401", AD, "行政一审案件", "行初", "administrative", F),
    _t("0402", AD, "行政二审案件", "行终", "administrative", S),
    _t("0404", AD, "行政依职权再审审查案件", "行监", "administrative", V),
    _t("0405", AD, "行政申请再审审查案件", "行申", "administrative", V),
    _t("0406", AD, "行政抗诉再审审查案件", "行抗", "administrative", V),
    _t("0407", AD, "行政再审案件", "行再", "administrative", R),
    _t("0409", AD, "非诉行政行为申请执行审查案件", "行审", "administrative"),
    _t("0410", AD, "非诉行政行为申请执行审查复议案件", "行审复", "administrative"),
    _t("0411", AD, "其他行政案件", "行他", "administrative"),
    _t("0502", CO, "行政赔偿一审案件", "行赔初", "administrative", F),
    _t("0503", CO, "行政赔偿二审案件", "行赔终", "administrative", S),
    _t("0504", CO, "行政赔偿依职权再审审查案件", "行赔监", "administrative", V),
    _t("0505", CO, "行政赔偿申请再审审查案件", "行赔申", "administrative", V),
    _t("0506", CO, "行政赔偿抗诉再审审查案件", "行赔抗", "administrative", V),
    _t("0507", CO, "行政赔偿再审案件", "行赔再", "administrative", R),
    _t("0508", CO, "其他行政赔偿案件", "行赔他", "administrative"),
    _t("0510", CO, "法院作为赔偿义务机关自赔案件", "法赔", "other"),
    _t("0511", CO, "赔偿委员会审理赔偿案件", "委赔", "other"),
    _t("0512", CO, "司法赔偿监督审查案件", "委赔监", "other"),
    _t("0513", CO, "赔偿确认申诉审查案件", "赔确监", "other"),
    _t("0514", CO, "司法赔偿监督上级法院赔偿委员会重审案件", "委赔提", "other"),
    _t("0515", CO, "司法赔偿监督本院赔偿委员会重审案件", "委赔再", "other"),
    _t("0516", CO, "其他赔偿案件", "赔他", "other"),
    _t("0518", CO, "刑事司法救助案件", "司救刑", "other"),
    _t("0519", CO, "民事司法救助案件", "司救民", "other"),
    _t("0520", CO, "行政司法救助案件", "司救行", "other"),
    _t("0521", CO, "国家赔偿司法救助案件", "司救赔", "other"),
    _t("0522", CO, "执行司法救助案件", "司救执", "other"),
    _t("0523", CO, "涉诉信访司法救助案件", "司救访", "other"),
    _t("0524", CO, "其他司法救助案件", "司救他", "other"),
    _t("0602", RA, "认可与执行台湾地区法院裁判、仲裁裁决审查案件", "认台", "other"),
    _t("0604", RA, "认可与执行香港特别行政区法院裁判、仲裁裁决审查案件", "认港", "other"),
    _t("0606", RA, "认可与执行澳门特别行政区法院裁判、仲裁裁决审查案件", "认澳", "other"),
    _t("0608", RA, "认可与执行审查复议案件", "认复", "other"),
    _t("0609", RA, "认可与执行审查其他案件", "认他", "other"),
    _t("0611", RA, "请求台湾地区送达文书审查案件", "请台送", "other"),
    _t("0612", RA, "请求香港特别行政区法院送达文书审查案件", "请港送", "other"),
    _t("0613", RA, "请求澳门特别行政区法院送达文书审查案件", "请澳送", "other"),
    _t("0614", RA, "台湾地区请求送达文书审查、协助送达案件", "台请送", "other"),
    _t("0616", RA, "香港特别行政区法院请求送达文书审查、协助送达案件", "港请送", "other"),
    _t("0618", RA, "澳门特别行政区法院请求送达文书审查、协助送达案件", "澳请送", "other"),
    _t("0621", RA, "请求台湾地区调查取证审查案件", "请台调", "other"),
    _t("0622", RA, "请求香港特别行政区调查取证审查案件", "请港调", "other"),
    _t("0623", RA, "请求澳门特别行政区法院调查取证审查案件", "请澳调", "other"),
    _t("0624", RA, "台湾地区请求调查取证审查、协助调查取证案件", "台请调", "other"),
    _t("0626", RA, "香港特别行政区请求调查取证审查、协助调查取证案件", "港请调", "other"),
    _t("0628", RA, "澳门特别行政区法院请求调查取证审查、协助调查取证案件", "澳请调", "other"),
    _t("0631", RA, "接收在台湾地区被判刑人案件", "请移管", "other"),
    _t("0632", RA, "向台湾地区移管被判刑人案件", "助移管", "other"),
    _t("0634", RA, "接收台湾地区移交罪赃案件", "请移赃", "other"),
    _t("0635", RA, "向台湾地区移交罪赃案件", "助移赃", "other"),
    _t("0702", IA, "承认与执行外国法院裁判、国外仲裁裁决审查案件", "协外认", "other"),
    _t("0704", IA, "承认与执行审查其他案件", "协他", "other"),
    _t("0706", IA, "外国法院请求送达文书审查、送达外国法院文书案件", "协外送", "other"),
    _t("0708", IA, "请求外国法院送达文书审查案件", "请外送", "other"),
    _t("0710", IA, "外国法院请求调查取证审查、实施案件", "协外调", "other"),
    _t("0712", IA, "请求外国法院调查取证审查案件", "请外调", "other"),
    _t("0714", IA, "接收在外国被判刑人案件", "请外移", "other"),
    _t("0715", IA, "向外国移管被判刑人案件", "协外移", "other"),
    _t("0717", IA, "请求外国引渡案件", "请外引", "other"),
    _t("0718", IA, "协助外国引渡案件", "协外引", "other"),
    _t("0802", SA, "司法拘留、司法罚款案件", "司惩", "other"),
    _t("0804", SA, "司法制裁复议案件", "司惩复", "other"),
    _t("0901", PR, "非诉财产保全审查案件", "财保", "other"),
    _t("0902", PR, "非诉行为保全审查案件", "行保", "other"),
    _t("0903", PR, "非诉行为保全复议案件", "行保复", "other"),
    _t("0904", PR, "非诉证据保全审查案件", "证保", "other"),
    _t("1002", EN, "首次执行案件", "执", "enforcement"),
    _t("1003", EN, "恢复执行案件", "执恢", "enforcement"),
    _t("1004", EN, "财产保全执行案件", "执保", "enforcement"),
    _t("1006", EN, "执行异议案件", "执异", "enforcement"),
    _t("1007", EN, "执行复议案件", "执复", "enforcement"),
    _t("1008", EN, "执行监督案件", "执监", "enforcement"),
    _t("1009", EN, "执行协调案件", "执协", "enforcement"),
    _t("1010", EN, "其他执行案件", "执他", "enforcement"),
    _t("1102", BK, "强制清算申请审查案件", "清申", "other"),
    _t("1103", BK, "破产申请审查案件", "破申", "other"),
    _t("1105", BK, "强制清算上诉案件", "清终", "other", S),
    _t("1106", BK, "破产上诉案件", "破终", "other", S),
    _t("1108", BK, "强制清算监督案件", "清监", "other"),
    _t("1109", BK, "破产监督案件", "破监", "other"),
    _t("1110", BK, "强制清算案件", "强清", "other"),
    _t("1112", BK, "破产清算、重整、和解案件", "破", "other"),
)

# Codes courts use that the annex does not list (kept from tianping's first table; see the module docstring).
OUTSIDE_ANNEX: tuple[TypeCode, ...] = (
    TypeCode("", "诉前调解", "诉前调解", "民诉前调", "mediation", Instance.OTHER, False,
             "非诉调解案件的编号；不计入审判质效"),
)

TYPE_CODES: dict[str, TypeCode] = {t.code: t for t in (*ANNEX, *OUTSIDE_ANNEX)}

# 2018 revision, 第二条: "专门审判代字是最高人民法院确定的专门审判类别简称，用 1 个中文汉字表示"; the decision names 知
# for patent and other intellectual-property cases (e.g. (2019)最高法知民终1号, (2020)浙01知民初277号).
SPECIAL_TRIBUNALS: dict[str, str] = {"知": "知识产权"}

# Before 2016 case numbers read (2015)薛民初字第123号: court abbreviation, division, type, "字第", sequence. The
# old type words and the new type code they correspond to (for cases filed before 2016-01-01, kept as written).
OLD_FORM_AREAS = {"民": "民", "商": "民", "知": "民", "刑": "刑", "行": "行", "执": "执", "赔": "赔"}


def instance_of(code: str) -> str:
    t = TYPE_CODES.get(code)
    if t is not None:
        return t.instance
    return Instance.FIRST if code.endswith("初") else Instance.OTHER
