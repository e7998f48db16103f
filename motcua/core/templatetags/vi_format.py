"""Formatting every template may use without {% load %} (registered as a builtin in settings)."""

from django import template

from motcua.core.text import format_money

register = template.Library()


@register.filter
def money(amount) -> str:
    """{{ charge.amount|money }} -> '120.000 đồng'."""
    return format_money(amount)
