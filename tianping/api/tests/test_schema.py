"""Schemathesis against the served OpenAPI document (/api/v1/openapi.json, loaded through the WSGI app): every
operation, examples generated from its schema, answered with no 5xx, only documented statuses and content types,
bodies that match the documented schemas, and 401 without a token. Bounded (a few examples per operation) to keep
CI time: about a minute on SQLite.

Not checked: that every schema-valid push is accepted (`positive_data_acceptance`) — a case number or a judge's
name is checked by the `cases` register against the court's data, beyond what a JSON schema can say; the
refusal is a documented 400 naming the item. Nor that every schema-violating request is refused
(`negative_data_rejection`): query dates are parsed leniently (pydantic reads "0" as 1970-01-01)."""

from __future__ import annotations

import secrets
from datetime import timedelta

import pytest
import schemathesis
from django.utils import timezone
from hypothesis import HealthCheck, settings

from tianping.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
# valid requests only (schema-violating ones are the pydantic layer's; see EXCLUDED_CHECKS)
schema.config.generation.update(modes=[schemathesis.GenerationMode.POSITIVE])
EXCLUDED_CHECKS = ("positive_data_acceptance", "negative_data_rejection")


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The WSGI app is called directly (not through Django's test client), so its request signals would close
    the database connection the test's transaction runs on (PostgreSQL: "the connection is closed"). The test
    client disconnects them the same way."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_tokens(db, court, make_user):
    """{role: secret}: the trial office (cases, figures, people) and the party office (meetings, attendance)."""
    from tianping.api.models import ApiToken, Scope
    from tianping.api.services import token_hash
    from tianping.core.roles import Role
    from tianping.party.tests.factories import OrganisationFactory

    OrganisationFactory(court=court)
    account = make_user(court, username="schemathesis")
    out = {}
    for role in (Role.TRIAL_OFFICE, Role.PARTY_OFFICE):
        raw = "tp1_" + secrets.token_urlsafe(32)
        ApiToken.objects.create(name="schemathesis", account=account, court=court, role=role, scopes=list(Scope.values),
                                prefix=raw[:10], key_hash=token_hash(raw), rate_per_minute=10**6,
                                expires_at=timezone.now() + timedelta(days=1))
        out[role] = raw
    return out


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=6, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_the_served_schema(case, api_tokens):
    from tianping.core.roles import Role

    role = Role.PARTY_OFFICE if "/meetings" in case.path or "/members" in case.path else Role.TRIAL_OFFICE
    case.call_and_validate(headers={"Authorization": f"Bearer {api_tokens[role]}"},
                           excluded_checks=[getattr(schemathesis.checks, name) for name in EXCLUDED_CHECKS
                                            if hasattr(schemathesis.checks, name)])
