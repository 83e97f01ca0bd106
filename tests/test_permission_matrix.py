"""The permission matrix: every URL pattern × every demo account × GET and POST answers what the policy says.

The URL patterns are enumerated from the resolver (through every include). Each view declares what it needs
(`tianping.core.policy`): `permission_required(perm)` (attribute `tianping_perm`), `object_permission(Model,
action, url_kwarg, field)` (attribute `tianping_object`) or `public` (attribute `tianping_public`). From that
declaration and the policy the test computes, for each account, the answer the page must give:

- anonymous: a redirect to the login page (a public page: anything but that);
- an object outside the account's scope (`Model.objects.visible_to(user)`): 404;
- a permission the account lacks, on a visible object or a page: 403;
- otherwise the page works: 200, a redirect elsewhere than the login page (success), 204 (htmx), 400 (the
  empty POST is refused as input, after the permission check) or 405 (the method is not served).

The object ids are real objects of the demo court (seed_demo, loaded once for the run: conftest.py): for each object URL
one object the narrowest account sees and one outside a court-wide or the narrow account's scope. A refused
request (login redirect, 403, 404) must write nothing but its access.denied audit entry.

A URL pattern whose view declares none of these fails `test_every_url_pattern_declares_its_permission`."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

pytestmark = pytest.mark.django_db

DEMO_USERS = ["admin", "security", "auditor", "president", "party_office", "secretary_shagou", "judge_demo",
              "trial_office", "mediator_demo", "centre_demo", "station_shagou", "zaozhuang", "discipline_demo"]
ANON = "(anonymous)"


def _shard(accounts: list[str]) -> list[str]:
    """The accounts this run tries: all of them, unless TIANPING_MATRIX_SHARD="i/n" (.ci/run: "0/2" on SQLite,
    "1/2" on PostgreSQL) keeps every n-th account from the i-th. The two halves of CI together try every
    (route, account) pair once, each route on both databases; a run of `make test` alone tries them all."""
    import os

    spec = os.environ.get("TIANPING_MATRIX_SHARD", "")
    if not spec:
        return accounts
    index, count = (int(part) for part in spec.split("/"))
    if not 0 <= index < count:
        raise ValueError(f"TIANPING_MATRIX_SHARD={spec!r}: want i/n with 0 <= i < n")
    return accounts[index::count]


# the accounts each route is tried with in this run (anonymous always)
MATRIX_USERS = _shard(DEMO_USERS)
# the accounts whose scope is narrowest first: an object one of them sees is one the others see too (or not,
# which is what the matrix checks); the out-of-scope object is one the court-wide accounts cannot see
NARROW_FIRST = ["secretary_shagou", "judge_demo", "mediator_demo", "station_shagou", "centre_demo", "trial_office",
                "party_office", "president", "zaozhuang"]
COURT_WIDE = ["president", "party_office", "trial_office"]

# The integration API (/api/v1/, tianping/api): its endpoints sign in with a bearer token, never a session, so this
# matrix of session accounts does not apply; tianping/api/tests/test_token_matrix.py tries every endpoint with every
# scope and role of a token instead. (Its OpenAPI document and docs page are public and stay in this matrix.)
TOKEN_AUTH_REASON = "token-authenticated API endpoint: tianping/api/tests/test_token_matrix.py"

# Views not written in tianping (Django's own), with the rule they follow.
FOREIGN_VIEWS = {
    "set_language": "public",  # /i18n/ is a public prefix (LoginRequiredMiddleware.PUBLIC_PREFIXES)
}

# URL kwargs that are not object ids: the value used for each (pattern name, kwarg) or kwarg.
KWARG_VALUES: dict[str, Any] = {
    "kind": "members",
    "job_id": "20160101000000-0000000000000000",
    "fmt": "docx",
    "year": 2016,
}
def _feed_token(env, user=None) -> str:
    from tianping.partylife.services import calendar_feed_get

    return calendar_feed_get(user=env["users"]["judge_demo"], regenerate=False).token


def _judge(env, user=None) -> int:
    return env["users"]["judge_demo"].pk


def _first(label: str):
    def pick(env, user=None) -> int:
        from django.apps import apps

        return apps.get_model(label)._default_manager.order_by("pk").values_list("pk", flat=True)[0]

    return pick


def _demo_court_id() -> int:
    from tianping.org.models import Court

    return Court.objects.get(code="鲁0403").pk


def _own_person(env, user=None) -> int:
    """The account's own person (a member's own study record), else the judge's."""
    person_id = getattr(user, "person_id", None)
    return person_id or env["users"]["judge_demo"].person_id


