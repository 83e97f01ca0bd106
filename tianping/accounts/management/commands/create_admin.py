"""Create one of the three administrator accounts (三员) and print a one-time password.

Production needs no Django superuser: `create_admin NAME --role sysadmin` (then secadmin, auditor), each
signs in with the printed password, changes it and enrols TOTP at first login with the printed enrolment code
(the installer at the server's console stands in for the security administrator here, once)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from tianping.accounts import services
from tianping.core.roles import ADMIN_ROLES
from tianping.org.models import Court, User


class Command(BaseCommand):
    help = "创建三员账号（系统管理员/安全管理员/审计管理员），打印一次性初始密码。"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=sorted(str(r) for r in ADMIN_ROLES))
        parser.add_argument("--court", help="法院代字，如 鲁0403（默认：库中唯一的基层法院或第一个法院）")

    def handle(self, *args, **options):
        username = options["username"]
        if User.objects.filter(username__iexact=username).exists():
            raise CommandError(f"用户名 {username} 已存在：请换一个用户名，或由系统管理员在“账号管理”中重置密码。")
        court = None
        if options["court"]:
            court = Court.objects.filter(code=options["court"]).first()
            if court is None:
                raise CommandError(f"没有代字为 {options['court']} 的法院：请先导入法院，或检查代字。")
        else:
            court = Court.objects.order_by("-level", "code").filter(level="basic").first() or Court.objects.first()
        try:
            with transaction.atomic():
                user, password = services.user_create(actor=None, username=username, court=court)
                services.user_grant(actor=None, user=user, court=court, person=None, roles=[options["role"]])
                code, _entry = services.enrolment_code_issue(actor=None, user=user)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from None
        self.stdout.write(self.style.SUCCESS(f"已创建账号 {user.username}（{options['role']}）。"))
        self.stdout.write(f"一次性初始密码：{password}")
        self.stdout.write(f"双因素绑定码：{code}")
        self.stdout.write("首次登录须修改密码，并凭绑定码绑定身份验证器（双因素认证）。")
