"""The feedback app's figures for the periodic reports (discovered and called by the reports app).

Every key is documented in docs/feedback.md.
"""

from datetime import date

from motcua.org.selectors import unit_by_code, unit_subtree_ids

from .selectors import feedback_counts
from .survey_selectors import responses_in_period, survey_results


def report_sections(date_from: date, date_to: date, unit_code: str | None = None) -> dict:
    """Satisfaction surveys answered in the period (department-wide: surveys are not per unit)
    and feedback items received in the period (of `unit_code` and the units under it, by the
    unit of the officer they were assigned to)."""
    results = survey_results(responses_in_period(date_from, date_to))
    unit_ids = None
    if unit_code:
        unit = unit_by_code(unit_code)
        unit_ids = unit_subtree_ids(unit) if unit else set()
    counts = feedback_counts(date_from, date_to, unit_ids)
    return {
        "satisfaction": {
            "forms": results.forms,
            "by_aspect": {
                aspect.name: {
                    "answers": aspect.answers,
                    "mean": aspect.mean,
                    "satisfied_pct": aspect.satisfied_pct,
                }
                for aspect in results.aspects
            },
            "index_pct": results.index_pct,
        },
        "feedback": {
            "received": counts.received,
            "answered": counts.answered,
            "published": counts.published,
            "overdue": counts.overdue,
            "by_classification": counts.by_classification,
        },
    }