# a callable is called with the demo environment ({"users": …}) and the account (None: anonymous), and gives
# the value; accounts pages are about another account (the judge's)
KWARG_VALUES_BY_NAME: dict[tuple[str, str], Any] = {
    ("partylife:ics_feed", "token"): _feed_token,
    ("partylife:signin", "token"): "0",  # a stale code: the page says why it refuses (see DOMAIN_REFUSALS)
    ("partylife:type_edit", "pk"): _first("partylife.MeetingType"),
    ("partylife:duty_edit", "pk"): _first("partylife.DutyRule"),
    ("partylife:person_attendance", "person_id"): _own_person,
    ("accounts:audit_detail", "pk"): _first("core.AuditEvent"),
    # the higher court's drill-down into a court below it: the demo court
    ("trials:court_figures", "court_id"): lambda env, user=None: _demo_court_id(),
    ("accounts:person_reveal", "pk"): lambda env, user=None: env["users"]["judge_demo"].person_id,
    **{(f"accounts:{name}", "pk"): _judge for name in (
        "account_edit", "account_disable", "account_enable", "account_unlock", "account_reset_password",
        "account_mfa_reset", "account_enrolment_code")},
    ("accounts:account_action", "action"): "unlock",
    ("mediation:dispute_action", "action"): "accept",
    ("mediation:document", "kind"): "notice",
    # a standalone calculation is its maker's until attached; the demo's are all attached to disputes
    ("mediation:saved_calculation", "calc_id"): 1,
    # the lobby screen's link and the column's public page (no login)
    ("honours:lobby", "token"): lambda env, user=None: _honours_demo("lobby"),
    ("honours:lobby_photo", "token"): lambda env, user=None: _honours_demo("lobby"),
    ("honours:lobby_photo", "post_id"): lambda env, user=None: _honours_demo("post"),
    ("honours:column_public", "code"): "鲁0403",
    ("honours:selection_step", "step"): "shortlist",
    ("honours:article_action", "action"): "submit",
    ("honours:column_public_article", "code"): "鲁0403",
    ("honours:column_public_article", "pk"): lambda env, user=None: _honours_demo("article"),
    # the security administrator's revocation is tried on an id that does not exist (the demo's one token, the
    # demo integration's, is revoked by tianping/api/tests; revoking it here would sign the demo out of the API)
    ("api:token_revoke", "pk"): 999_999,
}


def _honours_demo(what: str) -> Any:
    from tianping.honours.models import Article, LobbyScreen, PioneerPost

    if what == "lobby":
        return LobbyScreen.objects.filter(revoked_at__isnull=True).order_by("pk").first().token
    if what == "post":
        return PioneerPost.objects.exclude(photo="").order_by("pk").first().pk
    return Article.objects.filter(status="published").order_by("pk").first().pk

# A kwarg naming an object that belongs to the pattern's main object: (model label, field to the parent,
# a filter the child must meet — a download needs a file).
CHILD_KWARGS: dict[str, tuple[str, str, dict[str, Any]]] = {
    "post_pk": ("party.CommitteePost", "organisation", {}),
    "task_id": ("partylife.FollowUpTask", "meeting", {}),
    "att_id": ("partylife.Attachment", "meeting", {"file__gt": ""}),
    "material_id": ("mediation.Material", "dispute", {"file__gt": ""}),
    "calc_id": ("mediation.TrafficCalculation", "dispute", {}),
    "file_id": ("integrity.MeasureAttachment", "measure", {"file__gt": ""}),
    "attachment_id": ("honours.ArticleAttachment", "article", {}),
    "booking_id": ("honours.VenueBooking", "venue", {}),
    "objection_id": ("honours.Objection", "selection", {}),
    "study_file_id": ("annual.LeadershipStudyAttachment", "study", {"file__gt": ""}),
}
# The object a page is about must meet this (a download needs its file).
OBJECT_FILTERS: dict[str, dict[str, Any]] = {
    "party:evidence_file": {"evidence_file__gt": ""},
    "party:picture_file": {"image__gt": ""},
    "honours:honour_certificate": {"certificate__gt": ""},
    "honours:post_photo": {"photo__gt": ""},
    "integrity:pledge_scan": {"scan__gt": ""},
}
def _compliance_cell_query(env, user=None) -> str:
    """A cell of the compliance matrix: a branch the secretary leads (the court-wide accounts see it too)."""
    from django.utils import timezone

    from tianping.partylife.models import DutyRule
    from tianping.partylife.scope import managed_org_ids

    org = min(managed_org_ids(_fresh_user(env["users"]["secretary_shagou"])))
    duty = DutyRule.objects.order_by("pk").first()
    return f"?org={org}&duty={duty.code}&period={timezone.localdate().year}"


