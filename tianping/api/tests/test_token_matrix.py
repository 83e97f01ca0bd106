"""The token matrix: every API endpoint (each URL pattern marked `tianping_token_auth`, which the session
permission matrix in tests/test_permission_matrix.py leaves to this file) × no token / a revoked token / a token
without the endpoint's scope / a token with the scope whose role may not use it / a token that may.

`ENDPOINTS` names each endpoint's method, a URL, a body and the scope it needs; a new endpoint without a row here
fails `test_every_api_endpoint_is_in_the_matrix`."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from tianping.api.models import ApiToken, Scope
from tianping.api.services import token_hash
from tianping.core.roles import Role

pytestmark = pytest.mark.django_db


def _case_body(court) -> dict:
    return {"items": [{"案号": f"(2016){court.code}民初1号", "立案日期": "2016-03-02"}]}


# route name -> (method, url (callable of the court), body (callable) or None, scope; None = any valid token)
ENDPOINTS: dict[str, tuple] = {
    "api:v1:token_info": ("GET", lambda c: "/api/v1/token", None, None),
    "api:v1:cases_push": ("POST", lambda c: "/api/v1/cases/push", _case_body, Scope.PUSH_CASES),
    "api:v1:cases_list": ("GET", lambda c: "/api/v1/cases/", None, Scope.READ_CASES),
    "api:v1:cases_get": ("GET", lambda c: f"/api/v1/cases/(2016){c.code}民初1号", None, Scope.READ_CASES),
    "api:v1:figures_trials": ("GET", lambda c: "/api/v1/figures/trials?year=2016", None, Scope.READ_FIGURES),
    "api:v1:figures_compliance": ("GET", lambda c: "/api/v1/figures/compliance?year=2016", None, Scope.READ_FIGURES),
    "api:v1:figures_mediation": ("GET", lambda c: "/api/v1/figures/mediation", None, Scope.READ_FIGURES),
    "api:v1:people_list": ("GET", lambda c: "/api/v1/people", None, Scope.READ_PEOPLE),
    "api:v1:members_list": ("GET", lambda c: "/api/v1/members", None, Scope.READ_PEOPLE),
    "api:v1:meetings_list": ("GET", lambda c: "/api/v1/meetings/", None, Scope.READ_MEETINGS),
    "api:v1:meetings_get": ("GET", lambda c: "/api/v1/meetings/999999", None, Scope.READ_MEETINGS),
    "api:v1:meetings_attendance": ("POST", lambda c: "/api/v1/meetings/999999/attendance",
                                   lambda c: {"entries": [{"staff_number": "0001", "status": "present"}]},
                                   Scope.RECORD_ATTENDANCE),
}
# each scope: a role that may use it (its pages allow it) and one that may not
ROLES = {
    Scope.PUSH_CASES: (Role.TRIAL_OFFICE, Role.LEADER),
    Scope.READ_CASES: (Role.TRIAL_OFFICE, Role.PARTY_OFFICE),
    Scope.READ_FIGURES: (Role.LEADER, Role.MEMBER),
    Scope.READ_PEOPLE: (Role.PARTY_OFFICE, Role.HIGHER_COURT),
    Scope.READ_MEETINGS: (Role.PARTY_OFFICE, Role.HIGHER_COURT),
    Scope.RECORD_ATTENDANCE: (Role.PARTY_OFFICE, Role.LEADER),
}
# the answers a token that may call the endpoint gets with the demo-less test court (no such case: 404)
ALLOWED = {200, 404}
NOT_API = {"api:v1:openapi-json", "api:v1:openapi-view"}
# addresses that serve nothing: a JSON 404 whoever asks
NOT_FOUND = {"api:not_found", "api:v1:api-root"}


def test_the_root_and_unknown_addresses_are_json_404():
    from django.test import Client

    for url in ("/api/v1/", "/api/v1/nothing/here"):
        answer = Client().get(url)
        assert answer.status_code == 404 and answer.json()["status"] == 404


def _token_routes() -> list[str]:
    def walk(resolver, ns=""):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                sub = f"{ns}:{entry.namespace}" if ns and entry.namespace else (entry.namespace or ns)
                yield from walk(entry, sub)
            elif isinstance(entry, URLPattern) and getattr(entry.callback, "tianping_token_auth", False):
                yield f"{ns}:{entry.name}"

    return sorted(set(walk(get_resolver())))


def test_every_api_endpoint_is_in_the_matrix():
    routes = set(_token_routes()) - NOT_FOUND
    assert routes, "the walk finds the API"
    assert routes - set(ENDPOINTS) == set(), "add these endpoints to ENDPOINTS: " + ", ".join(sorted(routes - set(ENDPOINTS)))
    assert set(ENDPOINTS) - routes == set(), "ENDPOINTS names endpoints that are gone"
    assert NOT_API.isdisjoint(routes)


def _raw_token(court, account, role, scopes, *, revoked=False) -> str:
    """A token row made directly (the grant service would refuse a role that cannot use its scope)."""
    import secrets

    raw = "tp1_" + secrets.token_urlsafe(32)
    ApiToken.objects.create(name="matrix", account=account, court=court, role=role, scopes=list(scopes),
                            prefix=raw[:10], key_hash=token_hash(raw), expires_at=timezone.now() + timedelta(days=1),
                            revoked_at=timezone.now() if revoked else None, rate_per_minute=10000)
    return raw


@pytest.mark.parametrize("name", sorted(ENDPOINTS))
def test_endpoint_answers_by_token_scope_and_role(name, court, integration_account, api_client):
    from django.test import Client

    from tianping.party.tests.factories import OrganisationFactory

    OrganisationFactory(court=court)  # the party office records the meetings of the court's organisations

    method, url_of, body_of, scope = ENDPOINTS[name]
    url, body = url_of(court), (body_of(court) if body_of else None)

    def call(secret):
        if secret is None:
            client = Client()
            return client.get(url) if method == "GET" else client.post(url, body, content_type="application/json")
        c = api_client(secret)
        return c.get(url) if method == "GET" else c.post(url, body)

    assert call(None).status_code == 401
    good_role, bad_role = ROLES[scope] if scope else (Role.TRIAL_OFFICE, None)
    all_scopes = list(Scope.values)
    assert call(_raw_token(court, integration_account, good_role, all_scopes, revoked=True)).status_code == 401
    if scope is not None:
        others = [s for s in all_scopes if s != scope]
        without = call(_raw_token(court, integration_account, good_role, others))
        assert without.status_code == 403 and "权限范围" in without.json()["message"], without.content
        wrong_role = call(_raw_token(court, integration_account, bad_role, [scope]))
        assert wrong_role.status_code == 403, wrong_role.content
    allowed = call(_raw_token(court, integration_account, good_role, [scope] if scope else all_scopes))
    assert allowed.status_code in ALLOWED | ({400} if method == "POST" else set()), allowed.content
    assert allowed["Content-Type"].startswith("application/json")
