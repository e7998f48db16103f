import pytest

from motcua.catalog.exporting import catalogue_file_build
from motcua.catalog.models import (
    Decision,
    Field,
    Procedure,
    ProcedureComponent,
    ProcedureFee,
    ProcedureVersion,
    ProcessStep,
)

from .factories import make_units


@pytest.fixture
def units(db):
    return make_units()


def snapshot() -> dict:
    """Everything the catalogue holds, to compare before and after a rejected import."""
    return {
        "counts": [
            m.objects.count()
            for m in (
                Field,
                Decision,
                Procedure,
                ProcedureVersion,
                ProcedureFee,
                ProcedureComponent,
                ProcessStep,
            )
        ],
        "document": catalogue_file_build(),
        "until": sorted(ProcedureVersion.objects.values_list("pk", "effective_until")),
    }
