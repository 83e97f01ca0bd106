"""Case numbers against the texts: 《最高人民法院关于人民法院案件案号的若干规定》(法〔2015〕137号, in force 2016-01-01),
its 2018 revision (法〔2018〕335号) and the annex 《人民法院案件类型及其代字标准》; every number in REAL was quoted in a
published judgment or a court's own publication (source noted next to it)."""

import pytest

from tianping.trials.casenumbers import CaseNumber, parse_case_number
from tianping.trials.typecodes import ANNEX, TYPE_CODES

CODES = list(TYPE_CODES)


def parse(text):
    return parse_case_number(text, type_codes=CODES, max_year=2030)


# (number as published, year, court code, tribunal, type code, sequence)
REAL = [
    # the Supreme People's Court: 第四条第一款 "最高人民法院的法院代字为“最高法”"
    ("(2019)最高法民终1524号", 2019, "最高法", "", "民终", 1524),
    ("（2019）最高法民再152号", 2019, "最高法", "", "民再", 152),
    ("（2017）最高法民再178号", 2017, "最高法", "", "民再", 178),       # court.gov.cn 第三巡回法庭典型案例
    ("(2016)最高法民再238号", 2016, "最高法", "", "民再", 238),
    ("(2018)最高法行申3190号", 2018, "最高法", "", "行申", 3190),
    ("(2017)最高法行申2778号", 2017, "最高法", "", "行申", 2778),
    ("（2016）最高法执监408号", 2016, "最高法", "", "执监", 408),
    # 2018 revision 第二条: 专门审判代字 — the SPC's IP tribunal and IP cases in other courts
    ("(2021)最高法知民终2270号", 2021, "最高法", "知", "民终", 2270),
    ("(2021)最高法知民终892号", 2021, "最高法", "知", "民终", 892),
    ("（2023）最高法知民终2573号", 2023, "最高法", "知", "民终", 2573),
    ("(2020)浙01知民初277号", 2020, "浙01", "知", "民初", 277),
    # high courts: 第四条第二、三款 (内 = Inner Mongolia, 兵 = the XPCC branch and its courts)
    ("(2019)内民终564号", 2019, "内", "", "民终", 564),
    ("(2017)琼民辖终31号", 2017, "琼", "", "民辖终", 31),              # published as …31号之一
    ("(2020)陕民辖终53号", 2020, "陕", "", "民辖终", 53),              # published with 【】, see MALFORMED
    ("（2020）兵08刑终44号", 2020, "兵08", "", "刑终", 44),             # 兵团第八师中级人民法院
    ("（2019）兵08财保8号", 2019, "兵08", "", "财保", 8),
    # intermediate courts: 第五条 (two digits)
    ("（2016）京01民终7217号", 2016, "京01", "", "民终", 7217),
    ("（2017）粤03民终2926号", 2017, "粤03", "", "民终", 2926),
    ("（2018）沪01民申577号", 2018, "沪01", "", "民申", 577),
    ("（2018）沪01民终9760号", 2018, "沪01", "", "民终", 9760),
    ("（2018）沪01民辖终1797号", 2018, "沪01", "", "民辖终", 1797),
    ("（2018）沪01民特582号", 2018, "沪01", "", "民特", 582),
    ("（2018）沪01刑终2002号", 2018, "沪01", "", "刑终", 2002),
    ("（2018）沪01行初100号", 2018, "沪01", "", "行初", 100),
    ("（2018）沪01行终1253号", 2018, "沪01", "", "行终", 1253),
    ("（2018）沪01协外认16号", 2018, "沪01", "", "协外认", 16),
    ("（2018）沪01民再77号", 2018, "沪01", "", "民再", 77),
    ("（2018）沪01刑更920号", 2018, "沪01", "", "刑更", 920),
    ("（2018）沪02执复23号", 2018, "沪02", "", "执复", 23),
    ("（2018）沪01执异6号", 2018, "沪01", "", "执异", 6),
    ("(2018)沪03行赔终15号", 2018, "沪03", "", "行赔终", 15),
    ("(2021)苏01行赔终71号", 2021, "苏01", "", "行赔终", 71),
    ("（2021）京01刑终263号", 2021, "京01", "", "刑终", 263),
    ("（2023）鲁02民辖终472号", 2023, "鲁02", "", "民辖终", 472),
    # specialised courts: 第五条第二款第三项 (72 maritime, 73 intellectual property) and the Hangzhou railway
    # transport court's 8601 (cyberlaw.chinalaw.org.cn, 杭州法院涉电子商务平台十大典型案例)
    ("（2018）沪72财保116号", 2018, "沪72", "", "财保", 116),
    ("（2018）沪72证保2号", 2018, "沪72", "", "证保", 2),
    ("(2016)京73民辖终1156号", 2016, "京73", "", "民辖终", 1156),
    ("(2018)粤73民辖终421号", 2018, "粤73", "", "民辖终", 421),
    ("(2017)京73民初551号", 2017, "京73", "", "民初", 551),
    ("(2017)浙8601民初4034号", 2017, "浙8601", "", "民初", 4034),
    # basic courts: four digits
    ("(2021)苏0192行赔初32号", 2021, "苏0192", "", "行赔初", 32),
    ("(2017)浙0191刑初163号", 2017, "浙0191", "", "刑初", 163),
    ("（2016）粤0304民初18775号", 2016, "粤0304", "", "民初", 18775),   # published as 18775-18776号
]


