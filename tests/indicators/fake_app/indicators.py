"""A fake app's indicators module: the discovery test installs it."""


def report_sections(date_from, date_to, unit_code=None):
    return {
        "tasks": {"plan": {"total": 70, "done": 11, "in_progress": 35, "overdue": 0}},
        "extra_section": {"from": date_from.isoformat(), "unit": unit_code},
    }
