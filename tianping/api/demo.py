"""Demo: an integration account and an API token with a FIXED, published secret, so that a newcomer can try
/api/v1/ offline against `make run` (README, docs/api.md):

    curl -H "Authorization: Bearer tp1_DEMO-ONLY-trial-system-not-a-secret" \
         "http://127.0.0.1:8000/api/v1/figures/trials?year=2016"

The token is granted by the demo's security administrator through the ordinary service (audited) and, like
every token, only its SHA-256 is stored: the demo then swaps the random secret's hash for the hash of the
published one. Only seed_demo makes it; a real court never runs seed_demo (and `manage.py doctor` fails while an
unrevoked token with this secret exists). Each run renews it when it has expired (a token lives at most a year)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from tianping.api.models import ApiToken, Scope
from tianping.api.services import token_grant, token_hash
from tianping.core.roles import Role
from tianping.org.models import User

DEMO_API_TOKEN = "tp1_DEMO-ONLY-trial-system-not-a-secret"  # noqa: S105 - published on purpose, demo only
DEMO_API_ACCOUNT = "trial_system_demo"
DEMO_API_SCOPES = [Scope.READ_CASES, Scope.PUSH_CASES, Scope.READ_FIGURES]


def demo_token_present() -> bool:
    """Whether an unrevoked token answering to the published demo secret exists (`check --deploy` and so
    `manage.py doctor` refuse it: a production database must not hold it)."""
    return ApiToken.objects.filter(key_hash=token_hash(DEMO_API_TOKEN), revoked_at__isnull=True).exists()


def seed(ctx) -> None:
    court = ctx.data.get("court")
    security = User.objects.filter(username="security").first()
    if court is None or security is None:
        return
    account = User.objects.filter(username=DEMO_API_ACCOUNT).first()
    if account is None:
        # an integration account (no role, no person, no usable password: it never logs in)
        account = User(username=DEMO_API_ACCOUNT, court=court, must_change_password=False,
                       password_changed_at=timezone.now())
        account.set_unusable_password()
        account.save()
    token = ApiToken.objects.filter(key_hash=token_hash(DEMO_API_TOKEN)).first()
    if token is None:
        _secret, token = token_grant(actor=security, account=account, name="演示：审判流程管理系统",
                                     role=Role.TRIAL_OFFICE, scopes=[str(s) for s in DEMO_API_SCOPES],
                                     expires_at=timezone.now() + timedelta(days=365), rate_per_minute=600)
        ApiToken.objects.filter(pk=token.pk).update(key_hash=token_hash(DEMO_API_TOKEN),
                                                    prefix=DEMO_API_TOKEN[:10])
    elif token.revoked_at is None and token.expires_at <= timezone.now() + timedelta(days=7):
        ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() + timedelta(days=365))
    ctx.stdout.write(f"    演示接口令牌（仅限演示，审管办角色：读取和推送案件、读取统计数字）：{DEMO_API_TOKEN}")