# Pages that read their subject from the query string: the query each is tried with.
QUERIES: dict[str, Any] = {"partylife:compliance_cell": _compliance_cell_query}

# An import job belongs to the account that uploaded it; the demo has none, so an account that may import gets
# 404 for the job id tried (the same answer as for another account's job), the others 403.
NOT_FOUND_WHEN_ALLOWED = {"core:import_job", "core:import_progress", "core:import_commit", "core:import_report",
                          "mediation:saved_calculation", "api:token_revoke"}

# Pages that answer a refusal of the domain (not of the policy) with a 403 page saying why: a sign-in code that
# has expired or a meeting outside its sign-in window.
DOMAIN_REFUSALS = {"partylife:signin"}
# Pages whose success is the login page: signing out.
SUCCESS_IS_LOGIN = {"core:logout"}
# Pages whose POST names its object in the body: an empty body names none, and an allowed account gets 404
# (after the permission check).
EMPTY_POST_NOT_FOUND = {"party:dues_pay"}

OK_STATUSES = {200, 204, 301, 302, 303, 400, 405}


# --- the URL patterns --------------------------------------------------------------------------------------
@dataclass
class Route:
    name: str                      # "party:organisation_detail" (or the route when unnamed)
    route: str                     # "party/organisations/<int:pk>/"
    callback: Any
    converters: dict[str, Any] = field(default_factory=dict)

    @property
    def kwargs(self) -> list[str]:
        return re.findall(r"<(?:\w+:)?(\w+)>", self.route)

    def fixed(self, kwarg: str) -> str | None:
        """The value a regex pattern fixes for a kwarg: `(?P<action>accept)` (one pattern per action)."""
        m = re.search(rf"\(\?P<{kwarg}>([\w-]+)\)", self.route)
        return m.group(1) if m else None

    @property
    def ident(self) -> str:
        fixed = [v for v in (self.fixed(k) for k in self.kwargs) if v]
        return self.name + (f"[{','.join(fixed)}]" if fixed else "")

    def declaration(self) -> dict[str, Any] | None:
        """What the view declares: {"public": True} / {"perm": name} / {"object": (model, action, kw, field)}."""
        cb = self.callback
        holders = [cb, getattr(cb, "view_class", None)]
        decl: dict[str, Any] = {}
        for holder in holders:
            if holder is None:
                continue
            if getattr(holder, "tianping_public", False):
                decl["public"] = True
            if getattr(holder, "tianping_token_auth", False):
                decl["token_auth"] = TOKEN_AUTH_REASON
            if getattr(holder, "tianping_perm", None):
                decl.setdefault("perm", holder.tianping_perm)
            if getattr(holder, "tianping_object", None):
                decl.setdefault("object", holder.tianping_object)
            if getattr(holder, "tianping_check", None):
                decl.setdefault("check", holder.tianping_check)
            if getattr(holder, "tianping_perm_post", None):
                decl.setdefault("perm_post", holder.tianping_perm_post)
            if getattr(holder, "tianping_object_post", None):
                decl.setdefault("object_post", holder.tianping_object_post)
        if not decl and FOREIGN_VIEWS.get(self.name.split(":")[-1]) == "public":
            decl["public"] = True
        return decl or None


def _walk(resolver: URLResolver, prefix: str = "", namespace: str = ""):
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            route = prefix + str(entry.pattern)
            name = f"{namespace}:{entry.name}" if namespace and entry.name else (entry.name or route)
            yield Route(name=name, route=route, callback=entry.callback,
                        converters=getattr(entry.pattern, "converters", {}))


def all_routes() -> list[Route]:
    return list(_walk(get_resolver()))


