"""Road-traffic-accident damages (道路交通事故人身损害赔偿) for the traffic studio.

Pure functions on Decimal: `compute(inputs, stat, limits)` returns every head of damages with its formula
written out in numbers, then the split between compulsory insurance (交强险, limits per head group from
the InsuranceLimit table in force on the accident date; the lower 无责 limits when the insured vehicle is
not at fault), commercial third-party insurance (the insured's liability share of the rest, up to its
limit) and the parties by liability share.

Rules (Supreme People's Court interpretation on personal-injury compensation, as amended 2022):
- disability compensation = per-capita disposable income × years × disability coefficient;
- death compensation = per-capita disposable income × years;
- years: 20; over 60, one year less for each year of age above 60; 75 or older, 5 years;
- funeral costs = 6 months of the average wage;
- dependants' living costs = per-capita consumption expenditure × years ÷ number of supporters, the
  yearly total for all dependants at most one year's per-capita consumption; minors until 18, adults
  without working capacity by the 20-year rule; for disability multiplied by the coefficient.
Amounts round to fen (0.01 yuan, half up) per head.

Since 2022-05-01 the amended interpretation (法释〔2022〕14号, 第十二条、第十五条、第十七条 as amended: "按照受诉法院所在
地上一年度城镇居民人均可支配收入标准" / "城镇居民人均消费支出标准") applies the urban standard to everyone: the
rural standard is refused for accidents on or after URBAN_ONLY_FROM.

Several victims of one accident share the compulsory insurance: its limits apply per accident, and when the
victims' losses under a head group exceed the group's limit, each receives the limit in proportion to their own
loss under that group (`compute_accident`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal("0")
CENT = Decimal("0.01")
URBAN_ONLY_FROM = date(2022, 5, 1)  # 法释〔2022〕14号 in force; applies to accidents from this day on
RURAL_REFUSED = ("{day} 的事故适用《最高人民法院关于修改〈最高人民法院关于审理人身损害赔偿案件适用法律若干问题的解释〉"
                 "的决定》（法释〔2022〕14号，2022 年 5 月 1 日起施行）：残疾赔偿金、死亡赔偿金和被扶养人生活费一律按城镇居民"
                 "标准计算，不能再选农村居民标准。")


def rural_refusal(accident_on: date, rural: bool) -> str:
    """The reason the rural standard is refused for this accident, or "" when it may be used."""
    if rural and accident_on >= URBAN_ONLY_FROM:
        return RURAL_REFUSED.format(day=accident_on.isoformat())
    return ""

# which compulsory-insurance limit covers which head (机动车交通事故责任强制保险条款 第八条)
MEDICAL_HEADS = ("medical", "hospital_food", "nutrition")
DEATH_DISABILITY_HEADS = ("lost_income", "nursing", "transport", "disability", "death", "funeral", "dependants",
                          "mental_solace")
PROPERTY_HEADS = ("property_loss",)
GROUPS = (("death_disability", DEATH_DISABILITY_HEADS), ("medical", MEDICAL_HEADS), ("property", PROPERTY_HEADS))

HEAD_LABELS = {
    "medical": "医疗费", "lost_income": "误工费", "nursing": "护理费", "transport": "交通费",
    "hospital_food": "住院伙食补助费", "nutrition": "营养费", "disability": "残疾赔偿金", "death": "死亡赔偿金",
    "funeral": "丧葬费", "dependants": "被扶养人生活费", "mental_solace": "精神损害抚慰金",
    "property_loss": "财产损失",
}
GROUP_LABELS = {"death_disability": "死亡伤残", "medical": "医疗费用", "property": "财产损失"}


def money(value: Decimal) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def fmt(value: Decimal) -> str:
    """1234567.8 → 1,234,567.80"""
    return f"{money(value):,.2f}"


def num(value: Decimal) -> str:
    """A factor without trailing zeros: 0.10 → 0.1, 20 → 20."""
    d = Decimal(value).normalize()
    return f"{d:f}"


def compensation_years(age: int) -> int:
    """20 years; over 60 one year less per year of age above 60; from 75 on, 5 years."""
    if age < 0:
        raise ValueError("年龄不能为负数")
    if age <= 60:
        return 20
    if age >= 75:
        return 5
    return 20 - (age - 60)


def dependant_years(age: int, *, minor_until: int = 18) -> int:
    """A minor is supported until 18; an adult without working capacity by the 20-year rule."""
    if age < minor_until:
        return minor_until - age
    return compensation_years(age)


@dataclass
class Statistics:
    """The province's yearly figures the calculation needs (from ProvinceStatistic)."""

    province: str
    year: int
    disposable_income: Decimal
    consumption: Decimal
    average_wage: Decimal
    hospital_food_daily: Decimal
    is_demo: bool = False


