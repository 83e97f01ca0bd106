"""One way to act: a view asks the policy, validates a Django form, calls the service; on refusal it re-renders
the form with what the user typed and each error beside its field.

    ACTIONS = {
        "accept": Action(_("受理调解"), forms.AcceptForm, "handle", states={Status.ASSIGNED},
                         call=lambda request, obj, form: services.mediation_accept(
                             dispute=obj, actor=request.user, **form.cleaned_data)),
    }

    def dispute_action(request, pk, action):
        return run_action(request, ACTIONS, action, obj=_dispute(request, pk), template=..., success_url=...)

Create forms add `OnceFormMixin`: a hidden one-time token makes a double submit create one record
(`create_once`). Service refusals (ValidationError) land beside the field they name; a service may name a
field differently from the form (`field_map`).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tianping.core.policy import can, require

TOKEN_FIELD = "once_token"  # noqa: S105 - a form field name


def add_service_errors(form: forms.BaseForm, exc: ValidationError, field_map: Mapping[str, str] | None = None) -> None:
    """Put a service's ValidationError on the form: each named field beside its field (renamed through
    `field_map` where the service's name differs from the form's), the rest at the top."""
    field_map = field_map or {}
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            mapped = field_map.get(name, name)
            target = mapped if mapped in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        form.add_error(None, exc)


class OnceFormMixin(forms.Form):
    """A hidden one-time token: the first submission claims it (`create_once`), later ones find it taken."""

    once_token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields[TOKEN_FIELD].initial = uuid.uuid4().hex


def create_once(request: HttpRequest, form: forms.BaseForm, call: Callable[[], Any],
                url_of: Callable[[Any], str]) -> HttpResponse | None:
    """Run `call()` (the service) once per form token and redirect to `url_of(result)`.

    A second submission with the same token — a re-post, a double click, two tabs — redirects to the record the
    first made instead of making another. The claim and the service share one transaction, so a refused
    submission (ValidationError, re-raised for the caller to show) leaves the token free to submit again.
    Two simultaneous posts: the second insert of the same token waits for the first transaction and then
    fails the unique constraint, and is answered with the first one's record."""
    from tianping.core.models import IdempotencyKey

    token = (form.cleaned_data.get(TOKEN_FIELD) or "").strip()[:64] if hasattr(form, "cleaned_data") else ""
    user: Any = request.user  # a signed-in account (the view asked the policy)
    if not token:
        result = call()
        return redirect(url_of(result))
    try:
        with transaction.atomic():
            key = IdempotencyKey.objects.create(token=token, user=user)
            result = call()
            key.result_url = url_of(result)
            key.save(update_fields=["result_url"])
    except IntegrityError:
        existing = IdempotencyKey.objects.filter(token=token, user=user).first()
        if existing is None:
            raise
        messages.info(request, _("该表单已经提交过，未重复创建。"))
        return redirect(existing.result_url or request.path)
    return redirect(key.result_url)


@dataclass(frozen=True)
class Action:
    """One state-changing action on an object: its label, form, the policy action it needs, the states it
    applies in, and the service call (request, obj, form) -> anything."""

    label: Any
    form_class: type[forms.BaseForm]
    permission: str                      # the policy action, e.g. "handle" -> app.handle_dispute
    call: Callable[[HttpRequest, Any, forms.BaseForm], Any]
    states: Collection[Any] = ()         # empty: any state
    form_kwargs: Callable[[Any], dict[str, Any]] = field(default=lambda obj: {})
    field_map: Mapping[str, str] = field(default_factory=dict)
    state_field: str = "status"

    def applies(self, obj: Any) -> bool:
        return not self.states or getattr(obj, self.state_field) in self.states

    def available(self, user: Any, obj: Any) -> bool:
        return self.applies(obj) and can(user, self.permission, obj)


def available_actions(user: Any, obj: Any, actions: Mapping[str, Action]) -> list[tuple[str, Any]]:
    return [(name, a.label) for name, a in actions.items() if a.available(user, obj)]


def run_action(request: HttpRequest, actions: Mapping[str, Action], name: str, *, obj: Any, template: str,
               success_url: str, context: Mapping[str, Any] | None = None) -> HttpResponse:
    """GET shows the action's form, POST validates it and calls the service; 404 for an unknown action,
    403 when the policy refuses, and a refused call re-renders the form with the user's input."""
    action = actions.get(name)
    if action is None:
        raise Http404
    require(request.user, action.permission, obj)
    posted = request.method == "POST"
    # bound on every POST, also an empty one (which then shows each required field's error, not a blank form)
    form = action.form_class(request.POST if posted else None, request.FILES if posted else None,
                             **action.form_kwargs(obj))
    if posted:
        valid = form.is_valid()  # first: errors can only be added to a validated form
        if not action.applies(obj):
            form.add_error(None, _("当前状态下不能执行“%(a)s”。") % {"a": action.label})
        elif valid:
            try:
                with transaction.atomic():
                    action.call(request, obj, form)
            except ValidationError as exc:
                add_service_errors(form, exc, action.field_map)
            else:
                messages.success(request, _("%(a)s：已完成。") % {"a": action.label})
                return redirect(success_url)
    return render(request, template, {**(context or {}), "obj": obj, "form": form, "action": name,
                                      "label": action.label})
