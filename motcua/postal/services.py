"""Every write of the postal channel (Decree 61/2018 art. 16: dossiers sent and results returned
through the public postal service, QĐ 45/2016/QĐ-TTg). Each service is one transaction: it checks
who acts and what is asked, and changes nothing when it refuses.
"""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from motcua.accounts.roles import Role
from motcua.core.clock import now
from motcua.core.places import provinces, wards_of
from motcua.dossiers.changes import dossier_changed
from motcua.dossiers.models import ChannelKind, Dossier
from motcua.dossiers.permissions import access_dossier_for_officer
from motcua.dossiers.services import (
    IntakeData,
    dossier_act,
    dossier_receive,
    dossier_result_mail_returned,
)
from motcua.dossiers.workflow import TERMINAL, Status

from .models import (
    Consignment,
    ConsignmentStatus,
    Direction,
    EventKind,
    TrackingEvent,
)
from .operators import ConsignmentRequest, OperatorError, Party, operator_client
from .s10 import s10_validate
from .tariff import postal_fee

CLOCK_SKEW = timedelta(minutes=5)  # an operator's clock a little ahead of ours is not forgery
FINAL = {ConsignmentStatus.DELIVERED, ConsignmentStatus.RETURNED_TO_SENDER}
EVENT_STATUS = {
    EventKind.ACCEPTED: ConsignmentStatus.ACCEPTED,
    EventKind.IN_TRANSIT: ConsignmentStatus.IN_TRANSIT,
    EventKind.DELIVERED: ConsignmentStatus.DELIVERED,
    EventKind.RETURNED_TO_SENDER: ConsignmentStatus.RETURNED_TO_SENDER,
}


@dataclass
class Address:
    """Where a result goes: the receiver and an address from the official list of places."""

    receiver_name: str
    province_code: str
    ward_code: str
    address_line: str
    phone: str = ""


def operator_validate(operator: str) -> str:
    if operator not in settings.POSTAL_OPERATORS:
        raise ValidationError({"operator": "Doanh nghiệp bưu chính không có trong danh sách."})
    return operator


def address_errors(address: Address) -> dict:
    errors = {}
    if not address.receiver_name.strip():
        errors["receiver_name"] = "Hãy nhập tên người nhận."
    if address.province_code not in dict(provinces()):
        errors["province_code"] = "Hãy chọn tỉnh, thành phố trong danh mục."
    elif address.ward_code not in dict(wards_of(address.province_code)):
        errors["ward_code"] = "Hãy chọn xã, phường thuộc tỉnh, thành phố đã chọn."
    if not address.address_line.strip():
        errors["address_line"] = "Hãy nhập số nhà, đường, thôn, xóm."
    phone = address.phone.replace(" ", "")
    if phone and not (phone.lstrip("+").isdigit() and 9 <= len(phone) <= 12):
        errors["phone"] = "Số điện thoại chỉ gồm 9–12 chữ số."
    return errors


# --- intake by post ------------------------------------------------------------------------------


@dataclass
class PostalFacts:
    """What the envelope says: who carried it, its number, when it was posted, when it reached us."""

    number: str
    posted_on: date
    arrived_at: datetime
    operator: str = "vnpost"


def postal_facts_errors(facts: PostalFacts) -> dict:
    errors = {}
    if facts.operator not in settings.POSTAL_OPERATORS:
        errors["operator"] = "Doanh nghiệp bưu chính không có trong danh sách."
    try:
        facts.number = s10_validate(facts.number)
    except ValidationError as exc:
        errors["number"] = exc.messages[0]
    at = now()
    if facts.arrived_at > at + CLOCK_SKEW:
        errors["arrived_at"] = "Thời điểm hồ sơ đến Bộ phận Một cửa không được ở tương lai."
    if facts.posted_on > at.date():
        errors["posted_on"] = "Ngày gửi không được ở tương lai."
    elif facts.posted_on > timezone.localtime(facts.arrived_at).date():
        errors["posted_on"] = "Ngày gửi không được sau ngày hồ sơ đến Bộ phận Một cửa."
    if (
        "number" not in errors
        and Consignment.objects.filter(
            direction=Direction.INBOUND, operator=facts.operator, number=facts.number
        ).exists()
    ):
        errors["number"] = f"Bưu gửi {facts.number} đã được tiếp nhận trước đây."
    return errors


