"""The postal part of the demo: three dossiers that came by post today, through the same services
the desk uses — one just received, one whose result was posted and delivered with proof, one whose
result came back to sender and now waits at the desk to be posted again or handed over.

Idempotent: the envelopes have fixed numbers; when the first one is recorded, nothing is written.
(The 2.512 / 9.740 dossiers of H1/2023 come with the imported history: channel and return channel.)
"""

from datetime import timedelta

from django.db import transaction

from motcua.accounts.models import User
from motcua.catalog.selectors import version_in_force
from motcua.core.clock import now
from motcua.dossiers.services import ApplicantData, ComponentData, IntakeData, dossier_act

from .models import Consignment, Direction, EventSource
from .s10 import s10_number
from .services import (
    Address,
    EventData,
    PostalFacts,
    postal_intake_receive,
    postal_return_send,
    tracking_event_record,
)

PROCEDURE = "1.002153"  # Đăng ký hành nghề luật sư với tư cách cá nhân: by post both ways
DESK = "motcua.ttpvhcc"
HOME = ("42", "18073")  # Phường Thành Sen, Hà Tĩnh
APPLICANTS = [
    ("Nguyễn Văn An (mẫu)", "042090000101", "Số 12, đường Hà Huy Tập", "0912000101"),
    ("Trần Thị Bình (mẫu)", "042190000102", "Số 8, đường Nguyễn Công Trứ", "0912000102"),
    ("Lê Văn Cường (mẫu)", "042090000103", "Thôn 3", "0912000103"),
]
NUMBERS = [s10_number("EE", 91000001 + i) for i in range(len(APPLICANTS))]


def load_demo(stdout=None) -> str:
    if Consignment.objects.filter(direction=Direction.INBOUND, number=NUMBERS[0]).exists():
        message = "Bưu chính công ích: đã có dữ liệu mẫu, không nạp lại."
    else:
        with transaction.atomic():
            message = _load()
    if stdout is not None:
        stdout.write(message + "\n")
    return message


def _load() -> str:
    desk = User.objects.get(username=DESK)
    version = version_in_force(PROCEDURE, now())
    components = [
        ComponentData(c.name, c.form, c.count) for c in version.components.all() if c.mandatory
    ]
    dossiers = []
    for (name, citizen_id, street, phone), number in zip(APPLICANTS, NUMBERS, strict=True):
        data = IntakeData(
            procedure_code=PROCEDURE,
            applicant=ApplicantData(
                full_name=name,
                citizen_id=citizen_id,
                province_code=HOME[0],
                ward_code=HOME[1],
                address_line=street,
                phone=phone,
            ),
            components=components,
            return_channel="post",
        )
        facts = PostalFacts(
            number=number,
            posted_on=(now() - timedelta(days=2)).date(),
            arrived_at=now() - timedelta(hours=1),
        )
        dossiers.append(postal_intake_receive(desk, data, facts))
    delivered = _post_result(dossiers[1], desk)
    _track(delivered, ["accepted", "in_transit", "delivered"], signed_by="Trần Thị Bình")
    returned = _post_result(dossiers[2], desk)
    _track(returned, ["accepted", "in_transit", "returned_to_sender"], note="Không có người nhận")
    return (
        "Bưu chính công ích: 3 hồ sơ nhận qua bưu chính hôm nay; 1 kết quả đã phát, "
        "1 kết quả bị chuyển hoàn đang chờ trả lại."
    )


def _post_result(dossier, desk) -> Consignment:
    """The lawyer-registration steps of the demo catalogue, by the demo staff, then the post."""
    head = User.objects.get(username="tp.hcbttp")
    specialist = User.objects.get(username="cv.hcbttp")
    leader = User.objects.get(username="lanhdao.so")
    for actor, action, params in (
        (head, "assign", {"assignee_id": specialist.pk}),
        (specialist, "complete_step", {}),
        (head, "submit_for_signature", {}),
        (leader, "approve", {}),
    ):
        dossier = dossier_act(
            actor, dossier.pk, action, expected_revision=dossier.revision, **params
        )
    applicant = dossier.applicant
    return postal_return_send(
        desk,
        dossier.pk,
        expected_revision=dossier.revision,
        address=Address(
            receiver_name=applicant.full_name,
            province_code=applicant.province_code,
            ward_code=applicant.ward_code,
            address_line=applicant.address_line,
            phone=applicant.phone,
        ),
        weight_grams=150,
    )


def _track(consignment: Consignment, kinds: list[str], *, signed_by: str = "", note: str = ""):
    for index, kind in enumerate(kinds, start=1):
        tracking_event_record(
            None,
            consignment.pk,
            EventData(
                operator_event_id=f"demo-{consignment.number}-{index}",
                kind=kind,
                at=now(),
                place="Bưu cục Hà Tĩnh",
                signed_by=signed_by if kind == "delivered" else "",
                note=note if kind == "returned_to_sender" else "",
            ),
            source=EventSource.CSV,
        )
