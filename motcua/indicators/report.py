"""The periodic report as data: one dict with stable keys (docs/indicators.md), from which the JSON,
the DOCX/PDF and the XLSX appendices are all rendered. Read-only: builds nothing but the dict.
"""

from __future__ import annotations

from motcua.core.clock import now

from . import scoring
from .discovery import RATE_SELECTORS, app_report_sections, optional_function
from .scope import Scope
from .selectors import (
    busiest_field_days,
    dossier_counts,
    dossier_rates,
    figures_memo,
    procedures_with_postal_dossiers,
    rate,
)

# Sections every report has, filled by the app named here (or marked unavailable).
APP_SECTIONS = {
    "payments": "payments",
    "postal": "postal",
    "documents": "documents",
    "tasks": "reform",
    "legal_documents": "reform",
    "iso": "reform",
    "par_index": "reform",
    "organisation": "staffing",
    "satisfaction": "feedback",
    "feedback": "feedback",
    "exchange": "exchange",
    "archives": "archives",
}
SCHEMA_VERSION = 1


def unavailable(app: str) -> dict:
    return {
        "available": False,
        "note": f"Chưa có dữ liệu: ứng dụng «{app}» chưa cung cấp phần này của báo cáo.",
    }


def report_build(scope: Scope, *, default_agency: str | None = None) -> dict:
    """Every figure of the report for `scope`. `default_agency` is the unit whose catalogue is
    counted when the scope names no unit (the issuing department, from the report profile)."""
    with figures_memo():
        return _report_build(scope, default_agency)


def _report_build(scope: Scope, default_agency: str | None) -> dict:
    counts = dossier_counts(scope)
    rates: dict = dossier_rates(counts)
    notes: dict[str, str] = {}
    sections = app_report_sections(scope.date_from, scope.date_to, unit_code=scope.unit_code)
    rates.update(_rates_from_apps(scope, notes, sections))
    report = {
        "schema_version": SCHEMA_VERSION,
        "generated_at": now().isoformat(),
        "period": {"from": scope.date_from.isoformat(), "to": scope.date_to.isoformat()},
        "scope": scope.as_dict(),
        "unit": {"code": scope.unit_code, "name": scope.unit_name} if scope.unit_code else None,
        "dossiers": counts,
        "rates": {**rates, "notes": notes},
        "catalogue": catalogue_section(scope, default_agency, counts),
        "previous_year": previous_year_section(scope),
        "announcements": announcements_section(scope, default_agency),
        "busiest_field": busiest_field_days(scope),
    }
    for key, app in APP_SECTIONS.items():
        report[key] = sections.pop(key, None) or unavailable(app)
    report.update(sections)  # any further section an app adds
    report["decision_766"] = scoring.decision_766(scope, report)
    report["circular_01_2018"] = scoring.circular_01(scope, report)
    return report


def _rates_from_apps(scope: Scope, notes: dict[str, str], sections: dict | None = None) -> dict:
    """digitised_pct, electronic_results_pct, reuse_pct and paid_online_pct from the apps'
    selectors; the documents section's counts are reused when it carries them (one scan, not
    two: digitisation_counts reads every dossier of the period)."""
    args = (scope.date_from, scope.date_to)
    result = {"digitised_pct": None, "paid_online_pct": None}
    payments = optional_function(*RATE_SELECTORS["paid_online_pct"])
    if payments is None:
        notes["paid_online_pct"] = "Chưa có dữ liệu thanh toán (ứng dụng payments chưa cung cấp)."
    else:
        paid = payments(*args, unit_code=scope.unit_code)
        result["paid_online_pct"] = rate(
            paid["paid_online"], paid["paid_online"] + paid["paid_desk"]
        )
    documents = optional_function(*RATE_SELECTORS["digitised_pct"])
    if documents is None:
        notes["digitised_pct"] = "Chưa có dữ liệu số hóa (ứng dụng documents chưa cung cấp)."
    else:
        section = (sections or {}).get("documents") or {}
        keys = ("dossiers_received", "dossiers_digitised", "results_issued", "results_electronic",
                "dossiers_with_reuse")  # fmt: skip
        if all(key in section for key in keys):
            digitised = section
        else:
            digitised = documents(*args, unit_code=scope.unit_code)
        result["digitised_pct"] = rate(
            digitised["dossiers_digitised"], digitised["dossiers_received"]
        )
        result["electronic_results_pct"] = rate(
            digitised["results_electronic"], digitised["results_issued"]
        )
        result["reuse_pct"] = rate(digitised["dossiers_with_reuse"], digitised["dossiers_received"])
    return result


def catalogue_section(scope: Scope, default_agency: str | None, counts: dict) -> dict:
    """The catalogue in force on the period's last day (catalog_summary) for the scope's unit, or
    the issuing department; plus how many postal procedures had postal dossiers."""
    from motcua.catalog.selectors import catalog_summary, procedures_with_process

    agency = scope.unit_code or default_agency
    summary = catalog_summary(scope.date_to, agency=agency)
    by_level = summary.by_level
    online = by_level.get("toan_trinh", 0) + by_level.get("mot_phan", 0)
    return {
        "at": summary.day.isoformat(),
        "agency": agency,
        "procedures_public": summary.public,
        "procedures_internal": summary.internal,
        "by_level": by_level,
        "online_services": online,
        "online_services_pct": rate(online, summary.public),
        "by_receiving_unit": [
            {"code": code, "name": name, "procedures": n}
            for code, name, n in summary.by_receiving_unit
        ],
        "procedures_postal_intake": summary.postal_intake,
        "procedures_with_process": procedures_with_process(scope.date_to, agency=agency),
        "procedures_with_postal_dossiers": procedures_with_postal_dossiers(scope),
    }


def previous_year_of(day):
    """The same day a year earlier (29/02 → 28/02)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def previous_year_section(scope: Scope) -> dict:
    """The dossier figures of the same period a year earlier (same unit, procedure, field and
    channel), for the year-on-year phrases ("tăng 3,7 lần so với cùng kỳ năm 2022")."""
    from dataclasses import replace

    earlier = replace(
        scope, date_from=previous_year_of(scope.date_from), date_to=previous_year_of(scope.date_to)
    )
    return {
        "period": {"from": earlier.date_from.isoformat(), "to": earlier.date_to.isoformat()},
        "year": earlier.date_to.year,
        "dossiers": dossier_counts(earlier),
    }


def announcements_section(scope: Scope, default_agency: str | None) -> dict:
    """The announcing decisions signed in the period (catalog.selectors.decisions_signed_in), the
    procedures of the issuing department (or the scope's unit) told apart from other agencies'."""
    from motcua.catalog.selectors import decisions_signed_in

    agency = scope.unit_code or default_agency
    decisions = decisions_signed_in(scope.date_from, scope.date_to, agency=agency)
    return {
        "agency": agency,
        "decisions": decisions,
        "procedures": sum(d["own"] for d in decisions),
        "internal": sum(d["internal"] for d in decisions),
        "other_agencies": sum(sum(d["other_agencies"].values()) for d in decisions),
    }
