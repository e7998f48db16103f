"""edXML packages of QCVN 102:2016/BTTTT: build them (pack) and read them back (parse).

Pure Python over lxml, no Django: the element names, their nesting and the namespace are recorded
with their sources in docs/exchange.md (what was not found is marked there). Two kinds of package:

* a document package (văn bản): edXML/edXMLEnvelope/edXMLHeader/{MessageHeader, TraceHeaderList},
  edXMLBody/edXMLManifest/Reference per attachment, and edXML/AttachmentEncoded/Attachment with the
  file in base64 (ContentTransferEncoded);
* a status package (trạng thái): edXML/edXMLEnvelope/edXMLHeader/Status with ResponseFor, From,
  StatusCode, Description, Timestamp, StaffInfo.

Reading is defensive: a size limit before parsing, no DTD, no entities, no network, a limit on each
attachment before it is decoded; anything wrong raises PackageError with a Vietnamese message, and
nothing is returned half-read.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING

from motcua.core.lazy import lazy_module

if TYPE_CHECKING:
    from lxml import etree
else:  # loaded on first use (core/lazy.py): most workers never read or write a package
    etree = lazy_module("lxml.etree")


NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
XLINK = "http://www.w3.org/1999/xlink"
PREFIX = "edXML"

DATE_FORMAT = "%Y/%m/%d"  # PromulgationDate, DueDate (sources: yyyy/MM/dd)
TIMESTAMP_FORMAT = "%Y/%m/%d %H:%M:%S"  # TraceHeader/Timestamp, Status/Timestamp
DATE_FORMATS_READ = ("%Y/%m/%d", "%Y-%m-%d", "%d/%m/%Y")
TIMESTAMP_FORMATS_READ = (
    "%Y/%m/%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S",
    "%d/%m/%Y %H:%M:%S",
)

# StatusCode of a status package (reference national-integrations.md §13).
STATUS_CODES = {
    "01": "Đã đến",
    "02": "Từ chối tiếp nhận",
    "03": "Đã tiếp nhận",
    "04": "Đã phân công",
    "05": "Đang xử lý",
    "06": "Hoàn thành",
    "13": "Đề nghị lấy lại văn bản",
    "15": "Đồng ý cho lấy lại, cập nhật",
    "16": "Từ chối cho lấy lại, cập nhật",
}
# BussinessDocType of the trace (reference §13).
BUSINESS_DOC_TYPES = {"0": "Văn bản mới", "1": "Thu hồi", "2": "Cập nhật", "3": "Thay thế"}

ORGAN_ID_PATTERN = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.\-_]{0,63}$")


class PackageError(ValueError):
    """A package that cannot be read or built; the message is for the user (Vietnamese)."""


# --- What a package carries -----------------------------------------------------------------------


@dataclass
class Organization:
    organ_id: str
    organ_name: str = ""
    organization_in_charge: str = ""
    organ_add: str = ""
    email: str = ""
    telephone: str = ""
    fax: str = ""
    website: str = ""


@dataclass
class ResponseFor:
    organ_id: str
    code: str = ""
    promulgation_date: date | None = None
    document_id: str = ""


@dataclass
class StaffInfo:
    department: str = ""
    staff: str = ""
    mobile: str = ""
    email: str = ""


@dataclass
class TraceHeader:
    organ_id: str
    timestamp: datetime


@dataclass
class Business:
    doc_type: str = "0"
    reason: str = ""
    paper: str = "0"
    staff: StaffInfo = field(default_factory=StaffInfo)


@dataclass
class Attachment:
    content_id: str
    name: str
    content_type: str
    data: bytes
    description: str = ""


@dataclass
class DocumentPackage:
    """A document (văn bản) sent from one organ to others."""

    sender: Organization
    recipients: list[Organization]
    code_number: str
    code_notation: str
    place: str
    promulgation_date: date
    type: str
    type_name: str
    subject: str
    steering_type: str = "0"
    type_detail: str = ""
    document_id: str = ""
    content: str = ""
    signer_competence: str = ""
    signer_position: str = ""
    signer_full_name: str = ""
    due_date: date | None = None
    to_places: list[str] = field(default_factory=list)
    priority: str = "0"
    page_amount: str = ""
    response_for: list[ResponseFor] = field(default_factory=list)
    traces: list[TraceHeader] = field(default_factory=list)
    business: Business = field(default_factory=Business)
    attachments: list[Attachment] = field(default_factory=list)


@dataclass
class StatusPackage:
    """A status report on a document received (đã đến, từ chối, hoàn thành, …)."""

    sender: Organization
    response_for: ResponseFor
    status_code: str
    timestamp: datetime
    description: str = ""
    staff: StaffInfo = field(default_factory=StaffInfo)


Package = DocumentPackage | StatusPackage


# --- Building ------------------------------------------------------------------------------------


def _q(name: str, ns: str = NS) -> str:
    return f"{{{ns}}}{name}"


def _sub(parent, name: str, text: str | None = None):
    element = etree.SubElement(parent, _q(name))
    if text is not None:
        element.text = text
    return element


def _date_text(value: date | None) -> str:
    return value.strftime(DATE_FORMAT) if value else ""


def _organization(parent, name: str, org: Organization) -> None:
    element = _sub(parent, name)
    _sub(element, "OrganId", org.organ_id)
    _sub(element, "OrganizationInCharge", org.organization_in_charge)
    _sub(element, "OrganName", org.organ_name)
    _sub(element, "OrganAdd", org.organ_add)
    _sub(element, "Email", org.email)
    _sub(element, "Telephone", org.telephone)
    _sub(element, "Fax", org.fax)
    _sub(element, "Website", org.website)


def _staff(parent, staff: StaffInfo) -> None:
    element = _sub(parent, "StaffInfo")
    _sub(element, "Department", staff.department)
    _sub(element, "Staff", staff.staff)
    _sub(element, "Mobile", staff.mobile)
    _sub(element, "Email", staff.email)


def _root():
    root = etree.Element(_q("edXML"), nsmap={PREFIX: NS, "xlink": XLINK})
    envelope = _sub(root, "edXMLEnvelope")
    header = _sub(envelope, "edXMLHeader")
    return root, envelope, header


def _serialise(root) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def pack_document(doc: DocumentPackage) -> bytes:
    """The edXML bytes of a document package (validated first: PackageError when incomplete)."""
    _check_document(doc)
    root, envelope, header = _root()
    message = _sub(header, "MessageHeader")
    _organization(message, "From", doc.sender)
    for recipient in doc.recipients:
        _organization(message, "To", recipient)
    _sub(message, "DocumentId", doc.document_id)
    code = _sub(message, "Code")
    _sub(code, "CodeNumber", doc.code_number)
    _sub(code, "CodeNotation", doc.code_notation)
    promulgation = _sub(message, "PromulgationInfo")
    _sub(promulgation, "Place", doc.place)
    _sub(promulgation, "PromulgationDate", _date_text(doc.promulgation_date))
    doc_type = _sub(message, "DocumentType")
    _sub(doc_type, "Type", doc.type)
    _sub(doc_type, "TypeDetail", doc.type_detail)
    _sub(doc_type, "TypeName", doc.type_name)
    _sub(message, "Subject", doc.subject)
    _sub(message, "Content", doc.content)
    signer = _sub(message, "SignerInfo")
    _sub(signer, "Competence", doc.signer_competence)
    _sub(signer, "Position", doc.signer_position)
    _sub(signer, "FullName", doc.signer_full_name)
    _sub(message, "DueDate", _date_text(doc.due_date))
    places = _sub(message, "ToPlaces")
    for place in doc.to_places:
        _sub(places, "Place", place)
    other = _sub(message, "OtherInfo")
    _sub(other, "Priority", doc.priority)
    _sub(other, "PageAmount", doc.page_amount)
    for answer in doc.response_for:
        element = _sub(message, "ResponseFor")
        _sub(element, "OrganId", answer.organ_id)
        _sub(element, "Code", answer.code)
        _sub(element, "PromulgationDate", _date_text(answer.promulgation_date))
        _sub(element, "DocumentId", answer.document_id)
    _sub(message, "SteeringType", doc.steering_type)

    traces = _sub(header, "TraceHeaderList")
    for trace in doc.traces:
        element = _sub(traces, "TraceHeader")
        _sub(element, "OrganId", trace.organ_id)
        _sub(element, "Timestamp", trace.timestamp.strftime(TIMESTAMP_FORMAT))
    business = _sub(traces, "Bussiness")  # sic: the standard's spelling
    _sub(business, "BussinessDocType", doc.business.doc_type)
    _sub(business, "BussinessDocReason", doc.business.reason)
    _sub(business, "Paper", doc.business.paper)
    _staff(business, doc.business.staff)

    body = _sub(envelope, "edXMLBody")
    manifest = _sub(body, "edXMLManifest")
    manifest.set("version", "1.0")
    for att in doc.attachments:
        ref = _sub(manifest, "Reference")
        ref.set(_q("href", XLINK), f"cid:{att.content_id}")
        ref.set(_q("type", XLINK), "simple")
        _sub(ref, "ContentId", att.content_id)
        _sub(ref, "ContentType", att.content_type)
        _sub(ref, "Description", att.description)
        _sub(ref, "AttachmentName", att.name)
    if doc.attachments:
        encoded = _sub(root, "AttachmentEncoded")
        for att in doc.attachments:
            element = _sub(encoded, "Attachment")
            _sub(element, "ContentId", att.content_id)
            _sub(element, "ContentType", att.content_type)
            _sub(element, "Description", att.description)
            _sub(element, "AttachmentName", att.name)
            _sub(element, "ContentTransferEncoded", base64.b64encode(att.data).decode("ascii"))
    return _serialise(root)


def pack_status(status: StatusPackage) -> bytes:
    """The edXML bytes of a status package."""
    _check_status(status)
    root, _envelope, header = _root()
    element = _sub(header, "Status")
    answer = _sub(element, "ResponseFor")
    _sub(answer, "OrganId", status.response_for.organ_id)
    _sub(answer, "Code", status.response_for.code)
    _sub(answer, "PromulgationDate", _date_text(status.response_for.promulgation_date))
    _sub(answer, "DocumentId", status.response_for.document_id)
    _organization(element, "From", status.sender)
    _sub(element, "StatusCode", status.status_code)
    _sub(element, "Description", status.description)
    _sub(element, "Timestamp", status.timestamp.strftime(TIMESTAMP_FORMAT))
    _staff(element, status.staff)
    return _serialise(root)


def _check_organ(organ_id: str, what: str) -> None:
    if not ORGAN_ID_PATTERN.fullmatch(organ_id or ""):
        raise PackageError(f"Mã định danh {what} “{organ_id}” không hợp lệ.")


def _check_document(doc: DocumentPackage) -> None:
    _check_organ(doc.sender.organ_id, "cơ quan gửi")
    if not doc.recipients:
        raise PackageError("Văn bản chưa có nơi nhận (mã định danh cơ quan nhận).")
    for recipient in doc.recipients:
        _check_organ(recipient.organ_id, "cơ quan nhận")
    for name, value in (
        ("số văn bản (CodeNumber)", doc.code_number),
        ("ký hiệu (CodeNotation)", doc.code_notation),
        ("trích yếu (Subject)", doc.subject),
        ("loại văn bản (DocumentType/Type)", doc.type),
    ):
        if not (value or "").strip():
            raise PackageError(f"Thiếu {name}.")
    if doc.steering_type not in {"0", "1", "2", "3", "4"}:
        raise PackageError(f"SteeringType “{doc.steering_type}” không hợp lệ (0–4).")
    if doc.business.doc_type not in BUSINESS_DOC_TYPES:
        raise PackageError(f"BussinessDocType “{doc.business.doc_type}” không hợp lệ (0–3).")
    seen = set()
    for att in doc.attachments:
        if not att.content_id or att.content_id in seen:
            raise PackageError(f"Tệp đính kèm “{att.name}” thiếu ContentId hoặc ContentId trùng.")
        seen.add(att.content_id)


def _check_status(status: StatusPackage) -> None:
    _check_organ(status.sender.organ_id, "cơ quan gửi trạng thái")
    _check_organ(status.response_for.organ_id, "cơ quan gửi văn bản (ResponseFor)")
    if status.status_code not in STATUS_CODES:
        raise PackageError(_unknown_status(status.status_code))


def _unknown_status(code: str) -> str:
    known = ", ".join(STATUS_CODES)
    return f"Mã trạng thái “{code}” không có trong QCVN 102:2016 (các mã đã biết: {known})."


# --- Reading -------------------------------------------------------------------------------------


def _parser():
    # No DTD, no entity expansion, no network; huge_tree because a base64 attachment is one large
    # text node (the package's size is limited before parsing instead).
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=True,
        remove_comments=True,
        remove_pis=True,
    )


def _find(parent, path: str):
    """The first element at `path` ("A/B") in the edXML namespace, or None."""
    element = parent
    for name in path.split("/"):
        if element is None:
            return None
        element = element.find(_q(name))
    return element


def _text(parent, path: str, limit: int = 2000) -> str:
    element = _find(parent, path)
    text = (element.text or "").strip() if element is not None else ""
    if len(text) > limit:
        raise PackageError(f"Trường {path} dài quá {limit} ký tự.")
    return text


def _required(parent, path: str, what: str, limit: int = 2000) -> str:
    value = _text(parent, path, limit)
    if not value:
        raise PackageError(f"Gói tin thiếu {what} ({path}).")
    return value


def _parse_date(text: str, what: str) -> date | None:
    if not text:
        return None
    for fmt in DATE_FORMATS_READ:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise PackageError(f"Ngày {what} “{text}” không đúng dạng yyyy/MM/dd.")


def _parse_timestamp(text: str, what: str) -> datetime:
    for fmt in TIMESTAMP_FORMATS_READ:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    raise PackageError(f"Thời điểm {what} “{text}” không đúng dạng yyyy/MM/dd HH:mm:ss.")


def _read_organization(element, what: str) -> Organization:
    organ_id = _required(element, "OrganId", f"mã định danh {what}", 64)
    _check_organ(organ_id, what)
    return Organization(
        organ_id=organ_id,
        organ_name=_text(element, "OrganName", 255),
        organization_in_charge=_text(element, "OrganizationInCharge", 255),
        organ_add=_text(element, "OrganAdd", 255),
        email=_text(element, "Email", 255),
        telephone=_text(element, "Telephone", 64),
        fax=_text(element, "Fax", 64),
        website=_text(element, "Website", 255),
    )


def _read_staff(element) -> StaffInfo:
    if element is None:
        return StaffInfo()
    return StaffInfo(
        department=_text(element, "Department", 255),
        staff=_text(element, "Staff", 255),
        mobile=_text(element, "Mobile", 64),
        email=_text(element, "Email", 255),
    )


def _read_response_for(element) -> ResponseFor:
    organ_id = _required(element, "OrganId", "mã định danh cơ quan của văn bản được trả lời", 64)
    return ResponseFor(
        organ_id=organ_id,
        code=_text(element, "Code", 255),
        promulgation_date=_parse_date(_text(element, "PromulgationDate", 32), "ResponseFor"),
        document_id=_text(element, "DocumentId", 255),
    )


def parse(data: bytes, *, max_package_bytes: int, max_attachment_bytes: int) -> Package:
    """Read a package (a document or a status). PackageError says what is wrong, in Vietnamese."""
    if len(data) > max_package_bytes:
        raise PackageError(
            f"Gói tin {len(data):,} byte vượt giới hạn {max_package_bytes:,} byte.".replace(
                ",", "."
            )
        )
    if not data.strip():
        raise PackageError("Gói tin rỗng.")
    try:
        tree = etree.fromstring(data, parser=_parser()).getroottree()
    except etree.XMLSyntaxError as exc:
        raise PackageError(f"Gói tin không phải XML hợp lệ: {exc.msg}") from None
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise PackageError("Gói tin có khai báo DOCTYPE/DTD: không được phép.")
    root = tree.getroot()
    qname = etree.QName(root)
    if qname.localname != "edXML":
        raise PackageError(f"Phần tử gốc là “{qname.localname}”, không phải edXML.")
    if qname.namespace != NS:
        raise PackageError(
            f"Sai không gian tên: “{qname.namespace or '(không có)'}”; QCVN 102:2016 dùng “{NS}”."
        )
    for element in root.iter():
        if not isinstance(element.tag, str):  # an entity reference left unexpanded
            raise PackageError("Gói tin chứa tham chiếu thực thể XML: không được phép.")
    header = _find(root, "edXMLEnvelope/edXMLHeader")
    if header is None:
        raise PackageError("Gói tin thiếu phần đầu edXMLEnvelope/edXMLHeader.")
    status = _find(header, "Status")
    if status is not None:
        return _read_status(status)
    message = _find(header, "MessageHeader")
    if message is None:
        raise PackageError("Gói tin thiếu MessageHeader (hoặc Status) trong edXMLHeader.")
    return _read_document(root, header, message, max_attachment_bytes)


def _read_status(element) -> StatusPackage:
    answer = _find(element, "ResponseFor")
    sender = _find(element, "From")
    if answer is None or sender is None:
        raise PackageError("Gói trạng thái thiếu ResponseFor hoặc From.")
    code = _required(element, "StatusCode", "mã trạng thái", 8)
    if code not in STATUS_CODES:
        raise PackageError(_unknown_status(code))
    return StatusPackage(
        sender=_read_organization(sender, "cơ quan gửi trạng thái"),
        response_for=_read_response_for(answer),
        status_code=code,
        timestamp=_parse_timestamp(_required(element, "Timestamp", "thời điểm", 32), "Timestamp"),
        description=_text(element, "Description", 2000),
        staff=_read_staff(_find(element, "StaffInfo")),
    )


def _read_document(root, header, message, max_attachment_bytes: int) -> DocumentPackage:
    sender = _find(message, "From")
    if sender is None:
        raise PackageError("Gói tin thiếu cơ quan gửi (MessageHeader/From).")
    recipients = [_read_organization(e, "cơ quan nhận") for e in message.findall(_q("To"))]
    if not recipients:
        raise PackageError("Gói tin thiếu cơ quan nhận (MessageHeader/To).")
    doc_type = _required(message, "DocumentType/Type", "loại văn bản", 8)
    steering = _text(message, "SteeringType", 4) or "0"
    if steering not in {"0", "1", "2", "3", "4"}:
        raise PackageError(f"SteeringType “{steering}” không hợp lệ (0–4).")
    places = _find(message, "ToPlaces")
    traces = []
    trace_list = _find(header, "TraceHeaderList")
    business = Business()
    if trace_list is not None:
        for trace in trace_list.findall(_q("TraceHeader")):
            traces.append(
                TraceHeader(
                    organ_id=_required(trace, "OrganId", "mã cơ quan trong TraceHeader", 64),
                    timestamp=_parse_timestamp(
                        _required(trace, "Timestamp", "thời điểm TraceHeader", 32), "TraceHeader"
                    ),
                )
            )
        found = _find(trace_list, "Bussiness")
        if found is not None:
            doc_type_code = _text(found, "BussinessDocType", 4) or "0"
            if doc_type_code not in BUSINESS_DOC_TYPES:
                raise PackageError(f"BussinessDocType “{doc_type_code}” không hợp lệ (0–3).")
            business = Business(
                doc_type=doc_type_code,
                reason=_text(found, "BussinessDocReason", 2000),
                paper=_text(found, "Paper", 4) or "0",
                staff=_read_staff(_find(found, "StaffInfo")),
            )
    return DocumentPackage(
        sender=_read_organization(sender, "cơ quan gửi"),
        recipients=recipients,
        document_id=_text(message, "DocumentId", 255),
        code_number=_required(message, "Code/CodeNumber", "số văn bản", 32),
        code_notation=_required(message, "Code/CodeNotation", "ký hiệu văn bản", 64),
        place=_text(message, "PromulgationInfo/Place", 255),
        promulgation_date=_parse_date(
            _required(message, "PromulgationInfo/PromulgationDate", "ngày ban hành", 32),
            "ban hành",
        )
        or date.min,
        type=doc_type,
        type_detail=_text(message, "DocumentType/TypeDetail", 8),
        type_name=_text(message, "DocumentType/TypeName", 255),
        subject=_required(message, "Subject", "trích yếu", 2000),
        content=_text(message, "Content", 20000),
        signer_competence=_text(message, "SignerInfo/Competence", 64),
        signer_position=_text(message, "SignerInfo/Position", 255),
        signer_full_name=_text(message, "SignerInfo/FullName", 255),
        due_date=_parse_date(_text(message, "DueDate", 32), "hạn xử lý"),
        to_places=[(p.text or "").strip()[:255] for p in places.findall(_q("Place"))]
        if places is not None
        else [],
        priority=_text(message, "OtherInfo/Priority", 4) or "0",
        page_amount=_text(message, "OtherInfo/PageAmount", 8),
        response_for=[_read_response_for(e) for e in message.findall(_q("ResponseFor"))],
        steering_type=steering,
        traces=traces,
        business=business,
        attachments=_read_attachments(root, max_attachment_bytes),
    )


def _read_attachments(root, max_attachment_bytes: int) -> list[Attachment]:
    """Each Reference of the manifest with its file from AttachmentEncoded, decoded and checked."""
    manifest = _find(root, "edXMLEnvelope/edXMLBody/edXMLManifest")
    references = manifest.findall(_q("Reference")) if manifest is not None else []
    encoded = _find(root, "AttachmentEncoded")
    files = {}
    for element in encoded.findall(_q("Attachment")) if encoded is not None else []:
        content_id = _normalise_cid(_required(element, "ContentId", "ContentId của tệp", 255))
        if content_id in files:
            raise PackageError(f"Hai tệp đính kèm cùng ContentId “{content_id}”.")
        files[content_id] = element
    attachments = []
    for ref in references:
        content_id = _normalise_cid(
            _required(ref, "ContentId", "ContentId trong edXMLManifest", 255)
        )
        element = files.pop(content_id, None)
        if element is None:
            raise PackageError(f"Không có nội dung cho tệp ContentId “{content_id}”.")
        name = _text(ref, "AttachmentName", 255) or _text(element, "AttachmentName", 255)
        if not name:
            raise PackageError(f"Tệp ContentId “{content_id}” thiếu AttachmentName.")
        attachments.append(
            Attachment(
                content_id=content_id,
                name=name,
                content_type=_text(ref, "ContentType", 255)
                or _text(element, "ContentType", 255)
                or "application/octet-stream",
                description=_text(ref, "Description", 2000) or _text(element, "Description", 2000),
                data=_decode(element, name, max_attachment_bytes),
            )
        )
    if files:
        raise PackageError(
            "Có tệp trong AttachmentEncoded không được khai trong edXMLManifest: "
            + ", ".join(sorted(files))
        )
    return attachments


def _normalise_cid(text: str) -> str:
    return text[4:] if text.lower().startswith("cid:") else text


def _decode(element, name: str, max_attachment_bytes: int) -> bytes:
    found = _find(element, "ContentTransferEncoded")
    text = "".join((found.text or "").split()) if found is not None else ""
    if not text:
        raise PackageError(f"Tệp “{name}” không có nội dung (ContentTransferEncoded).")
    if len(text) // 4 * 3 > max_attachment_bytes + 2:
        raise PackageError(
            f"Tệp “{name}” vượt giới hạn {max_attachment_bytes:,} byte một tệp.".replace(",", ".")
        )
    try:
        data = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        raise PackageError(f"Nội dung base64 của tệp “{name}” bị hỏng.") from None
    if len(data) > max_attachment_bytes:
        raise PackageError(
            f"Tệp “{name}” vượt giới hạn {max_attachment_bytes:,} byte một tệp.".replace(",", ".")
        )
    return data


# --- For the command line ------------------------------------------------------------------------


def package_as_json(package: Package) -> dict:
    """A package as plain JSON data: dates as ISO text, attachments by name, size and SHA-256."""
    import hashlib

    def clean(value):
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items()}
        if isinstance(value, list):
            return [clean(v) for v in value]
        if isinstance(value, date | datetime):
            return value.isoformat()
        return value

    if isinstance(package, StatusPackage):
        data = clean(asdict(package))
        data["kind"] = "status"
        data["status_name"] = STATUS_CODES[package.status_code]
        return data
    attachments = [
        {
            "content_id": a.content_id,
            "name": a.name,
            "content_type": a.content_type,
            "description": a.description,
            "size": len(a.data),
            "sha256": hashlib.sha256(a.data).hexdigest(),
        }
        for a in package.attachments
    ]
    fields = asdict(package)
    fields.pop("attachments")
    data = clean(fields)
    data["kind"] = "document"
    data["attachments"] = attachments
    return data
