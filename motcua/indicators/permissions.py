"""Who may read the indicators and write the periodic report."""

from motcua.accounts.permissions import has_role
from motcua.accounts.roles import Role

READERS = (Role.DEPARTMENT_LEADER, Role.DIVISION_HEAD, Role.ADMINISTRATOR)


def can_view_indicators(user) -> bool:
    """Department leaders and division heads read the dashboards (and the administrator)."""
    return has_role(user, *READERS)


def can_edit_reports(user) -> bool:
    return has_role(user, *READERS)


def can_issue_reports(user) -> bool:
    """Issuing gives the report its number: the department's leadership (or the administrator
    acting for it)."""
    return has_role(user, Role.DEPARTMENT_LEADER, Role.ADMINISTRATOR)
