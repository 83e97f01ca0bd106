"""Load: 50 people of the demo court doing their daily work at once (issue 19), headless.

    bench/load.sh            # builds the demo court on PostgreSQL, starts gunicorn + worker + nginx (TLS), runs this

or against a running site (demo data, TIANPING_REQUIRE_MFA=0, HTTPS because the session cookie is Secure):

    locust -f bench/locustfile.py --headless -u 50 -r 5 -t 3m --host https://127.0.0.1:8443 --csv /tmp/load

Each simulated person signs in once with a demo account of their role and then, with 3–10 s between clicks
(someone reading a page), opens what that role opens in a working day: the home page, the registers with a
filter, a meeting and its attendance, the 三比 figures, disputes, an Excel export. Requests are grouped by page
(`name=`) so the statistics read per page. Only the loopback address is ever a target.
"""

from __future__ import annotations

import os
import random
import re
from urllib.parse import urlencode

from locust import FastHttpUser, between, task

PASSWORD = os.environ.get("TIANPING_DEMO_PASSWORD", "Tianping@2016")
YEAR = int(os.environ.get("LOAD_YEAR", "2026"))


class CourtUser(FastHttpUser):  # geventhttpclient: less client CPU per request than requests
    abstract = True
    wait_time = between(3, 10)
    username = ""

    def on_start(self) -> None:
        # FastHttpUser does not verify certificates (the load run's nginx has a self-signed one)
        page = self.client.get("/accounts/login/", name="login form")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text or "")
        body = urlencode({"username": self.username, "password": PASSWORD,
                          "csrfmiddlewaretoken": token.group(1) if token else ""})
        with self.client.post("/accounts/login/", name="login", allow_redirects=True, catch_response=True, data=body,
                              headers={"Referer": self.host + "/accounts/login/",
                                       "Content-Type": "application/x-www-form-urlencoded"}) as done:
            # the redirect is followed; a refused sign-in answers the form again (200 with the password field)
            if done.status_code != 200 or 'name="password"' in (done.text or ""):
                done.failure(f"{self.username} could not sign in (HTTP {done.status_code})")

    def open(self, path: str, name: str, *, expect: str = "") -> str:
        with self.client.get(path, name=name, catch_response=True) as response:
            if response.status_code != 200:
                response.failure(f"{path}: HTTP {response.status_code}")
            elif expect and expect not in response.text:
                response.failure(f"{path}: no {expect!r}")
            else:
                response.success()
            return response.text or ""

    def open_one_of(self, list_path: str, pattern: str, name: str) -> None:
        """A list page, then one of the records it links to."""
        found = re.findall(pattern, self.open(list_path, name + " list"))
        if found:
            self.open(random.choice(found[:20]), name)

    @task(3)
    def home(self) -> None:
        self.open("/", "home")


class PartyOffice(CourtUser):  # 政治部: the registers, members, dues, meetings
    weight = 8
    username = "party_office"

    @task(2)
    def people(self) -> None:
        self.open(f"/org/people/?q={random.choice('张王李刘陈')}", "people (filtered)")

    @task(2)
    def members(self) -> None:
        self.open_one_of("/party/members/", r'href="(/party/members/\d+/)"', "party member")

    @task(1)
    def dues(self) -> None:
        self.open("/party/dues/", "dues sheet")

    @task(2)
    def meeting(self) -> None:
        self.open_one_of("/life/", r'href="(/life/meetings/\d+/)"', "meeting + attendance")

    @task(1)
    def export(self) -> None:
        with self.client.get("/org/people/?export=xlsx", name="people export (xlsx)", catch_response=True) as r:
            if r.status_code != 200 or not r.content.startswith(b"PK"):
                r.failure(f"export: HTTP {r.status_code}")


class Secretary(CourtUser):  # 党支部书记: the branch's meetings and members
    weight = 8
    username = "secretary_shagou"

    @task(3)
    def meeting(self) -> None:
        self.open_one_of("/life/", r'href="(/life/meetings/\d+/)"', "meeting + attendance")

    @task(1)
    def compliance(self) -> None:
        self.open("/life/compliance/", "compliance matrix")

    @task(1)
    def members(self) -> None:
        self.open("/party/members/", "party member list")


class Judge(CourtUser):  # 法官: own cases, own record, the calendar
    weight = 12
    username = "judge_demo"

    @task(2)
    def cases(self) -> None:
        self.open(f"/trials/cases/?year={YEAR}", "cases (filtered)")

    @task(1)
    def my_record(self) -> None:
        self.open("/party/members/me/", "my party record")

    @task(1)
    def calendar(self) -> None:
        self.open("/life/calendar/", "calendar")


class TrialOffice(CourtUser):  # 审管办: 三比 figures and case lists
    weight = 8
    username = "trial_office"

    @task(3)
    def figures(self) -> None:
        self.open("/trials/", "三比 overview")

    @task(2)
    def cases(self) -> None:
        self.open_one_of(f"/trials/cases/?year={YEAR}", r'href="(/trials/cases/\d+/)"', "case")


class President(CourtUser):  # 院长: figures
    weight = 4
    username = "president"

    @task(2)
    def figures(self) -> None:
        self.open("/trials/", "三比 overview")

    @task(1)
    def disputes(self) -> None:
        self.open("/mediation/figures/", "mediation figures")


class Centre(CourtUser):  # 诉调对接中心: disputes
    weight = 6
    username = "centre_demo"

    @task(3)
    def disputes(self) -> None:
        self.open_one_of("/mediation/", r'href="(/mediation/\d+/)"', "dispute")

    @task(1)
    def statistics(self) -> None:
        self.open("/mediation/statistics/", "mediation statistics")


class Mediator(CourtUser):  # 调解员: own disputes
    weight = 2
    username = "mediator_demo"

    @task(3)
    def disputes(self) -> None:
        self.open_one_of("/mediation/", r'href="(/mediation/\d+/)"', "dispute")


class HigherCourt(CourtUser):  # 上级法院: the courts' table
    weight = 2
    username = "zaozhuang"

    @task(2)
    def courts(self) -> None:
        self.open("/trials/courts/", "courts table")
