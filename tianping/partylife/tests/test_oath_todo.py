"""The oath (入党宣誓, issue 16): newly admitted members who have not taken it are on their branch's to-do list
(and so on the court dashboard's to-dos by owner); recording an oath meeting with their attendance clears them."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from tianping.partylife.todo import todo_items

pytestmark = pytest.mark.django_db


def _oath(user) -> list[dict]:
    return [i for i in todo_items(user) if str(i["label"]).startswith("入党宣誓：")]


@time_machine.travel("2016-03-20 09:00 +0800", tick=False)
def test_new_members_wait_for_the_oath_until_an_oath_meeting_records_them(life, make_meeting):
    from tianping.partylife import services

    items = _oath(life.secretary)
    assert len(items) == 1 and "沙沟人民法庭党支部 有 2 名" in str(items[0]["label"])
    assert f"organisation={life.branch.pk}" in items[0]["url"] and "type=oath" in items[0]["url"]
    assert _oath(life.other_user) == []  # the other branch has no new member
    assert len(_oath(life.office)) == 1  # the party office manages every branch

    # an oath held before their admission, or one they missed, does not count
    meeting = make_meeting(code="oath", day=date(2016, 3, 10))
    first, second = life.probationary
    services.attendance_record(actor=life.office, meeting=meeting, entries=[
        {"person": first, "status": "present"}, {"person": second, "status": "absent"}])
    items = _oath(life.secretary)
    assert len(items) == 1 and "有 1 名" in str(items[0]["label"])
    later = make_meeting(code="oath", day=date(2016, 3, 18))
    services.attendance_record(actor=life.office, meeting=later, entries=[{"person": second, "status": "late"}])
    assert _oath(life.secretary) == []


@time_machine.travel("2017-03-20 09:00 +0800", tick=False)
def test_members_admitted_more_than_a_year_ago_are_history(life):
    assert _oath(life.secretary) == []
