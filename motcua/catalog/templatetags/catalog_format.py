"""Vietnamese number display for catalogue pages: 200000 → "200.000", Decimal("35.50") → "35,5"."""

from decimal import Decimal

from django import template

from motcua.catalog.importing import decimal_text
from motcua.core.text import format_number

register = template.Library()


@register.filter
def vnd(value) -> str:
    """Whole đồng with the Vietnamese thousands separator."""
    return format_number(int(value))


@register.filter
def decimal_vi(value) -> str:
    """A decimal without trailing zeros, with the Vietnamese decimal comma."""
    if value in (None, ""):
        return ""
    integer, _, fraction = decimal_text(Decimal(value)).partition(".")
    grouped = format_number(int(integer))
    return f"{grouped},{fraction}" if fraction else grouped