@pytest.mark.parametrize("text,year,court,tribunal,code,seq", REAL)
def test_real_case_numbers(text, year, court, tribunal, code, seq):
    got = parse(text)
    assert (got.year, got.court_code, got.tribunal, got.type_code, got.seq) == (year, court, tribunal, code, seq)
    canonical = text.replace("（", "(").replace("）", ")")
    assert str(got) == canonical  # 第三条: "(" + 收案年度 + ")" + 法院代字 + 专门审判代字 + 类型代字 + 案件编号 + "号"


def test_enough_real_numbers_across_codes_and_levels():
    assert len(REAL) >= 40
    assert len({row[4] for row in REAL}) >= 20
    courts = {row[2] for row in REAL}
    assert {"最高法", "内", "兵08", "京73", "浙8601"} <= courts


# Old form: cases received before 2016 kept the numbers they were given (e.g. （2014）民一终字第174号, an SPC number
# without a court code; （2015）济民一初字第21号; (2005)沪高民三(知)终字第36号).
@pytest.mark.parametrize("text,year,court,code,seq", [
    ("（2015）薛民初字第123号", 2015, "薛", "民初", 123),
    ("（2014）民一终字第174号", 2014, "", "民终", 174),
    ("（2015）济民一初字第21号", 2015, "济", "民初", 21),
    ("（2015）鼓商初字第1972号", 2015, "鼓", "民初", 1972),
    ("(2005)沪高民三(知)终字第36号", 2005, "沪高", "民终", 36),
    ("(2007)民三终字第4号", 2007, "", "民终", 4),
    ("（2013）薛执字第88号", 2013, "薛", "执", 88),
    ("（2014）薛执恢字第3号", 2014, "薛", "执恢", 3),
])
def test_old_form_numbers_before_2016_are_kept_as_written(text, year, court, code, seq):
    got = parse(text)
    assert got == CaseNumber(year, court, code, seq, "", True, text)
    assert str(got) == text


# (number, the message it gets): each names what is wrong
MALFORMED = [
    ("【2020】陕民辖终53号", "不能用“【”"),
    ("(2016）鲁0403民初1号", "半角、全角混用"),
    ("（2016)鲁0403民初1号", "半角、全角混用"),
    ("(2016)鲁0403 民初1号", "中间有空格"),
    ("(2016)鲁0403民初1234567890123456789012号", "序号有 22 位"),
    ("(２０１６)鲁0403民初1号", "“２０１６”是全角数字"),
    ("(2016)鲁0403民初１２号", "“１２”是全角数字"),
    ("(2016)蒙01民终5号", "内蒙古自治区法院的代字是“内”"),
    ("(2016)粤0304民初18775-18776号", "一个案号只能有一个序号"),
    ("(2017)琼民辖终31号之一", "“号之一”等是同一案件后续文书的编号"),
    ("(2016)最高法刑核123号", "刑事复核案件的编号是 8 位数字"),
    ("(2016)鲁0403民保5号", "类型代字“民保”不在案件类型表中"),
    ("(2016)薛民初字第123号", "应使用新规则案号"),
    ("（2015）沪一中民保字第7号", "无法对应到现行类型代字"),
]


