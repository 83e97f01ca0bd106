"""Template helpers for personal data: `{% if request.user|can_reveal_personal %}` shows the reveal link."""

from django import template

from tianping.core import scope

register = template.Library()


@register.filter
def can_reveal_personal(user) -> bool:
    return scope.can_reveal_personal(user)


@register.filter
def can_export_personal(user) -> bool:
    return scope.can_export_personal(user)