ROUTES = all_routes()


def test_the_resolver_walk_finds_every_app():
    prefixes = {r.route.split("/")[0] for r in ROUTES}
    assert {"org", "security", "party", "life", "trials", "mediation", "import", "accounts"} <= prefixes
    assert len(ROUTES) > 100


def test_every_url_pattern_declares_its_permission():
    """A view must say who may open it: permission_required, object_permission or public."""
    from tianping.core.policy import DECLARED, perm_name

    missing = [f"{r.name}  ({r.route})" for r in ROUTES if r.declaration() is None]
    assert not missing, ("these URL patterns declare no permission (decorate the view with tianping.core.policy."
                         "permission_required / object_permission / permission_for, or mark it public):\n  "
                         + "\n  ".join(missing))
    undeclared = []
    for r in ROUTES:
        decl = r.declaration() or {}
        if "perm" in decl and decl["perm"] not in DECLARED:
            undeclared.append(f"{r.name}: {decl['perm']}")
        if "object" in decl and perm_name(decl["object"][0], decl["object"][1]) not in DECLARED:
            undeclared.append(f"{r.name}: {perm_name(decl['object'][0], decl['object'][1])}")
    assert not undeclared, "views ask permissions no policy.py declares:\n  " + "\n  ".join(undeclared)


