"""Demo: the three administrator accounts always need TOTP, so the demo gives them a known authenticator
secret (printed by `make run` and in README) — add it to any authenticator app, or compute the code with
`manage.py demo_totp`. Never use this in production: real accounts enrol at first login."""

from __future__ import annotations

import base64

from django_otp.plugins.otp_totp.models import TOTPDevice

from tianping.org.models import User

DEMO_TOTP_KEY = b"tianping-demo-totp!!"  # 20 bytes
DEMO_TOTP_SECRET_B32 = base64.b32encode(DEMO_TOTP_KEY).decode("ascii")  # ORUWC3TQNFXGOLLEMVWW6LLUN52HAIJB
DEMO_ADMINS = ("admin", "security", "auditor")


def seed(ctx) -> None:
    for username in DEMO_ADMINS:
        user = User.objects.filter(username=username).first()
        if user is None:
            continue
        TOTPDevice.objects.get_or_create(user=user, name="演示身份验证器",
                                         defaults={"key": DEMO_TOTP_KEY.hex(), "confirmed": True})
    ctx.stdout.write(f"    三员演示账号的身份验证器密钥（TOTP）：{DEMO_TOTP_SECRET_B32}")
