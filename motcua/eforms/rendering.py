"""The filled official form as PDF: the schema's title, addressee, sections and pledge with the
citizen's answers, through the project's WeasyPrint helper (motcua.core.pdf) and its fonts."""

from datetime import datetime

from motcua.core.pdf import render_pdf

from .schema import Schema
from .selectors import answers_by_section, schema_layout


def filled_form_context(schema: Schema, answers: dict, signed_at: datetime) -> dict:
    sections = answers_by_section(schema_layout(schema), answers)
    for part in sections:
        part["items"] = [i for i in part["items"] if i["printed"]]
    return {
        "schema": schema,
        "sections": [s for s in sections if s["items"]],
        "signed_at": signed_at,
        "signer_name": answers.get(schema.applicant.get("full_name", ""), ""),
    }


def filled_form_pdf(schema: Schema, answers: dict, signed_at: datetime) -> bytes:
    return render_pdf("eforms/filled_form.html", filled_form_context(schema, answers, signed_at))
