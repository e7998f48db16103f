"""Two units (two organs with QCVN 102:2016 codes), an officer in each, and a registered document."""

from datetime import date

import pytest

from motcua.accounts.roles import Role
from motcua.exchange.services import FileIn, outgoing_register
from tests.accounts.factories import UnitFactory, UserFactory

PDF = b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"
DOCX = b"PK\x03\x04" + b"\x00\xff" * 3000


@pytest.fixture
def sender_unit():
    return UnitFactory(code="000.00.12.H27", name="Sở Tư pháp tỉnh Hà Tĩnh")


@pytest.fixture
def receiver_unit():
    return UnitFactory(code="000.00.07.H27", name="Sở Nội vụ tỉnh Hà Tĩnh")


@pytest.fixture
def clerk(sender_unit):
    return UserFactory(role=Role.SPECIALIST, unit=sender_unit, full_name="Trần Văn Thư")


@pytest.fixture
def receiver_clerk(receiver_unit):
    return UserFactory(role=Role.DESK_OFFICER, unit=receiver_unit, full_name="Lê Thị Nhận")


def register(actor, **changes):
    values = {
        "symbol": "STP-VP",
        "document_type": "18",
        "type_name": "Công văn",
        "subject": "V/v phối hợp thẩm định hồ sơ cấp Phiếu lý lịch tư pháp",
        "place": "Hà Tĩnh",
        "issued_on": date(2026, 12, 7),
        "signer_name": "Nguyễn Văn An",
        "signer_position": "Phó Giám đốc",
        "signer_competence": "KT.",
        "recipients": [("000.00.07.H27", "Sở Nội vụ tỉnh Hà Tĩnh")],
        "steering_type": "0",
        "due_date": date(2026, 12, 21),
        "files": [
            FileIn("cong-van.pdf", "application/pdf", PDF, "Văn bản chính"),
            FileIn("phu-luc.docx", "application/octet-stream", DOCX, "Phụ lục"),
        ],
    }
    values.update(changes)
    return outgoing_register(actor, **values)


@pytest.fixture
def document(clerk):
    return register(clerk)
