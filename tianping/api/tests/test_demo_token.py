"""The demo's API token: made only by the demo generator, stored hashed like any token, answers the published
secret, renewed when it has expired, and refused by `check --deploy` (so by `manage.py doctor`)."""

from __future__ import annotations

import io
import random
from datetime import timedelta

import pytest
from django.core import checks
from django.utils import timezone

from tianping.api.demo import DEMO_API_TOKEN, seed
from tianping.api.models import ApiToken
from tianping.api.services import token_hash
from tianping.core.management.commands.seed_demo import DemoContext

pytestmark = pytest.mark.django_db


def _seed(court):
    ctx = DemoContext(rng=random.Random(1), faker=None, stdout=io.StringIO(), data={"court": court})
    seed(ctx)
    return ctx.stdout.getvalue()


def test_the_demo_token_answers_its_published_secret_and_is_stored_hashed(court, make_user, api_client):
    from tianping.core.roles import Role

    make_user(court, Role.SECADMIN, username="security")
    assert DEMO_API_TOKEN in _seed(court)
    _seed(court)  # idempotent
    token = ApiToken.objects.get()
    assert token.key_hash == token_hash(DEMO_API_TOKEN) and DEMO_API_TOKEN not in str(token.__dict__)
    assert token.active and token.court == court
    answer = api_client(DEMO_API_TOKEN).get("/api/v1/figures/trials", year=2016)
    assert answer.status_code == 200, answer.content
    assert any(m.id == "tianping.E_DEMO_API_TOKEN" for m in checks.run_checks(include_deployment_checks=True))
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(days=1))
    _seed(court)
    assert ApiToken.objects.get().active
    ApiToken.objects.update(revoked_at=timezone.now())
    assert not any(m.id == "tianping.E_DEMO_API_TOKEN" for m in checks.run_checks(include_deployment_checks=True))
