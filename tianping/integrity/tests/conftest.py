"""Fixtures of the integrity desk: a court with two departments, judges, a letter template changed mid-year
(version 1 from 2016-01-01, version 2 from 2016-07-01), and accounts for the desk, the party office, discipline,
a branch secretary, a leader, a member and the higher court."""

from __future__ import annotations

from datetime import date

import pytest

from tianping.core.roles import Role

BODY = "尊敬的当事人：\n\n{法院}已受理您的案件（{案号}），由{承办部门}{承办人}承办。\n\n投诉电话：{投诉电话}。"


@pytest.fixture
def reference_data(db):
    """Case types and limits from the data migrations (a transactional browser test flushes them)."""
    from importlib import import_module

    from django.apps import apps

    for name in ("0005_load_annex_type_codes", "0007_load_time_limits"):
        loader = getattr(import_module(f"tianping.trials.migrations.{name}"), "load", None)
        if loader is not None:
            loader(apps, None)


@pytest.fixture
def deps(court):
    from tianping.org.tests.factories import DepartmentFactory

    return {"civil": DepartmentFactory(court=court, name="民事审判第一庭", sort_order=1),
            "filing": DepartmentFactory(court=court, name="立案庭", sort_order=2)}


@pytest.fixture
def judge(court, deps):
    from tianping.org.tests.factories import PersonFactory

    return PersonFactory(court=court, name="韩承办", department=deps["civil"])


@pytest.fixture
def templates(court):
    from tianping.integrity.models import LetterTemplate

    return [LetterTemplate.objects.create(court=court, version=1, body=BODY, complaint_phone="0632-4412345",
                                          effective_from=date(2016, 1, 1)),
            LetterTemplate.objects.create(court=court, version=2, body=BODY.replace("尊敬的", "尊敬的各位"),
                                          complaint_phone="0632-12368", effective_from=date(2016, 7, 1))]


@pytest.fixture
def users(court, other_court, make_user, deps):
    from tianping.org.tests.factories import PersonFactory

    def person(name):
        return PersonFactory(court=court, name=name, department=deps["filing"], is_quota_judge=False)

    return {
        "desk": make_user(court, Role.CENTRE, person=person("立案甲"), username="desk"),
        "trial_office": make_user(court, Role.TRIAL_OFFICE, Role.MEMBER, person=person("审管乙"), username="tro"),
        "party_office": make_user(court, Role.PARTY_OFFICE, Role.MEMBER, person=person("政工丙"), username="po"),
        "discipline": make_user(court, Role.DISCIPLINE, Role.MEMBER, person=person("纪检丁"), username="disc"),
        "secretary": make_user(court, Role.BRANCH_SECRETARY, Role.MEMBER, person=person("书记戊"), username="sec"),
        "leader": make_user(court, Role.LEADER, Role.MEMBER, person=person("院长己"), username="lead"),
        "member": make_user(court, Role.MEMBER, person=person("干警庚"), username="mem"),
        "higher": make_user(other_court, Role.HIGHER_COURT, username="higher"),
    }
