"""Template filters over motcua.accounts.permissions, so templates show only what a user may open.

{% load permissions %}{% if user|is_administrator %}…{% endif %}
"""

from django import template

from .. import permissions

register = template.Library()


@register.filter
def is_staff_member(user) -> bool:
    return permissions.is_staff_member(user)


@register.filter
def is_administrator(user) -> bool:
    return permissions.is_administrator(user)


@register.filter
def has_role(user, role: str) -> bool:
    return permissions.has_role(user, role)
