"""The edXML package itself: what is packed is read back whole; bad packages are refused clearly."""

import base64
from datetime import date, datetime

import pytest

from motcua.exchange import edxml

LIMITS = {"max_package_bytes": 1_000_000, "max_attachment_bytes": 10_000}


def _document(**changes) -> edxml.DocumentPackage:
    values = dict(
        sender=edxml.Organization("000.00.12.H27", "Sở Tư pháp", "UBND tỉnh Hà Tĩnh"),
        recipients=[
            edxml.Organization("000.00.07.H27", "Sở Nội vụ"),
            edxml.Organization("000.00.05.H27", "Sở Tài chính"),
        ],
        document_id="000.00.12.H27,2026/12/07,05/STP-VP",
        code_number="05",
        code_notation="STP-VP",
        place="Hà Tĩnh",
        promulgation_date=date(2026, 12, 7),
        type="18",
        type_name="Công văn",
        subject="V/v phối hợp — “trích yếu” có dấu & ký tự <đặc biệt>",
        steering_type="1",
        signer_competence="KT.",
        signer_position="Phó Giám đốc",
        signer_full_name="Nguyễn Văn An",
        due_date=date(2026, 12, 21),
        to_places=["Sở Nội vụ", "Sở Tài chính"],
        response_for=[
            edxml.ResponseFor("000.00.07.H27", "12/SNV-TCBC", date(2026, 11, 30), "x,y,12/SNV")
        ],
        traces=[edxml.TraceHeader("000.00.12.H27", datetime(2026, 12, 7, 9, 30, 5))],
        attachments=[
            edxml.Attachment(
                "c1", "cong-van.pdf", "application/pdf", b"%PDF\x00\xff" * 50, "Chính"
            ),
            edxml.Attachment("c2", "rong.bin", "application/octet-stream", bytes(range(256))),
        ],
    )
    values.update(changes)
    return edxml.DocumentPackage(**values)


def test_a_document_package_is_read_back_whole():
    doc = _document()
    data = edxml.pack_document(doc)
    assert data.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    assert edxml.parse(data, **LIMITS) == doc


def test_a_status_package_is_read_back_whole():
    status = edxml.StatusPackage(
        sender=edxml.Organization("000.00.07.H27", "Sở Nội vụ"),
        response_for=edxml.ResponseFor("000.00.12.H27", "05/STP-VP", date(2026, 12, 7), "d"),
        status_code="06",
        timestamp=datetime(2026, 12, 8, 14, 0, 0),
        description="Đã hoàn thành",
        staff=edxml.StaffInfo("Văn phòng", "Lê Thị Nhận"),
    )
    assert edxml.parse(edxml.pack_status(status), **LIMITS) == status


def _refused(data: bytes, **limits) -> str:
    with pytest.raises(edxml.PackageError) as caught:
        edxml.parse(data, **{**LIMITS, **limits})
    return str(caught.value)


def test_wrong_namespace_is_refused():
    data = edxml.pack_document(_document()).replace(edxml.NS.encode(), b"http://www.go.vn/eDoc")
    assert "Sai không gian tên" in _refused(data)


def test_missing_header_is_refused():
    data = edxml.pack_document(_document())
    start = data.index(b"<edXML:edXMLHeader>")
    end = data.index(b"</edXML:edXMLHeader>") + len(b"</edXML:edXMLHeader>")
    assert "thiếu phần đầu" in _refused(data[:start] + data[end:])


def test_missing_message_header_field_is_refused():
    data = edxml.pack_document(_document())
    data = data.replace(b"<edXML:CodeNumber>05</edXML:CodeNumber>", b"")
    assert "thiếu số văn bản" in _refused(data)


def test_broken_base64_is_refused():
    data = edxml.pack_document(_document())
    good = base64.b64encode(bytes(range(256)))
    assert good in data
    assert "base64" in _refused(data.replace(good, good[:-7] + b"!!@@==="))


def test_attachment_over_the_limit_is_refused():
    data = edxml.pack_document(_document())
    message = _refused(data, max_attachment_bytes=200)
    assert "cong-van.pdf" in message and "vượt giới hạn 200 byte" in message


def test_package_over_the_limit_is_refused_before_parsing():
    assert "vượt giới hạn" in _refused(b"<x/>" * 100, max_package_bytes=100)