def postal_intake_receive(actor, data: IntakeData, facts: PostalFacts) -> Dossier:
    """Receive a dossier that came by post. The statutory clock starts when it reached the desk
    (Decree 61/2018 art. 17), not on the posting date; the envelope is recorded with it."""
    errors = postal_facts_errors(facts)
    if errors:
        raise ValidationError(errors)
    data.channel = ChannelKind.POST
    with transaction.atomic():
        dossier = dossier_receive(actor, data, received_at=facts.arrived_at)
        Consignment.objects.create(
            direction=Direction.INBOUND,
            operator=facts.operator,
            number=facts.number,
            dossier=dossier,
            status=ConsignmentStatus.RECEIVED_AT_DESK,
            posted_on=facts.posted_on,
            arrived_at=facts.arrived_at,
            created_at=now(),
            sender_name=dossier.applicant_name,
            sender_address=dossier.applicant_address,
            receiver_name=dossier.receiving_unit.name,
            receiver_phone="",
            created_by=actor,
        )
    return dossier


# --- return by post ------------------------------------------------------------------------------


def _return_by_post_allowed(dossier: Dossier) -> None:
    if dossier.returns_to_sending_agency:
        raise ValidationError(
            "Hồ sơ nhận liên thông: kết quả gửi về cơ quan chuyển hồ sơ, không gửi qua bưu chính."
        )
    if ChannelKind.POST not in dossier.procedure_version.return_channels:
        raise ValidationError("Thủ tục này không trả kết quả qua bưu chính.")


def postal_return_choose(actor, dossier: Dossier, address: Address) -> Consignment:
    """Record that the result is to be returned by post, to `address` (from the official list).

    For the citizens' portal and the desk; each is checked here through its own door (a citizen:
    only a dossier their account submitted). Allowed until the result has been returned; choosing
    again replaces the address. The consignment itself is created when the desk posts the result.
    """
    if actor is None or not actor.is_active:
        raise PermissionDenied("Hãy đăng nhập để chọn hình thức nhận kết quả.")
    if actor.role == Role.CITIZEN:
        from motcua.dossiers.online import access_dossier_for_citizen

        access_dossier_for_citizen(actor, dossier.pk)
    else:
        access_dossier_for_officer(actor, dossier.pk)
    _return_by_post_allowed(dossier)
    errors = address_errors(address)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = Dossier.objects.select_for_update(of=("self",)).get(pk=dossier.pk)
        if Status(locked.status) in TERMINAL:
            raise ValidationError("Hồ sơ đã kết thúc; không đổi được hình thức nhận kết quả.")
        request = Consignment.objects.filter(
            dossier=locked, direction=Direction.OUTBOUND, status=ConsignmentStatus.REQUESTED
        ).first() or Consignment(
            dossier=locked,
            direction=Direction.OUTBOUND,
            status=ConsignmentStatus.REQUESTED,
            operator=settings.POSTAL_DEFAULT_OPERATOR,
            created_at=now(),
            sender_name=locked.receiving_unit.name,
            sender_address=settings.POSTAL_SENDER_ADDRESS,
        )
        request.receiver_name = address.receiver_name.strip()
        request.receiver_phone = address.phone.replace(" ", "")
        request.province_code = address.province_code
        request.ward_code = address.ward_code
        request.address_line = address.address_line.strip()
        request.created_by = actor
        request.save()
        if locked.return_channel != ChannelKind.POST:
            # The way the result goes back; the dossier's revision is not bumped so that an officer's
            # open page stays valid (the choice changes no status).
            Dossier.objects.filter(pk=locked.pk).update(return_channel=ChannelKind.POST)
            dossier_changed(locked, "return_channel")  # a finished dossier's page says how it comes
    return request


def postal_return_request(dossier: Dossier) -> Consignment | None:
    """The address the citizen chose for the result, if any (not yet posted)."""
    return Consignment.objects.filter(
        dossier=dossier, direction=Direction.OUTBOUND, status=ConsignmentStatus.REQUESTED
    ).first()


