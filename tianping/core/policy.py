"""Who may do what: the one authorisation layer.

Each app declares its permissions once, in `<app>/policy.py`, as `rules` predicates over the user and the object:

    from tianping.core.policy import declare, has_role, in_scope
    from tianping.core.roles import Role

    declare(PartyOrganisation, "view", has_role(Role.PARTY_OFFICE, Role.LEADER) | leads_branch)
    declare("party.view_rules", has_role(Role.PARTY_OFFICE, Role.LEADER))   # a page, not a model

Everything else reads those declarations:
- views: `require(request.user, "change", obj)` (403) or the generic views in `tianping.core.actions`;
- querysets: `Model.objects.visible_to(user, action)` — `PolicyQuerySet` returns nothing unless the model-level
  permission holds, then narrows to the rows by the model's `scoped_to(user, action)`;
- menus, buttons and import/export links: `allowed(user, perm)`, `{% can "change" obj as ok %}`.

The model-level question (obj None) means "may the user do this to some object of the kind" (a menu item, an
"add" button); an object predicate must answer it too (usually: True when obj is None).

An undeclared permission raises `ImproperlyConfigured`: a check nobody declared is a bug, not a "no".
The superuser special case is added here, once (`tianping.core.roles.is_superuser_without_roles`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, Self, TypeVar

import rules
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db import models
from django.http import HttpRequest, HttpResponse

from tianping.core import roles as _roles

_M = TypeVar("_M", bound=models.Model)
View = Callable[..., HttpResponse]

_RULESET = rules.RuleSet()
# name -> the predicate as declared (without the superuser clause); read by the permission-matrix test
DECLARED: dict[str, rules.Predicate] = {}


def _is_authenticated(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False))


is_authenticated = rules.Predicate(_is_authenticated, name="is_authenticated")
is_superuser_without_roles = rules.Predicate(_roles.is_superuser_without_roles, name="is_superuser_without_roles")


def has_role(*codes: str) -> rules.Predicate:
    """A predicate: the user holds one of these roles."""
    wanted = frozenset(str(c) for c in codes)

    def _has(user: Any) -> bool:
        return bool(_roles.user_roles(user) & wanted)

    return rules.Predicate(_has, name="has_role:" + "|".join(sorted(wanted)))


def in_scope(action: str = "view", *, model: type[models.Model] | None = None, via: str | None = None) -> rules.Predicate:
    """A predicate over (user, obj): the object is among `type(obj).objects.visible_to(user, action)`'s rows.
    With no object (the model-level question) it is True: combine it with a role predicate.

    With `model`, the scope of a related record decides, by that model's own rules (`model.objects.scoped_to`;
    the declaration's role predicate is the other half): the object itself when it is a `model`, otherwise its
    attribute `via` (a committee post's `organisation`, a dues payment's `member`)."""

    def _in(user: Any, obj: Any) -> bool:
        if obj is None:
            return True
        if model is None:
            manager: Any = type(obj)._default_manager
            return bool(manager.visible_to(user, action).filter(pk=obj.pk).exists())
        target = obj if isinstance(obj, model) or via is None else getattr(obj, via)
        related: Any = model._default_manager
        return bool(related.scoped_to(user, action).filter(pk=target.pk).exists())

    label = model._meta.label_lower if model is not None else "visible"
    return rules.Predicate(_in, name=f"in_scope:{label}:{action}")


def perm_name(target: Any, action: str) -> str:
    """"party.change_partyorganisation" for (PartyOrganisation or an instance of it, "change")."""
    if isinstance(target, str):
        return target if "." in target else f"{target}"
    model: type[models.Model] = target if isinstance(target, type) else type(target)
    opts = model._meta
    return f"{opts.app_label}.{action}_{opts.model_name}"


def declare(target: Any, action_or_predicate: Any, predicate: rules.Predicate | None = None) -> str:
    """Declare who may: `declare(Model, "change", pred)` or `declare("app.name", pred)`. Returns the name.

    Declaring a name twice is an error (two answers to one question is what this layer exists to prevent)."""
    if predicate is None:
        if not isinstance(target, str) or "." not in target:
            raise ImproperlyConfigured("declare('app.name', predicate) or declare(Model, action, predicate)")
        name, predicate = target, action_or_predicate
    else:
        name = perm_name(target, action_or_predicate)
    if name in DECLARED:
        raise ImproperlyConfigured(f"permission {name} is declared twice")
    DECLARED[name] = predicate
    _RULESET.add_rule(name, predicate | is_superuser_without_roles)
    return name


def allowed(user: Any, perm: str, obj: Any = None) -> bool:
    """The answer for a full permission name."""
    if perm not in DECLARED:
        raise ImproperlyConfigured(f"permission {perm} is not declared in any policy.py")
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(_RULESET.test_rule(perm, user, obj))


def can(user: Any, action: str, target: Any) -> bool:
    """May `user` do `action` to `target` (a model instance, or a model class for "some object of the kind")?"""
    obj = None if isinstance(target, type) else target
    return allowed(user, perm_name(target, action), obj)


def require(user: Any, action: str, target: Any) -> None:
    """Raise PermissionDenied (403) unless `can(user, action, target)`."""
    if not can(user, action, target):
        raise PermissionDenied


def require_perm(user: Any, perm: str, obj: Any = None) -> None:
    if not allowed(user, perm, obj):
        raise PermissionDenied


class PolicyQuerySet(models.QuerySet[_M]):
    """Base queryset: `visible_to(user, action)` = the model-level permission, then the model's row scope.

    Subclasses implement `scoped_to(user, action)` (which rows the user's scope reaches: own court, own branch,
    own record …); whether the action is allowed at all is the policy's declaration, not the queryset's."""

    def scoped_to(self, user: Any, action: str = "view") -> Self:  # pragma: no cover - abstract
        raise NotImplementedError(f"{self.model.__name__}QuerySet.scoped_to")

    def visible_to(self, user: Any, action: str = "view") -> Self:
        # an undeclared action raises ImproperlyConfigured (tests/test_policy.py: every model with visible_to
        # declares "view")
        if not can(user, action, self.model):
            return self.none()
        if _roles.is_superuser_without_roles(user):
            return self.all()
        return self.scoped_to(user, action)


def declared(prefix: str = "") -> Iterable[str]:
    return sorted(n for n in DECLARED if n.startswith(prefix))


# --- views: the permission a URL needs, declared on the view (read by the permission-matrix test) ---------
def permission_required(perm: str, *, post: str | None = None) -> Callable[[View], View]:
    """A page that needs a (model-less) permission: 403 for a signed-in account without it.

    `post`: a page that shows on GET and acts on POST (a list with an add form) names the permission its POST
    needs as well: `@permission_required("trials.view_casetype", post="trials.add_casetype")`."""

    def deco(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            require_perm(request.user, perm)
            if post is not None and request.method == "POST":
                require_perm(request.user, post)
            return view(request, *args, **kwargs)

        wrapped.tianping_perm = perm  # type: ignore[attr-defined]
        wrapped.tianping_perm_post = post  # type: ignore[attr-defined]
        return wrapped

    return deco


def permission_for(check: Callable[..., bool], *, describe: str) -> Callable[[View], View]:
    """A page whose permission depends on its URL, e.g. an import page on its register's import rule:
    `check(user, **url_kwargs)` answers (it may raise Http404 for an unknown register). 403 when it says no.
    `describe` names the rule for the permission matrix and the reader."""

    def deco(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not check(request.user, **kwargs):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped.tianping_check = check  # type: ignore[attr-defined]
        wrapped.tianping_check_describe = describe  # type: ignore[attr-defined]
        return wrapped

    return deco


def object_permission(model: type[models.Model], action: str = "view", url_kwarg: str = "pk",
                      field: str = "pk", *, post: str | None = None) -> Callable[[View], View]:
    """A page about one object: 404 when it is outside the user's scope (`visible_to(user, "view")`, the denial
    audited), 403 when it is visible but the action is not allowed, else the view runs.

    `post`: the action a POST to the page performs, when it differs from what showing the page needs
    (`@object_permission(Meeting, "view", post="change")`).

    The object it fetched is the view's too: `checked_object(request)` (no second query)."""

    def deco(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            from tianping.core.scope import get_visible_or_404

            obj = get_visible_or_404(model._default_manager.all(), request.user, **{field: kwargs[url_kwarg]})
            require(request.user, action, obj)
            if post is not None and request.method == "POST":
                require(request.user, post, obj)
            setattr(request, _CHECKED_OBJECT, obj)  # noqa: B010 - HttpRequest declares no such attribute
            return view(request, *args, **kwargs)

        wrapped.tianping_object = (model, action, url_kwarg, field)  # type: ignore[attr-defined]
        wrapped.tianping_object_post = post  # type: ignore[attr-defined]
        return wrapped

    return deco


_CHECKED_OBJECT = "tianping_checked_object"


def checked_object(request: HttpRequest) -> Any:
    """The object `object_permission` fetched and checked for this request."""
    return getattr(request, _CHECKED_OBJECT)


# core's own: pages every signed-in account may open (home, own password, language, own to-do)
declare("core.signed_in", is_authenticated)
