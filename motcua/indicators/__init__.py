"""Indicators for any period and unit, the periodic reform report and the dashboards."""
