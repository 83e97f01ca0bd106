"""Demo organisational life of 薛城区人民法院: every year from 2014 to today (timezone.localdate()).

Every branch holds its 三会一课, themed days, annual life meeting, review and talks; the two 执行局 party
groups meet monthly; the court holds the Monday roll call (周一例会点名) and the Friday party-group meeting
(周五党组会) every week; the integrity lecture hall ran its campaign in 2015–2016 and has the seed's 12
court-wide and 52 branch sessions in 2016 (the seed's year), and a steady few a year since. A few duties are
deliberately skipped so the compliance matrix shows red, some meetings of the coming weeks are planned, and one
past meeting still waits to be recorded.

Deterministic (ctx.rng) and idempotent (nothing is added when the court already has meetings). Rows are
bulk-created for speed; the points ledger is written through party.services.points_award for the most
recent meetings only (the ledger's history is the party app's own demo)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, time, timedelta

from django.utils import timezone

from tianping.core.management.commands.seed_demo import bulk_insert, demo_years
from tianping.org.models import Person
from tianping.partylife.choices import AttendanceSource, AttendanceStatus, MeetingStatus
from tianping.partylife.models import Attendance, Campaign, FollowUpTask, Meeting, MeetingSpeaker, MeetingType

LEAVE_REASONS = ["外出开庭", "出差", "病假", "参加上级法院培训", "执行外出", "事假", "巡回审判"]
COURT_KINDS = {"party_group", "organ_committee"}
SEED_LECTURE_YEARS = (2015, 2016)
# the seed's year of the lecture hall: 12 court-wide and 52 branch sessions in it (the annual report's
# integrity_lectures_court / _branch); the sessions the campaign spread gives it are topped up to these
SEED_LECTURE_YEAR, SEED_LECTURES_COURT, SEED_LECTURES_BRANCH = 2016, 12, 52
SEED_LECTURE_RNG = 20160712  # the top-up's own random generator: the shared one (ctx.rng) stays untouched

TOPICS = {
    "general_meeting": ["学习党章和党的纪律规定", "讨论接收预备党员", "传达上级党组织会议精神", "评议支部工作", "研究党员发展计划",
                        "讨论预备党员转正", "选举出席机关党员大会代表"],
    "committee_meeting": ["研究本月支部工作安排", "讨论党员发展工作", "研究主题党日活动方案", "分析党员思想状况",
                          "研究党费收缴情况", "部署“三会一课”落实"],
    "group_meeting": ["学习党的理论知识", "交流执行攻坚心得", "讨论党员先锋岗工作", "小组成员思想汇报"],
    "party_lecture": ["坚定理想信念，做合格党员", "以案释法，筑牢廉洁防线", "践行司法为民宗旨", "学习习近平法治思想",
                      "弘扬雷锋精神", "党章党规党纪专题"],
    "themed_day": ["重温入党誓词", "到敬老院开展巡回审判", "法律进社区志愿服务", "参观廉政教育基地", "学雷锋志愿服务",
                   "“三亮三比三创”主题活动", "进村居开展法律咨询", "赶大集普法宣传", "向优秀党员学习交流会",
                   "党员先锋岗示范服务", "参观党建文化长廊", "读书分享会"],
    "life_meeting": ["年度组织生活会：对照检查，开展批评与自我批评"],
    "member_review": ["年度民主评议党员"],
    "heart_talk": ["支部书记与党员谈心谈话"],
    "integrity_lecture": ["守住底线，廉洁司法", "从身边案例谈廉洁自律", "家风与廉洁", "法官职业道德与廉洁",
                          "廉洁从我做起", "公正司法与廉洁自律", "以案为鉴，警钟长鸣", "“八小时以外”的廉洁"],
    "special_study": ["学习党的十八届六中全会精神", "“两学一做”专题学习", "“三严三实”专题学习", "学习新修订的廉洁自律准则"],
    "oath_renewal": ["纪念建党，重温入党誓词"],
    "party_group_meeting": ["研究审判执行工作", "听取审管办质效分析", "研究干部教育培训", "部署党风廉政建设",
                            "研究信访维稳工作", "研究“三比”考核结果", "研究机关党建工作"],
}
MINUTES = ("会议由{host}主持，应到{expected}人，实到{attended}人。会议{topic}。与会党员结合工作实际逐一发言，"
           "一致表示要把学习成果转化为推动审判执行工作的实际行动。")


class _Roster:
    """Rosters and membership of the demo court computed in memory (one query each), so that a thousand
    meetings do not cost a thousand roster queries."""

    def __init__(self, court):
        from tianping.party.models import BranchMembership, CommitteePost, PartyMember, PartyOrganisation

        self.orgs = {o.pk: o for o in PartyOrganisation.objects.filter(court=court)}
        self.children = defaultdict(list)
        for o in self.orgs.values():
            if o.parent_id:
                self.children[o.parent_id].append(o.pk)
        self.periods = defaultdict(list)  # org id -> [(person_id, start, end)]
        for pm in BranchMembership.objects.filter(court=court).values_list("organisation_id", "member__person_id",
                                                                           "start", "end"):
            self.periods[pm[0]].append(pm[1:])
        self.members = {m.person_id: m for m in PartyMember.objects.filter(court=court)}
        self.staff = list(Person.objects.filter(court=court).order_by("name"))
        self.people = {p.pk: p for p in self.staff}
        self.posts = list(CommitteePost.objects.filter(court=court).values_list(
            "organisation_id", "person_id", "role", "term_start", "ended_on"))

    def roster(self, org_id: int, day: date) -> list[int]:
        ids = [org_id, *self.children.get(org_id, [])]
        out = set()
        for oid in ids:
            for person_id, start, end in self.periods.get(oid, []):
                if start <= day and (end is None or day <= end):
                    out.add(person_id)
        return sorted(out)

    def is_member(self, person_id: int, day: date) -> bool:
        from tianping.partylife.party_adapter import _is_member

        return _is_member(self.members.get(person_id), day)

    def has_vote(self, person_id: int, day: date) -> bool:
        from tianping.partylife.party_adapter import has_vote

        return has_vote(self.members.get(person_id), day)

    def in_service(self, day: date) -> list[int]:
        return [p.pk for p in self.staff if (p.hired_on is None or p.hired_on <= day)
                and (p.left_on is None or p.left_on >= day)]

    def committee(self, org_id: int, day: date) -> list[int]:
        return sorted({pid for oid, pid, _r, start, ended in self.posts
                       if oid == org_id and start <= day and (ended is None or ended > day)})

    def secretary(self, org_id: int, day: date) -> int | None:
        for oid, pid, role, start, ended in self.posts:
            if oid == org_id and role == "secretary" and start <= day and (ended is None or ended > day):
                return pid
        return None

    def expected(self, org, mtype, day: date) -> list[tuple[int, bool]]:
        audience = mtype.audience
        if audience == "roster" and org.kind in COURT_KINDS:
            audience = "all_staff"
        if audience == "roster":
            # a 党小组's roster is its own members (as party_adapter.expected_people reads it), never the branch
            ids = [p for p in self.roster(org.pk, day) if self.is_member(p, day)]
        elif audience == "committee":
            ids = self.committee(org.pk, day)
        elif audience == "leadership":
            ids = [p for p in self.in_service(day) if self.people[p].is_leadership]
        elif audience == "party_members":
            ids = [p for p in self.in_service(day) if self.is_member(p, day)]
        else:
            ids = self.in_service(day)
        return [(p, self.has_vote(p, day)) for p in ids]


def _spread(total: int, parts: int) -> list[int]:
    """`total` split over `parts` as evenly as possible (the first parts take the remainder)."""
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def _weekday_on_or_after(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def _holiday(day: date) -> bool:
    """Rough public holidays: spring festival week, May Day, National Day week."""
    return (day.month == 2 and day.day <= 10) or (day.month == 5 and day.day <= 3) or (day.month == 10 and day.day <= 7)


class _Builder:
    def __init__(self, ctx, court, today: date):
        self.ctx, self.rng, self.court, self.today = ctx, ctx.rng, court, today
        self.r = _Roster(court)
        self.types = {t.code: t for t in MeetingType.objects.all()}
        self.meetings: list[Meeting] = []
        self.att: list[list[tuple[int, bool]]] = []
        self.speakers: list[list[dict]] = []
        self.tasks: list[list[dict]] = []
        self.spoken_last: dict[int, date] = {}

    # --- one meeting ----------------------------------------------------------------------------
    def host_of(self, org, day: date) -> int | None:
        if org.kind == "group" and org.parent_id and not self.r.roster(org.pk, day):
            return self.host_of(self.r.orgs[org.parent_id], day)
        sec = self.r.secretary(org.pk, day)
        if sec:
            return sec
        roster = [p for p in self.r.roster(org.pk, day) if self.r.has_vote(p, day)]
        if org.kind in COURT_KINDS:
            leaders = [p.pk for p in self.r.staff if p.post == "president" and p.left_on is None]
            return leaders[0] if leaders else None
        chiefs = [p for p in roster if self.r.people[p].post in ("chief_judge", "vice_president", "president")]
        return (chiefs or roster or [None])[0]

    def add(self, org, code: str, day: date, start: time, end: time, *, place: str, topic: str | None = None,
            campaign=None, planned: bool = False, speakers: list[dict] | None = None, tasks: list[dict] | None = None,
            absent_rate: float = 0.03):
        mtype = self.types[code]
        expected = self.r.expected(org, mtype, day)
        if not expected and code not in ("integrity_lecture",):
            return None
        host = self.host_of(org, day)
        topic = topic or self.rng.choice(TOPICS.get(code, [mtype.name]))
        status = MeetingStatus.PLANNED if planned else MeetingStatus.HELD
        m = Meeting(court=self.court, meeting_type=mtype, organisation=org, date=day, start_time=start, end_time=end,
                    place=place, host_id=host, topic=topic, campaign=campaign, status=status,
                    study_hours=mtype.study_hours)
        rows = []
        for person_id, vote in expected:
            if planned:
                status_ = AttendanceStatus.PENDING
            else:
                x = self.rng.random()
                status_ = (AttendanceStatus.ABSENT if x < absent_rate else AttendanceStatus.LEAVE if x < absent_rate + 0.07
                           else AttendanceStatus.LATE if x < absent_rate + 0.10 else AttendanceStatus.PRESENT)
                if person_id == host:
                    status_ = AttendanceStatus.PRESENT
            rows.append((person_id, vote, status_))
        attended = sum(1 for _p, _v, s in rows if s in (AttendanceStatus.PRESENT, AttendanceStatus.LATE))
        if not planned and code != "roll_call":
            host_name = self.r.people[host].name if host else "支部书记"
            m.minutes = MINUTES.format(host=host_name, expected=len(rows), attended=attended, topic=f"围绕“{topic}”开展学习讨论")
            if mtype.votes and code in ("general_meeting", "party_group_meeting"):
                m.resolutions = self.rng.choice(["会议一致同意上述事项。", "同意按程序报上级党组织审批。",
                                                 "会议决定由支部书记牵头抓好落实。", ""])
        self.meetings.append(m)
        self.att.append(rows)
        self.speakers.append(speakers or [])
        self.tasks.append(tasks or [])
        return m

    def pick_speaker(self, candidates: list[int], day: date) -> int | None:
        """Lecture-hall rotation: the member who spoke longest ago (never first) speaks next."""
        members = [p for p in candidates if self.r.has_vote(p, day)]
        if not members:
            return None
        members.sort(key=lambda p: (self.spoken_last.get(p, date.min), self.rng.random()))
        chosen = members[0]
        self.spoken_last[chosen] = day
        return chosen

    # --- the calendar ---------------------------------------------------------------------------
    def run(self, years: list[int] | None = None) -> None:
        from tianping.party.models import PartyOrganisation

        rng, today = self.rng, self.today
        orgs = list(PartyOrganisation.objects.filter(court=self.court, active=True).order_by("sort_order", "pk"))
        group = next((o for o in orgs if o.kind == "party_group"), None)
        organ = next((o for o in orgs if o.kind == "organ_committee"), None)
        branches = [o for o in orgs if o.kind == "branch"]
        groups = [o for o in orgs if o.kind == "group"]
        years = years or demo_years(today)
        campaigns = self.campaigns(years)
        # deliberate gaps (so the matrix shows red): (branch index, duty code, year, month or quarter)
        gaps = {(2, "themed_day", 2016, 5), (5, "general_meeting", 2016, 3), (9, "party_lecture", 2015, 4),
                (7, "themed_day", 2015, 11), (6, "heart_talk", 2016, 0),
                (3, "themed_day", today.year, max(1, today.month - 2)),
                (8, "general_meeting", today.year, max(1, (today.month - 1) // 3)),
                (9, "themed_day", today.year, max(1, today.month - 1))}
        unrecorded = (1, "themed_day")  # one past meeting left for the secretary to record (to-do)
        # the seed's lecture hall: 12 court-wide and 52 branch sessions in 2015–2016 (the campaign the seed
        # reports), then a steady 3 court-wide and 10 branch sessions a year
        seed_years = [y for y in years if y in SEED_LECTURE_YEARS]
        court_lectures = {y: 3 for y in years} | dict(zip(seed_years, _spread(12, len(seed_years)), strict=True))
        branch_counts = {y: 10 for y in years} | dict(zip(seed_years, _spread(52, len(seed_years)), strict=True))
        branch_lecture_days: dict[int, list[date]] = defaultdict(list)
        for y, n in branch_counts.items():
            for k in range(n):
                b = k % len(branches)
                day = date(y, 1 + (k * 11 // max(n, 1)) % 12, 8 + rng.randint(0, 18))
                if day > today:  # the current year: everything already happened
                    day = today - timedelta(days=k + 1)
                branch_lecture_days[b].append(day)
        for year in years:
            last = today if year == today.year else date(year, 12, 31)
            camp = campaigns.get(year)
            # weekly court rhythm
            if group:
                monday = _weekday_on_or_after(date(year, 1, 1), 0)
                while monday <= last:
                    if not _holiday(monday):
                        self.add(organ or group, "roll_call", monday, time(8, 0), time(8, 30), place="二楼大会议室",
                                 topic=f"{monday:%m月%d日}周一例会点名", absent_rate=0.01)
                    friday = monday + timedelta(days=4)
                    if friday <= last and not _holiday(friday):
                        tasks = []
                        if rng.random() < 0.3:
                            tasks = [{"description": rng.choice(["落实质效分析会议要求", "完成廉政风险点排查",
                                                                  "报送党建工作信息", "督办长期未结案件"]),
                                      "due": friday + timedelta(days=rng.randint(7, 30))}]
                        self.add(group, "party_group_meeting", friday, time(16, 0), time(17, 30), place="党组会议室",
                                 tasks=tasks, absent_rate=0.0)
                    monday += timedelta(days=7)
            # court-wide events
            if organ:
                for k in range(court_lectures.get(year, 0)):
                    day = _weekday_on_or_after(date(year, 2 + k * 10 // max(court_lectures[year], 1), 12), 2)
                    if day > last:
                        day = last - timedelta(days=7 * (k + 1))
                    if year == 2016 and k == 0:
                        speakers = [{"external_name": "王永涛", "external_unit": "全国模范法官"}]
                        topic = "“崇德尚廉、公正司法”报告会"
                    else:
                        sp = self.pick_speaker(self.r.in_service(day), day)
                        speakers = [{"person_id": sp}] if sp else []
                        topic = None
                    self.add(organ, "integrity_lecture", day, time(15, 0), time(17, 0), place="审判楼报告厅",
                             topic=topic, campaign=camp, speakers=speakers)
                oath_day = _weekday_on_or_after(date(year, 6, 28), 4)
                if oath_day <= last:
                    self.add(organ, "oath_renewal", oath_day, time(9, 0), time(10, 0), place="党建文化长廊",
                             campaign=camp)
                study_day = _weekday_on_or_after(date(year, 4, 20), 3)
                if study_day <= last and camp is not None:
                    self.add(organ, "special_study", study_day, time(15, 0), time(17, 0), place="审判楼报告厅",
                             topic=f"“{camp.name}”专题学习", campaign=camp,
                             speakers=[{"external_name": rng.choice(["刘教授", "陈教授", "赵教授"]),
                                        "external_unit": "中共枣庄市委党校"}])
            # branches
            for bi, b in enumerate(branches):
                place = f"{b.name.replace('党支部', '')}会议室"
                for month in range(1, 13):
                    first = date(year, month, 1)
                    if first > last:
                        break
                    # 主题党日: the first Friday after the 5th (a fixed day)
                    day = _weekday_on_or_after(date(year, month, 5), 4)
                    if (bi, "themed_day", year, month) not in gaps and day <= last:
                        planned = (bi, "themed_day") == unrecorded and year == today.year and month == today.month - 1
                        self.add(b, "themed_day", day, time(15, 0), time(17, 0), place=place, campaign=camp,
                                 planned=planned)
                    # 支委会: only where a committee exists on the day
                    day = _weekday_on_or_after(date(year, month, 2), 1)
                    if day <= last and len(self.r.committee(b.pk, day)) >= 3:
                        self.add(b, "committee_meeting", day, time(16, 30), time(17, 30), place=place)
                    if month in (3, 6, 9, 12):
                        q = month // 3
                        day = _weekday_on_or_after(date(year, month, 15), 3)
                        if (bi, "general_meeting", year, q) not in gaps and day <= last:
                            self.add(b, "general_meeting", day, time(15, 0), time(16, 30), place=place, campaign=camp)
                        day = _weekday_on_or_after(date(year, month - 1, 20), 2)
                        if (bi, "party_lecture", year, q) not in gaps and day <= last:
                            roster = self.r.roster(b.pk, day)
                            sec = self.host_of(b, day)
                            if q == 1 and sec:
                                speaker = {"person_id": sec}  # the secretary gives at least one a year
                            elif q == 3 and rng.random() < 0.5:
                                speaker = {"external_name": rng.choice(["孙教授", "周教授", "吴教授"]),
                                           "external_unit": "中共薛城区委党校"}
                            else:
                                sp = next((p for p in roster if self.r.has_vote(p, day) and p != sec), None)
                                speaker = {"person_id": sp} if sp else {}
                            self.add(b, "party_lecture", day, time(15, 0), time(17, 0), place=place, campaign=camp,
                                     speakers=[speaker] if speaker else [])
                # yearly duties in December (or the last month for the current year)
                yd = date(year, 12, 20) if year < today.year else None
                if yd:
                    day = _weekday_on_or_after(yd, 1)
                    if day.year == year:
                        self.add(b, "life_meeting", day, time(14, 30), time(17, 30), place=place)
                        self.add(b, "member_review", day, time(17, 30), time(18, 30), place=place)
                    if (bi, "heart_talk", year, 0) not in gaps:
                        self.add(b, "heart_talk", date(year, 11, 10 + bi), time(9, 0), time(11, 30), place="书记办公室")
                elif bi % 3 == 0:
                    # some branches already held this year's talks
                    day = date(year, max(1, min(today.month - 1, 10)), 10 + bi)
                    if day <= today:
                        self.add(b, "heart_talk", day, time(9, 0), time(11, 30), place="书记办公室")
                for day in branch_lecture_days.get(bi, []):
                    if day.year == year and day <= last:
                        sp = self.pick_speaker(self.r.roster(b.pk, day), day)
                        self.add(b, "integrity_lecture", day, time(16, 0), time(17, 0), place=place,
                                 speakers=[{"person_id": sp}] if sp else [])
            for g in groups:
                for month in range(1, 13):
                    day = _weekday_on_or_after(date(year, month, 12), 0)
                    if day <= last:
                        self.add(g, "group_meeting", day, time(17, 0), time(17, 45), place="执行局会议室")
        # the coming weeks: planned meetings for the calendar
        for bi, b in enumerate(branches):
            day = _weekday_on_or_after(today + timedelta(days=1), 4)
            if day.month != today.month or bi % 2 == 0:
                self.add(b, "themed_day", day + timedelta(days=7 * (bi % 2)), time(15, 0), time(17, 0),
                         place=f"{b.name.replace('党支部', '')}会议室", planned=True)
        self.save()
        if SEED_LECTURE_YEAR in years and SEED_LECTURE_YEAR < today.year:
            self.seed_year_lectures(organ, branches)

    def seed_year_lectures(self, organ, branches) -> None:
        """Top the seed's year up to its 12 court-wide and 52 branch lecture-hall sessions. Added after the rest
        is saved, with a random generator of their own, so every other meeting and every later app's data stay
        as they were (the shared generator is not advanced)."""
        import random

        year = SEED_LECTURE_YEAR
        kinds = {o.pk: o.kind for o in [organ, *branches] if o is not None}
        held = defaultdict(int)
        for m in Meeting.objects.filter(court=self.court, meeting_type__code="integrity_lecture", date__year=year):
            held["court" if kinds.get(m.organisation_id) in COURT_KINDS else "branch"] += 1
        shared = self.rng
        self.rng = random.Random(SEED_LECTURE_RNG)
        self.meetings, self.att, self.speakers, self.tasks = [], [], [], []
        try:
            court_more = max(0, SEED_LECTURES_COURT - held["court"]) if organ is not None else 0
            for k in range(court_more):
                day = _weekday_on_or_after(date(year, 2 + k * 10 // court_more, 26), 3)
                sp = self.pick_speaker(self.r.in_service(day), day)
                self.add(organ, "integrity_lecture", day, time(15, 0), time(17, 0), place="审判楼报告厅",
                         speakers=[{"person_id": sp}] if sp else [])
            branch_more = max(0, SEED_LECTURES_BRANCH - held["branch"]) if branches else 0
            for k in range(branch_more):
                b = branches[(k + 3) % len(branches)]
                day = date(year, 1 + (k * 11 // branch_more) % 12, 3 + self.rng.randint(0, 24))
                sp = self.pick_speaker(self.r.roster(b.pk, day), day)
                self.add(b, "integrity_lecture", day, time(16, 0), time(17, 0),
                         place=f"{b.name.replace('党支部', '')}会议室", speakers=[{"person_id": sp}] if sp else [])
            self.save(points=False)
        finally:
            self.rng = shared

    def campaigns(self, years) -> dict[int, Campaign]:
        rows = [("党的群众路线教育实践活动", date(2014, 1, 1), date(2014, 9, 30), "为民务实清廉，照镜子、正衣冠、洗洗澡、治治病"),
                ("三严三实", date(2015, 4, 1), date(2015, 12, 31), "严以修身、严以用权、严以律己，谋事要实、创业要实、做人要实"),
                ("两学一做", date(2016, 4, 1), date(2016, 12, 31), "学党章党规、学系列讲话，做合格党员")]
        for y in years:
            if y > 2016:
                rows.append((f"{y}年度党员教育培训", date(y, 1, 1), date(y, 12, 31), "年度理论学习和党性教育"))
        out = {}
        for name, start, end, desc in rows:
            c, _ = Campaign.objects.get_or_create(court=self.court, name=name,
                                                  defaults={"starts_on": start, "ends_on": end, "description": desc})
            out[start.year] = c
        return out

    def save(self, *, points: bool = True) -> None:
        Meeting.objects.bulk_create(self.meetings, batch_size=500)
        attendance, speakers, tasks = [], [], []
        for m, rows, sps, tks in zip(self.meetings, self.att, self.speakers, self.tasks, strict=True):
            for person_id, vote, status in rows:
                reason = self.rng.choice(LEAVE_REASONS) if status == AttendanceStatus.LEAVE else ""
                signed = None
                attendance.append({"meeting_id": m.pk, "person_id": person_id, "expected": True, "has_vote": vote,
                                   "status": str(status), "reason": reason, "signed_in_at": signed,
                                   "source": str(AttendanceSource.MANUAL)})
            for s in sps:
                speakers.append(MeetingSpeaker(meeting=m, person_id=s.get("person_id"),
                                               external_name=s.get("external_name", ""),
                                               external_unit=s.get("external_unit", ""), title=m.topic))
            for t in tks:
                done = t["due"] - timedelta(days=2) if t["due"] < self.today - timedelta(days=10) else None
                owner = m.host_id
                if owner:
                    tasks.append(FollowUpTask(meeting=m, description=t["description"], owner_id=owner,
                                              due_on=t["due"], done_on=done))
        bulk_insert(Attendance, attendance)  # the largest table of the demo after the cases
        MeetingSpeaker.objects.bulk_create(speakers, batch_size=500)
        FollowUpTask.objects.bulk_create(tasks, batch_size=500)
        if points:
            self.recent_points()

    def recent_points(self) -> None:
        """The ledger through the party service, for branch meetings of the last 30 days."""
        from tianping.partylife.services import _attendance_points, _speaker_points

        since = self.today - timedelta(days=30)
        recent = (Meeting.objects.filter(court=self.court, status=MeetingStatus.HELD, date__gte=since,
                                         meeting_type__awards_points=True)
                  .exclude(organisation__kind__in=COURT_KINDS).select_related("meeting_type"))
        for m in recent:
            for row in m.attendances.select_related("person", "meeting__meeting_type"):
                _attendance_points(row=row, actor=None)
            _speaker_points(meeting=m, actor=None)


def seed(ctx) -> None:
    court = ctx.data.get("court")
    if court is None or Meeting.objects.filter(court=court).exists():
        return
    from tianping.party.models import PartyOrganisation

    if not PartyOrganisation.objects.filter(court=court).exists():
        return
    _Builder(ctx, court, timezone.localdate()).run()
    ctx.data["partylife_meetings"] = Meeting.objects.filter(court=court).count()

