"""The generic action view (`tianping.core.actions.run_action`): refusals re-render the form, never a 500."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django import forms
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.test import RequestFactory

from tianping.core import actions

pytestmark = pytest.mark.django_db


class NoteForm(forms.Form):
    note = forms.CharField()
    day = forms.DateField(required=False)


@pytest.fixture
def rendered(monkeypatch):
    """run_action's render and policy replaced: the form it would show is kept, the policy says yes."""
    seen: dict = {}

    def fake_render(request, template, context):
        seen.update(context)
        return HttpResponse("form")

    monkeypatch.setattr(actions, "render", fake_render)
    monkeypatch.setattr(actions, "require", lambda user, action, obj: None)
    return seen


def _post(data=None):
    request = RequestFactory().post("/x/", data or {})
    request.user = SimpleNamespace(is_authenticated=True)
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def _action(call, states=("open",), field_map=None):
    return {"note": actions.Action("记录", NoteForm, "change", call=call, states=set(states),
                                   field_map=field_map or {})}


def test_a_post_in_a_state_where_the_action_does_not_apply_shows_the_reason(rendered):
    obj = SimpleNamespace(status="closed")
    called = []
    response = actions.run_action(_post({"note": "x"}), _action(lambda r, o, f: called.append(1)), "note",
                                  obj=obj, template="t.html", success_url="/done/")
    assert response.status_code == 200 and not called
    assert "当前状态下不能执行" in str(rendered["form"].non_field_errors())


def test_an_empty_post_in_a_state_where_the_action_does_not_apply_is_not_a_500(rendered):
    """Found by the permission matrix: an empty POST left the form unbound, and adding the state error to it
    raised AttributeError (500)."""
    response = actions.run_action(_post(), _action(lambda r, o, f: None), "note",
                                  obj=SimpleNamespace(status="closed"), template="t.html", success_url="/done/")
    assert response.status_code == 200
    assert "当前状态下不能执行" in str(rendered["form"].non_field_errors())


def test_an_empty_post_shows_each_required_field(rendered):
    obj = SimpleNamespace(status="open")
    response = actions.run_action(_post(), _action(lambda r, o, f: None), "note", obj=obj, template="t.html",
                                  success_url="/done/")
    assert response.status_code == 200
    assert rendered["form"].is_bound and "note" in rendered["form"].errors


def test_a_service_refusal_lands_beside_the_renamed_field_and_keeps_the_input(rendered):
    def refuse(request, obj, form):
        raise ValidationError({"occurred_on": "日期不能早于受理日期。"})

    obj = SimpleNamespace(status="open")
    actions.run_action(_post({"note": "typed", "day": "2016-01-02"}),
                       _action(refuse, field_map={"occurred_on": "day"}), "note", obj=obj, template="t.html",
                       success_url="/done/")
    form = rendered["form"]
    assert form.errors["day"] == ["日期不能早于受理日期。"]
    assert form["note"].value() == "typed"


def test_success_redirects_and_an_unknown_action_is_404(rendered):
    from django.http import Http404

    obj = SimpleNamespace(status="open")
    response = actions.run_action(_post({"note": "ok"}), _action(lambda r, o, f: None), "note", obj=obj,
                                  template="t.html", success_url="/done/")
    assert response.status_code == 302 and response["Location"] == "/done/"
    with pytest.raises(Http404):
        actions.run_action(_post(), _action(lambda r, o, f: None), "other", obj=obj, template="t.html",
                           success_url="/done/")


def test_the_policy_is_asked_before_anything(monkeypatch):
    def deny(user, action, obj):
        raise PermissionDenied

    monkeypatch.setattr(actions, "require", deny)
    called = []
    with pytest.raises(PermissionDenied):
        actions.run_action(_post({"note": "x"}), _action(lambda r, o, f: called.append(1)), "note",
                           obj=SimpleNamespace(status="open"), template="t.html", success_url="/done/")
    assert not called
