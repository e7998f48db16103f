"""What the dashboard shows, in as few queries as possible: the dossier figures of the period come
from ONE grouped query by month (every figure is additive over reception months, so the period's
totals are the months' sums), the fields from one more; the other apps' sections (tasks, legal
documents, satisfaction, …) change slowly and are cached for SECTIONS_TTL seconds per scope."""

from __future__ import annotations

from datetime import date

from django.core.cache import cache
from django.db.models import Max

from motcua.core.text import format_number
from motcua.dossiers.models import Dossier

from . import charts
from .discovery import app_report_sections, optional_function
from .report import _rates_from_apps
from .scope import Scope
from .selectors import DOSSIER_KEYS, dossier_counts_by, dossier_rates, figures_memo

SECTIONS_TTL = 300
TOP_FIELDS = 8


def default_period() -> tuple[date, date]:
    """The half-year of the latest reception (the demo's H1/2023; this half-year in production)."""
    from motcua.core.clock import now

    latest = Dossier.objects.aggregate(m=Max("received_at"))["m"]
    day = (latest or now()).astimezone().date()
    if day.month <= 6:
        return date(day.year, 1, 1), date(day.year, 6, 30)
    return date(day.year, 7, 1), date(day.year, 12, 31)


def dashboard_data(scope: Scope) -> dict:
    with figures_memo():
        return _dashboard_data(scope)


CHANNEL_SERIES = [
    ("received_desk", "Trực tiếp", "c-desk"),
    ("received_post", "Bưu chính", "c-post"),
    ("received_online", "Trực tuyến", "c-online"),
]
LIENTHONG_SERIES = ("received_lienthong", "Liên thông", "c-lienthong")


def _channel_series(totals: dict) -> list[tuple[str, str, str]]:
    """The intake channels drawn; liên thông (sent over by another agency, ADR 0044) only when the
    period has some, so a department that receives none sees the three channels it always had."""
    return CHANNEL_SERIES + ([LIENTHONG_SERIES] if totals.get("received_lienthong") else [])


def _dashboard_data(scope: Scope) -> dict:
    # One scan: grouped by month and field; months, fields and totals are sums of these rows.
    rows = dossier_counts_by(scope, "month", "field")
    months = _summed(rows, "month")
    totals = {key: sum(m[key] for m in months) for key in DOSSIER_KEYS}
    rates = dossier_rates(totals)
    sections, app_rates, notes = _sections_cached(scope)
    rates.update(app_rates)
    fields = sorted(_summed(rows, "field", "field_name"), key=lambda f: -f["received"])
    return {
        "totals": totals,
        "totals_text": {k: format_number(v) for k, v in totals.items()},
        "rates": rates,
        "notes": notes,
        "monthly": charts.stacked_bars(
            "Hồ sơ tiếp nhận theo tháng và kênh",
            [(charts.month_label(m["month"]), m) for m in months],
            _channel_series(totals),
        ),
        "months": [
            {
                **m,
                "label": charts.month_label(m["month"]),
                "online_pct": dossier_rates(m)["online_pct"],
                "online_gauge": charts.gauge(dossier_rates(m)["online_pct"], width=160),
            }
            for m in months
        ],  # fmt: skip
        "channels": charts.share_bar(
            [(label, totals[key], css) for key, label, css in _channel_series(totals)]
        ),
        "timeliness": charts.share_bar(
            [
                ("Trước hạn", totals["resolved_early"], "c-early"),
                ("Đúng hạn", totals["resolved_on_time"], "c-ontime"),
                ("Quá hạn", totals["resolved_late"], "c-late"),
                ("Đang giải quyết", totals["in_progress"], "c-open"),
            ]
        ),
        "gauges": {
            key: charts.gauge(rates.get(key))
            for key in (
                "online_pct",
                "on_time_pct",
                "post_intake_pct",
                "post_return_pct",
                "digitised_pct",
                "paid_online_pct",
            )
        },  # fmt: skip
        "fields": _field_rows(fields[:TOP_FIELDS]),
        "sections": sections,
        "synced": _synced_cached(scope),
    }


def _synced_cached(scope: Scope) -> dict | None:
    """The "đã đồng bộ" share of the period (motcua.dvcqg.selectors.synced_share, found by name:
    None without that app), cached like the other apps' sections."""
    share_of = optional_function("motcua.dvcqg.selectors", "synced_share")
    if share_of is None:
        return None
    key = "indicators:dvcqg-synced:" + ":".join(str(v) for v in scope.as_dict().values())
    found = cache.get(key)
    if found is None:
        share = share_of(scope.start, scope.end_exclusive, scope.dossier_q())
        found = {
            "dossiers": format_number(share.dossiers),
            "synced": format_number(share.synced),
            "enabled": share.enabled,
            "gauge": charts.gauge(share.pct),
        }
        cache.set(key, found, SECTIONS_TTL)
    return found


def _summed(rows: list[dict], *keys: str) -> list[dict]:
    """The grouped rows summed over every dimension but `keys`, ordered by `keys`."""
    sums: dict[tuple, dict] = {}
    for row in rows:
        group = tuple(row[k] for k in keys)
        empty = {**dict(zip(keys, group, strict=True)), **dict.fromkeys(DOSSIER_KEYS, 0)}
        item = sums.setdefault(group, empty)
        for key in DOSSIER_KEYS:
            item[key] += row[key]
    return [sums[group] for group in sorted(sums, key=lambda g: tuple(str(v) for v in g))]


def _field_rows(fields: list[dict]) -> list[dict]:
    peak = max((f["received"] for f in fields), default=0)
    return [
        {
            "code": f["field"],
            "name": f["field_name"],
            "received": format_number(f["received"]),
            "width": charts.svg_number(300 * f["received"] / peak if peak else 0),
            "on_time_pct": dossier_rates(f)["on_time_pct"],
        }
        for f in fields
    ]


def _sections_cached(scope: Scope) -> tuple[dict, dict, dict]:
    """The other apps' sections and rates (digitisation, payments) for the period and unit."""
    key = "indicators:sections:" + ":".join(
        str(v) for v in (scope.date_from, scope.date_to, scope.unit_code)
    )
    found = cache.get(key)
    if found is None:
        notes: dict[str, str] = {}
        sections = app_report_sections(scope.date_from, scope.date_to, unit_code=scope.unit_code)
        found = (sections, _rates_from_apps(scope, notes, sections), notes)
        cache.set(key, found, SECTIONS_TTL)
    return found
