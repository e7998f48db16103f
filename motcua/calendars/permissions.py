from motcua.accounts.roles import Role


def can_manage_calendar(user) -> bool:
    """Only an administrator edits the holiday notices and office hours."""
    return bool(
        user and user.is_authenticated and user.is_active and user.role == Role.ADMINISTRATOR
    )
