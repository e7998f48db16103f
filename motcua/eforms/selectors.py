"""Reads of the online forms: which schema a procedure version has, a dossier's submitted answers
as the desk reads them."""

from motcua.catalog.models import ProcedureVersion

from .models import EformSubmission
from .schema import Schema, schema_for


def schema_for_version(version: ProcedureVersion) -> Schema | None:
    """The online form of this version (by procedure code and announcing decision), if any."""
    return schema_for(version.procedure.code, version.decision.number)


def submission_for_dossier(dossier) -> EformSubmission | None:
    return (
        EformSubmission.objects.select_related("declaration__stored_file")
        .filter(dossier=dossier)
        .first()
    )


def answers_by_section(layout: list[dict], answers: dict) -> list[dict]:
    """The answers in the order and with the labels of the form: sections of rows
    {"label", "value"} or, for periods, {"label", "columns", "rows"}."""
    sections = []
    for part in layout:
        items = []
        for item in part["fields"]:
            value = answers.get(item["key"], "")
            if item["type"] == "periods":
                columns = item.get("columns", [])
                items.append(
                    {
                        "label": item["label"],
                        "columns": [c["label"] for c in columns],
                        "rows": [[row.get(c["key"], "") for c in columns] for row in value or []],
                        "printed": item.get("printed", True),
                    }
                )
            else:
                items.append(
                    {"label": item["label"], "value": value, "printed": item.get("printed", True)}
                )
        sections.append({"title": part["title"], "items": items})
    return sections


def schema_layout(schema: Schema) -> list[dict]:
    """The sections and labels of a schema, as stored with a submission."""
    return [
        {
            "title": part.title,
            "fields": [
                {
                    "key": f.key,
                    "label": f.label,
                    "type": f.type,
                    "printed": f.printed,
                    "columns": [{"key": c.key, "label": c.label} for c in f.columns],
                }
                for f in part.fields
            ],
        }
        for part in schema.sections
    ]