# --- the demo court, once for the module -------------------------------------------------------------------
def _evidence_files(users) -> None:
    """The demo records no step evidence: give one step a secretary sees, and one they do not, a PDF."""
    from django.core.files.base import ContentFile

    from tianping.party.models import MemberStep

    secretary = users["secretary_shagou"]
    seen = _visible(MemberStep, secretary).values("pk")
    for step in (MemberStep.objects.filter(pk__in=seen).order_by("pk").first(),
                 MemberStep.objects.exclude(pk__in=seen).order_by("pk").first()):
        if step is not None:
            step.evidence_file.save("evidence.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)


def _meeting_attachments(users) -> None:
    """Nor attachments of meetings: one on a meeting the secretary sees, one on a meeting they do not."""
    from django.core.files.base import ContentFile

    from tianping.partylife.models import Attachment, Meeting

    seen = _visible(Meeting, users["secretary_shagou"]).values("pk")
    for meeting in (Meeting.objects.filter(pk__in=seen).order_by("pk").first(),
                    Meeting.objects.exclude(pk__in=seen).order_by("pk").first()):
        if meeting is not None:
            att = Attachment(meeting=meeting, original_name="minutes.pdf", content_type="application/pdf", size=15)
            att.file.save("minutes.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)


def _material_files(users) -> None:
    """Nor does it keep files of dispute materials: give one to a material of a dispute each narrow account
    sees, and of one it does not."""
    from django.core.files.base import ContentFile

    from tianping.mediation.models import Dispute, Material

    with_materials = Dispute.objects.filter(pk__in=Material.objects.values("dispute_id")).order_by("pk")
    for username in NARROW_FIRST:
        if username not in users:
            continue
        seen = _visible(Dispute, users[username]).values("pk")
        for dispute in (with_materials.filter(pk__in=seen).first(), with_materials.exclude(pk__in=seen).first()):
            material = dispute.materials.order_by("pk").first() if dispute is not None else None
            if material is not None and not material.file:
                material.file.save("material.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)


def _measure_files(users) -> None:
    """Nor evidence of integrity measures: one on a measure the branch secretary sees, one on a 惩戒 entry that
    only the discipline account sees; nor scans of family pledges."""
    from django.core.files.base import ContentFile

    from tianping.integrity.models import Measure, MeasureAttachment

    for measure in (Measure.objects.exclude(mechanism="discipline").order_by("pk").first(),
                    Measure.objects.filter(mechanism="discipline").order_by("pk").first()):
        if measure is not None:
            att = MeasureAttachment(measure=measure, name="notice.pdf", content_type="application/pdf", size=15)
            att.file.save("notice.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    # and a pledge's scan: the judge's own, and one of somebody else
    from tianping.integrity.models import FamilyPledge

    own = users["judge_demo"].person_id
    for pledge in (FamilyPledge.objects.filter(person_id=own).order_by("pk").first(),
                   FamilyPledge.objects.exclude(person_id=own).order_by("pk").first()):
        if pledge is not None:
            pledge.scan.save("pledge.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)


@pytest.fixture(scope="module")
def demo_court(_shared_demo, django_db_blocker):
    """The run's shared demo court (conftest.py), with this module's logins, files and policy in a savepoint
    that is rolled back after the module; each test nests in it."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            from tianping.accounts.security_policy import get_policy

            get_policy()  # the policy row exists before the first request (else each request would create it)
            from tianping.accounts.models import SecurityPolicy

            # the clients log in once for the whole module, which takes longer than the 30-minute idle timeout
            # on a slow machine: a client then met the idle logout instead of the answer the policy gives
            # (tianping/accounts/tests cover the timeouts themselves)
            SecurityPolicy.objects.filter(pk=1).update(idle_timeout_minutes=240, session_max_hours=24)
            from tianping.org.models import User

            users = {u.username: u for u in User.objects.filter(username__in=DEMO_USERS)}
            clients = {}
            for username in DEMO_USERS:
                c = Client()
                if username in users:
                    c.force_login(users[username])
                clients[username] = c
            clients[ANON] = Client()
            _evidence_files(users)
            _material_files(users)
            _meeting_attachments(users)
            _measure_files(users)
            yield {"users": users, "clients": clients}
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def _fresh_user(user):
    from tianping.core.scope import forget_cached_roles

    forget_cached_roles(user)
    return user


def _visible(model, user) -> Any:
    qs = model._default_manager.all()
    if not hasattr(qs, "visible_to"):
        return qs
    return qs.visible_to(_fresh_user(user), "view")


def sample_objects(model, users: dict, child: tuple[Any, str, dict[str, Any]] | None = None,
                   where: dict[str, Any] | None = None) -> list[Any]:
    """One object the narrowest account that sees any sees, and one outside the court-wide accounts' scope
    (or, when they see everything, outside that narrow account's scope)."""
    qs = model._default_manager.filter(**(where or {})).order_by("pk")
    if child is not None:
        child_model, parent_field, child_filter = child
        qs = qs.filter(pk__in=child_model._default_manager.filter(**child_filter).values(f"{parent_field}_id"))
    picks: list[Any] = []
    narrow = None
    for username in NARROW_FIRST:
        if username not in users:
            continue
        obj = qs.filter(pk__in=_visible(model, users[username]).values("pk")).first()
        if obj is not None:
            picks.append(obj)
            narrow = username
            break
    if not picks:
        first = qs.first()
        if first is not None:
            picks.append(first)
    outside = qs
    for username in COURT_WIDE:
        if username in users:
            outside = outside.exclude(pk__in=_visible(model, users[username]).values("pk"))
    out = outside.first()
    if out is None and narrow is not None:
        out = qs.exclude(pk__in=_visible(model, users[narrow]).values("pk")).first()
    if out is not None and all(out.pk != p.pk for p in picks):
        picks.append(out)
    return picks


# --- the expectation ---------------------------------------------------------------------------------------
LOGIN = "login"
OK = "ok"


def action_permission(route: Route, kwargs: dict[str, Any]) -> str | None:
    """The policy action of a generic action page (`tianping.core.actions.run_action`): the view's module keeps
    its actions in `ACTIONS`, the URL names one of them."""
    import sys

    from tianping.core.actions import Action

    if "action" not in kwargs:
        return None
    table = getattr(sys.modules.get(getattr(route.callback, "__module__", ""), None), "ACTIONS", None)
    action = table.get(kwargs["action"]) if isinstance(table, dict) else None
    return action.permission if isinstance(action, Action) else None


def expected(decl: dict[str, Any], user, obj, also: str | None = None, method: str = "GET",
             kwargs: dict[str, Any] | None = None) -> set[Any]:
    """The answers the policy allows for this account (None = anonymous) on this object; `also`: a second
    action the view asks about the object (a generic action page); a POST also needs what the view declares
    for its POST (`post=`)."""
    from tianping.core.policy import allowed, can

    if decl.get("public"):
        return {OK}
    if user is None:
        return {LOGIN}
    user = _fresh_user(user)
    refusals: set[Any] = set()
    if "check" in decl and not decl["check"](user, **(kwargs or {})):
        refusals.add(403)
    if "perm" in decl and not allowed(user, decl["perm"]):
        refusals.add(403)
    elif method == "POST" and "perm_post" in decl and not allowed(user, decl["perm_post"]):
        refusals.add(403)
    if method == "POST" and decl.get("object_post"):
        also = decl["object_post"] if also is None else also
    if "object" in decl:
        model, action, _kw, _field = decl["object"]
        if obj is None or not _visible(model, user).filter(pk=obj.pk).exists():
            refusals.add(404)
        elif not can(user, action, obj) or (also is not None and not can(user, also, obj)):
            refusals.add(403)
    return refusals or {OK}


def classify(response) -> Any:
    if response.status_code in (301, 302, 303):
        location = response.headers.get("Location", "")
        if location.startswith(reverse("core:login")):
            return LOGIN
        return OK
    if response.status_code in OK_STATUSES:
        return OK
    return response.status_code


def _kwargs_for(route: Route, decl: dict[str, Any] | None, obj, env, user=None) -> dict[str, Any] | None:
    from django.apps import apps

    kwargs: dict[str, Any] = {}
    main_kw = decl["object"][2] if decl and "object" in decl else None
    main_field = decl["object"][3] if decl and "object" in decl else "pk"
    for kw in route.kwargs:
        if kw == main_kw:
            kwargs[kw] = getattr(obj, main_field) if main_field != "pk" else obj.pk
        elif route.fixed(kw) is not None:
            kwargs[kw] = route.fixed(kw)
        elif main_kw in CHILD_KWARGS and kw == "pk" and obj is not None:
            # the view is about the child (a committee post); "pk" is its parent (the organisation)
            kwargs[kw] = getattr(obj, f"{CHILD_KWARGS[main_kw][1]}_id")
        elif kw in CHILD_KWARGS and obj is not None:
            label, parent_field, child_filter = CHILD_KWARGS[kw]
            child = (apps.get_model(label)._default_manager.filter(**{parent_field: obj}, **child_filter)
                     .order_by("pk").first())
            if child is None:
                return None
            kwargs[kw] = child.pk
        elif (route.name, kw) in KWARG_VALUES_BY_NAME:
            value = KWARG_VALUES_BY_NAME[(route.name, kw)]
            kwargs[kw] = value(env, user) if callable(value) else value
        elif kw in KWARG_VALUES:
            kwargs[kw] = KWARG_VALUES[kw]
        else:
            return None
    return kwargs


def _written_tables(queries) -> set[str]:
    tables = set()
    for q in queries:
        sql = q["sql"].lstrip().upper()
        m = re.match(r'(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?([A-Z0-9_]+)"?', sql)
        if m:
            tables.add(m.group(2).lower())
    return tables


# tables a refused request may write: its access.denied audit entry (and the chain head), the session
REFUSAL_MAY_WRITE = {"core_auditevent", "core_auditchainhead", "django_session"}


def _request(client: Client, method: str, url: str):
    """One request in a savepoint rolled back afterwards, so an allowed POST does not change what the next
    account sees; returns the response, the tables it wrote and the audit events it recorded."""
    from tianping.core.models import AuditEvent

    cookies = copy.deepcopy(client.cookies)  # signing out (or a session reset) must not sign out later rows
    with transaction.atomic():
        last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url) if method == "GET" else client.post(url, {})
        events = set(AuditEvent.objects.filter(pk__gt=last).values_list("event", flat=True))
        transaction.set_rollback(True)
    client.cookies = cookies
    return response, _written_tables(ctx.captured_queries), events


def check_route(route: Route, env, accounts: list[str] | None = None) -> list[str]:
    from django.apps import apps

    users, clients = env["users"], env["clients"]
    decl = route.declaration()
    if decl is None:
        return [f"{route.name}: the view declares no permission (permission_required, object_permission, "
                f"permission_for or public)"]
    objects: list[Any] = [None]
    if "object" in decl:
        model = decl["object"][0]
        child = None
        for kw in route.kwargs:
            if kw in CHILD_KWARGS and kw != decl["object"][2]:
                label, parent_field, child_filter = CHILD_KWARGS[kw]
                child = (apps.get_model(label), parent_field, child_filter)
        where = dict(OBJECT_FILTERS.get(route.name, {}))
        if decl["object"][2] in CHILD_KWARGS:
            where.update(CHILD_KWARGS[decl["object"][2]][2])
        objects = sample_objects(model, users, child, where)
        if not objects:
            return [f"{route.name}: the demo court has no {model.__name__} to try"]
    problems = []
    for index, obj in enumerate(objects):
        for username in [*(MATRIX_USERS if accounts is None else accounts), ANON]:
            user = users.get(username)
            if user is None and username != ANON:
                continue
            kwargs = _kwargs_for(route, decl, obj, env, user)
            if kwargs is None:
                return [f"{route.name}: no value for the URL kwargs {route.kwargs} (add one to the tables)"]
            url = reverse(route.name, kwargs=kwargs) if ":" in route.name or kwargs else "/" + route.route
            if route.name in QUERIES:
                url += QUERIES[route.name](env, user)
            for method in ("GET", "POST"):
                want = expected(decl, user, obj, action_permission(route, kwargs), method, kwargs)
                if route.name in NOT_FOUND_WHEN_ALLOWED and want == {OK}:
                    want = {404}
                if method == "POST" and index > 0 and want == {OK}:
                    continue  # an allowed POST was tried on the first object; refused ones are tried on every one
                response, written, events = _request(clients[username], method, url)
                got = classify(response)
                if user is not None and OK in want and (
                        (got == LOGIN and route.name in SUCCESS_IS_LOGIN)
                        or (got == 403 and route.name in DOMAIN_REFUSALS)):
                    got = OK
                if (method == "POST" and response.status_code == 404 and route.name in EMPTY_POST_NOT_FOUND
                        and OK in want):
                    got = OK
                if response.status_code == 405:
                    got = OK if OK in want else next(iter(want))  # the method is refused before anything else
                if got not in want:
                    problems.append(f"{method} {url} as {username}: {response.status_code} ({got}), "
                                    f"the policy says {sorted(map(str, want))}")
                if got != OK:
                    extra = written - REFUSAL_MAY_WRITE
                    if extra:
                        problems.append(f"{method} {url} as {username}: refused ({got}) but wrote {sorted(extra)}")
                    if events - {"access.denied"}:
                        problems.append(f"{method} {url} as {username}: refused ({got}) but audited "
                                        f"{sorted(events - {'access.denied'})}")
    return problems


def _param(route: Route):
    return pytest.param(route, id=route.ident)


@pytest.mark.parametrize("route", [_param(r) for r in ROUTES if "token_auth" not in (r.declaration() or {})])
def test_matrix(route, demo_court):
    problems = check_route(route, demo_court)
    assert not problems, "\n".join(problems)


# --- the harness finds a view that does not do what it declares ---------------------------------------------
def _leaky_view(request):
    """Declares party.view_rules but never asks: every signed-in account gets the page."""
    from django.http import HttpResponse

    return HttpResponse("rules")


_leaky_view.tianping_perm = "party.view_rules"  # type: ignore[attr-defined]


def _leaky_urls():
    from django.urls import include, path

    return [path("leaky/", _leaky_view, name="leaky"), path("", include("tianping.urls"))]


urlpatterns = _leaky_urls()  # ROOT_URLCONF of test_the_matrix_catches_a_view_that_ignores_its_declaration


def test_the_matrix_catches_a_view_that_ignores_its_declaration(demo_court, settings):
    settings.ROOT_URLCONF = __name__
    route = Route(name="leaky", route="leaky/", callback=_leaky_view)
    problems = check_route(route, demo_court, DEMO_USERS)
    # the policy lets the party office and the president in; everybody else (signed in) must get 403
    assert any("as judge_demo: 200" in p for p in problems), problems
    assert any("as admin: 200" in p for p in problems), problems
    assert not any("as party_office" in p or "as president" in p or ANON in p for p in problems), problems


def test_the_two_shards_of_ci_together_try_every_account(monkeypatch):
    halves = []
    for spec in ("0/2", "1/2"):
        monkeypatch.setenv("TIANPING_MATRIX_SHARD", spec)
        halves.append(_shard(DEMO_USERS))
    assert not set(halves[0]) & set(halves[1])
    assert sorted(halves[0] + halves[1]) == sorted(DEMO_USERS)
    monkeypatch.delenv("TIANPING_MATRIX_SHARD")
    assert _shard(DEMO_USERS) == DEMO_USERS
    monkeypatch.setenv("TIANPING_MATRIX_SHARD", "2/2")
    with pytest.raises(ValueError, match="0 <= i < n"):
        _shard(DEMO_USERS)