def test_unknown_status_code_is_refused():
    status = edxml.StatusPackage(
        sender=edxml.Organization("000.00.07.H27"),
        response_for=edxml.ResponseFor("000.00.12.H27", "05/STP-VP"),
        status_code="06",
        timestamp=datetime(2026, 12, 8, 14, 0, 0),
    )
    data = edxml.pack_status(status).replace(b">06<", b">07<")
    assert "Mã trạng thái “07” không có trong QCVN 102:2016" in _refused(data)
    status.status_code = "99"
    with pytest.raises(edxml.PackageError, match="99"):
        edxml.pack_status(status)


def test_a_dtd_or_entity_is_refused_and_nothing_is_expanded():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE edXML [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b'<edXML:edXML xmlns:edXML="' + edxml.NS.encode() + b'">&b;</edXML:edXML>'
    )
    assert "DOCTYPE" in _refused(bomb)
    external = (
        b'<?xml version="1.0"?><!DOCTYPE edXML [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<edXML:edXML xmlns:edXML="' + edxml.NS.encode() + b'">&x;</edXML:edXML>'
    )
    assert "DOCTYPE" in _refused(external)


def test_not_xml_and_empty_are_refused():
    assert "không phải XML" in _refused(b"%PDF-1.7 not xml")
    assert "rỗng" in _refused(b"  ")


def test_an_attachment_without_its_content_is_refused():
    data = edxml.pack_document(_document())
    start = data.index(b"<edXML:AttachmentEncoded>")
    end = data.index(b"</edXML:AttachmentEncoded>") + len(b"</edXML:AttachmentEncoded>")
    assert "Không có nội dung cho tệp" in _refused(data[:start] + data[end:])


def test_packing_refuses_an_incomplete_document():
    with pytest.raises(edxml.PackageError, match="nơi nhận"):
        edxml.pack_document(_document(recipients=[]))
    with pytest.raises(edxml.PackageError, match="trích yếu"):
        edxml.pack_document(_document(subject=" "))


def test_a_package_written_by_another_system_is_read():
    """The layout of the sources (docs/exchange.md): default namespace on the root, prefixed
    envelope, cid: in the manifest, AttachmentEncoded in the default namespace."""
    content = base64.b64encode(b"hello").decode()
    text = f"""<?xml version="1.0" encoding="UTF-8"?>
<edXML xmlns="{edxml.NS}">
  <edXML:edXMLEnvelope xmlns:edXML="{edxml.NS}">
    <edXML:edXMLHeader>
      <edXML:MessageHeader>
        <edXML:From><edXML:OrganId>000.00.01.H20</edXML:OrganId><edXML:OrganName>A</edXML:OrganName></edXML:From>
        <edXML:To><edXML:OrganId>000.00.12.H27</edXML:OrganId></edXML:To>
        <edXML:DocumentId>abc</edXML:DocumentId>
        <edXML:Code><edXML:CodeNumber>7</edXML:CodeNumber><edXML:CodeNotation>UBND-VP</edXML:CodeNotation></edXML:Code>
        <edXML:PromulgationInfo><edXML:Place>Hà Nội</edXML:Place><edXML:PromulgationDate>2026/12/01</edXML:PromulgationDate></edXML:PromulgationInfo>
        <edXML:DocumentType><edXML:Type>1</edXML:Type><edXML:TypeName>Công văn</edXML:TypeName></edXML:DocumentType>
        <edXML:Subject>Thử</edXML:Subject>
        <edXML:SteeringType>1</edXML:SteeringType>
      </edXML:MessageHeader>
      <edXML:TraceHeaderList><edXML:TraceHeader><edXML:OrganId>000.00.01.H20</edXML:OrganId><edXML:Timestamp>2026/12/01 08:00:00</edXML:Timestamp></edXML:TraceHeader></edXML:TraceHeaderList>
    </edXML:edXMLHeader>
    <edXML:edXMLBody><edXML:edXMLManifest version="1.0">
      <edXML:Reference><edXML:ContentId>cid:u1</edXML:ContentId><edXML:ContentType>text/plain</edXML:ContentType><edXML:AttachmentName>a.txt</edXML:AttachmentName></edXML:Reference>
    </edXML:edXMLManifest></edXML:edXMLBody>
  </edXML:edXMLEnvelope>
  <AttachmentEncoded><Attachment><ContentId>u1</ContentId><ContentTransferEncoded>{content}</ContentTransferEncoded></Attachment></AttachmentEncoded>
</edXML>"""
    package = edxml.parse(text.encode(), **LIMITS)
    assert package.code_notation == "UBND-VP" and package.steering_type == "1"
    assert package.attachments[0].data == b"hello" and package.attachments[0].name == "a.txt"
