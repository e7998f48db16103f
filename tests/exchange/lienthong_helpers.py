"""A dossier of installation A in progress with one scanned paper, and the settings of a directory
exchange (issue [J] item 5, ADR 0034 "Liên thông")."""

from motcua.documents.models import ComponentSource
from motcua.documents.services import component_file_attach, stored_file_put
from tests.documents.factories import pdf_bytes
from tests.dossiers.test_services import act, receive

# Installation B's unit: an agency of another system (not a unit of A).
OTHER = "000.00.31.H42"
OTHER_NAME = "Sở Tư pháp tỉnh Nghệ An"


def dossier_in_progress(desk):
    dossier = receive(desk, when="2024-05-06T07:30")
    component = dossier.components.get()
    component_file_attach(
        desk["desk"],
        component,
        stored_file_put(pdf_bytes("Tờ khai đã ký")),
        source=ComponentSource.DESK_SCAN,
    )
    act(desk["head"], dossier, "assign", "2024-05-06T08:00", assignee_id=desk["specialist"].pk)
    dossier.refresh_from_db()
    return dossier


def send_to_other(desk, dossier, action="route_inter_agency", when="2024-05-06T09:00", **extra):
    params = {
        "reason": "Đề nghị xác minh thông tin lý lịch tư pháp của người nộp",
        "organ_id": OTHER,
        "organ_name": OTHER_NAME,
        "working_hours": "16",
        **extra,
    }
    return act(desk["specialist"], dossier, action, when, **params)
