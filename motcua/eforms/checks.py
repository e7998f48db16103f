"""`motcua check` loads every shipped online-form schema: a bad file is reported with its name and
field (eforms.E001) before any citizen opens the form."""

from django.core.checks import Error, register

from .schema import SCHEMA_DIR, SchemaError, schemas_load


@register()
def eform_schemas_check(app_configs=None, **kwargs):
    try:
        schemas_load(SCHEMA_DIR)
    except SchemaError as exc:
        return [Error(str(exc), id="eforms.E001")]
    return []