def postal_return_send(
    actor,
    dossier_id: int,
    *,
    expected_revision: int,
    address: Address,
    weight_grams: int,
    operator: str = "",
) -> Consignment:
    """The desk posts the result (or the refusal notice): the consignment is created at the
    operator, its postage computed from the tariff, and the dossier returned (status 10) through
    the workflow, with return channel post. If the operator refuses, nothing changes."""
    operator = operator_validate(operator or settings.POSTAL_DEFAULT_OPERATOR)
    errors = address_errors(address)
    try:
        fee = postal_fee(int(weight_grams), address.province_code)
    except (TypeError, ValueError):
        errors["weight_grams"] = "Khối lượng bưu gửi phải là số gam."
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        dossier = access_dossier_for_officer(actor, dossier_id, for_update=True)
        if actor.role != Role.DESK_OFFICER:
            raise PermissionDenied("Chỉ công chức Bộ phận Một cửa được gửi kết quả qua bưu chính.")
        _return_by_post_allowed(dossier)
        consignment = postal_return_request(dossier) or Consignment(
            dossier=dossier, direction=Direction.OUTBOUND
        )
        attempt = dossier.consignments.filter(direction=Direction.OUTBOUND).count() + 1
        consignment.operator = operator
        consignment.status = ConsignmentStatus.CREATED
        consignment.created_at = now()
        consignment.created_by = actor
        consignment.sender_name = dossier.receiving_unit.name
        consignment.sender_address = settings.POSTAL_SENDER_ADDRESS
        consignment.receiver_name = address.receiver_name.strip()
        consignment.receiver_phone = address.phone.replace(" ", "")
        consignment.province_code = address.province_code
        consignment.ward_code = address.ward_code
        consignment.address_line = address.address_line.strip()
        consignment.weight_grams = int(weight_grams)
        consignment.fee = fee
        # Return first: it checks the status and the page's revision before anything leaves us.
        dossier_act(
            actor,
            dossier.pk,
            "return_result",
            expected_revision=expected_revision,
            return_channel=ChannelKind.POST,
        )
        consignment.number = _number_from_operator(consignment, dossier, attempt)
        consignment.save()
    return consignment


def _number_from_operator(consignment: Consignment, dossier: Dossier, attempt: int) -> str:
    config = settings.POSTAL_OPERATORS[consignment.operator]
    assert dossier.code is not None  # a dossier gets its code at reception, long before its result
    request = ConsignmentRequest(
        # Stable for the same dossier and attempt: a retry after a lost answer gets the same number.
        request_id=f"{dossier.code}-{attempt}",
        service=config["service"],
        sender=Party(consignment.sender_name, consignment.sender_address),
        receiver=Party(
            consignment.receiver_name,
            consignment.address,
            consignment.receiver_phone,
            consignment.province_code,
            consignment.ward_code,
        ),
        weight_grams=consignment.weight_grams,
        reference=dossier.code,
    )
    try:
        number = operator_client(consignment.operator).create_consignment(request)
    except OperatorError as exc:
        raise ValidationError(f"Chưa gửi được: {exc}", code="operator") from exc
    if Consignment.objects.filter(operator=consignment.operator, number=number).exists():
        raise ValidationError(
            f"Doanh nghiệp bưu chính trả về số hiệu {number} đã dùng cho bưu gửi khác.",
            code="operator",
        )
    return number


# --- tracking ------------------------------------------------------------------------------------


@dataclass
class EventData:
    operator_event_id: str
    kind: str
    at: datetime | None  # None when the source's instant was unreadable: event_errors refuses it
    place: str = ""
    note: str = ""
    signed_by: str = ""
    proof_url: str = ""


def event_errors(event: EventData) -> dict:
    errors = {}
    if not event.operator_event_id.strip() or len(event.operator_event_id) > 64:
        errors["operator_event_id"] = "Mã sự kiện phải có, tối đa 64 ký tự."
    if event.kind not in EventKind.values:
        errors["kind"] = "Loại sự kiện phải là một trong: " + ", ".join(EventKind.values) + "."
    if event.at is None or timezone.is_naive(event.at):
        errors["at"] = "Thời điểm phải có múi giờ (ví dụ 2024-05-10T09:30:00+07:00)."
    elif event.at > now() + CLOCK_SKEW:
        errors["at"] = "Thời điểm sự kiện không được ở tương lai."
    if event.kind == EventKind.DELIVERED and not event.signed_by.strip():
        errors["signed_by"] = "Sự kiện phát thành công phải có tên người ký nhận."
    if event.proof_url and not event.proof_url.startswith(("https://", "http://")):
        errors["proof_url"] = "Ảnh, tệp chứng từ phát phải là địa chỉ http(s)."
    for name in ("place", "note", "signed_by"):
        if len(getattr(event, name)) > (500 if name == "note" else 255):
            errors[name] = "Nội dung quá dài."
    return errors


