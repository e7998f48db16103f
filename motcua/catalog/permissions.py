"""Who may do what with the catalogue of procedures. One module, tested in tests/catalog."""

from motcua.accounts.permissions import is_administrator, is_staff_member


def can_read_catalog(user) -> bool:
    """Every signed-in, active staff member may read the catalogue (the desk needs it)."""
    return is_staff_member(user)


def can_import_catalog(user) -> bool:
    """Only an administrator may load decisions into the catalogue."""
    return is_administrator(user)
