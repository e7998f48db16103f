"""Renderers of the report data: DOCX (Decree 30/2020 layout), PDF, XLSX appendices."""

from __future__ import annotations


def report_file(scope, data: dict, fmt: str, *, paragraphs=None, issue=None, profile=None) -> bytes:
    """The report of `scope` as bytes in `fmt` (docx, pdf or xlsx) from its data dict."""
    from . import docx_report, xlsx_report

    if fmt == "xlsx":
        return xlsx_report.appendices_xlsx(scope, data)
    options = {"paragraphs": paragraphs, "issue": issue, "profile": profile}
    document = docx_report.report_docx(scope, data, **options)
    if fmt == "docx":
        return document
    return docx_report.docx_to_pdf(document, data, scope=scope, **options)
