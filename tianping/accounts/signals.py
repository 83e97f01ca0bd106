"""Audit entries for sign-in events (Django auth signals), and the session registry used to end an account's
sessions when it is disabled."""

from __future__ import annotations

import time

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from tianping.core.audit import audit_record
from tianping.core.middleware import SESSION_LAST_SEEN, SESSION_LOGIN_AT, client_ip


@receiver(user_logged_in, dispatch_uid="tianping_audit_login")
def on_login(sender, request, user, **kwargs):
    from tianping.accounts.services import session_register

    session = getattr(request, "session", None)
    if session is not None:
        now = time.time()
        session[SESSION_LOGIN_AT] = now
        session[SESSION_LAST_SEEN] = now
        if session.session_key:
            session_register(user=user, session_key=session.session_key, ip=client_ip(request))
    audit_record(actor=user, event="login", target=user, court_id=user.court_id)


@receiver(user_logged_out, dispatch_uid="tianping_audit_logout")
def on_logout(sender, request, user, **kwargs):
    if user is None:
        return
    from tianping.accounts.services import session_forget

    session = getattr(request, "session", None)
    if session is not None and session.session_key:
        session_forget(user=user, session_key=session.session_key)
    reason = getattr(request, "_tianping_logout_reason", "")
    audit_record(actor=user, event="logout", target=user, court_id=user.court_id,
                 message=reason or "用户退出登录")


@receiver(user_login_failed, dispatch_uid="tianping_audit_login_failed")
def on_login_failed(sender, credentials, request=None, **kwargs):
    username = str(credentials.get("username", ""))[:150]
    audit_record(event="login.failed", actor_name=username, message=f"登录失败：{username}")