def consignment_by_number(operator: str, number: str) -> Consignment:
    """The outbound consignment with this number, or ValidationError (code unknown_consignment)."""
    try:
        number = s10_validate(number)
    except ValidationError as exc:
        raise ValidationError({"consignment_number": exc.messages[0]}) from exc
    consignment = (
        Consignment.objects.filter(operator=operator, number=number, direction=Direction.OUTBOUND)
        .select_related("dossier")
        .first()
    )
    if consignment is None:
        unknown = ValidationError(
            f"Không có bưu gửi trả kết quả số hiệu {number}.", code="unknown_consignment"
        )
        raise ValidationError({"consignment_number": unknown})
    return consignment


def tracking_event_record(
    actor, consignment_id: int, event: EventData, *, source: str
) -> tuple[TrackingEvent, bool]:
    """Record what the operator reports about a consignment; (event, created). The same operator
    event id again changes nothing (webhooks are retried, files imported twice). Returned mail of a
    result returned by post sends the dossier back to waiting for return, in the same transaction."""
    errors = event_errors(event)
    if errors:
        raise ValidationError(errors)
    at = event.at
    assert at is not None  # event_errors refuses an event without its instant
    with transaction.atomic():
        consignment = (
            Consignment.objects.select_for_update(of=("self",))
            .select_related("dossier")
            .get(pk=consignment_id)
        )
        existing = consignment.events.filter(operator_event_id=event.operator_event_id).first()
        if existing is not None:
            return existing, False
        _check_event_fits(consignment, event, at)
        recorded = TrackingEvent.objects.create(
            consignment=consignment,
            operator_event_id=event.operator_event_id.strip(),
            kind=event.kind,
            at=at,
            place=event.place.strip(),
            note=event.note.strip(),
            signed_by=event.signed_by.strip(),
            proof_url=event.proof_url,
            source=source,
            recorded_at=now(),
            recorded_by=actor,
        )
        _consignment_advance(consignment, event, actor)
    return recorded, True


def _check_event_fits(consignment: Consignment, event: EventData, at: datetime) -> None:
    if consignment.direction != Direction.OUTBOUND or not consignment.number:
        raise ValidationError("Chỉ ghi nhận hành trình của bưu gửi trả kết quả đã lập.")
    final = {EventKind.DELIVERED, EventKind.RETURNED_TO_SENDER}
    if consignment.status in FINAL and event.kind in final:
        raise ValidationError(
            f"Bưu gửi {consignment.number} đã ở trạng thái “{consignment.get_status_display()}”; "
            "không ghi nhận thêm kết quả phát khác.",
            code="final",
        )
    if at < consignment.created_at - CLOCK_SKEW:
        raise ValidationError({"at": "Sự kiện không được trước khi lập bưu gửi."})


def _consignment_advance(consignment: Consignment, event: EventData, actor) -> None:
    if consignment.status in FINAL:
        return  # a late "in transit" after delivery is kept as evidence, the outcome stands
    consignment.status = EVENT_STATUS[EventKind(event.kind)]
    if event.kind == EventKind.DELIVERED:
        consignment.delivered_at = event.at
        consignment.delivered_to = event.signed_by.strip()
    consignment.save()
    if event.kind == EventKind.RETURNED_TO_SENDER:
        _reopen_return(consignment, event, actor)


def _reopen_return(consignment: Consignment, event: EventData, actor) -> None:
    """The mail came back: if this consignment carried the dossier's returned result, the dossier
    waits to be returned again (workflow SYSTEM_TRANSITIONS)."""
    dossier = consignment.dossier
    latest = (
        dossier.consignments.filter(direction=Direction.OUTBOUND)
        .exclude(status=ConsignmentStatus.REQUESTED)
        .order_by("-created_at", "-pk")
        .first()
    )
    if latest is None or latest.pk != consignment.pk or dossier.status != Status.RETURNED:
        return
    reason = f"Bưu gửi {consignment.number} bị chuyển hoàn"
    if event.note.strip():
        reason += f": {event.note.strip()}"
    dossier_result_mail_returned(dossier.pk, reason=reason, relayed_by=actor)