@dataclass
class Limits:
    death_disability: Decimal
    medical: Decimal
    property: Decimal
    effective_from: date | None = None


@dataclass
class Inputs:
    accident_on: date
    victim_age: int
    medical: Decimal = ZERO
    lost_days: int = 0
    daily_income: Decimal | None = None  # None: the average wage ÷ 365
    nursing_days: int = 0
    nurses: int = 1
    nursing_daily: Decimal | None = None  # None: the average wage ÷ 365
    transport: Decimal = ZERO
    hospital_days: int = 0
    hospital_food_daily: Decimal | None = None  # None: the province's standard
    nutrition_days: int = 0
    nutrition_daily: Decimal = ZERO
    disability_coefficient: Decimal = ZERO  # 0 = no disability; 10级 0.1 … 1级 1.0
    death: bool = False
    dependants: list[dict] = field(default_factory=list)  # [{"age": 8, "supporters": 2}]
    mental_solace: Decimal = ZERO
    property_loss: Decimal = ZERO
    insured_at_fault: bool = True
    liability_share: Decimal = Decimal("1")  # the insured vehicle's share, 0..1
    commercial_limit: Decimal = ZERO  # commercial third-party insurance limit; 0 = none

    def check(self) -> list[str]:
        errors = []
        if not (0 <= self.victim_age <= 120):
            errors.append("受害人年龄应在 0 至 120 岁之间。")
        if not (ZERO <= self.disability_coefficient <= 1):
            errors.append("伤残赔偿指数应在 0 至 1 之间（十级 0.1 … 一级 1.0）。")
        if not (ZERO <= self.liability_share <= 1):
            errors.append("责任比例应在 0% 至 100% 之间。")
        if self.death and self.disability_coefficient:
            errors.append("死亡案件不计算残疾赔偿金，请将伤残赔偿指数设为 0。")
        for name in ("medical", "transport", "nutrition_daily", "mental_solace", "property_loss", "commercial_limit"):
            if getattr(self, name) < 0:
                errors.append(f"{name} 不能为负数。")
        for d in self.dependants:
            if int(d.get("supporters", 1)) < 1:
                errors.append("被扶养人的扶养人数至少为 1。")
        if self.nurses < 1 and self.nursing_days:
            errors.append("护理人数至少为 1。")
        return errors


def _line(key: str, formula: str, amount: Decimal) -> dict:
    return {"key": key, "label": HEAD_LABELS[key], "formula": formula, "amount": money(amount)}


def _dependants_total(inp: Inputs, consumption: Decimal, factor: Decimal) -> tuple[Decimal, str]:
    """Year by year: each dependant's share (consumption ÷ supporters) while they are dependent, the
    yearly total capped at one year's consumption; the sum times the disability factor (1 for death)."""
    spans = []
    for d in inp.dependants:
        years = dependant_years(int(d["age"]))
        spans.append((years, int(d.get("supporters", 1)), int(d["age"])))
    if not spans:
        return ZERO, ""
    longest = max(y for y, _s, _a in spans)
    total = ZERO
    capped_years = 0
    for t in range(1, longest + 1):
        year_sum = sum((consumption / s for y, s, _a in spans if y >= t), ZERO)
        if year_sum > consumption:
            year_sum = consumption
            capped_years += 1
        total += year_sum
    parts = "；".join(f"{a}岁：{fmt(consumption)} 元/年 × {y} 年 ÷ {s} 人" for y, s, a in spans)
    formula = parts
    if capped_years:
        formula += f"；其中 {capped_years} 年合计超过 {fmt(consumption)} 元，按 {fmt(consumption)} 元计"
    if factor != 1:
        formula += f"；× 伤残赔偿指数 {num(factor)}"
    amount = total * factor
    return amount, formula + f" = {fmt(amount)} 元"


