"""`{% load eforms %}{% eform_of version as form %}`: the version's online form, if it has one
(so the procedure page offers “Khai tờ khai trực tuyến” for exactly the procedures with a schema)."""

from django import template

from motcua.eforms.schema import SchemaError
from motcua.eforms.selectors import schema_for_version

register = template.Library()


@register.simple_tag
def eform_of(version):
    try:
        return schema_for_version(version)
    except SchemaError:
        return None  # reported by `motcua check` (eforms.E001); the paper way still works
