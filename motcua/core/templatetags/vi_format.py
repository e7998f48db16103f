"""Formatting every template may use without {% load %} (registered as a builtin in settings)."""

from django import template
from django.conf import settings

from motcua.core.text import format_money, keep_names_together

register = template.Library()


@register.filter
def money(amount) -> str:
    """{{ charge.amount|money }} -> '120.000 đồng'."""
    return format_money(amount)


@register.filter
def keep_together(text) -> str:
    """Place names unbroken across lines: 'Việt Nam' and the installation's province."""
    return keep_names_together(str(text or ""), (settings.MOTCUA_PROVINCE_NAME,))