def heads(inp: Inputs, stat: Statistics) -> list[dict]:
    """Every head of damages with its working; heads that do not apply are left out."""
    lines: list[dict] = []
    wage = stat.average_wage
    if inp.medical:
        lines.append(_line("medical", f"按票据 {fmt(inp.medical)} 元", inp.medical))
    if inp.lost_days:
        if inp.daily_income is not None:
            amt = inp.daily_income * inp.lost_days
            f = f"{fmt(inp.daily_income)} 元/日 × {inp.lost_days} 日 = {fmt(amt)} 元"
        else:
            amt = wage * inp.lost_days / 365
            f = f"{fmt(wage)} 元/年 ÷ 365 × {inp.lost_days} 日 = {fmt(amt)} 元（无固定收入，按职工平均工资）"
        lines.append(_line("lost_income", f, amt))
    if inp.nursing_days:
        if inp.nursing_daily is not None:
            amt = inp.nursing_daily * inp.nursing_days * inp.nurses
            f = f"{fmt(inp.nursing_daily)} 元/日 × {inp.nursing_days} 日 × {inp.nurses} 人 = {fmt(amt)} 元"
        else:
            amt = wage * inp.nursing_days * inp.nurses / 365
            f = (f"{fmt(wage)} 元/年 ÷ 365 × {inp.nursing_days} 日 × {inp.nurses} 人 = {fmt(amt)} 元"
                 "（按职工平均工资）")
        lines.append(_line("nursing", f, amt))
    if inp.transport:
        lines.append(_line("transport", f"按票据 {fmt(inp.transport)} 元", inp.transport))
    if inp.hospital_days:
        daily = inp.hospital_food_daily if inp.hospital_food_daily is not None else stat.hospital_food_daily
        amt = daily * inp.hospital_days
        lines.append(_line("hospital_food", f"{fmt(daily)} 元/日 × {inp.hospital_days} 日 = {fmt(amt)} 元", amt))
    if inp.nutrition_days and inp.nutrition_daily:
        amt = inp.nutrition_daily * inp.nutrition_days
        lines.append(_line("nutrition", f"{fmt(inp.nutrition_daily)} 元/日 × {inp.nutrition_days} 日 = {fmt(amt)} 元",
                           amt))
    years = compensation_years(inp.victim_age)
    year_note = "" if inp.victim_age <= 60 else f"（{inp.victim_age} 岁，超过 60 岁按 {years} 年）"
    income = stat.disposable_income
    if inp.disability_coefficient:
        amt = income * years * inp.disability_coefficient
        lines.append(_line("disability", f"{fmt(income)} 元/年 × {years} 年{year_note} × "
                                         f"{num(inp.disability_coefficient)}"
                                         f" = {fmt(amt)} 元", amt))
    if inp.death:
        amt = income * years
        lines.append(_line("death", f"{fmt(income)} 元/年 × {years} 年{year_note} = {fmt(amt)} 元", amt))
        amt = wage / 12 * 6
        lines.append(_line("funeral", f"{fmt(wage)} 元/年 ÷ 12 × 6 个月 = {fmt(amt)} 元", amt))
    if inp.dependants and (inp.death or inp.disability_coefficient):
        factor = Decimal("1") if inp.death else inp.disability_coefficient
        amt, f = _dependants_total(inp, stat.consumption, factor)
        lines.append(_line("dependants", f, amt))
    if inp.mental_solace:
        lines.append(_line("mental_solace", f"酌定 {fmt(inp.mental_solace)} 元", inp.mental_solace))
    if inp.property_loss:
        lines.append(_line("property_loss", f"按定损 {fmt(inp.property_loss)} 元", inp.property_loss))
    return lines


