"""Issue a second-factor enrolment code from the server's console, for the one case the web cannot serve:
the only security administrator lost their authenticator (nobody else may issue them a code). Audited."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from tianping.accounts import services
from tianping.org.models import User


class Command(BaseCommand):
    help = "为账号签发双因素绑定码（仅用于唯一的安全管理员丢失身份验证器时）；打印一次。"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--clear", action="store_true", help="同时清除该账号现有的双因素设备")

    def handle(self, *args, **options):
        user = User.objects.filter(username__iexact=options["username"]).first()
        if user is None:
            raise CommandError(f"没有用户名为 {options['username']} 的账号，请核对。")
        if options["clear"]:
            services.user_mfa_reset(actor=None, user=user)
        code, entry = services.enrolment_code_issue(actor=None, user=user)
        self.stdout.write(f"账号 {user.username} 的双因素绑定码：{code}"
                          f"（有效期至 {entry.expires_at:%Y-%m-%d %H:%M} UTC）")
