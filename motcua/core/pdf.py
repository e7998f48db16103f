"""HTML templates to PDF with WeasyPrint: official forms, receipts and reports.

Templates carry their own page size (`@page { size: A5 }`) and use Times New Roman-compatible fonts
(Tinos / Liberation Serif, which have every Vietnamese letter), as Decree 30/2020 prescribes.
"""

from django.conf import settings
from django.template.loader import render_to_string


def render_pdf(template_name: str, context: dict) -> bytes:
    # Imported here: WeasyPrint loads Pango at import time, which only PDF-making code needs.
    from weasyprint import HTML

    html = render_to_string(template_name, context)
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()