def group_losses(lines: list[dict]) -> dict[str, Decimal]:
    by_key = {line["key"]: line["amount"] for line in lines}
    return {group: sum((by_key.get(k, ZERO) for k in keys), ZERO) for group, keys in GROUPS}


def share_limits(losses: list[dict[str, Decimal]], limits: Limits) -> list[dict]:
    """Each victim's compulsory-insurance payment per head group when several victims share one policy: the
    whole loss when the victims' losses together stay within the group's limit, else the limit × own loss ÷ all
    losses (to the fen; the last victim with a loss takes the remaining fen so the shares add up to the limit).
    Returns one dict per group: {group, label, limit, total_loss, shares: [{loss, paid, formula}]}."""
    out = []
    for group, _keys in GROUPS:
        limit = money(getattr(limits, group))
        own = [money(v[group]) for v in losses]
        total = sum(own, ZERO)
        shares = []
        if total <= limit:
            for loss in own:
                shares.append({"loss": loss, "paid": loss,
                               "formula": f"合计损失 {fmt(total)} 元未超过限额 {fmt(limit)} 元，按实赔付 {fmt(loss)} 元"})
        else:
            last = max(i for i, loss in enumerate(own) if loss > 0)
            given = ZERO
            for i, loss in enumerate(own):
                paid = limit - given if i == last else money(limit * loss / total)
                given += paid
                shares.append({"loss": loss, "paid": paid,
                               "formula": f"{fmt(limit)} 元 × {fmt(loss)} ÷ {fmt(total)} = {fmt(paid)} 元"})
        out.append({"group": group, "label": GROUP_LABELS[group], "limit": limit, "total_loss": money(total),
                    "shares": shares})
    return out


def split(lines: list[dict], inp: Inputs, limits: Limits, shared: dict[str, Decimal] | None = None) -> dict:
    """Compulsory insurance per head group up to its limit (or the victim's `shared` payment per group when
    several victims share the policy), then the insured's liability share of the rest from commercial insurance
    up to its limit, then the insured party; the victim bears the remainder."""
    losses = group_losses(lines)
    groups = []
    compulsory = ZERO
    for group, _keys in GROUPS:
        loss = losses[group]
        limit = getattr(limits, group)
        paid = min(loss, limit) if shared is None else shared[group]
        compulsory += paid
        how = "" if shared is None else "（多名受害人按损失比例分摊）"
        groups.append({"group": group, "label": GROUP_LABELS[group], "loss": money(loss), "limit": money(limit),
                       "paid": money(paid),
                       "formula": f"损失 {fmt(loss)} 元，限额 {fmt(limit)} 元，赔付 {fmt(paid)} 元{how}"})
    total = sum((line["amount"] for line in lines), ZERO)
    rest = total - compulsory
    share = inp.liability_share
    insured_share = money(rest * share)
    commercial = min(insured_share, inp.commercial_limit)
    party = insured_share - commercial
    victim = money(rest - insured_share)
    steps = [
        f"损失合计 {fmt(total)} 元 − 交强险赔付 {fmt(compulsory)} 元 = 超出交强险部分 {fmt(rest)} 元",
        f"{fmt(rest)} 元 × 被保险车辆一方责任 {num(share * 100)}% = {fmt(insured_share)} 元",
        (f"商业三者险在限额 {fmt(inp.commercial_limit)} 元内赔付 {fmt(commercial)} 元"
         if inp.commercial_limit else "未投保商业三者险"),
        f"侵权人自行承担 {fmt(insured_share)} − {fmt(commercial)} = {fmt(party)} 元",
        f"受害人自负 {fmt(rest)} − {fmt(insured_share)} = {fmt(victim)} 元",
    ]
    return {
        "groups": groups, "total": money(total), "compulsory": money(compulsory), "rest": money(rest),
        "insured_share": insured_share, "commercial": money(commercial), "party": money(party),
        "victim": victim, "steps": steps,
    }


