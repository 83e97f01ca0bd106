"""Fixtures of the API tests: a court with a trial office, accounts for tokens, and `grant` to make a token."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone


@pytest.fixture
def secadmin(court, make_user):
    from tianping.core.roles import Role

    return make_user(court, Role.SECADMIN, username="sec")


@pytest.fixture
def integration_account(court, make_user):
    """The account the system administrator made for the trial system: no role of its own."""
    return make_user(court, username="trial-system")


@pytest.fixture
def grant(secadmin, integration_account):
    """grant(role, *scopes, account=None, rate=120) -> (secret, token)."""
    from tianping.api.services import token_grant

    def _grant(role, *scopes, account=None, rate=120, days=30):
        return token_grant(actor=secadmin, account=account or integration_account, name="测试对接", role=role,
                           scopes=list(scopes), expires_at=timezone.now() + timedelta(days=days), rate_per_minute=rate)

    return _grant


class ApiClient:
    """A test client that sends the token and JSON."""

    def __init__(self, secret: str) -> None:
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {secret}"}

    def get(self, url, **params):
        return self.client.get(url, params, headers=self.headers)

    def post(self, url, data):
        return self.client.post(url, data, content_type="application/json", headers=self.headers)


@pytest.fixture
def api_client():
    return ApiClient


# a branch with members and committee, and meetings (partylife's own fixtures)
from tianping.partylife.tests.conftest import life, make_meeting  # noqa: E402,F401
