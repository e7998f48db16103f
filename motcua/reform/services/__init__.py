"""Every write of the reform data. Each service checks who acts, validates everything first (a
ValidationError with Vietnamese messages, per field where it names one), and only then writes, in
one transaction — so bad input changes nothing.

`actor=None` means the system itself (the demo loader, a command run by the operator); views always
pass the signed-in user.

One module per part of the reform work (plans, tasks, inspections, legal documents, ISO 9001, the PAR
index), sharing `validation`; callers use `from motcua.reform import services`.
"""

from .inspections import inspection_create, inspection_finding_add, inspection_follow_up_done
from .iso import iso_process_create, iso_version_add, iso_version_reviewed
from .legal_documents import (
    draft_register,
    legal_activity_record,
    legal_document_register,
    legal_number_problem,
    period_create,
)
from .par_index import (
    par_assessment_create,
    par_criterion_add,
    par_final_score,
    par_scores_set,
    par_self_score,
)
from .plans import plan_create
from .tasks import task_create, task_import_status, task_progress_add, task_update

__all__ = [
    "draft_register",
    "inspection_create",
    "inspection_finding_add",
    "inspection_follow_up_done",
    "iso_process_create",
    "iso_version_add",
    "iso_version_reviewed",
    "legal_activity_record",
    "legal_document_register",
    "legal_number_problem",
    "par_assessment_create",
    "par_criterion_add",
    "par_final_score",
    "par_scores_set",
    "par_self_score",
    "period_create",
    "plan_create",
    "task_create",
    "task_import_status",
    "task_progress_add",
    "task_update",
]
