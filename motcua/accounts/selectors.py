"""Reads on accounts with business meaning."""

from django.contrib.auth import get_user_model

from .roles import STAFF_ROLES


def staff_members():
    """Every staff account (any staff role, active or not), by unit then name, with its unit."""
    return (
        get_user_model()
        .objects.filter(role__in=STAFF_ROLES)
        .select_related("unit")
        .order_by("unit__sort_order", "unit__code", "full_name", "username")
    )
