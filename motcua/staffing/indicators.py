"""The staffing app's figures for the periodic reports (discovered and called by the reports app).

Every key is documented in docs/staffing.md.
"""

from datetime import date

from motcua.org.selectors import unit_by_code, unit_subtree_ids

from .models import Category
from .selectors import (
    civil_service_activity,
    division_staffing,
    organisation_on,
    public_service_units_on,
)


def report_sections(date_from: date, date_to: date, unit_code: str | None = None) -> dict:
    """The organisation as of `date_to` (of `unit_code` and the units under it, or everything),
    and the civil-service activity (appointments, early raises, courses) of the period."""
    unit_ids = None
    if unit_code:
        unit = unit_by_code(unit_code)
        unit_ids = unit_subtree_ids(unit) if unit else set()
    summary = organisation_on(date_to, unit_ids)
    activity = civil_service_activity(date_from, date_to, unit_ids)
    civil = summary.by_category[Category.CIVIL_SERVANT]
    return {
        "organisation": {
            "units": summary.units,
            "posts": civil.posts,
            "posts_vacant": civil.vacant,
            "staff": sum(c.staff for c in summary.by_category.values()),
            "by_category": {
                category: {"staff": c.staff, "posts": c.posts, "vacant": c.vacant}
                for category, c in summary.by_category.items()
            },
            "qualifications": summary.qualifications,
            "political_theory": summary.political_theory,
            "appointments": activity.appointments,
            "early_salary_raises": activity.early_salary_raises,
            "courses": activity.courses,
            "divisions": [
                {
                    "code": d.code,
                    "name": d.name,
                    "posts": d.posts,
                    "filled": d.filled,
                    "deputies": d.deputies,
                    "deputies_allowed": d.deputies_allowed,
                    "surplus_deputies": d.surplus_deputies,
                }
                for d in division_staffing(date_to, unit_ids)
            ],
            "public_service_units": public_service_units_on(date_to, unit_ids),
        }
    }