def compute(inp: Inputs, stat: Statistics, limits: Limits) -> dict:
    errors = inp.check()
    if errors:
        raise ValueError("；".join(errors))
    lines = heads(inp, stat)
    result = split(lines, inp, limits)
    result["lines"] = lines
    result["statistics"] = {"province": stat.province, "year": stat.year, "is_demo": stat.is_demo,
                            "disposable_income": money(stat.disposable_income),
                            "consumption": money(stat.consumption), "average_wage": money(stat.average_wage)}
    result["limits"] = {"at_fault": inp.insured_at_fault, "effective_from": limits.effective_from,
                        "death_disability": money(limits.death_disability), "medical": money(limits.medical),
                        "property": money(limits.property)}
    return result


def compute_accident(victims: list[Inputs], stat: Statistics, limits: Limits, *,
                     names: list[str] | None = None) -> dict:
    """Several victims of one accident: each victim's heads of damages, the compulsory-insurance limits shared
    in proportion to each one's loss under each head group (share_limits), then each victim's split.

    All victims must share the accident date and the insured's fault, liability share and commercial limit
    (one vehicle, one policy)."""
    if len(victims) < 2:
        raise ValueError("同一事故的合并计算至少需要两名受害人。")
    first = victims[0]
    for v in victims[1:]:
        if (v.accident_on, v.insured_at_fault, v.liability_share, v.commercial_limit) != (
                first.accident_on, first.insured_at_fault, first.liability_share, first.commercial_limit):
            raise ValueError("合并计算的各受害人须为同一事故：事故日期、被保险车辆一方是否有责、责任比例和商业三者险"
                             "限额应相同，请核对。")
    errors = [e for v in victims for e in v.check()]
    if errors:
        raise ValueError("；".join(errors))
    names = names or [f"受害人{i + 1}" for i in range(len(victims))]
    all_lines = [heads(v, stat) for v in victims]
    sharing = share_limits([group_losses(lines) for lines in all_lines], limits)
    results = []
    for i, (v, lines) in enumerate(zip(victims, all_lines, strict=True)):
        shared = {g["group"]: g["shares"][i]["paid"] for g in sharing}
        r = split(lines, v, limits, shared)
        r["lines"] = lines
        r["name"] = names[i]
        results.append(r)
    # commercial insurance: one policy too; when the victims' claims on it exceed its limit, they share it in
    # proportion to their claims
    claims = [r["insured_share"] for r in results]
    limit = first.commercial_limit
    if limit and sum(claims, ZERO) > limit:
        total_claims = sum(claims, ZERO)
        for r, claim in zip(results, claims, strict=True):
            r["commercial"] = money(limit * claim / total_claims)
            r["party"] = r["insured_share"] - r["commercial"]
            r["steps"][2] = (f"商业三者险限额 {fmt(limit)} 元由各受害人按请求比例分摊：{fmt(limit)} × {fmt(claim)} ÷ "
                             f"{fmt(total_claims)} = {fmt(r['commercial'])} 元")
            r["steps"][3] = f"侵权人自行承担 {fmt(r['insured_share'])} − {fmt(r['commercial'])} = {fmt(r['party'])} 元"
    for g in sharing:
        for i, share in enumerate(g["shares"]):
            share["name"] = names[i]
    return {
        "victims": results, "sharing": sharing,
        "total": money(sum((r["total"] for r in results), ZERO)),
        "compulsory": money(sum((r["compulsory"] for r in results), ZERO)),
        "statistics": {"province": stat.province, "year": stat.year, "is_demo": stat.is_demo,
                       "disposable_income": money(stat.disposable_income), "consumption": money(stat.consumption),
                       "average_wage": money(stat.average_wage)},
        "limits": {"at_fault": first.insured_at_fault, "effective_from": limits.effective_from,
                   "death_disability": money(limits.death_disability), "medical": money(limits.medical),
                   "property": money(limits.property)},
    }