@pytest.mark.parametrize("text,reason", MALFORMED)
def test_malformed_numbers_get_a_precise_message(text, reason):
    with pytest.raises(ValueError) as err:
        parse(text)
    assert reason in str(err.value)


def test_criminal_review_numbers_are_eight_digits():
    # 第十条第二款: 刑事复核案件的编号以8位自然数为固定长度，由承办法院随机确定
    assert parse("(2016)最高法刑核12345678号").seq == 12345678


def test_the_annex_is_complete_data():
    codes = {t.code for t in ANNEX}
    # codes the issue found missing, and the annex's classes with their instance marks
    assert {"执监", "执复", "民辖", "行申", "行保", "行赔终"} <= codes
    assert len(codes) == len(ANNEX)  # one row per code
    assert {t.annex_class for t in ANNEX} == {
        "管辖案件", "刑事案件", "民事案件", "行政案件", "国家赔偿与司法救助案件", "区际司法协助案件", "国际司法协助案件",
        "司法制裁案件", "非诉保全审查案件", "执行类案件", "强制清算与破产案件"}
    firsts = {t.code for t in ANNEX if t.instance == "first"}
    assert {"民初", "刑初", "行初", "行赔初"} <= firsts and "民终" not in firsts
    assert all(len(t.code) <= 3 for t in ANNEX)  # 第七条: "用3个以内中文汉字表示"


@pytest.mark.django_db
def test_the_database_holds_the_annex_with_its_marks():
    from tianping.trials.models import CaseType

    rows = {t.code: t for t in CaseType.objects.all()}
    assert {t.code for t in ANNEX} <= set(rows)
    assert rows["民初"].first_instance and not rows["民终"].first_instance
    assert rows["执监"].annex_class == "执行类案件" and rows["民辖终"].instance == "second"
    assert not rows["民诉前调"].counts_in_metrics


@pytest.mark.django_db
def test_a_case_filed_before_2016_keeps_its_old_number(court):
    from datetime import date

    from django.core.exceptions import ValidationError

    from tianping.trials.models import Case

    case = Case(court=court, number="（2015）薛民初字第123号", filed_on=date(2015, 11, 2), procedure="ordinary")
    case.full_clean()
    case.save()
    case.refresh_from_db()
    assert case.number == "（2015）薛民初字第123号"  # kept as written, not rewritten to the new form
    assert (case.year, case.type_code, case.seq, case.first_instance) == (2015, "民初", 123, True)
    assert case.deadline == date(2016, 5, 2)  # 民初 普通程序: six months from filing
    # a new-form number dated before 2016 (trial systems converted old cases) stays accepted too
    converted = Case(court=court, number="(2015)鲁0403民初124号", filed_on=date(2015, 11, 3))
    converted.full_clean()
    # the old form is not for cases filed from 2016 on
    late = Case(court=court, number="（2016）薛民初字第1号", filed_on=date(2016, 1, 5))
    with pytest.raises(ValidationError) as exc:
        late.full_clean()
    assert "新规则案号" in str(exc.value)


@pytest.mark.django_db
def test_the_case_import_accepts_old_and_tribunal_numbers(court):
    from datetime import date

    from tianping.core.importexport import ImportContext
    from tianping.core.registers import get_register
    from tianping.trials.importers import prepare_case_row

    ctx = ImportContext(register=get_register("cases"), user=None, court=court)
    assert prepare_case_row(ctx, {"number": "（2015）薛民初字第123号", "filed_on": date(2015, 3, 1)})
    assert prepare_case_row(ctx, {"number": "(2019)鲁0403知民初5号", "filed_on": date(2019, 3, 1)})
    from tianping.core.importexport import RowError

    with pytest.raises(RowError):
        prepare_case_row(ctx, {"number": "(2019)鲁0404民初5号", "filed_on": date(2019, 3, 1)})
