"""mediation/policy.py: the centre's desk is a role, the confirmation room a flag of it, handlers are the
assigned mediator and studio judge; menus show only what leads somewhere; every page declares its permission."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import URLPattern, get_resolver, reverse

from tianping.core.menu import menu_for
from tianping.core.policy import allowed, can
from tianping.core.roles import Role
from tianping.mediation.models import CentreStaff, Dispute, Mediator, ProvinceStatistic

pytestmark = pytest.mark.django_db


def _menu_labels(user) -> set[str]:
    return {str(i["label"]) for g in menu_for(user) for i in g["items"]}


def test_centre_role_alone_works_the_intake_desk_but_does_not_rule(court, make_user, client_for):
    desk = make_user(court, Role.CENTRE, username="desk")
    assert can(desk, "add", Dispute) and can(desk, "triage", Dispute) and can(desk, "transfer", Dispute)
    assert not can(desk, "confirm", Dispute)
    assert can(desk, "import", ProvinceStatistic) and can(desk, "add", Mediator)
    assert client_for(desk).get(reverse("mediation:dispute_create")).status_code == 200
    assert "诉前调解案件" in _menu_labels(desk)


def test_confirmation_room_is_the_centre_role_with_the_flag(court, make_user, make_dispute):
    judge = make_user(court, Role.CENTRE, username="room")
    CentreStaff.objects.create(court=court, user=judge, can_intake=False, can_confirm=True)
    judge = type(judge).objects.get(pk=judge.pk)  # forget the cached roles and desk
    d = make_dispute()
    assert can(judge, "confirm", d) and can(judge, "view", d)
    assert not can(judge, "add", Dispute) and not can(judge, "triage", d)


def test_a_centre_staff_entry_without_the_role_grants_nothing(court, make_user, make_dispute, client_for):
    clerk = make_user(court, Role.MEMBER, username="clerk")
    CentreStaff.objects.create(court=court, user=clerk, can_intake=True, can_confirm=True)
    d = make_dispute()
    assert not can(clerk, "add", Dispute) and not can(clerk, "confirm", Dispute)
    c = client_for(clerk)
    assert c.get(reverse("mediation:dispute_create")).status_code == 403
    assert c.get(reverse("mediation:dispute_detail", args=[d.pk])).status_code == 404


def test_the_desk_of_another_court_reaches_nothing(other_court, make_user, make_dispute, client_for):
    d = make_dispute()
    desk = make_user(other_court, Role.CENTRE, username="other_desk")
    assert not can(desk, "triage", d) and not can(desk, "handle", d)
    assert client_for(desk).get(reverse("mediation:dispute_action", args=[d.pk, "triage"])).status_code == 404


def test_migration_gives_centre_staff_the_centre_role(court, make_user):
    from importlib import import_module

    from django.apps import apps

    old_style = make_user(court, Role.MEDIATOR, username="old_desk")
    CentreStaff.objects.create(court=court, user=old_style, can_intake=True, can_confirm=True)
    import_module("tianping.mediation.migrations.0004_centre_role").grant(apps, None)
    old_style = type(old_style).objects.get(pk=old_style.pk)
    assert can(old_style, "add", Dispute) and can(old_style, "confirm", Dispute)


@pytest.mark.parametrize("roles", [(Role.PARTY_OFFICE, Role.MEMBER), (Role.BRANCH_SECRETARY, Role.MEMBER),
                                   (Role.MEMBER,)])
def test_no_dispute_menu_for_those_who_would_see_none(court, make_user, client_for, roles):
    """Issue 12: party_office and a branch secretary saw 诉前调解案件 with 共 0 条 and a 统计 button to a 403."""
    user = make_user(court, *roles)
    labels = _menu_labels(user)
    assert not labels & {"诉前调解案件", "诉调对接统计", "调解员名册", "统计数据与限额"}
    c = client_for(user)
    assert c.get(reverse("mediation:dispute_list")).status_code == 403
    assert c.get(reverse("mediation:figures")).status_code == 403


def test_studio_judge_gets_the_menu_and_the_figures_button(court, studio_judge_user, studio, client_for):
    assert "诉前调解案件" in _menu_labels(studio_judge_user)
    html = client_for(studio_judge_user).get(reverse("mediation:dispute_list")).content.decode()
    assert reverse("mediation:figures") in html
    assert client_for(studio_judge_user).get(reverse("mediation:figures")).status_code == 200


def test_readers_get_no_edit_links_on_the_roster(court, make_user, client_for, mediator, studio):
    leader = make_user(court, Role.LEADER)
    html = client_for(leader).get(reverse("mediation:mediator_list")).content.decode()
    assert reverse("mediation:mediator_edit", args=[mediator.pk]) not in html
    assert reverse("mediation:studio_edit", args=[studio.pk]) not in html
    assert client_for(leader).get(reverse("mediation:mediator_edit", args=[mediator.pk])).status_code == 403


def test_higher_court_sees_figures_but_not_the_roster(court, make_user, client_for):
    from tianping.org.tests.factories import CourtFactory

    mid = CourtFactory(code="鲁04", name="枣庄市中级人民法院", level="intermediate")
    court.parent = mid
    court.save()
    higher = make_user(mid, Role.HIGHER_COURT)
    Mediator.objects.create(court=court, name="某调解员", kind="peoples", phone="13812345678")
    assert allowed(higher, "mediation.view_figures")
    c = client_for(higher)
    assert c.get(reverse("mediation:mediator_list")).status_code == 403
    assert c.get(reverse("mediation:statistics")).status_code == 403
    assert "调解员名册" not in _menu_labels(higher)


def test_list_export_needs_the_export_permission(court, make_user, client_for, mediating, studio_judge_user,
                                                 studio):
    mediating()
    # a studio judge exports the disputes they see (none of theirs yet: only the header row)
    r = client_for(studio_judge_user).get(reverse("mediation:dispute_list") + "?export=xlsx")
    assert r.status_code == 200
    from io import BytesIO

    from openpyxl import load_workbook

    assert list(load_workbook(BytesIO(r.content)).active.iter_rows(min_row=2, values_only=True)) == []
    assert client_for(make_user(court, Role.PARTY_OFFICE)).get(
        reverse("mediation:dispute_list") + "?export=xlsx").status_code == 403


APPS = ("mediation", "trials", "org")


def _patterns(resolver, prefix=""):
    for p in resolver.url_patterns:
        if isinstance(p, URLPattern):
            yield prefix, p
        else:
            ns = f"{prefix}{p.namespace}:" if getattr(p, "namespace", None) else prefix
            yield from _patterns(p, ns)


def test_every_view_of_these_apps_declares_its_permission():
    """Each URL of mediation, trials and org carries `permission_required` or `object_permission`, and the
    permission it names is declared."""
    from tianping.core.policy import DECLARED, perm_name

    missing = []
    for ns, p in _patterns(get_resolver()):
        if ns.rstrip(":") not in APPS:
            continue
        view = p.callback
        perm = getattr(view, "tianping_perm", None)
        obj = getattr(view, "tianping_object", None)
        if obj is not None:
            perm = perm_name(obj[0], obj[1])
        if perm is None or perm not in DECLARED:
            missing.append(f"{ns}{p.name}")
    assert missing == []


def test_overdue_disputes_are_marked_in_the_list(client_for, centre, mediating, make_dispute, time_machine):
    late = mediating()  # deadline 2024-04-01
    on_time = mediating()
    from tianping.mediation import services

    services.deadline_extend(dispute=on_time, actor=centre, days=30, reason="当事人均同意",
                             granted_on=date(2024, 3, 20),
                             consents={p.pk: date(2024, 3, 20) for p in on_time.parties.all()})
    time_machine.move_to("2024-04-04 10:00 +08:00")
    c = client_for(centre)
    html = c.get(reverse("mediation:dispute_list")).content.decode()
    assert f'data-testid="overdue-{late.pk}">已超期 3 天' in html
    assert f"overdue-{on_time.pk}" not in html
    listed = c.get(reverse("mediation:dispute_list") + "?overdue=on").context["table"].rows
    assert [r.record.pk for r in listed] == [late.pk]


def test_president_todo_says_whose_disputes_wait(court, make_user, make_dispute, centre, mediator, studio):
    from tianping.mediation import services
    from tianping.mediation.todo import todo_items

    for _i in range(2):
        services.dispute_triage(dispute=make_dispute(), actor=centre, route="mediation", reason="适宜调解",
                                triaged_on=date(2024, 3, 1), room="peoples", mediator=mediator)
    services.dispute_triage(dispute=make_dispute(), actor=centre, route="mediation", reason="交通事故",
                            triaged_on=date(2024, 3, 1), room="studio", studio=studio)
    president = make_user(court, Role.LEADER, Role.MEMBER, username="president")
    labels = [i["label"] for i in todo_items(president)]
    assert not any("已分流给您" in label for label in labels)
    [item] = [label for label in labels if "待受理调解" in label]
    assert item.startswith("3 件纠纷已分流待受理调解") and f"{mediator.name} 2 件" in item \
        and f"{studio.name} 1 件" in item
    # the mediator is told of their own
    own = [i["label"] for i in todo_items(mediator.user)]
    assert own == ["2 件纠纷已分流给您，待受理调解"]


def test_each_action_url_carries_its_own_permission():
    """The permission-matrix test reads the view's declaration: /5/transfer/ needs "transfer", not "view"."""
    from django.urls import resolve

    from tianping.mediation.views import ACTIONS

    for name, action in ACTIONS.items():
        match = resolve(reverse("mediation:dispute_action", args=[5, name]))
        assert match.func.tianping_object[:2] == (Dispute, action.permission), name
