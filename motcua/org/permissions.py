"""Who may do what with the organisation (agencies, units). One module, tested in tests/org."""

from motcua.accounts.roles import Role


def can_manage_org(user) -> bool:
    """Only an active administrator may create or change units (the unit tree is system set-up)."""
    return bool(
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and user.role == Role.ADMINISTRATOR
    )
