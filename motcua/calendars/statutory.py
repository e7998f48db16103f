"""Statutory holidays from the `holidays` package, without the swaps that the notices decide."""

from datetime import date
from functools import lru_cache

import holidays

FIRST_YEAR, LAST_YEAR = 2000, 2060


@lru_cache(maxsize=1)
def statutory_holidays() -> dict[date, str]:
    """Day -> Vietnamese name, for every year the calendar covers.

    The package also carries some yearly swaps ("Day off (substituted from …)"); those are left out
    here because the notice table is where swaps live and can be corrected.
    """
    years = range(FIRST_YEAR, LAST_YEAR + 1)
    english = holidays.Vietnam(years=years)
    vietnamese = holidays.Vietnam(years=years, language="vi")
    return {
        day: vietnamese[day]
        for day, name in english.items()
        if not name.startswith("Day off (substituted")
    }
