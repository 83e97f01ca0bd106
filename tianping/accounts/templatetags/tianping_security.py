"""Template helpers for personal data: `{% if request.user|can_reveal_personal %}` shows the reveal link."""

from django import template

from tianping.core import scope

register = template.Library()


@register.filter
def can_reveal_personal(user) -> bool:
    """The reveal link shows exactly when the reveal page opens (accounts.reveal_personal in policy.py)."""
    from tianping.core.policy import allowed

    return allowed(user, "accounts.reveal_personal")


@register.filter
def can_export_personal(user) -> bool:
    return scope.can_export_personal(user)


@register.filter
def role_labels(codes: str) -> str:
    """"leader,member" → "院领导、党员/干警" (the audit trail stores role codes)."""
    from tianping.core.roles import Role

    labels = dict(Role.choices)
    return "、".join(str(labels.get(c, c)) for c in (codes or "").split(",") if c)
