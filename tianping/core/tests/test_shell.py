from decimal import Decimal

import pytest
from django.urls import reverse

from tianping.core.menu import menu_for
from tianping.core.views import figure_text
from tianping.org.filtersets import PersonFilterSet


@pytest.mark.parametrize("value,text", [(0, "0"), (12345, "12,345"), (100894.500000001, "100,894.50"),
                                        (Decimal("52.00"), "52"), (0.975, "0.97"), ("97%", "97%"), (None, "")])
def test_figure_text(value, text):
    assert figure_text(value) == text


@pytest.mark.django_db
def test_only_the_most_specific_menu_item_is_active(court, make_user):
    user = make_user(court, "party_office")
    active = [i["label"] for g in menu_for(user, "/org/people/12/") for i in g["items"] if i["active"]]
    assert [str(a) for a in active] == ["人员名册"]
    active = [i["label"] for g in menu_for(user, "/org/") for i in g["items"] if i["active"]]
    assert [str(a) for a in active] == ["组织架构"]


@pytest.mark.django_db
def test_menu_hides_items_outside_the_roles(court, make_user):
    member = make_user(court, "member")
    labels = [str(i["label"]) for g in menu_for(member) for i in g["items"]]
    assert "组织架构" in labels and "人员名册" not in labels
    auditor_labels = {str(i["label"]) for g in menu_for(make_user(court, "auditor")) for i in g["items"]}
    assert not auditor_labels & {"人员名册", "组织架构", "部门"}  # no business or personal data


@pytest.mark.django_db
def test_filter_bar_says_all_for_no_filter(court, make_user):
    form = PersonFilterSet({}, user=make_user(court, "party_office")).form
    assert list(form.fields["post"].choices)[0] == ("", "全部")
    assert list(form.fields["department"].choices)[0][1] == "全部"
    assert ("unknown", "全部") in form.fields["in_service"].widget.choices


@pytest.mark.django_db
def test_watermark_and_user_menu(court, make_user, client_for):
    from django.utils import timezone

    user = make_user(court, "party_office", username="wm_user")
    html = client_for(user).get(reverse("org:tree")).content.decode()
    watermark = html.split('class="watermark"', 1)[1].split("</div>", 1)[0]
    assert f"wm_user {timezone.localdate():%Y-%m-%d}" in watermark
    assert 'data-testid="user-menu"' in html and "政治部/机关党委" in html
    assert "<script>" not in html and "onclick=" not in html  # CSP: no inline script


def _staff_figure(html: str) -> int:
    """The home page's 在职人员 figure."""
    import re

    match = re.search(r'在职人员</div>\s*<div class="value"><a href="[^"]*">([\d,]+)</a>', html)
    assert match, html[:2000]
    return int(match.group(1).replace(",", ""))


@pytest.mark.django_db
def test_the_home_page_is_kept_per_account_until_its_own_change(court, make_user, client_for, settings,
                                                                 django_capture_on_commit_callbacks):
    """TIANPING_HOME_CACHE_SECONDS: an account's home page (to-dos and figures) is worked out once and kept;
    what others change shows after the kept time or on 刷新; what the account itself does (an audited change)
    drops its copy at once; another account's change does not drop it; a copy of another day is not used."""
    from django.core.cache import cache

    from tianping.core.audit import audit_record
    from tianping.core.views import _home_key
    from tianping.org.tests.factories import PersonFactory

    settings.TIANPING_HOME_CACHE_SECONDS = 60
    cache.clear()
    office = make_user(court, "party_office")
    other = make_user(court, "party_office")
    client = client_for(office)
    first = client.get("/").content.decode()
    staff = _staff_figure(first)
    assert 'data-testid="home-at"' in first and "刷新" in first

    PersonFactory(court=court)  # somebody else's change (not through this account)
    assert _staff_figure(client.get("/").content.decode()) == staff  # the kept copy
    assert _staff_figure(client.get("/?refresh=1").content.decode()) == staff + 1  # 刷新 works it out now

    PersonFactory(court=court)
    with django_capture_on_commit_callbacks(execute=True):
        audit_record(actor=other, event="org.person_created", message="another account's change")
    assert _staff_figure(client.get("/").content.decode()) == staff + 1  # still this account's copy
    with django_capture_on_commit_callbacks(execute=True):
        audit_record(actor=office, event="org.person_created", message="this account's change")
    assert _staff_figure(client.get("/").content.decode()) == staff + 2  # its own change: worked out anew

    PersonFactory(court=court)
    key = _home_key(office.pk, "zh-hans")
    day, content, at = cache.get(key)
    cache.set(key, (day.replace(year=day.year - 1), content, at), 60)  # a copy from another day
    assert _staff_figure(client.get("/").content.decode()) == staff + 3

    settings.TIANPING_HOME_CACHE_SECONDS = 0  # off: worked out on every visit, no "数据截至" line
    PersonFactory(court=court)
    html = client.get("/").content.decode()
    assert _staff_figure(html) == staff + 4 and 'data-testid="home-at"' not in html
    cache.clear()
