"""Every write of the reform data. Each service checks who acts, validates everything first (a
ValidationError with Vietnamese messages, per field where it names one), and only then writes, in
one transaction — so bad input changes nothing.

`actor=None` means the system itself (the demo loader, a command run by the operator); views always
pass the signed-in user.

One module per part of the reform work (plans, tasks, inspections, legal documents, ISO 9001, the PAR
index), sharing `validation`; callers use `from motcua.reform import services`.
"""

from .inspections import inspection_create, inspection_finding_add, inspection_follow_up_done
from .iso import (
    iso_document_create,
    iso_document_reviewed,
    iso_document_version_add,
    iso_process_create,
    iso_process_withdraw,
    iso_unit_applies,
    iso_version_add,
)
from .iso_register import (
    SyncResult,
    iso_action_add,
    iso_action_done,
    iso_action_verified,
    iso_audit_create,
    iso_finding_add,
    iso_management_review_create,
    iso_register_sync,
)
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
from .par_load import par_auto_accept, par_tree_load
from .plans import plan_create
from .tasks import task_create, task_import_status, task_progress_add, task_update

__all__ = [
    "draft_register",
    "inspection_create",
    "inspection_finding_add",
    "inspection_follow_up_done",
    "SyncResult",
    "iso_action_add",
    "iso_action_done",
    "iso_action_verified",
    "iso_audit_create",
    "iso_document_create",
    "iso_document_reviewed",
    "iso_document_version_add",
    "iso_finding_add",
    "iso_management_review_create",
    "iso_process_create",
    "iso_process_withdraw",
    "iso_register_sync",
    "iso_unit_applies",
    "iso_version_add",
    "legal_activity_record",
    "legal_document_register",
    "legal_number_problem",
    "par_assessment_create",
    "par_auto_accept",
    "par_tree_load",
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
