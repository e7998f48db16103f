"""Typed request and response bodies of the API (the OpenAPI schema is generated from them).

Field names are English; every text meant for a person is Vietnamese. Lengths follow the model
columns, so nothing valid here can fail in the database.
"""

import re
from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Schema
from pydantic import AfterValidator, BeforeValidator, ConfigDict, Field

MSG_DATE = "Phải là một ngày theo dạng NNNN-TT-NN (ví dụ 2024-04-26)."
NO_CONTROL_CHARACTERS = "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f]*$"
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _printable(value: str) -> str:
    if any(ord(ch) < 32 and ch not in "\t\n\r" for ch in value):
        raise ValueError("Không được chứa ký tự điều khiển.")
    return value


def _iso_date_text(value):
    """Only 'YYYY-MM-DD': pydantic would otherwise read 0 or '1714000000' as a timestamp."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not ISO_DATE.match(value):
        raise ValueError(MSG_DATE)
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_date_text)]
# In a JSON body a number is a number: "2" is not accepted where 2 is meant.
StrictInt = Annotated[int, Field(strict=True)]


def Text(max_length: int):  # noqa: N802 - a type factory, read like a type
    return Annotated[
        str,
        Field(max_length=max_length, json_schema_extra={"pattern": NO_CONTROL_CHARACTERS}),
        AfterValidator(_printable),
    ]


class ErrorDetail(Schema):
    code: str = Field(description="Mã lỗi ổn định cho chương trình, ví dụ validation_error.")
    message: str = Field(description="Thông báo tiếng Việt cho người dùng.")
    fields: dict[str, str] = Field(description="Lỗi theo từng trường (đường dẫn có dấu chấm).")


class ErrorOut(Schema):
    error: ErrorDetail


# --- catalogue -------------------------------------------------------------------------------------


class ProcedureListQuery(Schema):
    q: Text(200) = Field("", description="Tìm theo tên (không phân biệt dấu) hoặc mã thủ tục.")
    at: IsoDate | None = Field(None, description="Ngày xét hiệu lực; mặc định hôm nay.")
    page: int = Field(1, ge=1, le=100000)
    page_size: int = Field(20, ge=1, le=100)


class AtQuery(Schema):
    at: IsoDate | None = Field(None, description="Ngày xét hiệu lực; mặc định hôm nay.")


class ProcedureItem(Schema):
    code: str
    name: str
    field: str
    level: str
    level_label: str
    competent_agency: str
    receiving_unit: str
    accepts_online: bool
    effective_from: date


class ProcedurePage(Schema):
    items: list[ProcedureItem]
    count: int
    page: int
    page_size: int


class ChannelOut(Schema):
    code: str
    label: str


class FeeOut(Schema):
    name: str
    amount: int = Field(description="Số tiền (đồng).")


class ComponentOut(Schema):
    order: int
    name: str
    form: str
    form_label: str
    count: int
    mandatory: bool


class ProcessingTimeOut(Schema):
    value: float
    unit: str
    text: str = Field(description="Ví dụ: 10 ngày làm việc.")
    working_hours: float


class ProcedureDetail(Schema):
    code: str
    name: str
    decision: str
    effective_from: date
    field: str
    level: str
    level_label: str
    competent_agency: str
    receiving_unit: str
    processing_time: ProcessingTimeOut
    intake_channels: list[ChannelOut]
    return_channels: list[ChannelOut]
    fees: list[FeeOut]
    components: list[ComponentOut]
    results: list[str]
    legal_basis: str


# --- online submission ---------------------------------------------------------------------------


class ApplicantIn(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["person", "organisation"] = "person"
    full_name: Text(255)
    citizen_id: Text(20) = ""
    date_of_birth: IsoDate | None = None
    tax_code: Text(20) = ""
    province_code: Text(8) = ""
    ward_code: Text(8) = ""
    address_line: Text(255) = ""
    phone: Text(20) = ""
    email: Text(254) = ""


class ComponentIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: Text(500)
    form: Literal["original", "copy"]
    count: StrictInt = Field(1, ge=1, le=999)


class DossierSubmitIn(Schema):
    model_config = ConfigDict(extra="forbid")

    procedure_code: Text(32)
    applicant: ApplicantIn
    components: list[ComponentIn] = Field(default_factory=list, max_length=100)
    return_channel: Literal["desk", "online", "post"] = "desk"
    dossier_sets: StrictInt = Field(1, ge=1, le=99)


class DossierSubmitOut(Schema):
    reference: str = Field(description="Mã tra cứu của hồ sơ khi chưa có mã hồ sơ.")
    status: int = Field(description="Trạng thái hồ sơ theo mã quốc gia (1–10).")
    status_label: str
    submitted_at: datetime
    procedure_code: str
    status_url: str


class DossierStatusOut(Schema):
    code: str | None = Field(description="Mã hồ sơ; trống khi hồ sơ trực tuyến chưa tiếp nhận.")
    procedure_code: str
    procedure_name: str
    applicant: str = Field(description="Tên người nộp đã che, ví dụ N*** T*** H***.")
    status: int = Field(description="Trạng thái hồ sơ theo mã quốc gia (1–10).")
    status_label: str
    detail_label: str = Field(description="Trạng thái chi tiết trong quy trình nội bộ.")
    submitted_at: datetime | None
    received_at: datetime | None
    due_at: datetime | None
    finished: bool
    returned: bool
